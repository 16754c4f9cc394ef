//! `mailsite serve`: build, serve over HTTP, watch the inputs, rebuild, reload the tabs.
//!
//! [`start`] does the work and returns a [`ServeHandle`] (bound address, rebuild
//! counter, a channel of [`RebuildEvent`]s, `stop`), so tests and benchmarks drive a
//! real server without sleeping. [`run`] is what the command line calls.
//!
//! The site is built into a folder of its own (by default a fresh temporary folder with
//! an unpredictable name, removed on exit), never into `public/`, and that folder is
//! never watched.

mod http;
pub mod inject;
mod listen;
mod preview;
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

pub use http::{content_type, percent_decode_strict, resolve, Resolved};

/// The port tried first when `--port` is not given; the next free ones follow.
pub const DEFAULT_PORT: u16 = 1111;
/// How many ports after [`DEFAULT_PORT`] are tried.
pub const PORT_TRIES: u16 = 100;
/// Quiet time after the last event on a path before it is reported.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(150);
/// How often the debouncer checks for paths that have been quiet long enough (short, so
/// the save-to-reload latency stays near the debounce itself; a tick costs next to nothing).
const TICK: Duration = Duration::from_millis(10);
/// Batches closer together than this are one rebuild. One burst (a `git checkout`) can be
/// reported over several ticks, and on a loaded machine a tick can come late; four ticks
/// leave room for a late tick between two batches of the same burst.
const COALESCE: Duration = TICK.saturating_mul(4);
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

type Subscribers = Arc<Mutex<Vec<Sender<RebuildEvent>>>>;

/// A running server. Dropping it stops it too.
pub struct ServeHandle {
    addr: SocketAddr,
    url: String,
    out: PathBuf,
    /// Writes into `out`, and the temporary folder holding it (when no output folder was
    /// given), removed on stop.
    preview: Arc<Preview>,
    root: PathBuf,
    initial: Result<Duration, Diagnostics>,
    watched: Vec<PathBuf>,
    rebuilds: Arc<AtomicU64>,
    subscribers: Subscribers,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    rebuilder: Option<JoinHandle<()>>,
    watch: Option<watch::WatchGuard>,
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

/// `/dev/shm` when it is a writable folder (Linux); elsewhere the system temp folder is used.
fn memory_tmp() -> Option<&'static Path> {
    let shm = Path::new("/dev/shm");
    let meta = std::fs::metadata(shm).ok()?;
    (meta.is_dir() && !meta.permissions().readonly()).then_some(shm)
}

/// Binds, builds, starts the server and the watcher. An initial build that fails is not
/// an error: the server starts anyway and shows the problems until they are fixed.
pub fn start(opts: &ServeOptions) -> Result<ServeHandle, ServeError> {
    start_with(opts, Arc::new(Preview::new()))
}

/// [`start`], writing through `preview`, which another thread may close meanwhile (a
/// signal during the initial build): then nothing more is written and this fails.
fn start_with(opts: &ServeOptions, preview: Arc<Preview>) -> Result<ServeHandle, ServeError> {
    let started = start_inner(opts, &preview);
    if started.is_err() {
        preview.close();
    }
    started
}

fn stopped() -> ServeError {
    ServeError("stopped before the server started".into())
}

