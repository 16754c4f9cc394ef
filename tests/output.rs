//! `build --out` replaces only what mailsite wrote, and collects what a killed build left.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::common;
use crate::common::{copy_site, fixture};

fn build(root: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mailsite"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

fn site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&fixture("tiny"), &tmp.path().join("site"));
    tmp
}

/// The run failed with exactly one line that names the folder and says why.
fn refused(run: &Output, out: &Path, why: &str) {
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "accepted: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!("{}: cannot be the output folder: ", out.display())),
        "{stderr}"
    );
    assert!(stderr.contains(why), "{stderr}");
}

#[test]
fn a_folder_mailsite_did_not_write_is_never_replaced() {
    let tmp = site();
    let root = tmp.path().join("site");
    let decoy = tmp.path().join("decoy");
    fs::create_dir(&decoy).unwrap();
    fs::write(decoy.join("MARKER"), "keep").unwrap();
    let run = build(&root, &decoy);
    refused(&run, &decoy, "was not written by mailsite");
    assert_eq!(fs::read_to_string(decoy.join("MARKER")).unwrap(), "keep");
    // Nothing was left beside it either.
    let names: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn an_empty_folder_or_a_marked_output_is_replaced() {
    let tmp = site();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    assert!(build(&root, &out).status.success());
    assert!(out.join(".mailsite-output").is_file());
    assert!(out.join("index.html").is_file());
    // The marker lists what the build wrote: the next build replaces exactly that.
    let marker = fs::read_to_string(out.join(".mailsite-output")).unwrap();
    assert!(marker.lines().any(|l| l == "index.html"), "{marker}");
    let before = common::read_tree(&out);
    assert!(build(&root, &out).status.success());
    assert_eq!(
        common::read_tree(&out),
        before,
        "a rebuild gives the same files"
    );
    // A marker that is a folder, not a file, does not count.
    let fake = tmp.path().join("fake");
    fs::create_dir_all(fake.join(".mailsite-output")).unwrap();
    refused(&build(&root, &fake), &fake, "no `.mailsite-output` file");
}

/// A file or folder added by hand to an output is not the build's to delete: the build
/// stops before anything is written, names it, and the output stays as it was; once it is
/// gone (or moved to `static/`), the build goes on.
#[test]
fn what_was_added_to_an_output_by_hand_stops_the_build() {
    let tmp = site();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    assert!(build(&root, &out).status.success());
    fs::write(out.join("CNAME"), "docs.example.jp").unwrap();
    fs::create_dir_all(out.join("en/notes")).unwrap();
    let before = common::read_tree(&out);
    let run = build(&root, &out);
    refused(
        &run,
        &out,
        "it holds what mailsite did not write (`CNAME`, `en/notes`)",
    );
    assert_eq!(common::read_tree(&out), before);
    assert!(out.join("en/notes").is_dir());

    fs::remove_dir(out.join("en/notes")).unwrap();
    fs::rename(out.join("CNAME"), root.join("static/CNAME")).unwrap();
    assert!(build(&root, &out).status.success());
    assert_eq!(
        fs::read_to_string(out.join("CNAME")).unwrap(),
        "docs.example.jp"
    );

    // A marker mailsite did not write (empty, or any other text) makes no folder its own.
    for forged in ["", "This folder was written by mailsite.\n"] {
        let other = tmp.path().join("other");
        fs::create_dir_all(&other).unwrap();
        fs::write(other.join("mine.txt"), "keep").unwrap();
        fs::write(other.join(".mailsite-output"), forged).unwrap();
        refused(&build(&root, &other), &other, "was not written by mailsite");
        assert_eq!(fs::read_to_string(other.join("mine.txt")).unwrap(), "keep");
    }
}

/// An output written by a version whose marker listed no files is replaced as it was then.
#[test]
fn an_output_of_an_earlier_version_is_replaced() {
    let tmp = site();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(
        out.join(".mailsite-output"),
        "This folder was written by mailsite. `mailsite build` replaces all of it;\nput files of your own in the site's static/ folder instead.\n",
    )
    .unwrap();
    fs::write(out.join("old.html"), "old").unwrap();
    assert!(build(&root, &out).status.success());
    assert!(!out.join("old.html").exists());
    assert!(out.join("index.html").is_file());
}

#[test]
fn the_sources_and_their_parents_are_refused_even_through_a_link() {
    let tmp = site();
    let root = tmp.path().join("site");
    let link = tmp.path().join("link");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&root, &link).unwrap();
    // `deep/..` is `root/content`'s parent, the root, as the system resolves it (the link
    // first), not `tmp` as the text of the path reads.
    let deep = tmp.path().join("deep");
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("content/en"), &deep).unwrap();
    for (out, why) in [
        #[cfg(unix)]
        (
            deep.join("../../static/newsub"),
            "inside the site's `static/` folder",
        ),
        #[cfg(unix)]
        (deep.join("../../.."), "contains the site's sources"),
        (root.clone(), "contains the site's sources"),
        (tmp.path().to_path_buf(), "contains the site's sources"),
        (root.join("content"), "inside the site's `content/` folder"),
        (
            root.join("templates/x"),
            "inside the site's `templates/` folder",
        ),
        (
            root.join("static/new/deeper"),
            "inside the site's `static/` folder",
        ),
        #[cfg(unix)]
        (link.join("content"), "inside the site's `content/` folder"),
        #[cfg(unix)]
        (
            link.join("content/en"),
            "inside the site's `content/` folder",
        ),
    ] {
        refused(&build(&root, &out), &out, why);
    }
    #[cfg(unix)]
    refused(&build(&root, &link), &link, "symbolic link");
    assert!(root.join("content/matrix.toml").is_file());
    assert!(!root.join("static/new").exists());
    assert!(!root.join("static/newsub").exists());
}

