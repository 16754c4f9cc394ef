//! The site's words (`content/glossary.toml`): phrases a customer page never says (our own
//! doubts belong to the maintainers: `mailsite labels`), and one term, one spelling. Read
//! by rules 9 (`speak`) and 10 (`glossary`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_spanned::Spanned;

use crate::data::Checker;
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
    pub lang: Spanned<String>,
    pub phrases: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Term {
    pub lang: Spanned<String>,
    #[serde(rename = "use")]
    pub preferred: Spanned<String>,
    pub avoid: Vec<Spanned<String>>,
    /// A match followed by this is part of the preferred word (サーバ in サーバー).
    pub unless_followed_by: Option<String>,
}

/// The glossary of a site, if it has one; its problems are located in the file: a
/// language the site does not have (the entry would never apply) or an empty phrase (it
/// would match everywhere).
pub(crate) fn load(root: &Path, languages: &[String]) -> Result<Glossary, Diagnostics> {
    if !root.join(GLOSSARY_FILE).is_file() {
        return Ok(Glossary::default());
    }
    let source = SourceFile::read(root, Path::new(GLOSSARY_FILE))?;
    let glossary: Glossary = toml_file::parse(&source)?;
    let mut c = Checker::new(&source, languages);
    let entries = glossary
        .maintenance
        .iter()
        .map(|m| (&m.lang, &m.phrases))
        .chain(glossary.terms.iter().map(|t| (&t.lang, &t.avoid)));
    for (lang, phrases) in entries {
        if !languages.contains(lang.get_ref()) {
            let msg = format!(
                "`{}` is not a language of this site ({}): this entry would never apply",
                lang.get_ref(),
                languages.join(", ")
            );
            c.error(lang, msg);
        }
        for phrase in phrases.iter().filter(|p| p.get_ref().trim().is_empty()) {
            c.error(phrase, "an empty phrase would match every text: remove it");
        }
    }
    for term in &glossary.terms {
        if term.preferred.get_ref().trim().is_empty() {
            c.error(
                &term.preferred,
                "`use` is empty: write the manual's spelling",
            );
        }
    }
    c.into_diagnostics().into_result()?;
    Ok(glossary)
}

impl Glossary {
    pub(super) fn maintenance_phrases<'a>(
        &'a self,
        lang: &'a str,
    ) -> impl Iterator<Item = &'a str> {
        self.maintenance
            .iter()
            .filter(move |m| m.lang.get_ref() == lang)
            .flat_map(|m| m.phrases.iter().map(|p| p.get_ref().as_str()))
    }

    pub(super) fn terms<'a>(&'a self, lang: &'a str) -> impl Iterator<Item = &'a Term> {
        self.terms.iter().filter(move |t| t.lang.get_ref() == lang)
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
        self.avoid.iter().map(|a| a.get_ref().as_str()).find(|bad| {
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
    fn entries_that_could_never_apply_or_would_match_everything_are_located() {
        let root = tempfile::tempdir().expect("a temp folder");
        std::fs::create_dir_all(root.path().join("content")).expect("content/");
        let text = "[[terms]]\nlang = \"jp\"\nuse = \"サーバー\"\navoid = [\"サーバ\"]\n\n[[maintenance]]\nlang = \"ja\"\nphrases = [\"未確認\", \" \"]\n";
        std::fs::write(root.path().join(GLOSSARY_FILE), text).expect("glossary");
        let languages = ["ja".to_string(), "en".to_string()];
        let problems = load(root.path(), &languages)
            .expect_err("refused")
            .to_string();
        assert!(
            problems.contains(
                "content/glossary.toml:2:8: `jp` is not a language of this site (ja, en)"
            ),
            "{problems}"
        );
        assert!(
            problems.contains("content/glossary.toml:8:19: an empty phrase"),
            "{problems}"
        );
    }

    #[test]
    fn a_prefix_of_the_preferred_word_is_not_a_violation() {
        let t = Term {
            lang: Spanned::new(0..0, "ja".into()),
            preferred: Spanned::new(0..0, "サーバー".into()),
            avoid: vec![Spanned::new(0..0, "サーバ".into())],
            unless_followed_by: Some("ー".into()),
        };
        assert_eq!(t.violation("受信サーバーの設定"), None);
        assert_eq!(t.violation("受信サーバの設定"), Some("サーバ"));
    }
}
