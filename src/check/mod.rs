//! `mailsite check`: proves the manual agrees with the data.
//!
//! The site is rendered in memory with the same code as `build` ([`render_site`]),
//! every page is parsed with a real HTML parser, and the rules look for problems.
//! Each problem has a rule, a place (`path:line:col`) and a message. See
//! `docs/check.md` for what each rule checks exactly.

mod active;
mod advice;
mod data;
mod glossary;
mod html;
mod links;
pub mod parse;
mod prose_ranges;
mod speak;
mod translations;
mod typed;
mod values;
mod warnings;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use walkdir::WalkDir;

use crate::build::{render_site, RenderedSite};
use crate::diag::{display_path, Diagnostic};
use crate::plan::PageJob;
use crate::site::{Site, STATIC_DIR};
use parse::ParsedPage;

/// The allow-list of rule 3, kept with the content.
pub const ALLOW_FILE: &str = "content/check-allow.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// 1. The matrix and every input load and validate.
    Data,
    /// 2. Every marked value agrees with the data.
    Values,
    /// 3. No port or mail host typed by hand in prose or templates.
    Typed,
    /// 4. Every page and string in every language; no unmarked other-language text.
    Translations,
    /// 5. Internal links, anchors, orphans, language twins.
    Links,
    /// 6. No HTML parse errors.
    Html,
    /// 7. No advice names as wrong a value the page gives as right; one value per field.
    Advice,
    /// 8. No scripts, event handlers or `javascript:` links the engine did not write.
    ActiveContent,
    /// 9. Customer pages speak to customers: no maintenance talk, no English labels on
    ///    pages in another language.
    Speak,
    /// 10. One term, one spelling (`content/glossary.toml`).
    Glossary,
}

impl Rule {
    pub const ALL: [Rule; 10] = [
        Rule::Data,
        Rule::Values,
        Rule::Typed,
        Rule::Translations,
        Rule::Links,
        Rule::Html,
        Rule::Advice,
        Rule::ActiveContent,
        Rule::Speak,
        Rule::Glossary,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Data => "data",
            Rule::Values => "values",
            Rule::Typed => "typed",
            Rule::Translations => "translations",
            Rule::Links => "links",
            Rule::Html => "html",
            Rule::Advice => "advice",
            Rule::ActiveContent => "active-content",
            Rule::Speak => "speak",
            Rule::Glossary => "glossary",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found by one rule, at one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub rule: Rule,
    /// Site-relative input path (`content/…`, `templates/…`) or output path (`ja/…/index.html`).
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Problem {
    pub fn new(
        rule: Rule,
        path: impl Into<String>,
        (line, column): (usize, usize),
        message: impl Into<String>,
    ) -> Self {
        Problem {
            rule,
            path: path.into(),
            line,
            column,
            message: message.into(),
        }
    }

    pub fn from_diagnostic(rule: Rule, d: Diagnostic) -> Self {
        Problem::new(rule, d.path, (d.line, d.column), d.message)
    }

    fn sort_key(&self) -> (&str, usize, usize, Rule, &str) {
        (&self.path, self.line, self.column, self.rule, &self.message)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: [{}] {}",
            self.path, self.line, self.column, self.rule, self.message
        )
    }
}

/// How much was looked at, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub pages: usize,
    pub settings: usize,
    pub links: usize,
    pub sources: usize,
}

/// Everything `check` found; empty `problems` means the manual agrees with the data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub problems: Vec<Problem>,
    pub stats: Stats,
}

