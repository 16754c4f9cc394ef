//! Input hygiene: byte order marks.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use mailsite::build::{build, BuildOptions};

fn build_into(root: &Path, out: &Path) -> Result<(), mailsite::diag::Diagnostics> {
    build(&BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.to_path_buf()),
        base_url: None,
        ..BuildOptions::default()
    })
    .map(drop)
}

/// Prefixes a file with a UTF-8 byte order mark.
fn add_bom(path: &Path) {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(fs::read(path).unwrap());
    fs::write(path, bytes).unwrap();
}

#[test]
fn a_byte_order_mark_on_every_input_changes_nothing_in_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    let (plain, marked) = (tmp.path().join("plain"), tmp.path().join("marked"));
    copy_site(&fixture("tiny"), &plain);
    copy_site(&fixture("tiny"), &marked);
    let mut marked_files = 0;
    for entry in walkdir::WalkDir::new(&marked) {
        let entry = entry.unwrap();
        let ext = entry.path().extension().and_then(|e| e.to_str());
        if entry.file_type().is_file() && matches!(ext, Some("toml" | "md" | "html")) {
            add_bom(entry.path());
            marked_files += 1;
        }
    }
    assert!(marked_files >= 10, "only {marked_files} files marked");
    build_into(&plain, &tmp.path().join("out-plain")).unwrap();
    build_into(&marked, &tmp.path().join("out-marked"))
        .unwrap_or_else(|d| panic!("a byte order mark was refused:\n{d}"));
    assert_eq!(
        read_tree(&tmp.path().join("out-plain")),
        read_tree(&tmp.path().join("out-marked"))
    );
}
