//! Command-line interface (clap derive only; the work is in the library).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::controls;

#[derive(Debug, Parser)]
#[command(
    name = "mailsite",
    version,
    about = "Builds the mail-settings manual from one settings matrix"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the command line, exiting with clap's message on a mistake. clap quotes the
    /// offending argument; when an argument holds control characters the message is made
    /// from the arguments with those escaped, so none reaches the terminal raw (clap drops
    /// escape sequences only when stderr is not a terminal, and then silently).
    pub fn parse_args() -> Cli {
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        match Cli::try_parse_from(&args) {
            Ok(cli) => cli,
            Err(e) => {
                let has_controls = args
                    .iter()
                    .any(|a| a.to_str().is_some_and(|a| a.chars().any(char::is_control)));
                if has_controls {
                    let escaped = args.iter().map(|a| match a.to_str() {
                        Some(a) => controls::escape_line(a).into_owned().into(),
                        None => a.clone(),
                    });
                    if let Err(shown) = Cli::try_parse_from(escaped) {
                        shown.exit();
                    }
                    eprint!("{}", controls::escape_text(&e.render().to_string()));
                    std::process::exit(e.exit_code());
                }
                e.exit()
            }
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --out).
    Build(BuildArgs),
    /// Prove the manual agrees with the data: render in memory, report every problem.
    Check(CheckArgs),
    /// Build, serve on 127.0.0.1, rebuild on every change and reload open browser tabs.
    ///
    /// The site is built into a temporary folder of its own (never public/), removed on exit.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Print the settings for one address (for support staff).
    Explain(ExplainArgs),
    /// List the client labels to verify on a device (confidence not `confirmed`), per client
    /// and language, with their sources: the maintainers' report.
    Labels(LabelsArgs),
    /// Write an Apple configuration profile (.mobileconfig) for one address.
    ///
    /// No password is in the file: the device asks for it while installing.
    Profile(ProfileArgs),
    /// Print the Outlook Autodiscover (POX) response for one address.
    Autodiscover(SetupPrintArgs),
    /// Print a Thunderbird autoconfig file (config-v1.1.xml) made for one address.
    ///
    /// The build writes one file per plan and variant for every customer; this one is for a
    /// customer those cannot serve (a shared-certificate host, a server name of their own).
    Autoconfig(SetupPrintArgs),
}

#[derive(Debug, Args)]
pub struct LabelsArgs {
    /// Site root (holds mailsite.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// `text`: grouped per client and language; `json`: an array of rows.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Site root (holds mailsite.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder (default: ROOT/public).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// URL the site is published under, e.g. https://example.com/manual/.
    #[arg(long)]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Site root (holds mailsite.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// `text`: one `path:line:col: [rule] message` line per problem and a summary;
    /// `json`: an array of {rule, path, line, column, message}.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
}

#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Site root (holds mailsite.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on [default: 1111, or the next free port if 1111 is taken].
    /// A port given here that is taken is an error; 0 picks any free port.
    #[arg(long)]
    pub port: Option<u16>,
    /// Address to listen on. Anything but a loopback address exposes the server to
    /// other machines.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Poll for changes instead of waiting for file-system events (network shares,
    /// containers, WSL).
    #[arg(long)]
    pub poll: bool,
    /// Open the site in the desktop's browser.
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Plan id, e.g. shared-standard.
    #[arg(long)]
    pub plan: String,
    /// Variant id (plain, ssl, shared-ssl); all variants of the plan when omitted.
    #[arg(long)]
    pub variant: Option<String>,
    /// The customer's e-mail address.
    #[arg(long)]
    pub address: String,
    /// Language of labels and warnings (default: the site's first language).
    #[arg(long)]
    pub lang: Option<String>,
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
}

/// What a setup file is made for: one address on one plan and variant.
#[derive(Debug, Args)]
pub struct SetupArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Plan id, e.g. shared-managed.
    #[arg(long)]
    pub plan: String,
    /// Variant id, e.g. ssl.
    #[arg(long)]
    pub variant: String,
    /// The customer's e-mail address.
    #[arg(long)]
    pub address: String,
    /// Login mechanism to write for every server [default: what the guide of the client
    /// the file is for says (`setup_files` in content/clients), else the settings matrix's].
    #[arg(long, value_enum)]
    pub auth: Option<AuthArg>,
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    #[command(flatten)]
    pub setup: SetupArgs,
    /// Language of the names shown while installing (default: the site's first language).
    #[arg(long)]
    pub lang: Option<String>,
    /// Write the profile to this file instead of standard output (a new file: never one
    /// inside the site's sources; an existing file only with --force).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// With --out: replace the file if it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
    /// Derive the profile's UUIDs from this text instead of random ones (the same seed
    /// gives the same file; for tests and comparisons).
    #[arg(long)]
    pub uuid_seed: Option<String>,
}

/// A setup file printed for one address (`autodiscover`, `autoconfig`).
#[derive(Debug, Args)]
pub struct SetupPrintArgs {
    #[command(flatten)]
    pub setup: SetupArgs,
}

/// The matrix's login mechanisms (`--auth`).
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AuthArg {
    EncryptedPassword,
    Password,
    None,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Text,
    Json,
}
