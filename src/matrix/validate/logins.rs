//! Login rules: every method names what it sends, every server set that authenticates
//! names a login policy, and the policy accepts the method its options recommend.

use super::Ctx;
use crate::matrix::schema::*;

pub(super) fn check(c: &mut Ctx, m: &MatrixData) {
    for a in &m.auth {
        let none = *a.id.get_ref() == Auth::None;
        if none && !a.mechanisms.is_empty() {
            c.error(
                &a.id,
                "auth `none` sends nothing at login: remove its `mechanisms`",
            );
        } else if !none && a.mechanisms.is_empty() {
            c.error(
                &a.id,
                format!(
                    "auth `{}` needs `mechanisms` (what a client choosing it sends: cram-md5, apop, plain, ntlm)",
                    a.id.get_ref().as_str()
                ),
            );
        }
    }
    let known: Vec<&str> = m.logins.iter().map(|l| l.id.get_ref().as_str()).collect();
    for set in &m.servers {
        let authenticates = set
            .options
            .get_ref()
            .iter()
            .any(|o| *o.auth.get_ref() != Auth::None);
        let Some(id) = &set.login else {
            if authenticates {
                c.error(
                    &set.id,
                    format!(
                        "server `{}` has options that log on but no `login` (the id of a [[logins]] policy saying what the servers accept)",
                        set.id.get_ref()
                    ),
                );
            }
            continue;
        };
        if !c.reference("login policy", id, &known) {
            continue;
        }
        let policy = m.login_policy(id.get_ref()).expect("checked reference");
        for opt in set.options.get_ref() {
            accepted(c, m, policy, opt);
        }
    }
}

/// The policy accepts what a client choosing the option's method sends, on that
/// connection (a readable password without TLS only if the policy says so).
fn accepted(c: &mut Ctx, m: &MatrixData, policy: &LoginPolicy, opt: &ServerOption) {
    let auth = *opt.auth.get_ref();
    if auth == Auth::None {
        return;
    }
    let Some(info) = m.auth_info(auth) else {
        return;
    };
    let protocol = *opt.protocol.get_ref();
    let tls = *opt.security.get_ref() != Security::None;
    let ok = info.mechanisms.iter().any(|mech| {
        let mech = *mech.get_ref();
        policy.accepts.get_ref().contains(&mech)
            && mech.applies_to(protocol)
            && (tls || !mech.sends_password() || policy.plain_without_tls)
    });
    if !ok {
        c.error(
            &opt.auth,
            format!(
                "login policy `{}` accepts nothing that auth `{}` sends over {} ({}): the manual would tell customers to choose a method the server refuses",
                policy.id.get_ref(),
                auth.as_str(),
                protocol.as_str(),
                if tls { "with TLS" } else { "without TLS" }
            ),
        );
    }
}
