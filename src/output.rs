//! Writing the site: everything goes to a staging folder beside the output, which
//! then replaces the output in one step. A failed build never touches the old site.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use walkdir::WalkDir;

use crate::render::RenderedPage;

/// Files written (pages + static files).
pub struct Written {
    pub files: usize,
}

/// What happens to the replaced output once the new one is in place.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Cleanup {
    /// Delete it before returning (`build`: nothing is left behind when the process exits).
    #[default]
    Wait,
    /// Delete it on a background thread (`serve`: deleting a hundred files costs more than
    /// writing them, and the reload should not wait for it).
    Background,
}

/// Makes staging and previous-output names unique per write, so a background deletion
/// never collides with the next rebuild.
static SEQUENCE: AtomicU64 = AtomicU64::new(0);

pub fn write_site(
    out: &Path,
    pages: &[RenderedPage],
    static_dir: &Path,
    cleanup: Cleanup,
) -> io::Result<Written> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let tag = format!(
        "{}-{}",
        std::process::id(),
        SEQUENCE.fetch_add(1, Ordering::Relaxed)
    );
    let staging = parent.join(format!(".{name}.staging-{tag}"));
    let previous = parent.join(format!(".{name}.previous-{tag}"));
    let _ = fs::remove_dir_all(&staging);
    let result = fill(&staging, pages, static_dir).and_then(|files| {
        if swap(out, &staging, &previous)? {
            match cleanup {
                Cleanup::Wait => fs::remove_dir_all(&previous)?,
                Cleanup::Background => {
                    std::thread::spawn(move || fs::remove_dir_all(previous));
                }
            }
        }
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

/// Puts `staging` in place of `out`; true when an old output was moved to `previous`.
fn swap(out: &Path, staging: &Path, previous: &Path) -> io::Result<bool> {
    if out.exists() {
        fs::rename(out, previous)?;
        if let Err(e) = fs::rename(staging, out) {
            // Put the old site back rather than leave nothing.
            let _ = fs::rename(previous, out);
            return Err(e);
        }
        Ok(true)
    } else {
        fs::rename(staging, out)?;
        Ok(false)
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
