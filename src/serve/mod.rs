//! `mailsite serve`: build, serve over HTTP, watch the inputs, rebuild, reload the tabs.
//!
//! [`start`] does the work and returns a [`ServeHandle`] (bound address, rebuild
//! counter, a channel of [`RebuildEvent`]s, `stop`), so tests and benchmarks drive a
//! real server without sleeping. [`run`] is what the command line calls.
//!
//! The site is built into a folder of its own (by default a fresh temporary folder with
//! an unpredictable name, removed on exit), never into `public/`, and that folder is
//! never watched.

mod command;
mod handle;
mod http;
pub mod inject;
mod listen;
mod preview;
mod rebuild;
mod start;
pub mod watch;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify_debouncer_full::DebounceEventResult;
use tokio::sync::{broadcast, oneshot, Semaphore};

use crate::build::{build_gated, BuildOptions};
use crate::diag::Diagnostics;
use listen::Notices;
use preview::Preview;

pub use command::{open_browser, run};
pub use handle::ServeHandle;
use handle::Subscribers;
pub use http::{content_type, percent_decode_strict, resolve_path, Resolved};
pub use rebuild::describe;
use rebuild::Rebuilder;
pub use start::start;
use start::start_with;
#[cfg(test)]
use start::stopped;

/// The port tried first when `--port` is not given; the next free ones follow.
pub const DEFAULT_PORT: u16 = 1111;
/// How many ports after [`DEFAULT_PORT`] are tried.
pub const PORT_TRIES: u16 = 100;
/// Quiet time after the last event on a path before it is reported. An editor's save (write,
/// or write a temporary file and rename it) sends its events within a few milliseconds, so
/// 50 ms joins them while keeping save → reload near a tenth of a second.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(50);
/// How often the debouncer checks for paths that have been quiet long enough (short, so
/// the save-to-reload latency stays near the debounce itself; a tick costs next to nothing).
const TICK: Duration = Duration::from_millis(10);
/// Batches closer together than this are one rebuild. One burst (a `git checkout`) can be
/// reported over several ticks, and on a loaded machine a tick can come late; three ticks
/// leave room for a late tick between two batches of the same burst.
const COALESCE: Duration = TICK.saturating_mul(3);
/// Connections served at once. A browser opens about six per host and a tab keeps one
/// for its event stream, so a writer with many tabs and windows stays far below; the
/// cap is there for a script or a flood.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;
/// Live-reload event streams at once: one per open tab (browsers cap a host at about six
/// over HTTP/1.1, so this many means several browsers or host names).
pub const DEFAULT_MAX_STREAMS: usize = 64;
/// Time a client has to send its request header, and the longest an idle connection is
/// kept between requests: a browser sends a header at once, a client that trickles it
/// (slowloris) is cut off instead of holding a connection for ever.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// `None`: [`DEFAULT_PORT`] or the next free port. `Some(0)`: any free port.
    /// `Some(n)`: exactly `n`, an error if it is taken.
    pub port: Option<u16>,
    /// Poll the file system instead of native events.
    pub poll: bool,
    pub debounce: Duration,
    /// Output folder; `None`: a new temporary folder, removed by [`ServeHandle::stop`].
    pub out: Option<PathBuf>,
    /// Print one line per rebuild, and warnings about the limits below, to the terminal.
    pub log: bool,
    /// Connections served at once; further ones are closed unanswered.
    pub max_connections: usize,
    /// Live-reload streams at once; further ones get `503`.
    pub max_streams: usize,
    /// See [`DEFAULT_HEADER_READ_TIMEOUT`].
    pub header_read_timeout: Duration,
}

impl ServeOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServeOptions {
            root: root.into(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: None,
            poll: false,
            debounce: DEFAULT_DEBOUNCE,
            out: None,
            log: true,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_streams: DEFAULT_MAX_STREAMS,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
        }
    }
}

/// One rebuild, as reported to [`ServeHandle::subscribe`]rs.
#[derive(Debug, Clone)]
pub struct RebuildEvent {
    /// 1 for the first rebuild after the initial build, and so on.
    pub number: u64,
    /// Site-relative inputs that changed.
    pub changed: Vec<PathBuf>,
    /// Time taken, or the problems found (the last good build is still served).
    pub result: Result<Duration, Diagnostics>,
    /// Only stylesheets changed: tabs swap them instead of reloading.
    pub css_only: bool,
}

