//! Writing the site: everything goes to a staging folder beside the output, which
//! then replaces the output in one step. A failed build never touches the old site.
//!
//! mailsite only ever replaces or deletes files it wrote: every output carries a marker
//! file ([`MARKER`]) that lists the files of the output, and an existing `--out` folder is
//! replaced only when it is empty, or carries a marker and holds nothing the marker does not
//! list (a file added by hand stops the build instead of being deleted). Staging and
//! previous-output folders left behind by a killed build are recognised by their exact
//! names, their marker and their dead process, and collected by the next build of the same
//! output.

mod staging;

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::AtomicU64;

use walkdir::WalkDir;

use crate::site::{CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR};

pub use staging::{write_site, Staging};

/// The file that makes a folder a mailsite output: [`MARKER_HEADER`], then the path of every
/// file the build wrote, one a line, sorted (two builds of the same input stay
/// byte-identical).
pub const MARKER: &str = ".mailsite-output";
const MARKER_HEADER: &str = "This folder was written by mailsite. `mailsite build` replaces the files listed\nbelow and refuses to delete any other: put files of your own in the site's static/\nfolder, which every build copies.\n\n";
/// The whole marker of mailsite versions that listed no files: such an output is replaced
/// as those versions did (the next build writes a list).
const LEGACY_MARKER_TEXT: &str = "This folder was written by mailsite. `mailsite build` replaces all of it;\nput files of your own in the site's static/ folder instead.\n";

/// The marker of an output holding `files` (`/`-separated paths below it).
fn marker_text(files: &mut [String]) -> String {
    files.sort_unstable();
    let mut text = String::from(MARKER_HEADER);
    for f in files.iter() {
        text.push_str(&escape_path(f));
        text.push('\n');
    }
    text
}

/// A path on one line of the marker (a static file's name may hold a line break).
fn escape_path(path: &str) -> std::borrow::Cow<'_, str> {
    if !path.contains(['\\', '\n', '\r']) {
        return std::borrow::Cow::Borrowed(path);
    }
    std::borrow::Cow::Owned(
        path.replace('\\', "\\\\")
            .replace('\n', "\\n")
            .replace('\r', "\\r"),
    )
}

/// What a folder's marker says.
enum Marked {
    /// No marker file, or one mailsite did not write.
    No,
    /// The marker of a version that listed no files.
    Legacy,
    /// The files the output holds, escaped as in the marker.
    Files(HashSet<String>),
}

fn read_marker(dir: &Path) -> Marked {
    let path = dir.join(MARKER);
    if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return Marked::No;
    }
    let Ok(text) = fs::read_to_string(&path) else {
        return Marked::No;
    };
    if text == LEGACY_MARKER_TEXT {
        return Marked::Legacy;
    }
    match text.strip_prefix(MARKER_HEADER) {
        Some(list) => Marked::Files(list.lines().map(str::to_string).collect()),
        None => Marked::No,
    }
}

/// What `dir` holds that `listed` does not name: files, links and folders that are not
/// the folders of a listed file (paths below `dir`, sorted).
fn strangers(dir: &Path, listed: &HashSet<String>) -> Result<Vec<String>, String> {
    let mut folders: HashSet<&str> = HashSet::new();
    for file in listed {
        let mut at = file.as_str();
        while let Some((parent, _)) = at.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            at = parent;
        }
    }
    let mut found = Vec::new();
    let mut walk = WalkDir::new(dir).min_depth(1).into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(|e| format!("cannot read the folder: {e}"))?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        if rel == Path::new(MARKER) {
            continue;
        }
        let known = rel.to_str().is_some_and(|r| {
            // The marker's paths are `/`-separated on every system.
            let r: std::borrow::Cow<'_, str> = match std::path::MAIN_SEPARATOR {
                '/' => r.into(),
                sep => r.replace(sep, "/").into(),
            };
            let r = escape_path(&r);
            match entry.file_type().is_dir() {
                true => folders.contains(r.as_ref()),
                false => listed.contains(r.as_ref()),
            }
        });
        if !known {
            found.push(rel.to_string_lossy().into_owned());
            if entry.file_type().is_dir() {
                // Named once, as a whole.
                walk.skip_current_dir();
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Why the output may not be replaced, found when the new site is ready to take its place:
/// reported like the refusals before a build (`cannot be the output folder: …`).
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

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

/// The output folder, checked: it may be replaced (see [`check_out_dir`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutDir {
    /// Absolute, with its parent's symlinks resolved.
    path: PathBuf,
}

impl OutDir {
    pub fn path(&self) -> &Path {
        &self.path
    }
    fn parent(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("/"))
    }
    fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into())
    }
}

