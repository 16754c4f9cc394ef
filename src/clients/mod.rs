//! Mail clients: their UI labels and structure (`content/clients/*.toml`), checked
//! against the matrix so a guide can never lack a value the matrix uses.

mod coverage;
pub mod labels;
pub mod login;
mod schema;
pub mod setup_files;
mod validate;

pub use schema::*;

use std::collections::BTreeSet;
use std::path::Path;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::matrix::{Matrix, Protocol};
use crate::resolve::resolve;
use crate::toml_file;

pub const CLIENTS_DIR: &str = "content/clients";

/// A client that passed every rule, with its source kept for locations.
#[derive(Debug, Clone)]
pub struct LoadedClient {
    pub client: Client,
    pub source: SourceFile,
}

impl Client {
    pub fn field(&self, id: &str) -> Option<&Field> {
        self.screens
            .iter()
            .flat_map(|s| &s.fields)
            .find(|f| f.id.get_ref() == id)
    }
    /// The screen that holds a field.
    pub fn screen_of(&self, field: &str) -> Option<&Screen> {
        self.screens
            .iter()
            .find(|s| s.fields.iter().any(|f| f.id.get_ref() == field))
    }
    pub fn screen(&self, id: &str) -> Option<&Screen> {
        self.screens.iter().find(|s| s.id.get_ref() == id)
    }
    /// A navigation segment, screen or field: anything `{label:ID}` may name.
    pub fn labelled(&self, id: &str) -> Option<&dyn Labelled> {
        if let Some(f) = self.field(id) {
            return Some(f);
        }
        if let Some(s) = self.screen(id) {
            return Some(s);
        }
        self.editions
            .iter()
            .flat_map(|e| &e.navigation)
            .find(|n| n.id.get_ref() == id)
            .map(|n| n as &dyn Labelled)
    }
    /// Whether edition `edition` has a field showing `value` for a connection over `proto`
    /// (its direction or both, its protocols, its screen's editions and protocols), in a
    /// guide whose incoming protocol is `incoming` (screens are chosen by the guide's
    /// protocols: the POP3 form also holds the SMTP fields of a POP3 guide).
    /// `address_is_username`: the matrix's user name is the address, so a client that
    /// logs on with the address it asked for (no user name box) covers the user name.
    pub fn has_field(
        &self,
        edition: &str,
        (incoming, proto): (Protocol, Protocol),
        value: FieldValue,
        address_is_username: bool,
    ) -> bool {
        let protocols = [proto];
        let scope = Scope::edition(edition).over(&protocols);
        let guide = [incoming, Protocol::Smtp];
        let screens = Scope::edition(edition).over(&guide);
        self.screens
            .iter()
            .filter(|s| screens.admits(*s))
            .flat_map(|s| &s.fields)
            .any(|f| {
                (f.value == value
                    || (value == FieldValue::Username
                        && address_is_username
                        && f.value == FieldValue::Address))
                    && scope.admits(f)
                    && match f.direction {
                        Some(FieldDirection::Both) => true,
                        Some(FieldDirection::Incoming) => {
                            proto.direction() == crate::matrix::Direction::Incoming
                        }
                        Some(FieldDirection::Outgoing) => {
                            proto.direction() == crate::matrix::Direction::Outgoing
                        }
                        // An address box belongs to the account, not to one direction.
                        None => f.value == FieldValue::Address,
                    }
            })
    }
    /// The edition most customers have: the first of the first track (the one a guide
    /// opens with), or the first edition of a file without tracks.
    pub fn main_edition(&self) -> Option<&str> {
        let first = match self.tracks.first() {
            Some(t) => t.editions.get_ref().first(),
            None => self.editions.first().map(|e| &e.id),
        };
        first.map(|id| id.get_ref().as_str())
    }
    /// The mapping entry for a matrix value, as the coverage rule matches it.
    pub fn mapping_for(
        &self,
        edition: &str,
        setting: Setting,
        value: &str,
        protocol: Protocol,
    ) -> Option<&Mapping> {
        let protocols = [protocol];
        let scope = Scope::edition(edition).over(&protocols);
        self.mapping.iter().find(|m| {
            *m.setting.get_ref() == setting && m.value.get_ref() == value && scope.admits(*m)
        })
    }
}

/// Every `(setting, value, protocol)` the matrix uses, over all plans × offered variants.
pub fn used_values(m: &Matrix) -> BTreeSet<(Setting, String, Protocol)> {
    let mut used = BTreeSet::new();
    for plan in &m.plans {
        for pv in &plan.variants {
            let Ok(r) = resolve(m, plan.id.get_ref(), pv.variant.get_ref(), None) else {
                continue;
            };
            for e in r.incoming.iter().chain(&r.outgoing) {
                used.insert((
                    Setting::Protocol,
                    e.protocol.as_str().to_string(),
                    e.protocol,
                ));
                used.insert((
                    Setting::Security,
                    e.security.as_str().to_string(),
                    e.protocol,
                ));
                used.insert((Setting::Auth, e.auth.as_str().to_string(), e.protocol));
            }
        }
    }
    used
}

/// Loads `content/clients/*.toml` (an optional folder), validated against the matrix.
pub fn load(
    root: &Path,
    languages: &[String],
    matrix: Option<&Matrix>,
) -> Result<Vec<LoadedClient>, Diagnostics> {
    let dir = root.join(CLIENTS_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut problems = Diagnostics::new();
    let mut files = Vec::new();
    for entry in WalkDir::new(&dir).max_depth(1).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(Diagnostic::walk(root, &e));
                continue;
            }
        };
        let path = entry.path();
        let toml = path.extension().is_some_and(|e| e == "toml");
        if toml && entry.path_is_symlink() && entry.depth() > 0 {
            problems.push(Diagnostic::symlink(root, path));
        } else if entry.file_type().is_file() && toml {
            files.push(path.to_path_buf());
        }
    }
    // Each file is read and validated on its own (in parallel: the client files are most of
    // what a build parses); results are taken in file-name order.
    let parsed: Vec<Result<LoadedClient, Diagnostics>> = files
        .par_iter()
        .map(|path| {
            let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            let source = SourceFile::read(root, &rel).map_err(Diagnostics::from)?;
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let client = parse(&source, &stem, languages, matrix)?;
            Ok(LoadedClient { client, source })
        })
        .collect();
    for result in parsed {
        match result {
            Ok(loaded) => out.push(loaded),
            Err(d) => problems.extend(d),
        }
    }
    // In file-name order, so the same claim is always the one reported.
    problems.extend(setup_files::conflicts(&out));
    problems.into_result()?;
    out.sort_by(|a, b| {
        (a.client.weight, a.client.id.get_ref()).cmp(&(b.client.weight, b.client.id.get_ref()))
    });
    Ok(out)
}

/// Parses and validates one client file already in memory; `stem` is its file name
/// without `.toml` (the client id must equal it).
pub fn parse(
    source: &SourceFile,
    stem: &str,
    languages: &[String],
    matrix: Option<&Matrix>,
) -> Result<Client, Diagnostics> {
    let client: Client = toml_file::parse(source)?;
    validate::validate(&client, source, stem, languages, matrix).into_result()?;
    Ok(client)
}
