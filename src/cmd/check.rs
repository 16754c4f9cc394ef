//! `mailsite check`.

use std::process::ExitCode;

use crate::check::check;
use crate::cli::{CheckArgs, FormatArg};

pub fn run(args: CheckArgs) -> ExitCode {
    let report = check(&args.root);
    match args.format {
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
