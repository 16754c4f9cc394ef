//! Property tests over the loaders (matrix, client files, UI strings, Markdown pages): fed
//! mutations of the shipped files and arbitrary input, a loader never panics, and every
//! problem it reports is in the file it was given, at a line and column inside it.
//!
//! The seed and the number of cases are fixed so CI sees the same inputs on every run (a
//! few seconds in all). For a longer hunt: `MAILSITE_FUZZ_CASES=50000 MAILSITE_FUZZ_SEED=7
//! cargo test --test suite fuzz_loaders::` (the cases count applies to each of the four tests).

use std::sync::OnceLock;

use crate::common::shipped_root;
use mailsite::diag::{Diagnostics, SourceFile};
use mailsite::matrix::Matrix;
use mailsite::{clients, content, matrix, strings};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngSeed};

#[derive(Debug, Clone, Copy)]
enum Loader {
    Matrix,
    Client,
    Strings,
    Page,
}

/// The shipped inputs the mutations start from.
const SEEDS: &[(Loader, &str)] = &[
    (Loader::Matrix, "content/matrix.toml"),
    (Loader::Client, "content/clients/gmail-android.toml"),
    (Loader::Client, "content/clients/ios.toml"),
    (Loader::Client, "content/clients/macos.toml"),
    (Loader::Client, "content/clients/outlook.toml"),
    (Loader::Client, "content/clients/thunderbird.toml"),
    (Loader::Strings, "content/i18n/ja.toml"),
    (Loader::Strings, "content/i18n/en.toml"),
    (Loader::Page, "content/ja/_index.md"),
    (Loader::Page, "content/en/_index.md"),
    (Loader::Page, "content/ja/settings.md"),
    (Loader::Page, "content/en/settings.md"),
];

fn seed_bytes() -> &'static [Vec<u8>] {
    static BYTES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    BYTES.get_or_init(|| {
        SEEDS
            .iter()
            .map(|(_, path)| std::fs::read(shipped_root().join(path)).unwrap())
            .collect()
    })
}

fn languages() -> Vec<String> {
    vec!["ja".into(), "en".into()]
}

/// The shipped matrix, which client files are validated against.
fn shipped_matrix() -> &'static Matrix {
    static MATRIX: OnceLock<Matrix> = OnceLock::new();
    MATRIX.get_or_init(|| {
        let source = SourceFile::from_bytes("content/matrix.toml", seed_bytes()[0].clone())
            .expect("the shipped matrix is UTF-8");
        matrix::parse(&source, &languages()).expect("the shipped matrix is valid")
    })
}

/// Runs one loader on `bytes` as the file `path`.
fn load(loader: Loader, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostics> {
    let source = SourceFile::from_bytes(path, bytes)?;
    let languages = languages();
    match loader {
        Loader::Matrix => matrix::parse(&source, &languages).map(drop),
        Loader::Client => {
            let stem = path.rsplit('/').next().unwrap().trim_end_matches(".toml");
            clients::parse(&source, stem, &languages, Some(shipped_matrix())).map(drop)
        }
        Loader::Strings => strings::parse(&source).map(drop),
        Loader::Page => content::parse_page(&source).map(drop),
    }
}

/// Loads and checks every reported location against the input as people see it: line 1
/// up to the number of lines, column 1 up to one past the end of that line (in characters).
fn check(loader: Loader, path: &str, bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let text = String::from_utf8_lossy(bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes))
        .into_owned();
    let lines: Vec<&str> = text.split('\n').collect();
    let Err(problems) = load(loader, path, bytes) else {
        return Ok(());
    };
    prop_assert!(!problems.is_empty(), "an error without a problem");
    for d in problems.iter() {
        prop_assert_eq!(&d.path, path, "{}", d);
        prop_assert!(
            d.line >= 1 && d.line <= lines.len(),
            "line outside the input: {}",
            d
        );
        let width = lines[d.line - 1].chars().count();
        prop_assert!(
            d.column >= 1 && d.column <= width + 1,
            "column outside line {} ({} characters): {}",
            d.line,
            width,
            d
        );
        prop_assert!(
            !d.message.chars().any(char::is_control),
            "raw control character in: {:?}",
            d.message
        );
    }
    Ok(())
}

