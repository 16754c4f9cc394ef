//! A running server: its address, output, rebuild events, and how it stops.

use super::*;

pub(super) type Subscribers = Arc<Mutex<Vec<Sender<RebuildEvent>>>>;

/// A running server. Dropping it stops it too.
pub struct ServeHandle {
    pub(super) addr: SocketAddr,
    pub(super) url: String,
    pub(super) out: PathBuf,
    /// Writes into `out`, and the temporary folder holding it (when no output folder was
    /// given), removed on stop.
    pub(super) preview: Arc<Preview>,
    pub(super) root: PathBuf,
    pub(super) initial: Result<Duration, Diagnostics>,
    pub(super) watched: Vec<PathBuf>,
    pub(super) rebuilds: Arc<AtomicU64>,
    pub(super) subscribers: Subscribers,
    pub(super) shutdown: Option<oneshot::Sender<()>>,
    pub(super) server: Option<JoinHandle<()>>,
    pub(super) rebuilder: Option<JoinHandle<()>>,
    pub(super) watch: Option<watch::WatchGuard>,
}

impl ServeHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://ADDR:PORT/` (with `127.0.0.1` when bound to all interfaces).
    pub fn url(&self) -> &str {
        &self.url
    }
    /// The folder the site is built into and served from.
    pub fn out_dir(&self) -> &Path {
        &self.out
    }
    /// The initial build's outcome.
    pub fn initial_build(&self) -> &Result<Duration, Diagnostics> {
        &self.initial
    }
    /// The folders being watched (the site root itself non-recursively, for its config).
    pub fn watched(&self) -> &[PathBuf] {
        &self.watched
    }
    /// What is watched, relative to the site root, for the terminal:
    /// `content/, templates/, static/, mailsite.toml`.
    pub fn watched_summary(&self) -> String {
        self.watched
            .iter()
            .map(|p| match p.strip_prefix(&self.root) {
                Ok(rel) if rel.as_os_str().is_empty() => crate::config::CONFIG_FILE.to_string(),
                Ok(rel) => format!("{}/", crate::diag::display_path(rel)),
                Err(_) => p.display().to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
    /// Rebuilds done since the initial build.
    pub fn rebuilds(&self) -> u64 {
        self.rebuilds.load(Ordering::SeqCst)
    }
    /// A channel receiving every later rebuild, sent after the new build is being served.
    pub fn subscribe(&self) -> Receiver<RebuildEvent> {
        let (tx, rx) = mpsc::channel();
        self.subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(tx);
        rx
    }
    /// Stops watching and serving, and removes a temporary output folder. Waits for a
    /// write of the site under way, not for a render (see `serve/preview.rs`).
    pub fn stop(mut self) {
        self.shutdown_now();
    }

    fn shutdown_now(&mut self) {
        // Dropping the watcher closes the event channel, which ends the rebuild thread
        // once it is done with the rebuild it may be in.
        self.watch.take();
        self.preview.close();
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.server.take() {
            let _ = t.join();
        }
        // Not joined: a render cannot be interrupted, and can no longer write anything.
        self.rebuilder.take();
    }
}

impl Drop for ServeHandle {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}
