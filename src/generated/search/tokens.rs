//! How text becomes search terms, at build time here and in the browser
//! (`assets/search.js` does exactly the same to a query):
//!
//! 1. NFKC, then lower case (`ＳＭＴＰ` → `smtp`, half-width kana → full-width);
//! 2. runs of CJK characters (kanji, hiragana, katakana, `ー`, `々`) become character
//!    bigrams (`送信サーバー` → `送信 信サ サー ーバ バー`), a single character stays
//!    itself: Japanese has no spaces, so splitting on them would find nothing;
//! 3. runs of other letters and digits become words (`pop3`, `995`); one-letter words
//!    are dropped (digits are kept);
//! 4. anything else separates.

use std::borrow::Cow;

use icu_normalizer::ComposingNormalizerBorrowed;

/// Normalized as the browser normalizes a query: NFKC, lower case.
pub(super) fn normalize(text: &str) -> Cow<'_, str> {
    // ASCII is its own NFKC: only its case changes.
    if text.is_ascii() {
        return if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        };
    }
    // Japanese text as it is usually written (kana, kanji, 、。「」) around ASCII is its own
    // NFKC too: checking that takes one pass, normalizing a trie lookup per character.
    if text
        .chars()
        .all(|c| c.is_ascii() || is_nfkc_stable_japanese(c))
    {
        return ascii_lowercase(Cow::Borrowed(text));
    }
    let text = ComposingNormalizerBorrowed::new_nfkc().normalize(text);
    // Almost every text of a page is ASCII, Japanese and punctuation, which have no case
    // beyond ASCII's: lower-casing ASCII in place gives exactly what `to_lowercase` gives,
    // without its per-character table lookups and a second copy.
    if text.chars().all(|c| c.is_ascii() || is_caseless(c)) {
        ascii_lowercase(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// The text with ASCII capitals lowered, copied only when it has one.
fn ascii_lowercase(mut text: Cow<'_, str>) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        text.to_mut().make_ascii_lowercase();
    }
    text
}

/// Kana, kanji and Japanese punctuation that NFKC leaves as they are, whatever stands
/// around them, and that have no case: each is its own NFKC, combines with nothing before
/// it (canonical combining class 0, never the second of a composition), so a text of
/// these and ASCII passes NFKC unchanged (Unicode's NFKC quick check; a test holds every
/// one of them to these properties). Not the ideographic space, the tone and sound marks,
/// `ゟ`, `ヿ` or the compatibility ideographs, which NFKC changes or combines.
fn is_nfkc_stable_japanese(c: char) -> bool {
    matches!(c,
        '\u{3001}'..='\u{3029}'        // 、。〃々〆〇「」『』【】〒〜… (not the space U+3000)
        | '\u{3041}'..='\u{3096}'      // hiragana
        | '\u{309D}'..='\u{309E}'      // ゝゞ
        | '\u{30A0}'..='\u{30FE}'      // katakana, ・, ー, ヽヾ
        | '\u{3400}'..='\u{4DBF}'      // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
    )
}

/// A character no lower-casing changes, checked cheaply: Japanese, and anything that is
/// not a letter (punctuation, arrows, symbols; a test holds every such character of
/// Unicode to `to_lowercase`).
fn is_caseless(c: char) -> bool {
    is_cjk(c) || is_cjk_punctuation(c) || !c.is_alphabetic()
}

/// Japanese punctuation (`、。「」〜・`): neither letter nor digit, answered without the
/// Unicode tables (a test holds every one of them to them).
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}' | '\u{30FB}')
}

/// A character written without spaces between words (Japanese).
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3005}'..='\u{3007}'          // 々 〆 〇
        | '\u{3040}'..='\u{309F}'        // hiragana
        | '\u{30A0}'..='\u{30FA}'        // katakana (not the middle dot ・)
        | '\u{30FC}'..='\u{30FF}'        // ー and katakana iteration marks
        | '\u{31F0}'..='\u{31FF}'        // katakana extensions
        | '\u{3400}'..='\u{4DBF}'        // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'        // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
    )
}

