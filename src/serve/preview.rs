//! The preview folder `serve` builds into, and the rule that makes stopping quick and
//! clean: the site is written into it only while holding [`Preview::writer`], and
//! [`Preview::close`] takes that same lock. Closing therefore waits for a write under
//! way (a fraction of a second on the memory file system, even for thousands of pages)
//! but never for a render (seconds on a large site, and it cannot be interrupted), and
//! after it nothing writes into the folder again, so removing it leaves nothing behind.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

pub(crate) struct Preview {
    state: Mutex<State>,
}

pub(crate) struct State {
    open: bool,
    /// The temporary folder holding the preview, when `serve` made one.
    temp: Option<tempfile::TempDir>,
}

/// Held while the preview is written.
pub(crate) type Writer<'a> = MutexGuard<'a, State>;

impl Preview {
    pub(crate) fn new() -> Preview {
        Preview {
            state: Mutex::new(State {
                open: true,
                temp: None,
            }),
        }
    }

    // A panic while writing leaves nothing half-assigned in `State` (the writer does not
    // change it), so a poisoned lock is used like any other.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Hands the temporary folder over, to be removed by [`Preview::close`]. `false` (and
    /// the folder removed at once) when the preview was closed in the meantime.
    pub(crate) fn adopt(&self, temp: tempfile::TempDir) -> bool {
        let mut st = self.lock();
        if st.open {
            st.temp = Some(temp);
            true
        } else {
            let _ = temp.close();
            false
        }
    }

    /// Permission to write into the preview until the guard is dropped; `None` once closed.
    pub(crate) fn writer(&self) -> Option<Writer<'_>> {
        let st = self.lock();
        st.open.then_some(st)
    }

    #[cfg(test)]
    pub(crate) fn temp_path(&self) -> Option<std::path::PathBuf> {
        self.lock().temp.as_ref().map(|t| t.path().to_path_buf())
    }

    pub(crate) fn is_closed(&self) -> bool {
        !self.lock().open
    }

    /// Waits for a write under way, forbids further writes and removes the temporary folder.
    pub(crate) fn close(&self) {
        let mut st = self.lock();
        st.open = false;
        if let Some(temp) = st.temp.take() {
            let _ = temp.close();
        }
    }
}

/// Makes a folder of the preview reachable by its owner only. `tempfile` creates
/// folders with the default mode (0777 less the umask: usually 0755), and the build's
/// staging folder, renamed to the served folder on every rebuild, gets the same.
#[cfg(unix)]
pub(crate) fn make_private(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
pub(crate) fn make_private(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// The mode for new private folders, for `tempfile::Builder::permissions`.
#[cfg(unix)]
pub(crate) fn private_mode() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
pub(crate) fn private_mode() -> Option<std::fs::Permissions> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_waits_for_the_writer_and_removes_the_folder() {
        let preview = std::sync::Arc::new(Preview::new());
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().to_path_buf();
        assert!(preview.adopt(temp));
        let writer = preview.writer().expect("open");
        let (tx, rx) = std::sync::mpsc::channel();
        let closer = {
            let preview = preview.clone();
            std::thread::spawn(move || {
                preview.close();
                tx.send(()).unwrap();
            })
        };
        // The write under way finishes first: the folder is still there to write into.
        std::fs::write(path.join("page.html"), "x").unwrap();
        assert!(rx.try_recv().is_err(), "closed during a write");
        drop(writer);
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .expect("closed once the write is done");
        closer.join().unwrap();
        assert!(!path.exists());
        assert!(preview.writer().is_none(), "no writing after close");
        let late = tempfile::tempdir().unwrap();
        let late_path = late.path().to_path_buf();
        assert!(!preview.adopt(late));
        assert!(
            !late_path.exists(),
            "a folder adopted after close is removed"
        );
    }
}
