//! Writing the site: everything goes to a staging folder beside the output, which
//! then replaces the output in one step. A failed build never touches the old site.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::render::RenderedPage;

/// Files written (pages + static files).
pub struct Written {
    pub files: usize,
}

pub fn write_site(out: &Path, pages: &[RenderedPage], static_dir: &Path) -> io::Result<Written> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let previous = parent.join(format!(".{name}.previous-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let result = fill(&staging, pages, static_dir).and_then(|files| {
        swap(out, &staging, &previous)?;
        Ok(Written { files })
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn fill(staging: &Path, pages: &[RenderedPage], static_dir: &Path) -> io::Result<usize> {
    fs::create_dir_all(staging)?;
    let mut files = 0;
    if static_dir.is_dir() {
        for entry in WalkDir::new(static_dir).sort_by_file_name() {
            let entry = entry.map_err(io::Error::other)?;
            let rel = entry
                .path()
                .strip_prefix(static_dir)
                .map_err(io::Error::other)?;
            let dest = staging.join(rel);
            if entry.file_type().is_dir() {
                fs::create_dir_all(&dest)?;
            } else if entry.file_type().is_file() {
                fs::copy(entry.path(), &dest)?;
                files += 1;
            }
        }
    }
    for page in pages {
        let dest = staging.join(&page.output);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&dest, page.html.as_bytes())?;
        files += 1;
    }
    Ok(files)
}

fn swap(out: &Path, staging: &Path, previous: &Path) -> io::Result<()> {
    if out.exists() {
        let _ = fs::remove_dir_all(previous);
        fs::rename(out, previous)?;
        if let Err(e) = fs::rename(staging, out) {
            // Put the old site back rather than leave nothing.
            let _ = fs::rename(previous, out);
            return Err(e);
        }
        fs::remove_dir_all(previous)
    } else {
        fs::rename(staging, out)
    }
}

/// Refuses output folders whose replacement would delete the site's own sources.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<PathBuf, String> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Normalise `.` and `..` without touching the file system (out may not exist yet).
        let mut n = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::ParentDir => {
                    n.pop();
                }
                std::path::Component::CurDir => {}
                c => n.push(c),
            }
        }
        n
    };
    let root_abs = abs(root);
    let out_abs = abs(out);
    if root_abs.starts_with(&out_abs) {
        return Err(format!(
            "refusing to write the site to `{}`: it contains the site's sources, which the build replaces",
            out.display()
        ));
    }
    for protected in ["content", "templates", "static", "src", "tests", ".git"] {
        if out_abs.starts_with(root_abs.join(protected)) {
            return Err(format!(
                "refusing to write the site to `{}`: it is inside `{protected}/`",
                out.display()
            ));
        }
    }
    Ok(out_abs)
}
