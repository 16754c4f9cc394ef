//! A rendered page read as a stream of start tags, end tags and text, for the search index.
//!
//! Why not html5ever's tokenizer: the index reads every page of every build and every
//! `serve` rebuild, and the general tokenizer (a state machine over tendrils, every
//! attribute copied) cost more than rendering the page. The pages read here are the engine's
//! own output — templates and allow-listed Markdown, which `mailsite check` parses with
//! html5ever and finds valid — so a scan that knows tags, quoted attributes, comments,
//! raw-text elements and character references is enough, and needs no copy.

/// What the scan reports, in document order.
pub(super) trait Tokens {
    fn start(&mut self, name: &str, attrs: Attrs<'_>, self_closing: bool);
    fn end(&mut self, name: &str);
    /// Text with character references decoded.
    fn text(&mut self, text: &str);
}

/// The attributes of a start tag, as written; read on demand.
#[derive(Clone, Copy)]
pub(super) struct Attrs<'a>(&'a str);

impl<'a> Attrs<'a> {
    /// The value of attribute `name`, as written (the index asks only for `id` and
    /// `aria-hidden`, which hold no character references).
    #[cfg(test)]
    pub(super) fn get(&self, name: &str) -> Option<&'a str> {
        let [value] = self.values([name]);
        value
    }

    /// The values of the attributes `names` (asked in lower case), as written, in one
    /// reading of the tag; the first of repeated attributes counts.
    pub(super) fn values<const N: usize>(&self, names: [&str; N]) -> [Option<&'a str>; N] {
        debug_assert!(
            names
                .iter()
                .all(|n| !n.bytes().any(|b| b.is_ascii_uppercase())),
            "ask in lower case"
        );
        let mut out = [None; N];
        let (text, b) = (self.0, self.0.as_bytes());
        // Only ASCII whitespace separates, as in a browser's tokenizer: `id=\u{3000}"x"` is
        // the id `\u{3000}"x"` there, so a result linking to it finds its element.
        let space = |c: u8| c.is_ascii_whitespace();
        let mut i = 0;
        loop {
            while i < b.len() && (space(b[i]) || b[i] == b'/') {
                i += 1;
            }
            if i == b.len() {
                return out;
            }
            let key_start = i;
            while i < b.len() && !(space(b[i]) || b[i] == b'=' || b[i] == b'/') {
                i += 1;
            }
            let key = &text[key_start..i];
            while i < b.len() && space(b[i]) {
                i += 1;
            }
            let mut value = "";
            if b.get(i) == Some(&b'=') {
                i += 1;
                while i < b.len() && space(b[i]) {
                    i += 1;
                }
                match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let body = i + 1;
                        let close = memchr::memchr(q, &b[body..]).map_or(b.len(), |c| body + c);
                        value = &text[body..close];
                        i = (close + 1).min(b.len());
                    }
                    _ => {
                        let start = i;
                        while i < b.len() && !space(b[i]) {
                            i += 1;
                        }
                        value = &text[start..i];
                    }
                }
            }
            for (slot, name) in out.iter_mut().zip(names) {
                if slot.is_none() && key.eq_ignore_ascii_case(name) {
                    *slot = Some(value);
                }
            }
        }
    }
}

/// A tag name of up to eight bytes as one number, so that asking whether it is one of a
/// list of names compares integers, not strings (every page has thousands of tags); longer
/// names are none of the names asked about.
pub(super) const fn tag_key(name: &str) -> u64 {
    let b = name.as_bytes();
    if b.is_empty() || b.len() > 8 {
        return 0;
    }
    let mut key = 0u64;
    let mut i = 0;
    while i < b.len() {
        key = (key << 8) | b[i] as u64;
        i += 1;
    }
    key
}

/// Tag names as [`tag_key`]s (a list of names in lower case, eight bytes at most each).
macro_rules! tag_keys {
    ($($name:literal),* $(,)?) => {
        [$({
            const KEY: u64 = tag_key($name);
            assert!(KEY != 0, "a name of one to eight bytes");
            KEY
        }),*]
    };
}
pub(super) use tag_keys;

/// Elements whose content is text up to their end tag, never tags.
fn raw_text(name: &str) -> bool {
    const RAW_TEXT: [u64; 8] =
        tag_keys!["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",];
    RAW_TEXT.contains(&tag_key(name))
}

