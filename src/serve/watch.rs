//! File watching for `serve`: which folders are watched, which events count, and the
//! debouncer (native events by default, polling with `--poll`).
//!
//! Folders are watched, not files, so that editors that save by writing a temporary file
//! and renaming it over the original are seen. The site root itself is watched without
//! recursion only for its config file; the output folder is never under a watched path
//! that counts, so a build never triggers another build.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, EventKind, MetadataKind, ModifyKind};
use notify_debouncer_full::notify::{self, PollWatcher, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer, new_debouncer_opt, DebounceEventResult, DebouncedEvent, NoCache,
};

use crate::config::CONFIG_FILE;
use crate::site::{CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR};

/// The input folders that are watched recursively.
pub const WATCHED_DIRS: [&str; 3] = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR];

/// What [`changed_inputs`] reports when the watcher lost events (the kernel's event
/// queue overflowed): anything may have changed, so the site is rebuilt and reloaded.
pub const RESCAN: &str = "(rescan)";

/// A hidden folder that is part of what gets published (RFC 8615), so it counts.
const WELL_KNOWN: &str = ".well-known";

/// How often `--poll` scans the watched folders.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// Keeps the watcher alive; dropping it stops watching.
pub struct WatchGuard {
    _inner: std::sync::Arc<std::sync::Mutex<Box<dyn Rewatch>>>,
}

/// A watcher that can watch a folder again (a folder that was removed and made anew is a
/// new folder: the watch on the old one ended with it).
trait Rewatch: Send {
    fn rewatch(&mut self, dir: &Path);
}

impl<T: notify::Watcher + Send, C: notify_debouncer_full::FileIdCache + Send> Rewatch
    for notify_debouncer_full::Debouncer<T, C>
{
    fn rewatch(&mut self, dir: &Path) {
        let _ = self.unwatch(dir);
        if let Err(e) = self.watch(dir, RecursiveMode::Recursive) {
            eprintln!(
                "warning: cannot watch {} again: {e}; restart `mailsite serve` to see its changes",
                dir.display()
            );
        }
    }
}

/// A handle on the running watcher, for the rebuild thread. It does not keep the watcher
/// alive: dropping the guard stops watching, which ends the rebuild thread's channel.
#[derive(Clone)]
pub struct Rewatcher(std::sync::Weak<std::sync::Mutex<Box<dyn Rewatch>>>);

impl Rewatcher {
    /// Watches again each input folder that a batch of events made anew at the root
    /// (restored from a backup, renamed back, checked out).
    pub fn renew(&self, root: &Path, events: &[DebouncedEvent]) {
        use notify::event::{CreateKind, ModifyKind, RenameMode};
        for e in events {
            let made = matches!(
                e.kind,
                EventKind::Create(CreateKind::Folder | CreateKind::Any)
                    | EventKind::Modify(ModifyKind::Name(
                        RenameMode::To | RenameMode::Both | RenameMode::Any
                    ))
            );
            for path in e.paths.iter().filter(|p| made && is_input_folder(root, p)) {
                if let (true, Some(watcher)) = (path.is_dir(), self.0.upgrade()) {
                    let mut w = watcher.lock().unwrap_or_else(|e| e.into_inner());
                    w.rewatch(path);
                }
            }
        }
    }
}

/// Whether `path` is one of the watched input folders itself (`root/content`, …).
fn is_input_folder(root: &Path, path: &Path) -> bool {
    path.parent() == Some(root)
        && path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| WATCHED_DIRS.contains(&n))
}

/// Starts watching `root`; the debouncer checks every `tick` and sends every debounced batch
/// of events to `tx`.
/// Returns the guard, a handle that watches folders again, and the folders actually
/// watched (missing ones are skipped: the root's watch sees them when they come).
pub fn start(
    root: &Path,
    debounce: Duration,
    tick: Duration,
    poll: bool,
    tx: Sender<DebounceEventResult>,
) -> notify::Result<(WatchGuard, Rewatcher, Vec<PathBuf>)> {
    let mut watched = Vec::new();
    let targets: Vec<(PathBuf, RecursiveMode)> = WATCHED_DIRS
        .iter()
        .map(|d| (root.join(d), RecursiveMode::Recursive))
        .filter(|(p, _)| p.is_dir())
        .chain(std::iter::once((
            root.to_path_buf(),
            RecursiveMode::NonRecursive,
        )))
        .collect();
    let tick = Some(tick.min(debounce));
    let watcher: Box<dyn Rewatch> = if poll {
        // notify's poller compares modification times in whole seconds; comparing contents
        // too catches a second save within the same second (the inputs are small).
        let config = notify::Config::default()
            .with_poll_interval(POLL_INTERVAL)
            .with_compare_contents(true);
        let mut d =
            new_debouncer_opt::<_, PollWatcher, NoCache>(debounce, tick, tx, NoCache, config)?;
        for (p, mode) in &targets {
            d.watch(p, *mode)?;
            watched.push(p.clone());
        }
        Box::new(d)
    } else {
        let mut d = new_debouncer(debounce, tick, tx)?;
        for (p, mode) in &targets {
            d.watch(p, *mode)?;
            watched.push(p.clone());
        }
        Box::new(d)
    };
    let inner = std::sync::Arc::new(std::sync::Mutex::new(watcher));
    let rewatcher = Rewatcher(std::sync::Arc::downgrade(&inner));
    Ok((WatchGuard { _inner: inner }, rewatcher, watched))
}

