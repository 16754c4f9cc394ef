//! Rules that make invalid combinations impossible to write silently.
//!
//! Each rule appends to one list so a docs writer sees every mistake of a file in
//! one run, each at the value that is wrong.

use std::collections::BTreeSet;

use serde_spanned::Spanned;

use super::schema::*;
use crate::address::Address;
use crate::data::{placeholder_refs, Checker};
use crate::diag::{Diagnostics, SourceFile};

/// The matrix's rules on top of the shared ones: `{port:ID}` references in texts.
struct Ctx<'a> {
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
    fn localized(&mut self, what: &str, text: &Localized) {
        self.c.languages(what, text);
        for (lang, value) in text.0.get_ref() {
            for id in placeholder_refs(value, "port") {
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

    fn address(&mut self, what: &str, value: &Spanned<String>) {
        if let Err(e) = Address::parse(value.get_ref()) {
            self.error(value, format!("{what}: {e}"));
        }
    }
}

pub fn validate(m: &MatrixData, source: &SourceFile, languages: &[String]) -> Diagnostics {
    let mut c = Ctx {
        c: Checker::new(source, languages),
        port_ids: m.ports.iter().map(|p| p.id.get_ref().clone()).collect(),
    };
    texts(&mut c, m);

    c.unique("plan", m.plans.iter().map(|p| &p.id));
    c.unique("variant", m.variants.iter().map(|v| &v.id));
    c.unique("port", m.ports.iter().map(|p| &p.id));
    c.unique("warning", m.warnings.iter().map(|w| &w.id));
    c.unique("host", m.hosts.iter().map(|h| &h.id));
    c.unique("server", m.servers.iter().map(|s| &s.id));
    c.unique("related manual", m.related_manuals.iter().map(|r| &r.id));
    c.unique(
        "certificate option",
        m.certificate_options.iter().map(|o| &o.id),
    );
    c.unique(
        "sending authentication",
        m.sending_auth.iter().map(|o| &o.id),
    );
    unique_vocabulary(&mut c, "protocol", m.protocols.iter().map(|p| &p.id));
    unique_vocabulary(&mut c, "security", m.security.iter().map(|p| &p.id));
    unique_vocabulary(&mut c, "auth", m.auth.iter().map(|p| &p.id));
    unique_vocabulary(&mut c, "ssl_support", m.ssl_support.iter().map(|p| &p.id));

    let warning_ids: Vec<&str> = m.warnings.iter().map(|w| w.id.get_ref().as_str()).collect();
    let port_ids: Vec<&str> = m.ports.iter().map(|p| p.id.get_ref().as_str()).collect();
    let host_ids: Vec<&str> = m.hosts.iter().map(|h| h.id.get_ref().as_str()).collect();
    let server_ids: Vec<&str> = m.servers.iter().map(|s| s.id.get_ref().as_str()).collect();
    let variant_ids: Vec<&str> = m.variants.iter().map(|v| v.id.get_ref().as_str()).collect();
    let plan_ids: Vec<&str> = m.plans.iter().map(|p| p.id.get_ref().as_str()).collect();

    let mut warning_refs: Vec<&Id> = Vec::new();
    warning_refs.extend(m.protocols.iter().flat_map(|p| &p.warnings));
    warning_refs.extend(m.ports.iter().flat_map(|p| &p.warnings));
    warning_refs.extend(m.servers.iter().flat_map(|s| &s.warnings));
    warning_refs.extend(m.variants.iter().flat_map(|v| &v.warnings));
    warning_refs.extend(
        m.plans
            .iter()
            .flat_map(|p| p.variants.iter().flat_map(|v| &v.warnings)),
    );
    for w in warning_refs {
        c.reference("warning", w, &warning_ids);
    }

    for port in &m.ports {
        let n = *port.number.get_ref();
        if !(1..=65535).contains(&n) {
            c.error(&port.number, format!("port {n} is outside 1–65535"));
        }
    }

    c.address("provider.example_address", &m.provider.example_address);
    if Address::parse(&format!(
        "x@{}",
        m.provider.shared_certificate_domain.get_ref()
    ))
    .is_err()
    {
        let msg = format!(
            "shared_certificate_domain `{}` is not a domain name",
            m.provider.shared_certificate_domain.get_ref()
        );
        c.error(&m.provider.shared_certificate_domain, msg);
    }
    for host in &m.hosts {
        c.pattern("host pattern", &host.pattern);
        for alt in &host.alternatives {
            c.pattern("alternative host pattern", alt);
        }
        if let Some(addr) = &host.example_address {
            c.address("example_address", addr);
        }
    }
    c.pattern("account.username", &m.account.username);

    for set in &m.servers {
        server_set(&mut c, m, set, &port_ids);
    }

    for plan in &m.plans {
        plan_rules(&mut c, m, plan, &variant_ids, &host_ids, &server_ids);
    }

    for opt in &m.certificate_options {
        c.reference("variant", &opt.variant, &variant_ids);
        for p in &opt.plans {
            if c.reference("plan", p, &plan_ids) {
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
    c.c.into_diagnostics()
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

fn server_set(c: &mut Ctx, m: &MatrixData, set: &ServerSet, port_ids: &[&str]) {
    let dir = *set.direction.get_ref();
    let options = set.options.get_ref();
    if options.is_empty() {
        c.error(
            &set.options,
            format!("server `{}` has no options", set.id.get_ref()),
        );
        return;
    }
    let recommended = options.iter().filter(|o| o.recommended).count();
    if recommended != 1 {
        c.error(
            &set.options,
            format!(
                "server `{}` must mark exactly one option `recommended = true` (found {recommended})",
                set.id.get_ref()
            ),
        );
    }
    // The port id names the option: `data-port` on a page points at exactly one of them.
    let mut seen_ports = BTreeSet::new();
    for opt in options {
        if !seen_ports.insert(opt.port.get_ref().as_str()) {
            c.error(
                &opt.port,
                format!(
                    "server `{}` lists port `{}` twice: each option needs its own port (the port id identifies the option on the pages)",
                    set.id.get_ref(),
                    opt.port.get_ref()
                ),
            );
        }
    }
    for opt in options {
        let proto = *opt.protocol.get_ref();
        if proto.direction() != dir {
            c.error(
                &opt.protocol,
                format!(
                    "protocol `{}` is not {} but server `{}` is",
                    proto.as_str(),
                    dir.as_str(),
                    set.id.get_ref()
                ),
            );
        }
        if m.protocol(proto).is_none() {
            c.error(
                &opt.protocol,
                format!("protocol `{}` has no [[protocols]] entry", proto.as_str()),
            );
        }
        if m.security_label(*opt.security.get_ref()).is_none() {
            c.error(
                &opt.security,
                format!(
                    "security `{}` has no [[security]] entry",
                    opt.security.get_ref().as_str()
                ),
            );
        }
        if m.auth_info(*opt.auth.get_ref()).is_none() {
            c.error(
                &opt.auth,
                format!(
                    "auth `{}` has no [[auth]] entry",
                    opt.auth.get_ref().as_str()
                ),
            );
        }
        if c.reference("port", &opt.port, port_ids) {
            if let Some(port) = m.port(opt.port.get_ref()) {
                if port.direction != dir {
                    c.error(
                        &opt.port,
                        format!(
                            "port `{}` is for {} mail",
                            opt.port.get_ref(),
                            port.direction.as_str()
                        ),
                    );
                }
            }
        }
    }
}

fn plan_rules(
    c: &mut Ctx,
    m: &MatrixData,
    plan: &Plan,
    variant_ids: &[&str],
    host_ids: &[&str],
    server_ids: &[&str],
) {
    let pid = plan.id.get_ref();
    if m.ssl_support_label(*plan.ssl.get_ref()).is_none() {
        c.error(
            &plan.ssl,
            format!(
                "ssl `{}` has no [[ssl_support]] entry",
                plan.ssl.get_ref().as_str()
            ),
        );
    }
    if plan.variants.is_empty() {
        c.error(&plan.id, format!("plan `{pid}` offers no variant"));
    }
    let mut listed: BTreeSet<&str> = BTreeSet::new();
    for pv in &plan.variants {
        let vid = pv.variant.get_ref();
        if !listed.insert(vid) {
            c.error(
                &pv.variant,
                format!("plan `{pid}` lists variant `{vid}` twice"),
            );
        }
        if !c.reference("variant", &pv.variant, variant_ids) {
            continue;
        }
        let ssl_unsupported = *plan.ssl.get_ref() == SslSupport::Unsupported;
        if ssl_unsupported && m.variant(vid).is_some_and(|v| v.requires_ssl) {
            c.error(
                &pv.variant,
                format!("plan `{pid}` does not support SSL (ssl = \"unsupported\"), so it cannot offer SSL variant `{vid}`"),
            );
        }
        c.reference("host", &pv.host, host_ids);
        for (direction, id) in [
            (Direction::Incoming, &pv.incoming),
            (Direction::Outgoing, &pv.outgoing),
        ] {
            if !c.reference("server", id, server_ids) {
                continue;
            }
            let Some(set) = m.server_set(id.get_ref()) else {
                continue;
            };
            if *set.direction.get_ref() != direction {
                c.error(
                    id,
                    format!(
                        "variant `{vid}` of plan `{pid}` needs an {} server here, but `{}` is {}",
                        direction.as_str(),
                        id.get_ref(),
                        set.direction.get_ref().as_str()
                    ),
                );
            }
            if ssl_unsupported
                && set
                    .options
                    .get_ref()
                    .iter()
                    .any(|o| *o.security.get_ref() == Security::SslTls)
            {
                c.error(
                    id,
                    format!(
                        "plan `{pid}` does not support SSL, but server `{}` uses SSL/TLS",
                        id.get_ref()
                    ),
                );
            }
        }
    }
    for un in &plan.unavailable {
        let vid = un.variant.get_ref();
        if !listed.insert(vid) {
            c.error(
                &un.variant,
                format!("plan `{pid}` lists variant `{vid}` both as offered and as unavailable (or twice)"),
            );
        }
        c.reference("variant", &un.variant, variant_ids);
    }
    for vid in variant_ids {
        if !listed.contains(vid) {
            c.error(
                &plan.id,
                format!(
                    "plan `{pid}` says nothing about variant `{vid}`: offer it in `variants` or explain it in [[plans.unavailable]]"
                ),
            );
        }
    }
}

/// Every localized text of the matrix, named as a docs writer would look for it.
fn texts(c: &mut Ctx, m: &MatrixData) {
    c.localized("meta.disclaimer", &m.meta.disclaimer);
    c.localized("provider.name", &m.provider.name);
    c.localized("placeholders.address", &m.placeholders.address);
    c.localized("placeholders.domain", &m.placeholders.domain);
    c.localized("placeholders.stem", &m.placeholders.stem);
    for r in &m.related_manuals {
        c.localized(
            &format!("related manual `{}` label", r.id.get_ref()),
            &r.label,
        );
        if let Some(url) = &r.url {
            c.url(&format!("related manual `{}` url", r.id.get_ref()), url);
        }
    }
    for p in &m.protocols {
        let id = p.id.get_ref().as_str();
        c.localized(&format!("protocol `{id}` name"), &p.name);
        c.localized(&format!("protocol `{id}` summary"), &p.summary);
    }
    for s in &m.security {
        c.localized(
            &format!("security `{}` label", s.id.get_ref().as_str()),
            &s.label,
        );
    }
    for a in &m.auth {
        let id = a.id.get_ref().as_str();
        c.localized(&format!("auth `{id}` label"), &a.label);
        c.localized(&format!("auth `{id}` summary"), &a.summary);
    }
    for s in &m.ssl_support {
        c.localized(
            &format!("ssl_support `{}` label", s.id.get_ref().as_str()),
            &s.label,
        );
    }
    for p in &m.ports {
        c.localized(&format!("port `{}` label", p.id.get_ref()), &p.label);
    }
    for w in &m.warnings {
        c.localized(&format!("warning `{}` title", w.id.get_ref()), &w.title);
        c.localized(&format!("warning `{}` text", w.id.get_ref()), &w.text);
    }
    for h in &m.hosts {
        if let Some(note) = &h.note {
            c.localized(&format!("host `{}` note", h.id.get_ref()), note);
        }
    }
    c.localized("account.note", &m.account.note);
    for v in &m.variants {
        c.localized(&format!("variant `{}` name", v.id.get_ref()), &v.name);
        c.localized(&format!("variant `{}` summary", v.id.get_ref()), &v.summary);
    }
    for p in &m.plans {
        c.localized(&format!("plan `{}` group", p.id.get_ref()), &p.group);
        c.localized(&format!("plan `{}` name", p.id.get_ref()), &p.name);
        for u in &p.unavailable {
            c.localized(
                &format!("plan `{}` unavailable reason", p.id.get_ref()),
                &u.reason,
            );
        }
    }
    c.localized("ssl.why", &m.ssl.why);
    c.localized("ssl.multiple_domains", &m.ssl.multiple_domains);
    for o in &m.certificate_options {
        c.localized(
            &format!("certificate option `{}` title", o.id.get_ref()),
            &o.title,
        );
        c.localized(
            &format!("certificate option `{}` text", o.id.get_ref()),
            &o.text,
        );
        if let Some(n) = &o.paid_note {
            c.localized(
                &format!("certificate option `{}` paid_note", o.id.get_ref()),
                n,
            );
        }
    }
    for s in &m.sending_auth {
        c.localized(
            &format!("sending authentication `{}` name", s.id.get_ref()),
            &s.name,
        );
        c.localized(
            &format!("sending authentication `{}` text", s.id.get_ref()),
            &s.text,
        );
    }
}
