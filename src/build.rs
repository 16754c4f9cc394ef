//! `mailsite build`: load → validate → plan → render → write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diag::{Diagnostic, Diagnostics};
use crate::generated::{self, OutputFile};
use crate::output;
use crate::plan::{self, PageJob};
use crate::render::{RenderedPage, Renderer};
use crate::site::{Site, STATIC_DIR};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `root/public`.
    pub out: Option<PathBuf>,
    /// Overrides `base_url` of `mailsite.toml`.
    pub base_url: Option<String>,
    /// When the replaced output is deleted (`serve` does not wait for it).
    pub cleanup: output::Cleanup,
}

#[derive(Debug, Clone)]
pub struct BuildReport {
    pub out: PathBuf,
    /// Pages per language.
    pub pages: BTreeMap<String, usize>,
    /// Pages of no language (the language choice).
    pub neutral_pages: usize,
    pub files: usize,
    pub elapsed: Duration,
}

impl BuildReport {
    pub fn summary(&self) -> String {
        let per_lang: Vec<String> = self
            .pages
            .iter()
            .map(|(l, n)| format!("{l}: {n}"))
            .collect();
        let total: usize = self.pages.values().sum::<usize>() + self.neutral_pages;
        format!(
            "built {total} pages ({}) and {} files in total into {} in {} ms",
            per_lang.join(", "),
            self.files,
            self.out.display(),
            self.elapsed.as_millis()
        )
    }
}

/// Everything rendered in memory; nothing written yet.
#[derive(Debug)]
pub struct RenderedSite {
    pub site: Site,
    pub jobs: Vec<PageJob>,
    pub pages: Vec<RenderedPage>,
    /// The engine's other files: its scripts and what it makes from the data and pages.
    pub files: Vec<OutputFile>,
}

/// Loads, plans and renders without writing (used by `build`, `check` and tests).
pub fn render_site(root: &Path, base_url: Option<&str>) -> Result<RenderedSite, Diagnostics> {
    if let Some(why) = base_url.and_then(crate::html::base_url_problem) {
        return Err(Diagnostic::path("--base-url", why).into());
    }
    let site = Site::load(root)?;
    let jobs = plan::plan(&site)?;
    let base = base_url
        .or_else(|| site.config.base_url())
        .unwrap_or_default()
        .to_string();
    let pages = {
        let renderer = Renderer::new(&site, &base)?;
        renderer.render_all(&jobs)?
    };
    let files = generated::files(&generated::Inputs {
        site: &site,
        jobs: &jobs,
        pages: &pages,
        base_url: base.trim_end_matches('/'),
    })?;
    no_collisions(&site, &pages, &files)?;
    Ok(RenderedSite {
        site,
        jobs,
        pages,
        files,
    })
}

/// A file of `static/` with the path of a page or of a file the engine makes would be
/// silently overwritten: it is an error, at the static file.
fn no_collisions(
    site: &Site,
    pages: &[RenderedPage],
    files: &[OutputFile],
) -> Result<(), Diagnostics> {
    let engine: BTreeMap<&str, &str> = pages
        .iter()
        .map(|p| (p.output.as_str(), "a page"))
        .chain(
            files
                .iter()
                .map(|f| (f.path.as_str(), "a file the engine writes")),
        )
        .collect();
    let mut problems = Diagnostics::new();
    let dir = site.root.join(STATIC_DIR);
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel =
            crate::diag::display_path(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
        if let Some(what) = engine.get(rel.as_str()) {
            problems.push(Diagnostic::file(
                format!("{STATIC_DIR}/{rel}"),
                format!("`{rel}` is also {what} of the output; rename or remove this file"),
            ));
        }
    }
    problems.into_result()
}

pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    build_gated(opts, || Some(())).map(|report| report.expect("the gate is always open"))
}

/// [`build`], asking `gate` after rendering and before writing anything: `None` leaves
/// the output alone (`Ok(None)`); otherwise what the gate returns is held until the site
/// is written. `serve` uses it so that stopping never waits for a render and no write
/// starts after it (see `serve::preview`).
pub fn build_gated<G>(
    opts: &BuildOptions,
    gate: impl FnOnce() -> Option<G>,
) -> Result<Option<BuildReport>, Diagnostics> {
    let start = Instant::now();
    let out = opts.out.clone().unwrap_or_else(|| opts.root.join("public"));
    let out = output::check_out_dir(&opts.root, &out)
        .map_err(|msg| Diagnostic::path(out.display().to_string(), msg))?;
    let rendered = render_site(&opts.root, opts.base_url.as_deref())?;
    let Some(_gate) = gate() else {
        return Ok(None);
    };
    let written = output::write_site(
        &out,
        &rendered.pages,
        &rendered.files,
        &opts.root.join(STATIC_DIR),
        opts.cleanup,
    )
    .map_err(|e| {
        Diagnostic::path(
            out.path().display().to_string(),
            crate::diag::io_failure(&e, "write the site"),
        )
    })?;
    let mut pages = BTreeMap::new();
    let mut neutral_pages = 0;
    for job in &rendered.jobs {
        match &job.lang {
            Some(lang) => *pages.entry(lang.clone()).or_insert(0) += 1,
            None => neutral_pages += 1,
        }
    }
    Ok(Some(BuildReport {
        out: out.path().to_path_buf(),
        pages,
        neutral_pages,
        files: written.files,
        elapsed: start.elapsed(),
    }))
}
