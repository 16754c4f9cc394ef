//! `sitemap.xml`: every page a search engine should list, with its language twins
//! (`hreflang`) and `x-default`, as absolute addresses. Written only when the base URL is
//! an address (`--base-url https://…` or `base_url` in `mailsite.toml`): a sitemap of
//! relative paths is not one.

use super::{Inputs, OutputFile};
use crate::html::escape;
use crate::plan::PageKind;

/// Where the sitemap goes in the output.
pub(super) const PATH: &str = "sitemap.xml";

/// Whether a base URL is an address a sitemap can use (not just a path).
pub(super) fn absolute(base_url: &str) -> bool {
    base_url.starts_with("https://") || base_url.starts_with("http://")
}

pub(super) fn file(inputs: &Inputs<'_>) -> Option<OutputFile> {
    let base = inputs.base_url;
    if !absolute(base) {
        return None;
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    // Search pages and the 404 page are not content to list.
    for job in inputs
        .jobs
        .iter()
        .filter(|j| !matches!(j.kind, PageKind::Search | PageKind::NotFound))
    {
        xml.push_str(&format!(
            "<url>\n  <loc>{}</loc>\n",
            escape(&format!("{base}{}", job.url))
        ));
        let x_default = job.x_default();
        let alternates = job
            .alternates
            .iter()
            .map(|a| (a.lang.as_str(), a.url.as_str()))
            .chain(x_default.as_deref().map(|u| ("x-default", u)));
        for (lang, url) in alternates {
            xml.push_str(&format!(
                "  <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                escape(lang),
                escape(&format!("{base}{url}"))
            ));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    Some(OutputFile {
        path: PATH.into(),
        bytes: xml.into_bytes(),
    })
}