/// Editor temporary, swap and backup files (after Zola's `is_temp_file`).
pub fn is_temp_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        // vim swap files (.swp, .swx, .swo, …), generic temp files, kate, Helix backups.
        if matches!(
            ext,
            "swp" | "swx" | "swo" | "swn" | "tmp" | "temp" | "bak" | "kate-swp" | "bck" | "crswap"
        ) {
            return true;
        }
    }
    name.ends_with('~')                              // emacs / vim / gedit backups
        || name.starts_with(".#")                    // emacs lock files
        || (name.starts_with('#') && name.ends_with('#')) // emacs auto-save
        || name == "4913"                            // vim's "can I write here" probe
        || name.ends_with("___jb_tmp___")            // JetBrains safe write
        || name.ends_with("___jb_old___")
        || name.starts_with(".goutputstream-")       // GNOME
        || name.starts_with(".~lock.")               // LibreOffice
        || name == ".DS_Store"
        || name.starts_with("._") // macOS resource forks
}

/// Whether `path` (absolute, under `root`) is an input of the site.
pub fn is_input(root: &Path, out: &Path, path: &Path) -> bool {
    if path.starts_with(out) || is_temp_file(path) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    if rel == Path::new(CONFIG_FILE) {
        return true;
    }
    let mut comps = rel.components();
    let Some(first) = comps.next().and_then(|c| c.as_os_str().to_str()) else {
        return false;
    };
    if !WATCHED_DIRS.contains(&first) || comps.next().is_none() {
        return false;
    }
    // Hidden folders inside the inputs (e.g. `.git`, editor state) do not count, except
    // `.well-known`. Hidden files do (the build copies `static/.htaccess`); editor
    // temporary files among them are caught by name above.
    let folders = rel.parent().unwrap_or(Path::new(""));
    let in_hidden_folder = folders.components().skip(1).any(is_hidden);
    // A hidden folder itself (created, say, by `git init`) does not count either.
    let is_hidden_folder = rel.components().next_back().is_some_and(is_hidden) && path.is_dir();
    !in_hidden_folder && !is_hidden_folder
}

fn is_hidden(c: std::path::Component<'_>) -> bool {
    c.as_os_str()
        .to_str()
        .is_some_and(|s| s.starts_with('.') && s != WELL_KNOWN)
}

/// Whether an event is about a folder (not a file) with a hidden name: creating or
/// removing `.git` is not a change to the site.
fn is_hidden_folder_event(e: &DebouncedEvent) -> bool {
    use notify::event::{CreateKind, RemoveKind};
    matches!(
        e.kind,
        EventKind::Create(CreateKind::Folder) | EventKind::Remove(RemoveKind::Folder)
    ) && e
        .paths
        .iter()
        .all(|p| p.components().next_back().is_some_and(is_hidden))
}

/// Whether an event kind may change what a build produces (reads and access-time
/// updates do not: the build's own reads must never trigger a build).
fn kind_counts(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(notify::event::AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(m)) => {
            matches!(
                m,
                MetadataKind::WriteTime | MetadataKind::Permissions | MetadataKind::Any
            )
        }
        EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
        EventKind::Other => false,
    }
}

