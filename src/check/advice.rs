//! Rule 7 — advice agrees with the values: on every page, no value advice names as wrong
//! (`data-wrong`) is the value the page gives as right for the same setting, direction and
//! protocol; and no page tells the customer to choose two different values for one field
//! (the same setting of the same connection, for the same client and edition).

use std::collections::BTreeMap;

use super::parse::{describe, ParsedPage};
use super::{Ctx, Problem, Rule};
use crate::markers::{Field, Marker, Origin};

/// What identifies one field a page gives a value for.
type FieldKey = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

fn key(o: &Origin, setting: &str, client: &str, edition: &str) -> FieldKey {
    (
        o.plan.clone(),
        o.variant.clone(),
        o.direction.clone(),
        o.protocol.clone(),
        o.port.clone().unwrap_or_default(),
        setting.to_string(),
        client.to_string(),
        edition.to_string(),
    )
}

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Problem>) {
    for page in &ctx.pages {
        page_advice(page, out);
    }
}

fn page_advice(page: &ParsedPage, out: &mut Vec<Problem>) {
    // Right values: (setting, direction, protocol) → values; and per field the first value.
    let mut right: Vec<(String, String, String, String)> = Vec::new();
    let mut first: BTreeMap<FieldKey, (String, (usize, usize))> = BTreeMap::new();
    let mut wrong = Vec::new();
    for el in page.elements() {
        let Some(Ok(marker)) = Marker::from_element(el.value()) else {
            continue;
        };
        let at = page.location(&el);
        let (k, value) = match &marker {
            Marker::Value {
                field,
                origin,
                value,
            } => (key(origin, field.as_str(), "", ""), value),
            Marker::Login {
                origin,
                client,
                edition,
                value,
            } => (key(origin, Field::Auth.as_str(), client, edition), value),
            Marker::Wrong { .. } => {
                wrong.push((el, marker));
                continue;
            }
            _ => continue,
        };
        right.push((k.5.clone(), k.2.clone(), k.3.clone(), value.clone()));
        match first.get(&k) {
            Some((v, (l, c))) if v != value => out.push(Problem::new(
                Rule::Advice,
                &page.output,
                at,
                format!(
                    "{}: tells the customer to choose `{value}` for the {} {} {} setting, but {}:{l}:{c} tells them `{v}`",
                    describe(&el),
                    k.2, k.3, k.5, page.output
                ),
            )),
            Some(_) => {}
            None => {
                first.insert(k, (value.clone(), at));
            }
        }
    }
    for (el, marker) in wrong {
        let Marker::Wrong {
            setting,
            direction,
            protocol,
            value,
        } = &marker
        else {
            continue;
        };
        let contradicted = right
            .iter()
            .any(|(s, d, p, v)| s == setting && d == direction && p == protocol && v == value);
        if contradicted {
            out.push(Problem::new(
                Rule::Advice,
                &page.output,
                page.location(&el),
                format!(
                    "{}: names `{value}` as the wrong {direction} {protocol} {setting}, but this page gives `{value}` as the right one",
                    describe(&el)
                ),
            ));
        }
    }
}
