//! The code's shape, checked: modules depend on each other in one direction (no import
//! cycles among the top-level modules of `src/`), and no source file grows past 500 lines
//! outside its tests (`schema.rs` files, which mirror the data files, excepted). Function
//! length is clippy's `too_many_lines` (80, `clippy.toml`), denied in CI.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/` with its top-level module (`render` for `src/render.rs`
/// and `src/render/x.rs`); `lib.rs` and `main.rs` are the crate itself.
fn files() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(src()).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(src()).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        out.push((module, path.to_path_buf()));
    }
    out
}

/// The file without its `#[cfg(test)]` module (tests may reach anywhere).
fn without_tests(text: &str) -> &str {
    match text.find("\n#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    }
}

/// `crate::NAME` paths of a file's code (not its comments), as top-level module names.
fn crate_refs(text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            // `use crate::{a, b::c}`: every name of the group.
            if let Some(group) = after.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let head: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !head.is_empty() {
                        out.insert(head);
                    }
                }
            }
        } else {
            out.insert(name);
        }
        rest = after;
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, path) in files() {
        let text = fs::read_to_string(&path).unwrap();
        let refs = crate_refs(without_tests(&text));
        let entry = g.entry(module.clone()).or_default();
        entry.extend(refs.into_iter().filter(|r| *r != module));
    }
    g
}

/// A cycle through `start`, if there is one.
fn cycle_from(g: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    fn walk(
        g: &BTreeMap<String, BTreeSet<String>>,
        node: &str,
        start: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in g.get(node).into_iter().flatten() {
            if next == start {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(g, next, start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    let mut seen = BTreeSet::new();
    walk(g, start, start, &mut path, &mut seen).then_some(path)
}

#[test]
fn modules_depend_on_each_other_in_one_direction() {
    let g = graph();
    assert!(g.len() > 10, "the module scan found too little: {g:?}");
    let cycles: Vec<String> = g
        .keys()
        .filter_map(|m| cycle_from(&g, m))
        .map(|c| c.join(" → "))
        .collect();
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn no_source_file_is_over_500_lines_outside_its_tests() {
    let long: Vec<String> = files()
        .into_iter()
        .filter(|(_, p)| p.file_name().is_some_and(|n| n != "schema.rs"))
        .filter_map(|(_, p)| {
            let text = fs::read_to_string(&p).unwrap();
            let n = without_tests(&text).lines().count();
            (n > 500).then(|| format!("{}: {n} lines", rel(&p)))
        })
        .collect();
    assert!(long.is_empty(), "{}", long.join("\n"));
}

fn rel(p: &Path) -> String {
    p.strip_prefix(src()).unwrap().display().to_string()
}

#[test]
fn the_scanner_sees_grouped_and_plain_paths() {
    let refs = crate_refs("use crate::{diag::X, html};\nlet x = crate::markers::Marker::Port;");
    assert_eq!(
        refs.into_iter().collect::<Vec<_>>(),
        ["diag", "html", "markers"]
    );
}