/// The site inputs touched by a batch of events, sorted and without duplicates; just
/// [`RESCAN`] if the watcher may have missed events.
pub fn changed_inputs(root: &Path, out: &Path, events: &[DebouncedEvent]) -> Vec<PathBuf> {
    // inotify's queue overflowed (or another backend lost track): an event with the
    // `Rescan` flag, usually of kind `Other` and without paths. Any input may have changed.
    if events.iter().any(|e| e.need_rescan()) {
        return vec![PathBuf::from(RESCAN)];
    }
    // An input folder removed, made or renamed as a whole changes everything in it.
    let whole_folder = |e: &DebouncedEvent, p: &Path| {
        matches!(
            e.kind,
            EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        ) && is_input_folder(root, p)
    };
    let mut changed: Vec<PathBuf> = events
        .iter()
        .filter(|e| kind_counts(&e.kind) && !is_hidden_folder_event(e))
        .flat_map(|e| e.paths.iter().map(move |p| (e, p)))
        .filter(|(e, p)| is_input(root, out, p) || whole_folder(e, p))
        .map(|(_, p)| p.strip_prefix(root).unwrap_or(p).to_path_buf())
        .collect();
    changed.sort();
    changed.dedup();
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_files_are_recognised() {
        for t in [
            "content/en/.settings.md.swp",
            "content/en/settings.md.swx",
            "content/en/settings.md~",
            "content/en/.#settings.md",
            "content/en/#settings.md#",
            "content/en/4913",
            "content/en/x.tmp",
            "content/en/settings.md___jb_tmp___",
            "content/en/settings.md___jb_old___",
        ] {
            assert!(is_temp_file(Path::new(t)), "{t}");
        }
        for f in [
            "content/en/settings.md",
            "content/matrix.toml",
            "static/style.css",
            "templates/base.html",
        ] {
            assert!(!is_temp_file(Path::new(f)), "{f}");
        }
    }

    #[test]
    fn a_lost_event_queue_rebuilds_everything() {
        use notify_debouncer_full::notify::event::{Event, Flag};
        use std::time::Instant;
        let root = Path::new("/site");
        let out = Path::new("/tmp/out");
        // What notify's inotify backend sends on IN_Q_OVERFLOW.
        let overflow = DebouncedEvent::new(
            Event::new(EventKind::Other).set_flag(Flag::Rescan),
            Instant::now(),
        );
        let edit = DebouncedEvent::new(
            Event::new(EventKind::Modify(ModifyKind::Any)).add_path("/site/content/en/a.md".into()),
            Instant::now(),
        );
        assert_eq!(
            changed_inputs(root, out, std::slice::from_ref(&edit)),
            vec![PathBuf::from("content/en/a.md")]
        );
        assert_eq!(
            changed_inputs(root, out, &[edit, overflow.clone()]),
            vec![PathBuf::from(RESCAN)]
        );
        assert_eq!(
            changed_inputs(root, out, &[overflow]),
            vec![PathBuf::from(RESCAN)]
        );
        // Without the flag, `Other` events without paths stay ignored.
        let other = DebouncedEvent::new(Event::new(EventKind::Other), Instant::now());
        assert!(changed_inputs(root, out, &[other]).is_empty());
    }

    #[test]
    fn hidden_files_count_hidden_folders_do_not() {
        let root = Path::new("/site");
        let out = Path::new("/tmp/out");
        assert!(is_input(root, out, Path::new("/site/static/.htaccess")));
        assert!(is_input(root, out, Path::new("/site/content/en/.draft.md")));
        assert!(is_input(
            root,
            out,
            Path::new("/site/static/.well-known/security.txt")
        ));
        assert!(!is_input(root, out, Path::new("/site/static/.git/HEAD")));
        assert!(!is_input(
            root,
            out,
            Path::new("/site/content/.cache/en/a.md")
        ));
        assert!(!is_input(
            root,
            out,
            Path::new("/site/content/en/.settings.md.swp")
        ));
        assert!(!is_input(
            root,
            out,
            Path::new("/site/content/en/.#settings.md")
        ));
        assert!(!is_input(root, out, Path::new("/site/static/.DS_Store")));

        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("static/.git")).unwrap();
        std::fs::write(root.join("static/.nojekyll"), "").unwrap();
        assert!(!is_input(root, out, &root.join("static/.git")));
        assert!(is_input(root, out, &root.join("static/.nojekyll")));
        let removed = DebouncedEvent::new(
            notify::Event::new(EventKind::Remove(notify::event::RemoveKind::Folder))
                .add_path(root.join("static/.cache")),
            std::time::Instant::now(),
        );
        assert!(changed_inputs(root, out, &[removed]).is_empty());
    }

    #[test]
    fn only_inputs_count() {
        let root = Path::new("/site");
        let out = Path::new("/site/.out");
        assert!(is_input(root, out, Path::new("/site/content/en/a.md")));
        assert!(is_input(root, out, Path::new("/site/mailsite.toml")));
        assert!(is_input(root, out, Path::new("/site/static/style.css")));
        assert!(!is_input(root, out, Path::new("/site/content")));
        assert!(!is_input(root, out, Path::new("/site/public/index.html")));
        assert!(!is_input(root, out, Path::new("/site/.out/index.html")));
        assert!(!is_input(root, out, Path::new("/site/README.md")));
        assert!(!is_input(root, out, Path::new("/site/content/.git/HEAD")));
        assert!(!is_input(root, out, Path::new("/site/content/en/a.md.swp")));
        assert!(!is_input(root, out, Path::new("/elsewhere/content/a.md")));
    }
}
