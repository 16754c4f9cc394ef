//! Rules that make invalid combinations impossible to write silently.
//!
//! Each rule appends to one list so a docs writer sees every mistake of a file in
//! one run, each at the value that is wrong.

use std::collections::BTreeSet;

use serde_spanned::Spanned;

mod logins;
mod plans;
mod servers;
mod texts;

use super::schema::*;
use crate::address::Address;
use crate::data::{placeholder_refs, Checker};
use crate::diag::{Diagnostics, SourceFile};

/// The matrix's rules on top of the shared ones: `{port:ID}` references in texts.
pub(super) struct Ctx<'a> {
    c: Checker<'a>,
    port_ids: Vec<String>,
}

impl<'a> std::ops::Deref for Ctx<'a> {
    type Target = Checker<'a>;
    fn deref(&self) -> &Checker<'a> {
        &self.c
    }
}

impl std::ops::DerefMut for Ctx<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.c
    }
}

/// Where matrix ids appear, for the slug rule's message.
const IDS_APPEAR: &str = "it appears in URLs";

impl Ctx<'_> {
    /// Every site language present, no other, and every `{port:ID}` names a port.
    pub(super) fn localized(&mut self, what: &str, text: &Localized) {
        self.c.languages(what, text);
        for (lang, value) in text.0.get_ref() {
            let refs = placeholder_refs(value, "port");
            if value.matches("{port:").count() > refs.len() {
                let msg = format!(
                    "{what} (`{lang}`): a `{{port:` reference is never closed (write `{{port:ID}}`)"
                );
                self.c.error(&text.0, msg);
            }
            for id in refs {
                if !self.port_ids.iter().any(|p| p == id) {
                    let msg = format!(
                        "{what} (`{lang}`) names unknown port `{{port:{id}}}` (known ports: {})",
                        self.port_ids.join(", ")
                    );
                    self.c.error(&text.0, msg);
                }
            }
        }
    }

    fn unique<'b>(&mut self, kind: &str, ids: impl Iterator<Item = &'b Id>) {
        self.c.unique(kind, IDS_APPEAR, ids);
    }

    fn pattern(&mut self, what: &str, pattern: &Spanned<String>) {
        if let Err(why) = crate::pattern::check(pattern.get_ref()) {
            self.error(pattern, format!("{what} `{}`: {why}", pattern.get_ref()));
        }
    }

    /// A valid pattern that, filled from the provider's example address, is a host name.
    fn host_pattern(
        &mut self,
        what: &str,
        pattern: &Spanned<String>,
        example: Option<&Address>,
        shared_certificate_domain: &str,
    ) {
        if crate::pattern::check(pattern.get_ref()).is_err() {
            return self.pattern(what, pattern);
        }
        let Some(example) = example else {
            return;
        };
        let host = crate::pattern::fill(
            pattern.get_ref(),
            example,
            shared_certificate_domain,
            crate::pattern::Form::Ascii,
        );
        if Address::parse(&format!("x@{host}")).is_err() {
            self.error(
                pattern,
                format!(
                    "{what} `{}` does not make a host name (for {} it gives `{host}`): write a name such as mail.{{domain}}",
                    pattern.get_ref(),
                    example.ascii()
                ),
            );
        }
    }

    pub(super) fn address(&mut self, what: &str, value: &Spanned<String>) {
        if let Err(e) = Address::parse(value.get_ref()) {
            self.error(value, format!("{what}: {e}"));
        }
    }
}

pub(super) fn validate(m: &MatrixData, source: &SourceFile, languages: &[String]) -> Diagnostics {
    let mut c = Ctx {
        c: Checker::new(source, languages),
        port_ids: m.ports.iter().map(|p| p.id.get_ref().clone()).collect(),
    };
    texts::check(&mut c, m);
    ids(&mut c, m);
    warning_refs(&mut c, m);
    ports_and_hosts(&mut c, m);
    let port_ids: Vec<&str> = m.ports.iter().map(|p| p.id.get_ref().as_str()).collect();
    for set in &m.servers {
        servers::check(&mut c, m, set, &port_ids);
    }
    let known = plans::Known::of(m);
    for plan in &m.plans {
        plans::check(&mut c, m, plan, &known);
    }
    certificate_options(&mut c, m, &known);
    logins::check(&mut c, m);
    support(&mut c, m);
    c.c.into_diagnostics()
}

/// Every id once, and every id a slug; every vocabulary entry once.
fn ids(c: &mut Ctx, m: &MatrixData) {
    c.unique("plan", m.plans.iter().map(|p| &p.id));
    c.unique("variant", m.variants.iter().map(|v| &v.id));
    c.unique("port", m.ports.iter().map(|p| &p.id));
    c.unique("warning", m.warnings.iter().map(|w| &w.id));
    c.unique("host", m.hosts.iter().map(|h| &h.id));
    c.unique("server", m.servers.iter().map(|s| &s.id));
    c.unique("login policy", m.logins.iter().map(|l| &l.id));
    c.unique("related manual", m.related_manuals.iter().map(|r| &r.id));
    c.unique(
        "certificate option",
        m.certificate_options.iter().map(|o| &o.id),
    );
    c.unique(
        "sending authentication",
        m.sending_auth.iter().map(|o| &o.id),
    );
    unique_vocabulary(c, "protocol", m.protocols.iter().map(|p| &p.id));
    unique_vocabulary(c, "security", m.security.iter().map(|p| &p.id));
    unique_vocabulary(c, "auth", m.auth.iter().map(|p| &p.id));
    unique_vocabulary(c, "ssl_support", m.ssl_support.iter().map(|p| &p.id));
}

