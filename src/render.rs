//! Rendering: the page plan through minijinja (autoescaped) and pulldown-cmark.
//!
//! The environment and the per-language data views are built once per build;
//! pages render independently (in parallel), with no shared mutable state.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, State, UndefinedBehavior, Value};
use rayon::prelude::*;
use serde::Serialize;

use crate::clients::view::ClientViews;
use crate::content::MarkdownPage;
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::html::{escape, Html};
use crate::markdown;
use crate::markers::{Field, Marker, Origin};
use crate::matrix::{Matrix, Plan};
use crate::plan::{markdown_index, PageJob, PageKind};
use crate::site::{Site, TEMPLATES_DIR};
use crate::view::ViewBuilder;

/// The work one render may do (minijinja fuel: about one unit per instruction or 64 bytes
/// of output). The largest page of the shipped manual uses about 15,000, so a legitimate
/// page is far below it, while a runaway loop stops after well under a second.
pub const RENDER_FUEL: u64 = 5_000_000;

/// A rendered output file.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub output: String,
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
struct PageContext<'a> {
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

#[derive(Debug, Clone, Serialize)]
struct NavItem {
    url: String,
    title: String,
}

pub struct Renderer<'s> {
    env: Environment<'s>,
    site: &'s Site,
    base_url: String,
    /// Per language: the localized matrix view, or none for sites without a matrix.
    data: BTreeMap<String, Value>,
    nav: BTreeMap<String, Value>,
    /// Per language: the client overviews (empty without a matrix or clients).
    clients: BTreeMap<String, Value>,
}

