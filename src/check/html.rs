//! Rule 6 — HTML validity: every parse error html5ever reports for a generated page
//! (with its line), and duplicate `id`s (they make `#anchors` ambiguous).

use std::collections::BTreeMap;

use super::{Ctx, Problem, Rule};

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Problem>) {
    for page in &ctx.pages {
        for (line, msg) in &page.errors {
            out.push(Problem::new(
                Rule::Html,
                &page.output,
                (*line, 1),
                format!("HTML parse error: {msg}"),
            ));
        }
        let mut first: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for el in page.elements() {
            let Some(id) = el.value().attr("id") else {
                continue;
            };
            let at = page.location(&el);
            if let Some((l, c)) = first.get(id) {
                out.push(Problem::new(
                    Rule::Html,
                    &page.output,
                    at,
                    format!("duplicate id `{id}` (first at {}:{l}:{c})", page.output),
                ));
            } else {
                first.insert(id, at);
            }
        }
    }
}
