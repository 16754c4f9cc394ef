//! A rendered page cut into the sections search results link to.
//!
//! Only `<main>` is read (not the header, navigation or footer every page repeats), and
//! inside it no `<nav>`, script, button or `aria-hidden` decoration. A section starts at
//! each heading (`h1`–`h4`) and at each `<summary>` of a `<details>` with an `id` (a
//! troubleshooting entry). It is linked by the heading's `id`, else by the `id` of the
//! nearest element around it, else by the section before it; its label is the heading's
//! text, under the `h2` it belongs to for deeper headings.

use super::scan::{scan, tag_key, tag_keys, Attrs, Tokens};

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
///
/// The page is read as a stream of tags and text ([`scan`], no tree), keeping the elements
/// open inside `<main>` for the `id`s around a heading.
pub(super) fn sections(html: &str) -> Option<(String, Vec<Section>)> {
    // Only `<main>` is read: the head, header and footer (the same on every page) are not
    // even scanned.
    let start = memchr::memmem::find(html.as_bytes(), b"<main")?;
    let end = memchr::memmem::rfind(html.as_bytes(), b"</main>")
        .map_or(html.len(), |e| e + "</main>".len());
    let mut reader = Reader::default();
    scan(&html[start..end.max(start)], &mut reader);
    if !reader.seen_main {
        return None;
    }
    let mut sections = reader.cut.sections;
    sections.retain(|s| !s.text.trim().is_empty());
    Some((reader.cut.title, sections))
}

/// Parts of `<main>` that are not the page's own text.
fn skipped(name: &str, aria_hidden: Option<&str>) -> bool {
    const SKIPPED: [u64; 7] =
        tag_keys!["nav", "script", "style", "template", "noscript", "button", "form"];
    SKIPPED.contains(&tag_key(name)) || aria_hidden == Some("true")
}

/// Elements without an end tag.
fn is_void(name: &str) -> bool {
    const VOID: [u64; 13] = tag_keys![
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    VOID.contains(&tag_key(name))
}

fn is_inline(name: &str) -> bool {
    const INLINE: [u64; 28] = tag_keys![
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
        "q", "ruby", "rt", "rp", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
        "var", "wbr",
    ];
    INLINE.contains(&tag_key(name))
}

/// An element open inside `<main>`.
struct Open {
    name: String,
    id: String,
    has_id: bool,
}

impl Open {
    fn id(&self) -> Option<&str> {
        self.has_id.then_some(self.id.as_str())
    }
}

/// The elements open inside `<main>`, innermost last. A page opens thousands of elements
/// but only a few levels deep, so the slots (and their strings) are reused.
#[derive(Default)]
struct OpenStack {
    slots: Vec<Open>,
    len: usize,
}

impl OpenStack {
    fn push(&mut self, name: &str, id: Option<&str>) {
        if self.len == self.slots.len() {
            self.slots.push(Open {
                name: String::new(),
                id: String::new(),
                has_id: false,
            });
        }
        let open = &mut self.slots[self.len];
        open.name.clear();
        open.name.push_str(name);
        open.id.clear();
        open.id.push_str(id.unwrap_or_default());
        open.has_id = id.is_some();
        self.len += 1;
    }

    fn all(&self) -> &[Open] {
        &self.slots[..self.len]
    }

    fn len(&self) -> usize {
        self.len
    }

    fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }
}

/// The heading being read: its level, how many elements were open with it, its text.
struct Heading {
    level: usize,
    depth: usize,
    text: String,
}

#[derive(Default)]
struct Reader {
    seen_main: bool,
    in_main: bool,
    open: OpenStack,
    /// While text is skipped: how many elements were open with the skipped one.
    skip: Option<usize>,
    heading: Option<Heading>,
    cut: Cutter,
}

impl Tokens for Reader {
    fn start(&mut self, name: &str, attrs: Attrs<'_>, self_closing: bool) {
        Reader::start(self, name, attrs, self_closing);
    }
    fn end(&mut self, name: &str) {
        Reader::end(self, name);
    }
    fn text(&mut self, text: &str) {
        Reader::text(self, text);
    }
}

impl Reader {
    fn text(&mut self, text: &str) {
        if !self.in_main || self.skip.is_some() {
            return;
        }
        self.cut.current().text.push_str(text);
        if let Some(h) = &mut self.heading {
            h.text.push_str(text);
        }
    }

    fn space(&mut self, name: &str) {
        if self.in_main && self.skip.is_none() && !is_inline(name) {
            self.cut.current().text.push(' ');
        }
    }

    fn start(&mut self, name: &str, attrs: Attrs<'_>, self_closing: bool) {
        if !self.in_main {
            if name == "main" {
                (self.seen_main, self.in_main) = (true, true);
                self.open.truncate(0);
            }
            return;
        }
        if is_void(name) || self_closing {
            self.space(name);
            return;
        }
        let [id, aria_hidden] = attrs.values(["id", "aria-hidden"]);
        self.open.push(name, id);
        if self.skip.is_none() && skipped(name, aria_hidden) {
            self.skip = Some(self.open.len());
        }
        if self.skip.is_some() {
            return;
        }
        if let Some(level) = self.heading_level(name) {
            // The heading's own id, its <details>'s, or the nearest one around it.
            let anchor = self.open.all().iter().rev().find_map(Open::id);
            self.cut.start(anchor);
            self.heading = Some(Heading {
                level,
                depth: self.open.len(),
                text: String::new(),
            });
        }
        self.space(name);
    }

    /// 1–4 for `h1`–`h4`, 4 for the `<summary>` of a `<details id>`.
    fn heading_level(&self, name: &str) -> Option<usize> {
        match name.as_bytes() {
            [b'h', d @ b'1'..=b'4'] => Some(usize::from(d - b'0')),
            _ if name == "summary" => {
                let parent = self.open.len().checked_sub(2).map(|i| &self.open.all()[i]);
                parent
                    .filter(|p| p.name == "details" && p.has_id)
                    .map(|_| 4)
            }
            _ => None,
        }
    }

    fn end(&mut self, name: &str) {
        if !self.in_main {
            return;
        }
        if name == "main" {
            self.in_main = false;
            return;
        }
        let Some(at) = self.open.all().iter().rposition(|o| o.name == name) else {
            return;
        };
        self.open.truncate(at);
        if self.skip.is_some_and(|depth| self.open.len() < depth) {
            self.skip = None;
            return;
        }
        if self
            .heading
            .as_ref()
            .is_some_and(|h| self.open.len() < h.depth)
        {
            let h = self.heading.take().expect("a heading");
            self.cut.finish(h.level, &h.text);
        }
        self.space(name);
    }
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

    /// A heading opens a section, linked by `anchor` or else by the section before.
    fn start(&mut self, anchor: Option<&str>) {
        let anchor = match anchor {
            Some(id) => id.to_string(),
            None => self.current().anchor.clone(),
        };
        self.sections.push(Section {
            anchor,
            label: String::new(),
            text: String::new(),
        });
    }

    /// The heading's text, read to its end, labels its section.
    fn finish(&mut self, level: usize, text: &str) {
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
        self.current().label = label;
    }
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
