//! `mailsite autodiscover`: the Outlook Autodiscover response for one address.

use std::process::ExitCode;

use crate::cli::AutodiscoverArgs;
use crate::controls;
use crate::setup::autodiscover;

pub fn run(args: AutodiscoverArgs) -> ExitCode {
    match super::resolve_setup(&args.setup, None) {
        Ok(x) => {
            let xml =
                autodiscover::response(&x.resolutions[0], super::auth_choice(args.setup.auth));
            // Tabs and line breaks only: nothing from the data acts on the terminal.
            print!("{}", controls::escape_text(&xml));
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}
