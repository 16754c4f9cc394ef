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

use std::process::ExitCode;

use crate::cli::{AuthArg, SetupArgs};
use crate::explain::{explain, ExplainError, ExplainRequest, Explanation};
use crate::matrix::Auth;
use crate::setup::AuthChoice;

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

fn auth_choice(arg: Option<AuthArg>) -> AuthChoice {
    match arg {
        None => AuthChoice::FromData,
        Some(AuthArg::EncryptedPassword) => AuthChoice::Use(Auth::EncryptedPassword),
        Some(AuthArg::Password) => AuthChoice::Use(Auth::Password),
        Some(AuthArg::None) => AuthChoice::Use(Auth::None),
    }
}
