//! The HTTP side of `serve`: static files from the serve output folder (GET/HEAD only,
//! no way out of that folder), the live-reload event stream, and script injection.

use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::middleware;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::inject::{self, EVENTS_PATH};
use super::{Shared, SseMsg};

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(files)
        .with_state(shared)
        .layer(middleware::map_response(common_headers))
}

/// Headers on every response (files, 404, 301, 400, 403, 405, the event stream): the
/// preview changes with every save, so nothing may be cached.
async fn common_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// `event: hello` with the current generation first, then one event per rebuild; `503`
/// when the most streams `serve` keeps are open.
async fn events(State(shared): State<Arc<Shared>>) -> Response {
    // The stream holds its slot until the tab goes away (hyper notices the closed
    // connection and drops the stream).
    let Ok(slot) = shared.streams.clone().try_acquire_owned() else {
        shared.notices.too_many_streams(shared.max_streams);
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "too many live-reload streams are open; close some tabs\n",
        )
            .into_response();
    };
    let rx = shared.sse.subscribe();
    let hello = Event::default().event("hello").data(shared.generation());
    let updates = stream::unfold((rx, slot), |(mut rx, slot)| async move {
        let event = match rx.recv().await {
            Ok(SseMsg::Reload(g)) => Event::default().event("reload").data(g),
            Ok(SseMsg::Css(g)) => Event::default().event("css").data(g),
            // Missed messages: a reload covers whatever they were.
            Err(RecvError::Lagged(_)) => Event::default().event("reload").data("lagged"),
            Err(RecvError::Closed) => return None,
        };
        Some((Ok::<_, Infallible>(event), (rx, slot)))
    });
    Sse::new(stream::once(async move { Ok(hello) }).chain(updates))
        .keep_alive(KeepAlive::default())
        .into_response()
}

async fn files(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = (
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served\n",
        )
            .into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    match resolve_path(&shared.out, uri.path()) {
        Resolved::Refused => (
            StatusCode::FORBIDDEN,
            "refused: the path leaves the site folder\n",
        )
            .into_response(),
        Resolved::BadRequest => (StatusCode::BAD_REQUEST, "malformed path\n").into_response(),
        Resolved::Redirect(to) => {
            let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Resolved::NotFound => not_found(uri.path(), &shared),
        Resolved::File(path) => match tokio::fs::read(&path).await {
            Ok(bytes) => {
                let ctype = content_type(&path);
                let body = if ctype.starts_with("text/html") {
                    let html = String::from_utf8_lossy(&bytes);
                    Body::from(inject::inject(&html, &shared.snippet()))
                } else {
                    Body::from(bytes)
                };
                Response::builder()
                    .header(header::CONTENT_TYPE, ctype)
                    .body(body)
                    .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
            }
            Err(e) if super::listen::is_fd_exhaustion(&e) => {
                shared.notices.no_file_descriptor(&e);
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the server has too many open files; try again\n",
                )
                    .into_response()
            }
            // Gone between resolving and reading (a rebuild swapped the folder): a 404
            // that reloads itself with the next event.
            Err(_) => not_found(uri.path(), &shared),
        },
    }
}

fn not_found(path: &str, shared: &Shared) -> Response {
    let page = inject::not_found_page(path, &shared.snippet());
    let mut r = (StatusCode::NOT_FOUND, page).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// What a request path maps to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A regular file inside the output folder (canonical path).
    File(PathBuf),
    /// A folder asked for without its trailing slash.
    Redirect(String),
    NotFound,
    /// Traversal, backslashes, or a symlink that points out of the output folder.
    Refused,
    BadRequest,
}

/// Maps a raw (still percent-encoded) request path to a file under `root`, which must
/// be canonical. Nothing outside `root` is ever returned, and nothing about what lies
/// outside is revealed:
///
/// - every decoded segment must be one plain file name: `.`, `..`, backslashes, NUL
///   and anything else that is not a single normal path component (a Windows drive
///   such as `C:`) are refused outright;
/// - the target is canonicalized and must still lie under `root` (so symlinks cannot
///   lead out) *before* it is looked at: a folder symlinked from outside is refused,
///   not redirected.
pub fn resolve_path(root: &Path, raw: &str) -> Resolved {
    if !raw.starts_with('/') || raw.contains('\\') {
        return Resolved::Refused;
    }
    let mut segments = Vec::new();
    let mut raw_segments = Vec::new();
    for seg in raw.split('/').filter(|s| !s.is_empty()) {
        let Some(decoded) = percent_decode_strict(seg) else {
            return Resolved::BadRequest;
        };
        if !is_plain_name(&decoded) {
            return Resolved::Refused;
        }
        segments.push(decoded);
        raw_segments.push(seg);
    }
    let mut path = root.to_path_buf();
    path.extend(&segments);
    let Ok(real) = std::fs::canonicalize(&path) else {
        return Resolved::NotFound;
    };
    if !real.starts_with(root) {
        return Resolved::Refused;
    }
    if real.is_dir() {
        if !raw.ends_with('/') {
            // Rebuilt from the segments so that `//host` can never become a redirect elsewhere.
            return Resolved::Redirect(format!("/{}/", raw_segments.join("/")));
        }
        return match std::fs::canonicalize(real.join("index.html")) {
            Ok(index) if !index.starts_with(root) => Resolved::Refused,
            Ok(index) if index.is_file() => Resolved::File(index),
            _ => Resolved::NotFound,
        };
    }
    if real.is_file() {
        Resolved::File(real)
    } else {
        Resolved::NotFound
    }
}