/// Text that breaks TOML, Markdown front matter or UTF-8 where it lands.
const INSERTS: &[&[u8]] = &[
    b"{",
    b"}",
    b"\"",
    b"'",
    b"[",
    b"]]",
    b"=",
    b"\"\"\"",
    b"\\",
    b"\\u001b",
    b"\\U0000",
    b"\x1b",
    b"\0",
    b"\r",
    b"\n",
    b"\t",
    b"+++\n",
    b"#",
    "\u{85}".as_bytes(),
    "\u{feff}".as_bytes(),
    "受信".as_bytes(),
    b"\xff",
    b"\xe3\x81",
    b"{port:",
    b"{label:x}",
    b"{value:auth:",
];

#[derive(Debug, Clone)]
enum Mutation {
    FlipBit(Index, u8),
    Truncate(Index),
    Insert(Index, usize),
    DuplicateLine(Index),
    DeleteLine(Index),
    /// One line written over another: ids, references and keys end up where they clash.
    CopyLineOver(Index, Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 0..8u8).prop_map(|(i, b)| Mutation::FlipBit(i, b)),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), 0..INSERTS.len()).prop_map(|(i, k)| Mutation::Insert(i, k)),
        any::<Index>().prop_map(Mutation::DuplicateLine),
        any::<Index>().prop_map(Mutation::DeleteLine),
        (any::<Index>(), any::<Index>()).prop_map(|(from, to)| Mutation::CopyLineOver(from, to)),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let line_bounds = |bytes: &[u8], i: &Index| {
        let at = i.index(bytes.len() + 1).min(bytes.len());
        let start = bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let end = bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| at + p + 1);
        (start, end)
    };
    match m {
        Mutation::FlipBit(i, bit) if !bytes.is_empty() => {
            let at = i.index(bytes.len());
            bytes[at] ^= 1 << bit;
        }
        Mutation::FlipBit(..) => {}
        Mutation::Truncate(i) => bytes.truncate(i.index(bytes.len() + 1)),
        Mutation::Insert(i, k) => {
            let at = i.index(bytes.len() + 1);
            bytes.splice(at..at, INSERTS[*k].iter().copied());
        }
        Mutation::DuplicateLine(i) => {
            let (start, end) = line_bounds(bytes, i);
            let line = bytes[start..end].to_vec();
            bytes.splice(end..end, line);
        }
        Mutation::DeleteLine(i) => {
            let (start, end) = line_bounds(bytes, i);
            bytes.drain(start..end);
        }
        Mutation::CopyLineOver(from, to) => {
            let (start, end) = line_bounds(bytes, from);
            let line = bytes[start..end].to_vec();
            let (start, end) = line_bounds(bytes, to);
            bytes.splice(start..end, line);
        }
    }
}

/// A change to one value of a parsed file: what a docs writer's slip looks like once the
/// TOML is well formed, so the validators (not the parser) see it.
#[derive(Debug, Clone)]
enum Edit {
    /// Another text of the same file (an id where another id, or a label, was meant).
    OtherText(Index),
    Number(i64),
    Remove,
    /// An array element written twice.
    Repeat,
    /// The value replaced by an empty one of another type.
    WrongType(u8),
}

fn edit() -> impl Strategy<Value = (Index, Edit)> {
    let edit = prop_oneof![
        3 => any::<Index>().prop_map(Edit::OtherText),
        1 => prop::sample::select(vec![0i64, -1, 1, 25, 465, 995, 65535, 65536, i64::MAX])
            .prop_map(Edit::Number),
        2 => Just(Edit::Remove),
        1 => Just(Edit::Repeat),
        1 => (0..4u8).prop_map(Edit::WrongType),
    ];
    (any::<Index>(), edit)
}

/// Every value of a document, as the path of keys and indices that reaches it.
fn value_paths(value: &toml::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                path.push(k.clone());
                out.push(path.clone());
                value_paths(v, path, out);
                path.pop();
            }
        }
        toml::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(i.to_string());
                out.push(path.clone());
                value_paths(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn texts(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::String(s) => out.push(s.clone()),
        toml::Value::Table(t) => t.values().for_each(|v| texts(v, out)),
        toml::Value::Array(a) => a.iter().for_each(|v| texts(v, out)),
        _ => {}
    }
}

/// The container of the value at `path`, and the value's key or index in it.
fn parent_of<'v>(root: &'v mut toml::Value, path: &[String]) -> &'v mut toml::Value {
    let mut at = root;
    for step in path {
        at = match at {
            toml::Value::Table(t) => t.get_mut(step).unwrap(),
            toml::Value::Array(a) => &mut a[step.parse::<usize>().unwrap()],
            _ => unreachable!("paths only go through tables and arrays"),
        };
    }
    at
}

