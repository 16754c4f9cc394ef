//! The HTTP side of `serve`: static files from the serve output folder (GET/HEAD only,
//! no way out of that folder), the live-reload event stream, and script injection.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::inject::{self, EVENTS_PATH};
use super::{Shared, SseMsg};

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(files)
        .with_state(shared)
}

/// `event: hello` with the current generation first, then one event per rebuild.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = shared.sse.subscribe();
    let hello = Event::default().event("hello").data(shared.generation());
    let updates = stream::unfold(rx, |mut rx| async move {
        let event = match rx.recv().await {
            Ok(SseMsg::Reload(g)) => Event::default().event("reload").data(g),
            Ok(SseMsg::Css(g)) => Event::default().event("css").data(g),
            // Missed messages: a reload covers whatever they were.
            Err(RecvError::Lagged(_)) => Event::default().event("reload").data("lagged"),
            Err(RecvError::Closed) => return None,
        };
        Some((Ok(event), rx))
    });
    Sse::new(stream::once(async move { Ok(hello) }).chain(updates)).keep_alive(KeepAlive::default())
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
    let snippet = shared.snippet();
    match resolve(&shared.out, uri.path()) {
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
        Resolved::NotFound => not_found(uri.path(), &snippet),
        Resolved::File(path) => match tokio::fs::read(&path).await {
            Ok(bytes) => {
                let ctype = content_type(&path);
                let body = if ctype.starts_with("text/html") {
                    let html = String::from_utf8_lossy(&bytes);
                    Body::from(inject::inject(&html, &snippet))
                } else {
                    Body::from(bytes)
                };
                Response::builder()
                    .header(header::CONTENT_TYPE, ctype)
                    .header(header::CACHE_CONTROL, "no-store")
                    .header("x-content-type-options", "nosniff")
                    .body(body)
                    .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
            }
            // Gone between resolving and reading (a rebuild swapped the folder): a 404
            // that reloads itself with the next event.
            Err(_) => not_found(uri.path(), &snippet),
        },
    }
}

fn not_found(path: &str, snippet: &str) -> Response {
    let mut r = (StatusCode::NOT_FOUND, inject::not_found_page(path, snippet)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
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
/// be canonical. Nothing outside `root` is ever returned: `.`/`..` segments (encoded or
/// not) and backslashes are refused outright, and the final file is canonicalized and
/// must still lie under `root` (so symlinks cannot lead out).
pub fn resolve(root: &Path, raw: &str) -> Resolved {
    if !raw.starts_with('/') || raw.contains('\\') {
        return Resolved::Refused;
    }
    let mut segments = Vec::new();
    let mut raw_segments = Vec::new();
    for seg in raw.split('/').filter(|s| !s.is_empty()) {
        let Some(decoded) = percent_decode(seg) else {
            return Resolved::BadRequest;
        };
        if decoded == "." || decoded == ".." || decoded.contains(['/', '\\', '\0']) {
            return Resolved::Refused;
        }
        segments.push(decoded);
        raw_segments.push(seg);
    }
    let mut path = root.to_path_buf();
    path.extend(&segments);
    let Ok(meta) = std::fs::metadata(&path) else {
        return Resolved::NotFound;
    };
    if meta.is_dir() {
        if !raw.ends_with('/') {
            // Rebuilt from the segments so that `//host` can never become a redirect elsewhere.
            return Resolved::Redirect(format!("/{}/", raw_segments.join("/")));
        }
        path.push("index.html");
    }
    match std::fs::canonicalize(&path) {
        Ok(real) if !real.starts_with(root) => Resolved::Refused,
        Ok(real) if real.is_file() => Resolved::File(real),
        _ => Resolved::NotFound,
    }
}

/// Decodes `%XX` escapes; `None` for a malformed escape or bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
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
            assert_eq!(resolve(&site, p), Resolved::Refused, "{p}");
        }
        assert_eq!(resolve(&site, "/%zz"), Resolved::BadRequest);
        assert_eq!(resolve(&site, "/en"), Resolved::Redirect("/en/".into()));
        assert_eq!(resolve(&site, "//en"), Resolved::Redirect("/en/".into()));
        assert_eq!(
            resolve(&site, "/en/"),
            Resolved::File(site.join("en/index.html"))
        );
        assert_eq!(resolve(&site, "/nope.html"), Resolved::NotFound);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("secret.txt"), site.join("link.txt")).unwrap();
            assert_eq!(resolve(&site, "/link.txt"), Resolved::Refused);
        }
    }
}
