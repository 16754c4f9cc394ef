//! A rendered page cut into the sections search results link to.
//!
//! Only `<main>` is read (not the header, navigation or footer every page repeats), and
//! inside it no `<nav>`, script, button or `aria-hidden` decoration. A section starts at
//! each heading (`h1`–`h4`) and at each `<summary>` of a `<details>` with an `id` (a
//! troubleshooting entry). It is linked by the heading's `id`, else by the `id` of the
//! nearest element around it, else by the section before it; its label is the heading's
//! text, under the `h2` it belongs to for deeper headings.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};

/// One section of one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Section {
    /// The `id` a result links to (empty: the top of the page).
    pub anchor: String,
    /// What the result shows beside the page title (empty for the part before any `h2`).
    pub label: String,
    /// Every text of the section, headings included, block boundaries as spaces.
    pub text: String,
}

/// A page's title (its `h1`) and its sections; `None` for a page without `<main>`.
pub(super) fn sections(html: &str) -> Option<(String, Vec<Section>)> {
    let doc = Html::parse_document(html);
    let main = doc
        .select(&Selector::parse("main").expect("valid selector"))
        .next()?;
    let mut cut = Cutter::default();
    let mut skipping = 0usize;
    for edge in main.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping > 0 || ElementRef::wrap(node).is_some_and(skipped) {
                    skipping += usize::from(node.value().is_element());
                    continue;
                }
                match node.value() {
                    Node::Text(t) => cut.current().text.push_str(t),
                    Node::Element(e) => {
                        let el = ElementRef::wrap(node).expect("element");
                        if let Some(level) = heading_level(&el) {
                            cut.start(&el, level);
                        }
                        if !is_inline(e.name()) {
                            cut.current().text.push(' ');
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping > 0 {
                    skipping -= usize::from(node.value().is_element());
                } else if let Some(e) = node.value().as_element() {
                    if !is_inline(e.name()) {
                        cut.current().text.push(' ');
                    }
                }
            }
        }
    }
    let mut sections = cut.sections;
    sections.retain(|s| !s.text.trim().is_empty());
    Some((cut.title, sections))
}

/// Parts of `<main>` that are not the page's own text.
fn skipped(el: ElementRef<'_>) -> bool {
    let e = el.value();
    matches!(
        e.name(),
        "nav" | "script" | "style" | "template" | "noscript" | "button" | "form"
    ) || e.attr("aria-hidden") == Some("true")
}

/// 1–4 for `h1`–`h4`, 4 for the `<summary>` of a `<details id>`.
fn heading_level(el: &ElementRef<'_>) -> Option<usize> {
    let name = el.value().name();
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'4'] => Some(usize::from(d - b'0')),
        _ if name == "summary" => el
            .parent()
            .and_then(ElementRef::wrap)
            .filter(|d| d.value().name() == "details" && d.value().attr("id").is_some())
            .map(|_| 4),
        _ => None,
    }
}

fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "dfn"
            | "em"
            | "i"
            | "kbd"
            | "mark"
            | "q"
            | "ruby"
            | "rt"
            | "rp"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "u"
            | "var"
            | "wbr"
    )
}

/// Collects sections while the page is read in document order.
#[derive(Default)]
struct Cutter {
    title: String,
    /// The text of the last `h2` (the label of deeper headings is under it).
    h2: String,
    sections: Vec<Section>,
}

impl Cutter {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section {
                anchor: String::new(),
                label: String::new(),
                text: String::new(),
            });
        }
        self.sections.last_mut().expect("one section at least")
    }

    fn start(&mut self, el: &ElementRef<'_>, level: usize) {
        let text: String = el.text().collect::<String>();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let label = match level {
            1 => {
                self.title.clone_from(&text);
                String::new()
            }
            2 => {
                self.h2.clone_from(&text);
                text
            }
            _ if self.h2.is_empty() => text,
            _ => format!("{} › {text}", self.h2),
        };
        let previous = self.current().anchor.clone();
        let anchor = anchor_of(el).unwrap_or(previous);
        self.sections.push(Section {
            anchor,
            label,
            text: String::new(),
        });
    }
}

/// The heading's own `id`, its `<details>`'s, or the nearest one around it.
fn anchor_of(el: &ElementRef<'_>) -> Option<String> {
    std::iter::once(**el)
        .chain(el.ancestors())
        .filter_map(ElementRef::wrap)
        .take_while(|e| e.value().name() != "main")
        .find_map(|e| e.value().attr("id").map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_cut_at_its_headings_and_troubleshooting_entries() {
        let html = r#"<html><body><header>Site</header><main>
            <nav>Home › Plans</nav>
            <h1>Outlook</h1><p>In<strong>tro</strong></p>
            <section id="ed-1"><h2 id="ed-1-title">Classic</h2><p>One</p>
              <h3>Steps</h3><ol><li>Open</li><li>Type</li></ol>
              <details id="ed-1-auth"><summary>Cannot send</summary><p>Fix <span aria-hidden="true">›</span>it</p></details>
            </section></main><footer>Foot</footer></body></html>"#;
        let (title, s) = sections(html).expect("a main");
        assert_eq!(title, "Outlook");
        let got: Vec<(&str, &str)> = s
            .iter()
            .map(|s| (s.anchor.as_str(), s.label.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("", ""),
                ("ed-1-title", "Classic"),
                ("ed-1", "Classic › Steps"),
                ("ed-1-auth", "Classic › Cannot send"),
            ]
        );
        let words = |i: usize| s[i].text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(words(0), "Outlook Intro");
        assert_eq!(words(2), "Steps Open Type");
        assert_eq!(words(3), "Cannot send Fix it");
        assert!(s
            .iter()
            .all(|s| !s.text.contains("Home") && !s.text.contains("Foot")));
    }
}
