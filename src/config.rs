//! `mailsite.toml`: the few settings that are not content.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_spanned::Spanned;

use crate::diag::{Diagnostic, Diagnostics, Kind, SourceFile};
use crate::toml_file;

pub const CONFIG_FILE: &str = "mailsite.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site languages, in the order the language choice lists them. The first is the default.
    pub languages: Spanned<Vec<String>>,
    /// The settings matrix, relative to the root. Sites without one are plain Markdown sites.
    pub matrix: Option<Spanned<PathBuf>>,
    /// Absolute URL or path prefix the site is published under; `--base-url` overrides it.
    #[serde(default)]
    pub base_url: Option<Spanned<String>>,
}

impl Config {
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let source = SourceFile::read(root, Path::new(CONFIG_FILE)).map_err(|d| {
            if d.kind == Kind::NotFound {
                Diagnostic::file(
                    CONFIG_FILE,
                    format!(
                        "file not found: `{}` is not a mailsite root (use --root DIR to point at one)",
                        root.display()
                    ),
                )
            } else {
                d
            }
        })?;
        let config: Config = toml_file::parse(&source)?;
        let mut problems = Diagnostics::new();
        let langs = config.languages.get_ref();
        if langs.is_empty() {
            problems.push(Diagnostic::at(
                &source,
                config.languages.span(),
                "at least one language is needed",
            ));
        }
        for (i, l) in langs.iter().enumerate() {
            let ok = !l.is_empty() && l.chars().all(|c| c.is_ascii_lowercase() || c == '-');
            if !ok {
                problems.push(Diagnostic::at(
                    &source,
                    config.languages.span(),
                    format!("language `{l}` must be a lower-case code such as `ja` or `en`"),
                ));
            }
            if langs[..i].contains(l) {
                problems.push(Diagnostic::at(
                    &source,
                    config.languages.span(),
                    format!("language `{l}` is listed twice"),
                ));
            }
        }
        if let Some(url) = &config.base_url {
            if let Some(why) = crate::html::base_url_problem(url.get_ref()) {
                problems.push(Diagnostic::at(
                    &source,
                    url.span(),
                    format!("base_url: {why}"),
                ));
            }
        }
        problems.into_result()?;
        Ok(config)
    }

    /// The configured base URL, if any.
    pub fn base_url(&self) -> Option<&str> {
        self.base_url.as_ref().map(|u| u.get_ref().as_str())
    }

    pub fn languages(&self) -> &[String] {
        self.languages.get_ref()
    }
}
