//! `mailsite explain`: the settings for one address, for support staff on the phone.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::address::Address;
use crate::config::Config;
use crate::controls;
use crate::diag::Diagnostics;
use crate::matrix::{self, choices, Matrix};
use crate::resolve::{resolve, resolve_plan, Endpoint, Resolution};
use crate::strings::Strings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug)]
pub enum ExplainError {
    /// The site's own files are broken.
    Site(Diagnostics),
    /// The request is wrong (unknown id, malformed address): one line.
    Request(String),
}

impl From<Diagnostics> for ExplainError {
    fn from(d: Diagnostics) -> Self {
        ExplainError::Site(d)
    }
}

pub struct ExplainRequest<'a> {
    pub plan: &'a str,
    pub variant: Option<&'a str>,
    pub address: &'a str,
    pub lang: Option<&'a str>,
    pub format: Format,
}

/// The contract's JSON shape (`explain --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct ExplainJson {
    pub plan: String,
    pub variant: String,
    pub address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_unicode: Option<String>,
    pub incoming: Vec<EndpointJson>,
    pub outgoing: Vec<EndpointJson>,
    pub warnings: Vec<WarningJson>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EndpointJson {
    pub protocol: &'static str,
    pub host: String,
    pub port: u16,
    pub security: &'static str,
    pub auth: &'static str,
    pub username: String,
    pub recommended: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_unicode: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WarningJson {
    pub id: String,
    pub text: String,
}

pub fn to_json(m: &Matrix, r: &Resolution, address: &Address, lang: &str) -> ExplainJson {
    let ep = |e: &Endpoint| EndpointJson {
        protocol: e.protocol.as_str(),
        host: e.host.clone(),
        port: e.port,
        security: e.security.as_str(),
        auth: e.auth.as_str(),
        username: e.username.clone(),
        recommended: e.recommended,
        host_unicode: e.host_unicode.clone(),
    };
    let unicode = address.unicode();
    ExplainJson {
        plan: r.plan.clone(),
        variant: r.variant.clone(),
        address: address.ascii(),
        address_unicode: (unicode != address.ascii()).then_some(unicode),
        incoming: r.incoming.iter().map(ep).collect(),
        outgoing: r.outgoing.iter().map(ep).collect(),
        warnings: r
            .warnings
            .iter()
            .filter_map(|id| m.warning(id))
            .map(|w| WarningJson {
                id: w.id.get_ref().clone(),
                text: w.text.text(m, lang),
            })
            .collect(),
    }
}

/// The settings for one request, as text or JSON for the terminal.
pub fn explain(root: &Path, req: &ExplainRequest) -> Result<String, ExplainError> {
    // The request comes from the command line and is echoed (an unknown id, a malformed
    // address): a control character in it must not reach the terminal raw. Escaping here,
    // where everything `explain` prints passes, covers every message that quotes it.
    match explain_raw(root, req) {
        Ok(text) => Ok(controls::escape_text(&text).into_owned()),
        Err(ExplainError::Request(msg)) => Err(ExplainError::Request(
            controls::escape_line(&msg).into_owned(),
        )),
        Err(site) => Err(site),
    }
}

fn explain_raw(root: &Path, req: &ExplainRequest) -> Result<String, ExplainError> {
    let config = Config::load(root)?;
    let languages = config.languages().to_vec();
    let lang = match req.lang {
        Some(l) if languages.iter().any(|x| x == l) => l.to_string(),
        Some(l) => {
            return Err(ExplainError::Request(format!(
                "unknown language `{l}` (valid languages: {})",
                languages.join(", ")
            )))
        }
        None => languages[0].clone(),
    };
    let Some(matrix_path) = &config.matrix else {
        return Err(ExplainError::Request(
            "this site has no settings matrix (`matrix` in mailsite.toml)".into(),
        ));
    };
    let loaded = matrix::load(root, matrix_path.get_ref(), &languages)?;
    let strings = Strings::load(root, &languages)?;
    let m = &loaded.matrix;
    let address = Address::parse(req.address).map_err(|e| ExplainError::Request(e.to_string()))?;
    let resolutions = match req.variant {
        Some(v) => vec![resolve(m, req.plan, v, Some(&address))
            .map_err(|e| ExplainError::Request(e.to_string()))?],
        None => resolve_plan(m, req.plan, Some(&address))
            .map_err(|e| ExplainError::Request(e.to_string()))?,
    };
    match req.format {
        Format::Json => {
            let items: Vec<ExplainJson> = resolutions
                .iter()
                .map(|r| to_json(m, r, &address, &lang))
                .collect();
            let text = if req.variant.is_some() {
                serde_json::to_string_pretty(&items[0])
            } else {
                serde_json::to_string_pretty(&items)
            };
            Ok(text.expect("plain data serializes") + "\n")
        }
        Format::Text => Ok(resolutions
            .iter()
            .map(|r| text(m, &strings, &lang, r, &address))
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

fn text(m: &Matrix, strings: &Strings, lang: &str, r: &Resolution, address: &Address) -> String {
    let s = |key: &str| strings.require(lang, key).to_string();
    let plan = m.plan(&r.plan).expect("resolved plan");
    let variant = m.variant(&r.variant).expect("resolved variant");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} › {} ({})",
        s("explain.plan"),
        plan.group.get(lang),
        plan.name.get(lang),
        r.plan
    );
    let _ = writeln!(
        out,
        "{}: {} ({})",
        s("explain.variant"),
        variant.name.get(lang),
        r.variant
    );
    let shown_address = if address.unicode() != address.ascii() {
        format!("{} ({})", address.unicode(), address.ascii())
    } else {
        address.ascii()
    };
    let _ = writeln!(out, "{}: {shown_address}", s("explain.address"));
    for (heading, list) in [
        ("explain.incoming", &r.incoming),
        ("explain.outgoing", &r.outgoing),
    ] {
        let _ = writeln!(out, "\n{}", s(heading));
        for e in list.iter() {
            let host = match &e.host_unicode {
                Some(u) => format!("{u} ({})", e.host),
                None => e.host.clone(),
            };
            let proto = m
                .protocol(e.protocol)
                .map(|p| p.name.get(lang))
                .unwrap_or("");
            let rec = if e.recommended {
                format!("  [{}]", s("explain.recommended"))
            } else {
                String::new()
            };
            let _ = writeln!(out, "  {proto}{rec}");
            let _ = writeln!(out, "    {:<12} {host}", s("explain.host"));
            let _ = writeln!(out, "    {:<12} {}", s("explain.port"), e.port);
            let sec = m
                .security_label(e.security)
                .map(|l| l.get(lang))
                .unwrap_or("");
            let _ = writeln!(out, "    {:<12} {sec}", s("explain.security"));
            let auth = m.auth_info(e.auth).map(|a| a.label.get(lang)).unwrap_or("");
            let _ = writeln!(out, "    {:<12} {auth}", s("explain.auth"));
            let user = if address.unicode() != address.ascii() {
                format!("{} ({})", address.unicode(), e.username)
            } else {
                e.username.clone()
            };
            let _ = writeln!(out, "    {:<12} {user}", s("explain.username"));
        }
    }
    if r.host.from_notice {
        let _ = writeln!(out, "\n{}", s("explain.from_notice"));
        if !r.host.alternatives.is_empty() {
            let alts: Vec<String> = r
                .host
                .alternatives
                .iter()
                .map(|a| {
                    crate::pattern::fill(
                        a,
                        address,
                        m.provider.shared_certificate_domain.get_ref(),
                        crate::pattern::Form::Unicode,
                    )
                })
                .collect();
            let _ = writeln!(out, "{}: {}", s("explain.alternatives"), alts.join(", "));
        }
    }
    if !r.warnings.is_empty() {
        let _ = writeln!(out, "\n{}", s("explain.warnings"));
        for id in &r.warnings {
            if let Some(w) = m.warning(id) {
                let _ = writeln!(
                    out,
                    "  ! {}: {}",
                    w.title.text(m, lang),
                    w.text.text(m, lang)
                );
            }
        }
    }
    out
}

/// Valid plan ids, for usage messages.
pub fn plan_choices(m: &Matrix) -> String {
    choices(&m.plan_ids())
}
