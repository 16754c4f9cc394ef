//! Markdown → HTML for prose pages, with what raw HTML may contain.
//!
//! Docs writers may use raw HTML in Markdown, but only harmless elements and attributes
//! ([`ELEMENTS`], [`GLOBAL_ATTRIBUTES`], [`ELEMENT_ATTRIBUTES`]): no scripts, no event
//! handlers, no frames or forms, no inline styles, and links only to `https:`, `http:`,
//! `mailto:`, `tel:` or relative targets. Anything else is a located error, never silently
//! dropped, so what the writer sees in the source is what customers get.

use std::cell::RefCell;
use std::collections::BTreeMap;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::html::{link_target_problem, Html, TagFinder};

/// Elements raw HTML in Markdown may use.
pub const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes any allowed element may carry (plus every `aria-*` and `data-*`).
pub const GLOBAL_ATTRIBUTES: &[&str] = &["class", "id", "lang", "dir", "title", "role", "hidden"];

/// Attributes only some elements may carry.
pub const ELEMENT_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "rel"]),
    (
        "img",
        &["src", "alt", "width", "height", "loading", "decoding"],
    ),
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope", "abbr"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("time", &["datetime"]),
    ("details", &["open"]),
    ("q", &["cite"]),
    ("blockquote", &["cite"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
];

/// Attributes holding a URL, checked like Markdown link targets.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite"];

/// Something in a Markdown text that may not reach a page, at a byte offset of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
}

/// CommonMark + tables, footnotes, strikethrough; headings get stable `id`s for `#anchors`.
/// Raw HTML and link targets are checked against the allow-lists above.
pub fn to_html(text: &str) -> Result<Html, Vec<Problem>> {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    let events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(text, opts).into_offset_iter().collect();
    let problems = check(text, &events);
    if !problems.is_empty() {
        return Err(problems);
    }
    // Headings without an id get one from their text (which follows the heading's start),
    // never one a heading of the page was given explicitly.
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for (event, _) in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            *used.entry(id.to_string()).or_insert(0) += 1;
        }
    }
    let mut slugs: Vec<CowStr> = Vec::new();
    for (i, (event, _)) in events.iter().enumerate() {
        if let Event::Start(Tag::Heading { id: None, .. }) = event {
            let mut text = String::new();
            for (e, _) in &events[i + 1..] {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            slugs.push(CowStr::from(unique_slug(&text, &mut used)));
        }
    }
    let mut slugs = slugs.into_iter();
    let out_events = events.into_iter().map(|(event, _)| match event {
        Event::Start(Tag::Heading {
            level,
            id: None,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level,
            id: slugs.next(),
            classes,
            attrs,
        }),
        other => other,
    });
    let mut html_out = String::with_capacity(text.len() * 2);
    html::push_html(&mut html_out, out_events);
    // Raw HTML and link targets passed the allow-lists; pulldown-cmark escaped the text.
    Ok(Html::trusted(html_out))
}

/// Link targets and raw HTML of a parsed text against the allow-lists.
fn check(text: &str, events: &[(Event, std::ops::Range<usize>)]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut block: Option<(usize, String)> = None;
    for (event, range) in events {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                if let Some(msg) = link_target_problem(dest_url) {
                    problems.push(Problem {
                        offset: range.start,
                        message: msg,
                    });
                }
            }
            // A block of raw HTML comes as one event per line; a tag may span lines, so
            // the block is checked as a whole.
            Event::Start(Tag::HtmlBlock) => block = Some((range.start, String::new())),
            Event::Html(h) => match &mut block {
                Some((_, acc)) => acc.push_str(h),
                None => raw_html(text, range.start, h, &mut problems),
            },
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((start, acc)) = block.take() {
                    raw_html(text, start, &acc, &mut problems);
                }
            }
            Event::InlineHtml(h) => raw_html(text, range.start, h, &mut problems),
            _ => {}
        }
    }
    problems
}

/// Checks every start tag of a raw HTML fragment found at `start` in `text`.
fn raw_html(text: &str, start: usize, fragment: &str, problems: &mut Vec<Problem>) {
    // The k-th tag of a name is at the k-th `<name` of the fragment.
    let mut tags = TagFinder::new(fragment);
    for tag in start_tags(fragment) {
        let offset = (start + tags.next(&tag.name).unwrap_or(0)).min(text.len());
        let name = tag.name.as_str();
        if !ELEMENTS.contains(&name) {
            problems.push(Problem {
                offset,
                message: format!(
                    "raw HTML `<{name}>` is not allowed in Markdown (scripts, frames, forms, styles and embedded objects never are; README lists the elements that are)"
                ),
            });
            continue;
        }
        for (attr, value) in &tag.attrs {
            if let Some(msg) = attribute_problem(name, attr, value) {
                problems.push(Problem {
                    offset,
                    message: msg,
                });
            }
        }
    }
}

