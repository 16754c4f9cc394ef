//! What every view is made of: a server option resolved for one plan and variant
//! ([`EndpointView`]), a warning, a pattern as people read it, a date in the language.

use serde::Serialize;

use super::Views;
use crate::data::Id;
use crate::pattern;
use crate::resolve::{Endpoint, Resolution};

/// One row of a settings table; `setting()` in templates turns its fields into marked-up values.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointView {
    pub plan: String,
    pub variant: String,
    pub direction: String,
    pub protocol: String,
    pub protocol_name: String,
    pub host: String,
    pub host_display: String,
    pub port: u16,
    pub port_id: String,
    /// Another option of this direction speaks the same protocol: markers name the option
    /// by its port id (`data-port`); otherwise the protocol says which one it is.
    pub shares_protocol: bool,
    pub port_label: String,
    pub security: String,
    pub security_label: String,
    pub auth: String,
    pub auth_label: String,
    pub username: String,
    pub username_display: String,
    pub recommended: bool,
    pub warnings: Vec<WarningView>,
    /// The other login methods the server accepts here, for mail apps without `auth`.
    pub also_accepted: AlsoAccepted,
}

/// Login methods a connection accepts besides the recommended one, by their labels; and
/// whether one of them sends the password readable on it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AlsoAccepted {
    pub labels: Vec<String>,
    pub readable: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct WarningView {
    pub id: String,
    pub title: String,
    pub text: String,
}

impl Views<'_> {
    /// A pattern as people read it: `mail.{domain}` → `mail.ドメイン名`.
    pub fn display(&self, pattern: &str) -> String {
        let m = self.m;
        let words = pattern::Words {
            address: m.placeholders.address.get(self.lang),
            domain: m.placeholders.domain.get(self.lang),
            stem: m.placeholders.stem.get(self.lang),
        };
        pattern::display(
            pattern,
            words,
            m.provider.shared_certificate_domain.get_ref(),
        )
    }

    /// A TOML date in the language's `date.format` (`{y}`, `{m}`, `{d}`, `{month}`).
    pub fn date(&self, date: &toml::value::Datetime) -> String {
        let Some(d) = date.date else {
            return date.to_string();
        };
        let format = self.strings.require(self.lang, "date.format");
        let month_name = self
            .strings
            .require(self.lang, "date.months")
            .split(',')
            .nth(usize::from(d.month).saturating_sub(1))
            .unwrap_or("")
            .trim();
        format
            .replace("{y}", &d.year.to_string())
            .replace("{month}", month_name)
            .replace("{m}", &d.month.to_string())
            .replace("{d}", &d.day.to_string())
    }

    pub fn warning(&self, id: &str) -> WarningView {
        let w = self.m.warning(id).expect("validated warning reference");
        WarningView {
            id: id.to_string(),
            title: self.t(&w.title),
            text: self.t(&w.text),
        }
    }

    pub(super) fn warnings(&self, ids: &[Id]) -> Vec<WarningView> {
        ids.iter().map(|id| self.warning(id.get_ref())).collect()
    }

    pub fn endpoint(&self, r: &Resolution, e: &Endpoint) -> EndpointView {
        let m = self.m;
        let proto = m.protocol(e.protocol).expect("validated protocol");
        let port = m.port(&e.port_id).expect("validated port");
        let address_given = r.address.is_some();
        EndpointView {
            plan: r.plan.clone(),
            variant: r.variant.clone(),
            direction: e.direction.as_str().to_string(),
            protocol: e.protocol.as_str().to_string(),
            protocol_name: self.t(&proto.name),
            host: e.host.clone(),
            host_display: if address_given {
                e.host_unicode.clone().unwrap_or_else(|| e.host.clone())
            } else {
                self.display(&e.host_pattern)
            },
            port: e.port,
            port_id: e.port_id.clone(),
            shares_protocol: r
                .incoming
                .iter()
                .chain(&r.outgoing)
                .filter(|o| o.direction == e.direction && o.protocol == e.protocol)
                .count()
                > 1,
            port_label: self.t(&port.label),
            security: e.security.as_str().to_string(),
            security_label: m
                .security_label(e.security)
                .map(|l| self.t(l))
                .unwrap_or_default(),
            auth: e.auth.as_str().to_string(),
            auth_label: m
                .auth_info(e.auth)
                .map(|a| self.t(&a.label))
                .unwrap_or_default(),
            username: e.username.clone(),
            username_display: if address_given {
                e.username.clone()
            } else {
                self.display(&e.username)
            },
            recommended: e.recommended,
            warnings: {
                let mut ids = port.warnings.clone();
                ids.extend(proto.warnings.iter().cloned());
                self.warnings(&ids)
            },
            also_accepted: {
                let (methods, readable) = e.also_accepted(m);
                AlsoAccepted {
                    labels: methods
                        .into_iter()
                        .filter_map(|a| m.auth_info(a))
                        .map(|a| self.t(&a.label))
                        .collect(),
                    readable,
                }
            },
        }
    }
}
