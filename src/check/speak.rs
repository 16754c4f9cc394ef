//! Rules 9 and 10 — customer pages speak to customers, in one vocabulary.
//!
//! 9 (`speak`): no maintenance phrase of the glossary ("unverified", 「未確認」…) anywhere on
//! a page, client labels included; and no English client label quoted on a page in
//! another language (a quoted label whose text is marked `lang="en"`).
//! 10 (`glossary`): no spelling the glossary says to avoid in the page's own prose — quoted
//! client labels and descriptions of a client's controls keep the client's spelling, and
//! the glossary's exceptions (product names) theirs.

use scraper::{ElementRef, Node};

use super::glossary::Glossary;
use super::parse::{ParsedPage, Step};
use super::{Ctx, Problem, Rule};

/// Elements whose text is the client's, not ours.
fn client_text(el: &ElementRef<'_>) -> bool {
    let v = el.value();
    v.classes()
        .any(|c| c == "ui-label" || c == "ui-description")
        || matches!(v.name(), "code" | "script" | "style")
}

pub(super) fn check(ctx: &Ctx<'_>, glossary: &Glossary, out: &mut Vec<Problem>) {
    for page in &ctx.pages {
        // How many of the elements around the node being read quote a client.
        let mut quoting = 0usize;
        let quotes = |node| ElementRef::wrap(node).is_some_and(|el| client_text(&el));
        page.walk(|step| match step {
            Step::Enter(node, lang) => {
                if let (Node::Text(t), Some(parent)) =
                    (node.value(), node.parent().and_then(ElementRef::wrap))
                {
                    let lang = lang.unwrap_or("");
                    maintenance(page, &parent, glossary, lang, t, out);
                    if quoting == 0 {
                        terms(page, &parent, glossary, lang, t, out);
                    }
                }
                quoting += usize::from(quotes(node));
            }
            Step::Leave(node) => quoting -= usize::from(quotes(node)),
        });
        english_labels(page, out);
    }
}

fn maintenance(
    page: &ParsedPage,
    el: &ElementRef<'_>,
    glossary: &Glossary,
    lang: &str,
    text: &str,
    out: &mut Vec<Problem>,
) {
    let lower = text.to_lowercase();
    for phrase in glossary.maintenance_phrases(lang) {
        if lower.contains(&phrase.to_lowercase()) {
            out.push(Problem::new(
                Rule::Speak,
                &page.output,
                page.location(el),
                format!(
                    "the page tells customers `{phrase}`: what we are unsure of belongs in the data's `confidence`/`source` (listed by `mailsite labels`), not on a customer page"
                ),
            ));
        }
    }
}

fn terms(
    page: &ParsedPage,
    el: &ElementRef<'_>,
    glossary: &Glossary,
    lang: &str,
    text: &str,
    out: &mut Vec<Problem>,
) {
    let text = glossary.without_exceptions(lang, text);
    for term in glossary.terms(lang) {
        if let Some(bad) = term.violation(&text) {
            out.push(Problem::new(
                Rule::Glossary,
                &page.output,
                page.location(el),
                format!(
                    "writes `{bad}`; the manual's term is `{}` (content/glossary.toml)",
                    term.preferred.get_ref()
                ),
            ));
        }
    }
}

/// A quoted client label in English on a page in another language.
fn english_labels(page: &ParsedPage, out: &mut Vec<Problem>) {
    let Some(lang) = page.lang.as_deref().filter(|l| *l != "en") else {
        return;
    };
    for el in page.elements() {
        if !el.value().classes().any(|c| c == "ui-label") {
            continue;
        }
        let english = el
            .descendants()
            .filter_map(ElementRef::wrap)
            .any(|d| d.value().attr("lang") == Some("en"));
        if english {
            out.push(Problem::new(
                Rule::Speak,
                &page.output,
                page.location(&el),
                format!(
                    "quotes an English client label on a `{lang}` page; customers here see their own language: describe the control in `{lang}`"
                ),
            ));
        }
    }
}
