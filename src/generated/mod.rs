//! Files the engine writes besides the pages: its own scripts ([`crate::assets`]), and
//! files made from the data and the rendered pages. Each kind has its own module; this one
//! only collects them.

mod robots;
mod search;
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

/// What the generators see of a build.
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub jobs: &'a [PageJob],
    pub pages: &'a [RenderedPage],
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
    out.extend(search::files(inputs));
    out.extend(sitemap::file(inputs));
    out.extend(robots::file(inputs));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
