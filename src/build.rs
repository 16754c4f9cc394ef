//! `mailsite build`: load → validate → plan → render → write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::content::Bodies;
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
    /// The process ends right after this build (`mailsite build`): what the build holds is
    /// left to the operating system, not freed piece by piece (a 20,000-page site holds some
    /// 200,000 allocations: 25 ms on one thread at the very end).
    pub exit_after: bool,
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

/// Loads, plans and renders without writing (used by `check`, `serve` and tests).
pub fn render_site(root: &Path, base_url: Option<&str>) -> Result<RenderedSite, Diagnostics> {
    let (site, jobs, base) = load_and_plan(root, base_url, Bodies::Keep)?;
    let pages = Renderer::new(&site, &base)?.render_all(&jobs)?;
    let reader = generated::PageReader::new(&jobs);
    let digests: Vec<_> = jobs
        .par_iter()
        .zip(pages.par_iter())
        .map(|(job, page)| reader.digest(job, page))
        .collect();
    let files = generated_files(&site, &jobs, &reader, &digests, &base)?;
    Ok(RenderedSite {
        site,
        jobs,
        pages,
        files,
    })
}

/// The site, its page plan and the base URL pages are rendered for.
fn load_and_plan(
    root: &Path,
    base_url: Option<&str>,
    bodies: Bodies,
) -> Result<(Site, Vec<PageJob>, String), Diagnostics> {
    if let Some(why) = base_url.and_then(crate::html::base_url_problem) {
        return Err(Diagnostic::path("--base-url", why).into());
    }
    generated::prepare();
    let site = Site::load_with(root, bodies)?;
    let jobs = plan::plan(&site)?;
    let base = base_url
        .or_else(|| site.config.base_url())
        .unwrap_or_default()
        .to_string();
    no_collisions(&site, jobs.iter().map(|j| (j.output.as_str(), "a page")))?;
    Ok((site, jobs, base))
}

/// The engine's other files, checked against `static/` like the pages.
fn generated_files(
    site: &Site,
    jobs: &[PageJob],
    reader: &generated::PageReader,
    digests: &[generated::PageDigest],
    base: &str,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let files = generated::files(&generated::Inputs {
        site,
        jobs,
        pages: digests,
        reader,
        base_url: base.trim_end_matches('/'),
    })?;
    no_collisions(
        site,
        files
            .iter()
            .map(|f| (f.path.as_str(), "a file the engine writes")),
    )?;
    Ok(files)
}

/// A file of `static/` with the path of a page or of a file the engine makes would be
/// silently overwritten: it is an error, at the static file.
fn no_collisions<'a>(
    site: &Site,
    outputs: impl Iterator<Item = (&'a str, &'static str)>,
) -> Result<(), Diagnostics> {
    let dir = site.root.join(STATIC_DIR);
    if !dir.is_dir() {
        return Ok(());
    }
    let engine: BTreeMap<&str, &str> = outputs.collect();
    let mut problems = Diagnostics::new();
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if entry.path_is_symlink() && entry.depth() > 0 {
            // It would be left out of the output (a missing stylesheet, say) in silence.
            problems.push(Diagnostic::symlink(&site.root, entry.path()));
            continue;
        }
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

/// Builds the site into `opts.out`: each page is written into the staging folder as soon
/// as it is rendered (memory stays flat however many pages there are); the staging folder
/// replaces the output only once everything succeeded, and is removed otherwise.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let out = checked_out(opts)?;
    let (site, jobs, base) = load_and_plan(
        &opts.root,
        opts.base_url.as_deref(),
        Bodies::ReadWhenRendered,
    )?;
    let renderer = Renderer::new(&site, &base)?;
    let given = opts.out.clone().unwrap_or_else(|| opts.root.join("public"));
    let io_error = |e: std::io::Error| match e
        .get_ref()
        .and_then(|x| x.downcast_ref::<output::Refused>())
    {
        // Found at the swap: said as a refusal before the build says it.
        Some(refused) => Diagnostic::path(given.display().to_string(), refused.0.clone()),
        None => Diagnostic::path(
            out.path().display().to_string(),
            crate::diag::io_failure(&e, "write the site"),
        ),
    };
    let staging = output::Staging::create(&out).map_err(io_error)?;
    staging
        .copy_static(&opts.root.join(STATIC_DIR))
        .map_err(io_error)?;
    let reader = generated::PageReader::new(&jobs);
    let digests = renderer.render_each(&jobs, |job, page| {
        staging
            .write(&page.output, page.html.as_bytes())
            .map_err(io_error)?;
        Ok(reader.digest(job, &page))
    })?;
    for f in generated_files(&site, &jobs, &reader, &digests, &base)? {
        staging.write(&f.path, &f.bytes).map_err(io_error)?;
    }
    let files = staging.finish(opts.cleanup).map_err(io_error)?;
    let report = report(&out, &jobs, files, start);
    if opts.exit_after {
        std::mem::forget(digests);
        std::mem::forget(reader);
        std::mem::forget(renderer);
        std::mem::forget(jobs);
        std::mem::forget(site);
    }
    Ok(report)
}

/// [`build`] for `serve`: everything is rendered in memory first, then `gate` is asked
/// before anything is written: `None` leaves the output alone (`Ok(None)`); otherwise what
/// the gate returns is held until the site is written. So stopping `serve` never waits for
/// a render, and no write starts after it (see `serve::preview`).
pub fn build_gated<G>(
    opts: &BuildOptions,
    gate: impl FnOnce() -> Option<G>,
) -> Result<Option<BuildReport>, Diagnostics> {
    let start = Instant::now();
    let out = checked_out(opts)?;
    let rendered = render_site(&opts.root, opts.base_url.as_deref())?;
    let Some(_gate) = gate() else {
        return Ok(None);
    };
    let files = output::write_site(
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
    Ok(Some(report(&out, &rendered.jobs, files, start)))
}

fn checked_out(opts: &BuildOptions) -> Result<output::OutDir, Diagnostics> {
    let out = opts.out.clone().unwrap_or_else(|| opts.root.join("public"));
    output::check_out_dir(&opts.root, &out)
        .map_err(|msg| Diagnostic::path(out.display().to_string(), msg).into())
}

fn report(out: &output::OutDir, jobs: &[PageJob], files: usize, start: Instant) -> BuildReport {
    let mut pages = BTreeMap::new();
    let mut neutral_pages = 0;
    for job in jobs {
        match &job.lang {
            Some(lang) => *pages.entry(lang.clone()).or_insert(0) += 1,
            None => neutral_pages += 1,
        }
    }
    BuildReport {
        out: out.path().to_path_buf(),
        pages,
        neutral_pages,
        files,
        elapsed: start.elapsed(),
    }
}
