//! Every URL of the site, from one place: the page plan, the views and the templates (as
//! functions) all ask here. Paths are from the site root (`/ja/plans/x/`); pages link to
//! each other relatively ([`relative`]), so the site works under any sub-path.

/// The language choice.
pub fn language_choice() -> String {
    "/".into()
}

/// A language's home.
pub fn home(lang: &str) -> String {
    format!("/{lang}/")
}

/// A Markdown page, from its path inside the language folder: `settings.md` →
/// `/ja/settings/`, `docs/_index.md` → `/ja/docs/`.
pub fn markdown(lang: &str, rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let stem = stem
        .strip_suffix("_index")
        .unwrap_or(stem)
        .trim_end_matches('/');
    if stem.is_empty() {
        home(lang)
    } else {
        format!("/{lang}/{stem}/")
    }
}

/// One plan, all its variants.
pub fn plan(lang: &str, plan: &str) -> String {
    format!("/{lang}/plans/{plan}/")
}

/// One client's overview.
pub fn client(lang: &str, client: &str) -> String {
    format!("/{lang}/clients/{client}/")
}

/// One client's guide for one plan and variant.
pub fn guide(lang: &str, client: &str, plan: &str, variant: &str) -> String {
    format!("/{lang}/clients/{client}/{plan}/{variant}/")
}

/// The page where customers see the settings for their own address.
pub fn your_settings(lang: &str) -> String {
    format!("/{lang}/your-settings/")
}

/// The JSON export of the matrix the browser resolves addresses from.
pub fn settings_export() -> String {
    "/api/settings.json".into()
}

/// The folder of the public-suffix groups (`{folder}j.json`) the browser fetches.
pub fn public_suffixes_dir() -> String {
    "/api/public-suffixes/".into()
}

/// One public-suffix group.
pub fn public_suffixes(group: &str) -> String {
    format!("{}{group}.json", public_suffixes_dir())
}

/// One plan and variant's Thunderbird autoconfig file. The folder of a plan and variant
/// can be the document root of `autoconfig.<domain>` as it is: the file sits at
/// `/mail/config-v1.1.xml` below it, where Thunderbird looks.
pub fn autoconfig(plan: &str, variant: &str) -> String {
    format!("/autoconfig/{plan}/{variant}/mail/config-v1.1.xml")
}

/// A language's search page.
pub fn search(lang: &str) -> String {
    format!("/{lang}/search/")
}

/// The search index of a language, beside its search page.
pub fn search_index(lang: &str) -> String {
    format!("/{lang}/search/index.json")
}

/// The page static hosts serve for a missing path (GitHub Pages, Netlify, Cloudflare Pages
/// all look for this name at the site root).
pub fn not_found() -> String {
    "/404.html".into()
}

/// The file inside the output folder that serves a URL path: `/ja/` → `ja/index.html`.
pub fn output_file(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// The path part of a base URL (given without its trailing `/`): `https://x.jp/mail` →
/// `/mail`, `https://x.jp` → ``, `/mail` → `/mail`. Links of a page that can be served at
/// any depth (`/404.html`) start with it.
pub fn base_path(base_url: &str) -> &str {
    match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => base_url,
    }
}

/// `to` as a link from `from` (both paths from the site root): up to the folder both share,
/// then down, so the site works from any sub-path and from the file system, and a link to
/// a neighbour stays short (`../ssl/`, not the whole path from the root).
pub fn relative(from: &str, to: &str) -> String {
    // Every page's header links a dozen times: no allocation but the result.
    let from = from.trim_start_matches('/');
    let from_dir = &from[..from.rfind('/').map_or(0, |i| i + 1)];
    let target = to.trim_start_matches('/');
    let path = &target[..target.find(['?', '#']).unwrap_or(target.len())];
    let to_dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    // The folders both share, whole names only.
    let down: usize = from_dir
        .split_inclusive('/')
        .zip(to_dir.split_inclusive('/'))
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len())
        .sum();
    let ups = from_dir[down..].matches('/').count();
    if ups == 0 && down == target.len() {
        return "./".into();
    }
    let mut rel = String::with_capacity(3 * ups + target.len() - down);
    for _ in 0..ups {
        rel.push_str("../");
    }
    rel.push_str(&target[down..]);
    rel
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_work_from_any_depth() {
        assert_eq!(relative("/", "/ja/"), "ja/");
        assert_eq!(relative("/ja/", "/en/"), "../en/");
        assert_eq!(
            relative("/ja/plans/shared-standard/", "/style.css"),
            "../../../style.css"
        );
        assert_eq!(relative("/ja/", "/ja/"), "./");
        assert_eq!(relative("/ja/", "/ja/settings/#ports"), "settings/#ports");
        assert_eq!(
            relative("/ja/clients/ios/basic/plain/", "/ja/clients/ios/basic/ssl/"),
            "../ssl/"
        );
        assert_eq!(
            relative("/ja/clients/ios/basic/plain/", "/ja/plans/basic/#plain"),
            "../../../../plans/basic/#plain"
        );
        assert_eq!(relative("/ja/settings/", "/"), "../../");
        assert_eq!(
            relative("/ja/settings/", "/en/settings/"),
            "../../en/settings/"
        );
        assert_eq!(relative("/404.html", "/ja/"), "ja/");
        assert_eq!(relative("/ja/search/", "/ja/search/?q=a/b"), "?q=a/b");
        assert_eq!(relative("/ja/a/b/", "/ja/a/c/d/"), "../c/d/");
        assert_eq!(relative("/ja/ab/", "/ja/a/"), "../a/");
        assert_eq!(relative("/404.html", "/404.html"), "404.html");
        assert_eq!(relative("/", "/"), "./");
    }

    #[test]
    fn base_paths_are_the_path_of_the_base_url() {
        assert_eq!(base_path("https://example.com/manual"), "/manual");
        assert_eq!(base_path("https://example.com"), "");
        assert_eq!(base_path("http://127.0.0.1:8000/a/b"), "/a/b");
        assert_eq!(base_path("/mail"), "/mail");
        assert_eq!(base_path(""), "");
    }

    #[test]
    fn every_page_kind_has_its_url() {
        assert_eq!(markdown("ja", "settings.md"), "/ja/settings/");
        assert_eq!(markdown("ja", "_index.md"), "/ja/");
        assert_eq!(markdown("en", "docs/_index.md"), "/en/docs/");
        assert_eq!(guide("en", "ios", "p", "ssl"), "/en/clients/ios/p/ssl/");
        assert_eq!(output_file("/ja/"), "ja/index.html");
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file(&search("en")), "en/search/index.html");
        assert_eq!(output_file(&not_found()), "404.html");
    }
}