/// Every warning a protocol, port, server, variant or plan names exists.
fn warning_refs(c: &mut Ctx, m: &MatrixData) {
    let warning_ids: Vec<&str> = m.warnings.iter().map(|w| w.id.get_ref().as_str()).collect();
    let mut refs: Vec<&Id> = Vec::new();
    refs.extend(m.protocols.iter().flat_map(|p| &p.warnings));
    refs.extend(m.ports.iter().flat_map(|p| &p.warnings));
    refs.extend(m.servers.iter().flat_map(|s| &s.warnings));
    refs.extend(m.variants.iter().flat_map(|v| &v.warnings));
    refs.extend(
        m.plans
            .iter()
            .flat_map(|p| p.variants.iter().flat_map(|v| &v.warnings)),
    );
    for w in refs {
        c.reference("warning", w, &warning_ids);
    }
}

/// Ports in range; the provider's domain, example addresses and name patterns well formed.
fn ports_and_hosts(c: &mut Ctx, m: &MatrixData) {
    for port in &m.ports {
        let n = *port.number.get_ref();
        if !(1..=65535).contains(&n) {
            c.error(&port.number, format!("port {n} is outside 1–65535"));
        }
    }
    c.address("provider.example_address", &m.provider.example_address);
    let scd = &m.provider.shared_certificate_domain;
    if Address::parse(&format!("x@{}", scd.get_ref())).is_err() {
        let msg = format!(
            "shared_certificate_domain `{}` is not a domain name",
            scd.get_ref()
        );
        c.error(scd, msg);
    }
    let example = Address::parse(m.provider.example_address.get_ref()).ok();
    for host in &m.hosts {
        c.host_pattern(
            "host pattern",
            &host.pattern,
            example.as_ref(),
            scd.get_ref(),
        );
        for alt in &host.alternatives {
            c.host_pattern(
                "alternative host pattern",
                alt,
                example.as_ref(),
                scd.get_ref(),
            );
        }
        if let Some(addr) = &host.example_address {
            c.address("example_address", addr);
        }
    }
    c.pattern("account.username", &m.account.username);
    let username = m.account.username.get_ref();
    if username.trim().is_empty() || username.chars().any(char::is_whitespace) {
        c.error(
            &m.account.username,
            format!("account.username `{username}` is empty or holds a space: it is what customers type as their user name"),
        );
    }
}

/// Customers are told where to get help: a name, and a link or a phone number.
fn support(c: &mut Ctx, m: &MatrixData) {
    let Some(support) = &m.provider.support else {
        c.error(
            &m.provider.shared_certificate_domain,
            "[provider] has no support contact: add a [provider.support] table with `name` and a `url` or `phone` (every \"contact us\" on a page links to it)",
        );
        return;
    };
    let s = support.get_ref();
    c.localized("provider.support.name", &s.name);
    if let Some(h) = &s.hours {
        c.localized("provider.support.hours", h);
    }
    if let Some(url) = &s.url {
        c.url("provider.support.url", url);
    }
    if let Some(phone) = &s.phone {
        let ok = phone
            .get_ref()
            .chars()
            .all(|ch| ch.is_ascii_digit() || matches!(ch, '+' | '-' | ' ' | '(' | ')'));
        if !ok || phone.get_ref().trim().is_empty() {
            c.error(
                phone,
                format!(
                    "provider.support.phone `{}` is not a phone number (digits, spaces, `+`, `-`, parentheses)",
                    phone.get_ref()
                ),
            );
        }
    }
    if s.url.is_none() && s.phone.is_none() {
        c.error(
            support,
            "[provider.support] needs a `url` or a `phone` for customers to reach",
        );
    }
}

/// A certificate option names a variant and plans that offer it; a paid one says so.
fn certificate_options(c: &mut Ctx, m: &MatrixData, known: &plans::Known) {
    let plan_ids: Vec<&str> = m.plans.iter().map(|p| p.id.get_ref().as_str()).collect();
    for opt in &m.certificate_options {
        c.reference("variant", &opt.variant, &known.variants);
        for p in &opt.plans {
            if !c.reference("plan", p, &plan_ids) {
                continue;
            }
            let offered = m
                .plan(p.get_ref())
                .and_then(|plan| plan.offered(opt.variant.get_ref()));
            if offered.is_none() {
                let msg = format!(
                    "certificate option `{}` names plan `{}`, which does not offer variant `{}`",
                    opt.id.get_ref(),
                    p.get_ref(),
                    opt.variant.get_ref()
                );
                c.error(p, msg);
            }
        }
        if opt.paid && opt.paid_note.is_none() {
            c.error(
                &opt.id,
                format!(
                    "certificate option `{}` is paid but has no paid_note",
                    opt.id.get_ref()
                ),
            );
        }
    }
}

fn unique_vocabulary<'a, T: Copy + Ord + serde::Serialize + 'a>(
    c: &mut Ctx,
    kind: &str,
    ids: impl Iterator<Item = &'a Spanned<T>>,
) {
    let mut seen = BTreeSet::new();
    for id in ids {
        if !seen.insert(*id.get_ref()) {
            let name = serde_json::to_string(id.get_ref()).unwrap_or_default();
            c.error(id, format!("duplicate {kind} entry {name}"));
        }
    }
}