#[test]
fn a_file_as_output_is_refused_before_anything_moves() {
    let tmp = site();
    let root = tmp.path().join("site");
    let config = root.join("mailsite.toml");
    let before = fs::read(&config).unwrap();
    refused(&build(&root, &config), &config, "it is a file");
    assert_eq!(fs::read(&config).unwrap(), before);
    let entries: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        entries
            .iter()
            .all(|n| !n.to_string_lossy().starts_with('.')),
        "{entries:?}"
    );
}

/// The id of a process that has ended.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[cfg(target_os = "linux")]
#[test]
fn a_killed_build_leaves_nothing_the_next_build_keeps() {
    let tmp = site();
    let root = tmp.path().join("site");
    let out = tmp.path().join("public");
    let dead = dead_pid();
    let marked = |name: &str| {
        let dir = tmp.path().join(name);
        fs::create_dir_all(dir.join("en")).unwrap();
        fs::write(dir.join(".mailsite-output"), "").unwrap();
        fs::write(dir.join("en/index.html"), "old").unwrap();
        dir
    };
    let staging = marked(&format!(".public.staging-{dead}-0"));
    let previous = marked(&format!(".public.previous-{dead}-3"));
    let empty = tmp.path().join(format!(".public.staging-{dead}-4"));
    fs::create_dir(&empty).unwrap();
    // Not ours to remove: a live process's folder, another output's, a folder without the
    // marker, a name that only looks similar.
    let live = marked(&format!(".public.staging-{}-0", std::process::id()));
    let other_output = marked(&format!(".site2.staging-{dead}-0"));
    let unmarked = tmp.path().join(format!(".public.previous-{dead}-1"));
    fs::create_dir(&unmarked).unwrap();
    fs::write(unmarked.join("notes.txt"), "mine").unwrap();
    let lookalike = marked(&format!(".public.staging-{dead}-0-copy"));

    assert!(build(&root, &out).status.success());
    for gone in [&staging, &previous, &empty] {
        assert!(!gone.exists(), "{} was left", gone.display());
    }
    for kept in [&live, &other_output, &unmarked, &lookalike] {
        assert!(kept.exists(), "{} was removed", kept.display());
    }
    assert_eq!(
        fs::read_to_string(unmarked.join("notes.txt")).unwrap(),
        "mine"
    );
}

/// A rebuild of unchanged input keeps every unchanged file as it was (same file, same time
/// stamp: rsync and browsers see nothing new) and writes what changed.
#[cfg(unix)]
#[test]
fn a_rebuild_rewrites_only_what_changed() {
    use std::os::unix::fs::MetadataExt;
    let tmp = site();
    let root = tmp.path().join("site");
    let out = tmp.path().join("public");
    assert!(build(&root, &out).status.success());
    let inode = |rel: &str| fs::metadata(out.join(rel)).unwrap().ino();
    let page = "de/plans/basic/index.html";
    let before = (inode(page), inode("index.html"));
    // A change that reaches the German plan page's text but not the language choice.
    common::edit(
        &root.join("content/matrix.toml"),
        "name.de = \"Basis\"",
        "name.de = \"Basis-Tarif\"",
    );
    assert!(build(&root, &out).status.success());
    assert_ne!(inode(page), before.0, "a changed page is written anew");
    assert!(fs::read_to_string(out.join(page))
        .unwrap()
        .contains("Basis-Tarif"));
    assert_eq!(inode("index.html"), before.1, "an unchanged file is kept");
    // Nothing of the staging or the previous output is left beside the output.
    let beside: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside.len(), 2, "{beside:?}");
}

/// A page that fails after others were written: the old output stays as it was and the
/// half-written staging folder is removed.
#[test]
fn a_failed_build_leaves_the_old_output_and_no_staging_folder() {
    let tmp = site();
    let root = tmp.path().join("site");
    let out = tmp.path().join("public");
    assert!(build(&root, &out).status.success());
    let before = common::read_tree(&out);
    // The plan pages fail while the others render (and are written to the staging folder).
    common::edit(
        &root.join("templates/plan.html"),
        "{% block main %}",
        "{% block main %}{% include \"missing.html\" %}",
    );
    let run = build(&root, &out);
    assert!(!run.status.success());
    assert_eq!(common::read_tree(&out), before);
    let beside: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside.len(), 2, "{beside:?}");
}
