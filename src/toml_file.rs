//! Parsing TOML into typed values with located errors.

use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, SourceFile};

/// Parses a whole file; syntax errors, unknown keys and wrong types come back located.
pub fn parse<T: DeserializeOwned>(source: &SourceFile) -> Result<T, Diagnostic> {
    parse_at(source, &source.text, 0)
}

/// Parses `text`, a slice of `source` starting at byte `offset` (e.g. front matter).
pub fn parse_at<T: DeserializeOwned>(
    source: &SourceFile,
    text: &str,
    offset: usize,
) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let start = e.span().map(|s| s.start).unwrap_or(0);
        Diagnostic::at(
            source,
            offset + start..offset + start,
            tidy_message(e.message()),
        )
    })
}

/// toml's messages end with a newline and sometimes spell out serde internals.
fn tidy_message(msg: &str) -> String {
    msg.trim().replace('\n', "; ")
}
