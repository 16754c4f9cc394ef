//! Rule 5 — links.
//!
//! - Every internal `href`/`src` (on any element; relative URLs resolved against the
//!   page's URL; absolute ones under the configured `base_url` count as internal) must
//!   name a generated page or a file of `static/`, and its `#fragment` an `id` (or
//!   `<a name>`) of that page. A link to a folder must end with `/`.
//! - No orphan page: every page must be reachable from the language choice `/` through
//!   `<a href>` links (except `/404.html`, which static hosts serve for missing addresses).
//!   Root-relative links under the path of the configured `base_url` (the 404 page's)
//!   are read from that path.
//! - Language twins: every page of a language links, in its language switcher
//!   (`<a hreflang=L>`) and in `<link rel="alternate" hreflang=L>`, to its twin in every
//!   other language L as given by the page plan, and the twin exists; `x-default` must
//!   point to an existing page.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use scraper::ElementRef;

use super::parse::{describe, ParsedPage};
use super::{Ctx, Problem, Rule};
use crate::plan::PageJob;

use crate::plan::PageKind;
use crate::urls;

/// Where a link leads inside the site.
pub(super) struct Target {
    /// Site path, e.g. `/ja/settings/index.html`, `/style.css`.
    pub(super) file: String,
    fragment: Option<String>,
}

/// Returns how many links were followed.
pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Problem>) -> usize {
    let pages = Pages {
        by_file: ctx
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("/{}", p.output), i))
            .collect(),
        ids: ctx.pages.iter().map(anchors).collect(),
        statics: ctx.static_files.iter().map(String::as_str).collect(),
    };
    let mut edges: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); ctx.pages.len()];
    let mut count = 0;
    for (pi, page) in ctx.pages.iter().enumerate() {
        for el in page.elements() {
            for attr in ["href", "src"] {
                if let Some(raw) = el.value().attr(attr) {
                    let link = Link {
                        page,
                        el: &el,
                        attr,
                        raw,
                    };
                    if let Some(ti) = pages.follow(ctx, &link, &mut count, out) {
                        if el.value().name() == "a" || el.value().name() == "area" {
                            edges[pi].insert(ti);
                        }
                    }
                }
            }
        }
    }
    orphans(ctx, &pages.by_file, &edges, out);
    twins(ctx, &pages.by_file, out);
    count
}

/// Every `id` (and `<a name>`) of a page: the anchors links may point at.
fn anchors(p: &ParsedPage) -> BTreeSet<String> {
    p.elements()
        .flat_map(|e| {
            let v = e.value();
            let name = (v.name() == "a").then(|| v.attr("name")).flatten();
            v.attr("id")
                .into_iter()
                .chain(name)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// What links can lead to.
struct Pages<'a> {
    /// Output file (`/ja/index.html`) → page index.
    by_file: BTreeMap<String, usize>,
    ids: Vec<BTreeSet<String>>,
    statics: BTreeSet<&'a str>,
}

/// One `href` or `src` of one element.
struct Link<'a> {
    page: &'a ParsedPage,
    el: &'a ElementRef<'a>,
    attr: &'a str,
    raw: &'a str,
}

impl Pages<'_> {
    /// Checks one link; the index of the page it leads to, if it leads to one.
    fn follow(
        &self,
        ctx: &Ctx<'_>,
        link: &Link<'_>,
        count: &mut usize,
        out: &mut Vec<Problem>,
    ) -> Option<usize> {
        let (attr, raw) = (link.attr, link.raw);
        let target = match resolve(ctx, &link.page.url, raw) {
            Ok(Some(t)) => t,
            Ok(None) => return None,
            Err(msg) => {
                out.push(problem(link.page, link.el, format!("{attr} `{raw}` {msg}")));
                return None;
            }
        };
        *count += 1;
        if let Some(&ti) = self.by_file.get(&target.file) {
            if let Some(frag) = &target.fragment {
                if !frag.is_empty() && !self.ids[ti].contains(frag) {
                    let msg = format!(
                        "{attr} `{raw}`: page `{}` has no id `{frag}`",
                        ctx.pages[ti].output
                    );
                    out.push(problem(link.page, link.el, msg));
                }
            }
            return Some(ti);
        }
        if !self.statics.contains(target.file.as_str()) {
            let hint = if !target.file.ends_with(".html")
                && self
                    .by_file
                    .contains_key(&format!("{}/index.html", target.file))
            {
                format!(" (the page is `{}/`: add the trailing `/`)", target.file)
            } else {
                String::new()
            };
            let msg = format!(
                "{attr} `{raw}` leads to `{}`, which the site does not have{hint}",
                target.file
            );
            out.push(problem(link.page, link.el, msg));
        }
        None
    }
}

/// Every page is reachable from the language choice: breadth-first over `<a href>` links.
fn orphans(
    ctx: &Ctx<'_>,
    by_file: &BTreeMap<String, usize>,
    edges: &[BTreeSet<usize>],
    out: &mut Vec<Problem>,
) {
    let Some(&start) = by_file.get("/index.html") else {
        return;
    };
    let mut seen = vec![false; ctx.pages.len()];
    let mut queue = VecDeque::from([start]);
    seen[start] = true;
    while let Some(i) = queue.pop_front() {
        for &j in &edges[i] {
            if !seen[j] {
                seen[j] = true;
                queue.push_back(j);
            }
        }
    }
    // The 404 page is served for missing addresses; nothing links to it.
    let unlinked = |output: &str| {
        ctx.jobs
            .iter()
            .any(|j| j.output == output && j.kind == PageKind::NotFound)
    };
    for (i, page) in ctx.pages.iter().enumerate() {
        if !seen[i] && !unlinked(&page.output) {
            out.push(Problem::new(
                Rule::Links,
                &page.output,
                (1, 1),
                format!(
                    "orphan page: no chain of links leads to `{}` from the language choice `/`",
                    page.url
                ),
            ));
        }
    }
}