fn apply_edit(doc: &mut toml::Value, which: &Index, edit: &Edit, pool: &[String]) {
    let mut paths = Vec::new();
    value_paths(doc, &mut Vec::new(), &mut paths);
    if paths.is_empty() {
        return;
    }
    let path = &paths[which.index(paths.len())];
    let (last, parent_path) = path.split_last().unwrap();
    let parent = parent_of(doc, parent_path);
    let slot = match parent {
        toml::Value::Table(t) => {
            if matches!(edit, Edit::Remove) {
                t.remove(last);
                return;
            }
            t.get_mut(last).unwrap()
        }
        toml::Value::Array(a) => {
            let i: usize = last.parse().unwrap();
            match edit {
                Edit::Remove => {
                    a.remove(i);
                    return;
                }
                Edit::Repeat => {
                    let copy = a[i].clone();
                    a.insert(i, copy);
                    return;
                }
                _ => &mut a[i],
            }
        }
        _ => unreachable!(),
    };
    *slot = match edit {
        Edit::OtherText(i) if !pool.is_empty() => {
            toml::Value::String(pool[i.index(pool.len())].clone())
        }
        Edit::OtherText(_) => toml::Value::String(String::new()),
        Edit::Number(n) => toml::Value::Integer(*n),
        Edit::Remove | Edit::Repeat => return,
        Edit::WrongType(0) => toml::Value::String(String::new()),
        Edit::WrongType(1) => toml::Value::Integer(0),
        Edit::WrongType(2) => toml::Value::Array(Vec::new()),
        Edit::WrongType(_) => toml::Value::Table(toml::Table::new()),
    };
}

fn config(cases: u32, seed: u64) -> Config {
    fn env<T: std::str::FromStr>(name: &str) -> Option<T> {
        std::env::var(name).ok().and_then(|v| v.parse().ok())
    }
    Config {
        cases: env("MAILSITE_FUZZ_CASES").unwrap_or(cases),
        rng_seed: RngSeed::Fixed(env("MAILSITE_FUZZ_SEED").unwrap_or(seed)),
        failure_persistence: None,
        ..Config::default()
    }
}

fn loader_and_path() -> impl Strategy<Value = (Loader, &'static str)> {
    prop::sample::select(SEEDS.to_vec())
}

proptest! {
    #![proptest_config(config(1500, 0x6d61_696c))]

    #[test]
    fn mutated_shipped_files(
        // The matrix has the most rules: it gets a third of the cases.
        seed in prop_oneof![1 => Just(0), 2 => 0..SEEDS.len()],
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let (loader, path) = SEEDS[seed];
        let mut bytes = seed_bytes()[seed].clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        check(loader, path, bytes)?;
    }
}

proptest! {
    #![proptest_config(config(250, 0x7661_6c75))]

    #[test]
    fn edited_values_of_shipped_files(
        // Matrix and client files: the TOML inputs with cross-references to validate.
        seed in prop_oneof![2 => Just(0), 3 => 1..6usize],
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let (loader, path) = SEEDS[seed];
        let text = std::str::from_utf8(&seed_bytes()[seed]).unwrap();
        let mut doc: toml::Value = toml::from_str(text).unwrap();
        let mut pool = Vec::new();
        texts(&doc, &mut pool);
        for (which, edit) in &edits {
            apply_edit(&mut doc, which, edit, &pool);
        }
        // An edit can leave something TOML cannot write (an array of tables and values);
        // that is not an input anyone can save.
        let Ok(edited) = toml::to_string(&doc) else { return Ok(()) };
        check(loader, path, edited.into_bytes())?;
    }
}

proptest! {
    #![proptest_config(config(3000, 0x7369_7465))]

    #[test]
    fn arbitrary_bytes((loader, path) in loader_and_path(), bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        check(loader, path, bytes)?;
    }

    #[test]
    fn toml_like_text(
        (loader, path) in loader_and_path(),
        text in r#"(\+\+\+\n|\[\[?[a-z.]{0,8}\]\]?\n|[a-z_.]{1,8} ?= ?|"|'|\{|\}|\[|\]|,|\\[ntreu]?|\n|\r\n|[0-9]{1,4}|[a-z ]{1,6}|受信|\x{1b}|\x{0}|\x{85}|\x{feff}){0,60}"#,
    ) {
        check(loader, path, text.into_bytes())?;
    }
}