fn is_word(c: char) -> bool {
    !is_cjk(c) && (c.is_alphabetic() || c.is_numeric())
}

/// A term of a text: a slice of it, and for a Japanese term (one or two characters) or a
/// short ASCII word (seven bytes at most) the term packed in one number, which the index
/// looks up faster than the string. Different terms never pack alike: characters are below
/// 2²¹, so a Japanese term is below 2⁵³, and a word's bytes are tagged with the top bit.
#[derive(Clone, Copy)]
pub(super) struct Term<'t> {
    pub text: &'t str,
    pub packed: Option<u64>,
}

/// A short ASCII word as a number (see [`Term`]): its bytes, which are never zero, so
/// words of different lengths differ too.
fn pack_word(word: &str) -> Option<u64> {
    if word.len() > 7 || !word.is_ascii() {
        return None;
    }
    let bytes = word.bytes().fold(0u64, |key, b| (key << 8) | u64::from(b));
    Some(1 << 63 | bytes)
}

/// Calls `term` with each term of a text that is already [`normalize`]d, in order, repeats
/// included; every term is a slice of the text (a bigram is two neighbouring characters).
pub(super) fn each_term<'t>(normalized: &'t str, mut term: impl FnMut(Term<'t>)) {
    // The run of CJK or word characters being read: its start, and the start of its
    // previous character (for bigrams) and that character.
    let mut run: Option<(usize, bool)> = None;
    let mut prev: Option<(usize, char)> = None;
    let mut count = 0usize;
    for (i, c) in normalized
        .char_indices()
        .chain(std::iter::once((normalized.len(), ' ')))
    {
        let kind = if c.is_ascii() {
            c.is_ascii_alphanumeric().then_some(false)
        } else if is_cjk(c) {
            Some(true)
        } else if !is_cjk_punctuation(c) && is_word(c) {
            Some(false)
        } else {
            None
        };
        if let Some((start, cjk)) = run {
            if kind == Some(cjk) {
                if cjk {
                    // A bigram ends with this character.
                    let (from, first) = prev.unwrap_or((start, c));
                    term(Term {
                        text: &normalized[from..i + c.len_utf8()],
                        packed: Some((u64::from(first) << 32) | u64::from(c)),
                    });
                }
                prev = Some((i, c));
                count += 1;
                continue;
            }
            // The run ends before `i`.
            let text = &normalized[start..i];
            if cjk {
                if count == 1 {
                    let only = prev.map_or(0, |(_, c)| u64::from(c));
                    term(Term {
                        text,
                        packed: Some(only),
                    });
                }
            } else if count > 1 || text.starts_with(char::is_numeric) {
                term(Term {
                    text,
                    packed: pack_word(text),
                });
            }
            run = None;
        }
        if let Some(cjk) = kind {
            run = Some((i, cjk));
            prev = Some((i, c));
            count = 1;
        }
    }
}

