//! `mailsite serve`.

use std::process::ExitCode;

use crate::cli::ServeArgs;
use crate::serve::{run as serve, ServeOptions};

pub fn run(args: ServeArgs) -> ExitCode {
    let mut opts = ServeOptions::new(args.root);
    opts.port = args.port;
    opts.bind = args.bind;
    opts.poll = args.poll;
    match serve(&opts, args.open) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
