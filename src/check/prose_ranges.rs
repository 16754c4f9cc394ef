//! Which parts of a source file are prose, for rule 3 (`typed`): the text of Markdown and
//! templates outside template code (and the literals inside it), the values of front
//! matter and TOML files. Each function gives byte ranges of the file's text.

use std::ops::Range;

/// Byte ranges of `text[r]` outside `{{ … }}`, `{% … %}` and `{# … #}`.
pub(super) fn outside_template_code(text: &str, r: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = r.start;
    let mut start = r.start;
    while pos < r.end {
        let rest = &text[pos..r.end];
        let close = if rest.starts_with("{{") {
            Some("}}")
        } else if rest.starts_with("{%") {
            Some("%}")
        } else if rest.starts_with("{#") {
            Some("#}")
        } else {
            None
        };
        match close {
            Some(close) => {
                if start < pos {
                    out.push(start..pos);
                }
                let end = rest[2..]
                    .find(close)
                    .map(|i| pos + 2 + i + 2)
                    .unwrap_or(r.end);
                if close != "#}" {
                    out.extend(literals(text, pos + 2..end.saturating_sub(2).max(pos + 2)));
                }
                pos = end;
                start = end;
            }
            None => pos += rest.chars().next().map(char::len_utf8).unwrap_or(1),
        }
    }
    if start < r.end {
        out.push(start..r.end);
    }
    out
}

/// The string and number literals of template code: `{{ 995 }}` or
/// `{{ "mail.sample.co.jp" }}` prints a value typed by hand as surely as prose does.
fn literals(text: &str, r: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let code = &text[r.clone()];
    let mut chars = code.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        if c == '"' || c == '\'' {
            let from = i + 1;
            let mut to = code.len();
            let mut escaped = false;
            for (j, d) in chars.by_ref() {
                if escaped {
                    escaped = false;
                } else if d == '\\' {
                    escaped = true;
                } else if d == c {
                    to = j;
                    break;
                }
            }
            out.push(r.start + from..r.start + to);
            prev = Some(c);
            continue;
        }
        let starts_number =
            c.is_ascii_digit() && !prev.is_some_and(|p| p.is_ascii_alphanumeric() || p == '_');
        if starts_number {
            let mut to = i + 1;
            while let Some(&(j, d)) = chars.peek() {
                if !(d.is_ascii_alphanumeric() || d == '_' || d == '.') {
                    break;
                }
                to = j + d.len_utf8();
                chars.next();
            }
            out.push(r.start + i..r.start + to);
            prev = code[..to].chars().next_back();
            continue;
        }
        prev = Some(c);
    }
    out
}

/// The values of `title = …` and `description = …` in a front matter block.
pub(super) fn front_matter_text(fm: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in fm.split_inclusive('\n') {
        let key = line.split('=').next().unwrap_or("").trim();
        if (key == "title" || key == "description") && line.contains('=') {
            let eq = line.find('=').unwrap_or(0) + 1;
            out.push(offset + eq..offset + line.len());
        }
        offset += line.len();
    }
    out
}

/// The values of a client file's localized texts: `key.{lang} = …` lines for a site
/// language, except the `confidence`/`shown` marks (vocabulary, not text). `source`
/// is a maintainer note, never rendered, and not localized, so it is not scanned.
pub(super) fn localized_values(text: &str, languages: &[String]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if let (false, Some(eq)) = (t.starts_with('#'), line.find('=')) {
            let key = line[..eq].trim();
            let localized = key.rsplit_once('.').is_some_and(|(base, lang)| {
                languages.iter().any(|l| l == lang) && base != "confidence" && base != "shown"
            });
            if localized {
                out.push(offset + eq + 1..offset + line.len());
            }
        }
        offset += line.len();
    }
    out
}

/// The values (after `=`) of a TOML file's `key = value` lines, comments skipped.
pub(super) fn toml_values(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if !t.starts_with('#') && !t.starts_with('[') {
            if let Some(eq) = line.find('=') {
                out.push(offset + eq + 1..offset + line.len());
            }
        }
        offset += line.len();
    }
    out
}
