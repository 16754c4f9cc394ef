//! Accepting connections, within limits: at most so many at once, a deadline for the
//! request header, and accept errors (running out of file descriptors) reported and
//! waited out instead of ending or spinning the server. `axum::serve` offers none of
//! these settings, so this loop drives hyper's HTTP/1 connections itself.

use std::io;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long to wait before accepting again after an error that is not about one
/// connection (out of file descriptors): long enough not to spin, short enough that
/// waiting connections hardly notice once descriptors are free again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `app` on `listener` until the future is dropped.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    max_connections: usize,
    header_read_timeout: Duration,
    notices: Arc<Notices>,
) {
    let slots = Arc::new(Semaphore::new(max_connections));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => match AcceptError::of(&e) {
                // The client gave up before we took the connection: nothing to report.
                AcceptError::Connection => continue,
                kind => {
                    notices.accept_failed(kind, &e);
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            // Closed unanswered: answering would take the very resources the cap protects.
            notices.too_many_connections(max_connections);
            drop(stream);
            continue;
        };
        let conn =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        tokio::spawn(async move {
            // Errors here are one client's (it went away, or sent its header too slowly).
            let _ = conn.await;
            drop(slot);
        });
    }
}

/// What an error of `accept` means for the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AcceptError {
    /// About one connection only (reset or aborted before it was accepted).
    Connection,
    /// The process or the system is out of file descriptors.
    TooManyOpenFiles,
    Other,
}

impl AcceptError {
    pub(crate) fn of(e: &io::Error) -> AcceptError {
        if is_fd_exhaustion(e) {
            return AcceptError::TooManyOpenFiles;
        }
        match e.kind() {
            io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused => AcceptError::Connection,
            _ => AcceptError::Other,
        }
    }
}

/// EMFILE (this process's limit, `ulimit -n`) or ENFILE (the whole system's).
pub(crate) fn is_fd_exhaustion(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE))
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// How often a warning about the same limit may be printed while it lasts.
pub(crate) const NOTICE_INTERVAL: Duration = Duration::from_secs(10);

/// A warning printed when something first happens, then at most once per
/// [`NOTICE_INTERVAL`] with the number of times it happened in between: a flood of
/// refused connections must not become a flood of lines.
pub(crate) struct Notice {
    state: Mutex<NoticeState>,
}

struct NoticeState {
    last: Option<Instant>,
    since: u64,
}

impl Notice {
    pub(crate) fn new() -> Notice {
        Notice {
            state: Mutex::new(NoticeState {
                last: None,
                since: 0,
            }),
        }
    }

    /// Records one occurrence at `now`; `Some(n)` when the line is due, `n` being the
    /// occurrences not reported since the last line.
    pub(crate) fn occur(&self, now: Instant) -> Option<u64> {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match st.last {
            Some(last) if now.saturating_duration_since(last) < NOTICE_INTERVAL => {
                st.since += 1;
                None
            }
            _ => {
                st.last = Some(now);
                Some(std::mem::take(&mut st.since))
            }
        }
    }
}

/// The server's warnings about its limits, each rate-limited on its own.
pub(crate) struct Notices {
    log: bool,
    connections: Notice,
    streams: Notice,
    fds: Notice,
    accept: Notice,
}

impl Notices {
    pub(crate) fn new(log: bool) -> Notices {
        Notices {
            log,
            connections: Notice::new(),
            streams: Notice::new(),
            fds: Notice::new(),
            accept: Notice::new(),
        }
    }

    fn print(&self, notice: &Notice, line: impl FnOnce() -> String) {
        if let Some(unreported) = notice.occur(Instant::now()) {
            if self.log {
                let more = match unreported {
                    0 => String::new(),
                    n => format!(" ({n} more since the last such warning)"),
                };
                eprintln!("warning: {}{more}", line());
            }
        }
    }

    pub(crate) fn too_many_connections(&self, max: usize) {
        self.print(&self.connections, || {
            format!("too many connections: {max} are open, the most `serve` accepts; new ones are closed until some end")
        });
    }

    pub(crate) fn too_many_streams(&self, max: usize) {
        self.print(&self.streams, || {
            format!("too many live-reload streams: {max} tabs are listening, the most `serve` accepts; new tabs get 503 and do not reload by themselves until some close")
        });
    }

    pub(crate) fn accept_failed(&self, kind: AcceptError, e: &io::Error) {
        let backoff = ACCEPT_BACKOFF.as_millis();
        if kind == AcceptError::TooManyOpenFiles {
            self.print(&self.fds, || {
                format!("too many open files: cannot accept connections ({e}); retrying every {backoff} ms. Close some tabs or programs, or raise the limit (`ulimit -n`)")
            });
        } else {
            self.print(&self.accept, || {
                format!("cannot accept a connection: {e}; retrying every {backoff} ms")
            });
        }
    }

    /// A file of the preview could not be opened for want of file descriptors.
    pub(crate) fn no_file_descriptor(&self, e: &io::Error) {
        self.print(&self.fds, || {
            format!("too many open files: cannot read a file of the preview ({e}); the browser gets 503. Close some tabs or programs, or raise the limit (`ulimit -n`)")
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_is_printed_once_per_interval_with_the_count_in_between() {
        let n = Notice::new();
        let t0 = Instant::now();
        assert_eq!(n.occur(t0), Some(0));
        for i in 1..=500 {
            assert_eq!(n.occur(t0 + Duration::from_millis(i)), None);
        }
        assert_eq!(
            n.occur(t0 + NOTICE_INTERVAL - Duration::from_millis(1)),
            None
        );
        assert_eq!(n.occur(t0 + NOTICE_INTERVAL), Some(501));
        assert_eq!(n.occur(t0 + NOTICE_INTERVAL), None);
        assert_eq!(n.occur(t0 + 3 * NOTICE_INTERVAL), Some(1));
    }

    #[test]
    fn accept_errors_are_classified() {
        #[cfg(unix)]
        {
            for errno in [libc::EMFILE, libc::ENFILE] {
                let e = io::Error::from_raw_os_error(errno);
                assert!(is_fd_exhaustion(&e), "{e}");
                assert_eq!(AcceptError::of(&e), AcceptError::TooManyOpenFiles);
            }
            let e = io::Error::from_raw_os_error(libc::ECONNABORTED);
            assert_eq!(AcceptError::of(&e), AcceptError::Connection);
            let e = io::Error::from_raw_os_error(libc::ENOBUFS);
            assert_eq!(AcceptError::of(&e), AcceptError::Other);
        }
        let e = io::Error::from(io::ErrorKind::ConnectionReset);
        assert_eq!(AcceptError::of(&e), AcceptError::Connection);
        assert!(!is_fd_exhaustion(&io::Error::from(
            io::ErrorKind::PermissionDenied
        )));
    }
}
