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
    /// Markdown source path, for "edit this page" links and messages.
    source: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize)]
struct AlternateContext {
    lang: String,
    url: String,
    /// Absolute when a base URL is known, else root-relative.
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
                    href: format!("{base_url}{}", a.url),
                    name: site.strings.require(&a.lang, "language.name").to_string(),
                    title: site.strings.require(&a.lang, "site.title").to_string(),
                })
                .collect(),
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
