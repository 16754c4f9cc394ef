//! `mailsite explain`.

use std::process::ExitCode;

use crate::cli::{ExplainArgs, FormatArg};
use crate::controls;
use crate::explain::{explain, ExplainError, ExplainRequest, Format};

pub fn run(args: ExplainArgs) -> ExitCode {
    let req = ExplainRequest {
        plan: &args.plan,
        variant: args.variant.as_deref(),
        address: &args.address,
        lang: args.lang.as_deref(),
    };
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
    };
    match explain(&args.root, &req) {
        Ok(x) => {
            // Tabs and line breaks only: nothing from the data acts on the terminal.
            print!("{}", controls::escape_text(&x.render(format)));
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
