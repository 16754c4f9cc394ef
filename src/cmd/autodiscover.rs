//! `mailsite autodiscover` and `mailsite autoconfig`: the Outlook Autodiscover response and
//! a Thunderbird autoconfig file for one address.

use std::process::ExitCode;

use crate::cli::SetupPrintArgs;
use crate::clients::SetupFile;
use crate::controls;
use crate::setup::{autoconfig, autodiscover};

pub fn run(args: SetupPrintArgs) -> ExitCode {
    match super::setup_inputs(&args.setup, None) {
        Ok(inputs) => {
            let auth = inputs.auth(SetupFile::Autodiscover);
            let xml = autodiscover::response(&inputs.x.resolutions[0], auth);
            // Tabs and line breaks only: nothing from the data acts on the terminal.
            print!("{}", controls::escape_text(&xml));
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

pub fn run_autoconfig(args: SetupPrintArgs) -> ExitCode {
    match super::setup_inputs(&args.setup, None) {
        Ok(inputs) => {
            let auth = inputs.auth(SetupFile::Autoconfig);
            let x = &inputs.x;
            // Resolved for an address, every value is concrete: nothing is left to express.
            match autoconfig::config(&x.matrix, &x.resolutions[0], &x.lang, auth) {
                Ok(xml) => {
                    print!("{}", controls::escape_text(&xml));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {}", controls::escape_line(&e.to_string()));
                    ExitCode::from(2)
                }
            }
        }
        Err(code) => code,
    }
}
