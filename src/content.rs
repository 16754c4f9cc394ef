//! Hand-written pages: `content/{lang}/**/*.md` with TOML front matter between `+++` lines.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;
use walkdir::WalkDir;

use crate::controls;
use crate::diag::{display_path, Diagnostic, Diagnostics, Kind, SourceFile};
use crate::toml_file;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The page's heading, its `<title>` and its link text in menus: never blank.
    #[serde(deserialize_with = "non_blank")]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub weight: i64,
    /// Template to render with (default `page.html`; `home.html` for a language's `_index.md`).
    pub template: Option<String>,
    /// Listed in the site navigation.
    #[serde(default)]
    pub in_nav: bool,
}

fn non_blank<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = <String as serde::Deserialize>::deserialize(d)?;
    if text.trim().is_empty() {
        return Err(serde::de::Error::custom(
            "the title is empty: it is the page's heading and the text of every link to it",
        ));
    }
    Ok(text)
}

/// One Markdown file, parsed but not rendered.
#[derive(Debug, Clone)]
pub struct MarkdownPage {
    pub lang: String,
    /// Path inside the language folder, `/`-separated: `settings.md`, `docs/_index.md`.
    pub rel: String,
    pub front: FrontMatter,
    pub source: SourceFile,
    /// Byte offset of the body in `source.text`.
    pub body_start: usize,
}

impl MarkdownPage {
    /// The body (empty for a page loaded with [`Bodies::ReadWhenRendered`]: [`reread`]).
    pub fn body(&self) -> &str {
        self.source.text.get(self.body_start..).unwrap_or_default()
    }

    /// Site URL path: `settings.md` → `/ja/settings/`, `_index.md` → `/ja/`.
    pub fn url(&self) -> String {
        crate::urls::markdown(&self.lang, &self.rel)
    }

    pub fn is_home(&self) -> bool {
        self.rel == "_index.md"
    }
}

/// Whether a loaded page keeps its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    /// Everything is kept (`check`, `serve`: they read pages more than once).
    Keep,
    /// Only the front matter is kept; [`reread`] reads the file again when its page is
    /// rendered. A build renders each page once, and a large site's text would otherwise
    /// be most of what it holds.
    ReadWhenRendered,
}

/// The source of `page`, loaded with [`Bodies::ReadWhenRendered`], read again: checked as
/// it was when loaded, and refused if its front matter changed since (the page was
/// planned with it).
pub fn reread(root: &Path, page: &MarkdownPage) -> Result<SourceFile, Diagnostics> {
    let source = SourceFile::read(root, Path::new(&page.source.path)).map_err(|d| {
        if d.kind == Kind::NotFound {
            changed(page, "it was deleted or renamed")
        } else {
            d
        }
    })?;
    // The same front matter, ending at the same place (text appended to a closing `+++`
    // that ended the file would otherwise become the body).
    let same = source.text.get(..page.body_start) == Some(page.source.text.as_str())
        && split_front_matter(&source).is_ok_and(|(_, start)| start == page.body_start);
    if !same {
        return Err(changed(
            page,
            "its front matter is not what it was when the build started",
        )
        .into());
    }
    body_problems(&source, page.body_start).into_result()?;
    Ok(source)
}

fn changed(page: &MarkdownPage, how: &str) -> Diagnostic {
    Diagnostic::file(
        page.source.path.clone(),
        format!("the file changed while the site was being built ({how}); build again"),
    )
}