impl<'s> Renderer<'s> {
    pub fn new(site: &'s Site, base_url: &str) -> Result<Renderer<'s>, Diagnostics> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // A loop that never ends in a template or in Markdown must fail, not hang a build
        // or pin `serve`: every render (page template, Markdown body) gets this budget.
        env.set_fuel(Some(RENDER_FUEL));
        // Markdown bodies are templates too; everything they insert is HTML-escaped.
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html")
                || name.ends_with(".htm")
                || name.ends_with(".xml")
                || name.ends_with(".md")
            {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        // Same safety as the default HTML escaping, but `/` stays readable in URLs.
        env.set_formatter(|out, state, value| {
            if matches!(state.auto_escape(), AutoEscape::Html)
                && !value.is_safe()
                && !value.is_none()
                && !value.is_undefined()
            {
                write!(out, "{}", escape(&value.to_string())).map_err(Error::from)
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        let mut problems = Diagnostics::new();
        for (name, src) in &site.templates {
            if let Err(e) = env.add_template_owned(name.clone(), src.text.clone()) {
                problems.push(template_diagnostic(site, &e));
            }
        }
        problems.into_result()?;
        register_functions(&mut env, site);

        let mut data = BTreeMap::new();
        let mut nav = BTreeMap::new();
        let mut clients = BTreeMap::new();
        for lang in site.languages() {
            if let Some(m) = &site.matrix {
                let views = ClientViews {
                    m: &m.matrix,
                    strings: &site.strings,
                    lang,
                };
                let list: Vec<_> = site
                    .clients
                    .iter()
                    .map(|c| views.client(&c.client))
                    .collect();
                clients.insert(lang.clone(), Value::from(Serde(list)));
                let view = ViewBuilder {
                    m: &m.matrix,
                    strings: &site.strings,
                    lang,
                }
                .build();
                data.insert(lang.clone(), Value::from(Serde(&view)));
            }
            let mut items: Vec<(&MarkdownPage, NavItem)> = site
                .pages
                .iter()
                .filter(|p| p.lang == *lang && p.front.in_nav)
                .map(|p| {
                    (
                        p,
                        NavItem {
                            url: p.url(),
                            title: p.front.title.clone(),
                        },
                    )
                })
                .collect();
            items.sort_by(|a, b| (a.0.front.weight, &a.0.rel).cmp(&(b.0.front.weight, &b.0.rel)));
            let items: Vec<NavItem> = items.into_iter().map(|(_, n)| n).collect();
            nav.insert(lang.clone(), Value::from(Serde(items)));
        }
        Ok(Renderer {
            env,
            site,
            base_url: base_url.trim_end_matches('/').to_string(),
            data,
            nav,
            clients,
        })
    }

    pub fn render_all(&self, jobs: &[PageJob]) -> Result<Vec<RenderedPage>, Diagnostics> {
        // A runaway loop in a shared template would burn the whole budget on every page:
        // after the first page that runs out, the others are not started (the problem is
        // reported once, where it is).
        let runaway = AtomicBool::new(false);
        let results: Vec<Result<RenderedPage, Diagnostics>> = jobs
            .par_iter()
            .map(|job| {
                if runaway.load(Ordering::Relaxed) {
                    return Err(Diagnostics::new());
                }
                let result = self.render(job);
                if let Err((_, true)) = &result {
                    runaway.store(true, Ordering::Relaxed);
                }
                result.map_err(|(d, _)| d)
            })
            .collect();
        let mut pages = Vec::with_capacity(results.len());
        let mut problems = Diagnostics::new();
        for r in results {
            match r {
                Ok(p) => pages.push(p),
                Err(d) => problems.extend(d),
            }
        }
        problems.into_result()?;
        Ok(pages)
    }

    /// One page; the error says whether the render ran out of fuel.
    fn render(&self, job: &PageJob) -> Result<RenderedPage, (Diagnostics, bool)> {
        self.render_page(job).map_err(|(d, e)| {
            let out_of_fuel = e.is_some_and(|kind| kind == ErrorKind::OutOfFuel);
            (d, out_of_fuel)
        })
    }

    fn render_page(&self, job: &PageJob) -> Result<RenderedPage, (Diagnostics, Option<ErrorKind>)> {
        let plain = |d: Diagnostics| (d, None);
        let site = self.site;
        let md = markdown_index(site, job).map(|i| &site.pages[i]);
        let lang = job
            .lang
            .clone()
            .unwrap_or_else(|| site.languages()[0].clone());
        let string = |key: &str| site.strings.require(&lang, key).to_string();
        let (title, description) = match (md, &job.kind) {
            (Some(p), _) => (p.front.title.clone(), p.front.description.clone()),
            (None, PageKind::Plan { plan }) => {
                let data = self.data.get(&lang);
                let plan_view = data.and_then(|d| {
                    d.get_attr("plans").ok()?.try_iter().ok()?.find(|p| {
                        p.get_attr("id")
                            .ok()
                            .and_then(|v| v.as_str().map(|s| s == plan))
                            .unwrap_or(false)
                    })
                });
                let name = plan_view
                    .map(|p| {
                        let g = p
                            .get_attr("group")
                            .map(|v| v.to_string())
                            .unwrap_or_default();
                        let n = p
                            .get_attr("name")
                            .map(|v| v.to_string())
                            .unwrap_or_default();
                        format!("{g} › {n}")
                    })
                    .unwrap_or_default();
                (name, string("plan.description"))
            }
            (None, PageKind::Client { client }) => {
                let name = site
                    .clients
                    .iter()
                    .find(|c| c.client.id.get_ref() == client)
                    .map(|c| c.client.name.get(&lang).to_string())
                    .unwrap_or_default();
                (name, string("client.description"))
            }
            (
                None,
                PageKind::ClientGuide {
                    client,
                    plan,
                    variant,
                },
            ) => {
                let c = site
                    .clients
                    .iter()
                    .find(|c| c.client.id.get_ref() == client);
                let m = site.matrix.as_ref().map(|m| &m.matrix);
                let name = |l: Option<&crate::matrix::Localized>| {
                    l.map(|l| l.get(&lang).to_string()).unwrap_or_default()
                };
                let title = string("client.guide_title")
                    .replace("{client}", &name(c.map(|c| &c.client.name)))
                    .replace(
                        "{plan}",
                        &name(m.and_then(|m| m.plan(plan)).map(|p| &p.name)),
                    )
                    .replace(
                        "{variant}",
                        &name(m.and_then(|m| m.variant(variant)).map(|v| &v.name)),
                    );
                (title, string("client.guide_description"))
            }
            (None, PageKind::LanguageChoice) => (string("site.title"), string("site.description")),
            (None, _) => (string("site.title"), string("site.description")),
        };
        let alternates = job
            .alternates
            .iter()
            .map(|a| AlternateContext {
                lang: a.lang.clone(),
                url: a.url.clone(),
                href: format!("{}{}", self.base_url, a.url),
                name: site.strings.require(&a.lang, "language.name").to_string(),
                title: site.strings.require(&a.lang, "site.title").to_string(),
            })
            .collect();
        let page = PageContext {
            url: &job.url,
            title,
            description,
            kind: &job.kind,
            alternates,
            source: md.map(|p| p.source.path.as_str()),
        };
        let mut ctx = BTreeMap::new();
        ctx.insert("lang", Value::from(lang.clone()));
        ctx.insert("page", Value::from(Serde(&page)));
        ctx.insert("page_url", Value::from(job.url.clone()));
        ctx.insert(
            "data",
            self.data.get(&lang).cloned().unwrap_or(Value::from(())),
        );
        ctx.insert(
            "nav",
            self.nav.get(&lang).cloned().unwrap_or(Value::from(())),
        );
        ctx.insert("languages", Value::from(Serde(site.languages())));
        if let PageKind::Plan { plan } = &job.kind {
            ctx.insert("plan_id", Value::from(plan.clone()));
        }
        if let Some(m) = &site.matrix {
            let views = ClientViews {
                m: &m.matrix,
                strings: &site.strings,
                lang: &lang,
            };
            let find = |id: &str| {
                site.clients
                    .iter()
                    .find(|c| c.client.id.get_ref() == id)
                    .map(|c| &c.client)
            };
            if let Some(list) = self.clients.get(&lang) {
                ctx.insert("clients", list.clone());
            }
            match &job.kind {
                PageKind::Client { client } => {
                    if let Some(c) = find(client) {
                        ctx.insert("client", Value::from(Serde(views.client(c))));
                    }
                }
                PageKind::ClientGuide {
                    client,
                    plan,
                    variant,
                } => {
                    if let Some(g) = find(client).and_then(|c| views.guide(c, plan, variant)) {
                        ctx.insert("guide", Value::from(Serde(g)));
                    }
                }
                _ => {}
            }
        }
        let content = match md {
            Some(p) => self.markdown(p, &ctx)?,
            None => Html::default(),
        };
        ctx.insert("content", Value::from(content));
        let tmpl = self.env.get_template(&job.template).map_err(|e| {
            let at = md
                .map(|p| p.source.path.clone())
                .unwrap_or_else(|| format!("{TEMPLATES_DIR}/"));
            plain(
                Diagnostic::file(
                    at,
                    format!("template `{}` not found: {}", job.template, e.kind()),
                )
                .into(),
            )
        })?;
        let html = tmpl
            .render(Value::from(ctx))
            .map_err(|e| (template_diagnostic(site, &e).into(), Some(e.kind())))?;
        Ok(RenderedPage {
            output: job.output.clone(),
            html,
        })
    }

    /// Body → (inline expressions) → Markdown → HTML.
    fn markdown(
        &self,
        page: &MarkdownPage,
        ctx: &BTreeMap<&str, Value>,
    ) -> Result<Html, (Diagnostics, Option<ErrorKind>)> {
        let body = page.body();
        let expanded;
        let text = if body.contains("{{") || body.contains("{%") {
            let tmpl = self
                .env
                .template_from_named_str(&page.source.path, body)
                .map_err(|e| (markdown_diagnostic(page, &e).into(), None))?;
            expanded = tmpl.render(Value::from(ctx.clone())).map_err(|e| {
                let d = if e.name() == Some(page.source.path.as_str()) {
                    markdown_diagnostic(page, &e)
                } else {
                    template_diagnostic(self.site, &e)
                };
                (d.into(), Some(e.kind()))
            })?;
            expanded.as_str()
        } else {
            body
        };
        markdown::to_html(text).map_err(|problems| {
            // Offsets are in the expanded text; an expression rarely changes the number of
            // lines, so its line is the source's line (exact when nothing was expanded).
            let expanded = SourceFile::new(page.source.path.clone(), text.to_string());
            let (body_line, _) = page.source.line_col(page.body_start);
            let problems: Vec<Diagnostic> = problems
                .into_iter()
                .map(|p| {
                    let (line, column) = expanded.line_col(p.offset);
                    Diagnostic::new(
                        page.source.path.clone(),
                        body_line + line - 1,
                        column,
                        p.message,
                    )
                })
                .collect();
            (problems.into(), None)
        })
    }
}

fn error_message(e: &Error) -> String {
    if e.kind() == ErrorKind::OutOfFuel {
        return format!(
            "rendering stopped: this page needs more work than any page may do ({RENDER_FUEL} steps); look for a loop that is too large or never ends"
        );
    }
    match e.detail() {
        Some(detail) => format!("template error: {}: {detail}", e.kind()),
        None => format!("template error: {}", e.kind()),
    }
}

/// Locates a minijinja error in `templates/…`.
fn template_diagnostic(site: &Site, e: &Error) -> Diagnostic {
    let name = e.name().unwrap_or("");
    match site.templates.get(name) {
        Some(src) => locate(src, 0, e),
        None => Diagnostic::file(format!("{TEMPLATES_DIR}/{name}"), error_message(e)),
    }
}

/// Locates an error in a Markdown body (its lines count from the file's first line).
fn markdown_diagnostic(page: &MarkdownPage, e: &Error) -> Diagnostic {
    locate(&page.source, page.body_start, e)
}

fn locate(src: &SourceFile, body_start: usize, e: &Error) -> Diagnostic {
    let (body_line, _) = src.line_col(body_start);
    let (line, column) = match (e.range(), e.line()) {
        (Some(r), _) => src.line_col(body_start + r.start),
        (None, Some(l)) => (body_line + l - 1, 1),
        _ => (body_line, 1),
    };
    Diagnostic::new(src.path.clone(), line, column, error_message(e))
}

fn lookup_str(state: &State, name: &str) -> Result<String, Error> {
    state
        .lookup(name)
        .and_then(|v| v.as_str().map(str::to_string))
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("`{name}` is not set for this page"),
            )
        })
}

/// `from` and `to` are URL paths from the site root; the result works from any sub-path.
pub fn relative_url(from: &str, to: &str) -> String {
    let depth = from.trim_start_matches('/').matches('/').count();
    let target = to.trim_start_matches('/');
    let up = "../".repeat(depth);
    let rel = format!("{up}{target}");
    if rel.is_empty() {
        "./".into()
    } else {
        rel
    }
}

fn attr(v: &Value, key: &str) -> Result<String, Error> {
    let a = v.get_attr(key)?;
    if a.is_undefined() {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("setting(): the value has no `{key}` (pass a server row such as `ep` from `variant.incoming`)"),
        ));
    }
    Ok(a.to_string())
}

