//! The public-suffix rules the browser uses to find `{stem}` (`sample.co.jp` → `sample`)
//! and to refuse a bare suffix (`info@co.jp`), so that it answers exactly as
//! [`crate::address::Address`] does.
//!
//! Rust asks the `psl` crate, whose rules are compiled into code and cannot be listed. The
//! list that code was generated from ships inside that crate (`data/rules.txt`);
//! `public_suffix_list.dat` beside this file is a byte-for-byte copy of it for the `psl`
//! version in `Cargo.lock`. `tests/setup_js.rs` proves, rule by rule, that the browser's
//! answers from this list equal `psl`'s, so a `psl` update without a fresh copy fails
//! there. The list is Mozilla's Public Suffix List (MPL-2.0).
//!
//! The browser downloads only what it needs: rules are grouped by the first character of
//! their top-level domain (`j` holds `jp`, `jobs`, …), one small JSON file per group, and a
//! page fetches the one group of the address being resolved.

use std::borrow::Cow;
use std::collections::BTreeMap;

/// The rules, one a line (`co.jp`, `*.kawasaki.jp`, `!city.kawasaki.jp`), some in Unicode.
pub const LIST: &str = include_str!("public_suffix_list.dat");

/// Group → top-level domain (ASCII) → its rules without the top-level domain, in ASCII:
/// `""` is the top-level domain itself, `"co"` is `co.jp`, `"*.kawasaki"`, `"!city.kawasaki"`.
pub type Groups = BTreeMap<String, BTreeMap<String, Vec<Rule>>>;

/// A rule, or a part of one: most are slices of [`LIST`] as written.
pub type Rule = Cow<'static, str>;

/// The group (file name without `.json`) holding a top-level domain's rules.
pub fn group_of(tld: &str) -> String {
    tld.chars()
        .next()
        .map(|c| c.to_ascii_lowercase().to_string())
        .unwrap_or_default()
}

/// One rule in ASCII, or `None` for a line that is not a rule.
fn ascii_rule(line: &'static str) -> Option<Rule> {
    let line = line.trim();
    if line.is_empty() || line.starts_with("//") {
        return None;
    }
    let (prefix, name) = match line.strip_prefix('!') {
        Some(rest) => ("!", rest),
        None => ("", line),
    };
    // Most rules are plain lower-case ASCII already: IDNA would give them back unchanged.
    let plain = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.*".contains(&b);
    if name.bytes().all(plain) && !name.split('.').any(|l| l.starts_with("xn--")) {
        return Some(Cow::Borrowed(line));
    }
    let labels: Option<Vec<String>> = name
        .split('.')
        .map(|label| match label {
            "*" => Some("*".to_string()),
            _ => idna::domain_to_ascii(label).ok(),
        })
        .collect();
    Some(Cow::Owned(format!("{prefix}{}", labels?.join("."))))
}

/// A rule as (top-level domain, the rest of the rule): `!city.kawasaki.jp` as
/// (`jp`, `!city.kawasaki`), `jp` as (`jp`, ``).
fn split(rule: Rule) -> (Rule, Rule) {
    fn parts(rule: &str) -> (Cow<'_, str>, Cow<'_, str>) {
        let name = rule.trim_start_matches('!');
        let (below, tld) = name.rsplit_once('.').unwrap_or(("", name));
        let below = match rule.starts_with('!') {
            true => Cow::Owned(format!("!{below}")),
            false => Cow::Borrowed(below),
        };
        (Cow::Borrowed(tld), below)
    }
    match rule {
        Cow::Borrowed(rule) => parts(rule),
        // A rule IDNA converted (a few hundred of ten thousand).
        Cow::Owned(rule) => {
            let (tld, below) = parts(&rule);
            (Cow::Owned(tld.into_owned()), Cow::Owned(below.into_owned()))
        }
    }
}

/// Every rule of [`LIST`], grouped for the browser: the rules sorted once, then cut by
/// top-level domain.
pub fn groups() -> Groups {
    let mut rules: Vec<(Rule, Rule)> = LIST.lines().filter_map(ascii_rule).map(split).collect();
    rules.sort_unstable();
    rules.dedup();
    let mut out = Groups::new();
    let mut rules = rules.into_iter().peekable();
    while let Some((tld, first)) = rules.next() {
        let mut list = vec![first];
        while let Some((_, rule)) = rules.next_if(|(next, _)| *next == tld) {
            list.push(rule);
        }
        out.entry(group_of(&tld))
            .or_default()
            .insert(tld.into_owned(), list);
    }
    out
}

/// Every rule in ASCII, as written in the list (`*.kawasaki.jp`), for tests.
pub fn rules() -> Vec<String> {
    LIST.lines()
        .filter_map(ascii_rule)
        .map(Cow::into_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_grouped_by_the_first_character_of_their_top_level_domain() {
        let g = groups();
        let jp = &g["j"]["jp"];
        for r in ["", "co", "*.kawasaki", "!city.kawasaki"] {
            assert!(jp.iter().any(|x| x == r), "jp lacks {r:?}");
        }
        // Unicode rules are stored in ASCII: 公司.cn.
        assert!(g["c"]["cn"].iter().any(|x| x == "xn--55qx5d"));
        assert!(rules().len() > 9000);
    }
}
