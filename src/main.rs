use std::process::ExitCode;

use mailsite::build::{build, BuildOptions};
use mailsite::cli::{Cli, Command, FormatArg};
use mailsite::diag::Kind;
use mailsite::explain::{explain, ExplainError, ExplainRequest, Format};

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    match cli.command {
        Command::Build {
            root,
            out,
            base_url,
        } => match build(&BuildOptions {
            root,
            out,
            base_url,
            ..BuildOptions::default()
        }) {
            Ok(report) => {
                println!("{}", report.summary());
                ExitCode::SUCCESS
            }
            Err(problems) => {
                eprint!("{problems}");
                // A refused output folder is one line that says it all; nothing was built.
                if problems.iter().any(|d| d.kind != Kind::Output) {
                    eprintln!("error: build failed with {} problem(s); the previous output was left as it was", problems.len());
                }
                ExitCode::FAILURE
            }
        },
        Command::Check { root, format } => {
            let report = mailsite::check::check(&root);
            match format {
                FormatArg::Text => print!("{}", report.text()),
                FormatArg::Json => {
                    print!("{}", report.json());
                    eprintln!("{}", report.summary());
                }
            }
            if report.is_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        #[cfg(feature = "serve")]
        Command::Serve {
            root,
            port,
            bind,
            poll,
            open,
        } => {
            let mut opts = mailsite::serve::ServeOptions::new(root);
            opts.port = port;
            opts.bind = bind;
            opts.poll = poll;
            match mailsite::serve::run(&opts, open) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Explain {
            root,
            plan,
            variant,
            address,
            lang,
            format,
        } => {
            let req = ExplainRequest {
                plan: &plan,
                variant: variant.as_deref(),
                address: &address,
                lang: lang.as_deref(),
                format: match format {
                    FormatArg::Text => Format::Text,
                    FormatArg::Json => Format::Json,
                },
            };
            match explain(&root, &req) {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(ExplainError::Request(msg)) => {
                    eprintln!("error: {msg}");
                    ExitCode::from(2)
                }
                Err(ExplainError::Site(problems)) => {
                    eprint!("{problems}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
