//! Everything a build reads, loaded and validated: config, matrix, UI strings,
//! Markdown pages and templates. Later stages never touch the file system for input.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::clients::{self, LoadedClient};
use crate::config::Config;
use crate::content::{self, Bodies, MarkdownPage};
use crate::controls;
use crate::diag::{display_path, Diagnostic, Diagnostics, SourceFile};
use crate::matrix::{self, LoadedMatrix};
use crate::strings::{Needed, Strings};

pub const CONTENT_DIR: &str = "content";
pub const TEMPLATES_DIR: &str = "templates";
pub const STATIC_DIR: &str = "static";

#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub matrix: Option<LoadedMatrix>,
    /// Mail clients with setup guides, by weight; empty without `content/clients/`.
    pub clients: Vec<LoadedClient>,
    pub strings: Strings,
    pub pages: Vec<MarkdownPage>,
    /// Whether `pages` hold their bodies (else the renderer reads each again).
    pub bodies: Bodies,
    /// Template name (path under `templates/`) → source.
    pub templates: BTreeMap<String, SourceFile>,
    /// Source path → index in `pages`: every page job finds its Markdown in constant time
    /// (a scan per page made builds quadratic in the number of pages).
    page_index: HashMap<String, usize>,
}

impl Site {
    /// Loads every input, reporting the problems of all files together.
    pub fn load(root: &Path) -> Result<Site, Diagnostics> {
        Site::load_with(root, Bodies::Keep)
    }

    /// [`Site::load`], keeping the Markdown pages' bodies or not.
    pub fn load_with(root: &Path, bodies: Bodies) -> Result<Site, Diagnostics> {
        let config = Config::load(root)?;
        let languages = config.languages().to_vec();
        let mut problems = Diagnostics::new();

        // The data (matrix, then the clients it validates) and the texts (UI strings,
        // Markdown, templates) do not depend on each other: side by side, the texts load
        // while the client files, most of a small site's parsing, are read.
        let (data, texts) = rayon::join(
            || load_data(root, &config, &languages),
            || load_texts(root, &languages, bodies),
        );
        let (matrix, clients) = data;
        let matrix = matrix.unwrap_or_else(|d| {
            problems.extend(d);
            None
        });
        let clients = clients.unwrap_or_else(|d| {
            problems.extend(d);
            Vec::new()
        });
        let strings = texts.strings.unwrap_or_else(|d| {
            problems.extend(d);
            Strings::default()
        });
        let pages = texts.pages.unwrap_or_else(|d| {
            problems.extend(d);
            Vec::new()
        });
        let templates = texts.templates.unwrap_or_else(|d| {
            problems.extend(d);
            BTreeMap::new()
        });
        let mut needs = vec![Needed::Always];
        if matrix.is_some() {
            needs.push(Needed::WithMatrix);
        }
        if !clients.is_empty() {
            needs.push(Needed::WithClients);
        }
        problems.extend(strings.missing_engine_keys(root, &needs));
        problems.into_result()?;
        let page_index = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.source.path.clone(), i))
            .collect();
        Ok(Site {
            root: root.to_path_buf(),
            config,
            matrix,
            clients,
            strings,
            pages,
            bodies,
            templates,
            page_index,
        })
    }

    pub fn languages(&self) -> &[String] {
        self.config.languages()
    }

    /// The Markdown page read from `source` (its path under the root).
    pub fn page_at(&self, source: &str) -> Option<usize> {
        self.page_index.get(source).copied()
    }
}

type Loaded<T> = Result<T, Diagnostics>;

/// The matrix and the clients (validated against it when it loaded).
fn load_data(
    root: &Path,
    config: &Config,
    languages: &[String],
) -> (Loaded<Option<LoadedMatrix>>, Loaded<Vec<LoadedClient>>) {
    let matrix = match &config.matrix {
        Some(rel) => matrix::load(root, rel.get_ref(), languages).map(Some),
        None => Ok(None),
    };
    let valid = matrix
        .as_ref()
        .ok()
        .and_then(|m| m.as_ref())
        .map(|m| &m.matrix);
    let clients = clients::load(root, languages, valid);
    (matrix, clients)
}

/// The UI strings, the Markdown pages and the templates, each loaded or not.
struct Texts {
    strings: Loaded<Strings>,
    pages: Loaded<Vec<MarkdownPage>>,
    templates: Loaded<BTreeMap<String, SourceFile>>,
}

fn load_texts(root: &Path, languages: &[String], bodies: Bodies) -> Texts {
    Texts {
        strings: Strings::load(root, languages),
        pages: content::load(root, languages, bodies),
        templates: load_templates(root),
    }
}

fn load_templates(root: &Path) -> Result<BTreeMap<String, SourceFile>, Diagnostics> {
    let dir = root.join(TEMPLATES_DIR);
    if !dir.is_dir() {
        return Err(Diagnostic::file(TEMPLATES_DIR, "the templates folder is missing").into());
    }
    let mut out = BTreeMap::new();
    let mut problems = Diagnostics::new();
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(Diagnostic::walk(root, &e));
                continue;
            }
        };
        let name = display_path(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        if entry.path_is_symlink() && entry.depth() > 0 {
            problems.push(Diagnostic::symlink(root, entry.path()));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        match SourceFile::read(root, &rel) {
            Ok(src) => {
                // What a template holds is copied into every page it renders.
                for (at, c) in controls::refused(&src.text) {
                    problems.push(Diagnostic::at(
                        &src,
                        at..at,
                        format!(
                            "control character {} in the template: {}",
                            controls::name(c),
                            controls::ALLOWED
                        ),
                    ));
                }
                out.insert(name, src);
            }
            Err(d) => problems.push(d),
        }
    }
    problems.into_result()?;
    Ok(out)
}
