//! Starting the server: bind, create the private preview, watch, build, spawn the rebuild
//! and HTTP threads.

use super::*;

/// `/dev/shm` when it is a writable folder (Linux); elsewhere the system temp folder is used.
fn memory_tmp() -> Option<&'static Path> {
    let shm = Path::new("/dev/shm");
    let meta = std::fs::metadata(shm).ok()?;
    (meta.is_dir() && !meta.permissions().readonly()).then_some(shm)
}

/// The folder the site is built into: `--out` for tests, else a new private temporary
/// folder, adopted by the preview (so every early return removes it).
fn preview_folder(opts: &ServeOptions, preview: &Arc<Preview>) -> Result<PathBuf, ServeError> {
    // A temporary output folder is created new, under a name nobody can predict and
    // reachable only by us (mode 0700 on Unix), so no other local user can read the
    // preview or plant files or symlinks in it.
    if let Some(o) = &opts.out {
        return Ok(o.clone());
    }
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
    Ok(out)
}

/// The HTTP server, on its own thread and runtime, until `shutdown` is sent.
fn spawn_server(
    listener: TcpListener,
    shared: Arc<Shared>,
    opts: &ServeOptions,
    notices: Arc<Notices>,
) -> Result<(JoinHandle<()>, oneshot::Sender<()>), ServeError> {
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

    Ok((server, shutdown_tx))
}

/// Names this server's builds in the pages it serves, so a tab can tell a server restart.
fn instance_id() -> String {
    format!(
        "{:x}{:x}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    )
}

/// The listening socket, its address and the URL to print.
fn listen_at(opts: &ServeOptions) -> Result<(TcpListener, SocketAddr, String), ServeError> {
    let listener = bind(opts.bind, opts.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError(format!("cannot read the bound address: {e}")))?;
    let host = if addr.ip().is_unspecified() {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
    } else {
        addr
    };
    Ok((listener, addr, format!("http://{host}/")))
}

/// The folder to serve, made to exist (a failed initial build wrote nothing) and private.
fn served_folder(out: &Path, preview: &Preview, private: bool) -> Result<PathBuf, ServeError> {
    {
        let _writer = preview.writer().ok_or_else(stopped)?;
        std::fs::create_dir_all(out)
            .map_err(|e| ServeError(format!("cannot create `{}`: {e}", out.display())))?;
        if private {
            preview::make_private(out)
                .map_err(|e| ServeError(format!("cannot protect `{}`: {e}", out.display())))?;
        }
    }
    std::fs::canonicalize(out)
        .map_err(|e| ServeError(format!("cannot use `{}`: {e}", out.display())))
}

/// Binds, builds, starts the server and the watcher. An initial build that fails is not
/// an error: the server starts anyway and shows the problems until they are fixed.
pub fn start(opts: &ServeOptions) -> Result<ServeHandle, ServeError> {
    start_with(opts, Arc::new(Preview::new()))
}

/// [`start`], writing through `preview`, which another thread may close meanwhile (a
/// signal during the initial build): then nothing more is written and this fails.
pub(super) fn start_with(
    opts: &ServeOptions,
    preview: Arc<Preview>,
) -> Result<ServeHandle, ServeError> {
    let started = start_inner(opts, &preview);
    if started.is_err() {
        preview.close();
    }
    started
}

pub(super) fn stopped() -> ServeError {
    ServeError("stopped before the server started".into())
}

fn start_inner(opts: &ServeOptions, preview: &Arc<Preview>) -> Result<ServeHandle, ServeError> {
    let root = std::fs::canonicalize(&opts.root).map_err(|e| {
        ServeError(format!(
            "cannot use `{}` as the site root: {e}",
            opts.root.display()
        ))
    })?;
    let (listener, addr, url) = listen_at(opts)?;
    // Once adopted by the preview, every early return below removes it (`start_with`).
    let out = preview_folder(opts, preview)?;
    let private = opts.out.is_none();
    let build_opts = BuildOptions {
        root: root.clone(),
        out: Some(out.clone()),
        base_url: Some(url.clone()),
        cleanup: crate::output::Cleanup::Background,
        exit_after: false,
    };

    // Watch first, then build: a save during the initial build queues an event in the
    // channel and causes a rebuild once the rebuild thread runs, instead of being lost.
    let (ev_tx, ev_rx) = mpsc::channel::<DebounceEventResult>();
    let (guard, rewatcher, watched) = watch::start(&root, opts.debounce, TICK, opts.poll, ev_tx)
        .map_err(|e| ServeError(format!("cannot watch `{}`: {e}", root.display())))?;
    let initial = match build_gated(&build_opts, || preview.writer()) {
        Ok(Some(report)) => Ok(report.elapsed),
        Ok(None) => return Err(stopped()),
        Err(problems) => Err(problems),
    };
    let out = served_folder(&out, preview, private)?;

    let instance = instance_id();
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
            rewatcher,
        };
        std::thread::Builder::new()
            .name("mailsite-rebuild".into())
            .spawn(move || ctx.run(ev_rx))
            .map_err(|e| ServeError(format!("cannot start the rebuild thread: {e}")))?
    };

    let (server, shutdown_tx) = spawn_server(listener, shared, opts, notices)?;

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
