//! Input hygiene: byte order marks, control characters in the inputs that
//! `tests/fixtures/broken/` cannot reach (client files, mailsite.toml), what `explain`
//! echoes to the terminal, and folders that cannot be listed.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::common::*;
use mailsite::build::{build, BuildOptions};
use mailsite::clients;
use mailsite::diag::SourceFile;
use mailsite::matrix;

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

#[test]
fn control_characters_in_a_client_file_are_named_with_their_field() {
    let languages = vec!["ja".to_string(), "en".to_string()];
    let m = {
        let text = fs::read_to_string(shipped_root().join("content/matrix.toml")).unwrap();
        matrix::parse(&SourceFile::new("content/matrix.toml", text), &languages).unwrap()
    };
    let path = shipped_root().join("content/clients/thunderbird.toml");
    let text = fs::read_to_string(path).unwrap();
    let shipped = SourceFile::new("content/clients/thunderbird.toml", text.clone());
    clients::parse(&shipped, "thunderbird", &languages, Some(&m)).expect("the shipped file loads");

    // One escaped, one raw.
    let name = text
        .find("\nname.en = \"")
        .expect("a top-level English name")
        + 1;
    let mut broken = text.clone();
    broken.insert_str(name + "name.en = \"".len(), "\\u009b");
    let summary = broken.find("summary.ja = \"").expect("a Japanese summary");
    broken.insert(summary + "summary.ja = \"".len(), '\u{7f}');
    let source = SourceFile::new("content/clients/thunderbird.toml", broken);
    let problems = clients::parse(&source, "thunderbird", &languages, Some(&m)).unwrap_err();
    let lines: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
    let line_of = |at: usize| text[..at].matches('\n').count() + 1;
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(
        lines[0].starts_with(&format!(
            "content/clients/thunderbird.toml:{}:12: control character U+009B (CSI) in `name.en`:",
            line_of(name)
        )),
        "{lines:#?}"
    );
    assert!(
        lines[1].starts_with(&format!(
            "content/clients/thunderbird.toml:{}:15: control character U+007F (DEL) in `summary.ja`:",
            line_of(summary)
        )),
        "{lines:#?}"
    );
}

fn mailsite(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mailsite"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_control_character_in_mailsite_toml_is_located() {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&fixture("tiny"), tmp.path());
    edit(
        &tmp.path().join("mailsite.toml"),
        "matrix = \"content/matrix.toml\"",
        "matrix = \"content/matrix.toml\\u0000\"",
    );
    let run = mailsite(&["build", "--root", tmp.path().to_str().unwrap()]);
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr.starts_with("mailsite.toml:3:30: control character U+0000 (NUL) in `matrix`:"),
        "{stderr}"
    );
}

/// No byte of the output is a control character other than a line feed.
fn assert_terminal_safe(what: &str, bytes: &[u8]) {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{what} holds a raw control character: {text:?}"
    );
}

#[test]
fn explain_echoes_arguments_with_control_characters_escaped() {
    let root = shipped_root();
    let root = root.to_str().unwrap();
    let base = ["explain", "--root", root];
    let cases: &[(&[&str], &str)] = &[
        (
            &["--plan", "x\u{1b}[2J", "--address", "info@example.jp"],
            "error: unknown plan `x\\u{1b}[2J`",
        ),
        (
            &[
                "--plan",
                "shared-standard",
                "--variant",
                "\u{9b}31m",
                "--address",
                "info@example.jp",
            ],
            "error: plan `shared-standard` has no variant `\\u{9b}31m`",
        ),
        (
            &[
                "--plan",
                "shared-standard",
                "--address",
                "a\u{1b}]0;title\u{7}@example.jp",
            ],
            "error: malformed e-mail address `a\\u{1b}]0;title\\u{7}@example.jp`",
        ),
        (
            &[
                "--plan",
                "shared-standard",
                "--address",
                "info@example.jp",
                "--lang",
                "e\nn",
            ],
            "error: unknown language `e\\nn`",
        ),
        (
            &[
                "--plan",
                "shared-standard",
                "--address",
                "info@example.jp",
                "--format",
                "js\u{1b}on",
            ],
            "error: invalid value 'js\\u{1b}on' for '--format <FORMAT>'",
        ),
    ];
    for (args, expected) in cases {
        let run = mailsite(&[&base[..], args].concat());
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        assert_terminal_safe("stderr", &run.stderr);
        let stderr = String::from_utf8(run.stderr).unwrap();
        assert!(stderr.starts_with(expected), "{args:?}: {stderr}");
        assert!(run.stdout.is_empty());
    }

    // An address is trimmed before use; what is printed is the address as understood.
    for format in ["text", "json"] {
        let run = mailsite(
            &[
                &base[..],
                &[
                    "--plan",
                    "shared-standard",
                    "--address",
                    "info@example.jp\u{85}",
                    "--format",
                    format,
                ],
            ]
            .concat(),
        );
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert_terminal_safe("stdout", &run.stdout);
        assert!(String::from_utf8(run.stdout)
            .unwrap()
            .contains("info@example.jp"));
    }
}

#[test]
fn an_unknown_flag_with_a_control_character_is_echoed_escaped() {
    let run = mailsite(&["build", "--no\u{1b}[31mpe"]);
    assert_eq!(run.status.code(), Some(2));
    assert_terminal_safe("stderr", &run.stderr);
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.starts_with("error: unexpected argument '--no\\u{1b}[31mpe' found"),
        "{stderr}"
    );
}

/// A folder that cannot be listed used to be skipped silently, and the site built
/// without its pages. A folder whose path is longer than Linux's PATH_MAX (4096 bytes)
/// cannot be opened by name, whoever runs the test (permissions would not stop root).
#[cfg(target_os = "linux")]
#[test]
fn a_folder_that_cannot_be_listed_is_an_error_not_missing_pages() {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&fixture("tiny"), tmp.path());
    let base = tmp.path().join("content/en");
    let name = "d".repeat(250);
    // `cd` into folders while the path stays under the limit, then one `mkdir` more:
    // each command names one short relative path, the last folder's whole path is over.
    let levels = (4095 - base.as_os_str().len()) / (name.len() + 1);
    let made = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "for i in $(seq {levels}); do mkdir {name} && cd {name} || exit 1; done; mkdir {name}"
        ))
        .current_dir(&base)
        .status()
        .unwrap();
    assert!(made.success());
    let run = mailsite(&["build", "--root", tmp.path().to_str().unwrap()]);
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let problem = stderr.lines().next().unwrap();
    assert!(
        problem.starts_with(&format!("content/en/{name}/")),
        "{problem}"
    );
    assert!(
        problem.contains(":1:1: cannot read folder: File name too long"),
        "{problem}"
    );
}

/// A page's file name becomes its URL: a name that is not UTF-8 (a Latin-1 `é`) is refused
/// rather than turned into `�` in links.
#[cfg(target_os = "linux")]
#[test]
fn a_page_name_that_is_not_utf8_is_refused() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&fixture("tiny"), tmp.path());
    for lang in ["en", "de"] {
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
        let page = tmp.path().join("content").join(lang).join(name);
        fs::write(page, "+++\ntitle = \"Café\"\n+++\n").unwrap();
    }
    let run = mailsite(&["build", "--root", tmp.path().to_str().unwrap()]);
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    for (line, lang) in lines.iter().zip(["de", "en"]) {
        assert_eq!(
            *line,
            format!("content/{lang}/caf\u{fffd}.md:1:1: the file name is not valid UTF-8: it becomes the page's URL; rename the file")
        );
    }
}