/// A folder mailsite wrote: it carries the marker as a regular file.
fn is_ours(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// Whether an existing path may be replaced by an output: a real folder (not a link, not a
/// file) that is empty or carries the marker.
///
/// `look_inside`: also walk a marked output for what its marker does not list. The swap
/// does, right before it replaces the output (files may be added while a build runs); the
/// check before a build reads only the marker, so a large output is walked once a build.
fn replaceable(out: &Path, meta: &fs::Metadata, look_inside: bool) -> Result<(), String> {
    if meta.file_type().is_symlink() {
        return Err("cannot be the output folder: it is a symbolic link; give the folder it points to as --out".to_string());
    }
    if !meta.is_dir() {
        return Err(
            "cannot be the output folder: it is a file, not a folder; choose another --out folder"
                .to_string(),
        );
    }
    match read_marker(out) {
        Marked::Legacy => return Ok(()),
        Marked::Files(_) if !look_inside => return Ok(()),
        Marked::Files(listed) => {
            let strangers = strangers(out, &listed)?;
            if strangers.is_empty() {
                return Ok(());
            }
            let shown: Vec<String> = strangers
                .iter()
                .take(3)
                .map(|s| format!("`{}`", crate::controls::escape_line(s)))
                .collect();
            let more = match strangers.len() {
                n if n > 3 => format!(" and {} more", n - 3),
                _ => String::new(),
            };
            return Err(format!(
                "cannot be the output folder: it holds what mailsite did not write ({}{more}), which a build would delete; move it to the site's static/ folder, which every build copies, or delete it",
                shown.join(", ")
            ));
        }
        Marked::No => {}
    }
    let empty = fs::read_dir(out)
        .map_err(|e| format!("cannot read the folder: {e}"))?
        .next()
        .is_none();
    if empty {
        Ok(())
    } else {
        Err(format!(
            "cannot be the output folder: it is not empty and was not written by mailsite (it has no `{MARKER}` file); choose another --out folder, or empty this one"
        ))
    }
}

/// Removes the staging and previous-output folders of `name` in `parent` that a killed
/// build left behind: exact names only, marked (or empty), and of a process that is gone.
fn collect_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| leftover_pid(n, name)) else {
            continue;
        };
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || process_alive(pid) {
            continue;
        }
        let empty = fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none());
        if is_ours(&path) || empty {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// The process id in `.NAME.staging-PID-SEQ` or `.NAME.previous-PID-SEQ`, else `None`.
fn leftover_pid(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?;
    let rest = rest
        .strip_prefix(".staging-")
        .or_else(|| rest.strip_prefix(".previous-"))?;
    let (pid, seq) = rest.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(pid) && digits(seq)).then(|| pid.parse().ok())?
}

/// Whether a process with this id runs. Where that cannot be known, it is assumed to run,
/// so nothing of a live build is ever removed.
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc_fs = Path::new("/proc");
    if proc_fs.join("self").exists() {
        return proc_fs.join(pid.to_string()).exists();
    }
    true
}

/// Refuses output folders that are not mailsite's to replace, before anything is built:
/// the site root or a folder holding it, the site's inputs, a file, a symbolic link, or an
/// existing folder that is neither empty nor marked as a mailsite output. Paths are
/// compared after resolving symbolic links (of the root and of the output's parent).
pub fn check_out_dir(root: &Path, out: &Path) -> Result<OutDir, String> {
    let (root_real, out_real) =
        real_paths(root, out).map_err(|e| e.replace("{what}", "cannot be the output folder"))?;
    if root_real.starts_with(&out_real) {
        return Err("cannot be the output folder: it contains the site's sources, which the build would replace; choose a folder outside them (default: public/)".to_string());
    }
    if let Some(input) = source_folder(&root_real, &out_real) {
        return Err(format!(
            "cannot be the output folder: it is inside the site's `{input}/` folder; choose a folder outside the sources (default: public/)"
        ));
    }
    match fs::symlink_metadata(&out_real) {
        Ok(meta) => replaceable(out, &meta, false)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot use it as the output folder: {e}")),
    }
    Ok(OutDir { path: out_real })
}

