//! `mailsite labels`: the maintainers' list of client labels to verify on a device. What
//! the manual is unsure of is listed here, with its source and place, never on a page.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::*;
use serde_json::Value;

fn labels_json(root: &Path) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_mailsite"))
        .args(["labels", "--format", "json", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// Every row is a label that is not confirmed, with its source, and `at` is the line of
/// the file that holds that very label.
#[test]
fn every_row_points_at_an_unconfirmed_label_in_its_file() {
    let rows = labels_json(&shipped_root());
    assert!(rows.len() > 10, "{} rows", rows.len());
    for r in &rows {
        let s = |k: &str| r[k].as_str().unwrap_or_else(|| panic!("{r}: no {k}"));
        assert!(["likely", "unverified"].contains(&s("confidence")), "{r}");
        assert!(!s("source").is_empty(), "{r}: no source");
        let (file, rest) = s("at").split_once(':').unwrap();
        let line: usize = rest.split(':').next().unwrap().parse().unwrap();
        let text = std::fs::read_to_string(shipped_root().join(file)).unwrap();
        let held = text.lines().nth(line - 1).unwrap();
        assert!(
            held.starts_with(&format!("label.{} = ", s("lang"))),
            "{r}: line {line} is {held:?}"
        );
    }
}

/// Lowering one label's confidence adds exactly that label to the list.
#[test]
fn a_label_that_becomes_unsure_is_listed() {
    let before = labels_json(&shipped_root());
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&shipped_root(), tmp.path());
    edit(
        &tmp.path().join("content/clients/thunderbird.toml"),
        "label.ja = \"あなたのお名前\"\nlabel.en = \"Your full name\"\nconfidence.ja = \"confirmed\"",
        "label.ja = \"あなたのお名前\"\nlabel.en = \"Your full name\"\nconfidence.ja = \"likely\"",
    );
    let after = labels_json(tmp.path());
    let new: Vec<&Value> = after.iter().filter(|r| !before.contains(r)).collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0]["label"], "あなたのお名前");
    assert_eq!(new[0]["client"], "thunderbird");
    assert_eq!(new[0]["lang"], "ja");
    assert_eq!(after.len(), before.len() + 1);
}

/// `mailsite labels | head`: the reader closing the pipe ends the command quietly.
#[test]
fn a_closed_pipe_ends_the_command_without_a_panic() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mailsite"))
        .args(["labels", "--root"])
        .arg(shipped_root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is dropped (closed) here, before the command has written everything.
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
}
