//! Rendering: the page plan through minijinja (autoescaped) and pulldown-cmark.
//!
//! The environment and each language's context are built once per build; pages render
//! independently (in parallel), with no shared mutable state.

mod context;
mod errors;
mod functions;
mod setup;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};

use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior, Value};
use rayon::prelude::*;

use crate::content::{self, MarkdownPage};
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::html::{escape_into, Html};
use crate::markdown;
use crate::plan::{markdown_index, PageJob, PageKind};
use crate::site::{Site, TEMPLATES_DIR};
use crate::view::Views;
use context::{LangContext, PageContext};
use errors::{markdown_diagnostic, template_diagnostic};

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

/// A page that failed: its problems, and the kind of template error if there was one.
type Failure = (Diagnostics, Option<ErrorKind>);

pub struct Renderer<'s> {
    env: Environment<'s>,
    site: &'s Site,
    base_url: String,
    langs: BTreeMap<String, LangContext>,
}

impl<'s> Renderer<'s> {
    pub fn new(site: &'s Site, base_url: &str) -> Result<Renderer<'s>, Diagnostics> {
        // Compiling the templates and building each language's views are independent.
        let (env, langs) = rayon::join(
            || environment(site),
            || {
                site.languages()
                    .par_iter()
                    .map(|lang| (lang.clone(), LangContext::build(site, lang)))
                    .collect()
            },
        );
        let env = env?;
        Ok(Renderer {
            env,
            site,
            base_url: base_url.trim_end_matches('/').to_string(),
            langs,
        })
    }

    pub fn render_all(&self, jobs: &[PageJob]) -> Result<Vec<RenderedPage>, Diagnostics> {
        self.render_each(jobs, |_, page| Ok(page))
    }

    /// Renders every page in parallel and hands each to `take` as soon as it is done (the
    /// build writes it there and keeps what it returns), in the order of `jobs`. All pages'
    /// problems are reported together.
    pub fn render_each<T: Send>(
        &self,
        jobs: &[PageJob],
        take: impl Fn(&PageJob, RenderedPage) -> Result<T, Diagnostics> + Sync,
    ) -> Result<Vec<T>, Diagnostics> {
        // A runaway loop in a shared template would burn the whole budget on every page:
        // after the first page that runs out, the others are not started (the problem is
        // reported once, where it is).
        let runaway = AtomicBool::new(false);
        let results: Vec<Result<T, Diagnostics>> = jobs
            .par_iter()
            .map(|job| {
                if runaway.load(Ordering::Relaxed) {
                    return Err(Diagnostics::new());
                }
                let page = self.render(job).map_err(|(d, kind)| {
                    if kind == Some(ErrorKind::OutOfFuel) {
                        runaway.store(true, Ordering::Relaxed);
                    }
                    d
                })?;
                take(job, page)
            })
            .collect();
        let mut done = Vec::with_capacity(results.len());
        let mut problems = Diagnostics::new();
        for r in results {
            match r {
                Ok(p) => done.push(p),
                Err(d) => problems.extend(d),
            }
        }
        problems.into_result()?;
        Ok(done)
    }

    fn render(&self, job: &PageJob) -> Result<RenderedPage, Failure> {
        let site = self.site;
        let md = markdown_index(site, job).map(|i| &site.pages[i]);
        let lang = job
            .lang
            .clone()
            .unwrap_or_else(|| site.languages()[0].clone());
        let mut ctx = self.context(job, md, &lang);
        let content = match md {
            // Loaded without its body: read again now, and freed when the page is done.
            Some(p) if site.bodies == content::Bodies::ReadWhenRendered => {
                let source = content::reread(&site.root, p).map_err(|d| (d, None))?;
                self.markdown(p, &source, &ctx)?
            }
            Some(p) => self.markdown(p, &p.source, &ctx)?,
            None => Html::default(),
        };
        ctx.insert("content", Value::from(content));
        let tmpl = self.env.get_template(&job.template).map_err(|e| {
            let at = md
                .map(|p| p.source.path.clone())
                .unwrap_or_else(|| format!("{TEMPLATES_DIR}/"));
            let msg = format!("template `{}` not found: {}", job.template, e.kind());
            (Diagnostic::file(at, msg).into(), None)
        })?;
        let html = tmpl
            .render(Value::from(ctx))
            .map_err(|e| (template_diagnostic(site, &e).into(), Some(e.kind())))?;
        Ok(RenderedPage {
            output: job.output.clone(),
            html,
        })
    }

    /// The template context of one page.
    fn context(
        &self,
        job: &PageJob,
        md: Option<&MarkdownPage>,
        lang: &str,
    ) -> BTreeMap<&'static str, Value> {
        let site = self.site;
        let page = PageContext::new(site, job, md, lang, &self.base_url);
        let shared = &self.langs[lang];
        let mut ctx = BTreeMap::new();
        ctx.insert("lang", Value::from(lang));
        ctx.insert("page", Value::from(Serde(&page)));
        ctx.insert("data", shared.data.clone());
        ctx.insert("nav", shared.nav.clone());
        ctx.insert("languages", Value::from(Serde(site.languages())));
        if site.matrix.is_some() {
            ctx.insert("clients", shared.clients.clone());
        }
        match &job.kind {
            PageKind::Plan { plan } => {
                ctx.insert("plan_id", Value::from(plan.clone()));
            }
            PageKind::Client { client } => {
                if let Some(c) = shared.client_by_id.get(client) {
                    ctx.insert("client", c.clone());
                }
            }
            PageKind::ClientGuide {
                client,
                plan,
                variant,
            } => {
                if let Some(c) = shared.client_by_id.get(client) {
                    ctx.insert("client", c.clone());
                }
                if let Some(g) = self.guide(lang, client, plan, variant) {
                    ctx.insert("guide", Value::from(Serde(g)));
                }
            }
            PageKind::Search => {
                let index = crate::urls::search_index(lang);
                let index = crate::urls::relative(&job.url, &index);
                ctx.insert("search_index", Value::from(index));
            }
            PageKind::NotFound => {
                // Served for any missing path, at any depth: links are absolute paths.
                let base = crate::urls::base_path(&self.base_url);
                ctx.insert("link_base", Value::from(base));
            }
            _ => {}
        }
        ctx
    }

