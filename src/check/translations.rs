//! Rule 4 — translation completeness.
//!
//! At load time (surfaced by [`super::data`]): every Markdown page exists in every
//! language, every UI string exists in every language, every localized text of the
//! matrix exists in every language.
//!
//! In the generated pages:
//! - the `<html lang>` of a page is the language the page plan gives it;
//! - no unmarked text of another script: the language of a text is the nearest `lang`
//!   attribute around it. In text that is not CJK (`ja`, `zh`, `ko`), a Japanese/CJK
//!   character (hiragana, katakana, CJK ideographs, CJK punctuation, full-width forms)
//!   is reported. In CJK text, an English sentence — a run of at least
//!   [`MIN_WORDS`] Latin words of which at least [`MIN_LOWERCASE`] are lower-case
//!   words (names such as "POP over SSL" or "Outbound Port 25 Blocking" pass) — is
//!   reported. Text nodes and the reader-visible attributes `title`, `alt`,
//!   `aria-label`, `placeholder` and `<meta name="description" content>` are checked;
//!   `<script>`/`<style>` are skipped.

use scraper::{ElementRef, Node};

use super::parse::{ParsedPage, Step};
use super::{Ctx, Problem, Rule};

pub(super) const MIN_WORDS: usize = 6;
pub(super) const MIN_LOWERCASE: usize = 3;

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Problem>) {
    for page in &ctx.pages {
        let root = page.doc.root_element();
        if let Some(lang) = &page.lang {
            let declared = root.value().attr("lang").unwrap_or("");
            if declared != lang {
                out.push(Problem::new(
                    Rule::Translations,
                    &page.output,
                    page.location(&root),
                    format!("the page is in `{lang}` but <html lang> says `{declared}`"),
                ));
            }
        }
        page.walk(|step| {
            let Step::Enter(node, lang) = step else {
                return;
            };
            let lang = lang.unwrap_or("");
            match node.value() {
                Node::Text(t) => {
                    let Some(parent) = node.parent().and_then(ElementRef::wrap) else {
                        return;
                    };
                    if matches!(parent.value().name(), "script" | "style") {
                        return;
                    }
                    // A page for every language (the language choice, the 404 page) joins
                    // their titles in one <title>, which cannot mark its parts.
                    if page.lang.is_none() && parent.value().name() == "title" {
                        return;
                    }
                    if let Some(msg) = foreign(lang, t) {
                        out.push(problem(page, &parent, format!("text {msg}")));
                    }
                }
                Node::Element(e) => {
                    let el = ElementRef::wrap(node).expect("element");
                    let mut attrs: Vec<(&str, &str)> =
                        ["title", "alt", "aria-label", "placeholder"]
                            .iter()
                            .filter_map(|a| e.attr(a).map(|v| (*a, v)))
                            .collect();
                    if e.name() == "meta" && e.attr("name") == Some("description") {
                        attrs.extend(e.attr("content").map(|v| ("content", v)));
                    }
                    for (a, v) in attrs {
                        if let Some(msg) = foreign(lang, v) {
                            out.push(problem(page, &el, format!("attribute `{a}` {msg}")));
                        }
                    }
                }
                _ => {}
            }
        });
    }
}

fn problem(page: &ParsedPage, el: &ElementRef<'_>, msg: String) -> Problem {
    Problem::new(Rule::Translations, &page.output, page.location(el), msg)
}

fn is_cjk_lang(lang: &str) -> bool {
    let primary = lang.split('-').next().unwrap_or("").to_ascii_lowercase();
    matches!(primary.as_str(), "ja" | "zh" | "ko")
}

pub(super) fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'   // CJK punctuation 、。「」
        | '\u{3040}'..='\u{309F}' // hiragana
        | '\u{30A0}'..='\u{30FF}' // katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{FF00}'..='\u{FFEF}' // full-width and half-width forms
    )
}

/// Why `text`, read as language `lang`, contains text of the other language.
fn foreign(lang: &str, text: &str) -> Option<String> {
    if is_cjk_lang(lang) {
        english_sentence(text)
            .map(|s| format!("in `{lang}` contains an English sentence without lang=\"en\": `{s}`"))
    } else {
        let start = text.find(is_japanese)?;
        let snippet: String = text[start..]
            .chars()
            .take_while(|c| !c.is_ascii())
            .take(30)
            .collect();
        let shown = if lang.is_empty() {
            "no language".to_string()
        } else {
            format!("`{lang}`")
        };
        Some(format!(
            "in {shown} contains Japanese without lang=\"ja\": `{}`",
            snippet.trim()
        ))
    }
}

fn english_sentence(text: &str) -> Option<String> {
    for run in text.split(|c: char| !c.is_ascii() || c == '\n') {
        let words: Vec<&str> = run
            .split(|c: char| !c.is_ascii_alphabetic() && c != '\'')
            .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 1)
            .collect();
        let lower = words
            .iter()
            .filter(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_lowercase() || c == '\''))
            .count();
        if words.len() >= MIN_WORDS && lower >= MIN_LOWERCASE {
            return Some(run.trim().chars().take(60).collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_text_is_found_both_ways() {
        assert!(foreign("en", "Use port 587").is_none());
        assert!(foreign("en", "Use ポート 587").is_some());
        assert!(foreign("ja", "OP25B(Outbound Port 25 Blocking)を行っています").is_none());
        assert!(foreign("ja", "POP over SSLやSMTP over SSLを利用すると").is_none());
        assert!(foreign(
            "ja",
            "設定: Please enter the values on this page as they are."
        )
        .is_some());
    }
}