/// `serve` could not start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeError(pub String);

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServeError {}

#[derive(Debug, Clone)]
pub(crate) enum SseMsg {
    Reload(String),
    Css(String),
}

struct Status {
    generation: u64,
    errors: Diagnostics,
}

/// State shared by the HTTP handlers and the rebuild thread.
pub(crate) struct Shared {
    /// Canonical output folder.
    out: PathBuf,
    instance: String,
    status: RwLock<Status>,
    sse: broadcast::Sender<SseMsg>,
    /// One permit per open live-reload stream.
    streams: Arc<Semaphore>,
    max_streams: usize,
    notices: Arc<Notices>,
}

impl Shared {
    fn generation_of(&self, n: u64) -> String {
        format!("{}-{n}", self.instance)
    }
    // A panic while the status was being written leaves a complete value behind (the
    // writer only assigns whole fields), so a poisoned lock is read like any other.
    pub(crate) fn generation(&self) -> String {
        let n = self
            .status
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .generation;
        self.generation_of(n)
    }
    /// The markup injected into served pages (current generation and errors).
    pub(crate) fn snippet(&self) -> String {
        let s = self.status.read().unwrap_or_else(PoisonError::into_inner);
        inject::snippet(&self.generation_of(s.generation), &s.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coalesce_window_spans_several_ticks() {
        assert!(COALESCE >= 3 * TICK, "{COALESCE:?} < 3 × {TICK:?}");
        assert!(TICK <= DEFAULT_DEBOUNCE);
    }

    #[test]
    fn default_bind_is_loopback() {
        assert!(ServeOptions::new(".").bind.is_loopback());

        use clap::Parser;
        let cli = crate::cli::Cli::try_parse_from(["mailsite", "serve"]).unwrap();
        match cli.command {
            crate::cli::Command::Serve(args) => {
                assert!(args.bind.is_loopback(), "clap default bind {}", args.bind);
                assert_eq!(args.port, None);
            }
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn stopping_during_the_initial_build_writes_nothing_and_leaves_no_folder() {
        let dir = tempfile::tempdir().unwrap();
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR"));
        for entry in ["mailsite.toml", "content", "templates", "static"] {
            for e in walkdir::WalkDir::new(shipped.join(entry)) {
                let e = e.unwrap();
                let to = dir.path().join(e.path().strip_prefix(shipped).unwrap());
                if e.file_type().is_dir() {
                    std::fs::create_dir_all(&to).unwrap();
                } else {
                    std::fs::copy(e.path(), &to).unwrap();
                }
            }
        }
        // Within the render budget, but the eight plan pages take a while to render.
        let plan = dir.path().join("templates/plan.html");
        let text = std::fs::read_to_string(&plan).unwrap().replacen(
            "{% block main %}",
            "{% block main %}{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}",
            1,
        );
        std::fs::write(&plan, text).unwrap();
        let mut opts = ServeOptions::new(dir.path());
        opts.port = Some(0);
        opts.log = false;
        let preview = Arc::new(Preview::new());
        let starting = {
            let preview = preview.clone();
            std::thread::spawn(move || start_with(&opts, preview).err())
        };
        // The folder is made right after the port is bound, before the build.
        let deadline = Instant::now() + Duration::from_secs(10);
        let temp = loop {
            if let Some(t) = preview.temp_path() {
                break t;
            }
            assert!(Instant::now() < deadline, "no preview folder");
            std::thread::sleep(Duration::from_millis(1));
        };
        preview.close();
        assert!(!temp.exists());
        assert_eq!(starting.join().unwrap(), Some(stopped()));
        assert!(!temp.exists(), "written into after the stop");
    }

    #[test]
    fn watched_summary_is_relative_to_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(root.join("mailsite.toml"), "").unwrap();
        let mut opts = ServeOptions::new(&root);
        opts.port = Some(0);
        opts.log = false;
        let handle = start(&opts).expect("starts even if the build fails");
        assert_eq!(handle.watched_summary(), "content/, static/, mailsite.toml");
        let temp = handle.out_dir().parent().unwrap().to_path_buf();
        assert!(temp
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("mailsite-serve-"));
        handle.stop();
        assert!(!temp.exists(), "the temporary folder is removed on stop");
    }
}
