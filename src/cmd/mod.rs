//! The commands: each takes its parsed arguments, asks the library for the result and
//! prints it. Nothing here decides anything about the site.

pub mod autodiscover;
pub mod build;
pub mod check;
pub mod explain;
pub mod labels;
pub mod profile;
#[cfg(feature = "serve")]
pub mod serve;

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{AuthArg, SetupArgs};
use crate::clients::{self, LoadedClient, SetupFile};
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::explain::{explain, ExplainError, ExplainRequest, Explanation};
use crate::matrix::{Auth, Matrix};
use crate::setup::{guide_auth, AuthChoice};

/// What a setup command makes its file from: the request resolved as `explain` resolves
/// it, and the client files that say which guide each setup file follows.
struct SetupInputs {
    x: Explanation,
    /// Empty when `--auth` names the mechanism: no guide is asked then.
    clients: Vec<LoadedClient>,
    auth: Option<AuthArg>,
}

impl SetupInputs {
    /// The login mechanism `file` writes: `--auth`, else what the guide of the client that
    /// claims the file says, else the matrix's.
    fn auth(&self, file: SetupFile) -> AuthChoice<'_> {
        match self.auth {
            Some(arg) => AuthChoice::Use(auth_of(arg)),
            None => guide_auth(&self.x.matrix, &self.clients, file),
        }
    }
}

/// Loads and resolves a setup file's request (see [`resolve_setup`]) and, unless `--auth`
/// decides, the client files; broken client files fail like a broken matrix (exit 1).
fn setup_inputs(args: &SetupArgs, lang: Option<&str>) -> Result<SetupInputs, ExitCode> {
    let x = resolve_setup(args, lang)?;
    let clients = match args.auth {
        Some(_) => Vec::new(),
        None => load_clients(&args.root, &x.matrix).map_err(|problems| {
            eprint!("{problems}");
            ExitCode::FAILURE
        })?,
    };
    Ok(SetupInputs {
        x,
        clients,
        auth: args.auth,
    })
}

fn load_clients(root: &Path, m: &Matrix) -> Result<Vec<LoadedClient>, Diagnostics> {
    let config = Config::load(root)?;
    clients::load(root, config.languages(), Some(m))
}

/// Loads the site and resolves a setup file's request exactly as `explain` does, with its
/// one-line errors (exit 2 for a wrong request, 1 for a broken site), printed here.
fn resolve_setup(args: &SetupArgs, lang: Option<&str>) -> Result<Explanation, ExitCode> {
    let req = ExplainRequest {
        plan: &args.plan,
        variant: Some(&args.variant),
        address: &args.address,
        lang,
    };
    explain(&args.root, &req).map_err(|e| match e {
        ExplainError::Request(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        ExplainError::Site(problems) => {
            eprint!("{problems}");
            ExitCode::FAILURE
        }
    })
}

fn auth_of(arg: AuthArg) -> Auth {
    match arg {
        AuthArg::EncryptedPassword => Auth::EncryptedPassword,
        AuthArg::Password => Auth::Password,
        AuthArg::None => Auth::None,
    }
}
