//! Rule 8 — active content: nothing on a page runs code or leaves the manual in a way the
//! engine did not write. Scripts, event-handler attributes, `javascript:`/`data:` link
//! targets, frames, embedded objects, `<base>` and meta refreshes are reported wherever
//! they come from (a template, static HTML, a Markdown page).

use super::parse::describe;
use super::{Ctx, Problem, Rule};
use crate::assets;
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

/// One of the engine's own scripts: loaded from `assets/` by `src`, nothing inline.
/// (`type="application/json"` data islands are not scripts a browser runs.)
fn engine_script(ctx: &Ctx<'_>, page_url: &str, el: &scraper::ElementRef<'_>) -> bool {
    let e = el.value();
    if e.attr("type") == Some("application/json") {
        return e.attr("src").is_none();
    }
    let Some(src) = e.attr("src") else {
        return false;
    };
    let inline = el.text().any(|t| !t.trim().is_empty());
    let target = super::links::resolve(ctx, page_url, src).ok().flatten();
    !inline && target.is_some_and(|t| assets::is_engine_script(&t.file))
}

fn engine_scripts() -> String {
    let names = assets::names();
    if names.is_empty() {
        "none on this site".into()
    } else {
        names.join(", ")
    }
}

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
                if !engine_script(ctx, &page.url, &el) {
                    report(format!(
                        "{}: a script the engine did not write (pages run only mailsite's own scripts: {})",
                        describe(&el),
                        engine_scripts()
                    ));
                }
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
