//! Broken inputs: each case in `tests/fixtures/broken/*.toml` edits a copy of the tiny
//! provider. The build must fail with located messages (pinned by snapshots), exit
//! non-zero through the binary, and leave the previous output untouched.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::*;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    about: String,
    #[serde(default)]
    edit: Vec<Edit>,
    #[serde(default)]
    create: Vec<Create>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    find: String,
    #[serde(default)]
    replace: String,
    /// Bytes to write instead of `replace`, for input that is not UTF-8.
    replace_bytes: Option<Vec<u8>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Create {
    file: String,
    text: String,
}

fn apply(case: &Case, root: &Path) {
    for e in &case.edit {
        match &e.replace_bytes {
            Some(bytes) => edit_bytes(&root.join(&e.file), &e.find, bytes),
            None => edit(&root.join(&e.file), &e.find, &e.replace),
        }
    }
    for c in &case.create {
        if let Some(dir) = root.join(&c.file).parent() {
            fs::create_dir_all(dir).unwrap();
        }
        fs::write(root.join(&c.file), &c.text).unwrap();
    }
}

/// Replaces the first occurrence of `find` with raw bytes.
fn edit_bytes(path: &Path, find: &str, bytes: &[u8]) {
    let text = fs::read_to_string(path).unwrap();
    let at = text
        .find(find)
        .unwrap_or_else(|| panic!("{} does not contain {find:?}", path.display()));
    let mut out = text.as_bytes()[..at].to_vec();
    out.extend_from_slice(bytes);
    out.extend_from_slice(&text.as_bytes()[at + find.len()..]);
    fs::write(path, out).unwrap();
}

#[test]
fn broken_sites_report_located_errors_and_keep_the_previous_output() {
    let bin = env!("CARGO_BIN_EXE_mailsite");
    // What `insta::glob!` did (snapshot suffix = file name, input file recorded), without
    // the glob crate and its regex engine in every test build.
    let dir = shipped_root().join("tests/fixtures/broken");
    let mut cases: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
        })
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    for path in &cases {
        let name = path.file_name().unwrap().to_str().unwrap();
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(name);
        settings.set_input_file(path);
        let _bound = settings.bind_to_scope();
        let case: Case = toml::from_str(&fs::read_to_string(path).unwrap()).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        copy_site(&fixture("tiny"), &root);
        let out = root.join("public");

        let ok = Command::new(bin)
            .args(["build", "--root"])
            .arg(&root)
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "the unbroken fixture must build: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
        let before = read_tree(&out);

        apply(&case, &root);
        let run = Command::new(bin)
            .args(["build", "--root"])
            .arg(&root)
            .output()
            .unwrap();
        let stderr = String::from_utf8(run.stderr).unwrap();
        assert_eq!(
            run.status.code(),
            Some(1),
            "{}: expected exit 1\n{stderr}",
            case.about
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        for line in stderr
            .lines()
            .filter(|l| !l.starts_with("error: build failed"))
        {
            let mut parts = line.splitn(4, ':');
            let (file, l, c) = (
                parts.next().unwrap(),
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
            );
            assert!(
                !file.is_empty() && l.parse::<usize>().is_ok() && c.parse::<usize>().is_ok(),
                "not `path:line:col: message`: {line}"
            );
        }
        assert_eq!(
            read_tree(&out),
            before,
            "{}: the previous output changed",
            case.about
        );
        let leftovers: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .filter(|n| {
                let n = n.to_string_lossy();
                n.contains(".staging-") || n.contains(".previous-")
            })
            .collect();
        assert!(
            leftovers.is_empty(),
            "staging or previous-output folders left behind: {leftovers:?}"
        );

        insta::assert_snapshot!(format!("# {}\n{stderr}", case.about));
    }
}

#[test]
fn a_missing_root_names_the_config_file() {
    let tmp = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_mailsite"))
        .args(["build", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr.starts_with("mailsite.toml:1:1: file not found"),
        "{stderr}"
    );
}

#[test]
fn unknown_flags_and_malformed_addresses_are_one_line_errors() {
    let bin = env!("CARGO_BIN_EXE_mailsite");
    let run = Command::new(bin)
        .args(["build", "--nope"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let run = Command::new(bin)
        .args(["explain", "--root"])
        .arg(shipped_root())
        .args(["--plan", "shared-standard", "--address", "info@sample..jp"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: malformed e-mail address `info@sample..jp`"),
        "{stderr}"
    );
}
