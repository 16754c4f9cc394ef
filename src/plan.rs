//! The page plan: which pages exist, at which URL, from which source and template.
//!
//! A pure function of the loaded site; snapshot it to review what a change adds or removes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::site::Site;

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
}

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

/// Index into `site.pages` for Markdown-backed jobs.
pub fn markdown_index(site: &Site, job: &PageJob) -> Option<usize> {
    let source = match &job.kind {
        PageKind::Markdown { source } => source,
        PageKind::Home {
            source: Some(source),
        } => source,
        _ => return None,
    };
    site.pages.iter().position(|p| &p.source.path == source)
}

fn output_for(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

pub fn plan(site: &Site) -> Result<Vec<PageJob>, Diagnostics> {
    let langs = site.languages();
    let twins = |suffix: &str| -> Vec<Alternate> {
        langs
            .iter()
            .map(|l| Alternate {
                lang: l.clone(),
                url: format!("/{l}/{suffix}"),
            })
            .collect()
    };
    let mut jobs = vec![PageJob {
        url: "/".into(),
        output: "index.html".into(),
        lang: None,
        template: "language-choice.html".into(),
        kind: PageKind::LanguageChoice,
        alternates: twins(""),
    }];
    for lang in langs {
        let home = site.pages.iter().find(|p| p.lang == *lang && p.is_home());
        jobs.push(PageJob {
            url: format!("/{lang}/"),
            output: format!("{lang}/index.html"),
            lang: Some(lang.clone()),
            template: home
                .and_then(|p| p.front.template.clone())
                .unwrap_or_else(|| "home.html".into()),
            kind: PageKind::Home {
                source: home.map(|p| p.source.path.clone()),
            },
            alternates: twins(""),
        });
        for page in site
            .pages
            .iter()
            .filter(|p| p.lang == *lang && !p.is_home())
        {
            let url = page.url();
            let suffix = url.trim_start_matches(&format!("/{lang}/")).to_string();
            jobs.push(PageJob {
                output: output_for(&url),
                url,
                lang: Some(lang.clone()),
                template: page
                    .front
                    .template
                    .clone()
                    .unwrap_or_else(|| "page.html".into()),
                kind: PageKind::Markdown {
                    source: page.source.path.clone(),
                },
                alternates: twins(&suffix),
            });
        }
        if let Some(m) = &site.matrix {
            for plan in &m.matrix.plans {
                let suffix = format!("plans/{}/", plan.id.get_ref());
                let url = format!("/{lang}/{suffix}");
                jobs.push(PageJob {
                    output: output_for(&url),
                    url,
                    lang: Some(lang.clone()),
                    template: "plan.html".into(),
                    kind: PageKind::Plan {
                        plan: plan.id.get_ref().clone(),
                    },
                    alternates: twins(&suffix),
                });
            }
            for c in &site.clients {
                let id = c.client.id.get_ref();
                let suffix = format!("clients/{id}/");
                let url = format!("/{lang}/{suffix}");
                jobs.push(PageJob {
                    output: output_for(&url),
                    url,
                    lang: Some(lang.clone()),
                    template: "client.html".into(),
                    kind: PageKind::Client { client: id.clone() },
                    alternates: twins(&suffix),
                });
                for plan in &m.matrix.plans {
                    for pv in &plan.variants {
                        let suffix = format!(
                            "clients/{id}/{}/{}/",
                            plan.id.get_ref(),
                            pv.variant.get_ref()
                        );
                        let url = format!("/{lang}/{suffix}");
                        jobs.push(PageJob {
                            output: output_for(&url),
                            url,
                            lang: Some(lang.clone()),
                            template: "client-guide.html".into(),
                            kind: PageKind::ClientGuide {
                                client: id.clone(),
                                plan: plan.id.get_ref().clone(),
                                variant: pv.variant.get_ref().clone(),
                            },
                            alternates: twins(&suffix),
                        });
                    }
                }
            }
        }
    }
    // Two sources for one URL would silently overwrite each other.
    let mut seen: BTreeMap<&str, &PageJob> = BTreeMap::new();
    let mut problems = Diagnostics::new();
    for job in &jobs {
        if let Some(first) = seen.insert(&job.output, job) {
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
    problems.into_result()?;
    jobs.sort_by(|a, b| a.output.cmp(&b.output));
    Ok(jobs)
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
    }
}
