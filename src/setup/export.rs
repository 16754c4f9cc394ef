//! The JSON export of the matrix (`/api/settings.json`) that the browser resolves addresses
//! from: every plan and offered variant as [`resolve`] gives it without an address (host
//! and user-name patterns with the provider's part filled in), with labels and warnings in
//! every language. The browser only fills `{address}`, `{domain}` and `{stem}` in; which
//! options exist, their order and their warnings are decided here, once.
//!
//! The schema is documented in `docs/setup-files.md`; `format` changes when it changes
//! incompatibly.

use std::collections::BTreeMap;

use serde::Serialize;

use super::autoconfig;
use super::mobileconfig::{apple_account, AppleAccount};
use super::{guide_auth, AuthChoice};
use crate::clients::{LoadedClient, SetupFile};
use crate::data::Localized;
use crate::matrix::Matrix;
use crate::resolve::{resolve, Endpoint, Resolution};
use crate::urls;

/// The export's schema version.
pub const FORMAT: u32 = 1;

/// Language → text.
type Texts = BTreeMap<String, String>;

#[derive(Debug, Clone, Serialize)]
pub struct Export {
    pub format: u32,
    pub languages: Vec<String>,
    /// The provider's domain (the shared-certificate domain): the start of profile
    /// identifiers.
    pub provider_domain: String,
    /// Site path of the public-suffix groups: `{path}{group}.json`.
    pub public_suffixes: String,
    /// Labels of `protocol`, `security` and `auth` values: setting → value → texts.
    pub labels: BTreeMap<&'static str, BTreeMap<String, Texts>>,
    pub warnings: BTreeMap<String, WarningExport>,
    pub plans: Vec<PlanExport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WarningExport {
    pub title: Texts,
    pub text: Texts,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanExport {
    pub id: String,
    pub group: Texts,
    pub name: Texts,
    pub variants: Vec<VariantExport>,
    pub unavailable: Vec<UnavailableExport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnavailableExport {
    pub variant: String,
    pub name: Texts,
    pub reason: Texts,
}

#[derive(Debug, Clone, Serialize)]
pub struct VariantExport {
    pub id: String,
    pub name: Texts,
    /// `group › plan — variant`: the names setup files show.
    pub title: Texts,
    pub host: HostExport,
    pub incoming: Vec<EndpointExport>,
    pub outgoing: Vec<EndpointExport>,
    /// Warning ids, most specific first.
    pub warnings: Vec<String>,
    /// Site path of the Thunderbird autoconfig file, when one can serve every customer.
    pub autoconfig: Option<String>,
    /// The Apple profile's account type and switches (`mobileconfig::apple_account`),
    /// logging on as the guide of the client that claims the profile says.
    pub apple: AppleAccount,
}

#[derive(Debug, Clone, Serialize)]
pub struct HostExport {
    pub pattern: String,
    pub from_notice: bool,
    pub alternatives: Vec<String>,
    pub note: Option<Texts>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EndpointExport {
    pub protocol: &'static str,
    /// Host pattern: `mail.{domain}`, `{stem}.neoworks.jp`.
    pub host: String,
    pub port: u16,
    pub port_id: String,
    pub security: &'static str,
    pub auth: &'static str,
    /// User-name pattern: `{address}`.
    pub username: String,
    pub recommended: bool,
}

fn texts(m: &Matrix, l: &Localized, languages: &[String]) -> Texts {
    languages
        .iter()
        .map(|lang| (lang.clone(), l.text(m, lang)))
        .collect()
}

fn endpoint(e: &Endpoint) -> EndpointExport {
    EndpointExport {
        protocol: e.protocol.as_str(),
        host: e.host.clone(),
        port: e.port,
        port_id: e.port_id.clone(),
        security: e.security.as_str(),
        auth: e.auth.as_str(),
        username: e.username.clone(),
        recommended: e.recommended,
    }
}

/// The export of a validated matrix in the site's languages; `clients` say which guide
/// the Apple profile follows.
pub fn export(m: &Matrix, clients: &[LoadedClient], languages: &[String]) -> Export {
    let apple = guide_auth(m, clients, SetupFile::AppleProfile);
    let mut labels: BTreeMap<&'static str, BTreeMap<String, Texts>> = BTreeMap::new();
    for p in &m.protocols {
        labels
            .entry("protocol")
            .or_default()
            .insert(p.id.get_ref().as_str().into(), texts(m, &p.name, languages));
    }
    for s in &m.security {
        labels.entry("security").or_default().insert(
            s.id.get_ref().as_str().into(),
            texts(m, &s.label, languages),
        );
    }
    for a in &m.auth {
        labels.entry("auth").or_default().insert(
            a.id.get_ref().as_str().into(),
            texts(m, &a.label, languages),
        );
    }
    Export {
        format: FORMAT,
        languages: languages.to_vec(),
        provider_domain: m.provider.shared_certificate_domain.get_ref().clone(),
        public_suffixes: urls::public_suffixes_dir(),
        labels,
        warnings: m
            .warnings
            .iter()
            .map(|w| {
                let export = WarningExport {
                    title: texts(m, &w.title, languages),
                    text: texts(m, &w.text, languages),
                };
                (w.id.get_ref().clone(), export)
            })
            .collect(),
        plans: m
            .plans
            .iter()
            .map(|p| plan(m, p, languages, apple))
            .collect(),
    }
}

fn plan(
    m: &Matrix,
    p: &crate::matrix::Plan,
    languages: &[String],
    apple: AuthChoice<'_>,
) -> PlanExport {
    let id = p.id.get_ref();
    PlanExport {
        id: id.clone(),
        group: texts(m, &p.group, languages),
        name: texts(m, &p.name, languages),
        variants: p
            .variants
            .iter()
            .map(|pv| {
                let r = resolve(m, id, pv.variant.get_ref(), None).expect("offered variant");
                variant(m, &r, languages, apple)
            })
            .collect(),
        unavailable: p
            .unavailable
            .iter()
            .map(|u| {
                let v = m.variant(u.variant.get_ref()).expect("validated variant");
                UnavailableExport {
                    variant: u.variant.get_ref().clone(),
                    name: texts(m, &v.name, languages),
                    reason: texts(m, &u.reason, languages),
                }
            })
            .collect(),
    }
}

fn variant(
    m: &Matrix,
    r: &Resolution,
    languages: &[String],
    apple: AuthChoice<'_>,
) -> VariantExport {
    let info = m.variant(&r.variant).expect("resolved variant");
    let host = m.host(&r.host.id).expect("resolved host");
    let autoconfig = autoconfig::expressible(r)
        .ok()
        .map(|()| urls::autoconfig(&r.plan, &r.variant));
    VariantExport {
        id: r.variant.clone(),
        name: texts(m, &info.name, languages),
        title: languages
            .iter()
            .map(|l| (l.clone(), super::title(m, r, l)))
            .collect(),
        host: HostExport {
            pattern: r.host.pattern.clone(),
            from_notice: r.host.from_notice,
            alternatives: r.host.alternatives.clone(),
            note: host.note.as_ref().map(|n| texts(m, n, languages)),
        },
        incoming: r.incoming.iter().map(endpoint).collect(),
        outgoing: r.outgoing.iter().map(endpoint).collect(),
        warnings: r.warnings.clone(),
        autoconfig,
        apple: apple_account(r, apple),
    }
}

/// The export as the JSON file the build writes (compact: phones download it).
pub fn to_json(e: &Export) -> String {
    serde_json::to_string(e).expect("plain data serializes") + "\n"
}
