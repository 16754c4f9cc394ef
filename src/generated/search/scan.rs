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
    pub(super) fn get(&self, name: &str) -> Option<&'a str> {
        // Most tags do not hold the attribute asked for: when the tag is in lower case (the
        // engine writes it so) and the name (asked in lower case) is nowhere in it, there is
        // nothing to parse.
        debug_assert!(
            !name.bytes().any(|b| b.is_ascii_uppercase()),
            "ask in lower case"
        );
        let lower = !self.0.bytes().any(|b| b.is_ascii_uppercase());
        if lower && !self.0.contains(name) {
            return None;
        }
        let mut rest = self.0;
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() {
                return None;
            }
            let key_end = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
                .unwrap_or(rest.len());
            let key = &rest[..key_end];
            rest = rest[key_end..].trim_start();
            let mut value = "";
            if let Some(after) = rest.strip_prefix('=') {
                let after = after.trim_start();
                let (v, tail) = match after.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let body = &after[1..];
                        let close = body.find(q).unwrap_or(body.len());
                        (&body[..close], body.get(close + 1..).unwrap_or(""))
                    }
                    _ => {
                        let end = after
                            .find(|c: char| c.is_ascii_whitespace())
                            .unwrap_or(after.len());
                        (&after[..end], &after[end..])
                    }
                };
                value = v;
                rest = tail;
            }
            if key.eq_ignore_ascii_case(name) {
                return Some(value);
            }
        }
    }
}

/// Elements whose content is text up to their end tag, never tags.
fn raw_text(name: &str) -> bool {
    [
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
    ]
    .iter()
    .any(|r| name.eq_ignore_ascii_case(r))
}

/// Reads `html`, reporting to `out`. Tag names are reported in lower case.
pub(super) fn scan(html: &str, out: &mut impl Tokens) {
    let mut rest = html;
    let mut name_buf = String::new();
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
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
    let mut quote: Option<u8> = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Text with its character references decoded: the ones the engine writes (`&amp;` `&lt;`
/// `&gt;` `&quot;` `&#39;`), `&apos;`, `&nbsp;` and numeric ones; any other `&` stays as is.
fn text(raw: &str, out: &mut impl Tokens) {
    if !raw.contains('&') {
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
