//! Rule 3 — no fact typed by hand.
//!
//! Scanned: Markdown pages (`content/{lang}/**/*.md`: the `title`/`description` of the
//! front matter and the body), every file under `templates/`, and the UI strings
//! (`content/i18n/*.toml`, string values), and the localized texts of the client files
//! (`content/clients/*.toml`: every `key.{lang}`, the clients' own labels included; not
//! `source`, `confidence`, `shown`). Template code — `{{ … }}`, `{% … %}`,
//! `{# … #}` — is skipped, what it prints comes from the data, except its string and
//! number literals (`{{ 995 }}` is typed by hand).
//!
//! Reported:
//! - a port-like number: a run of digits (ASCII or full-width, as Japanese text writes
//!   them), not part of a word or a decimal number,
//!   equal to one of the port numbers of the matrix;
//! - a mail host name: every host pattern and alternative of the matrix filled with
//!   the example addresses of the matrix (ASCII and Unicode), and the
//!   shared-certificate domain (case-insensitive, whole names only).
//!
//! Genuine exceptions go in `content/check-allow.toml`:
//!
//! ```toml
//! [[allow]]
//! file = "content/en/history.md"
//! text = "since 1995"      # an occurrence of this text must cover the finding
//! reason = "a year, not a port"
//! ```
//!
//! An entry that allows nothing is itself a problem, so the list cannot go stale.

use std::collections::BTreeSet;
use std::ops::Range;

use serde::Deserialize;
use serde_spanned::Spanned;

use crate::address::Address;
use crate::clients::CLIENTS_DIR;
use crate::diag::{Diagnostic, SourceFile};
use crate::matrix::Matrix;
use crate::pattern::{fill, Form};
use crate::strings::strings_path;
use crate::toml_file;

use super::prose_ranges::{
    front_matter_text, localized_values, outside_template_code, toml_values,
};
use super::{Ctx, Problem, Rule, ALLOW_FILE};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowFile {
    #[serde(default)]
    allow: Vec<Spanned<AllowEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowEntry {
    file: String,
    text: String,
    reason: String,
}

struct Finding {
    path: String,
    span: Range<usize>,
    message: String,
}

/// Returns how many source files were scanned.
pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Problem>) -> usize {
    let Some(loaded) = &ctx.site.matrix else {
        return 0;
    };
    let m = &loaded.matrix;
    let ports: BTreeSet<i64> = m.ports.iter().map(|p| *p.number.get_ref()).collect();
    let hosts = host_names(m);
    let sources = scanned(ctx);
    let mut findings = Vec::new();
    for (src, ranges) in &sources {
        let advice = if src.path.starts_with(CLIENTS_DIR) {
            Advice::Client
        } else {
            Advice::Page
        };
        for r in ranges {
            find_ports(src, r.clone(), &ports, advice, &mut findings);
            find_hosts(src, r.clone(), &hosts, advice, &mut findings);
        }
    }
    report(ctx, &sources, findings, out);
    sources.len()
}

/// Every file scanned, with the ranges of it that are prose (not template code, not keys).
fn scanned(ctx: &Ctx<'_>) -> Vec<(SourceFile, Vec<Range<usize>>)> {
    let mut sources: Vec<(SourceFile, Vec<Range<usize>>)> = Vec::new();
    for page in &ctx.site.pages {
        let mut ranges = front_matter_text(&page.source.text[..page.body_start]);
        ranges.extend(outside_template_code(
            &page.source.text,
            page.body_start..page.source.text.len(),
        ));
        sources.push((page.source.clone(), ranges));
    }
    for src in ctx.site.templates.values() {
        let ranges = outside_template_code(&src.text, 0..src.text.len());
        sources.push((src.clone(), ranges));
    }
    for lang in ctx.site.languages() {
        let rel = strings_path(lang);
        if let Ok(src) = SourceFile::read(&ctx.site.root, std::path::Path::new(&rel)) {
            let ranges = toml_values(&src.text);
            sources.push((src, ranges));
        }
    }
    // Client files hold labels and prose only: every localized text (the clients' own
    // labels included) must be free of ports and host names.
    for c in &ctx.site.clients {
        let ranges = localized_values(&c.source.text, ctx.site.languages());
        sources.push((c.source.clone(), ranges));
    }
    sources
}

