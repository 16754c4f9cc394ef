//! Building blocks of the data files (`content/matrix.toml`, `content/clients/*.toml`):
//! ids, texts in every language, `{KIND:…}` placeholders, and [`Checker`], which both
//! files' validation rules report through, each problem at the value that is wrong.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_spanned::Spanned;

use crate::diag::{Diagnostic, Diagnostics, Kind, SourceFile};

/// An id in a data file, with its place for error messages.
pub type Id = Spanned<String>;

/// Text in every language of the site, e.g. `name.ja = "…"` / `name.en = "…"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct Localized(pub Spanned<BTreeMap<String, String>>);

impl Localized {
    /// The text in `lang`; validation guarantees presence, so a miss is an empty string.
    pub fn get(&self, lang: &str) -> &str {
        self.0.get_ref().get(lang).map(String::as_str).unwrap_or("")
    }
}

/// An id that may appear in URLs, HTML ids and placeholders: lower-case ASCII letters,
/// digits and inner `-`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// The arguments of the `{KIND:…}` placeholders in a text, in order: `{port:imaps}` gives
/// `imaps` for kind `port`, `{value:auth:password}` gives `auth:password` for kind `value`.
/// One scanner for every placeholder kind (`port` in matrix texts; `label` and `value` in
/// client prose), so validation and rendering agree on what a placeholder is. A `{KIND:`
/// that is never closed ends the scan.
pub fn placeholder_refs<'t>(text: &'t str, kind: &str) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut rest = text;
    // Each `{`, then whether `kind:` follows (most texts have no `{` at all).
    while let Some(brace) = memchr::memchr(b'{', rest.as_bytes()) {
        rest = &rest[brace + 1..];
        let Some(after) = rest
            .strip_prefix(kind)
            .and_then(|after| after.strip_prefix(':'))
        else {
            continue;
        };
        let Some(end) = memchr::memchr(b'}', after.as_bytes()) else {
            break;
        };
        out.push(&after[..end]);
        rest = &after[end + 1..];
    }
    out
}

/// Collects the located problems of one data file.
pub struct Checker<'a> {
    pub source: &'a SourceFile,
    pub languages: &'a [String],
    out: Diagnostics,
}

impl<'a> Checker<'a> {
    pub fn new(source: &'a SourceFile, languages: &'a [String]) -> Self {
        Checker {
            source,
            languages,
            out: Diagnostics::new(),
        }
    }

    pub fn into_diagnostics(self) -> Diagnostics {
        self.out
    }

    pub fn error<T>(&mut self, value: &Spanned<T>, msg: impl Into<String>) {
        self.out
            .push(Diagnostic::at(self.source, value.span(), msg));
    }

    /// Every site language present (and not blank), no other. `what` names the text for
    /// the docs writer.
    pub fn languages(&mut self, what: &str, text: &Localized) {
        let map = text.0.get_ref();
        let missing: Vec<&str> = self
            .languages
            .iter()
            .filter(|l| map.get(l.as_str()).is_none_or(|s| s.trim().is_empty()))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            let msg = format!(
                "missing translation: {what} has no `{}` text (every text needs: {})",
                missing.join("`, `"),
                self.languages.join(", ")
            );
            self.out.push(
                Diagnostic::at(self.source, text.0.span(), msg).with_kind(Kind::MissingTranslation),
            );
        }
        for key in map.keys().filter(|k| !self.languages.contains(k)) {
            let msg = format!(
                "{what} has text for `{key}`, which is not a site language (languages: {})",
                self.languages.join(", ")
            );
            self.error(&text.0, msg);
        }
    }

    /// Ids of one kind: each one once, and each a slug. `why` says where the ids appear.
    pub fn unique<'b>(&mut self, kind: &str, why: &str, ids: impl Iterator<Item = &'b Id>) {
        let mut seen = BTreeSet::new();
        for id in ids {
            if !seen.insert(id.get_ref().clone()) {
                self.error(id, format!("duplicate {kind} id `{}`", id.get_ref()));
            }
            self.slug(kind, why, id);
        }
    }

    pub fn slug(&mut self, kind: &str, why: &str, id: &Id) {
        if !is_slug(id.get_ref()) {
            self.error(
                id,
                format!(
                    "{kind} id `{}` must be lower-case letters, digits and `-` ({why})",
                    id.get_ref()
                ),
            );
        }
    }

    /// A reference to an id that must exist in `known`.
    pub fn reference(&mut self, kind: &str, id: &Id, known: &[&str]) -> bool {
        if known.contains(&id.get_ref().as_str()) {
            return true;
        }
        let msg = format!(
            "unknown {kind} `{}` (known {kind}s: {})",
            id.get_ref(),
            known.join(", ")
        );
        self.error(id, msg);
        false
    }

    /// A link to another site: `https://` or `http://` only, so data can never put
    /// `javascript:` or `data:` behind a link on a customer page.
    pub fn url(&mut self, what: &str, value: &Spanned<String>) {
        if let Some(why) = crate::html::absolute_url_problem(value.get_ref()) {
            self.error(value, format!("{what}: {why}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::placeholder_refs;

    #[test]
    fn placeholder_refs_finds_one_kind_only() {
        let text = "{label:a} and {port:imaps}, {label:b-c}{value:auth:password} {label:open";
        assert_eq!(placeholder_refs(text, "label"), ["a", "b-c"]);
        assert_eq!(placeholder_refs(text, "port"), ["imaps"]);
        assert_eq!(placeholder_refs(text, "value"), ["auth:password"]);
        assert!(placeholder_refs("no placeholders", "label").is_empty());
    }
}
