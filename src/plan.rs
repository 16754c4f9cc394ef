//! The page plan: which pages exist, at which URL, from which source and template.
//!
//! A pure function of the loaded site; snapshot it to review what a change adds or removes.

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::site::Site;
use crate::urls;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PageKind {
    /// `/index.html`: pick a language.
    LanguageChoice,
    /// A language's home; `source` is its `_index.md` when there is one.
    Home {
        source: Option<String>,
    },
    Markdown {
        source: String,
    },
    /// Generated from the matrix: one plan, all its variants.
    Plan {
        plan: String,
    },
    /// A mail client's overview: versions covered, links to its guides.
    Client {
        client: String,
    },
    /// One client's setup guide for one plan and variant.
    ClientGuide {
        client: String,
        plan: String,
        variant: String,
    },
    /// The settings for the reader's own address, resolved in the browser.
    YourSettings,

    /// `/{lang}/search/`: finds text in the pages of its language (sites whose templates
    /// include `search.html`).
    Search,
    /// `/404.html`: what a static host serves for a missing path, in every language (sites
    /// whose templates include `404.html`). Linked from nowhere; links in it are absolute.
    NotFound,
}

/// The template of the search pages; a site without it has none.
pub const SEARCH_TEMPLATE: &str = "search.html";
/// The template of `/404.html`; a site without it has none.
pub const NOT_FOUND_TEMPLATE: &str = "404.html";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alternate {
    pub lang: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageJob {
    /// URL path from the site root, e.g. `/ja/settings/`.
    pub url: String,
    /// File path inside the output folder, e.g. `ja/settings/index.html`.
    pub output: String,
    pub lang: Option<String>,
    pub template: String,
    #[serde(flatten)]
    pub kind: PageKind,
    /// The same page in every language (itself included), in site language order.
    pub alternates: Vec<Alternate>,
}

impl PageJob {
    /// Where `hreflang="x-default"` leads (a path from the site root): from a home or the
    /// language choice, the language choice; from other pages, the page in the site's
    /// first language; nothing from a page without twins (`/404.html`).
    pub fn x_default(&self) -> Option<String> {
        match self.kind {
            PageKind::NotFound => None,
            PageKind::Home { .. } | PageKind::LanguageChoice => Some(urls::language_choice()),
            _ => self.alternates.first().map(|a| a.url.clone()),
        }
    }
}

/// Index into `site.pages` for Markdown-backed jobs.
pub fn markdown_index(site: &Site, job: &PageJob) -> Option<usize> {
    let source = match &job.kind {
        PageKind::Markdown { source } => source,
        PageKind::Home {
            source: Some(source),
        } => source,
        _ => return None,
    };
    site.page_at(source)
}

/// One page: its URL in `lang` and, for its language twins, in every site language.
fn job(
    site: &Site,
    lang: Option<&str>,
    template: String,
    kind: PageKind,
    url_in: impl Fn(&str) -> String,
) -> PageJob {
    let url = lang.map_or_else(urls::language_choice, &url_in);
    PageJob {
        output: urls::output_file(&url),
        url,
        lang: lang.map(str::to_string),
        template,
        kind,
        alternates: site
            .languages()
            .iter()
            .map(|l| Alternate {
                lang: l.clone(),
                url: url_in(l),
            })
            .collect(),
    }
}

pub fn plan(site: &Site) -> Result<Vec<PageJob>, Diagnostics> {
    let mut jobs = vec![job(
        site,
        None,
        "language-choice.html".into(),
        PageKind::LanguageChoice,
        urls::home,
    )];
    for lang in site.languages() {
        let home = site.pages.iter().find(|p| p.lang == *lang && p.is_home());
        jobs.push(job(
            site,
            Some(lang),
            home.and_then(|p| p.front.template.clone())
                .unwrap_or_else(|| "home.html".into()),
            PageKind::Home {
                source: home.map(|p| p.source.path.clone()),
            },
            urls::home,
        ));
        // In parallel (a large site has tens of thousands), in the pages' order.
        let written: Vec<PageJob> = site
            .pages
            .par_iter()
            .filter(|p| p.lang == *lang && !p.is_home())
            .map(|page| {
                job(
                    site,
                    Some(lang),
                    page.front
                        .template
                        .clone()
                        .unwrap_or_else(|| "page.html".into()),
                    PageKind::Markdown {
                        source: page.source.path.clone(),
                    },
                    |l| urls::markdown(l, &page.rel),
                )
            })
            .collect();
        jobs.extend(written);
        if site.matrix.is_some() {
            matrix_pages(site, lang, &mut jobs);
        }
        if site.templates.contains_key(SEARCH_TEMPLATE) {
            jobs.push(job(
                site,
                Some(lang),
                SEARCH_TEMPLATE.into(),
                PageKind::Search,
                urls::search,
            ));
        }
    }
    if site.templates.contains_key(NOT_FOUND_TEMPLATE) {
        let url = urls::not_found();
        jobs.push(PageJob {
            output: urls::output_file(&url),
            url,
            lang: None,
            template: NOT_FOUND_TEMPLATE.into(),
            kind: PageKind::NotFound,
            alternates: Vec::new(),
        });
    }
    // Stable: pages with the same output stay in plan order for `unique_urls`.
    jobs.par_sort_by(|a, b| a.output.cmp(&b.output));
    unique_urls(&jobs)?;
    Ok(jobs)
}

/// The pages made from the data: the reader's own settings, one per plan, one per client,
/// one per client × plan × offered variant.
fn matrix_pages(site: &Site, lang: &str, jobs: &mut Vec<PageJob>) {
    let Some(m) = &site.matrix else {
        return;
    };
    let m = &m.matrix;
    jobs.push(job(
        site,
        Some(lang),
        "your-settings.html".into(),
        PageKind::YourSettings,
        urls::your_settings,
    ));
    for plan in &m.plans {
        let id = plan.id.get_ref();
        jobs.push(job(
            site,
            Some(lang),
            "plan.html".into(),
            PageKind::Plan { plan: id.clone() },
            |l| urls::plan(l, id),
        ));
    }
    for c in &site.clients {
        let client = c.client.id.get_ref();
        jobs.push(job(
            site,
            Some(lang),
            "client.html".into(),
            PageKind::Client {
                client: client.clone(),
            },
            |l| urls::client(l, client),
        ));
        for plan in &m.plans {
            for pv in &plan.variants {
                let (p, v) = (plan.id.get_ref(), pv.variant.get_ref());
                jobs.push(job(
                    site,
                    Some(lang),
                    "client-guide.html".into(),
                    PageKind::ClientGuide {
                        client: client.clone(),
                        plan: p.clone(),
                        variant: v.clone(),
                    },
                    |l| urls::guide(l, client, p, v),
                ));
            }
        }
    }
}

/// Two sources for one URL would silently overwrite each other.
/// Jobs sorted by output (stably): each that writes the same file as the one before it.
fn unique_urls(jobs: &[PageJob]) -> Result<(), Diagnostics> {
    debug_assert!(jobs.is_sorted_by(|a, b| a.output <= b.output));
    let mut problems = Diagnostics::new();
    for pair in jobs.windows(2) {
        let [first, job] = pair else { continue };
        if first.output == job.output {
            let (path, other) = match (&job.kind, &first.kind) {
                (PageKind::Markdown { source }, k) | (k, PageKind::Markdown { source }) => {
                    (source.clone(), describe(k))
                }
                (a, b) => (describe(a), describe(b)),
            };
            problems.push(Diagnostic::file(
                path,
                format!(
                    "page URL `{}` is also produced by {other}; rename the file",
                    job.url
                ),
            ));
        }
    }
    problems.into_result()
}

fn describe(kind: &PageKind) -> String {
    match kind {
        PageKind::LanguageChoice => "the language choice page".into(),
        PageKind::Home { .. } => "the home page".into(),
        PageKind::Markdown { source } => source.clone(),
        PageKind::Plan { plan } => format!("the generated page of plan `{plan}`"),
        PageKind::Client { client } => format!("the overview of client `{client}`"),
        PageKind::ClientGuide {
            client,
            plan,
            variant,
        } => format!("the `{client}` guide for `{plan}`/`{variant}`"),
        PageKind::YourSettings => "the your-settings page".into(),

        PageKind::Search => "the search page".into(),
        PageKind::NotFound => "the page for a missing address (404)".into(),
    }
}
