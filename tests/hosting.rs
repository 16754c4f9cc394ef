//! What static hosting needs of a build: the sitemap with its language twins, robots.txt,
//! canonical addresses, a 404 page that works at any depth, and the search index of each
//! language (terms for Japanese and English, sections that exist, a size a phone can take).

use std::collections::BTreeSet;

use crate::common::*;
use mailsite::build::{render_site, RenderedSite};
use mailsite::plan::PageKind;
use serde_json::Value;

const BASE: &str = "https://example.com/manual";

fn file<'a>(site: &'a RenderedSite, path: &str) -> Option<&'a str> {
    site.files
        .iter()
        .find(|f| f.path == path)
        .map(|f| std::str::from_utf8(&f.bytes).expect("UTF-8"))
}

fn page<'a>(site: &'a RenderedSite, output: &str) -> &'a str {
    &site
        .pages
        .iter()
        .find(|p| p.output == output)
        .unwrap_or_else(|| panic!("no page {output}"))
        .html
}

#[test]
fn the_sitemap_lists_every_content_page_with_its_twins_and_x_default() {
    let site = render_site(&shipped_root(), Some(&format!("{BASE}/"))).unwrap();
    let xml = file(&site, "sitemap.xml").expect("a sitemap with a base URL");
    let mut want = 0;
    for job in &site.jobs {
        let loc = format!("<loc>{BASE}{}</loc>", job.url);
        if matches!(job.kind, PageKind::Search | PageKind::NotFound) {
            assert!(!xml.contains(&loc), "{} is not content to list", job.url);
            continue;
        }
        want += 1;
        let at = xml
            .find(&loc)
            .unwrap_or_else(|| panic!("{} missing", job.url));
        let entry = &xml[at..at + xml[at..].find("</url>").unwrap()];
        for alt in &job.alternates {
            let link = format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{BASE}{}\"/>",
                alt.lang, alt.url
            );
            assert!(entry.contains(&link), "{}: no {link}", job.url);
        }
        let x_default = job.x_default().unwrap();
        assert!(entry.contains(&format!(
            "hreflang=\"x-default\" href=\"{BASE}{x_default}\""
        )));
    }
    assert_eq!(xml.matches("<url>").count(), want);
    assert!(want > 100);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset"));
    let robots = file(&site, "robots.txt").unwrap();
    assert_eq!(
        robots,
        format!("User-agent: *\nDisallow:\n\nSitemap: {BASE}/sitemap.xml\n")
    );
}

#[test]
fn without_a_base_url_there_is_no_sitemap_and_addresses_are_relative() {
    let site = render_site(&shipped_root(), None).unwrap();
    assert!(file(&site, "sitemap.xml").is_none());
    assert_eq!(
        file(&site, "robots.txt").unwrap(),
        "User-agent: *\nDisallow:\n"
    );
    let settings = page(&site, "ja/settings/index.html");
    assert!(settings.contains("<link rel=\"canonical\" href=\"./\">"));
    assert!(settings.contains("<link rel=\"alternate\" hreflang=\"x-default\" href=\"./\">"));
    assert!(
        settings.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"../../en/settings/\">")
    );
    // A home's x-default is the language choice.
    assert!(page(&site, "en/index.html")
        .contains("<link rel=\"alternate\" hreflang=\"x-default\" href=\"../\">"));
}