/// Loads every page of every language; also checks that each page has its twins.
pub fn load(
    root: &Path,
    languages: &[String],
    bodies: Bodies,
) -> Result<Vec<MarkdownPage>, Diagnostics> {
    let mut problems = Diagnostics::new();
    let mut pages = Vec::new();
    let mut by_lang: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for lang in languages {
        let dir = root.join("content").join(lang);
        let rels = by_lang.entry(lang.as_str()).or_default();
        if !dir.is_dir() {
            continue;
        }
        let mut files: Vec<PathBuf> = Vec::new();
        for entry in WalkDir::new(&dir).sort_by_file_name() {
            match entry {
                Ok(e)
                    if e.file_type().is_file()
                        && e.path().extension().is_some_and(|x| x == "md") =>
                {
                    files.push(e.into_path())
                }
                Ok(e) if e.path_is_symlink() && e.depth() > 0 => {
                    problems.push(Diagnostic::symlink(root, e.path()))
                }
                Ok(_) => {}
                Err(e) => problems.push(Diagnostic::walk(root, &e)),
            }
        }
        files.sort();
        for file in &files {
            // Listed even when unreadable: its twins are not missing a translation.
            rels.insert(display_path(file.strip_prefix(&dir).unwrap_or(file)));
        }
        // Reading and parsing is most of a large site's load: files in parallel, results
        // in file order.
        let read: Vec<Result<MarkdownPage, Diagnostics>> = files
            .par_iter()
            .map(|file| read_page(root, &dir, lang, file, bodies))
            .collect();
        for page in read {
            match page {
                Ok(p) => pages.push(p),
                Err(d) => problems.extend(d),
            }
        }
    }
    // Every page exists in every language.
    let all: BTreeSet<&String> = by_lang.values().flatten().collect();
    for rel in all {
        let present: Vec<&str> = by_lang
            .iter()
            .filter(|(_, s)| s.contains(rel))
            .map(|(l, _)| *l)
            .collect();
        for (lang, set) in &by_lang {
            if !set.contains(rel) {
                problems.push(Diagnostic::file(
                    format!("content/{lang}/{rel}"),
                    format!(
                        "missing translation: this page exists in {} (content/{}/{rel}) but not in `{lang}`",
                        present.join(", "),
                        present[0]
                    ),
                ).with_kind(Kind::MissingTranslation));
            }
        }
    }
    problems.into_result()?;
    Ok(pages)
}

/// One page of language `lang`, read from `file` in its folder `dir`.
fn read_page(
    root: &Path,
    dir: &Path,
    lang: &str,
    file: &Path,
    bodies: Bodies,
) -> Result<MarkdownPage, Diagnostics> {
    let rel_in_lang = display_path(file.strip_prefix(dir).unwrap_or(file));
    let rel_in_root = file.strip_prefix(root).unwrap_or(file).to_path_buf();
    if let Some(problem) = name_problem(file.strip_prefix(dir).unwrap_or(file)) {
        return Err(Diagnostic::file(display_path(&rel_in_root), problem).into());
    }
    let mut source = SourceFile::read(root, &rel_in_root)?;
    let (front, body_start) = parse_page(&source)?;
    if bodies == Bodies::ReadWhenRendered {
        source = SourceFile::new(source.path, source.text[..body_start].to_string());
    }
    Ok(MarkdownPage {
        lang: lang.to_string(),
        rel: rel_in_lang,
        front,
        source,
        body_start,
    })
}

/// What is wrong with a page's file name, which becomes its URL and appears in links.
fn name_problem(rel: &Path) -> Option<String> {
    let Some(name) = rel.to_str() else {
        return Some(
            "the file name is not valid UTF-8: it becomes the page's URL; rename the file".into(),
        );
    };
    if let Some(&(_, c)) = controls::refused(name).first() {
        return Some(format!(
            "control character {} in the file name: it becomes the page's URL; rename the file",
            controls::name(c)
        ));
    }
    // `..md` would be the page `/ja/./`, `...md` the page `/ja/../`: another page's file.
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let odd = stem
        .split(['/', std::path::MAIN_SEPARATOR])
        .find(|part| matches!(*part, "" | "." | ".."))?;
    Some(format!(
        "the page's URL would have the part `{odd}`, which names no page of its own (it would be written over another page); rename the file"
    ))
}

/// Splits a page into its front matter (parsed) and the byte offset of its body. The body
/// may not hold control characters: they would reach the HTML.
pub fn parse_page(source: &SourceFile) -> Result<(FrontMatter, usize), Diagnostics> {
    let (front_matter, body_start) = split_front_matter(source)?;
    let front = toml_file::parse_at::<FrontMatter>(
        source,
        &source.text[front_matter.clone()],
        front_matter.start,
    );
    let mut problems = body_problems(source, body_start);
    match front {
        Ok(front) if problems.is_empty() => Ok((front, body_start)),
        Ok(_) => Err(problems.into_result().unwrap_err()),
        Err(more) => {
            problems.extend(more);
            Err(problems.into_result().unwrap_err())
        }
    }
}

/// The control characters of a page's body: they would reach the HTML.
fn body_problems(source: &SourceFile, body_start: usize) -> Diagnostics {
    let mut problems = Diagnostics::new();
    for (at, c) in controls::refused(&source.text[body_start..]) {
        let at = body_start + at;
        problems.push(Diagnostic::at(
            source,
            at..at,
            format!(
                "control character {} in the page text: {}",
                controls::name(c),
                controls::ALLOWED
            ),
        ));
    }
    problems
}

