//! What a customer must enter: a pure function of (matrix, plan, variant, address).
//!
//! `explain`, the pages and `check` all call [`resolve`]; nothing else decides a
//! host, a port or a security setting. The result is language-neutral (ids and
//! canonical values); labels are added when it is shown.

use serde::Serialize;

use crate::address::Address;
use crate::data::Id;
use crate::matrix::{
    choices, Auth, Direction, Host, LoginPolicy, Matrix, Mechanism, Protocol, Security,
    ServerOption,
};
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
    /// What the server accepts at login on this connection (its policy, for this protocol,
    /// a readable password only where the policy allows it without TLS).
    pub accepts: Vec<Mechanism>,
}

impl Endpoint {
    /// The other login methods this connection accepts (in the matrix's order): a mail app
    /// without the recommended one logs on with these. With whether one of them sends the
    /// password readable here (no TLS).
    pub fn also_accepted(&self, m: &Matrix) -> (Vec<Auth>, bool) {
        let mut readable = false;
        let methods = m
            .auth
            .iter()
            .filter(|a| *a.id.get_ref() != self.auth && *a.id.get_ref() != Auth::None)
            .filter(|a| {
                let usable: Vec<Mechanism> = a
                    .mechanisms
                    .iter()
                    .map(|x| *x.get_ref())
                    .filter(|x| self.accepts.contains(x))
                    .collect();
                readable |= self.security == Security::None
                    && !usable.is_empty()
                    && usable.iter().all(|x| x.sends_password());
                !usable.is_empty()
            })
            .map(|a| *a.id.get_ref())
            .collect();
        (methods, readable)
    }
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
    // A `Matrix` is validated: every reference below resolves.
    let host = m.host(pv.host.get_ref()).expect("validated host reference");
    let variant = m.variant(variant_id).expect("validated variant reference");
    let scd = m.provider.shared_certificate_domain.get_ref();
    let mut r = Resolver {
        m,
        host,
        address,
        scd,
        host_pattern: pattern::fill_provider(host.pattern.get_ref(), scd),
        warnings: Vec::new(),
    };
    r.warn(&pv.warnings);
    r.warn(&variant.warnings);
    let incoming = r.endpoints(pv.incoming.get_ref());
    let outgoing = r.endpoints(pv.outgoing.get_ref());
    Ok(Resolution {
        plan: plan_id.to_string(),
        variant: variant_id.to_string(),
        address: address.map(Address::ascii),
        incoming,
        outgoing,
        host: HostInfo {
            id: host.id.get_ref().clone(),
            pattern: r.host_pattern.clone(),
            from_notice: host.from_notice,
            alternatives: host
                .alternatives
                .iter()
                .map(|a| pattern::fill_provider(a.get_ref(), scd))
                .collect(),
        },
        warnings: r.warnings,
    })
}

/// What one resolution is made from, and the warnings it has collected so far.
struct Resolver<'a> {
    m: &'a Matrix,
    host: &'a Host,
    address: Option<&'a Address>,
    scd: &'a str,
    host_pattern: String,
    /// Warning ids, most specific first, each once.
    warnings: Vec<String>,
}

impl Resolver<'_> {
    fn warn(&mut self, ids: &[Id]) {
        for id in ids {
            if !self.warnings.iter().any(|w| w == id.get_ref()) {
                self.warnings.push(id.get_ref().clone());
            }
        }
    }

    /// The options of one server set, the recommended one first, the others in the
    /// data's order.
    fn endpoints(&mut self, set_id: &str) -> Vec<Endpoint> {
        let set = self
            .m
            .server_set(set_id)
            .expect("validated server reference");
        self.warn(&set.warnings);
        let policy = set
            .login
            .as_ref()
            .and_then(|id| self.m.login_policy(id.get_ref()));
        let mut list: Vec<Endpoint> = set
            .options
            .get_ref()
            .iter()
            .map(|opt| {
                let mut e = self.endpoint(opt, *set.direction.get_ref());
                e.accepts = accepted(policy, e.protocol, e.security);
                e
            })
            .collect();
        list.sort_by_key(|e| !e.recommended);
        list
    }

    fn endpoint(&mut self, opt: &ServerOption, direction: Direction) -> Endpoint {
        let m = self.m;
        let port = m
            .port(opt.port.get_ref())
            .expect("validated port reference");
        self.warn(&port.warnings);
        if let Some(p) = m.protocol(*opt.protocol.get_ref()) {
            self.warn(&p.warnings);
        }
        let host = self.host.pattern.get_ref();
        let user = m.account.username.get_ref();
        let (host_value, host_unicode, username) = match self.address {
            Some(a) => {
                let ascii = pattern::fill(host, a, self.scd, Form::Ascii);
                let uni = pattern::fill(host, a, self.scd, Form::Unicode);
                let user = pattern::fill(user, a, self.scd, Form::Ascii);
                (ascii.clone(), (uni != ascii).then_some(uni), user)
            }
            None => (self.host_pattern.clone(), None, user.clone()),
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
            host_pattern: self.host_pattern.clone(),
            port_id: port.id.get_ref().clone(),
            direction,
            accepts: Vec::new(),
        }
    }
}

/// What a login policy accepts on one connection.
fn accepted(
    policy: Option<&LoginPolicy>,
    protocol: Protocol,
    security: Security,
) -> Vec<Mechanism> {
    let Some(policy) = policy else {
        return Vec::new();
    };
    let tls = security != Security::None;
    policy
        .accepts
        .get_ref()
        .iter()
        .copied()
        .filter(|m| {
            m.applies_to(protocol) && (tls || !m.sends_password() || policy.plain_without_tls)
        })
        .collect()
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
