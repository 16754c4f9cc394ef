use std::process::ExitCode;

use mailsite::cli::{Cli, Command};
use mailsite::cmd;

fn main() -> ExitCode {
    let command = Cli::parse_args().command;
    #[cfg(feature = "serve")]
    let serving = matches!(command, Command::Serve(_));
    #[cfg(not(feature = "serve"))]
    let serving = false;
    if !serving {
        end_quietly_on_closed_pipe();
    }
    match command {
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

/// `mailsite labels | head` ends when `head` has read enough, like any command-line tool,
/// instead of panicking on the closed pipe (Rust ignores SIGPIPE by default). Not for
/// `serve`: its sockets rely on SIGPIPE being ignored.
fn end_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
