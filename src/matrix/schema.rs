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

/// What a mail client sends when it logs on: the engine's fixed vocabulary of login
/// mechanisms, which both the servers' policy and the clients' capabilities are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mechanism {
    /// SASL CRAM-MD5: the password is not sent (Thunderbird "Encrypted password", Apple
    /// "MD5 Challenge-Response").
    CramMd5,
    /// POP3 APOP: the password is not sent; POP3 only.
    Apop,
    /// The password itself (SASL PLAIN/LOGIN, POP3 USER/PASS, IMAP LOGIN): readable on a
    /// connection without TLS.
    Plain,
    /// Windows NTLM (Outlook's "SPA").
    Ntlm,
}

impl Mechanism {
    pub fn as_str(self) -> &'static str {
        match self {
            Mechanism::CramMd5 => "cram-md5",
            Mechanism::Apop => "apop",
            Mechanism::Plain => "plain",
            Mechanism::Ntlm => "ntlm",
        }
    }

    /// Whether the mechanism exists for a protocol (APOP is POP3's own).
    pub fn applies_to(self, protocol: Protocol) -> bool {
        self != Mechanism::Apop || protocol == Protocol::Pop3
    }

    /// Whether the password travels readable unless the connection is encrypted.
    pub fn sends_password(self) -> bool {
        self == Mechanism::Plain
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
    /// What the servers accept at login.
    #[serde(default)]
    pub logins: Vec<LoginPolicy>,
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
    /// Where customers get help; every "contact us" on a page links to it.
    pub support: Option<Spanned<Support>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Support {
    /// What the contact is called on a page (「サポート窓口」).
    pub name: Localized,
    pub url: Option<Spanned<String>>,
    pub phone: Option<Spanned<String>>,
    pub hours: Option<Localized>,
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
    /// What a client that chooses this method sends (none for `none`).
    #[serde(default)]
    pub mechanisms: Vec<Spanned<Mechanism>>,
}

/// What the mail servers accept at login.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginPolicy {
    pub id: Id,
    pub accepts: Spanned<Vec<Mechanism>>,
    /// Whether a readable password ([`Mechanism::Plain`]) is accepted on a connection
    /// without TLS too.
    pub plain_without_tls: bool,
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
    /// The login policy of its options (`[[logins]]`); required when they authenticate.
    pub login: Option<Id>,
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
