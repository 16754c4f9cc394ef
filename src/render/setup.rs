//! Template functions of the setup files: `your_settings_url()` (the page where readers
//! see their own values) and `setup_files(plan, variant)` (a plan and variant's autoconfig
//! file and SRV records, for the administrators' page).

use std::sync::Arc;

use minijinja::value::Serde;
use minijinja::{Environment, Error, ErrorKind, State, Value};
use serde::Serialize;

use crate::matrix::Matrix;
use crate::resolve::resolve;
use crate::setup::autoconfig;
use crate::setup::dns::{srv_records, SrvRecord};
use crate::site::Site;
use crate::urls;

fn invalid(msg: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg)
}

/// The page's URL and language.
fn here(state: &State) -> Result<(String, String), Error> {
    let url = state
        .lookup("page")
        .and_then(|p| p.get_attr("url").ok())
        .and_then(|u| u.as_str().map(str::to_string))
        .ok_or_else(|| invalid("`page.url` is not set for this page".into()))?;
    let lang = state
        .lookup("lang")
        .and_then(|l| l.as_str().map(str::to_string))
        .ok_or_else(|| invalid("`lang` is not set for this page".into()))?;
    Ok((url, lang))
}

#[derive(Debug, Serialize)]
struct SetupFiles {
    /// Link to the autoconfig file from this page; none when the host needs an address.
    autoconfig: Option<String>,
    /// The host pattern Thunderbird's placeholders cannot express, when so.
    not_expressible: Option<String>,
    srv: Vec<SrvRecord>,
    /// The customer's domain as readers see it in this language (`ドメイン名`), for the
    /// records' owner names.
    domain: String,
}

pub(super) fn register(env: &mut Environment<'_>, site: &Site) {
    env.add_function("your_settings_url", |state: &State| {
        let (from, lang) = here(state)?;
        Ok::<_, Error>(urls::relative(&from, &urls::your_settings(&lang)))
    });
    let matrix: Option<Arc<Matrix>> = site.matrix.as_ref().map(|m| Arc::new(m.matrix.clone()));
    env.add_function(
        "setup_files",
        move |state: &State, plan: &str, variant: &str| -> Result<Value, Error> {
            let (from, lang) = here(state)?;
            let m = matrix
                .as_deref()
                .ok_or_else(|| invalid("setup_files(): this site has no matrix".into()))?;
            let r = resolve(m, plan, variant, None)
                .map_err(|e| invalid(format!("setup_files(): {e}")))?;
            // Whether the build wrote a file for everyone (`generated::setup`).
            let file = autoconfig::expressible(&r);
            let files = SetupFiles {
                autoconfig: file
                    .is_ok()
                    .then(|| urls::relative(&from, &urls::autoconfig(plan, variant))),
                not_expressible: file.err().map(|e| e.pattern),
                srv: srv_records(&r),
                domain: m.placeholders.domain.get(&lang).to_string(),
            };
            Ok(Value::from(Serde(files)))
        },
    );
}
