//! A mail client's UI as written in `content/clients/*.toml` (see its README).
//!
//! Labels and structure only: no port, host or provider fact lives here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_spanned::Spanned;

pub use crate::matrix::Setting;
use crate::matrix::{Id, Localized, Mechanism, Protocol};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    Confirmed,
    Likely,
    Unverified,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shown {
    Exact,
    English,
    Description,
}

pub type PerLanguage<T> = Spanned<BTreeMap<String, T>>;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    pub id: Id,
    pub weight: i64,
    pub name: Localized,
    pub versions: Localized,
    pub summary: Localized,
    /// The setup files made for this client: their login method is the one this guide
    /// tells customers to choose (one client per file; see `setup::guide_auth`).
    #[serde(default)]
    pub setup_files: Vec<Spanned<SetupFile>>,
    pub editions: Vec<Edition>,
    /// Editions whose steps agree share one list of steps (a track); without tracks, each
    /// edition is its own.
    #[serde(default)]
    pub tracks: Vec<Track>,
    #[serde(default)]
    pub screens: Vec<Screen>,
    #[serde(default)]
    pub steps: Vec<Step>,
    #[serde(default)]
    pub mapping: Vec<Mapping>,
    #[serde(default)]
    pub caveats: Vec<Caveat>,
    #[serde(default)]
    pub expectations: Vec<Expectation>,
    #[serde(default)]
    pub troubleshooting: Vec<Trouble>,
}

/// A setup file a client file may claim (`setup_files`): the file then says what that
/// client's guide says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SetupFile {
    /// The Apple configuration profile (`.mobileconfig`), also the export's `apple`.
    AppleProfile,
    /// Thunderbird's `config-v1.1.xml`.
    Autoconfig,
    /// Outlook's Autodiscover (POX) response.
    Autodiscover,
}

impl SetupFile {
    pub fn as_str(self) -> &'static str {
        match self {
            SetupFile::AppleProfile => "apple-profile",
            SetupFile::Autoconfig => "autoconfig",
            SetupFile::Autodiscover => "autodiscover",
        }
    }
}

/// The client-label keys every quoted piece of UI carries.
pub trait Labelled {
    fn label(&self) -> Option<&Localized>;
    fn confidence(&self) -> Option<&PerLanguage<Confidence>>;
    fn shown(&self) -> Option<&PerLanguage<Shown>>;
    /// The `shown` of `lang`, `exact` by default.
    fn shown_in(&self, lang: &str) -> Shown {
        self.shown()
            .and_then(|s| s.get_ref().get(lang).copied())
            .unwrap_or(Shown::Exact)
    }
}

macro_rules! labelled {
    ($t:ty, opt) => {
        impl Labelled for $t {
            fn label(&self) -> Option<&Localized> {
                self.label.as_ref()
            }
            fn confidence(&self) -> Option<&PerLanguage<Confidence>> {
                Some(&self.confidence)
            }
            fn shown(&self) -> Option<&PerLanguage<Shown>> {
                self.shown.as_ref()
            }
        }
    };
    ($t:ty) => {
        impl Labelled for $t {
            fn label(&self) -> Option<&Localized> {
                Some(&self.label)
            }
            fn confidence(&self) -> Option<&PerLanguage<Confidence>> {
                Some(&self.confidence)
            }
            fn shown(&self) -> Option<&PerLanguage<Shown>> {
                self.shown.as_ref()
            }
        }
    };
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    pub id: Id,
    pub name: Localized,
    pub versions: Localized,
    #[serde(default)]
    pub navigation: Vec<NavSegment>,
}

/// Editions that differ only in where a screen is: one list of steps, the differences said
/// inline. The first edition is the one most customers have.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Track {
    pub id: Id,
    pub name: Localized,
    pub editions: Spanned<Vec<Id>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NavSegment {
    pub id: Id,
    pub label: Localized,
    pub confidence: PerLanguage<Confidence>,
    pub shown: Option<PerLanguage<Shown>>,
    pub source: Option<String>,
}
labelled!(NavSegment);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Create,
    Edit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    Form,
    List,
    Picker,
}