/// The site root and `out` as the system finds them (see [`resolve_parent`]); errors say
/// `{what}` where the caller names what `out` was to be.
fn real_paths(root: &Path, out: &Path) -> Result<(PathBuf, PathBuf), String> {
    let root_real = fs::canonicalize(root)
        .map_err(|e| format!("cannot use `{}` as the site root: {e}", root.display()))?;
    let absolute = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| format!("cannot read the current folder: {e}"))?
            .join(out)
    };
    let out_real = resolve_parent(&absolute)
        .ok_or_else(|| "{what}: it names no file or folder".to_string())?;
    Ok((root_real, out_real))
}

/// The site's input folder (`content`, `templates`, `static`) that holds `path`, if any.
fn source_folder(root_real: &Path, path: &Path) -> Option<&'static str> {
    [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR]
        .into_iter()
        .find(|input| {
            let dir = root_real.join(input);
            path.starts_with(fs::canonicalize(&dir).unwrap_or(dir))
        })
}

/// Refuses a file a command (`profile --out`) may not write: one inside the site's
/// sources or its `mailsite.toml`, a symbolic link, anything that is not a regular file,
/// and, unless `overwrite`, any file that exists (mailsite cannot know it wrote it).
pub fn check_out_file(root: &Path, out: &Path, overwrite: bool) -> Result<PathBuf, String> {
    let (root_real, out_real) =
        real_paths(root, out).map_err(|e| e.replace("{what}", "cannot write the file"))?;
    if let Some(input) = source_folder(&root_real, &out_real) {
        return Err(format!(
            "cannot write the file: it is inside the site's `{input}/` folder; choose a path outside the sources"
        ));
    }
    if out_real == root_real.join(crate::config::CONFIG_FILE) || root_real.starts_with(&out_real) {
        return Err("cannot write the file: it is the site's own; choose another path".to_string());
    }
    match fs::symlink_metadata(&out_real) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(out_real),
        Err(e) => Err(format!("cannot write the file: {e}")),
        Ok(meta) if meta.file_type().is_symlink() => Err(
            "cannot write the file: it is a symbolic link; give the path it points to".to_string(),
        ),
        Ok(meta) if !meta.is_file() => {
            Err("cannot write the file: it exists and is not a file; choose another path".to_string())
        }
        Ok(_) if overwrite => Ok(out_real),
        Ok(_) => Err(
            "cannot write the file: it exists, and mailsite does not replace a file it cannot tell it wrote; choose another path, delete it, or add --force".to_string(),
        ),
    }
}

/// `path` as the system will find it: each folder on the way with its symbolic links
/// resolved before the `..` after it applies (as the kernel does: `link/..` is the parent of
/// the link's target, not the folder holding the link); the last component stays as written
/// (a link there is refused, not followed). Folders that do not exist yet are kept as
/// written.
fn resolve_parent(path: &Path) -> Option<PathBuf> {
    let real = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut at = PathBuf::new();
    let mut last_is_name = false;
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                at = real(&at);
                at.pop();
                last_is_name = false;
            }
            Component::Normal(name) => {
                at = real(&at);
                at.push(name);
                last_is_name = true;
            }
            c => {
                at.push(c);
                last_is_name = false;
            }
        }
    }
    if !last_is_name {
        // Ends in `..` (or is the root): a folder that exists, named by its real path.
        at.file_name()?;
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names_are_matched_exactly() {
        assert_eq!(leftover_pid(".public.staging-123-0", "public"), Some(123));
        assert_eq!(leftover_pid(".public.previous-9-14", "public"), Some(9));
        for other in [
            ".public.staging-123",
            ".public.staging-12a-0",
            ".publicx.staging-1-0",
            ".other.staging-1-0",
            "public.staging-1-0",
            ".public.staging--0",
            ".public.backup-1-0",
        ] {
            assert_eq!(leftover_pid(other, "public"), None, "{other}");
        }
    }

    #[test]
    fn the_running_process_is_alive() {
        assert!(process_alive(std::process::id()));
    }
}