/// The findings the allow-list does not cover, and the allow-list entries that cover none.
fn report(
    ctx: &Ctx<'_>,
    sources: &[(SourceFile, Vec<Range<usize>>)],
    findings: Vec<Finding>,
    out: &mut Vec<Problem>,
) {
    let (allow_src, allow) = load_allow(ctx, out);
    let mut used = vec![false; allow.len()];
    for f in findings {
        let src = &sources
            .iter()
            .find(|(s, _)| s.path == f.path)
            .expect("finding in a scanned file")
            .0;
        let allowed = allow.iter().position(|(e, _)| {
            e.file == f.path
                && src
                    .text
                    .match_indices(e.text.as_str())
                    .any(|(i, t)| i <= f.span.start && f.span.end <= i + t.len())
        });
        match allowed {
            Some(i) => used[i] = true,
            None => out.push(Problem::from_diagnostic(
                Rule::Typed,
                Diagnostic::at(src, f.span, f.message),
            )),
        }
    }
    let Some(allow_src) = allow_src else {
        return;
    };
    for ((entry, span), used) in allow.into_iter().zip(used) {
        if !used {
            let d = Diagnostic::at(
                &allow_src,
                span,
                format!(
                    "allow-list entry matches nothing: `{}` does not cover a hand-typed port or host in {}; remove the entry",
                    entry.text, entry.file
                ),
            );
            out.push(Problem::from_diagnostic(Rule::Typed, d));
        }
    }
}

/// The allow-list file (when there is one) and its entries with their spans.
fn load_allow(
    ctx: &Ctx<'_>,
    out: &mut Vec<Problem>,
) -> (Option<SourceFile>, Vec<(AllowEntry, Range<usize>)>) {
    if !ctx.site.root.join(ALLOW_FILE).is_file() {
        return (None, Vec::new());
    }
    let src = match SourceFile::read(&ctx.site.root, std::path::Path::new(ALLOW_FILE)) {
        Ok(s) => s,
        Err(d) => {
            out.push(Problem::from_diagnostic(Rule::Typed, d));
            return (None, Vec::new());
        }
    };
    let file: AllowFile = match toml_file::parse(&src) {
        Ok(f) => f,
        Err(d) => {
            out.extend(
                d.0.into_iter()
                    .map(|d| Problem::from_diagnostic(Rule::Typed, d)),
            );
            return (None, Vec::new());
        }
    };
    let mut entries = Vec::new();
    for e in file.allow {
        let span = e.span();
        let entry = e.into_inner();
        if entry.reason.trim().is_empty() || entry.text.is_empty() {
            let d = Diagnostic::at(
                &src,
                span,
                "allow-list entry needs a non-empty `text` and `reason`",
            );
            out.push(Problem::from_diagnostic(Rule::Typed, d));
            continue;
        }
        entries.push((entry, span));
    }
    (Some(src), entries)
}

/// Host names a page could show only if they came from the data.
fn host_names(m: &Matrix) -> Vec<String> {
    let scd = m.provider.shared_certificate_domain.get_ref();
    let mut addresses: Vec<Address> = Vec::new();
    let mut push_addr = |a: &str| {
        if let Ok(a) = Address::parse(a) {
            addresses.push(a);
        }
    };
    push_addr(m.provider.example_address.get_ref());
    for h in &m.hosts {
        if let Some(a) = &h.example_address {
            push_addr(a.get_ref());
        }
    }
    let mut names: BTreeSet<String> = BTreeSet::new();
    if !scd.is_empty() {
        names.insert(scd.to_lowercase());
    }
    for h in &m.hosts {
        let patterns = std::iter::once(&h.pattern).chain(h.alternatives.iter());
        for p in patterns {
            for a in &addresses {
                for form in [Form::Ascii, Form::Unicode] {
                    let name = fill(p.get_ref(), a, scd, form).to_lowercase();
                    if name.contains('.') {
                        names.insert(name);
                    }
                }
            }
        }
    }
    // Longest first, so `mail.sample.co.jp` is reported as itself, not as `sample.co.jp`.
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    names
}

/// What a finding tells the writer to do instead.
#[derive(Clone, Copy)]
enum Advice {
    /// Pages, templates, UI strings: print it from the data.
    Page,
    /// Client files hold no value: name the field, the engine shows its value.
    Client,
}

