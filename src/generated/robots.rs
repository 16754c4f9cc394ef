//! `robots.txt`: every page may be crawled (the search and 404 pages say `noindex`
//! themselves), and where the sitemap is when there is one. Crawlers read it only at the
//! root of a host: under a sub-path it is written but has no effect. A site's own
//! `static/robots.txt` wins (it is copied instead).

use super::{sitemap, Inputs, OutputFile};
use crate::site::STATIC_DIR;

/// Where it goes in the output.
const PATH: &str = "robots.txt";

pub(super) fn file(inputs: &Inputs<'_>) -> Option<OutputFile> {
    if inputs.site.root.join(STATIC_DIR).join(PATH).is_file() {
        return None;
    }
    let mut text = String::from("User-agent: *\nDisallow:\n");
    if sitemap::absolute(inputs.base_url) {
        text.push_str(&format!(
            "\nSitemap: {}/{}\n",
            inputs.base_url,
            sitemap::PATH
        ));
    }
    Some(OutputFile {
        path: PATH.into(),
        bytes: text.into_bytes(),
    })
}
