//! `mailsite build`.

use std::process::ExitCode;

use crate::build::{build, BuildOptions};
use crate::cli::BuildArgs;
use crate::diag::Kind;

pub fn run(args: BuildArgs) -> ExitCode {
    let opts = BuildOptions {
        root: args.root,
        out: args.out,
        base_url: args.base_url,
        exit_after: true,
        ..BuildOptions::default()
    };
    match build(&opts) {
        Ok(report) => {
            println!("{}", report.summary());
            ExitCode::SUCCESS
        }
        Err(problems) => {
            eprint!("{problems}");
            // A refused output folder is one line that says it all; nothing was built.
            if problems.iter().any(|d| d.kind != Kind::Output) {
                eprintln!(
                    "error: build failed with {} problem(s); the previous output was left as it was",
                    problems.len()
                );
            }
            ExitCode::FAILURE
        }
    }
}