fn twins(ctx: &Ctx<'_>, by_file: &BTreeMap<String, usize>, out: &mut Vec<Problem>) {
    let jobs: BTreeMap<&str, &PageJob> = ctx.jobs.iter().map(|j| (j.output.as_str(), j)).collect();
    for page in &ctx.pages {
        let Some(job) = jobs.get(page.output.as_str()) else {
            continue;
        };
        let resolved = |raw: &str| resolve(ctx, &page.url, raw).ok().flatten().map(|t| t.file);
        for alt in &job.alternates {
            let want = file_of(&alt.url);
            let twin_exists = by_file.contains_key(&want);
            if !twin_exists {
                out.push(Problem::new(
                    Rule::Links,
                    &page.output,
                    (1, 1),
                    format!(
                        "the `{}` twin `{}` of this page does not exist",
                        alt.lang, alt.url
                    ),
                ));
            }
            if page.lang.as_deref() == Some(alt.lang.as_str()) {
                continue;
            }
            for (what, selector) in [
                ("language switcher", "a[hreflang]"),
                ("hreflang alternate", "link[rel~=\"alternate\"][hreflang]"),
            ] {
                let sel = scraper::Selector::parse(selector).expect("valid selector");
                let links: Vec<_> = page
                    .doc
                    .select(&sel)
                    .filter(|e| e.value().attr("hreflang") == Some(alt.lang.as_str()))
                    .collect();
                if links.is_empty() {
                    out.push(Problem::new(
                        Rule::Links,
                        &page.output,
                        (1, 1),
                        format!(
                            "the {what} has no link to the `{}` twin `{}`",
                            alt.lang, alt.url
                        ),
                    ));
                }
                for l in links {
                    let href = l.value().attr("href").unwrap_or("");
                    if resolved(href).as_deref() != Some(want.as_str()) {
                        out.push(problem(
                            page,
                            &l,
                            format!(
                                "the {what} for `{}` points to `{href}`, not to the twin `{}`",
                                alt.lang, alt.url
                            ),
                        ));
                    }
                }
            }
        }
        let sel = scraper::Selector::parse("link[hreflang=\"x-default\"]").expect("valid selector");
        for l in page.doc.select(&sel) {
            let href = l.value().attr("href").unwrap_or("");
            if !resolved(href).is_some_and(|f| by_file.contains_key(&f)) {
                out.push(problem(
                    page,
                    &l,
                    format!("x-default alternate `{href}` is not a page of the site"),
                ));
            }
        }
    }
}

fn problem(page: &ParsedPage, el: &scraper::ElementRef<'_>, msg: String) -> Problem {
    Problem::new(
        Rule::Links,
        &page.output,
        page.location(el),
        format!("{}: {msg}", describe(el)),
    )
}

/// `/ja/` → `/ja/index.html`.
fn file_of(path: &str) -> String {
    if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && s.is_char_boundary(i + 3) {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves a link of the page at `page_url`. `Ok(None)`: not internal (another site,
/// `mailto:` …), nothing to check.
pub(super) fn resolve(ctx: &Ctx<'_>, page_url: &str, raw: &str) -> Result<Option<Target>, String> {
    let raw = raw.trim();
    let (rest, fragment) = match raw.split_once('#') {
        Some((r, f)) => (r, Some(percent_decode(f))),
        None => (raw, None),
    };
    let rest = rest.split_once('?').map(|(r, _)| r).unwrap_or(rest);
    let lower = rest.to_ascii_lowercase();
    let path = if !ctx.base_url.is_empty() && rest.starts_with(&ctx.base_url) {
        let p = &rest[ctx.base_url.len()..];
        if p.is_empty() {
            "/".to_string()
        } else if p.starts_with('/') {
            p.to_string()
        } else {
            return Ok(None);
        }
    } else if lower.starts_with("//")
        || lower.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
    {
        return Ok(None);
    } else if rest.is_empty() {
        page_url.to_string()
    } else if rest.starts_with('/') {
        // A page served at any depth (`/404.html`) links by absolute paths under the base
        // URL's path.
        let base = urls::base_path(&ctx.base_url);
        match rest.strip_prefix(base) {
            Some(p) if !base.is_empty() && (p.is_empty() || p.starts_with('/')) => {
                if p.is_empty() {
                    "/".to_string()
                } else {
                    p.to_string()
                }
            }
            _ => rest.to_string(),
        }
    } else {
        let dir = &page_url[..page_url.rfind('/').map(|i| i + 1).unwrap_or(0)];
        format!("{dir}{rest}")
    };
    // Normalize `.` and `..`.
    let mut parts: Vec<&str> = Vec::new();
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("leads outside the site".into());
                }
            }
            s => parts.push(s),
        }
    }
    let mut norm = format!("/{}", parts.join("/"));
    if trailing && norm != "/" {
        norm.push('/');
    }
    Ok(Some(Target {
        file: file_of(&percent_decode(&norm)),
        fragment,
    }))
}