fn find_ports(
    src: &SourceFile,
    r: Range<usize>,
    ports: &BTreeSet<i64>,
    advice: Advice,
    out: &mut Vec<Finding>,
) {
    // Digits as written, ASCII or full-width (９９５ on a Japanese page is 995 too): each
    // with its value, and what counts as part of a word around a number.
    let digit = |c: char| match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{FF10}'..='\u{FF19}' => Some(c as u32 - 0xFF10),
        _ => None,
    };
    let wordy = |c: char| {
        c.is_ascii_alphanumeric()
            || c == '_'
            || matches!(c, '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' | '\u{FF3F}')
    };
    let text = &src.text;
    let chars: Vec<(usize, char)> = text[r.clone()]
        .char_indices()
        .map(|(i, c)| (r.start + i, c))
        .collect();
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let mut k = 0;
    while k < chars.len() {
        if digit(chars[k].1).is_none() {
            k += 1;
            continue;
        }
        let first = k;
        let mut value: i64 = 0;
        while k < chars.len() {
            let Some(d) = digit(chars[k].1) else { break };
            value = value.saturating_mul(10).saturating_add(i64::from(d));
            k += 1;
        }
        let before = first
            .checked_sub(1)
            .and_then(at)
            .or_else(|| text[..r.start].chars().next_back());
        let after = at(k).or_else(|| text[r.end..].chars().next());
        let after2 = at(k + 1);
        let dot = |c: char| c == '.' || c == '\u{FF0E}';
        let in_word = before.is_some_and(|b| wordy(b) || dot(b) || b == '#' || b == '\u{FF03}')
            || after.is_some_and(wordy)
            || (after.is_some_and(dot) && after2.and_then(digit).is_some());
        if in_word || k - first > 5 {
            continue;
        }
        let start = chars[first].0;
        let i = chars.get(k).map_or(r.end, |&(j, _)| j);
        if ports.contains(&value) {
            let n = value;
            out.push(Finding {
                    path: src.path.clone(),
                    span: start..i,
                    message: match advice {
                        Advice::Page => format!(
                            "port number `{n}` typed by hand: write it from the data (e.g. {{{{ port(\"…\") }}}}), or allow it in {ALLOW_FILE}"
                        ),
                        Advice::Client => format!(
                            "port number `{n}` typed by hand into a client text: say \"the recommended port\" and name the field (`changes`, `fields`) so the guide shows the value from the data, or allow it in {ALLOW_FILE}"
                        ),
                    },
                });
        }
    }
}

fn find_hosts(
    src: &SourceFile,
    r: Range<usize>,
    hosts: &[String],
    advice: Advice,
    out: &mut Vec<Finding>,
) {
    let region = &src.text[r.clone()];
    let lower = region.to_lowercase();
    if lower.len() != region.len() {
        // Lower-casing changed byte lengths (rare scripts): fall back to exact matching.
        return find_hosts_in(src, r.start, region, hosts, advice, out);
    }
    find_hosts_in(src, r.start, &lower, hosts, advice, out)
}

fn find_hosts_in(
    src: &SourceFile,
    offset: usize,
    region: &str,
    hosts: &[String],
    advice: Advice,
    out: &mut Vec<Finding>,
) {
    let bytes = region.as_bytes();
    let mut taken: Vec<Range<usize>> = Vec::new();
    for host in hosts {
        for (i, _) in region.match_indices(host.as_str()) {
            let end = i + host.len();
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(end).copied();
            let after2 = bytes.get(end + 1).copied();
            let name_char = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
            if before.is_some_and(|b| name_char(b) || b == b'.')
                || after.is_some_and(name_char)
                || (after == Some(b'.') && after2.is_some_and(name_char))
            {
                continue;
            }
            if taken.iter().any(|t| t.start < end && i < t.end) {
                continue;
            }
            taken.push(i..end);
            out.push(Finding {
                path: src.path.clone(),
                span: offset + i..offset + end,
                message: match advice {
                    Advice::Page => format!(
                        "mail host name `{host}` typed by hand: show it from the data (setting(ep, \"host\") or the variant's host), or allow it in {ALLOW_FILE}"
                    ),
                    Advice::Client => format!(
                        "mail host name `{host}` typed by hand into a client text: write {{host}} (messages) or name the host field so the guide shows it from the data, or allow it in {ALLOW_FILE}"
                    ),
                },
            });
        }
    }
}
