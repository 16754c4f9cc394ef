//! Coverage: a guide can never lack a value the matrix uses. Every (setting, value,
//! protocol) the matrix uses has a mapping entry in every edition of a client, and every
//! connection has somewhere to enter its host, port and user name (and its security and
//! authentication where the client has a control for them).

use std::collections::BTreeSet;

use super::*;
use crate::data::Id;
use crate::matrix::{Matrix, Protocol, Setting};

/// Every gap, at the edition it is missing from.
pub(super) fn gaps<'c>(c: &'c Client, m: &Matrix) -> Vec<(&'c Id, String)> {
    let mut out = mapping_gaps(c, m);
    out.extend(field_gaps(c, m));
    out
}

/// Every value the matrix uses has a mapping entry in every edition.
fn mapping_gaps<'c>(c: &'c Client, m: &Matrix) -> Vec<(&'c Id, String)> {
    let mut out = Vec::new();
    for e in &c.editions {
        for (setting, value, protocol) in used_values(m) {
            if c.mapping_for(e.id.get_ref(), setting, &value, protocol)
                .is_none()
            {
                out.push((
                    &e.id,
                    format!(
                        "client `{}` edition `{}` has no [[mapping]] for {} `{value}` over {} (the matrix uses it; add a control, automatic or unsupported entry)",
                        c.id.get_ref(),
                        e.id.get_ref(),
                        setting.as_str(),
                        protocol.as_str()
                    ),
                ));
            }
        }
    }
    out
}

/// Every connection the matrix uses needs somewhere to enter its host, port and user
/// name, and its security and authentication unless the client decides them (automatic)
/// or cannot do them (unsupported, stated on the guide).
fn field_gaps<'c>(c: &'c Client, m: &Matrix) -> Vec<(&'c Id, String)> {
    let mut out = Vec::new();
    let used = used_values(m);
    let protocols: BTreeSet<Protocol> = used.iter().map(|(_, _, p)| *p).collect();
    let address_is_username = m.account.username.get_ref() == "{address}";
    for e in &c.editions {
        let ed = e.id.get_ref();
        for &proto in &protocols {
            let mut needed = vec![FieldValue::Host, FieldValue::Port, FieldValue::Username];
            for (setting, kind) in [
                (Setting::Security, FieldValue::Security),
                (Setting::Auth, FieldValue::Auth),
            ] {
                let control = used.iter().any(|(s, v, p)| {
                    *s == setting
                        && *p == proto
                        && c.mapping_for(ed, setting, v, proto)
                            .is_some_and(|mp| mp.support == Support::Control)
                });
                if control {
                    needed.push(kind);
                }
            }
            for kind in needed {
                if !c.has_field(ed, proto, kind, address_is_username) {
                    out.push((
                        &e.id,
                        format!(
                            "client `{}` edition `{ed}` has no field for the {} {} over {} (add a [[screens.fields]] with `value = \"{}\"` and `direction = \"{}\"` or \"both\", or map the value as automatic/unsupported)",
                            c.id.get_ref(),
                            proto.direction().as_str(),
                            kind.as_str(),
                            proto.as_str(),
                            kind.as_str(),
                            proto.direction().as_str(),
                        ),
                    ));
                }
            }
        }
    }
    out
}
