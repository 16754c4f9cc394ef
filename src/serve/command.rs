//! `mailsite serve` as a command: start, print where, run until a signal, stop.

use super::*;

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