fn attribute_problem(element: &str, attr: &str, value: &str) -> Option<String> {
    if attr.starts_with("on") {
        return Some(format!(
            "attribute `{attr}` of `<{element}>` is not allowed in Markdown: event handlers run code"
        ));
    }
    if attr == "style" {
        return Some(format!(
            "attribute `style` of `<{element}>` is not allowed in Markdown: style pages in static/ (inline styles are blocked by the pages' Content-Security-Policy)"
        ));
    }
    let allowed = GLOBAL_ATTRIBUTES.contains(&attr)
        || attr.starts_with("aria-")
        || attr.starts_with("data-")
        || ELEMENT_ATTRIBUTES
            .iter()
            .any(|(e, attrs)| *e == element && attrs.contains(&attr));
    if !allowed {
        return Some(format!(
            "attribute `{attr}` of `<{element}>` is not allowed in Markdown (README lists the attributes that are)"
        ));
    }
    if URL_ATTRIBUTES.contains(&attr) {
        return link_target_problem(value)
            .map(|msg| format!("attribute `{attr}` of `<{element}>`: {msg}"));
    }
    None
}

struct StartTag {
    name: String,
    attrs: Vec<(String, String)>,
}

/// Every start tag of an HTML fragment, as a browser's tokenizer reads it (entities in
/// attribute values decoded, names lower-cased).
fn start_tags(fragment: &str) -> Vec<StartTag> {
    struct Sink(RefCell<Vec<StartTag>>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let Token::TagToken(tag) = token {
                if tag.kind == TagKind::StartTag {
                    self.0.borrow_mut().push(StartTag {
                        name: tag.name.to_string(),
                        attrs: tag
                            .attrs
                            .iter()
                            .map(|a| (a.name.local.to_string(), a.value.to_string()))
                            .collect(),
                    });
                }
            }
            TokenSinkResult::Continue
        }
    }
    let tokenizer = Tokenizer::new(Sink(RefCell::new(Vec::new())), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(fragment));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// Keeps letters of every script (Japanese headings stay readable), joins words with `-`.
fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !slug.ends_with('-')
            && !slug.is_empty()
        {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "section".into()
    } else {
        slug
    }
}

fn unique_slug(text: &str, used: &mut BTreeMap<String, usize>) -> String {
    let base = slugify(text);
    let n = used.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        base
    } else {
        format!("{base}-{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(md: &str) -> Vec<String> {
        match to_html(md) {
            Ok(_) => Vec::new(),
            Err(p) => p
                .into_iter()
                .map(|p| format!("{}: {}", p.offset, p.message))
                .collect(),
        }
    }

    #[test]
    fn headings_get_unique_ids_in_any_script() {
        let html = to_html("## 受信 メール\n\n## 受信 メール\n\n## Port & host\n")
            .unwrap()
            .into_string();
        assert!(html.contains("<h2 id=\"受信-メール\">"), "{html}");
        assert!(html.contains("<h2 id=\"受信-メール-2\">"), "{html}");
        assert!(html.contains("<h2 id=\"port-host\">"), "{html}");
        // An id given explicitly, later on the page, is not given again.
        let html = to_html("## Ports\n\n## Our ports {#ports}\n")
            .unwrap()
            .into_string();
        assert!(html.contains("<h2 id=\"ports-2\">Ports"), "{html}");
        assert!(html.contains("<h2 id=\"ports\">Our ports"), "{html}");
    }

    #[test]
    fn harmless_html_and_the_engines_markers_pass() {
        let marker = crate::markers::Marker::Port {
            id: "pop3-ssl".into(),
            direction: Some("incoming".into()),
            number: "995".into(),
        }
        .to_html("995");
        let md = format!("Port {marker}.\n\n<details open><summary>More</summary>\n\n<a href=\"https://example.jp/\" rel=\"noopener\">x</a> <abbr title=\"Outbound Port 25 Blocking\">OP25B</abbr>\n\n</details>\n\n[rel](../settings/) [mail](mailto:a@example.jp)\n");
        assert_eq!(problems(&md), Vec::<String>::new());
    }

    #[test]
    fn active_content_is_refused_where_it_is() {
        let md = "# T\n\n<script>alert(1)</script>\n\nText <img src=x onerror=\"alert(2)\"> and\n\n<iframe src=\"https://x.jp/\"></iframe>\n\n[x](javascript:alert(3)) <javascript:alert(4)> ![i](data:image/svg+xml,<svg/onload=alert(5)>)\n\n<a\n href=\"java&#x09;script:alert(6)\">y</a> <p style=\"color:red\">z</p>\n";
        let all = problems(md);
        let text = all.join("\n");
        assert!(text.contains("`<script>` is not allowed"), "{text}");
        assert!(text.contains("attribute `onerror` of `<img>`"), "{text}");
        assert!(text.contains("`<iframe>` is not allowed"), "{text}");
        assert!(
            text.contains("`javascript:alert(3)` uses `javascript:`"),
            "{text}"
        );
        assert!(
            text.contains("`javascript:alert(4)` uses `javascript:`"),
            "{text}"
        );
        assert!(text.contains("uses `data:`"), "{text}");
        assert!(
            text.contains("attribute `href` of `<a>`: link target"),
            "{text}"
        );
        assert!(text.contains("attribute `style` of `<p>`"), "{text}");
        // Each is reported at its own place: the script at the start of line 3.
        let script = md.find("<script>").unwrap();
        assert!(
            all.iter()
                .any(|p| p.starts_with(&format!("{script}: raw HTML `<script>`"))),
            "{text}"
        );
        let a = md.find("<a\n").unwrap();
        assert!(
            all.iter()
                .any(|p| p.starts_with(&format!("{a}: attribute `href`"))),
            "{text}"
        );
    }
}
