//! What a page's template is given: the per-language part (built once per language and
//! shared by every page of it) and the page's own part (title, alternates, its plan,
//! client or guide).

use std::collections::BTreeMap;

use minijinja::value::Serde;
use minijinja::Value;
use serde::Serialize;

use crate::content::MarkdownPage;
use crate::plan::{PageJob, PageKind};
use crate::site::Site;
use crate::urls;
use crate::view::Views;

/// Everything of one language the templates see, as template values.
pub(super) struct LangContext {
    /// The localized matrix (none for sites without a matrix).
    pub data: Value,
    pub nav: Value,
    /// Every client's overview, in the site's order, and the same by id.
    pub clients: Value,
    pub client_by_id: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Serialize)]
struct NavItem {
    url: String,
    title: String,
}

impl LangContext {
    pub(super) fn build(site: &Site, lang: &str) -> LangContext {
        let mut ctx = LangContext {
            data: Value::from(()),
            nav: Value::from(Serde(nav(site, lang))),
            clients: Value::from(()),
            client_by_id: BTreeMap::new(),
        };
        if let Some(m) = &site.matrix {
            let views = Views {
                clients: &site.clients,
                m: &m.matrix,
                strings: &site.strings,
                lang,
            };
            ctx.data = Value::from(Serde(views.data()));
            let list: Vec<Value> = site
                .clients
                .iter()
                .map(|c| Value::from(Serde(views.client(&c.client))))
                .collect();
            for (c, v) in site.clients.iter().zip(&list) {
                ctx.client_by_id
                    .insert(c.client.id.get_ref().clone(), v.clone());
            }
            ctx.clients = Value::from(list);
        }
        ctx
    }
}

/// The pages listed in the navigation, by weight.
fn nav(site: &Site, lang: &str) -> Vec<NavItem> {
    let mut pages: Vec<&MarkdownPage> = site
        .pages
        .iter()
        .filter(|p| p.lang == lang && p.front.in_nav)
        .collect();
    pages.sort_by(|a, b| (a.front.weight, &a.rel).cmp(&(b.front.weight, &b.rel)));
    pages
        .into_iter()
        .map(|p| NavItem {
            url: p.url(),
            title: p.front.title.clone(),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct PageContext<'a> {
    url: &'a str,
    title: String,
    description: String,
    kind: &'a PageKind,
    alternates: Vec<AlternateContext>,
    /// This page's address for `<link rel="canonical">` (none for search and 404 pages).
    canonical: Option<String>,
    /// Where `hreflang="x-default"` leads: the language choice from a home (or itself),
    /// else the page in the site's first language (none without language twins).
    x_default: Option<String>,
    /// Markdown source path, for "edit this page" links and messages.
    source: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize)]
struct AlternateContext {
    lang: String,
    url: String,
    /// Absolute when a base URL is known, else relative to the page.
    href: String,
    /// The language's own name for itself, and its site title (for the language choice).
    name: String,
    title: String,
}

impl<'a> PageContext<'a> {
    pub(super) fn new(
        site: &Site,
        job: &'a PageJob,
        md: Option<&'a MarkdownPage>,
        lang: &str,
        base_url: &str,
    ) -> Self {
        let (title, description) = title_and_description(site, job, md, lang);
        // With a base URL, addresses are absolute (search engines want them so); without
        // one, relative to the page, so they stay right under any sub-path.
        let href = |url: &str| {
            if base_url.is_empty() {
                urls::relative(&job.url, url)
            } else {
                format!("{base_url}{url}")
            }
        };
        let x_default = job.x_default().map(|u| href(&u));
        PageContext {
            url: &job.url,
            title,
            description,
            kind: &job.kind,
            alternates: job
                .alternates
                .iter()
                .map(|a| AlternateContext {
                    lang: a.lang.clone(),
                    url: a.url.clone(),
                    href: href(&a.url),
                    name: site.strings.require(&a.lang, "language.name").to_string(),
                    title: site.strings.require(&a.lang, "site.title").to_string(),
                })
                .collect(),
            // Search and 404 pages are `noindex`: no canonical address either.
            canonical: (!matches!(job.kind, PageKind::NotFound | PageKind::Search))
                .then(|| href(&job.url)),
            x_default,
            source: md.map(|p| p.source.path.as_str()),
        }
    }
}

/// A page's `<title>` and meta description: the front matter's for a Markdown page,
/// otherwise made from the data and the UI strings.
fn title_and_description(
    site: &Site,
    job: &PageJob,
    md: Option<&MarkdownPage>,
    lang: &str,
) -> (String, String) {
    if let Some(p) = md {
        return (p.front.title.clone(), p.front.description.clone());
    }
    let string = |key: &str| site.strings.require(lang, key).to_string();
    let m = site.matrix.as_ref().map(|m| &m.matrix);
    let client_name = |id: &str| {
        site.clients
            .iter()
            .find(|c| c.client.id.get_ref() == id)
            .map(|c| c.client.name.get(lang).to_string())
            .unwrap_or_default()
    };
    match &job.kind {
        PageKind::Plan { plan } => {
            let name = m
                .and_then(|m| m.plan(plan).map(|p| (m, p)))
                .map(|(m, p)| format!("{} › {}", p.group.text(m, lang), p.name.text(m, lang)))
                .unwrap_or_default();
            (name, string("plan.description"))
        }
        PageKind::Client { client } => (client_name(client), string("client.description")),
        PageKind::ClientGuide {
            client,
            plan,
            variant,
        } => {
            let plan_name = m
                .and_then(|m| m.plan(plan))
                .map(|p| p.name.get(lang).to_string())
                .unwrap_or_default();
            let variant_name = m
                .and_then(|m| m.variant(variant))
                .map(|v| v.name.get(lang).to_string())
                .unwrap_or_default();
            let title = string("client.guide_title")
                .replace("{client}", &client_name(client))
                .replace("{plan}", &plan_name)
                .replace("{variant}", &variant_name);
            (title, string("client.guide_description"))
        }
        PageKind::YourSettings => (
            string("your_settings.title"),
            string("your_settings.description"),
        ),
        _ => (string("site.title"), string("site.description")),
    }
}