/// The byte range of the front matter (between the `+++` lines) and where the body starts.
fn split_front_matter(source: &SourceFile) -> Result<(Range<usize>, usize), Diagnostic> {
    let text = &source.text;
    let first_line_end = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "+++" {
        return Err(Diagnostic::file(
            source.path.clone(),
            "missing front matter: the file must start with a `+++` line, then TOML (title = \"…\"), then `+++`",
        ));
    }
    let fm_start = first_line_end;
    let mut offset = fm_start;
    for line in text[fm_start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok((fm_start..offset, offset + line.len()));
        }
        offset += line.len();
    }
    Err(Diagnostic::file(
        source.path.clone(),
        "front matter is never closed: add a `+++` line after it",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(page: &str) -> tempfile::TempDir {
        let root = tempfile::tempdir().expect("a temp folder");
        let dir = root.path().join("content/ja");
        std::fs::create_dir_all(&dir).expect("content/ja");
        std::fs::write(dir.join("a.md"), page).expect("a.md");
        root
    }

    #[test]
    fn a_file_name_that_is_no_page_of_its_own_is_refused() {
        for name in ["..md", "...md", ".md", "sub/..md", "sub/.md"] {
            let problem = name_problem(Path::new(name)).unwrap_or_default();
            assert!(
                problem.contains("names no page of its own"),
                "{name}: {problem}"
            );
        }
        for name in [
            "a.md",
            "_index.md",
            "sub/_index.md",
            "a..b.md",
            ".hidden.md",
            "sub/a.md",
        ] {
            assert_eq!(name_problem(Path::new(name)), None, "{name}");
        }
        let root = site_with("+++\ntitle = \"A\"\n+++\n");
        std::fs::write(
            root.path().join("content/ja/...md"),
            "+++\ntitle = \"B\"\n+++\n",
        )
        .expect("...md");
        let err = load(root.path(), &["ja".to_string()], Bodies::Keep).expect_err("refused");
        assert!(err.to_string().contains("content/ja/...md"), "{err}");
    }

    #[test]
    fn a_page_loaded_without_its_body_reads_it_again_checked_as_before() {
        let root = site_with("+++\ntitle = \"A\"\n+++\nfirst body\n");
        let langs = ["ja".to_string()];
        let pages = load(root.path(), &langs, Bodies::ReadWhenRendered).expect("loads");
        assert_eq!(pages[0].body(), "", "the body is not kept");
        let file = root.path().join("content/ja/a.md");

        std::fs::write(&file, "+++\ntitle = \"A\"\n+++\nsecond body\n").expect("write");
        let source = reread(root.path(), &pages[0]).expect("the same front matter");
        assert_eq!(&source.text[pages[0].body_start..], "second body\n");

        std::fs::write(&file, "+++\ntitle = \"A\"\n+++\nbell \u{7}\n").expect("write");
        let problems = reread(root.path(), &pages[0]).expect_err("a control character");
        assert!(
            problems.to_string().contains("content/ja/a.md:4:6"),
            "{problems}"
        );

        std::fs::write(&file, "+++\ntitle = \"B\"\n+++\nfirst body\n").expect("write");
        let problems = reread(root.path(), &pages[0]).expect_err("another front matter");
        assert!(problems
            .to_string()
            .contains("changed while the site was being built"));

        std::fs::remove_file(&file).expect("remove");
        let problems = reread(root.path(), &pages[0]).expect_err("deleted");
        assert!(
            problems.to_string().contains("deleted or renamed"),
            "{problems}"
        );
        std::fs::write(&file, "+++\ntitle = \"A\"\n+++\nfirst body\n").expect("write");

        let kept = load(root.path(), &langs, Bodies::Keep).expect("loads");
        assert_eq!(kept[0].body(), "first body\n");
    }

    #[test]
    fn text_added_after_a_closing_line_that_ended_the_file_is_not_a_body() {
        let root = site_with("+++\ntitle = \"A\"\n+++");
        let langs = ["ja".to_string()];
        let pages = load(root.path(), &langs, Bodies::ReadWhenRendered).expect("loads");
        let file = root.path().join("content/ja/a.md");
        let grown = "+++\ntitle = \"A\"\n+++ = \"x\"\n+++\n# Injected\n";
        std::fs::write(&file, grown).expect("write");
        let problems = reread(root.path(), &pages[0]).expect_err("another front matter");
        assert!(
            problems.to_string().contains("changed while the site"),
            "{problems}"
        );
    }
}
