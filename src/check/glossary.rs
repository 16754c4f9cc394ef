//! The site's words (`content/glossary.toml`): phrases a customer page never says (our own
//! doubts belong to the maintainers: `mailsite labels`), and one term, one spelling. Read
//! by rules 9 (`speak`) and 10 (`glossary`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diag::{Diagnostics, SourceFile};
use crate::toml_file;

pub(crate) const GLOSSARY_FILE: &str = "content/glossary.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Glossary {
    #[serde(default)]
    pub maintenance: Vec<Maintenance>,
    #[serde(default)]
    pub terms: Vec<Term>,
    /// Per language: names kept as they are (the provider's product names).
    #[serde(default)]
    pub exceptions: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Maintenance {
    pub lang: String,
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Term {
    pub lang: String,
    #[serde(rename = "use")]
    pub preferred: String,
    pub avoid: Vec<String>,
    /// A match followed by this is part of the preferred word (サーバ in サーバー).
    pub unless_followed_by: Option<String>,
}

/// The glossary of a site, if it has one; its problems are located in the file.
pub(crate) fn load(root: &Path) -> Result<Glossary, Diagnostics> {
    if !root.join(GLOSSARY_FILE).is_file() {
        return Ok(Glossary::default());
    }
    let source = SourceFile::read(root, Path::new(GLOSSARY_FILE))?;
    toml_file::parse(&source)
}

impl Glossary {
    pub(super) fn maintenance_phrases<'a>(
        &'a self,
        lang: &'a str,
    ) -> impl Iterator<Item = &'a str> {
        self.maintenance
            .iter()
            .filter(move |m| m.lang == lang)
            .flat_map(|m| m.phrases.iter().map(String::as_str))
    }

    pub(super) fn terms<'a>(&'a self, lang: &'a str) -> impl Iterator<Item = &'a Term> {
        self.terms.iter().filter(move |t| t.lang == lang)
    }

    /// `text` with the exceptions of `lang` blanked out (same length, so offsets hold).
    pub(super) fn without_exceptions(&self, lang: &str, text: &str) -> String {
        let mut out = text.to_string();
        for name in self.exceptions.get(lang).into_iter().flatten() {
            out = out.replace(name.as_str(), &" ".repeat(name.len()));
        }
        out
    }
}

impl Term {
    /// The first avoided spelling in `text`, if any.
    pub(super) fn violation(&self, text: &str) -> Option<&str> {
        self.avoid.iter().map(String::as_str).find(|bad| {
            text.match_indices(bad).any(|(i, m)| {
                let after = &text[i + m.len()..];
                self.unless_followed_by
                    .as_deref()
                    .is_none_or(|f| !after.starts_with(f))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_of_the_preferred_word_is_not_a_violation() {
        let t = Term {
            lang: "ja".into(),
            preferred: "サーバー".into(),
            avoid: vec!["サーバ".into()],
            unless_followed_by: Some("ー".into()),
        };
        assert_eq!(t.violation("受信サーバーの設定"), None);
        assert_eq!(t.violation("受信サーバの設定"), Some("サーバ"));
    }
}
