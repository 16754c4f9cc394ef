//! HTML text as the engine writes it: escaping, the [`Html`] type for markup built in
//! Rust, and which link targets a page may carry.
//!
//! Markup built in Rust travels as [`Html`], never as `String`: text becomes `Html` only
//! through [`Html::text`] (escaped) or the engine's own builders, so a missing escape is a
//! type error. Templates print an `Html` as it is (it reaches minijinja as a safe value)
//! and escape every plain string, so no template needs `| safe`.

use std::collections::HashMap;
use std::fmt;

use serde::{Serialize, Serializer};

/// HTML-escapes text for markup built in Rust (the same set as minijinja's escaping, minus `/`).
pub fn escape(s: &str) -> String {
    // Most values (ports, ids, labels) need no escaping: one copy.
    if special(s).is_none() {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    escape_into(&mut out, s).expect("writing to a String does not fail");
    out
}

/// [`escape`], written to `out` (the template formatter writes every value through it).
pub fn escape_into(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
    let mut rest = s;
    while let Some(at) = special(rest) {
        out.write_str(&rest[..at])?;
        out.write_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        rest = &rest[at + 1..];
    }
    out.write_str(rest)
}

/// Where the first character that must be escaped is (all are ASCII: a byte loop, not a
/// character one).
fn special(s: &str) -> Option<usize> {
    s.bytes()
        .position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
}

/// A piece of markup the engine built (or checked): safe to print as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Html(String);

impl Html {
    /// Text, escaped.
    pub fn text(text: &str) -> Html {
        Html(escape(text))
    }

    /// Markup the engine produced itself (rendered templates, Markdown that passed the
    /// allow-list, markup of this crate's builders). Not for text from the data.
    pub(crate) fn trusted(markup: String) -> Html {
        Html(markup)
    }

    /// `<name a="…" …>inner</name>`: attribute values are escaped, `inner` is markup
    /// already. Names are the engine's own (literals), never data.
    pub fn tag(name: &str, attrs: &[(&str, &str)], inner: &Html) -> Html {
        let len = attrs
            .iter()
            .map(|(k, v)| k.len() + v.len() + 4)
            .sum::<usize>();
        let mut out = String::with_capacity(2 * name.len() + len + inner.0.len() + 5);
        out.push('<');
        out.push_str(name);
        for (k, v) in attrs {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            escape_into(&mut out, v).expect("writing to a String does not fail");
            out.push('"');
        }
        out.push('>');
        out.push_str(&inner.0);
        out.push_str("</");
        out.push_str(name);
        out.push('>');
        Html(out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn push(&mut self, more: &Html) {
        self.0.push_str(&more.0);
    }

    /// Every `placeholder` (written in the data, so escaping leaves it as it was) replaced
    /// by a piece of markup.
    pub fn replace(&self, placeholder: &str, with: &Html) -> Html {
        debug_assert_eq!(
            escape(placeholder),
            placeholder,
            "placeholders escape to themselves"
        );
        Html(self.0.replace(placeholder, &with.0))
    }

    /// The pieces joined by `separator`.
    pub fn join<'a>(pieces: impl IntoIterator<Item = &'a Html>, separator: &Html) -> Html {
        let mut out = String::new();
        for (i, p) in pieces.into_iter().enumerate() {
            if i > 0 {
                out.push_str(&separator.0);
            }
            out.push_str(&p.0);
        }
        Html(out)
    }

    pub fn contains(&self, needle: &str) -> bool {
        self.0.contains(needle)
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Into a template: a safe value, printed as it is. Elsewhere (JSON): the markup as a string.
impl Serialize for Html {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        minijinja::Value::from_safe_string(self.0.clone()).serialize(serializer)
    }
}

impl From<Html> for minijinja::Value {
    fn from(h: Html) -> Self {
        minijinja::Value::from_safe_string(h.0)
    }
}

/// Finds the start tags of an HTML text by name, in order: asked for `name` the k-th time,
/// it gives the byte offset of the k-th `<name` tag of the text (case-insensitive; a name
/// ends at whitespace, `/` or `>`), each searched from the one before, so locating every
/// tag of a text takes one pass per name, not one per tag.
pub struct TagFinder {
    lower: String,
    /// Per name (in lower case), where its next tag is searched from.
    next: HashMap<String, usize>,
}

impl TagFinder {
    pub fn new(html: &str) -> TagFinder {
        TagFinder {
            lower: html.to_ascii_lowercase(),
            next: HashMap::new(),
        }
    }

    /// Where the next tag of `name` starts; `None` once there is none (and from then on).
    pub fn next(&mut self, name: &str) -> Option<usize> {
        let lower = &self.lower;
        let needle = format!("<{}", name.to_ascii_lowercase());
        let from = self.next.entry(needle[1..].to_string()).or_insert(0);
        let found = lower
            .get(*from..)?
            .match_indices(&needle)
            .map(|(i, _)| *from + i)
            .find(|&i| {
                lower[i + needle.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_ascii_whitespace() || c == '/' || c == '>')
            });
        *from = found.map_or(lower.len(), |at| at + 1);
        found
    }
}

/// Schemes a link on a customer page may use. Everything else (`javascript:`, `data:`,
/// `vbscript:`, `file:` …) could run code or reach outside the manual.
pub const LINK_SCHEMES: &[&str] = &["https", "http", "mailto", "tel"];

/// The URL scheme of a link target as a browser reads it (it ignores tabs, newlines and
/// leading spaces or controls, and compares case-insensitively), or `None` for a relative
/// target (`../x/`, `#id`, `/path`).
pub fn scheme(target: &str) -> Option<String> {
    let cleaned: String = target
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = cleaned.find(':')?;
    let candidate = &cleaned[..colon];
    let mut chars = candidate.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // `a/b:c` or `./x:y` is a relative path with a colon, not a scheme.
    (first_ok && rest_ok).then(|| candidate.to_ascii_lowercase())
}

/// Why a link target may not appear on a page, if it may not.
pub fn link_target_problem(target: &str) -> Option<String> {
    let s = scheme(target)?;
    (!LINK_SCHEMES.contains(&s.as_str())).then(|| {
        format!(
            "link target `{}` uses `{s}:`, which is not allowed on customer pages (allowed: {}, or a relative link)",
            target.trim(),
            LINK_SCHEMES
                .iter()
                .map(|s| format!("{s}:"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// Why a URL given in the data (an absolute address to another site) is not acceptable.
pub fn absolute_url_problem(url: &str) -> Option<String> {
    match scheme(url).as_deref() {
        Some("https" | "http") if url.trim() == url && url.len() > "https://".len() => None,
        Some("https" | "http") => Some(format!(
            "`{url}` is not a complete address (expected https://… without spaces around it)"
        )),
        _ => Some(format!(
            "`{url}` is not an https:// or http:// address (other schemes such as javascript: or data: are refused)"
        )),
    }
}

/// Why a base URL (what the site is published under) is not acceptable: it must be an
/// `https://`/`http://` address or a path from the host's root (`/manual/`), without
/// spaces, quotes, `?` or `#`, because it is written into every page's links.
pub fn base_url_problem(url: &str) -> Option<String> {
    if url.is_empty() {
        return None;
    }
    let bad = url.chars().find(|c| {
        c.is_control()
            || c.is_whitespace()
            || matches!(c, '"' | '\'' | '<' | '>' | '`' | '?' | '#' | '\\')
    });
    if let Some(c) = bad {
        return Some(format!(
            "`{}` contains {c:?}; a base URL is an address such as https://support.example.jp/mail/ or a path such as /mail/",
            url.escape_default()
        ));
    }
    match scheme(url).as_deref() {
        None if url.starts_with('/') => None,
        None => Some(format!(
            "`{url}` is neither an https:// or http:// address nor a path starting with `/`"
        )),
        Some(_) => absolute_url_problem(url),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tags_are_found_in_order_by_name() {
        let mut tags = TagFinder::new("<B>x</b><br><b\tclass=a><Svg><clipPath/><b");
        assert_eq!(tags.next("b"), Some(0));
        assert_eq!(tags.next("br"), Some(8));
        assert_eq!(tags.next("b"), Some(12), "not `<br`, and a tab ends a name");
        assert_eq!(tags.next("clipPath"), Some(28));
        assert_eq!(tags.next("b"), Some(39), "at the very end");
        assert_eq!(tags.next("b"), None);
        assert_eq!(tags.next("b"), None);
        assert_eq!(tags.next("i"), None);
    }

    use super::*;

    #[test]
    fn schemes_are_read_as_browsers_read_them() {
        assert_eq!(scheme("https://x.jp/").as_deref(), Some("https"));
        assert_eq!(
            scheme(" JavaScript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(
            scheme("java\tscript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(scheme("\u{1}data:text/html,x").as_deref(), Some("data"));
        assert_eq!(scheme("../plans/x/"), None);
        assert_eq!(scheme("#edition-new"), None);
        assert_eq!(scheme("./a:b"), None);
        assert_eq!(scheme("/ja/settings/"), None);
    }

    #[test]
    fn only_harmless_link_targets_pass() {
        for ok in [
            "https://example.jp/",
            "mailto:support@example.jp",
            "tel:+81-3-0000",
            "../",
            "#x",
        ] {
            assert_eq!(link_target_problem(ok), None, "{ok}");
        }
        for bad in [
            "javascript:alert(3)",
            "JAVASCRIPT:x",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(link_target_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(
            absolute_url_problem("https://www.xserver.ne.jp/manual/"),
            None
        );
        assert!(absolute_url_problem("javascript:alert(3)").is_some());
        assert!(absolute_url_problem("/relative").is_some());
        assert!(absolute_url_problem("https://").is_some());
    }

    #[test]
    fn base_urls_are_addresses_or_root_paths() {
        for ok in [
            "",
            "/",
            "/mail/",
            "https://support.example.jp/mail/",
            "http://127.0.0.1:1111/",
        ] {
            assert_eq!(base_url_problem(ok), None, "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "mail/",
            "https://x.jp/a b/",
            "https://x.jp/\u{1b}[31m",
            "/a\"onload=x",
            "https://x.jp/?q=1",
        ] {
            assert!(base_url_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(escape("plain/text"), "plain/text");
    }
}
