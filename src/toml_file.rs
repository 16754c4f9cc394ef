//! Parsing TOML into typed values with located errors.
//!
//! Every TOML input (config, matrix, client files, UI strings, front matter, allow-list)
//! goes through [`document`], which also refuses control characters in keys and text, so
//! no loader needs a rule of its own for them.

use std::borrow::Cow;
use std::fmt::Write;
use std::ops::Range;

use serde::de::DeserializeOwned;
use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue};

use crate::controls;
use crate::diag::{Diagnostic, Diagnostics, SourceFile};

/// Parses a whole file; syntax errors, unknown keys, wrong types and control characters
/// come back located.
pub fn parse<T: DeserializeOwned>(source: &SourceFile) -> Result<T, Diagnostics> {
    parse_at(source, &source.text, 0)
}

/// Parses `text`, a slice of `source` starting at byte `offset` (e.g. front matter).
pub fn parse_at<T: DeserializeOwned>(
    source: &SourceFile,
    text: &str,
    offset: usize,
) -> Result<T, Diagnostics> {
    document(source, text, offset, |doc| {
        T::deserialize(toml::de::Deserializer::from(doc))
            .map_err(|e| error_at(source, offset, &e).into())
    })
}

/// Parses `text` (a slice of `source` at byte `offset`) into its spanned document and
/// hands it to `read`, for loaders that need the document itself (UI strings). Problems
/// of both are returned together, sorted by place.
pub fn document<R>(
    source: &SourceFile,
    text: &str,
    offset: usize,
    read: impl FnOnce(Spanned<DeTable<'_>>) -> Result<R, Diagnostics>,
) -> Result<R, Diagnostics> {
    let raw = controls::refused(text);
    // TOML itself rejects raw ASCII control characters with a syntax error that names
    // neither the character nor the key; a space in their place (same byte length, so
    // every span stays right) lets the document parse and each one be reported below
    // with the key it is in.
    let parsed_text: Cow<str> = if raw.iter().any(|&(_, c)| c.is_ascii()) {
        let mut bytes = text.as_bytes().to_vec();
        for &(at, c) in &raw {
            if c.is_ascii() {
                bytes[at] = b' ';
            }
        }
        Cow::Owned(String::from_utf8(bytes).expect("one ASCII byte replaced by another"))
    } else {
        Cow::Borrowed(text)
    };
    let mut problems = Diagnostics::new();
    let mut claimed = Vec::new();
    let result = match toml::de::DeTable::parse(&parsed_text) {
        Ok(doc) => {
            let mut walk = Walk {
                source,
                text,
                offset,
                raw_in_text: !raw.is_empty(),
                claimed: &mut claimed,
                problems: &mut problems,
            };
            walk.table(&mut String::new(), doc.get_ref());
            read(doc)
        }
        Err(e) => Err(error_at(source, offset, &e).into()),
    };
    for (at, c) in raw {
        if !claimed.contains(&at) {
            problems.push(Diagnostic::at(
                source,
                offset + at..offset + at,
                format!(
                    "control character {}: {}",
                    controls::name(c),
                    controls::ALLOWED
                ),
            ));
        }
    }
    match result {
        Ok(value) if problems.is_empty() => Ok(value),
        Ok(_) => Err(problems.into_result().unwrap_err()),
        Err(more) => {
            problems.extend(more);
            Err(problems.into_result().unwrap_err())
        }
    }
}

fn error_at(source: &SourceFile, offset: usize, e: &toml::de::Error) -> Diagnostic {
    let start = e.span().map(|s| s.start).unwrap_or(0);
    Diagnostic::at(
        source,
        offset + start..offset + start,
        tidy_message(e.message()),
    )
}

/// Looks for control characters in every key and text of a document.
struct Walk<'a> {
    source: &'a SourceFile,
    /// The text as written (the parsed copy may have spaces for control characters).
    text: &'a str,
    offset: usize,
    /// Whether `text` holds refused raw control characters (a CR of a CRLF is not one).
    raw_in_text: bool,
    /// Offsets (in `text`) of the raw control characters reported with their key.
    claimed: &'a mut Vec<usize>,
    problems: &'a mut Diagnostics,
}