    fn guide(
        &self,
        lang: &str,
        client: &str,
        plan: &str,
        variant: &str,
    ) -> Option<crate::view::GuideView> {
        let site = self.site;
        let m = &site.matrix.as_ref()?.matrix;
        let c = site
            .clients
            .iter()
            .find(|c| c.client.id.get_ref() == client)?;
        let views = Views {
            clients: &site.clients,
            m,
            strings: &site.strings,
            lang,
        };
        views.guide(&c.client, plan, variant)
    }

    /// Body (of `source`, the page's file) → (inline expressions) → Markdown → HTML.
    fn markdown(
        &self,
        page: &MarkdownPage,
        source: &SourceFile,
        ctx: &BTreeMap<&str, Value>,
    ) -> Result<Html, Failure> {
        let body = source.text.get(page.body_start..).unwrap_or_default();
        let expanded;
        let text = if body.contains("{{") || body.contains("{%") {
            let tmpl = self
                .env
                .template_from_named_str(&page.source.path, body)
                .map_err(|e| (markdown_diagnostic(source, page, &e).into(), None))?;
            expanded = tmpl.render(Value::from(ctx.clone())).map_err(|e| {
                let d = if errors::innermost(&e).name() == Some(page.source.path.as_str()) {
                    markdown_diagnostic(source, page, errors::innermost(&e))
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
            let (body_line, _) = source.line_col(page.body_start);
            let problems: Vec<Diagnostic> = problems
                .into_iter()
                .map(|p| {
                    let (line, column) = expanded.line_col(p.offset);
                    let line = body_line + line - 1;
                    Diagnostic::new(page.source.path.clone(), line, column, p.message)
                })
                .collect();
            (problems.into(), None)
        })
    }
}

/// The template environment: strict about undefined values, HTML-escaping, with a work
/// budget per render, every template of the site loaded and the engine's functions added.
fn environment(site: &Site) -> Result<Environment<'_>, Diagnostics> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // An error names the expression that is undefined (`plan.title` is undefined) in
    // release builds too, not only in debug ones (minijinja's default).
    env.set_debug(true);
    // A loop that never ends in a template or in Markdown must fail, not hang a build
    // or pin `serve`: every render (page template, Markdown body) gets this budget.
    env.set_fuel(Some(RENDER_FUEL));
    // Markdown bodies are templates too; everything they insert is HTML-escaped.
    env.set_auto_escape_callback(|name| {
        if [".html", ".htm", ".xml", ".md"]
            .iter()
            .any(|ext| name.ends_with(ext))
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
            match value.as_str() {
                Some(text) => escape_into(out, text),
                None => escape_into(out, &value.to_string()),
            }
            .map_err(Error::from)
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
    functions::register(&mut env, site);
    Ok(env)
}
