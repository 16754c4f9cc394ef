use std::process::ExitCode;

use mailsite::cli::{Cli, Command};
use mailsite::cmd;

fn main() -> ExitCode {
    match Cli::parse_args().command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => cmd::serve::run(args),
        Command::Explain(args) => cmd::explain::run(args),
        Command::Labels(args) => cmd::labels::run(args),
        Command::Profile(args) => cmd::profile::run(args),
        Command::Autodiscover(args) => cmd::autodiscover::run(args),
        Command::Autoconfig(args) => cmd::autodiscover::run_autoconfig(args),
    }
}