impl Walk<'_> {
    fn table(&mut self, path: &mut String, table: &DeTable<'_>) {
        for (key, value) in table {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            push_key(path, key.get_ref());
            self.text(
                key.get_ref(),
                key.span(),
                |path| match len {
                    0 => "a key of the top level".to_string(),
                    _ => format!("a key of `{}`", &path[..len]),
                },
                path,
            );
            self.value(path, value);
            path.truncate(len);
        }
    }

    fn value(&mut self, path: &mut String, value: &Spanned<DeValue<'_>>) {
        match value.get_ref() {
            DeValue::String(s) => self.text(s, value.span(), |path| format!("`{path}`"), path),
            DeValue::Table(t) => self.table(path, t),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    // Writing to a String cannot fail.
                    let _ = write!(path, "[{i}]");
                    self.value(path, item);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }

    /// Reports the refused characters of one key or string, `decoded` as the parser read
    /// it, at `span` in the text; `what` names it (from the path to it) when there is one.
    fn text(
        &mut self,
        decoded: &str,
        span: Range<usize>,
        what: impl FnOnce(&str) -> String,
        path: &str,
    ) {
        // Nearly every text holds none. Without refused raw ones in the file, only an escape
        // can make one, and it is in what the parser decoded: a decoded text without any,
        // and without a carriage return (whether one is refused depends on what follows it
        // as written, which the locator below reads), needs no locating.
        if !self.raw_in_text
            && memchr::memchr(b'\r', decoded.as_bytes()).is_none()
            && controls::refused(decoded).is_empty()
        {
            return;
        }
        let Some(written) = self.text.get(span.clone()) else {
            return;
        };
        let what = what(path);
        // Read from the text as written: it has the raw characters the parsed copy lost,
        // and each one's place, escapes included.
        let mut found: Vec<(usize, char)> = controls::refused_in(decode_located(written))
            .into_iter()
            .map(|(at, c)| (span.start + at, c))
            .collect();
        if found.is_empty() {
            // The locator missed what the parser decoded (a form of string it does not
            // know): still report it, at the start of the value.
            found = controls::refused(decoded)
                .into_iter()
                .map(|(_, c)| (span.start, c))
                .collect();
        }
        for (at, c) in found {
            self.claimed.push(at);
            let at = self.offset + at;
            self.problems.push(Diagnostic::at(
                self.source,
                at..at,
                format!(
                    "control character {} in {what}: {}",
                    controls::name(c),
                    controls::ALLOWED
                ),
            ));
        }
    }
}

/// A key as it would be written in the file: bare when it can be, quoted otherwise.
fn push_key(path: &mut String, key: &str) {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        path.push_str(key);
    } else {
        path.push('"');
        path.push_str(&key.replace('\\', "\\\\").replace('"', "\\\""));
        path.push('"');
    }
}

/// The characters of a TOML key or string as written (quotes included), each with the
/// byte offset of what produced it: the character itself, or the escape that stands for
/// it (`\e`, `\u001b`, …). Only used to place control characters, so the parts that
/// cannot produce one (quotes, line-ending backslashes) need not be exact.
fn decode_located(written: &str) -> Vec<(usize, char)> {
    let mut out = Vec::new();
    let mut chars = written.char_indices().peekable();
    if !written.starts_with('"') {
        // Bare keys and literal strings have no escapes.
        return chars.collect();
    }
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            out.push((at, c));
            continue;
        }
        let Some(&(_, e)) = chars.peek() else { break };
        let simple = match e {
            'b' => Some('\u{8}'),
            't' => Some('\t'),
            'n' => Some('\n'),
            'f' => Some('\u{c}'),
            'r' => Some('\r'),
            'e' => Some('\u{1b}'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            _ => None,
        };
        if let Some(decoded) = simple {
            chars.next();
            out.push((at, decoded));
            continue;
        }
        let digits = match e {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            // A line-ending backslash: what follows is read as written.
            _ => continue,
        };
        chars.next();
        let mut hex = String::new();
        while hex.len() < digits {
            match chars.peek() {
                Some(&(_, h)) if h.is_ascii_hexdigit() => {
                    hex.push(h);
                    chars.next();
                }
                _ => break,
            }
        }
        if let Some(decoded) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
            out.push((at, decoded));
        }
    }
    out
}