fn start_inner(opts: &ServeOptions, preview: &Arc<Preview>) -> Result<ServeHandle, ServeError> {
    let root = std::fs::canonicalize(&opts.root).map_err(|e| {
        ServeError(format!(
            "cannot use `{}` as the site root: {e}",
            opts.root.display()
        ))
    })?;
    let listener = bind(opts.bind, opts.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError(format!("cannot read the bound address: {e}")))?;
    let host = if addr.ip().is_unspecified() {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
    } else {
        addr
    };
    let url = format!("http://{host}/");

    // A temporary output folder is created new, under a name nobody can predict and
    // reachable only by us (mode 0700 on Unix), so no other local user can read the
    // preview or plant files or symlinks in it. Once adopted by the preview, every early
    // return below removes it (`start_with`).
    let out = match &opts.out {
        Some(o) => o.clone(),
        None => {
            let mut builder = tempfile::Builder::new();
            builder.prefix("mailsite-serve-");
            if let Some(mode) = preview::private_mode() {
                builder.permissions(mode);
            }
            // A memory file system where there is one: the preview is rewritten on every
            // save, and on a slow disk the write-back made rebuilds two to three times slower.
            let dir = memory_tmp()
                .and_then(|m| builder.tempdir_in(m).ok())
                .map(Ok)
                .unwrap_or_else(|| builder.tempdir())
                .map_err(|e| ServeError(format!("cannot create a temporary folder: {e}")))?;
            let out = dir.path().join("site");
            if !preview.adopt(dir) {
                return Err(stopped());
            }
            out
        }
    };
    let private = opts.out.is_none();
    let build_opts = BuildOptions {
        root: root.clone(),
        out: Some(out.clone()),
        base_url: Some(url.clone()),
        cleanup: crate::output::Cleanup::Background,
    };

    // Watch first, then build: a save during the initial build queues an event in the
    // channel and causes a rebuild once the rebuild thread runs, instead of being lost.
    let (ev_tx, ev_rx) = mpsc::channel::<DebounceEventResult>();
    let (guard, watched) = watch::start(&root, opts.debounce, TICK, opts.poll, ev_tx)
        .map_err(|e| ServeError(format!("cannot watch `{}`: {e}", root.display())))?;
    let initial = match build_gated(&build_opts, || preview.writer()) {
        Ok(Some(report)) => Ok(report.elapsed),
        Ok(None) => return Err(stopped()),
        Err(problems) => Err(problems),
    };
    {
        // A failed initial build wrote nothing; the server still needs the folder.
        let _writer = preview.writer().ok_or_else(stopped)?;
        std::fs::create_dir_all(&out)
            .map_err(|e| ServeError(format!("cannot create `{}`: {e}", out.display())))?;
        if private {
            preview::make_private(&out)
                .map_err(|e| ServeError(format!("cannot protect `{}`: {e}", out.display())))?;
        }
    }
    let out = std::fs::canonicalize(&out)
        .map_err(|e| ServeError(format!("cannot use `{}`: {e}", out.display())))?;

    let instance = format!(
        "{:x}{:x}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    let (sse, _) = broadcast::channel(64);
    let notices = Arc::new(Notices::new(opts.log));
    let shared = Arc::new(Shared {
        out: out.clone(),
        instance,
        status: RwLock::new(Status {
            generation: 0,
            errors: initial.clone().err().unwrap_or_default(),
        }),
        sse,
        streams: Arc::new(Semaphore::new(opts.max_streams)),
        max_streams: opts.max_streams,
        notices: notices.clone(),
    });

    // Watcher → rebuild thread.
    let rebuilds = Arc::new(AtomicU64::new(0));
    let subscribers: Subscribers = Arc::default();
    let rebuilder = {
        let ctx = Rebuilder {
            root: root.clone(),
            out: out.clone(),
            build_opts,
            preview: preview.clone(),
            private,
            shared: shared.clone(),
            rebuilds: rebuilds.clone(),
            subscribers: subscribers.clone(),
            log: opts.log,
        };
        std::thread::Builder::new()
            .name("mailsite-rebuild".into())
            .spawn(move || ctx.run(ev_rx))
            .map_err(|e| ServeError(format!("cannot start the rebuild thread: {e}")))?
    };

    // HTTP server on its own thread and runtime.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError(format!("cannot start the async runtime: {e}")))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| ServeError(format!("cannot configure the socket: {e}")))?;
    let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
    let app = http::router(shared);
    let (max_connections, header_read_timeout) = (opts.max_connections, opts.header_read_timeout);
    let server = std::thread::Builder::new()
        .name("mailsite-http".into())
        .spawn(move || {
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => l,
                    Err(e) => {
                        eprintln!("error: cannot serve: {e}");
                        return;
                    }
                };
                tokio::select! {
                    _ = listen::serve(listener, app, max_connections, header_read_timeout, notices) => {}
                    _ = shutdown_rx => {}
                }
            });
            // Dropping the runtime cancels the open connections (event streams never end).
            runtime.shutdown_timeout(Duration::from_millis(200));
        })
        .map_err(|e| ServeError(format!("cannot start the server thread: {e}")))?;

    Ok(ServeHandle {
        addr,
        url,
        out,
        preview: preview.clone(),
        root,
        initial,
        watched,
        rebuilds,
        subscribers,
        shutdown: Some(shutdown_tx),
        server: Some(server),
        rebuilder: Some(rebuilder),
        watch: Some(guard),
    })
}

