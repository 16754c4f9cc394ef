//! UI strings (navigation, headings, labels): `content/i18n/{lang}.toml`.
//!
//! Nested tables are flattened to dotted keys (`[nav] home = "…"` → `nav.home`), and
//! every language must define the same keys.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use foldhash::fast::FixedState;
use toml::de::{DeTable, DeValue};

use crate::diag::{display_path, Diagnostic, Diagnostics, Kind, SourceFile};

pub const STRINGS_DIR: &str = "content/i18n";

/// Dotted key → (text, byte offset of the key in its file).
type Located = BTreeMap<String, (String, usize)>;

/// One language's strings: key → text (hashed: templates ask for strings on every page;
/// nothing lists them in order).
pub type Catalog = HashMap<String, String, FixedState>;

/// Strings per language, all with identical key sets.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    pub catalogs: BTreeMap<String, Catalog>,
}

impl Strings {
    pub fn load(root: &Path, languages: &[String]) -> Result<Strings, Diagnostics> {
        let mut problems = Diagnostics::new();
        let mut loaded: Vec<(String, SourceFile, Located)> = Vec::new();
        for lang in languages {
            let rel = PathBuf::from(STRINGS_DIR).join(format!("{lang}.toml"));
            let source = match SourceFile::read(root, &rel) {
                Ok(s) => s,
                Err(d) => {
                    problems.push(
                        Diagnostic::file(
                            d.path,
                            format!(
                                "{}: the UI strings for language `{lang}` are missing",
                                d.message
                            ),
                        )
                        .with_kind(Kind::MissingTranslation),
                    );
                    continue;
                }
            };
            match flatten(&source) {
                Ok(entries) => loaded.push((lang.clone(), source, entries)),
                Err(d) => problems.extend(d),
            }
        }
        // Key sets must agree: name the language that lacks a key, and where the key is defined.
        for (lang, source, entries) in &loaded {
            for (other_lang, other_source, other_entries) in &loaded {
                if lang == other_lang {
                    continue;
                }
                for (key, (_, offset)) in other_entries {
                    if !entries.contains_key(key) {
                        let (line, col) = other_source.line_col(*offset);
                        problems.push(Diagnostic::file(
                            source.path.clone(),
                            format!(
                                "missing translation: no `{key}` in language `{lang}` (defined for `{other_lang}` at {}:{line}:{col})",
                                other_source.path
                            ),
                        ).with_kind(Kind::MissingTranslation));
                    }
                }
            }
        }
        problems.into_result()?;
        let catalogs = loaded
            .into_iter()
            .map(|(lang, _, entries)| {
                (
                    lang,
                    entries.into_iter().map(|(k, (v, _))| (k, v)).collect(),
                )
            })
            .collect();
        Ok(Strings { catalogs })
    }

    pub fn get(&self, lang: &str, key: &str) -> Option<&str> {
        self.catalogs.get(lang)?.get(key).map(String::as_str)
    }

    /// A UI string the engine itself uses: listed in [`ENGINE_KEYS`] and so checked at load
    /// time ([`Strings::missing_engine_keys`]); a page never shows a blank in its place.
    pub fn require(&self, lang: &str, key: &str) -> &str {
        debug_assert!(
            ENGINE_KEYS.iter().any(|(k, _)| *k == key),
            "`{key}` is used by the engine but not listed in ENGINE_KEYS"
        );
        self.get(lang, key).unwrap_or_default()
    }

    /// A located error for every [`ENGINE_KEYS`] entry this site needs and a language lacks.
    pub fn missing_engine_keys(&self, root: &Path, needs: &[Needed]) -> Diagnostics {
        let mut problems = Diagnostics::new();
        for (lang, catalog) in &self.catalogs {
            let rel = PathBuf::from(STRINGS_DIR).join(format!("{lang}.toml"));
            let source = SourceFile::read(root, &rel).ok();
            for (key, needed) in ENGINE_KEYS {
                if !needs.contains(needed) || catalog.contains_key(*key) {
                    continue;
                }
                let path = display_path(&rel);
                let (line, column) = source.as_ref().map_or((1, 1), |src| table_of(src, key));
                problems.push(Diagnostic::new(
                    path,
                    line,
                    column,
                    format!(
                        "missing UI string `{key}`: the engine uses it {} (add it to every language)",
                        needed.purpose()
                    ),
                ).with_kind(Kind::MissingTranslation));
            }
        }
        problems
    }

    pub fn catalog(&self, lang: &str) -> Option<&Catalog> {
        self.catalogs.get(lang)
    }
}

/// One language's strings file on its own (no comparison with the other languages).
pub fn parse(source: &SourceFile) -> Result<Catalog, Diagnostics> {
    Ok(flatten(source)?
        .into_iter()
        .map(|(k, (v, _))| (k, v))
        .collect())
}