/// toml's messages end with a newline and sometimes spell out serde internals.
fn tidy_message(msg: &str) -> String {
    // serde calls enum members "variants", which reads as the matrix's connection variants.
    msg.trim()
        .replace('\n', "; ")
        .replace("unknown variant", "unknown value")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn problems(text: &str) -> Vec<String> {
        let source = SourceFile::new("x.toml", text.to_string());
        match parse::<toml::Table>(&source) {
            Ok(_) => Vec::new(),
            Err(d) => d.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn escaped_control_characters_are_located_at_their_escape() {
        let text = "[meta]\nname.en = \"Basic \\u001b[31m\"\n[[plans]]\nid = \"a\"\n[[plans]]\nnote = 'ok'\ntext = \"\"\"\nli\\rne\\r\nx\\e\"\"\"\n";
        assert_eq!(
            problems(text),
            [
                format!(
                    "x.toml:2:18: control character U+001B (ESC) in `meta.name.en`: {}",
                    controls::ALLOWED
                ),
                format!(
                    "x.toml:8:3: control character U+000D (CR) in `plans[1].text`: {}",
                    controls::ALLOWED
                ),
                format!(
                    "x.toml:9:2: control character U+001B (ESC) in `plans[1].text`: {}",
                    controls::ALLOWED
                ),
            ]
        );
    }

    #[test]
    fn raw_control_characters_are_named_with_their_key() {
        let text = "a = \"x\u{1b}y\"\n\"k\u{7}\" = 1\nb = 'c\u{85}'\n# note\u{0}\n";
        assert_eq!(
            problems(text),
            [
                format!(
                    "x.toml:1:7: control character U+001B (ESC) in `a`: {}",
                    controls::ALLOWED
                ),
                format!(
                    "x.toml:2:3: control character U+0007 (BEL) in a key of the top level: {}",
                    controls::ALLOWED
                ),
                format!(
                    "x.toml:3:7: control character U+0085 (NEL) in `b`: {}",
                    controls::ALLOWED
                ),
                format!(
                    "x.toml:4:7: control character U+0000 (NUL): {}",
                    controls::ALLOWED
                ),
            ]
        );
    }

    #[test]
    fn an_escaped_carriage_return_is_judged_as_written_whatever_else_the_file_holds() {
        // As parsed, `\r` and `\n` meet across a line-ending backslash (an allowed CRLF);
        // as written, the CR stands before spaces: refused, with or without a raw control
        // character elsewhere in the file.
        let value = "z = \"\"\"q\\r\\  \n\\nw\"\"\"\n";
        let alone = problems(value);
        assert_eq!(alone.len(), 1, "{alone:?}");
        assert!(alone[0].contains("U+000D (CR) in `z`"), "{alone:?}");
        let with_raw = problems(&format!("{value}r = \"raw\u{1}\"\n"));
        assert!(with_raw.contains(&alone[0]), "{with_raw:?}");
    }

    #[test]
    fn tabs_line_breaks_and_escaped_backslashes_are_text() {
        assert!(
            problems("a = \"x\\ty\\n\\\\u001b\"\nb = \"\"\"\r\nl1\r\nl2\"\"\"\r\nc = '\\e'\n")
                .is_empty()
        );
    }

    #[test]
    fn control_characters_and_type_errors_are_reported_together() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            title: String,
        }
        let source = SourceFile::new("x.toml", "title = \"\\u0000\"\nother = 1\n".into());
        let err = parse::<T>(&source).unwrap_err();
        let lines: Vec<String> = err.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("x.toml:1:10: control character U+0000 (NUL) in `title`"));
        assert!(
            lines[1].starts_with("x.toml:2:1: unknown field `other`"),
            "{lines:?}"
        );
    }
}
