//! Rule 1 — data consistency: the validation `build` already runs (matrix rules,
//! references, unique ids, localized text in every language, front matter,
//! templates). `check` reports those diagnostics as they are.
//!
//! Load-time translation problems (a page or a UI string missing in a language)
//! belong to rule 4 and are labelled so.

use crate::diag::{Diagnostics, Kind};

use super::{Problem, Rule};

pub(super) fn classify(diagnostics: Diagnostics) -> Vec<Problem> {
    diagnostics
        .0
        .into_iter()
        .map(|d| {
            let rule = if d.kind == Kind::MissingTranslation {
                Rule::Translations
            } else {
                Rule::Data
            };
            Problem::from_diagnostic(rule, d)
        })
        .collect()
}