/// The terms of a text that is already [`normalize`]d, in order, repeats included.
#[cfg(test)]
fn terms(normalized: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_term(normalized, |t| {
        let chars: Vec<char> = t.text.chars().collect();
        // A Japanese term's number is its characters, one or two.
        let packed = match chars[..] {
            [a, b] if is_cjk(a) => Some((u64::from(a) << 32) | u64::from(b)),
            [a] if is_cjk(a) => Some(u64::from(a)),
            // A short word's bytes, right-aligned in eight, tagged.
            _ if t.text.len() <= 7 && t.text.is_ascii() => {
                let mut bytes = [0u8; 8];
                bytes[8 - t.text.len()..].copy_from_slice(t.text.as_bytes());
                Some(u64::from_be_bytes(bytes) | 1 << 63)
            }
            _ => None,
        };
        assert_eq!(t.packed, packed, "{}", t.text);
        out.push(t.text.to_string());
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Vec<String> {
        terms(&normalize(s))
    }

    #[test]
    fn japanese_becomes_bigrams_and_english_words() {
        assert_eq!(t("送信サーバー"), ["送信", "信サ", "サー", "ーバ", "バー"]);
        assert_eq!(t("SMTP認証"), ["smtp", "認証"]);
        assert_eq!(
            t("Outgoing mail server: 587"),
            ["outgoing", "mail", "server", "587"]
        );
        assert_eq!(t("a 1 「送」"), ["1", "送"]);
    }

    #[test]
    fn full_width_and_half_width_forms_are_the_same_terms() {
        assert_eq!(t("ＳＭＴＰ　９９５"), t("smtp 995"));
        assert_eq!(t("ｻｰﾊﾞｰ"), t("サーバー"));
        assert_eq!(t("ＰＯＰ３"), ["pop3"]);
    }

    #[test]
    fn the_fast_lower_case_is_the_full_one() {
        for text in [
            "SMTP認証「ＰＯＰ３」・ｻｰﾊﾞｰ　Outlook",
            "ΟΔΟΣ Straße İstanbul ǅ",
            "「設定」→ “Next” — 1–2 × Ⅳ Ⓐ ①",
            "受信メールサーバー（POP3）",
            "",
        ] {
            let nfkc = ComposingNormalizerBorrowed::new_nfkc().normalize(text);
            assert_eq!(normalize(text), nfkc.to_lowercase(), "{text}");
        }
    }

    #[test]
    fn stable_japanese_is_left_alone_by_nfkc_and_lower_case() {
        use icu_normalizer::properties::{
            CanonicalCombiningClassMapBorrowed, CanonicalDecompositionBorrowed, Decomposed,
        };
        let nfkc = ComposingNormalizerBorrowed::new_nfkc();
        let ccc = CanonicalCombiningClassMapBorrowed::new();
        let stable: Vec<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_nfkc_stable_japanese(c))
            .collect();
        assert!(stable.len() > 27_000, "{}", stable.len());
        for &c in &stable {
            let one = c.to_string();
            assert_eq!(nfkc.normalize(&one), one, "{c:?} is changed by NFKC");
            assert_eq!(
                ccc.get_u8(c),
                0,
                "{c:?} combines with what stands before it"
            );
            assert!(c.to_lowercase().eq([c]), "{c:?} changes under to_lowercase");
        }
        // Nothing composes with one of them, or with ASCII, as its second part.
        let decompose = CanonicalDecompositionBorrowed::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if let Decomposed::Expansion(_, second) = decompose.decompose(c) {
                assert!(
                    !is_nfkc_stable_japanese(second) && !second.is_ascii(),
                    "{c:?} is composed with {second:?}"
                );
            }
        }
        // And so a text of them, ASCII around, is its own NFKC.
        let text: String = stable.iter().step_by(7).collect::<String>() + "SMTP 995 a\u{309A}";
        assert_eq!(normalize(&text), nfkc.normalize(&text).to_lowercase());
    }

    #[test]
    fn japanese_punctuation_is_neither_letter_nor_digit() {
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_cjk_punctuation(c))
        {
            assert!(!c.is_alphabetic() && !c.is_numeric() && !is_cjk(c), "{c:?}");
        }
    }

    #[test]
    fn what_counts_as_caseless_keeps_its_case() {
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_caseless(c))
        {
            assert!(c.to_lowercase().eq([c]), "{c:?} changes under to_lowercase");
        }
    }

    #[test]
    fn the_middle_dot_and_punctuation_separate() {
        assert_eq!(t("POP・IMAP"), ["pop", "imap"]);
        assert_eq!(t("info@sample.co.jp"), ["info", "sample", "co", "jp"]);
        assert_eq!(t("受信。送信"), ["受信", "送信"]);
    }
}
