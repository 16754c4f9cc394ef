//! The engine's own scripts, compiled into the binary and written to `assets/` of every
//! output. They are the only scripts a page may load (`check`'s active-content rule), and
//! templates link them with `asset("name")`, which adds a content hash so a browser never
//! runs a stale copy after an update.

use std::sync::OnceLock;

use sha2::{Digest, Sha256};

/// Where engine assets live in the output.
pub const DIR: &str = "assets";

/// (file name, contents) of every engine asset.
const ASSETS: &[(&str, &str)] = &[
    // Setup files: addresses read as the engine reads them, the reader's values on every
    // page, the Apple profile, the your-settings page (src/setup/, templates/your-settings.html).
    ("address.js", include_str!("assets/address.js")),
    ("personal.js", include_str!("assets/personal.js")),
    ("profile.js", include_str!("assets/profile.js")),
    ("your-settings.js", include_str!("assets/your-settings.js")),
    // Every page: copy buttons, sections opened for links and printing, scrollable tables.
    ("site.js", include_str!("assets/site.js")),
    // The search page: reads `/{lang}/search/index.json` (see `generated::search`).
    ("search.js", include_str!("assets/search.js")),
];

/// (path in the output, contents) of every asset.
pub fn files() -> impl Iterator<Item = (String, &'static [u8])> {
    ASSETS
        .iter()
        .map(|(name, text)| (format!("{DIR}/{name}"), text.as_bytes()))
}

/// The site path of an asset with its content hash (`/assets/copy.js?v=1a2b3c4d`), or
/// `None` for a name the engine has no asset for.
pub fn url(name: &str) -> Option<String> {
    // Every page links the scripts: their hashes are computed once per process.
    static URLS: OnceLock<Vec<String>> = OnceLock::new();
    let urls = URLS.get_or_init(|| {
        ASSETS
            .iter()
            .map(|(name, text)| {
                let digest = Sha256::digest(text.as_bytes());
                let short: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
                format!("/{DIR}/{name}?v={short}")
            })
            .collect()
    });
    let at = ASSETS.iter().position(|(n, _)| *n == name)?;
    Some(urls[at].clone())
}

/// Whether a site path (`/assets/copy.js`) is an engine script.
pub fn is_engine_script(path: &str) -> bool {
    path.strip_prefix(&format!("/{DIR}/"))
        .is_some_and(|name| name.ends_with(".js") && ASSETS.iter().any(|(n, _)| *n == name))
}

/// The names of every asset (for messages).
pub fn names() -> Vec<&'static str> {
    ASSETS.iter().map(|(n, _)| *n).collect()
}