impl Report {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// One `path:line:col: [rule] message` line per problem, then a summary line.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for p in &self.problems {
            out.push_str(&p.to_string());
            out.push('\n');
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    pub fn summary(&self) -> String {
        let s = &self.stats;
        let looked = format!(
            "{} pages, {} marked values, {} links, {} source files",
            s.pages, s.settings, s.links, s.sources
        );
        if self.problems.is_empty() {
            return format!("check passed: the manual agrees with the data ({looked})");
        }
        let mut per_rule: BTreeMap<Rule, usize> = BTreeMap::new();
        for p in &self.problems {
            *per_rule.entry(p.rule).or_insert(0) += 1;
        }
        let per_rule: Vec<String> = per_rule.iter().map(|(r, n)| format!("{r}: {n}")).collect();
        format!(
            "check failed: {} problem(s) ({}) in {looked}",
            self.problems.len(),
            per_rule.join(", ")
        )
    }

    /// A JSON array of `{rule, path, line, column, message}`.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(&self.problems).expect("problems serialize") + "\n"
    }

    fn finish(mut self) -> Report {
        self.problems
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.problems.dedup();
        self
    }
}

/// What the rules share: the loaded site, the page plan and the parsed pages.
pub(crate) struct Ctx<'a> {
    pub site: &'a Site,
    pub jobs: &'a [PageJob],
    pub pages: Vec<ParsedPage>,
    /// The URL the site is published under (without trailing `/`), possibly empty.
    pub base_url: String,
    /// Files copied from `static/`, as site paths (`/style.css`).
    pub static_files: Vec<String>,
}

/// Runs every rule on the site at `root`.
pub fn check(root: &Path) -> Report {
    match render_site(root, None) {
        Ok(rendered) => {
            let pages = parse_pages(&rendered);
            check_rendered(root, &rendered, pages)
        }
        // Rule 1 (and the load-time half of rule 4): nothing can be rendered, so stop here.
        Err(diagnostics) => Report {
            problems: data::classify(diagnostics),
            ..Report::default()
        }
        .finish(),
    }
}

/// The rendered pages through the HTML parser, in the order of the jobs.
pub fn parse_pages(rendered: &RenderedSite) -> Vec<ParsedPage> {
    // `render_all` returns the pages in the order of the jobs. Parsed side by side: the
    // parser's trees hold thread-safe strings (scraper's `atomic`), so a page parsed on one
    // thread can be read on another.
    rendered
        .jobs
        .par_iter()
        .zip(&rendered.pages)
        .map(|(job, page)| {
            debug_assert_eq!(job.output, page.output);
            ParsedPage::parse(&job.output, &job.url, job.lang.clone(), &page.html)
        })
        .collect()
}

/// [`check`] of a site already rendered from `root` and parsed by [`parse_pages`], for
/// callers that also read the pages (the mutation tests), so they render and parse once.
pub fn check_rendered(root: &Path, rendered: &RenderedSite, pages: Vec<ParsedPage>) -> Report {
    let mut report = Report::default();
    let site = &rendered.site;
    let ctx = Ctx {
        site,
        jobs: &rendered.jobs,
        pages,
        base_url: site
            .config
            .base_url()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string(),
        static_files: static_files(root)
            .into_iter()
            .chain(rendered.files.iter().map(|f| format!("/{}", f.path)))
            .collect(),
    };
    report.stats.pages = ctx.pages.len();
    let p = &mut report.problems;
    report.stats.settings = values::check(&ctx, p);
    report.stats.sources = typed::check(&ctx, p);
    translations::check(&ctx, p);
    report.stats.links = links::check(&ctx, p);
    html::check(&ctx, p);
    advice::check(&ctx, p);
    warnings::check(&ctx, p);
    active::check(&ctx, p);
    match glossary::load(root, site.languages()) {
        Ok(g) => speak::check(&ctx, &g, p),
        Err(d) => p.extend(
            d.0.into_iter()
                .map(|d| Problem::from_diagnostic(Rule::Glossary, d)),
        ),
    }
    report.finish()
}

fn static_files(root: &Path) -> Vec<String> {
    let dir: PathBuf = root.join(STATIC_DIR);
    WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            format!(
                "/{}",
                display_path(e.path().strip_prefix(&dir).unwrap_or(e.path()))
            )
        })
        .collect()
}