impl Layout {
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Form => "form",
            Layout::List => "list",
            Layout::Picker => "picker",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Screen {
    pub id: Id,
    pub role: Role,
    pub layout: Layout,
    pub label: Localized,
    pub confidence: PerLanguage<Confidence>,
    pub shown: Option<PerLanguage<Shown>>,
    pub source: Option<String>,
    pub note: Option<Localized>,
    pub editions: Option<Vec<Id>>,
    pub protocols: Option<Vec<Protocol>>,
    #[serde(default)]
    pub fields: Vec<Field>,
}
labelled!(Screen);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Control {
    Heading,
    Text,
    Password,
    Checkbox,
    Toggle,
    Dropdown,
    Radio,
    Segmented,
    Picker,
    Button,
    Row,
}

impl Control {
    pub fn as_str(self) -> &'static str {
        match self {
            Control::Heading => "heading",
            Control::Text => "text",
            Control::Password => "password",
            Control::Checkbox => "checkbox",
            Control::Toggle => "toggle",
            Control::Dropdown => "dropdown",
            Control::Radio => "radio",
            Control::Segmented => "segmented",
            Control::Picker => "picker",
            Control::Button => "button",
            Control::Row => "row",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldValue {
    Host,
    Port,
    Username,
    Password,
    Security,
    Auth,
    Protocol,
    Address,
    DisplayName,
    Fixed,
    Free,
}

impl FieldValue {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldValue::Host => "host",
            FieldValue::Port => "port",
            FieldValue::Username => "username",
            FieldValue::Password => "password",
            FieldValue::Security => "security",
            FieldValue::Auth => "auth",
            FieldValue::Protocol => "protocol",
            FieldValue::Address => "address",
            FieldValue::DisplayName => "display-name",
            FieldValue::Fixed => "fixed",
            FieldValue::Free => "free",
        }
    }
    /// Values that belong to one connection and so need a `direction`.
    pub fn needs_direction(self) -> bool {
        matches!(
            self,
            FieldValue::Host
                | FieldValue::Port
                | FieldValue::Username
                | FieldValue::Password
                | FieldValue::Security
                | FieldValue::Auth
                | FieldValue::Protocol
        )
    }
    /// The `setting()` field that fills it from the matrix, if any.
    pub fn setting(self) -> Option<&'static str> {
        match self {
            FieldValue::Host => Some("host"),
            FieldValue::Port => Some("port"),
            FieldValue::Username => Some("username"),
            FieldValue::Security => Some("security"),
            FieldValue::Auth => Some("auth"),
            FieldValue::Protocol => Some("protocol"),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldDirection {
    Incoming,
    Outgoing,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    On,
    Off,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::On => "on",
            State::Off => "off",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub id: Id,
    pub control: Control,
    pub value: FieldValue,
    pub direction: Option<FieldDirection>,
    pub protocols: Option<Vec<Protocol>>,
    pub state: Option<State>,
    pub opens: Option<Id>,
    pub note: Option<Localized>,
    pub label: Localized,
    pub confidence: PerLanguage<Confidence>,
    pub shown: Option<PerLanguage<Shown>>,
    pub source: Option<String>,
}
labelled!(Field);

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Steps of one track with the same `alt` are one step, said per edition.
    pub alt: Option<Id>,
    pub text: Localized,
    pub screen: Option<Id>,
    #[serde(default)]
    pub fields: Vec<Id>,
    pub editions: Option<Vec<Id>>,
    pub protocols: Option<Vec<Protocol>>,
    /// Only in the guides of these variants (a prompt that only a server without SSL
    /// brings up, for instance).
    pub variants: Option<Vec<Id>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Support {
    Control,
    Automatic,
    Unsupported,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub setting: Spanned<Setting>,
    pub value: Spanned<String>,
    pub support: Support,
    pub editions: Option<Vec<Id>>,
    pub protocols: Option<Vec<Protocol>>,
    pub control: Option<Control>,
    #[serde(default)]
    pub fields: Vec<Id>,
    pub state: Option<State>,
    /// For `auth`: what the client sends when this entry is chosen (cram-md5, apop, plain,
    /// ntlm). Whether the guide tells customers to choose it is computed from this and from
    /// what the servers accept.
    #[serde(default)]
    pub mechanisms: Vec<Mechanism>,
    pub label: Option<Localized>,
    pub confidence: PerLanguage<Confidence>,
    pub shown: Option<PerLanguage<Shown>>,
    pub source: Option<String>,
    pub note: Option<Localized>,
    pub reason: Option<Localized>,
    pub instead: Option<Localized>,
    #[serde(default)]
    pub alternatives: Vec<Alternative>,
}
labelled!(Mapping, opt);

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    pub versions: Localized,
    pub label: Localized,
    pub confidence: PerLanguage<Confidence>,
    pub shown: Option<PerLanguage<Shown>>,
    pub source: Option<String>,
}
labelled!(Alternative);

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Caveat {
    pub id: Id,
    pub title: Localized,
    pub text: Localized,
    pub wrong: Option<Wrong>,
    #[serde(default)]
    pub fields: Vec<Id>,
    pub editions: Option<Vec<Id>>,
    pub variants: Option<Vec<Id>>,
    pub protocols: Option<Vec<Protocol>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    pub label: Localized,
    pub confidence: PerLanguage<Confidence>,
    pub shown: Option<PerLanguage<Shown>>,
    pub source: Option<String>,
    /// A variant of the message (e.g. a time-out), localized.
    pub note: Option<Localized>,
}
labelled!(Message);

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub id: Id,
    pub when: Localized,
    pub text: Localized,
    pub message: Option<Message>,
    pub variants: Option<Vec<Id>>,
    pub editions: Option<Vec<Id>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub field: Id,
    pub state: Option<State>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trouble {
    pub id: Id,
    pub symptom: Localized,
    pub cause: Localized,
    pub fix: Localized,
    /// The wrong value the cause names: the item is shown only where the right value
    /// differs, and `{wrong}` in its texts prints that value, marked.
    pub wrong: Option<Wrong>,
    pub message: Option<Message>,
    #[serde(default)]
    pub changes: Vec<Change>,
    #[serde(default)]
    pub warnings: Vec<Id>,
    pub variants: Option<Vec<Id>>,
    pub editions: Option<Vec<Id>>,
    pub protocols: Option<Vec<Protocol>>,
}

/// A value a customer may have set by mistake, named by advice.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wrong {
    pub setting: Spanned<WrongSetting>,
    pub direction: crate::matrix::Direction,
    /// A value id of the setting (`starttls`, `password`, `pop3`), or a port id.
    pub value: Spanned<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WrongSetting {
    Security,
    Auth,
    Protocol,
    Port,
}

impl WrongSetting {
    pub fn as_str(self) -> &'static str {
        match self {
            WrongSetting::Security => "security",
            WrongSetting::Auth => "auth",
            WrongSetting::Protocol => "protocol",
            WrongSetting::Port => "port",
        }
    }
}

/// The optional filters of a client-file table (`editions`, `protocols`, `variants`);
/// an absent filter applies everywhere.
pub trait Scoped {
    fn editions(&self) -> Option<&[Id]> {
        None
    }
    fn protocols(&self) -> Option<&[Protocol]> {
        None
    }
    fn variants(&self) -> Option<&[Id]> {
        None
    }
}

macro_rules! scoped {
    ($t:ty { $($filter:ident),* }) => {
        impl Scoped for $t {
            $(scoped!(@ $filter);)*
        }
    };
    (@ editions) => {
        fn editions(&self) -> Option<&[Id]> {
            self.editions.as_deref()
        }
    };
    (@ protocols) => {
        fn protocols(&self) -> Option<&[Protocol]> {
            self.protocols.as_deref()
        }
    };
    (@ variants) => {
        fn variants(&self) -> Option<&[Id]> {
            self.variants.as_deref()
        }
    };
}

scoped!(Screen {
    editions,
    protocols
});
scoped!(Field { protocols });
scoped!(Step {
    editions,
    protocols,
    variants
});
scoped!(Mapping {
    editions,
    protocols
});
scoped!(Caveat {
    editions,
    protocols,
    variants
});
scoped!(Expectation { editions, variants });
scoped!(Trouble {
    editions,
    protocols,
    variants
});

/// Where a table must apply to be used: one edition, any of some protocols (a guide's
/// incoming protocol and SMTP, or one connection's), and optionally one variant (`None`
/// = any variant, as validation looks at a file).
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub edition: &'a str,
    pub protocols: &'a [Protocol],
    pub variant: Option<&'a str>,
}

