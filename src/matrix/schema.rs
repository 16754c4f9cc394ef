//! The settings matrix as written in `content/matrix.toml`.
//!
//! Field names mirror the file. `Spanned` wraps every value a validation rule may
//! need to point at; `deny_unknown_fields` turns a typo into a located error.

use serde::{Deserialize, Serialize};
use serde_spanned::Spanned;

pub use crate::data::{Id, Localized};

impl Localized {
    /// The text in `lang` with `{port:ID}` references filled in.
    pub fn text(&self, m: &MatrixData, lang: &str) -> String {
        super::expand_refs(m, self.get(lang))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Incoming,
    Outgoing,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Incoming => "incoming",
            Direction::Outgoing => "outgoing",
        }
    }
}

/// The contract's fixed vocabularies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    Pop3,
    Imap,
    Smtp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Pop3 => "pop3",
            Protocol::Imap => "imap",
            Protocol::Smtp => "smtp",
        }
    }
    pub fn direction(self) -> Direction {
        match self {
            Protocol::Pop3 | Protocol::Imap => Direction::Incoming,
            Protocol::Smtp => Direction::Outgoing,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Security {
    None,
    Starttls,
    SslTls,
}

impl Security {
    pub fn as_str(self) -> &'static str {
        match self {
            Security::None => "none",
            Security::Starttls => "starttls",
            Security::SslTls => "ssl-tls",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Auth {
    EncryptedPassword,
    Password,
    None,
}

impl Auth {
    pub fn as_str(self) -> &'static str {
        match self {
            Auth::EncryptedPassword => "encrypted-password",
            Auth::Password => "password",
            Auth::None => "none",
        }
    }
}

/// The settings whose values have names in the matrix (`{value:SETTING:VALUE}` in client
/// prose, the mappings of client files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Setting {
    Security,
    Auth,
    Protocol,
}

impl Setting {
    pub const ALL: [Setting; 3] = [Setting::Security, Setting::Auth, Setting::Protocol];

    pub fn as_str(self) -> &'static str {
        match self {
            Setting::Security => "security",
            Setting::Auth => "auth",
            Setting::Protocol => "protocol",
        }
    }

    pub fn parse(s: &str) -> Option<Setting> {
        Setting::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SslSupport {
    Unsupported,
    Supported,
    WithCertificate,
}

impl SslSupport {
    pub fn as_str(self) -> &'static str {
        match self {
            SslSupport::Unsupported => "unsupported",
            SslSupport::Supported => "supported",
            SslSupport::WithCertificate => "with-certificate",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Offered {
    Yes,
    No,
    GenerallyNo,
}

impl Offered {
    pub fn as_str(self) -> &'static str {
        match self {
            Offered::Yes => "yes",
            Offered::No => "no",
            Offered::GenerallyNo => "generally-no",
        }
    }
}

/// The settings matrix as written in the file, before validation. The rest of the program
/// sees it through [`super::Matrix`], which only the loader makes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixData {
    pub meta: Meta,
    pub provider: Provider,
    pub placeholders: Placeholders,
    #[serde(default)]
    pub related_manuals: Vec<RelatedManual>,
    pub protocols: Vec<ProtocolInfo>,
    pub security: Vec<Labelled<Security>>,
    pub auth: Vec<AuthInfo>,
    pub ssl_support: Vec<Labelled<SslSupport>>,
    pub ports: Vec<Port>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
    pub hosts: Vec<Host>,
    pub account: Account,
    pub servers: Vec<ServerSet>,
    pub variants: Vec<Variant>,
    pub plans: Vec<Plan>,
    pub ssl: SslText,
    #[serde(default)]
    pub certificate_options: Vec<CertificateOption>,
    #[serde(default)]
    pub sending_auth: Vec<SendingAuth>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub created: Spanned<toml::value::Datetime>,
    pub updated: Spanned<toml::value::Datetime>,
    pub disclaimer: Localized,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub name: Localized,
    pub shared_certificate_domain: Spanned<String>,
    pub example_address: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placeholders {
    pub address: Localized,
    pub domain: Localized,
    pub stem: Localized,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelatedManual {
    pub id: Id,
    pub label: Localized,
    pub url: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtocolInfo {
    pub id: Spanned<Protocol>,
    pub name: Localized,
    pub summary: Localized,
    pub recommended: bool,
    #[serde(default)]
    pub warnings: Vec<Id>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labelled<T> {
    pub id: Spanned<T>,
    pub label: Localized,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthInfo {
    pub id: Spanned<Auth>,
    pub label: Localized,
    pub summary: Localized,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Port {
    pub id: Id,
    /// Read as a wide integer so an out-of-range port is a validation error with a location.
    pub number: Spanned<i64>,
    pub direction: Direction,
    pub label: Localized,
    #[serde(default)]
    pub warnings: Vec<Id>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    pub id: Id,
    pub title: Localized,
    pub text: Localized,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Host {
    pub id: Id,
    pub pattern: Spanned<String>,
    /// The customer's mail settings notice states the exact name.
    #[serde(default)]
    pub from_notice: bool,
    #[serde(default)]
    pub alternatives: Vec<Spanned<String>>,
    pub note: Option<Localized>,
    /// Address used to show an example of this host; defaults to the provider's.
    pub example_address: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub username: Spanned<String>,
    pub note: Localized,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSet {
    pub id: Id,
    pub direction: Spanned<Direction>,
    #[serde(default)]
    pub warnings: Vec<Id>,
    pub options: Spanned<Vec<ServerOption>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerOption {
    pub protocol: Spanned<Protocol>,
    pub port: Id,
    pub security: Spanned<Security>,
    pub auth: Spanned<Auth>,
    #[serde(default)]
    pub recommended: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub id: Id,
    pub requires_ssl: bool,
    pub name: Localized,
    pub summary: Localized,
    #[serde(default)]
    pub warnings: Vec<Id>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub id: Id,
    pub group: Localized,
    pub name: Localized,
    pub ssl: Spanned<SslSupport>,
    pub variants: Vec<PlanVariant>,
    #[serde(default)]
    pub unavailable: Vec<Unavailable>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanVariant {
    pub variant: Id,
    pub host: Id,
    pub incoming: Id,
    pub outgoing: Id,
    #[serde(default)]
    pub warnings: Vec<Id>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unavailable {
    pub variant: Id,
    pub reason: Localized,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SslText {
    pub why: Localized,
    pub multiple_domains: Localized,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateOption {
    pub id: Id,
    pub variant: Id,
    pub plans: Vec<Id>,
    pub title: Localized,
    pub text: Localized,
    pub paid: bool,
    pub paid_note: Option<Localized>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendingAuth {
    pub id: Id,
    pub offered: Offered,
    pub name: Localized,
    pub text: Localized,
}