/// Dotted key → (text, byte offset of the key).
fn flatten(source: &SourceFile) -> Result<Located, Diagnostics> {
    crate::toml_file::document(source, &source.text, 0, |table| {
        let mut out = BTreeMap::new();
        let mut problems = Diagnostics::new();
        walk(source, "", table.get_ref(), &mut out, &mut problems);
        problems.into_result()?;
        Ok(out)
    })
}

fn walk(
    source: &SourceFile,
    prefix: &str,
    table: &DeTable<'_>,
    out: &mut Located,
    problems: &mut Diagnostics,
) {
    for (key, value) in table {
        let name = if prefix.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{prefix}.{}", key.get_ref())
        };
        match value.get_ref() {
            DeValue::String(s) => {
                out.insert(name, (s.to_string(), key.span().start));
            }
            DeValue::Table(t) => walk(source, &name, t, out, problems),
            _ => problems.push(Diagnostic::at(
                source,
                value.span(),
                format!("UI string `{name}` must be text (a quoted string) or a table of them"),
            )),
        }
    }
}

/// When the engine needs a UI string of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needed {
    /// On every site.
    Always,
    /// On sites with a settings matrix (plan pages, `explain`).
    WithMatrix,
    /// On sites with mail-client guides.
    WithClients,
}

impl Needed {
    fn purpose(self) -> &'static str {
        match self {
            Needed::Always => "on every site",
            Needed::WithMatrix => "on every site with a settings matrix",
            Needed::WithClients => "on every site with mail-client guides",
        }
    }
}

/// Every UI string the engine reads itself (templates name theirs with `t()`, which fails
/// the render when a key is missing).
pub const ENGINE_KEYS: &[(&str, Needed)] = &[
    ("site.title", Needed::Always),
    ("site.description", Needed::Always),
    ("language.name", Needed::Always),
    ("date.format", Needed::WithMatrix),
    ("date.months", Needed::WithMatrix),
    ("plan.description", Needed::WithMatrix),
    ("which.shared_certificate", Needed::WithMatrix),
    ("which.ssl", Needed::WithMatrix),
    ("which.lead", Needed::WithMatrix),
    ("which.lead_ports", Needed::WithMatrix),
    ("which.otherwise", Needed::WithMatrix),
    ("which.otherwise_one", Needed::WithMatrix),
    ("which.ask", Needed::WithMatrix),
    ("which.port_sep", Needed::WithMatrix),
    ("which.lost", Needed::WithMatrix),
    ("availability.yes", Needed::WithMatrix),
    ("availability.no", Needed::WithMatrix),
    ("explain.plan", Needed::WithMatrix),
    ("explain.variant", Needed::WithMatrix),
    ("explain.address", Needed::WithMatrix),
    ("explain.incoming", Needed::WithMatrix),
    ("explain.outgoing", Needed::WithMatrix),
    ("explain.recommended", Needed::WithMatrix),
    ("explain.host", Needed::WithMatrix),
    ("explain.port", Needed::WithMatrix),
    ("explain.security", Needed::WithMatrix),
    ("explain.auth", Needed::WithMatrix),
    ("explain.username", Needed::WithMatrix),
    ("explain.from_notice", Needed::WithMatrix),
    ("explain.alternatives", Needed::WithMatrix),
    ("explain.warnings", Needed::WithMatrix),
    ("your_settings.title", Needed::WithMatrix),
    ("your_settings.description", Needed::WithMatrix),
    ("client.description", Needed::WithClients),
    ("client.guide_title", Needed::WithClients),
    ("client.guide_description", Needed::WithClients),
    ("client.nav_sep", Needed::WithClients),
    ("client.quote_open", Needed::WithClients),
    ("client.quote_close", Needed::WithClients),
    ("client.value_open", Needed::WithClients),
    ("client.value_close", Needed::WithClients),
    ("client.edition_sep", Needed::WithClients),
    ("client.editions_sep", Needed::WithClients),
    ("punct.list_sep", Needed::WithClients),
    ("punct.paren_open", Needed::WithClients),
    ("punct.paren_close", Needed::WithClients),
    ("punct.sentence_sep", Needed::WithClients),
    ("login.fallback", Needed::WithClients),
    ("login.readable", Needed::WithClients),
    ("login.use_ssl", Needed::WithClients),
    ("login.impossible", Needed::WithClients),
    ("login.impossible_apps", Needed::WithClients),
    ("login.impossible_contact", Needed::WithClients),
];

/// Where a missing dotted key belongs: the header of its table (`[client]` for
/// `client.guide_title`) when the file has one, else the file's start.
fn table_of(source: &SourceFile, key: &str) -> (usize, usize) {
    let table = key.rsplit_once('.').map_or("", |(t, _)| t);
    let header = format!("[{table}]");
    source
        .text
        .match_indices(&header)
        .find(|(i, _)| *i == 0 || source.text.as_bytes()[i - 1] == b'\n')
        .map_or((1, 1), |(i, _)| source.line_col(i))
}

/// Site-relative name of a language's strings file, for messages.
pub fn strings_path(lang: &str) -> String {
    display_path(&PathBuf::from(STRINGS_DIR).join(format!("{lang}.toml")))
}