impl<'a> Scope<'a> {
    /// One edition, every protocol, any variant.
    pub fn edition(edition: &'a str) -> Self {
        Scope {
            edition,
            protocols: &[Protocol::Pop3, Protocol::Imap, Protocol::Smtp],
            variant: None,
        }
    }
    /// The same scope over these protocols only.
    pub fn over(self, protocols: &'a [Protocol]) -> Self {
        Scope { protocols, ..self }
    }
    /// The same scope for one variant.
    pub fn variant(self, variant: &'a str) -> Self {
        Scope {
            variant: Some(variant),
            ..self
        }
    }
    pub fn admits(&self, item: &(impl Scoped + ?Sized)) -> bool {
        let named = |filter: Option<&[Id]>, id: &str| {
            filter.is_none_or(|f| f.iter().any(|x| x.get_ref() == id))
        };
        named(item.editions(), self.edition)
            && self.variant.is_none_or(|v| named(item.variants(), v))
            && item
                .protocols()
                .is_none_or(|f| self.protocols.iter().any(|p| f.contains(p)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Filters {
        editions: Option<Vec<Id>>,
        protocols: Option<Vec<Protocol>>,
        variants: Option<Vec<Id>>,
    }
    scoped!(Filters {
        editions,
        protocols,
        variants
    });

    fn ids(list: &[&str]) -> Option<Vec<Id>> {
        Some(
            list.iter()
                .map(|s| Spanned::new(0..0, s.to_string()))
                .collect(),
        )
    }

    #[test]
    fn a_scope_admits_what_every_filter_allows() {
        let open = Filters {
            editions: None,
            protocols: None,
            variants: None,
        };
        let narrow = Filters {
            editions: ids(&["new"]),
            protocols: Some(vec![Protocol::Imap]),
            variants: ids(&["ssl"]),
        };
        let guide = [Protocol::Pop3, Protocol::Smtp];
        let scope = Scope::edition("new").over(&guide).variant("ssl");
        assert!(scope.admits(&open));
        assert!(
            !scope.admits(&narrow),
            "IMAP only, the guide is POP3 + SMTP"
        );
        let imap = [Protocol::Imap, Protocol::Smtp];
        assert!(scope.over(&imap).admits(&narrow));
        assert!(!scope.over(&imap).variant("plain").admits(&narrow));
        assert!(!Scope::edition("classic").over(&imap).admits(&narrow));
        // Validation looks at a file: any variant.
        assert!(Scope::edition("new").admits(&narrow));
    }
}