/// Whether a decoded path segment is exactly one ordinary file or folder name.
fn is_plain_name(s: &str) -> bool {
    if s.contains(['/', '\\', '\0']) {
        return false;
    }
    let mut comps = Path::new(s).components();
    matches!(
        (comps.next(), comps.next()),
        (Some(Component::Normal(name)), None) if name == s
    )
}

/// Decodes `%XX` escapes, where both `X` must be hex digits; `None` for a malformed
/// escape (`%zz`, `%+1`, a `%` near the end) or bytes that are not UTF-8.
pub fn percent_decode_strict(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let (hi, lo) = (*b.get(i + 1)?, *b.get(i + 2)?);
            if !hi.is_ascii_hexdigit() || !lo.is_ascii_hexdigit() {
                return None;
            }
            out.push(hex_value(hi) << 4 | hex_value(lo));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn hex_value(d: u8) -> u8 {
    match d {
        b'0'..=b'9' => d - b'0',
        b'a'..=b'f' => d - b'a' + 10,
        _ => d - b'A' + 10,
    }
}

/// The `Content-Type` for a served file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "mobileconfig" => "application/x-apple-aspen-config",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "webmanifest" => "application/manifest+json",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("a/sitemap.xml")), "application/xml");
        assert_eq!(
            content_type(Path::new("x.mobileconfig")),
            "application/x-apple-aspen-config"
        );
        assert_eq!(
            content_type(Path::new("index.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("style.css")),
            "text/css; charset=utf-8"
        );
    }

    #[test]
    fn traversal_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("site/en")).unwrap();
        std::fs::write(root.join("site/en/index.html"), "hi").unwrap();
        std::fs::write(root.join("secret.txt"), "no").unwrap();
        let site = root.join("site");
        for p in [
            "/../secret.txt",
            "/en/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/en/%2e%2e%2f%2e%2e%2fsecret.txt",
            "/..%5csecret.txt",
            "/..\\secret.txt",
            "/./en/",
            "/en/%00",
        ] {
            assert_eq!(resolve_path(&site, p), Resolved::Refused, "{p}");
        }
        for bad in ["/%zz", "/%+1", "/a%-f", "/%2", "/%", "/%e2%82"] {
            assert_eq!(resolve_path(&site, bad), Resolved::BadRequest, "{bad}");
        }
        assert_eq!(
            resolve_path(&site, "/en"),
            Resolved::Redirect("/en/".into())
        );
        assert_eq!(
            resolve_path(&site, "//en"),
            Resolved::Redirect("/en/".into())
        );
        assert_eq!(
            resolve_path(&site, "/en/"),
            Resolved::File(site.join("en/index.html"))
        );
        assert_eq!(resolve_path(&site, "/nope.html"), Resolved::NotFound);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("secret.txt"), site.join("link.txt")).unwrap();
            assert_eq!(resolve_path(&site, "/link.txt"), Resolved::Refused);
            // A folder outside, linked in: refused, whether or not the slash is there
            // (a redirect would tell that the folder exists).
            std::fs::create_dir_all(root.join("outside")).unwrap();
            std::fs::write(root.join("outside/index.html"), "no").unwrap();
            std::os::unix::fs::symlink(root.join("outside"), site.join("out-dir")).unwrap();
            assert_eq!(resolve_path(&site, "/out-dir"), Resolved::Refused);
            assert_eq!(resolve_path(&site, "/out-dir/"), Resolved::Refused);
            assert_eq!(
                resolve_path(&site, "/out-dir/index.html"),
                Resolved::Refused
            );
            // An index.html inside the site that links out.
            std::fs::create_dir_all(site.join("ja")).unwrap();
            std::os::unix::fs::symlink(root.join("secret.txt"), site.join("ja/index.html"))
                .unwrap();
            assert_eq!(
                resolve_path(&site, "/ja"),
                Resolved::Redirect("/ja/".into())
            );
            assert_eq!(resolve_path(&site, "/ja/"), Resolved::Refused);
        }
    }

    #[test]
    fn only_plain_names_are_segments() {
        for ok in ["en", "index.html", ".well-known", "a b", "C", "..a", "a.."] {
            assert!(is_plain_name(ok), "{ok}");
        }
        for bad in [".", "..", "", "a/b", "a\\b", "a\0", "/etc"] {
            assert!(!is_plain_name(bad), "{bad}");
        }
        #[cfg(windows)]
        for bad in ["C:", "c:", "\\\\server\\share"] {
            assert!(!is_plain_name(bad), "{bad}");
        }
    }

    #[test]
    fn percent_decoding_is_strict() {
        assert_eq!(percent_decode_strict("a%20b%2Fc").as_deref(), Some("a b/c"));
        assert_eq!(percent_decode_strict("%e2%82%ac").as_deref(), Some("€"));
        assert_eq!(percent_decode_strict("plain").as_deref(), Some("plain"));
        for bad in ["%+1", "%-1", "% 1", "%1", "%", "%g0", "%0g", "%ff"] {
            assert_eq!(percent_decode_strict(bad), None, "{bad}");
        }
    }
}
