//! E-mail addresses as customers type them, including internationalized domains.
//!
//! People see the Unicode form (例え.jp); mail clients and JSON get the ASCII
//! (punycode) form (xn--r8jz45g.jp).

use std::fmt;

/// A syntactically valid address with its domain in both forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub local: String,
    /// Lower-case ASCII (punycode) form of the domain.
    pub domain_ascii: String,
    /// Unicode form of the domain, for people.
    pub domain_unicode: String,
    /// Length in bytes of the registrable part's public suffix in `domain_ascii` (e.g. `co.jp`).
    suffix_len: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressError(pub String);

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AddressError {}

const LOCAL_SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~.";

impl Address {
    pub fn parse(input: &str) -> Result<Address, AddressError> {
        let err = |why: &str| {
            Err(AddressError(format!(
                "malformed e-mail address `{input}`: {why}"
            )))
        };
        // Typed with the Japanese input method still on: full-width ASCII forms (ｉｎｆｏ＠…)
        // and the ideographic space are the ASCII they stand for.
        let half_width = half_width(input);
        let input_trimmed = half_width.trim();
        let Some((local, domain)) = input_trimmed.rsplit_once('@') else {
            return err("it has no `@` (expected something like info@example.jp)");
        };
        if local.is_empty() {
            return err("nothing before the `@`");
        }
        if local.len() > 64 {
            return err("the part before the `@` is longer than 64 characters");
        }
        if let Some(c) = local
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || LOCAL_SPECIALS.contains(*c)))
        {
            return err(&format!("`{c}` is not allowed before the `@`"));
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return err("dots before the `@` must not start, end or repeat");
        }
        if domain.is_empty() {
            return err("nothing after the `@`");
        }
        let domain_ascii = match idna::domain_to_ascii_strict(domain) {
            Ok(d) => d,
            Err(_) => return err(&format!("`{domain}` is not a valid domain name")),
        };
        if !domain_ascii.contains('.') {
            return err(&format!(
                "`{domain}` has no dot; a mail domain looks like example.jp"
            ));
        }
        if domain_ascii.len() > 253 {
            return err("the domain is longer than 253 characters");
        }
        // No top-level domain is a number: `127.0.0.1` is an IP address, not a domain.
        if domain_ascii
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
        {
            return err(&format!(
                "`{domain}` ends in a number: it is an IP address, not a mail domain (expected something like example.jp)"
            ));
        }
        let suffix_len = match psl::suffix(domain_ascii.as_bytes()) {
            Some(s) if s.as_bytes().len() < domain_ascii.len() => s.as_bytes().len(),
            _ => {
                return err(&format!(
                    "`{domain}` is a public suffix, not a domain that can receive mail"
                ))
            }
        };
        let (domain_unicode, _) = idna::domain_to_unicode(&domain_ascii);
        Ok(Address {
            local: local.to_string(),
            domain_ascii,
            domain_unicode,
            suffix_len,
        })
    }

    pub fn ascii(&self) -> String {
        format!("{}@{}", self.local, self.domain_ascii)
    }

    pub fn unicode(&self) -> String {
        format!("{}@{}", self.local, self.domain_unicode)
    }

    /// The domain without its public suffix: `sampledomain.jp` → `sampledomain`,
    /// `sample.co.jp` → `sample`.
    pub fn stem_ascii(&self) -> &str {
        &self.domain_ascii[..self.domain_ascii.len() - self.suffix_len - 1]
    }

    pub fn stem_unicode(&self) -> String {
        idna::domain_to_unicode(self.stem_ascii()).0
    }
}

/// `text` with each full-width ASCII form (U+FF01–U+FF5E) and the ideographic space
/// (U+3000) as the ASCII character it stands for; everything else as it is. Narrower than
/// NFKC on purpose: only what a Japanese keyboard types in place of ASCII.
fn half_width(text: &str) -> std::borrow::Cow<'_, str> {
    let wide = |c: char| matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}');
    if !text.chars().any(wide) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            c if wide(c) => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stem_drops_public_suffix() {
        let a = Address::parse("info@sampledomain.jp").unwrap();
        assert_eq!(a.stem_ascii(), "sampledomain");
        let b = Address::parse("info@sample.co.jp").unwrap();
        assert_eq!(b.stem_ascii(), "sample");
        let c = Address::parse("info@www.sample.co.jp").unwrap();
        assert_eq!(c.stem_ascii(), "www.sample");
    }

    #[test]
    fn full_width_typing_is_the_ascii_address() {
        let a = Address::parse("　ＩＮＦＯ＋１＠ｓａｍｐｌｅ．ｃｏ．ｊｐ　").unwrap();
        assert_eq!(a.ascii(), "INFO+1@sample.co.jp");
        // Only the full-width forms: other compatibility characters stay refused.
        assert!(Address::parse("ｉｎｆｏ＠").is_err());
        assert!(Address::parse("info\u{2160}@sample.jp").is_err());
    }

    #[test]
    fn idn_has_both_forms() {
        let a = Address::parse("info@例え.jp").unwrap();
        assert_eq!(a.domain_ascii, "xn--r8jz45g.jp");
        assert_eq!(a.domain_unicode, "例え.jp");
        assert_eq!(a.stem_unicode(), "例え");
        assert_eq!(a.stem_ascii(), "xn--r8jz45g");
        let upper = Address::parse("Info@SAMPLE.co.jp").unwrap();
        assert_eq!(upper.domain_ascii, "sample.co.jp");
        assert_eq!(upper.local, "Info");
    }

    #[test]
    fn malformed_addresses_are_refused_with_a_reason() {
        for (input, why) in [
            ("info.sample.co.jp", "no `@`"),
            ("@sample.co.jp", "nothing before"),
            ("info@", "nothing after"),
            ("info@localhost", "no dot"),
            ("info@co.jp", "public suffix"),
            ("in fo@sample.jp", "` ` is not allowed"),
            ("a..b@sample.jp", "dots"),
            ("info@-bad-.jp", "not a valid domain"),
        ] {
            let e = Address::parse(input).unwrap_err();
            assert!(e.0.contains(why), "{input}: {e}");
        }
    }
}