/// Reads `html`, reporting to `out`. Tag names are reported in lower case.
pub(super) fn scan(html: &str, out: &mut impl Tokens) {
    let mut rest = html;
    let mut name_buf = String::new();
    while !rest.is_empty() {
        let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) else {
            text(rest, out);
            return;
        };
        if lt > 0 {
            text(&rest[..lt], out);
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = if closing { 2 } else { 1 };
        let body = &rest[name_start..];
        if !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // A `<` that opens no tag is text.
            text("<", out);
            rest = &rest[1..];
            continue;
        }
        let name_len = body
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .unwrap_or(body.len());
        name_buf.clear();
        name_buf.push_str(&body[..name_len]);
        name_buf.make_ascii_lowercase();
        let tag_end = tag_end(&body[name_len..]).map(|e| name_len + e);
        let Some(tag_end) = tag_end else {
            return;
        };
        let inner = &body[name_len..tag_end];
        rest = &body[tag_end + 1..];
        if closing {
            out.end(&name_buf);
            continue;
        }
        let self_closing = inner.trim_end().ends_with('/');
        out.start(&name_buf, Attrs(inner), self_closing);
        if raw_text(&name_buf) && !self_closing {
            // Up to the matching end tag, as text (script and style are skipped by the
            // reader; a title's text is read).
            let close = format!("</{name_buf}");
            let end = find_ignore_case(rest, &close).unwrap_or(rest.len());
            text(&rest[..end], out);
            rest = &rest[end..];
        }
    }
}

/// The `>` that ends a tag, outside quoted attribute values.
fn tag_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut at = 0;
    loop {
        at += memchr::memchr3(b'>', b'"', b'\'', &b[at..])?;
        match b[at] {
            b'>' => return Some(at),
            quote => at += 1 + memchr::memchr(quote, &b[at + 1..])? + 1,
        }
    }
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Text with its character references decoded: the ones the engine writes (`&amp;` `&lt;`
/// `&gt;` `&quot;` `&#39;`), `&apos;`, `&nbsp;` and numeric ones; any other `&` stays as is.
fn text(raw: &str, out: &mut impl Tokens) {
    if memchr::memchr(b'&', raw.as_bytes()).is_none() {
        out.text(raw);
        return;
    }
    let mut decoded = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        decoded.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.find(';').filter(|&s| s <= 10);
        let decoded_char = semi.and_then(|s| reference(&rest[1..s]));
        match (semi, decoded_char) {
            (Some(s), Some(c)) => {
                decoded.push(c);
                rest = &rest[s + 1..];
            }
            _ => {
                decoded.push('&');
                rest = &rest[1..];
            }
        }
    }
    decoded.push_str(rest);
    out.text(&decoded);
}

fn reference(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Log(Vec<String>);

    impl Tokens for Log {
        fn start(&mut self, name: &str, attrs: Attrs<'_>, self_closing: bool) {
            let id = attrs.get("id").unwrap_or("-");
            self.0.push(format!(
                "<{name} id={id}{}>",
                if self_closing { "/" } else { "" }
            ));
        }
        fn end(&mut self, name: &str) {
            self.0.push(format!("</{name}>"));
        }
        fn text(&mut self, text: &str) {
            self.0.push(text.to_string());
        }
    }

    fn log(html: &str) -> Vec<String> {
        let mut l = Log::default();
        scan(html, &mut l);
        l.0
    }

    #[test]
    fn tags_attributes_and_text() {
        assert_eq!(
            log(r#"<H2 class="a>b" id='x y'>A &amp; B&#39;s &#x41;&copy;</h2><br/>"#),
            ["<h2 id=x y>", "A & B's A&copy;", "</h2>", "<br id=-/>"]
        );
        assert_eq!(
            log("<p data-x=1 id=bare hidden>1 < 2</p>"),
            ["<p id=bare>", "1 ", "<", " 2", "</p>"]
        );
    }

    #[test]
    fn attributes_are_read_in_one_pass_whatever_their_case_and_quotes() {
        let values = |attrs: &'static str| Attrs(attrs).values(["id", "aria-hidden"]);
        assert_eq!(
            values(r#" class="hidden id" ARIA-HIDDEN = 'true' ID=x id="y""#),
            [Some("x"), Some("true")]
        );
        assert_eq!(values(" data-id=\"1\" hidden/"), [None, None]);
        assert_eq!(values(" id aria-hidden=\"tr"), [Some(""), Some("tr")]);
        assert_eq!(values(""), [None, None]);
        assert_eq!(
            values(" id=\u{3000}\"zen\""),
            [Some("\u{3000}\"zen\""), None],
            "no whitespace beyond ASCII's"
        );
    }

    #[test]
    fn tag_names_compare_as_numbers() {
        assert_eq!(tag_key("a"), u64::from(b'a'));
        assert_ne!(tag_key("noscript"), tag_key("noscrip"));
        assert_eq!(tag_key("blockquote"), 0, "longer than eight bytes: no key");
        assert!(raw_text("textarea") && !raw_text("text"));
    }

    #[test]
    fn comments_doctype_and_raw_text_are_not_tags() {
        assert_eq!(
            log("<!doctype html><!-- <h2> --><script>if (a<b) {}</script><p>x</p>"),
            [
                "<script id=->",
                "if (a<b) {}",
                "</script>",
                "<p id=->",
                "x",
                "</p>"
            ]
        );
    }
}
