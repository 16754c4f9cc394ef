//! Host-name and user-name patterns (`mail.{domain}`, `{stem}.{shared_certificate_domain}`,
//! `{address}`): which placeholders exist, and how a pattern is filled — from a customer's
//! address, from the provider's data only, or with the words a reader sees
//! (`mail.ドメイン名`).

use crate::address::Address;

/// The placeholders a pattern may use.
pub const PLACEHOLDERS: &[&str] = &["address", "domain", "stem", "shared_certificate_domain"];

/// The form a filled-in name takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Punycode (`xn--r8jz45g.jp`): for machines (JSON, setup files).
    Ascii,
    /// Unicode (`例え.jp`): for people.
    Unicode,
}

/// Host and user-name patterns may only use the known placeholders.
pub fn check(p: &str) -> Result<(), String> {
    let mut rest = p;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            return Err("a `{` is never closed".into());
        };
        let name = &rest[open + 1..open + close];
        if !PLACEHOLDERS.contains(&name) {
            return Err(format!(
                "unknown placeholder `{{{name}}}` (known: {})",
                PLACEHOLDERS
                    .iter()
                    .map(|p| format!("{{{p}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        rest = &rest[open + close + 1..];
    }
    if rest.contains('}') {
        return Err("a `}` has no matching `{`".into());
    }
    Ok(())
}

/// A validated pattern filled from an address.
pub fn fill(
    pattern: &str,
    address: &Address,
    shared_certificate_domain: &str,
    form: Form,
) -> String {
    let (domain, stem, full) = match form {
        Form::Unicode => (
            address.domain_unicode.clone(),
            address.stem_unicode(),
            address.unicode(),
        ),
        Form::Ascii => (
            address.domain_ascii.clone(),
            address.stem_ascii().to_string(),
            address.ascii(),
        ),
    };
    substitute(pattern, |name| match name {
        "address" => Some(full.as_str()),
        "domain" => Some(domain.as_str()),
        "stem" => Some(stem.as_str()),
        "shared_certificate_domain" => Some(shared_certificate_domain),
        _ => None,
    })
}

/// Replaces each `{name}` of `pattern` once, in one pass: a value that itself contains
/// `{domain}` (a local part may have braces: `{domain}@sample.jp`) is not filled in again.
/// Names `value` does not know are kept as written.
pub fn substitute<'v>(pattern: &str, value: impl Fn(&str) -> Option<&'v str>) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let placeholder = &rest[open..open + close + 1];
        match value(&placeholder[1..placeholder.len() - 1]) {
            Some(v) => out.push_str(v),
            None => out.push_str(placeholder),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// A pattern shown without an address: only the provider's data is filled in.
pub fn fill_provider(pattern: &str, shared_certificate_domain: &str) -> String {
    pattern.replace("{shared_certificate_domain}", shared_certificate_domain)
}

/// The words a reader sees for each customer placeholder (`ドメイン名` for `{domain}`).
#[derive(Debug, Clone, Copy)]
pub struct Words<'a> {
    pub address: &'a str,
    pub domain: &'a str,
    pub stem: &'a str,
}

/// A pattern as people read it: `mail.{domain}` → `mail.ドメイン名`.
pub fn display(pattern: &str, words: Words<'_>, shared_certificate_domain: &str) -> String {
    pattern
        .replace("{address}", words.address)
        .replace("{domain}", words.domain)
        .replace("{stem}", words.stem)
        .replace("{shared_certificate_domain}", shared_certificate_domain)
}

/// Whether a pattern names the provider's shared-certificate domain.
pub fn uses_shared_certificate(pattern: &str) -> bool {
    pattern.contains("{shared_certificate_domain}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_use_known_placeholders_only() {
        assert!(check("mail.{domain}").is_ok());
        assert!(check("{stem}.{shared_certificate_domain}").is_ok());
        assert!(check("mail.{domian}")
            .unwrap_err()
            .contains("unknown placeholder `{domian}`"));
        assert!(check("mail.{domain").unwrap_err().contains("never closed"));
        assert!(check("mail.domain}").unwrap_err().contains("no matching"));
    }

    #[test]
    fn a_value_with_braces_is_not_filled_in_again() {
        let a = Address::parse("{domain}@sample.jp").unwrap();
        assert_eq!(
            fill("{address}", &a, "x.jp", Form::Ascii),
            "{domain}@sample.jp"
        );
        assert_eq!(
            fill("mail.{domain}", &a, "x.jp", Form::Ascii),
            "mail.sample.jp"
        );
        assert_eq!(
            substitute("{a}{b}{", |n| (n == "a").then_some("{b}")),
            "{b}{b}{"
        );
    }

    #[test]
    fn both_forms_of_an_international_domain() {
        let a = Address::parse("info@例え.jp").unwrap();
        assert_eq!(
            fill("mail.{domain}", &a, "x.jp", Form::Ascii),
            "mail.xn--r8jz45g.jp"
        );
        assert_eq!(
            fill("mail.{domain}", &a, "x.jp", Form::Unicode),
            "mail.例え.jp"
        );
        assert_eq!(
            fill(
                "{stem}.{shared_certificate_domain}",
                &a,
                "x.jp",
                Form::Unicode
            ),
            "例え.x.jp"
        );
    }
}
