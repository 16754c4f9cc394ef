//! Rule 8 — active content: nothing on a page runs code or leaves the manual in a way the
//! engine did not write. Scripts, event-handler attributes, `javascript:`/`data:` link
//! targets, frames, embedded objects, `<base>` and meta refreshes are reported wherever
//! they come from (a template, static HTML, a Markdown page).

use super::parse::describe;
use super::{Ctx, Problem, Rule};
use crate::html::link_target_problem;

/// Elements that run code, embed other documents or redirect the page.
const FORBIDDEN: &[&str] = &[
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal",
];

/// Attributes holding a URL a browser follows or loads.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "cite",
    "poster",
    "data",
    "xlink:href",
    "ping",
];

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Problem>) {
    for page in &ctx.pages {
        for el in page.elements() {
            let at = page.location(&el);
            let e = el.value();
            let name = e.name();
            let mut report = |msg: String| {
                out.push(Problem::new(Rule::ActiveContent, &page.output, at, msg));
            };
            if name == "script" {
                report(format!(
                    "{}: a script the engine did not write (pages run only mailsite's own scripts)",
                    describe(&el)
                ));
            } else if FORBIDDEN.contains(&name) {
                report(format!("`<{name}>` is not allowed on customer pages"));
            } else if name == "meta"
                && e.attr("http-equiv")
                    .is_some_and(|v| v.eq_ignore_ascii_case("refresh"))
            {
                report("`<meta http-equiv=\"refresh\">` redirects the page; link instead".into());
            }
            for (attr, value) in e.attrs() {
                if attr.len() > 2 && attr[..2].eq_ignore_ascii_case("on") {
                    report(format!(
                        "attribute `{attr}` of `<{name}>`: event handlers run code"
                    ));
                } else if URL_ATTRIBUTES.contains(&attr) {
                    if let Some(msg) = link_target_problem(value) {
                        report(format!("attribute `{attr}` of `<{name}>`: {msg}"));
                    }
                } else if attr == "srcset" {
                    for candidate in value.split(',') {
                        let url = candidate.split_whitespace().next().unwrap_or("");
                        if let Some(msg) = link_target_problem(url) {
                            report(format!("attribute `srcset` of `<{name}>`: {msg}"));
                        }
                    }
                }
            }
        }
    }
}
