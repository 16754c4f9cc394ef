//! Rule 7, the warnings half — a warning the data attaches to a connection reaches its
//! pages: every warning `resolve` gives a plan's variant (its ports', protocols' and
//! servers' warnings) is shown (`data-warning`) on that plan's page and on every client
//! guide for that plan and variant. Emptying the warning partial, or a template that
//! forgets a variant's warnings, loses no warning without a word.

use std::collections::BTreeSet;

use scraper::Selector;

use super::{Ctx, Problem, Rule};
use crate::plan::PageKind;
use crate::resolve::resolve;

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Problem>) {
    let Some(loaded) = &ctx.site.matrix else {
        return;
    };
    let m = &loaded.matrix;
    let marked = Selector::parse("[data-warning]").expect("a valid selector");
    for (job, page) in ctx.jobs.iter().zip(&ctx.pages) {
        let variants: Vec<(&str, &str)> = match &job.kind {
            PageKind::Plan { plan } => m
                .plan(plan)
                .map(|p| {
                    p.variants
                        .iter()
                        .map(|pv| (plan.as_str(), pv.variant.get_ref().as_str()))
                        .collect()
                })
                .unwrap_or_default(),
            PageKind::ClientGuide { plan, variant, .. } => vec![(plan, variant)],
            _ => continue,
        };
        let shown: BTreeSet<&str> = page
            .doc
            .select(&marked)
            .filter_map(|e| e.value().attr("data-warning"))
            .collect();
        let mut missing: BTreeSet<String> = BTreeSet::new();
        for (plan, variant) in variants {
            let Ok(r) = resolve(m, plan, variant, None) else {
                continue;
            };
            missing.extend(
                r.warnings
                    .into_iter()
                    .filter(|w| !shown.contains(w.as_str())),
            );
        }
        for id in missing {
            let root = page.doc.root_element();
            out.push(Problem::new(
                Rule::Advice,
                &page.output,
                page.location(&root),
                format!(
                    "the data warns `{id}` for a connection this page gives, but the page does not show that warning (an element with data-warning=\"{id}\", as partials/warning.html writes it)"
                ),
            ));
        }
    }
}
