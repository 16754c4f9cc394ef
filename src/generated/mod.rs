//! Files the engine writes besides the pages: its own scripts ([`crate::assets`]), and
//! files made from the data and the rendered pages. Each kind has its own module; this one
//! only collects them.

mod robots;
mod search;
mod setup;
mod sitemap;

use crate::assets;
use crate::diag::Diagnostics;
use crate::plan::PageJob;
use crate::render::RenderedPage;
use crate::site::Site;

/// A file of the output that is not a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path inside the output folder, `/`-separated: `assets/copy.js`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What the generators keep of one rendered page. A build writes each page as soon as it
/// is rendered and keeps only this, so its memory does not grow with the pages' HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageDigest {
    pub output: String,
    /// The page's title, sections and terms as the search index reads them (`None` for a
    /// page search does not list, or when the site has no search pages).
    search: Option<search::ReadPage>,
}

/// Reads each page right after it is rendered, for the generators that need more of it
/// than its path (the search index); made once per build, shared by the render threads.
pub struct PageReader {
    lexicon: Option<search::Lexicon>,
}

impl PageReader {
    pub fn new(jobs: &[PageJob]) -> Self {
        PageReader {
            lexicon: search::lexicon(jobs),
        }
    }

    /// The digest of a page.
    pub fn digest(&self, job: &PageJob, page: &RenderedPage) -> PageDigest {
        PageDigest {
            output: page.output.clone(),
            search: self
                .lexicon
                .as_ref()
                .and_then(|lexicon| search::read(lexicon, job, &page.html)),
        }
    }
}

/// Starts, in the background, what the generators can make before the site is loaded (the
/// same for every build of this binary): called when a build starts, its files are ready,
/// or nearly, when the pages are done. Started before the site says whether it needs them
/// (a site without a matrix writes none): a few milliseconds of CPU, once per process.
pub fn prepare() {
    setup::prepare();
}

/// What the generators see of a build.
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub jobs: &'a [PageJob],
    /// In the order of `jobs`.
    pub pages: &'a [PageDigest],
    /// What read them.
    pub reader: &'a PageReader,
    /// The URL the site is published under, without a trailing `/` (may be empty).
    pub base_url: &'a str,
}

/// Every generated file of a build, in a stable order.
pub fn files(inputs: &Inputs<'_>) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut out: Vec<OutputFile> = assets::files()
        .map(|(path, bytes)| OutputFile {
            path,
            bytes: bytes.to_vec(),
        })
        .collect();
    // The two generators that take time, side by side.
    let (setup, search) = rayon::join(|| setup::files(inputs), || search::files(inputs));
    out.extend(setup);
    out.extend(search);
    out.extend(sitemap::file(inputs));
    out.extend(robots::file(inputs));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
