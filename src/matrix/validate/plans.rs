//! The rules of one plan: every variant of the data offered or explained, each offered
//! variant's host and servers existing and pointing the right way, no SSL where the plan
//! has none.

use std::collections::BTreeSet;

use super::Ctx;
use crate::matrix::schema::*;

/// The ids plans refer to.
pub(super) struct Known<'a> {
    pub(super) variants: Vec<&'a str>,
    hosts: Vec<&'a str>,
    servers: Vec<&'a str>,
}

impl<'a> Known<'a> {
    pub(super) fn of(m: &'a MatrixData) -> Self {
        Known {
            variants: m.variants.iter().map(|v| v.id.get_ref().as_str()).collect(),
            hosts: m.hosts.iter().map(|h| h.id.get_ref().as_str()).collect(),
            servers: m.servers.iter().map(|s| s.id.get_ref().as_str()).collect(),
        }
    }
}

pub(super) fn check(c: &mut Ctx, m: &MatrixData, plan: &Plan, known: &Known) {
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
        if c.reference("variant", &pv.variant, &known.variants) {
            offered(c, m, plan, pv, known);
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
        c.reference("variant", &un.variant, &known.variants);
    }
    for vid in &known.variants {
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

/// One offered variant: SSL only where the plan has it; its host and servers exist and
/// each server is of its direction.
fn offered(c: &mut Ctx, m: &MatrixData, plan: &Plan, pv: &PlanVariant, known: &Known) {
    let (pid, vid) = (plan.id.get_ref(), pv.variant.get_ref());
    let ssl_unsupported = *plan.ssl.get_ref() == SslSupport::Unsupported;
    if ssl_unsupported && m.variant(vid).is_some_and(|v| v.requires_ssl) {
        c.error(
            &pv.variant,
            format!("plan `{pid}` does not support SSL (ssl = \"unsupported\"), so it cannot offer SSL variant `{vid}`"),
        );
    }
    c.reference("host", &pv.host, &known.hosts);
    for (direction, id) in [
        (Direction::Incoming, &pv.incoming),
        (Direction::Outgoing, &pv.outgoing),
    ] {
        if !c.reference("server", id, &known.servers) {
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
        let uses_ssl = set
            .options
            .get_ref()
            .iter()
            .any(|o| *o.security.get_ref() == Security::SslTls);
        if ssl_unsupported && uses_ssl {
            c.error(
                id,
                format!(
                    "plan `{pid}` does not support SSL, but server `{}` uses SSL/TLS",
                    id.get_ref()
                ),
            );
        }
        // A variant named for SSL whose recommended connection is not encrypted would
        // tell customers they are safe when they are not.
        let requires_ssl = m.variant(vid).is_some_and(|v| v.requires_ssl);
        let recommended_clear = set
            .options
            .get_ref()
            .iter()
            .any(|o| o.recommended && *o.security.get_ref() == Security::None);
        if requires_ssl && recommended_clear {
            c.error(
                id,
                format!(
                    "variant `{vid}` requires SSL, but the recommended option of server `{}` is not encrypted (security = \"none\")",
                    id.get_ref()
                ),
            );
        }
    }
}
