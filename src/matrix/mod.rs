//! The settings matrix: loading, validation and look-ups.

mod schema;
mod validate;

pub use schema::*;

use std::path::Path;

use crate::diag::{Diagnostics, SourceFile};
use crate::toml_file;

/// A matrix that passed every validation rule, with its source kept for locations.
#[derive(Debug, Clone)]
pub struct LoadedMatrix {
    pub matrix: Matrix,
    pub source: SourceFile,
}

/// Reads and validates `root/rel` against the site's languages.
pub fn load(root: &Path, rel: &Path, languages: &[String]) -> Result<LoadedMatrix, Diagnostics> {
    let source = SourceFile::read(root, rel)?;
    let matrix = parse(&source, languages)?;
    Ok(LoadedMatrix { matrix, source })
}

/// Parses and validates a matrix already in memory.
pub fn parse(source: &SourceFile, languages: &[String]) -> Result<Matrix, Diagnostics> {
    let data: MatrixData = toml_file::parse(source)?;
    validate::validate(&data, source, languages).into_result()?;
    Ok(Matrix(data))
}

/// A matrix that passed every validation rule. Only [`load`] and [`parse`] make one, so
/// whatever takes a `Matrix` ([`crate::resolve::resolve`], the views) may rely on its
/// references resolving; its data is read through `Deref`.
#[derive(Debug, Clone)]
pub struct Matrix(MatrixData);

impl std::ops::Deref for Matrix {
    type Target = MatrixData;
    fn deref(&self) -> &MatrixData {
        &self.0
    }
}

impl MatrixData {
    pub fn plan(&self, id: &str) -> Option<&Plan> {
        self.plans.iter().find(|p| p.id.get_ref() == id)
    }
    pub fn variant(&self, id: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.id.get_ref() == id)
    }
    pub fn port(&self, id: &str) -> Option<&Port> {
        self.ports.iter().find(|p| p.id.get_ref() == id)
    }
    pub fn host(&self, id: &str) -> Option<&Host> {
        self.hosts.iter().find(|h| h.id.get_ref() == id)
    }
    pub fn server_set(&self, id: &str) -> Option<&ServerSet> {
        self.servers.iter().find(|s| s.id.get_ref() == id)
    }
    pub fn login_policy(&self, id: &str) -> Option<&LoginPolicy> {
        self.logins.iter().find(|l| l.id.get_ref() == id)
    }
    pub fn warning(&self, id: &str) -> Option<&Warning> {
        self.warnings.iter().find(|w| w.id.get_ref() == id)
    }
    pub fn protocol(&self, p: Protocol) -> Option<&ProtocolInfo> {
        self.protocols.iter().find(|x| *x.id.get_ref() == p)
    }
    pub fn security_label(&self, s: Security) -> Option<&Localized> {
        self.security
            .iter()
            .find(|x| *x.id.get_ref() == s)
            .map(|x| &x.label)
    }
    pub fn auth_info(&self, a: Auth) -> Option<&AuthInfo> {
        self.auth.iter().find(|x| *x.id.get_ref() == a)
    }
    pub fn ssl_support_label(&self, s: SslSupport) -> Option<&Localized> {
        self.ssl_support
            .iter()
            .find(|x| *x.id.get_ref() == s)
            .map(|x| &x.label)
    }
    /// The manual's localized name for a value of `protocol`, `security` or `auth` (what
    /// `{value:SETTING:VALUE}` renders in client prose), or `None` when the setting is not
    /// one of those three or the matrix has no such value.
    pub fn value_label(&self, setting: Setting, value: &str) -> Option<&Localized> {
        match setting {
            Setting::Protocol => self
                .protocols
                .iter()
                .find(|p| p.id.get_ref().as_str() == value)
                .map(|p| &p.name),
            Setting::Security => self
                .security
                .iter()
                .find(|s| s.id.get_ref().as_str() == value)
                .map(|s| &s.label),
            Setting::Auth => self
                .auth
                .iter()
                .find(|a| a.id.get_ref().as_str() == value)
                .map(|a| &a.label),
        }
    }
    /// The values `{value:SETTING:…}` may name for a setting (empty for an unknown one).
    pub fn value_ids(&self, setting: Setting) -> Vec<&'static str> {
        match setting {
            Setting::Protocol => self
                .protocols
                .iter()
                .map(|p| p.id.get_ref().as_str())
                .collect(),
            Setting::Security => self
                .security
                .iter()
                .map(|s| s.id.get_ref().as_str())
                .collect(),
            Setting::Auth => self.auth.iter().map(|a| a.id.get_ref().as_str()).collect(),
        }
    }
    pub fn plan_ids(&self) -> Vec<&str> {
        self.plans.iter().map(|p| p.id.get_ref().as_str()).collect()
    }
}

impl Plan {
    pub fn offered(&self, variant: &str) -> Option<&PlanVariant> {
        self.variants
            .iter()
            .find(|v| v.variant.get_ref() == variant)
    }
    pub fn variant_ids(&self) -> Vec<&str> {
        self.variants
            .iter()
            .map(|v| v.variant.get_ref().as_str())
            .collect()
    }
}

/// Lists ids as `a, b, c` for "valid choices" messages.
pub fn choices(ids: &[&str]) -> String {
    ids.join(", ")
}

/// Fills `{port:ID}` references in a text with the port numbers of the matrix; an unknown
/// id is left as written (validation reports it).
pub fn expand_refs(m: &MatrixData, text: &str) -> String {
    let mut out = text.to_string();
    for id in crate::data::placeholder_refs(text, "port") {
        if let Some(p) = m.port(id) {
            out = out.replace(&format!("{{port:{id}}}"), &p.number.get_ref().to_string());
        }
    }
    out
}
