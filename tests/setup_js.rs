//! The browser's resolver (`src/assets/address.js`, `profile.js`) gives what the engine
//! gives: `tests/js/resolver.test.mjs`, run here with Node, compares it with
//! `mailsite explain --format json` and `mailsite profile` for a table of addresses (and
//! random ones), and with the `psl` crate for every rule of the public-suffix list the build
//! exports. Needs `node` (20 or later) on the PATH; run alone with
//! `cargo test --test suite setup_js::`.

use std::path::Path;
use std::process::Command;

use crate::common::*;
use mailsite::build::{build, BuildOptions};
use mailsite::setup::suffixes;

/// Domains made from every rule (`*.kawasaki.jp` → `kawasaki.jp`, `x.kawasaki.jp`,
/// `y.x.kawasaki.jp`), with the number of labels `psl` says their public suffix has.
fn psl_cases(path: &Path) -> usize {
    let mut cases = Vec::new();
    for rule in suffixes::rules() {
        let name = rule.trim_start_matches('!').replace('*', "wild");
        let parent = name.split_once('.').map(|(_, p)| p.to_string());
        for domain in [
            Some(name.clone()),
            Some(format!("x.{name}")),
            Some(format!("y.x.{name}")),
            parent.map(|p| format!("x.{p}")),
        ]
        .into_iter()
        .flatten()
        {
            let labels =
                psl::suffix(domain.as_bytes()).map(|s| s.as_bytes().split(|b| *b == b'.').count());
            cases.push(serde_json::json!({ "domain": domain, "labels": labels }));
        }
    }
    for unknown in ["x.unknowntld", "y.x.zz--zz"] {
        let labels =
            psl::suffix(unknown.as_bytes()).map(|s| s.as_bytes().split(|b| *b == b'.').count());
        cases.push(serde_json::json!({ "domain": unknown, "labels": labels }));
    }
    std::fs::write(path, serde_json::to_string(&cases).unwrap()).unwrap();
    cases.len()
}

#[test]
fn the_browser_resolves_addresses_as_explain_does() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    build(&BuildOptions {
        root: shipped_root(),
        out: Some(site.clone()),
        ..BuildOptions::default()
    })
    .unwrap();
    let cases = tmp.path().join("psl-cases.json");
    assert!(psl_cases(&cases) > 30_000);
    let test = shipped_root().join("tests/js/resolver.test.mjs");
    let out = Command::new("node")
        .arg("--test")
        .arg(&test)
        .env("MAILSITE_BIN", env!("CARGO_BIN_EXE_mailsite"))
        .env("MAILSITE_ROOT", shipped_root())
        .env("MAILSITE_SITE", &site)
        .env("MAILSITE_PSL_CASES", &cases)
        .output()
        .expect("node (20 or later) must be installed to test the browser's resolver");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The runner's summary: tests ran, none failed.
    assert!(report.contains("# fail 0"), "{report}");
    assert!(!report.contains("# pass 0"), "{report}");
}