/// The command: start, print the URL, optionally open a browser, run until Ctrl-C or
/// SIGTERM.
pub fn run(opts: &ServeOptions, open: bool) -> Result<(), ServeError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError(format!("cannot start the async runtime: {e}")))?;
    // Listening for signals starts first, and the initial build (seconds on a large
    // site) runs on another thread: a signal during it stops serve at once too, and the
    // preview folder is removed instead of being left behind by the default action.
    let mut stop = {
        let _in_runtime = rt.enter();
        StopSignal::listen()
            .map_err(|e| ServeError(format!("cannot listen for Ctrl-C and SIGTERM: {e}")))?
    };
    let preview = Arc::new(Preview::new());
    let (started_tx, started_rx) = oneshot::channel();
    {
        let (opts, preview) = (opts.clone(), preview.clone());
        std::thread::Builder::new()
            .name("mailsite-start".into())
            .spawn(move || {
                let _ = started_tx.send(start_with(&opts, preview));
            })
            .map_err(|e| ServeError(format!("cannot start: {e}")))?;
    }
    let started = rt.block_on(async {
        tokio::select! {
            started = started_rx => Some(started),
            _ = stop.recv() => None,
        }
    });
    let handle = match started {
        Some(Ok(started)) => started?,
        Some(Err(_)) => {
            preview.close();
            return Err(ServeError("serve failed to start".into()));
        }
        None => {
            println!("\nstopping");
            // The initial build may still be rendering; it writes nothing from now on
            // and ends with the process.
            preview.close();
            return Ok(());
        }
    };
    match handle.initial_build() {
        Ok(t) => println!(
            "initial build of {} done in {} ms",
            opts.root.display(),
            t.as_millis()
        ),
        Err(problems) => {
            eprint!("{problems}");
            eprintln!(
                "error: the initial build failed with {} problem(s); serving them in the browser until they are fixed",
                problems.len()
            );
        }
    }
    if !handle.addr().ip().is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines can reach this server",
            handle.addr().ip()
        );
    }
    println!(
        "serving at {}  (output: {}; watching {}{}; Ctrl-C to stop)",
        handle.url(),
        handle.out_dir().display(),
        handle.watched_summary(),
        if opts.poll { " by polling" } else { "" }
    );
    if open {
        open_browser(handle.url());
    }
    rt.block_on(stop.recv());
    println!("\nstopping");
    handle.stop();
    Ok(())
}

/// Ctrl-C (SIGINT), or on Unix SIGTERM from a process manager. Created before the
/// signals can arrive: from then on they no longer end the process by themselves.
struct StopSignal {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl StopSignal {
    /// Must run inside a tokio runtime.
    fn listen() -> io::Result<StopSignal> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(StopSignal {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(StopSignal {})
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Opens `url` in the desktop's browser; failing is only a warning.
pub fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    match std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        // Reap the child when it exits (xdg-open returns at once; `open` too) so it does
        // not linger as a zombie while the server runs.
        Ok(mut child) => {
            let _ = std::thread::Builder::new()
                .name("mailsite-open".into())
                .spawn(move || {
                    let _ = child.wait();
                });
        }
        Err(e) => eprintln!(
            "warning: could not open a browser with `{program}`: {e}; open {url} yourself"
        ),
    }
}

fn bind(ip: IpAddr, port: Option<u16>) -> Result<TcpListener, ServeError> {
    match port {
        Some(p) => TcpListener::bind((ip, p)).map_err(|e| {
            if e.kind() == io::ErrorKind::AddrInUse {
                ServeError(format!(
                    "port {p} on {ip} is already in use; pick another --port, or leave --port out to take the first free one from {DEFAULT_PORT}"
                ))
            } else {
                ServeError(format!("cannot listen on {}: {e}", SocketAddr::new(ip, p)))
            }
        }),
        None => {
            for p in DEFAULT_PORT..DEFAULT_PORT.saturating_add(PORT_TRIES) {
                match TcpListener::bind((ip, p)) {
                    Ok(l) => return Ok(l),
                    Err(e) if e.kind() == io::ErrorKind::AddrInUse => continue,
                    Err(e) => return Err(ServeError(format!("cannot listen on {}: {e}", SocketAddr::new(ip, p)))),
                }
            }
            Err(ServeError(format!(
                "ports {DEFAULT_PORT}–{} on {ip} are all in use; pick one with --port",
                DEFAULT_PORT + PORT_TRIES - 1
            )))
        }
    }
}

struct Rebuilder {
    root: PathBuf,
    out: PathBuf,
    build_opts: BuildOptions,
    preview: Arc<Preview>,
    /// `out` is serve's own temporary folder, kept private after every rebuild.
    private: bool,
    shared: Arc<Shared>,
    rebuilds: Arc<AtomicU64>,
    subscribers: Subscribers,
    log: bool,
}

impl Rebuilder {
    fn run(self, rx: Receiver<DebounceEventResult>) {
        while let Ok(first) = rx.recv() {
            let mut events = Vec::new();
            self.collect(first, &mut events);
            // Batches that follow within COALESCE belong to the same burst (one `git
            // checkout`, one search-and-replace): one rebuild for all of them.
            loop {
                match rx.recv_timeout(COALESCE) {
                    Ok(more) => self.collect(more, &mut events),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => {
                        events.clear();
                        break;
                    }
                }
            }
            let changed = watch::changed_inputs(&self.root, &self.out, &events);
            if !changed.is_empty() {
                self.rebuild(changed);
            }
        }
    }

