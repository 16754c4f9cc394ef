//! Every integration test in one binary: each file of `tests/` is a module here, so the
//! library and its dependencies are linked once instead of once per file (Cargo.toml sets
//! `autotests = false`). Run one file's tests with `cargo test --test suite check::`.

mod common;

mod architecture;
mod build;
mod check;
mod clients;
mod errors;
mod fuzz_loaders;
mod hosting;
mod hygiene;
mod labels;
mod output;
#[cfg(feature = "serve")]
mod serve;
mod setup_files;
mod setup_js;

/// Without automatic test discovery, a file added to `tests/` and not declared above would
/// never run.
#[test]
fn every_test_file_is_a_module_of_the_suite() {
    let dir = common::shipped_root().join("tests");
    let suite = std::fs::read_to_string(dir.join("suite.rs")).unwrap();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs") && stem != "suite" {
            assert!(
                suite.lines().any(|l| l == format!("mod {stem};")),
                "tests/{stem}.rs is not a module of tests/suite.rs"
            );
        }
    }
}
