//! Control characters (Unicode category Cc): which ones inputs may not contain, and how
//! text that may hold them is shown.
//!
//! A control character in the data reaches the HTML, where it is invisible or breaks a
//! customer's copy and paste; echoed raw to a terminal, it can move the cursor, recolour or
//! retitle the window. So inputs refuse them (located, see [`refused`]) and whatever is
//! echoed goes through [`escape_line`] or [`escape_text`].

use std::borrow::Cow;

/// Tab and line feed are ordinary text; carriage return only as half of a CRLF line end,
/// which [`refused_in`] decides because it needs the next character.
fn is_refused(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

/// The refused control characters of a sequence of (position, character): every Cc other
/// than tab, line feed and a carriage return directly followed by a line feed.
pub fn refused_in<P: Copy>(chars: impl IntoIterator<Item = (P, char)>) -> Vec<(P, char)> {
    let mut out = Vec::new();
    let mut chars = chars.into_iter().peekable();
    while let Some((at, c)) = chars.next() {
        let crlf = c == '\r' && chars.peek().is_some_and(|&(_, next)| next == '\n');
        if is_refused(c) && !crlf {
            out.push((at, c));
        }
    }
    out
}

/// The refused control characters of `text`, with their byte offsets.
pub fn refused(text: &str) -> Vec<(usize, char)> {
    if !may_hold_controls(text.as_bytes()) {
        return Vec::new();
    }
    refused_in(text.char_indices())
}

/// Whether `bytes` may hold a refused control character: every one is a byte below 0x20,
/// 0x7F, or 0xC2 followed by 0x80–0x9F in UTF-8, so text without those bytes (other than
/// tab and line feed) holds none. A build reads every page through this, eight bytes at a
/// time; only words that hold such a byte are looked at byte by byte.
fn may_hold_controls(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // A byte of `w` is below `n` (for n ≤ 0x80): the classic "has less" test.
    let has_less = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & HIGHS != 0;
    let has = |w: u64, b: u8| has_less(w ^ (ONES * u64::from(b)), 1);
    let suspect = |b: &u8| (*b < 0x20 && *b != b'\t' && *b != b'\n') || *b == 0x7f || *b == 0xc2;
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let w = u64::from_ne_bytes(chunk.try_into().expect("eight bytes"));
        if (has_less(w, 0x20) || has(w, 0x7f) || has(w, 0xc2)) && chunk.iter().any(suspect) {
            return true;
        }
    }
    words.remainder().iter().any(suspect)
}

/// The phrase that closes every message about a refused character, so they all say what is
/// allowed.
pub const ALLOWED: &str =
    "text may hold tabs and line breaks but no other control character; delete it \
     (most editors do not show it)";

const C0: [&str; 32] = [
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
    "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC",
    "FS", "GS", "RS", "US",
];
const C1: [&str; 32] = [
    "PAD", "HOP", "BPH", "NBH", "IND", "NEL", "SSA", "ESA", "HTS", "HTJ", "VTS", "PLD", "PLU",
    "RI", "SS2", "SS3", "DCS", "PU1", "PU2", "STS", "CCH", "MW", "SPA", "EPA", "SOS", "SGCI",
    "SCI", "CSI", "ST", "OSC", "PM", "APC",
];

/// `U+001B (ESC)`: the code point, which people can search for, and its short name.
pub fn name(c: char) -> String {
    let n = c as u32;
    let short = match n {
        0..=0x1f => C0[n as usize],
        0x7f => "DEL",
        0x80..=0x9f => C1[(n - 0x80) as usize],
        _ => return format!("U+{n:04X}"),
    };
    format!("U+{n:04X} ({short})")
}

/// `text` for one line of output: every control character escaped (`\u{1b}`, `\n`), so
/// nothing it holds can act on the terminal or split the line.
pub fn escape_line(text: &str) -> Cow<'_, str> {
    escape(text, |c| c.is_control())
}

/// `text` for multi-line output: tabs and line feeds kept, every other control character
/// escaped.
pub fn escape_text(text: &str) -> Cow<'_, str> {
    escape(text, is_refused)
}

fn escape(text: &str, needs: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            _ if !needs(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_lf_and_crlf_are_text_everything_else_in_cc_is_refused() {
        let text = "a\tb\r\nc\rd\u{0}e\u{1b}f\u{7f}g\u{85}h\u{9b}i\u{a0}j";
        let found: Vec<char> = refused(text).into_iter().map(|(_, c)| c).collect();
        assert_eq!(
            found,
            ['\r', '\u{0}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}']
        );
        assert_eq!(refused(text)[0].0, text.find("\rd").unwrap());
        assert!(refused("plain\ntext\r\n").is_empty());
        assert_eq!(refused("ends in CR\r"), [(10, '\r')]);
    }

    #[test]
    fn the_fast_pass_misses_no_character() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            // At every position of an eight-byte word, and in the tail after the words.
            for pad in 0..17 {
                let text = format!("{}{c}b", "a".repeat(pad));
                assert_eq!(refused(&text), refused_in(text.char_indices()), "{c:?}");
            }
        }
    }

    #[test]
    fn names_give_the_code_point_and_the_short_name() {
        assert_eq!(name('\u{1b}'), "U+001B (ESC)");
        assert_eq!(name('\u{0}'), "U+0000 (NUL)");
        assert_eq!(name('\u{7f}'), "U+007F (DEL)");
        assert_eq!(name('\u{85}'), "U+0085 (NEL)");
        assert_eq!(name('\u{9f}'), "U+009F (APC)");
        assert_eq!(name('\u{2028}'), "U+2028");
    }

    #[test]
    fn escaping_leaves_no_control_character() {
        let text = "x\u{1b}[2Jy\n\tz\u{9b}\r";
        assert_eq!(escape_line(text), "x\\u{1b}[2Jy\\n\\tz\\u{9b}\\r");
        assert_eq!(escape_text(text), "x\\u{1b}[2Jy\n\tz\\u{9b}\\r");
        assert!(matches!(escape_line("受信 plain"), Cow::Borrowed(_)));
    }
}
