//! What a customer must enter: a pure function of (matrix, plan, variant, address).
//!
//! `explain`, the pages and `check` all call [`resolve`]; nothing else decides a
//! host, a port or a security setting. The result is language-neutral (ids and
//! canonical values); labels are added when it is shown.

use serde::Serialize;

use crate::address::Address;
use crate::matrix::{choices, Auth, Direction, Matrix, Protocol, Security};
use crate::pattern::{self, Form};

/// One server entry: an alternative such as IMAP beside POP3 is its own endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub protocol: Protocol,
    /// For an address: the host in ASCII (punycode). Without one: the pattern.
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub auth: Auth,
    pub username: String,
    pub recommended: bool,
    /// The host as people read it (Unicode), when it differs from `host`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_unicode: Option<String>,
    pub host_pattern: String,
    pub port_id: String,
    #[serde(skip)]
    pub direction: Direction,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostInfo {
    pub id: String,
    pub pattern: String,
    /// The exact name is in the customer's mail settings notice.
    pub from_notice: bool,
    pub alternatives: Vec<String>,
}

/// Everything the customer enters for one plan and variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolution {
    pub plan: String,
    pub variant: String,
    /// The address in ASCII form, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    pub incoming: Vec<Endpoint>,
    pub outgoing: Vec<Endpoint>,
    /// Warning ids, most specific first, each once.
    pub warnings: Vec<String>,
    pub host: HostInfo,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    UnknownPlan {
        plan: String,
        valid: String,
    },
    UnknownVariant {
        plan: String,
        variant: String,
        valid: String,
    },
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResolveError::UnknownPlan { plan, valid } => {
                write!(f, "unknown plan `{plan}` (valid plans: {valid})")
            }
            ResolveError::UnknownVariant {
                plan,
                variant,
                valid,
            } => {
                write!(
                    f,
                    "plan `{plan}` has no variant `{variant}` (its variants: {valid})"
                )
            }
        }
    }
}

impl std::error::Error for ResolveError {}

pub fn resolve(
    m: &Matrix,
    plan_id: &str,
    variant_id: &str,
    address: Option<&Address>,
) -> Result<Resolution, ResolveError> {
    let plan = m.plan(plan_id).ok_or_else(|| ResolveError::UnknownPlan {
        plan: plan_id.to_string(),
        valid: choices(&m.plan_ids()),
    })?;
    let pv = plan
        .offered(variant_id)
        .ok_or_else(|| ResolveError::UnknownVariant {
            plan: plan_id.to_string(),
            variant: variant_id.to_string(),
            valid: choices(&plan.variant_ids()),
        })?;
    // Validation guarantees every reference below resolves.
    let host = m.host(pv.host.get_ref()).expect("validated host reference");
    let variant = m.variant(variant_id).expect("validated variant reference");
    let scd = m.provider.shared_certificate_domain.get_ref();
    let host_pattern = pattern::fill_provider(host.pattern.get_ref(), scd);
    let user_pattern = m.account.username.get_ref();

    let mut warnings: Vec<String> = Vec::new();
    let mut warn = |ids: &[crate::matrix::Id]| {
        for id in ids {
            if !warnings.iter().any(|w| w == id.get_ref()) {
                warnings.push(id.get_ref().clone());
            }
        }
    };
    warn(&pv.warnings);
    warn(&variant.warnings);

    let endpoints = |set_id: &str, warn: &mut dyn FnMut(&[crate::matrix::Id])| -> Vec<Endpoint> {
        let set = m.server_set(set_id).expect("validated server reference");
        warn(&set.warnings);
        let mut list: Vec<Endpoint> = set
            .options
            .get_ref()
            .iter()
            .map(|opt| {
                let port = m
                    .port(opt.port.get_ref())
                    .expect("validated port reference");
                warn(&port.warnings);
                if let Some(p) = m.protocol(*opt.protocol.get_ref()) {
                    warn(&p.warnings);
                }
                let (host_value, host_unicode, username) = match address {
                    Some(a) => {
                        let ascii = pattern::fill(host.pattern.get_ref(), a, scd, Form::Ascii);
                        let uni = pattern::fill(host.pattern.get_ref(), a, scd, Form::Unicode);
                        let user = pattern::fill(user_pattern, a, scd, Form::Ascii);
                        (ascii.clone(), (uni != ascii).then_some(uni), user)
                    }
                    None => (host_pattern.clone(), None, user_pattern.clone()),
                };
                Endpoint {
                    protocol: *opt.protocol.get_ref(),
                    host: host_value,
                    port: u16::try_from(*port.number.get_ref()).expect("validated port range"),
                    security: *opt.security.get_ref(),
                    auth: *opt.auth.get_ref(),
                    username,
                    recommended: opt.recommended,
                    host_unicode,
                    host_pattern: host_pattern.clone(),
                    port_id: port.id.get_ref().clone(),
                    direction: *set.direction.get_ref(),
                }
            })
            .collect();
        // The recommended option comes first, the others keep the data's order.
        list.sort_by_key(|e| !e.recommended);
        list
    };
    let incoming = endpoints(pv.incoming.get_ref(), &mut warn);
    let outgoing = endpoints(pv.outgoing.get_ref(), &mut warn);

    Ok(Resolution {
        plan: plan_id.to_string(),
        variant: variant_id.to_string(),
        address: address.map(Address::ascii),
        incoming,
        outgoing,
        warnings,
        host: HostInfo {
            id: host.id.get_ref().clone(),
            pattern: host_pattern.clone(),
            from_notice: host.from_notice,
            alternatives: host
                .alternatives
                .iter()
                .map(|a| pattern::fill_provider(a.get_ref(), scd))
                .collect(),
        },
    })
}

/// Every variant a plan offers, in the data's order.
pub fn resolve_plan(
    m: &Matrix,
    plan_id: &str,
    address: Option<&Address>,
) -> Result<Vec<Resolution>, ResolveError> {
    let plan = m.plan(plan_id).ok_or_else(|| ResolveError::UnknownPlan {
        plan: plan_id.to_string(),
        valid: choices(&m.plan_ids()),
    })?;
    plan.variants
        .iter()
        .map(|pv| resolve(m, plan_id, pv.variant.get_ref(), address))
        .collect()
}
