//! The staging folder a build writes into, beside the output, and the swap that puts it
//! in the output's place. Pages may be written while others still render (from several
//! threads); until [`Staging::finish`] nothing of the old output changes, and a staging
//! folder that is dropped unfinished (a failed build) is removed.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use walkdir::WalkDir;

use super::{
    collect_leftovers, is_ours, marker_text, replaceable, Cleanup, OutDir, Refused, MARKER,
    SEQUENCE,
};
use crate::generated::OutputFile;
use crate::render::RenderedPage;

/// A new output being written; it replaces the old one when finished.
pub struct Staging {
    out: OutDir,
    dir: PathBuf,
    previous: PathBuf,
    /// Whether there is an output to compare with (a first build has none: no file of it
    /// is opened to find that out).
    has_output: bool,
    /// Folders below `dir` known to exist, so each is created once.
    made: Mutex<HashSet<PathBuf>>,
    /// Every file written (`/`-separated paths), for the marker.
    written: Mutex<Vec<String>>,
    files: AtomicUsize,
    finished: bool,
}

impl Staging {
    /// Creates the staging folder (with the marker) beside `out`, after collecting the
    /// leftovers of killed builds of the same output.
    pub fn create(out: &OutDir) -> io::Result<Staging> {
        let parent = out.parent();
        fs::create_dir_all(parent)?;
        let name = out.name();
        collect_leftovers(parent, &name);
        let tag = format!(
            "{}-{}",
            std::process::id(),
            SEQUENCE.fetch_add(1, Ordering::Relaxed)
        );
        let dir = parent.join(format!(".{name}.staging-{tag}"));
        // `create_dir` (not `_all`) fails if the name is taken: a staging folder is new.
        fs::create_dir(&dir)?;
        let staging = Staging {
            out: out.clone(),
            previous: parent.join(format!(".{name}.previous-{tag}")),
            has_output: out.path().is_dir(),
            dir,
            made: Mutex::new(HashSet::new()),
            written: Mutex::new(Vec::new()),
            files: AtomicUsize::new(0),
            finished: false,
        };
        // The marker first: a build killed half-way leaves a folder the next build removes.
        // It lists the files once they are all written.
        fs::write(staging.dir.join(MARKER), marker_text(&mut []))?;
        Ok(staging)
    }

    /// Files written so far (pages, static and generated files; not the marker).
    pub fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Copies the site's `static/` folder (its own marker file, if any, excepted).
    pub fn copy_static(&self, static_dir: &Path) -> io::Result<()> {
        if !static_dir.is_dir() {
            return Ok(());
        }
        for entry in WalkDir::new(static_dir).sort_by_file_name() {
            let entry = entry.map_err(io::Error::other)?;
            let rel = entry
                .path()
                .strip_prefix(static_dir)
                .map_err(io::Error::other)?;
            if rel == Path::new(MARKER) || !entry.file_type().is_file() {
                continue;
            }
            let bytes = fs::read(entry.path())?;
            self.write(&rel.to_string_lossy(), &bytes)?;
        }
        Ok(())
    }

    /// Writes one file at `rel` (a `/`-separated path below the output). A file the current
    /// output already holds with the same bytes is linked instead of written again, so an
    /// unchanged file keeps its time stamp (and a disk is spared the write).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let dest = self.dir.join(rel);
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(rel.to_string());
        if let Some(dir) = dest.parent() {
            self.make_dirs(dir)?;
        }
        if self.has_output {
            let old = self.out.path().join(rel);
            if same_bytes(&old, bytes) && fs::hard_link(&old, &dest).is_ok() {
                self.files.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
        }
        fs::write(&dest, bytes)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Creates `dir` and its parents up to the staging folder, never above it: if the
    /// staging folder has gone (removed under the build), writing fails instead of
    /// recreating it.
    fn make_dirs(&self, dir: &Path) -> io::Result<()> {
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        let mut missing = Vec::new();
        let mut at = dir;
        while at != self.dir && !made.contains(at) {
            missing.push(at.to_path_buf());
            at = at
                .parent()
                .ok_or_else(|| io::Error::other("outside the staging folder"))?;
        }
        for d in missing.into_iter().rev() {
            match fs::create_dir(&d) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && d.is_dir() => {}
                Err(e) => return Err(e),
            }
            made.insert(d);
        }
        Ok(())
    }

    /// Puts the staging folder in place of the output and deletes the old output.
    pub fn finish(mut self, cleanup: Cleanup) -> io::Result<usize> {
        let mut written =
            std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        fs::write(self.dir.join(MARKER), marker_text(&mut written))?;
        let replaced = swap(self.out.path(), &self.dir, &self.previous)?;
        self.finished = true;
        if replaced {
            match cleanup {
                Cleanup::Wait => fs::remove_dir_all(&self.previous)?,
                Cleanup::Background => {
                    let previous = self.previous.clone();
                    std::thread::spawn(move || fs::remove_dir_all(previous));
                }
            }
        }
        Ok(self.files())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished && is_ours(&self.dir) {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Whether the file at `path` holds exactly `bytes` (a missing file does not).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    if file.metadata().map(|m| m.len()).ok() != Some(bytes.len() as u64) {
        return false;
    }
    let mut old = Vec::with_capacity(bytes.len());
    file.read_to_end(&mut old).is_ok() && old == bytes
}

/// Writes a site rendered in memory (`serve`, which renders before it may write).
pub fn write_site(
    out: &OutDir,
    pages: &[RenderedPage],
    files: &[OutputFile],
    static_dir: &Path,
    cleanup: Cleanup,
) -> io::Result<usize> {
    let staging = Staging::create(out)?;
    staging.copy_static(static_dir)?;
    for f in files {
        staging.write(&f.path, &f.bytes)?;
    }
    for p in pages {
        staging.write(&p.output, p.html.as_bytes())?;
    }
    staging.finish(cleanup)
}

/// Puts `staging` in place of `out`; true when an old output was moved to `previous`.
fn swap(out: &Path, staging: &Path, previous: &Path) -> io::Result<bool> {
    match fs::symlink_metadata(out) {
        Ok(meta) => {
            // Checked before rendering; checked again here because the folder may have
            // changed since (a long build, another process).
            if let Err(why) = replaceable(out, &meta, true) {
                return Err(io::Error::other(Refused(why)));
            }
            fs::rename(out, previous)?;
            if let Err(e) = fs::rename(staging, out) {
                // Put the old site back rather than leave nothing.
                let _ = fs::rename(previous, out);
                return Err(e);
            }
            Ok(true)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::rename(staging, out)?;
            Ok(false)
        }
        Err(e) => Err(e),
    }
}
