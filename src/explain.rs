//! `mailsite explain`: the settings for one address, for support staff on the phone.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::address::Address;
use crate::config::Config;
use crate::controls;
use crate::diag::Diagnostics;
use crate::matrix::{self, Matrix};
use crate::pattern;
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
}

/// The settings for one request: the data they were resolved from, and one resolution per
/// variant asked for.
pub struct Explanation {
    pub matrix: Matrix,
    pub strings: Strings,
    pub lang: String,
    pub address: Address,
    pub resolutions: Vec<Resolution>,
    /// One variant was asked for (JSON: an object, not an array).
    pub single: bool,
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

fn to_json(m: &Matrix, r: &Resolution, address: &Address, lang: &str) -> ExplainJson {
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

/// The settings for one request.
pub fn explain(root: &Path, req: &ExplainRequest) -> Result<Explanation, ExplainError> {
    // The request comes from the command line and is echoed (an unknown id, a malformed
    // address): a control character in it must not reach the terminal raw.
    explain_raw(root, req).map_err(|e| match e {
        ExplainError::Request(msg) => {
            ExplainError::Request(controls::escape_line(&msg).into_owned())
        }
        site => site,
    })
}

fn explain_raw(root: &Path, req: &ExplainRequest) -> Result<Explanation, ExplainError> {
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
    let m = loaded.matrix;
    let address = Address::parse(req.address).map_err(|e| ExplainError::Request(e.to_string()))?;
    let resolutions = match req.variant {
        Some(v) => vec![resolve(&m, req.plan, v, Some(&address))
            .map_err(|e| ExplainError::Request(e.to_string()))?],
        None => resolve_plan(&m, req.plan, Some(&address))
            .map_err(|e| ExplainError::Request(e.to_string()))?,
    };
    Ok(Explanation {
        matrix: m,
        strings,
        lang,
        address,
        resolutions,
        single: req.variant.is_some(),
    })
}

impl Explanation {
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => self.json(),
            Format::Text => self.text(),
        }
    }

    /// The contract's JSON: one object for one variant, an array for every variant.
    pub fn json(&self) -> String {
        let items: Vec<ExplainJson> = self
            .resolutions
            .iter()
            .map(|r| to_json(&self.matrix, r, &self.address, &self.lang))
            .collect();
        let text = if self.single {
            serde_json::to_string_pretty(&items[0])
        } else {
            serde_json::to_string_pretty(&items)
        };
        text.expect("plain data serializes") + "\n"
    }

    /// For people: labels in the request's language.
    pub fn text(&self) -> String {
        self.resolutions
            .iter()
            .map(|r| Text { x: self, r }.render())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The text of one resolution.
struct Text<'a> {
    x: &'a Explanation,
    r: &'a Resolution,
}

impl Text<'_> {
    fn s(&self, key: &str) -> &str {
        self.x.strings.require(&self.x.lang, key)
    }

    fn render(&self) -> String {
        let mut out = String::new();
        self.header(&mut out);
        for (heading, list) in [
            ("explain.incoming", &self.r.incoming),
            ("explain.outgoing", &self.r.outgoing),
        ] {
            let _ = writeln!(out, "\n{}", self.s(heading));
            for e in list {
                self.endpoint(&mut out, e);
            }
        }
        self.notice(&mut out);
        self.warnings(&mut out);
        out
    }

    fn header(&self, out: &mut String) {
        let (m, lang, r) = (&self.x.matrix, self.x.lang.as_str(), self.r);
        let plan = m.plan(&r.plan).expect("resolved plan");
        let variant = m.variant(&r.variant).expect("resolved variant");
        let _ = writeln!(
            out,
            "{}: {} › {} ({})",
            self.s("explain.plan"),
            plan.group.get(lang),
            plan.name.get(lang),
            r.plan
        );
        let _ = writeln!(
            out,
            "{}: {} ({})",
            self.s("explain.variant"),
            variant.name.get(lang),
            r.variant
        );
        let a = &self.x.address;
        let shown = if a.unicode() != a.ascii() {
            format!("{} ({})", a.unicode(), a.ascii())
        } else {
            a.ascii()
        };
        let _ = writeln!(out, "{}: {shown}", self.s("explain.address"));
    }

    fn endpoint(&self, out: &mut String, e: &Endpoint) {
        let (m, lang, a) = (&self.x.matrix, self.x.lang.as_str(), &self.x.address);
        let host = match &e.host_unicode {
            Some(u) => format!("{u} ({})", e.host),
            None => e.host.clone(),
        };
        let proto = m
            .protocol(e.protocol)
            .map(|p| p.name.get(lang))
            .unwrap_or("");
        let rec = if e.recommended {
            format!("  [{}]", self.s("explain.recommended"))
        } else {
            String::new()
        };
        let sec = m
            .security_label(e.security)
            .map(|l| l.get(lang))
            .unwrap_or("");
        let auth = m.auth_info(e.auth).map(|a| a.label.get(lang)).unwrap_or("");
        let user = if a.unicode() != a.ascii() {
            format!("{} ({})", a.unicode(), e.username)
        } else {
            e.username.clone()
        };
        let _ = writeln!(out, "  {proto}{rec}");
        for (key, value) in [
            ("explain.host", host),
            ("explain.port", e.port.to_string()),
            ("explain.security", sec.to_string()),
            ("explain.auth", auth.to_string()),
            ("explain.username", user),
        ] {
            let _ = writeln!(out, "    {:<12} {value}", self.s(key));
        }
    }

    fn notice(&self, out: &mut String) {
        let r = self.r;
        if !r.host.from_notice {
            return;
        }
        let _ = writeln!(out, "\n{}", self.s("explain.from_notice"));
        if r.host.alternatives.is_empty() {
            return;
        }
        let scd = self.x.matrix.provider.shared_certificate_domain.get_ref();
        let alts: Vec<String> = r
            .host
            .alternatives
            .iter()
            .map(|a| pattern::fill(a, &self.x.address, scd, pattern::Form::Unicode))
            .collect();
        let _ = writeln!(
            out,
            "{}: {}",
            self.s("explain.alternatives"),
            alts.join(", ")
        );
    }

    fn warnings(&self, out: &mut String) {
        let (m, lang) = (&self.x.matrix, self.x.lang.as_str());
        if self.r.warnings.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n{}", self.s("explain.warnings"));
        for w in self.r.warnings.iter().filter_map(|id| m.warning(id)) {
            let _ = writeln!(
                out,
                "  ! {}: {}",
                w.title.text(m, lang),
                w.text.text(m, lang)
            );
        }
    }
}
