//! Coverage: a guide can never lack a value the matrix uses, nor contradict it. Every
//! (setting, value, protocol) the matrix uses has a mapping entry in every edition (the
//! login method is computed instead: [`super::login`]); every connection has somewhere to
//! enter its host, port and user name (and its security and login method where the client
//! has a control for them); editions sharing a track get the same login answer; and advice
//! naming a wrong value is shown somewhere.

use std::collections::BTreeSet;

use super::login::{answer, right_value, Answer};
use super::*;
use crate::data::Id;
use crate::matrix::{Direction, Matrix, Protocol, Setting};
use crate::resolve::{resolve, Endpoint};

/// Every gap, at the value it is missing from.
pub(super) fn gaps<'c>(c: &'c Client, m: &Matrix) -> Vec<(&'c Id, String)> {
    let guides = guide_connections(m);
    let mut out = mapping_gaps(c, m);
    out.extend(field_gaps(c, m, &guides));
    out.extend(login_gaps(c, m, &guides));
    out.extend(track_gaps(c, m, &guides));
    out.extend(wrong_gaps(c, m, &guides));
    out
}

/// The two connections a guide walks through, per plan and offered variant: the
/// recommended incoming and outgoing options.
pub(super) struct GuideConnections {
    pub variant: String,
    pub incoming: Endpoint,
    pub outgoing: Endpoint,
}

fn guide_connections(m: &Matrix) -> Vec<GuideConnections> {
    let mut out = Vec::new();
    for plan in &m.plans {
        for pv in &plan.variants {
            let Ok(r) = resolve(m, plan.id.get_ref(), pv.variant.get_ref(), None) else {
                continue;
            };
            if let (Some(i), Some(o)) = (r.incoming.first(), r.outgoing.first()) {
                out.push(GuideConnections {
                    variant: r.variant.clone(),
                    incoming: i.clone(),
                    outgoing: o.clone(),
                });
            }
        }
    }
    out
}

/// Every value the matrix uses has a mapping entry in every edition (login methods
/// excepted: they are computed).
fn mapping_gaps<'c>(c: &'c Client, m: &Matrix) -> Vec<(&'c Id, String)> {
    let mut out = Vec::new();
    for e in &c.editions {
        for (setting, value, protocol) in used_values(m) {
            if setting == Setting::Auth {
                continue;
            }
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

/// Every connection of every guide needs somewhere to enter its host, port and user
/// name, its security unless the client decides it (automatic) or cannot do it
/// (unsupported, stated on the guide), and its login method where the answer is a control.
fn field_gaps<'c>(c: &'c Client, m: &Matrix, guides: &[GuideConnections]) -> Vec<(&'c Id, String)> {
    let mut out = Vec::new();
    let address_is_username = m.account.username.get_ref() == "{address}";
    let mut reported = BTreeSet::new();
    for e in &c.editions {
        let ed = e.id.get_ref();
        for g in guides {
            for ep in [&g.incoming, &g.outgoing] {
                let proto = ep.protocol;
                let mut needed = vec![FieldValue::Host, FieldValue::Port, FieldValue::Username];
                let security = c.mapping_for(ed, Setting::Security, ep.security.as_str(), proto);
                if security.is_some_and(|mp| mp.support == Support::Control) {
                    needed.push(FieldValue::Security);
                }
                if matches!(answer(m, c, ed, ep), Answer::Choose { entry, .. } if entry.support == Support::Control)
                {
                    needed.push(FieldValue::Auth);
                }
                for kind in needed {
                    let pair = (g.incoming.protocol, proto);
                    if c.has_field(ed, pair, kind, address_is_username)
                        || !reported.insert((ed, proto, kind.as_str()))
                    {
                        continue;
                    }
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

/// An edition that can log on to no server at all is a mistake in the data (its auth
/// entries lack the `mechanisms` it sends), not something to print on every guide.
fn login_gaps<'c>(c: &'c Client, m: &Matrix, guides: &[GuideConnections]) -> Vec<(&'c Id, String)> {
    let mut out = Vec::new();
    for e in &c.editions {
        let ed = e.id.get_ref();
        let any = guides
            .iter()
            .flat_map(|g| [&g.incoming, &g.outgoing])
            .any(|ep| !matches!(answer(m, c, ed, ep), Answer::Impossible));
        if !guides.is_empty() && !any {
            out.push((
                &e.id,
                format!(
                    "client `{}` edition `{ed}` can log on to none of the servers: give its auth [[mapping]] entries the `mechanisms` the client sends",
                    c.id.get_ref()
                ),
            ));
        }
    }
    out
}

/// Editions of one track share their steps, so they must get the same login answer.
fn track_gaps<'c>(c: &'c Client, m: &Matrix, guides: &[GuideConnections]) -> Vec<(&'c Id, String)> {
    let mut out = Vec::new();
    for t in &c.tracks {
        let eds = t.editions.get_ref();
        let Some(first) = eds.first() else {
            continue;
        };
        for other in &eds[1..] {
            let differs = guides
                .iter()
                .flat_map(|g| [&g.incoming, &g.outgoing])
                .any(|ep| {
                    answer(m, c, first.get_ref(), ep).auth()
                        != answer(m, c, other.get_ref(), ep).auth()
                });
            if differs {
                out.push((
                    other,
                    format!(
                        "editions `{}` and `{}` share track `{}` but log on differently: give them their own tracks",
                        first.get_ref(),
                        other.get_ref(),
                        t.id.get_ref()
                    ),
                ));
            }
        }
    }
    out
}

/// Advice about a wrong value is shown only where the right value differs; advice that
/// would be shown nowhere is a mistake.
fn wrong_gaps<'c>(c: &'c Client, m: &Matrix, guides: &[GuideConnections]) -> Vec<(&'c Id, String)> {
    let items = c
        .troubleshooting
        .iter()
        .map(|t| (t as &dyn Scoped, &t.id, &t.wrong))
        .chain(
            c.caveats
                .iter()
                .map(|v| (v as &dyn Scoped, &v.id, &v.wrong)),
        );
    let mut out = Vec::new();
    for (item, id, wrong) in items {
        let Some(w) = wrong else {
            continue;
        };
        let shown = c.editions.iter().any(|e| {
            guides.iter().any(|g| {
                let ep = match w.direction {
                    Direction::Incoming => &g.incoming,
                    Direction::Outgoing => &g.outgoing,
                };
                let protocols = [g.incoming.protocol, Protocol::Smtp];
                let scope = Scope::edition(e.id.get_ref())
                    .over(&protocols)
                    .variant(&g.variant);
                scope.admits(item)
                    && right_value(m, c, e.id.get_ref(), w, ep)
                        .is_some_and(|v| v != *w.value.get_ref())
            })
        });
        if !shown {
            out.push((
                id,
                format!(
                    "`{}` names {} `{}` as the wrong value, but that is the right value on every page it would appear on: it would never be shown",
                    id.get_ref(),
                    w.setting.get_ref().as_str(),
                    w.value.get_ref()
                ),
            ));
        }
    }
    out
}