#[test]
fn with_a_base_url_addresses_are_absolute_and_the_404_page_links_by_absolute_paths() {
    let site = render_site(&shipped_root(), Some(&format!("{BASE}/"))).unwrap();
    let settings = page(&site, "en/settings/index.html");
    assert!(settings.contains(&format!(
        "<link rel=\"canonical\" href=\"{BASE}/en/settings/\">"
    )));
    // Pages still link to each other relatively.
    assert!(settings.contains("href=\"../../style.css\""));
    let not_found = page(&site, "404.html");
    for link in [
        "href=\"/manual/style.css\"",
        "href=\"/manual/ja/\"",
        "href=\"/manual/en/\"",
        "action=\"/manual/ja/search/\"",
        "action=\"/manual/en/search/\"",
        "src=\"/manual/assets/site.js?v=",
    ] {
        assert!(not_found.contains(link), "404.html lacks {link}");
    }
    assert!(
        !not_found.contains("href=\"../"),
        "no relative link in 404.html"
    );
    assert!(not_found.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(!not_found.contains("rel=\"canonical\""));
    // Both languages, each marked as such.
    assert!(not_found.contains("lang=\"ja\"") && not_found.contains("lang=\"en\""));
}

fn index(site: &RenderedSite, lang: &str) -> Value {
    let text = file(site, &format!("{lang}/search/index.json")).expect("an index");
    serde_json::from_str(text).expect("JSON")
}

/// The sections a term is in (decoding the gaps and runs of the format).
fn sections_of(index: &Value, term: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = 0i64;
    for g in index["terms"][term].as_array().into_iter().flatten() {
        let g = g.as_i64().unwrap();
        if g >= 0 {
            at += g;
            out.push(at);
        } else {
            for _ in 0..-g {
                at += 1;
                out.push(at);
            }
        }
    }
    out.into_iter()
        .map(|n| usize::try_from(n).unwrap())
        .collect()
}

#[test]
fn the_search_index_finds_japanese_and_english_and_links_to_sections_that_exist() {
    let site = render_site(&shipped_root(), None).unwrap();
    for (lang, words) in [
        ("ja", &["送信", "サー", "認証"][..]),
        ("en", &["outgoing", "server", "995"][..]),
    ] {
        let index = index(&site, lang);
        let bytes = file(&site, &format!("{lang}/search/index.json"))
            .unwrap()
            .len();
        // A phone downloads this once per search page (gzip makes it about a seventh).
        assert!(bytes < 400_000, "{lang} index is {bytes} bytes");
        let pages = index["pages"].as_array().unwrap();
        let sections = index["sections"].as_array().unwrap();
        for word in words {
            let found = sections_of(&index, word);
            assert!(
                found.len() > 5,
                "{lang}: `{word}` is in {} sections",
                found.len()
            );
            assert!(found.windows(2).all(|w| w[0] < w[1]));
            assert!(*found.last().unwrap() < sections.len());
        }
        // Every page of the language but its search page, the most general first.
        let content = site
            .jobs
            .iter()
            .filter(|j| j.lang.as_deref() == Some(lang) && j.kind != PageKind::Search)
            .count();
        assert_eq!(pages.len(), content);
        assert_eq!(pages[0][0], format!("{lang}/settings/"));
        // Every anchor is an id of its page.
        let mut checked = BTreeSet::new();
        for s in sections {
            let page_no = s[0].as_u64().unwrap() as usize;
            let anchor = index["anchors"][s[1].as_u64().unwrap() as usize]
                .as_str()
                .unwrap();
            let path = pages[page_no][0].as_str().unwrap();
            if anchor.is_empty() || !checked.insert((path, anchor)) {
                continue;
            }
            let html = page(&site, &format!("{path}index.html"));
            assert!(
                html.contains(&format!("id=\"{anchor}\"")),
                "{path}: no id {anchor}"
            );
        }
    }
}

#[test]
fn the_search_index_is_the_same_in_every_build() {
    let a = render_site(&shipped_root(), None).unwrap();
    let b = render_site(&shipped_root(), None).unwrap();
    assert_eq!(
        file(&a, "ja/search/index.json"),
        file(&b, "ja/search/index.json")
    );
}

#[test]
fn a_robots_txt_of_the_site_wins_over_the_engine_s() {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&shipped_root(), tmp.path());
    std::fs::write(
        tmp.path().join("static/robots.txt"),
        "User-agent: *\nDisallow: /\n",
    )
    .unwrap();
    let site = render_site(tmp.path(), Some(&format!("{BASE}/"))).unwrap();
    assert!(
        file(&site, "robots.txt").is_none(),
        "static/robots.txt is copied instead"
    );
    assert!(file(&site, "sitemap.xml").is_some());
}

#[test]
fn a_site_without_search_and_404_templates_has_neither() {
    let site = render_site(&fixture("tiny"), None).unwrap();
    assert!(site
        .jobs
        .iter()
        .all(|j| !matches!(j.kind, PageKind::Search | PageKind::NotFound)));
    assert!(site.files.iter().all(|f| !f.path.ends_with("index.json")));
}
