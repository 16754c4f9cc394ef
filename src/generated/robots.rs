//! `robots.txt`: every page may be crawled (the search and 404 pages say `noindex`
//! themselves), and where the sitemap is when there is one. Crawlers read it only at the
//! root of a host: under a sub-path it is written but has no effect.

use super::{sitemap, Inputs, OutputFile};

pub(super) fn file(inputs: &Inputs<'_>) -> OutputFile {
    let mut text = String::from("User-agent: *\nDisallow:\n");
    if sitemap::absolute(inputs.base_url) {
        text.push_str(&format!(
            "\nSitemap: {}/{}\n",
            inputs.base_url,
            sitemap::PATH
        ));
    }
    OutputFile {
        path: "robots.txt".into(),
        bytes: text.into_bytes(),
    }
}