/// A plan of the matrix, for a template function; an unknown id is a template error.
fn known_plan<'m>(m: Option<&'m Matrix>, function: &str, plan: &str) -> Result<&'m Plan, Error> {
    let m = m.ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("{function}(): this site has no matrix"),
        )
    })?;
    m.plan(plan).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "{function}(): unknown plan `{plan}` (known: {})",
                m.plan_ids().join(", ")
            ),
        )
    })
}

fn register_functions(env: &mut Environment<'_>, site: &Site) {
    // Functions outlive the borrow of the site, so they share owned copies.
    let strings = Arc::new(site.strings.clone());
    let matrix: Option<Arc<Matrix>> = site.matrix.as_ref().map(|m| Arc::new(m.matrix.clone()));
    let strings_t = strings.clone();
    let matrix_port = matrix.clone();
    // UI string of the page's language; a missing key is an error, never a blank.
    env.add_function("t", move |state: &State, key: &str| -> Result<String, Error> {
        let lang = lookup_str(state, "lang")?;
        strings_t.get(&lang, key).map(str::to_string).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("unknown UI string `{key}` (add it to content/i18n/{lang}.toml and the other languages)"),
            )
        })
    });
    env.add_function(
        "url",
        |state: &State, path: &str| -> Result<String, Error> {
            let from = lookup_str(state, "page_url")?;
            Ok(relative_url(&from, path))
        },
    );
    // A matrix value wearing its origin (the marker contract): `setting(ep, "port")`.
    env.add_function("setting", |ep: Value, field: &str| -> Result<Value, Error> {
        let origin = Origin {
            plan: attr(&ep, "plan")?,
            variant: attr(&ep, "variant")?,
            direction: attr(&ep, "direction")?,
            protocol: attr(&ep, "protocol")?,
            port: Some(attr(&ep, "port_id")?),
        };
        if field == "protocol" {
            let text = attr(&ep, "protocol_name")?;
            return Ok(Marker::Protocol { origin }.to_html(&text).into());
        }
        let field = Field::parse(field).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("setting(): unknown field `{field}` (host, port, security, auth, username, protocol)"),
            )
        })?;
        let (text, value) = match field {
            Field::Host => (attr(&ep, "host_display")?, attr(&ep, "host")?),
            Field::Port => (attr(&ep, "port")?, attr(&ep, "port")?),
            Field::Security => (attr(&ep, "security_label")?, attr(&ep, "security")?),
            Field::Auth => (attr(&ep, "auth_label")?, attr(&ep, "auth")?),
            Field::Username => (attr(&ep, "username_display")?, attr(&ep, "username")?),
        };
        Ok(Marker::Value { field, origin, value }.to_html(&text).into())
    });
    // Whether a plan offers a variant, from the matrix, marked for `check`.
    let matrix_ssl = matrix.clone();
    env.add_function(
        "available",
        move |state: &State, plan: &str, variant: &str| -> Result<Value, Error> {
            let lang = lookup_str(state, "lang")?;
            let p = known_plan(matrix.as_deref(), "available", plan)?;
            let offered = p.offered(variant).is_some();
            let key = if offered {
                "availability.yes"
            } else {
                "availability.no"
            };
            let marker = Marker::Available {
                plan: plan.to_string(),
                variant: variant.to_string(),
                offered,
            };
            Ok(marker.to_html(strings.require(&lang, key)).into())
        },
    );
    // A plan's SSL support, from the matrix, marked for `check`.
    env.add_function(
        "ssl_support",
        move |state: &State, plan: &str| -> Result<Value, Error> {
            let lang = lookup_str(state, "lang")?;
            let m = matrix_ssl.as_deref();
            let p = known_plan(m, "ssl_support", plan)?;
            let support = *p.ssl.get_ref();
            let label = m
                .and_then(|m| m.ssl_support_label(support))
                .map(|l| l.get(&lang).to_string())
                .unwrap_or_default();
            let marker = Marker::SslSupport {
                plan: plan.to_string(),
                support: support.as_str().to_string(),
            };
            Ok(marker.to_html(&label).into())
        },
    );
    // A port by id, for prose: {{ port("pop3-ssl") }}.
    env.add_function("port", move |id: &str| -> Result<Value, Error> {
        let m = matrix_port.as_ref().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                "port(): this site has no matrix",
            )
        })?;
        let p = m.port(id).ok_or_else(|| {
            let known: Vec<&str> = m.ports.iter().map(|p| p.id.get_ref().as_str()).collect();
            Error::new(
                ErrorKind::InvalidOperation,
                format!("port(): unknown port `{id}` (known: {})", known.join(", ")),
            )
        })?;
        let marker = Marker::Port {
            id: id.to_string(),
            direction: Some(p.direction.as_str().to_string()),
            number: p.number.get_ref().to_string(),
        };
        Ok(marker.to_html(&p.number.get_ref().to_string()).into())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_work_from_any_depth() {
        assert_eq!(relative_url("/", "/ja/"), "ja/");
        assert_eq!(relative_url("/ja/", "/en/"), "../en/");
        assert_eq!(
            relative_url("/ja/plans/shared-standard/", "/style.css"),
            "../../../style.css"
        );
        assert_eq!(relative_url("/ja/", "/ja/"), "../ja/");
    }
}