    fn collect(
        &self,
        batch: DebounceEventResult,
        events: &mut Vec<notify_debouncer_full::DebouncedEvent>,
    ) {
        match batch {
            Ok(evs) => {
                if std::env::var_os("MAILSITE_DEBUG_WATCH").is_some() {
                    eprintln!("watch: {evs:?}");
                }
                events.extend(evs)
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: file watching: {e}");
                }
            }
        }
    }

    fn rebuild(&self, changed: Vec<PathBuf>) {
        let start = Instant::now();
        let result = match build_gated(&self.build_opts, || self.preview.writer()) {
            Ok(Some(_)) => Ok(start.elapsed()),
            Ok(None) => return,
            Err(problems) => Err(problems),
        };
        if self.preview.is_closed() {
            // Stopped during the render: nothing to report after "stopping".
            return;
        }
        if self.private && result.is_ok() {
            // The served folder was just replaced by the build's staging folder, created
            // with the default mode. Nothing in it was reachable meanwhile (the temporary
            // folder around it is private); if serve stopped meanwhile, it is gone and
            // there is nothing to protect.
            let _ = preview::make_private(&self.out);
        }
        let css_only = changed
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "css"));
        let number = self.rebuilds.fetch_add(1, Ordering::SeqCst) + 1;
        let had_errors;
        let generation = {
            let mut st = self
                .shared
                .status
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            had_errors = !st.errors.is_empty();
            st.generation += 1;
            st.errors = result.clone().err().unwrap_or_default();
            self.shared.generation_of(st.generation)
        };
        let css_only = css_only && result.is_ok() && !had_errors;
        // Reload after a failure too: that is how the overlay appears.
        let msg = if css_only {
            SseMsg::Css(generation)
        } else {
            SseMsg::Reload(generation)
        };
        let _ = self.shared.sse.send(msg);
        if self.log {
            println!("{}", describe(&changed, &result));
            if let Err(problems) = &result {
                eprint!("{problems}");
            }
        }
        let event = RebuildEvent {
            number,
            changed,
            result,
            css_only,
        };
        self.subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|tx| tx.send(event.clone()).is_ok());
    }
}

/// The one terminal line for a rebuild.
pub fn describe(changed: &[PathBuf], result: &Result<Duration, Diagnostics>) -> String {
    let what = match changed {
        [one] => crate::diag::display_path(one),
        [first, rest @ ..] => format!(
            "{} and {} more",
            crate::diag::display_path(first),
            rest.len()
        ),
        [] => "nothing".to_string(),
    };
    match result {
        Ok(t) => format!("changed {what}: rebuilt in {} ms", t.as_millis()),
        Err(p) => format!(
            "changed {what}: build FAILED with {} problem(s); still serving the last good build:",
            p.len()
        ),
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
