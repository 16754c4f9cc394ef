//! `mailsite serve` end to end: a real server on an ephemeral port, real files in a
//! temporary copy of the shipped site, a real event-stream client. Every wait is
//! bounded and waits for an event, never a fixed sleep (except the short windows that
//! prove that *no further* rebuild happens).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use crate::common;
use mailsite::serve::{start, RebuildEvent, ServeHandle, ServeOptions};

/// Longest wait for anything that should happen.
const WAIT: Duration = Duration::from_secs(10);
/// How long we listen to prove that a second rebuild does not follow.
const QUIET: Duration = Duration::from_millis(600);

/// A temporary copy of the shipped site's inputs.
fn copy_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_site(&common::shipped_root(), dir.path());
    dir
}

struct Fixture {
    dir: tempfile::TempDir,
    server: ServeHandle,
    rebuilds: Receiver<RebuildEvent>,
    sse: Receiver<String>,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture::with(|_| {})
    }

    /// A server on a copy of the shipped site, after `prepare` has changed the copy.
    fn with(prepare: impl FnOnce(&Path)) -> Fixture {
        Fixture::build(prepare, |_| {})
    }

    /// A server with `tune` applied to its options.
    fn with_options(tune: impl FnOnce(&mut ServeOptions)) -> Fixture {
        Fixture::build(|_| {}, tune)
    }

    fn build(prepare: impl FnOnce(&Path), tune: impl FnOnce(&mut ServeOptions)) -> Fixture {
        let dir = copy_site();
        prepare(dir.path());
        let mut opts = ServeOptions::new(dir.path());
        opts.port = Some(0);
        opts.log = false;
        tune(&mut opts);
        let server = start(&opts).expect("server starts");
        assert!(
            server.initial_build().is_ok(),
            "{:?}",
            server.initial_build()
        );
        let rebuilds = server.subscribe();
        let sse = sse_client(server.addr());
        let first = sse.recv_timeout(WAIT).expect("hello from the event stream");
        assert!(first.starts_with("hello"), "{first}");
        Fixture {
            dir,
            server,
            rebuilds,
            sse,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn get(&self, target: &str) -> (u16, String) {
        request(self.server.addr(), &format!("GET {target} HTTP/1.1"))
    }

    /// Waits for exactly one rebuild and one event on the stream, then makes sure no
    /// second rebuild follows.
    fn expect_one_rebuild(&self) -> RebuildEvent {
        let ev = self
            .rebuilds
            .recv_timeout(WAIT)
            .expect("a rebuild within 10 s");
        let msg = self.sse.recv_timeout(WAIT).expect("an event on the stream");
        assert!(msg.starts_with("reload") || msg.starts_with("css"), "{msg}");
        assert!(
            self.rebuilds.recv_timeout(QUIET).is_err(),
            "a second rebuild followed the first ({:?})",
            ev.changed
        );
        assert!(
            self.sse.try_recv().is_err(),
            "a second event followed the first"
        );
        ev
    }

    fn expect_no_rebuild(&self) {
        if let Ok(ev) = self.rebuilds.recv_timeout(QUIET) {
            panic!("unexpected rebuild for {:?}", ev.changed);
        }
    }
}

/// Connects to the event stream; every `event:` name (with its data) goes to the channel.
fn sse_client(addr: SocketAddr) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .write_all(
            b"GET /__mailsite/events HTTP/1.1\r\nHost: test\r\nAccept: text/event-stream\r\n\r\n",
        )
        .unwrap();
    std::thread::spawn(move || {
        let mut name = None;
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if let Some(n) = line.strip_prefix("event: ") {
                name = Some(n.to_string());
            } else if let Some(d) = line.strip_prefix("data: ") {
                if let Some(n) = name.take() {
                    if tx.send(format!("{n} {d}")).is_err() {
                        return;
                    }
                }
            }
        }
    });
    rx
}

/// Sends a raw request line (so nothing normalizes `..`) and returns status and body.
fn request(addr: SocketAddr, request_line: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "{request_line}\r\nHost: test\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

#[test]
fn editing_markdown_rebuilds_once_and_serves_the_new_text() {
    let f = Fixture::new();
    let page = f.path("content/en/settings.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\n\nFreshly edited paragraph 4711.\n");
    std::fs::write(&page, text).unwrap();

    let ev = f.expect_one_rebuild();
    assert!(ev.result.is_ok(), "{:?}", ev.result);
    assert_eq!(ev.changed, vec![PathBuf::from("content/en/settings.md")]);
    assert_eq!(f.server.rebuilds(), 1);
    let (status, body) = f.get("/en/settings/");
    assert_eq!(status, 200);
    assert!(body.contains("Freshly edited paragraph 4711."));
    assert!(
        body.contains("/__mailsite/events"),
        "the live-reload script is injected"
    );
}

#[test]
fn rename_over_save_is_caught() {
    let f = Fixture::new();
    let page = f.path("content/en/settings.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\n\nSaved by rename 0815.\n");
    // How vim and many IDEs save: write a temporary file, rename it over the original.
    let tmp = f.path("content/en/settings.md.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &page).unwrap();

    let ev = f.expect_one_rebuild();
    assert!(ev.result.is_ok(), "{:?}", ev.result);
    assert!(
        ev.changed
            .contains(&PathBuf::from("content/en/settings.md")),
        "{:?}",
        ev.changed
    );
    let (_, body) = f.get("/en/settings/");
    assert!(body.contains("Saved by rename 0815."));
}

/// An input folder replaced as a whole (restored from a backup, renamed away and back) is
/// watched again: removing it is a failed build with its message, bringing it back
/// rebuilds, and edits inside the new folder rebuild as before.
#[test]
fn a_replaced_input_folder_is_watched_again() {
    let f = Fixture::new();
    let content = f.path("content");
    let away = f.path("content-away");
    std::fs::rename(&content, &away).unwrap();
    let ev = f
        .rebuilds
        .recv_timeout(WAIT)
        .expect("removing content/ rebuilds");
    assert!(
        ev.result.is_err(),
        "a site without content/ fails: {:?}",
        ev.changed
    );
    // Back, as a folder made anew (a copy, not the same inode).
    common::copy_dir(&away, &content);
    std::fs::remove_dir_all(&away).unwrap();
    let ev = loop {
        let ev = f
            .rebuilds
            .recv_timeout(WAIT)
            .expect("restoring content/ rebuilds");
        if ev.result.is_ok() {
            break ev;
        }
    };
    assert!(ev.result.is_ok(), "{:?}", ev.result);
    while f.rebuilds.recv_timeout(QUIET).is_ok() {}
    let page = content.join("en/settings.md");
    let text = std::fs::read_to_string(&page).unwrap() + "\n\nIn the restored folder 5150.\n";
    std::fs::write(&page, text).unwrap();
    let ev = f
        .rebuilds
        .recv_timeout(WAIT)
        .expect("an edit in the restored folder rebuilds");
    assert!(ev.result.is_ok(), "{:?}", ev.result);
    assert!(f
        .get("/en/settings/")
        .1
        .contains("In the restored folder 5150."));
}

#[test]
fn broken_data_keeps_serving_with_an_overlay_until_fixed() {
    let f = Fixture::new();
    let matrix = f.path("content/matrix.toml");
    let good = std::fs::read_to_string(&matrix).unwrap();
    let (_, before) = f.get("/en/settings/");

    // Break it: an unterminated string on a line of its own.
    let bad_line = good.lines().count() + 2;
    std::fs::write(&matrix, format!("{good}\nbroken = \"no end\n")).unwrap();
    let ev = f.expect_one_rebuild();
    let problems = ev.result.expect_err("the build fails");
    let shown = problems.to_string();
    assert!(
        shown.contains(&format!("content/matrix.toml:{bad_line}:")),
        "{shown}"
    );

    // Still up, still the last good page, now with the messages for the overlay.
    let (status, body) = f.get("/en/settings/");
    assert_eq!(status, 200);
    assert!(
        body.contains(&format!("content/matrix.toml:{bad_line}:")),
        "overlay data names file and line"
    );
    let strip = |s: &str| {
        let body = s.split_once("\r\n\r\n").unwrap().1;
        body.split("<script type=\"application/json\"")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        strip(&body),
        strip(&before),
        "the last good build is served"
    );
    let (status, missing) = f.get("/en/no-such-page/");
    assert_eq!(status, 404);
    assert!(
        missing.contains("content/matrix.toml:"),
        "404 pages carry the overlay too"
    );

    // Fix it (with a change, to see the new content).
    std::fs::write(&matrix, good.replace("[meta]", "[meta]\n# fixed")).unwrap();
    let page = f.path("content/en/settings.md");
    let ev = f.expect_one_rebuild();
    assert!(ev.result.is_ok(), "{:?}", ev.result);
    let (_, body) = f.get("/en/settings/");
    assert!(body.contains("\"errors\":[]"), "overlay gone");
    assert!(!body.contains("content/matrix.toml:"));
    std::fs::write(
        &page,
        std::fs::read_to_string(&page).unwrap() + "\n\nAfter the fix 2323.\n",
    )
    .unwrap();
    f.expect_one_rebuild();
    assert!(f.get("/en/settings/").1.contains("After the fix 2323."));
}

#[test]
fn fifty_files_at_once_give_one_rebuild() {
    // Like a search-and-replace over 50 files (or a `git checkout`): all change at once.
    let files: Vec<String> = (0..50)
        .map(|i| format!("static/burst/f{i:02}.txt"))
        .collect();
    let f = Fixture::with(|root| {
        std::fs::create_dir_all(root.join("static/burst")).unwrap();
        for (i, rel) in files.iter().enumerate() {
            std::fs::write(root.join(rel), format!("old {i}\n")).unwrap();
        }
    });
    for (i, rel) in files.iter().enumerate() {
        std::fs::write(f.path(rel), format!("file {i}\n")).unwrap();
    }
    let ev = f.expect_one_rebuild();
    assert!(ev.result.is_ok(), "{:?}", ev.result);
    let expected: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
    assert_eq!(ev.changed, expected);
    assert_eq!(f.server.rebuilds(), 1);
    let (status, body) = f.get("/burst/f49.txt");
    assert_eq!(status, 200);
    assert!(body.ends_with("file 49\n"));
}

#[test]
fn editor_temp_files_and_the_output_do_not_rebuild() {
    let f = Fixture::new();
    for t in [
        "content/en/.settings.md.swp",
        "content/en/settings.md~",
        "content/en/4913",
        "content/en/.#settings.md",
        "templates/base.html___jb_tmp___",
        "README.md",
    ] {
        std::fs::write(f.path(t), "x").unwrap();
    }
    // Hidden folders inside the inputs (version control, editor state).
    std::fs::create_dir_all(f.path("content/.git")).unwrap();
    f.expect_no_rebuild();
    std::fs::write(f.path("content/.git/HEAD"), "ref: x").unwrap();
    // The serve output, and a `public/` that `mailsite build` made.
    let out = f.server.out_dir().to_path_buf();
    std::fs::write(out.join("index.html"), "written into the output").unwrap();
    std::fs::create_dir_all(out.join("en/new")).unwrap();
    std::fs::write(out.join("en/new/index.html"), "x").unwrap();
    std::fs::create_dir_all(f.path("public/en")).unwrap();
    std::fs::write(f.path("public/index.html"), "x").unwrap();
    std::fs::write(f.path("public/en/index.html"), "x").unwrap();
    // Reading inputs (as every build does) is not a change either.
    let _ = std::fs::read_to_string(f.path("content/en/settings.md")).unwrap();
    f.expect_no_rebuild();
    assert_eq!(f.server.rebuilds(), 0);
    assert!(
        f.get("/").1.contains("written into the output"),
        "the write into the output really happened and was not rebuilt over"
    );
}

#[test]
fn hidden_files_in_the_inputs_rebuild() {
    // The build copies hidden files (and `.well-known/`) from `static/`, so they count.
    let f = Fixture::new();
    std::fs::write(f.path("static/.htaccess"), "Deny from all\n").unwrap();
    let ev = f.expect_one_rebuild();
    assert_eq!(ev.changed, vec![PathBuf::from("static/.htaccess")]);
    assert_eq!(f.get("/.htaccess").0, 200);

    std::fs::create_dir_all(f.path("static/.well-known")).unwrap();
    std::fs::write(
        f.path("static/.well-known/security.txt"),
        "Contact: mailto:security@example.com\n",
    )
    .unwrap();
    f.expect_one_rebuild();
    let (status, body) = f.get("/.well-known/security.txt");
    assert_eq!(status, 200);
    assert!(body.contains("Contact: mailto:security@example.com"));
}

#[test]
fn css_change_swaps_stylesheets() {
    let f = Fixture::new();
    let css = f.path("static/style.css");
    std::fs::write(
        &css,
        std::fs::read_to_string(&css).unwrap() + "\n.x { color: red }\n",
    )
    .unwrap();
    let ev = f.rebuilds.recv_timeout(WAIT).expect("a rebuild");
    assert!(ev.css_only);
    let msg = f.sse.recv_timeout(WAIT).unwrap();
    assert!(msg.starts_with("css "), "{msg}");
    assert!(f.get("/style.css").1.contains(".x { color: red }"));
}

#[test]
fn requests_cannot_leave_the_output_folder() {
    let f = Fixture::new();
    let out = f.server.out_dir().to_path_buf();
    // The output is `<temporary folder>/site`: `/../secret.txt` would land in that
    // temporary folder, so the secret goes there (and into the site root as well).
    let parent = out.parent().unwrap().to_path_buf();
    assert_ne!(parent, f.dir.path());
    std::fs::write(parent.join("secret.txt"), "top secret").unwrap();
    std::fs::write(f.dir.path().join("secret.txt"), "top secret").unwrap();
    std::fs::create_dir_all(parent.join("private")).unwrap();
    std::fs::write(parent.join("private/index.html"), "top secret").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(parent.join("secret.txt"), out.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(parent.join("private"), out.join("linked-dir")).unwrap();
    }
    for target in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/en/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/en/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/en/..%5c..%5csecret.txt",
        "/%2e%2e/private/",
        "/%2e%2e/private",
        "/%+1/../secret.txt",
        #[cfg(unix)]
        "/link.txt",
        // A folder outside, linked in: no redirect that would confirm it exists.
        #[cfg(unix)]
        "/linked-dir",
        #[cfg(unix)]
        "/linked-dir/",
        #[cfg(unix)]
        "/linked-dir/index.html",
    ] {
        let (status, body) = f.get(target);
        assert!(status == 403 || status == 400, "{target}: {status}");
        assert!(
            !body.contains("top secret") && !body.contains("root:"),
            "{target} leaked"
        );
    }
    // A drive prefix is refused on Windows; elsewhere `C:` is just a missing folder.
    let (status, body) = f.get("/C:/secret.txt");
    assert!(matches!(status, 403 | 404), "{status}");
    assert!(!body.contains("top secret"));
    let (status, _) = request(f.server.addr(), "POST / HTTP/1.1\r\nContent-Length: 0");
    assert_eq!(status, 405);
    let (status, _) = request(f.server.addr(), "DELETE /index.html HTTP/1.1");
    assert_eq!(status, 405);
    let (status, head) = request(f.server.addr(), "HEAD /en/ HTTP/1.1");
    assert_eq!(status, 200);
    assert!(head
        .to_ascii_lowercase()
        .contains("content-type: text/html"));
}

#[test]
fn every_response_is_no_store() {
    let f = Fixture::new();
    for (line, expected) in [
        ("GET /en/ HTTP/1.1", 200),
        ("GET /style.css HTTP/1.1", 200),
        ("GET /en HTTP/1.1", 301),
        ("GET /no-such-page/ HTTP/1.1", 404),
        ("GET /%2e%2e/x HTTP/1.1", 403),
        ("GET /%zz HTTP/1.1", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 0", 405),
        ("PUT /__mailsite/events HTTP/1.1\r\nContent-Length: 0", 405),
    ] {
        let (status, r) = request(f.server.addr(), line);
        assert_eq!(status, expected, "{line}: {r}");
        let head = r.split("\r\n\r\n").next().unwrap().to_ascii_lowercase();
        assert!(head.contains("cache-control: no-store"), "{line}: {head}");
    }
    // The event stream never ends: read just its header.
    let mut s = TcpStream::connect(f.server.addr()).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    s.write_all(b"GET /__mailsite/events HTTP/1.1\r\nHost: test\r\n\r\n")
        .unwrap();
    let mut head = String::new();
    let mut reader = BufReader::new(s);
    while reader.read_line(&mut head).unwrap() > 2 {}
    let head = head.to_ascii_lowercase();
    assert!(head.contains("text/event-stream"), "{head}");
    assert!(head.contains("cache-control: no-store"), "{head}");
    // Only HTML carries the reload script.
    let (_, css) = f.get("/style.css");
    assert!(!css.contains("__mailsite"));
}

#[test]
fn content_types_and_redirects() {
    let f = Fixture::new();
    std::fs::write(f.path("static/mail.mobileconfig"), "<plist/>").unwrap();
    std::fs::write(f.path("static/feed.xml"), "<x/>").unwrap();
    f.expect_one_rebuild();
    let (_, r) = f.get("/mail.mobileconfig");
    assert!(
        r.to_ascii_lowercase()
            .contains("content-type: application/x-apple-aspen-config"),
        "{r}"
    );
    let (_, r) = f.get("/feed.xml");
    assert!(
        r.to_ascii_lowercase()
            .contains("content-type: application/xml"),
        "{r}"
    );
    let (status, r) = f.get("/en");
    assert_eq!(status, 301);
    assert!(r.to_ascii_lowercase().contains("location: /en/"));
}

#[test]
fn an_explicitly_requested_busy_port_is_an_error() {
    let f = Fixture::new();
    let mut opts = ServeOptions::new(f.dir.path());
    opts.port = Some(f.server.addr().port());
    opts.log = false;
    let err = start(&opts).err().expect("busy port refused");
    assert!(err.to_string().contains("already in use"), "{err}");
}

#[test]
fn polling_sees_edits_too() {
    let dir = copy_site();
    let mut opts = ServeOptions::new(dir.path());
    opts.port = Some(0);
    opts.log = false;
    opts.poll = true;
    let server = start(&opts).expect("server starts");
    let rebuilds = server.subscribe();
    let page = dir.path().join("content/en/settings.md");
    std::fs::write(
        &page,
        std::fs::read_to_string(&page).unwrap() + "\n\nPolled edit 99.\n",
    )
    .unwrap();
    let ev = rebuilds.recv_timeout(WAIT).expect("a rebuild within 10 s");
    assert!(ev.result.is_ok(), "{:?}", ev.result);
    assert_eq!(ev.changed, vec![PathBuf::from("content/en/settings.md")]);
    assert!(rebuilds.recv_timeout(QUIET).is_err(), "one rebuild only");
    assert!(request(server.addr(), "GET /en/settings/ HTTP/1.1")
        .1
        .contains("Polled edit 99."));
}

/// The nested loop from the bug report: 10^10 steps, far beyond any page's budget.
const ENDLESS_LOOP: &str =
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}";

#[test]
fn a_looping_page_fails_located_keeps_the_last_good_build_and_is_picked_up_when_fixed() {
    let f = Fixture::new();
    let page = f.path("content/en/settings.md");
    let good = std::fs::read_to_string(&page).unwrap();
    let (_, before) = f.get("/en/settings/");
    assert!(before.contains("\"errors\":[]"));

    let loop_line = good.lines().count() + 2;
    std::fs::write(&page, format!("{good}\n{ENDLESS_LOOP}\n")).unwrap();
    let ev = f.expect_one_rebuild();
    let problems = ev.result.expect_err("the loop fails the build");
    let shown = problems.to_string();
    let location = format!("content/en/settings.md:{loop_line}:1: rendering stopped");
    assert!(shown.contains(&location), "{shown}");

    // The last good page, with the located error for the overlay.
    let (status, body) = f.get("/en/settings/");
    assert_eq!(status, 200);
    assert!(body.contains(&location), "overlay data names the loop");
    let page_text = |s: &str| {
        s.split_once("\r\n\r\n")
            .unwrap()
            .1
            .split("<script type=\"application/json\"")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(page_text(&body), page_text(&before));

    std::fs::write(&page, format!("{good}\nLoop removed 5150.\n")).unwrap();
    let ev = f.expect_one_rebuild();
    assert!(ev.result.is_ok(), "{:?}", ev.result);
    let (status, body) = f.get("/en/settings/");
    assert_eq!(status, 200);
    assert!(body.contains("Loop removed 5150."));
    assert!(body.contains("\"errors\":[]"), "overlay gone");
}

#[cfg(unix)]
#[test]
fn the_preview_is_reachable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| {
        format!(
            "{:o}",
            std::fs::metadata(p).unwrap().permissions().mode() & 0o777
        )
    };
    let f = Fixture::new();
    let out = f.server.out_dir().to_path_buf();
    let temp = out.parent().unwrap().to_path_buf();
    assert_eq!(mode(&temp), "700", "{}", temp.display());
    assert_eq!(mode(&out), "700", "{}", out.display());
    // A rebuild puts a new folder in place of the served one.
    let page = f.path("content/en/settings.md");
    std::fs::write(
        &page,
        std::fs::read_to_string(&page).unwrap() + "\n\nRebuilt 0700.\n",
    )
    .unwrap();
    f.expect_one_rebuild();
    assert!(f.get("/en/settings/").1.contains("Rebuilt 0700."));
    assert_eq!(mode(&out), "700", "after a rebuild");
    assert_eq!(mode(&temp), "700");
}

/// A server on a copy of the shipped site with `tune` applied to its options.
fn server_with(tune: impl FnOnce(&mut ServeOptions)) -> (tempfile::TempDir, ServeHandle) {
    let dir = copy_site();
    let mut opts = ServeOptions::new(dir.path());
    opts.port = Some(0);
    opts.log = false;
    tune(&mut opts);
    let server = start(&opts).expect("server starts");
    assert!(server.initial_build().is_ok());
    (dir, server)
}

/// An event-stream request: the status, and the open connection positioned after the
/// response header (for a `200`, the first event follows).
fn open_stream(addr: SocketAddr) -> (u16, BufReader<TcpStream>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    s.write_all(b"GET /__mailsite/events HTTP/1.1\r\nHost: test\r\n\r\n")
        .unwrap();
    let mut reader = BufReader::new(s);
    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
            break;
        }
    }
    (status, reader)
}

/// Reads events until `event: hello`.
fn expect_hello(reader: &mut BufReader<TcpStream>) {
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap() > 0 {
        if line.starts_with("event: hello") {
            return;
        }
        line.clear();
    }
    panic!("the stream ended before `hello`");
}

/// Retries `attempt` until it succeeds: for a slot the server frees once it notices
/// that a client went away, which it does on its own schedule.
fn eventually(what: &str, mut attempt: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + WAIT;
    while !attempt() {
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: not within {WAIT:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn live_reload_streams_are_capped_and_pages_still_served() {
    let (_dir, server) = server_with(|o| o.max_streams = 2);
    let (s1, mut first) = open_stream(server.addr());
    let (s2, mut second) = open_stream(server.addr());
    assert_eq!((s1, s2), (200, 200));
    expect_hello(&mut first);
    expect_hello(&mut second);
    for _ in 0..3 {
        let (status, mut refused) = open_stream(server.addr());
        assert_eq!(status, 503);
        let mut body = String::new();
        refused.read_line(&mut body).unwrap();
        assert!(body.contains("too many live-reload streams"), "{body}");
    }
    let (status, page) = request(server.addr(), "GET /en/ HTTP/1.1");
    assert_eq!(status, 200);
    assert!(page.contains("/__mailsite/events"));
    // A closed tab gives its slot back.
    drop(first);
    eventually("a stream after one closed", || {
        let (status, mut reader) = open_stream(server.addr());
        if status == 200 {
            expect_hello(&mut reader);
        }
        status == 200
    });
    drop(second);
}

/// Whether the server closes `s` without answering (what it does to connections over
/// the cap).
fn closed_unanswered(mut s: TcpStream) -> bool {
    s.set_read_timeout(Some(WAIT)).unwrap();
    // Writing may already fail: the server may have closed it before the request arrived.
    let _ = s.write_all(b"GET /en/ HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    let mut buf = Vec::new();
    match s.read_to_end(&mut buf) {
        Ok(_) => buf.is_empty(),
        Err(e) => matches!(
            e.kind(),
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe
        ),
    }
}

#[test]
fn connections_over_the_cap_are_closed_and_the_others_served() {
    const CAP: usize = 4;
    // A long header timeout: the idle connections below must stay open for the test.
    let (_dir, server) = server_with(|o| {
        o.max_connections = CAP;
        o.header_read_timeout = Duration::from_secs(120);
    });
    // Keep-alive connections that were answered once: certainly accepted and counted.
    let mut open: Vec<BufReader<TcpStream>> = (0..CAP)
        .map(|_| {
            let mut s = TcpStream::connect(server.addr()).unwrap();
            s.set_read_timeout(Some(WAIT)).unwrap();
            s.write_all(b"HEAD /en/ HTTP/1.1\r\nHost: test\r\n\r\n")
                .unwrap();
            let mut reader = BufReader::new(s);
            let mut status = String::new();
            reader.read_line(&mut status).unwrap();
            assert!(status.starts_with("HTTP/1.1 200"), "{status}");
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap() > 2 {
                line.clear();
            }
            reader
        })
        .collect();
    for _ in 0..3 {
        let extra = TcpStream::connect(server.addr()).unwrap();
        assert!(
            closed_unanswered(extra),
            "a connection over the cap was served"
        );
    }
    // The connections within the cap are still served.
    let conn = open[0].get_mut();
    conn.write_all(b"HEAD /en/settings/ HTTP/1.1\r\nHost: test\r\n\r\n")
        .unwrap();
    let mut status = String::new();
    open[0].read_line(&mut status).unwrap();
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    // One ends: a new connection is served again.
    open.pop();
    eventually("a page after a connection ended", || {
        let s = TcpStream::connect(server.addr()).unwrap();
        !closed_unanswered(s)
    });
    assert_eq!(request(server.addr(), "GET /en/ HTTP/1.1").0, 200);
}

#[test]
fn a_header_sent_too_slowly_is_cut_off_but_event_streams_stay() {
    let timeout = Duration::from_millis(400);
    let f = Fixture::with_options(|o| o.header_read_timeout = timeout);
    let mut slow = TcpStream::connect(f.server.addr()).unwrap();
    slow.set_read_timeout(Some(WAIT)).unwrap();
    let started = std::time::Instant::now();
    slow.write_all(b"GET /en/ HTTP/1.1\r\nHost: te").unwrap();
    let mut buf = Vec::new();
    // Ends (end of file or reset) when the server closes it; a read timeout is a failure.
    match slow.read_to_end(&mut buf) {
        Ok(_) => {}
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
    }
    let waited = started.elapsed();
    assert!(waited >= timeout, "cut off after {waited:?}");
    assert!(waited < WAIT, "not cut off");
    assert!(
        !String::from_utf8_lossy(&buf).contains(" 200 "),
        "answered a half header"
    );
    // The fixture's event stream, open for longer than the timeout, still gets reloads.
    let page = f.path("content/en/settings.md");
    std::fs::write(
        &page,
        std::fs::read_to_string(&page).unwrap() + "\n\nStill listening.\n",
    )
    .unwrap();
    f.expect_one_rebuild();
}

/// `mailsite serve` as a process: signals, terminal lines, resource limits.
#[cfg(target_os = "linux")]
mod process {
    use super::*;
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    use std::process::{Command, ExitStatus, Stdio};
    use std::thread::JoinHandle;
    use std::time::Instant;

    /// A `mailsite serve` child on a copy of the shipped site.
    struct Serve {
        dir: tempfile::TempDir,
        pid: i32,
        addr: SocketAddr,
        /// The temporary folder holding the preview.
        preview: PathBuf,
        stdout: Receiver<String>,
        stderr: Receiver<String>,
        stderr_lines: Option<JoinHandle<Vec<String>>>,
        exited: Receiver<ExitStatus>,
    }

    impl Serve {
        fn start() -> Serve {
            Serve::start_with(None)
        }

        /// `open_files`: the child's limit of open file descriptors.
        fn start_with(open_files: Option<u64>) -> Serve {
            let dir = copy_site();
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailsite"));
            cmd.args(["serve", "--port", "0", "--root"])
                .arg(dir.path())
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            if let Some(n) = open_files {
                let limit = libc::rlimit {
                    rlim_cur: n,
                    rlim_max: n,
                };
                // SAFETY: setrlimit is async-signal-safe; nothing else runs in the child.
                unsafe {
                    cmd.pre_exec(move || {
                        if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) == 0 {
                            Ok(())
                        } else {
                            Err(std::io::Error::last_os_error())
                        }
                    });
                }
            }
            let mut child = cmd.spawn().expect("mailsite serve starts");
            let pid = child.id() as i32;
            let (out_tx, stdout) = mpsc::channel();
            let out = child.stdout.take().unwrap();
            std::thread::spawn(move || {
                for line in BufReader::new(out).lines().map_while(Result::ok) {
                    let _ = out_tx.send(line);
                }
            });
            let (err_tx, stderr) = mpsc::channel();
            let err = child.stderr.take().unwrap();
            let stderr_lines = std::thread::spawn(move || {
                let mut all = Vec::new();
                for line in BufReader::new(err).lines().map_while(Result::ok) {
                    let _ = err_tx.send(line.clone());
                    all.push(line);
                }
                all
            });
            let (exit_tx, exited) = mpsc::channel();
            std::thread::spawn(move || {
                let _ = exit_tx.send(child.wait().unwrap());
            });
            let serving = loop {
                let line = stdout.recv_timeout(WAIT).expect("serve prints its URL");
                if line.starts_with("serving at ") {
                    break line;
                }
            };
            // serving at http://127.0.0.1:PORT/  (output: PATH; watching …)
            let addr = serving["serving at http://".len()..]
                .split('/')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let out = serving
                .split("(output: ")
                .nth(1)
                .unwrap()
                .split("; watching")
                .next()
                .unwrap();
            let preview = Path::new(out).parent().unwrap().to_path_buf();
            assert!(preview.is_dir(), "{}", preview.display());
            Serve {
                dir,
                pid,
                addr,
                preview,
                stdout,
                stderr,
                stderr_lines: Some(stderr_lines),
                exited,
            }
        }

        /// Sends `signal`; the time until the process ended, and how it ended.
        fn stop(&mut self, signal: i32) -> (Duration, ExitStatus) {
            let sent = Instant::now();
            // SAFETY: kill has no memory effects; the child is not reaped before `exited`.
            assert_eq!(unsafe { libc::kill(self.pid, signal) }, 0);
            let status = self
                .exited
                .recv_timeout(WAIT)
                .expect("serve exits after the signal");
            (sent.elapsed(), status)
        }

        /// Everything written to standard error (once the process has ended).
        fn stderr_lines(&mut self) -> Vec<String> {
            self.stderr_lines.take().unwrap().join().unwrap()
        }

        /// CPU time used so far, in clock ticks.
        fn cpu_ticks(&self) -> u64 {
            let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid)).unwrap();
            // After the command name in parentheses: state is field 3, utime 14, stime 15.
            let fields: Vec<&str> = stat
                .rsplit_once(')')
                .unwrap()
                .1
                .split_whitespace()
                .collect();
            fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
        }
    }

    impl Drop for Serve {
        fn drop(&mut self) {
            if self.exited.try_recv().is_err() {
                // SAFETY: as in `stop`.
                unsafe { libc::kill(self.pid, libc::SIGKILL) };
                let _ = self.exited.recv_timeout(WAIT);
            }
            let _ = std::fs::remove_dir_all(&self.preview);
        }
    }

    fn clock_ticks_per_second() -> u64 {
        // SAFETY: sysconf only reads a configuration value.
        unsafe { libc::sysconf(libc::_SC_CLK_TCK) as u64 }
    }

    /// Every client guide (90 pages) gets a loop within the render budget: about a tenth
    /// of a second per page, several seconds for the rebuild.
    const SLOW_LOOP: &str =
        "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}";

    fn stops_within_a_second_during_a_slow_rebuild(signal: i32) {
        let mut s = Serve::start();
        let idle = s.cpu_ticks();
        common::edit(
            &s.dir.path().join("templates/client-guide.html"),
            "{% block main %}",
            &format!("{{% block main %}}{SLOW_LOOP}"),
        );
        // An idle server uses next to no CPU: 0.3 s of it means the rebuild is rendering.
        let busy = clock_ticks_per_second() * 3 / 10;
        let deadline = Instant::now() + WAIT;
        while s.cpu_ticks() < idle + busy {
            assert!(Instant::now() < deadline, "no rebuild started");
            std::thread::sleep(Duration::from_millis(10));
        }
        // Pages are served meanwhile.
        assert_eq!(request(s.addr, "GET /en/ HTTP/1.1").0, 200);
        let (took, status) = s.stop(signal);
        assert!(status.success(), "{status:?}");
        assert_eq!(status.signal(), None);
        assert!(took < Duration::from_secs(1), "stopping took {took:?}");
        assert!(!s.preview.exists(), "{} left behind", s.preview.display());
        let said: Vec<String> = s.stdout.try_iter().collect();
        assert!(said.iter().any(|l| l == "stopping"), "{said:?}");
        assert!(
            !said.iter().any(|l| l.starts_with("changed ")),
            "the rebuild finished before the signal, so this proves nothing: {said:?}"
        );
    }

    #[test]
    fn sigterm_during_a_slow_rebuild_stops_within_a_second_and_removes_the_preview() {
        stops_within_a_second_during_a_slow_rebuild(libc::SIGTERM);
    }

    #[test]
    fn sigint_during_a_slow_rebuild_stops_within_a_second_and_removes_the_preview() {
        stops_within_a_second_during_a_slow_rebuild(libc::SIGINT);
    }

    /// How many lines of `lines` contain `what`.
    fn count(lines: &[String], what: &str) -> usize {
        lines.iter().filter(|l| l.contains(what)).count()
    }

    #[test]
    fn the_default_limits_refuse_the_excess_and_say_so_once() {
        let mut s = Serve::start();
        let max_streams = mailsite::serve::DEFAULT_MAX_STREAMS;
        let max_connections = mailsite::serve::DEFAULT_MAX_CONNECTIONS;
        let mut open = Vec::new();
        for _ in 0..max_streams {
            let (status, mut stream) = open_stream(s.addr);
            assert_eq!(status, 200);
            expect_hello(&mut stream);
            open.push(stream);
        }
        for _ in 0..10 {
            assert_eq!(open_stream(s.addr).0, 503);
        }
        assert_eq!(request(s.addr, "GET /en/ HTTP/1.1").0, 200);
        // Fill the remaining connections with answered keep-alive ones.
        let mut idle = Vec::new();
        for _ in max_streams..max_connections {
            let mut c = TcpStream::connect(s.addr).unwrap();
            c.set_read_timeout(Some(WAIT)).unwrap();
            c.write_all(b"HEAD /style.css HTTP/1.1\r\nHost: test\r\n\r\n")
                .unwrap();
            let mut reader = BufReader::new(c);
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            assert!(line.starts_with("HTTP/1.1 200"), "{line}");
            while reader.read_line(&mut line).unwrap() > 2 {
                line.clear();
            }
            idle.push(reader);
        }
        for _ in 0..10 {
            assert!(closed_unanswered(TcpStream::connect(s.addr).unwrap()));
        }
        let (_, status) = s.stop(libc::SIGTERM);
        assert!(status.success());
        let said = s.stderr_lines();
        assert_eq!(count(&said, "too many live-reload streams"), 1, "{said:?}");
        assert_eq!(count(&said, "too many connections"), 1, "{said:?}");
        assert_eq!(said.len(), 2, "{said:?}");
    }

    #[test]
    fn running_out_of_file_descriptors_is_reported_once_and_waited_out() {
        // About 20 descriptors are in use once serve runs; the rest is for connections.
        let mut s = Serve::start_with(Some(48));
        let clients: Vec<TcpStream> = (0..80)
            .map(|_| TcpStream::connect(s.addr).unwrap())
            .collect();
        let line = loop {
            let line = s
                .stderr
                .recv_timeout(WAIT)
                .expect("a warning about open files");
            if line.contains("too many open files") {
                break line;
            }
        };
        assert!(line.contains("ulimit -n"), "{line}");
        // Waiting, not spinning: a second of wall time costs little CPU time.
        let before = s.cpu_ticks();
        let window = Instant::now();
        std::thread::sleep(Duration::from_secs(1));
        let used = s.cpu_ticks() - before;
        let allowed = clock_ticks_per_second() * window.elapsed().as_millis() as u64 / 1000 / 4;
        assert!(
            used <= allowed,
            "{used} ticks of CPU in {:?}",
            window.elapsed()
        );
        drop(clients);
        eventually("a page once descriptors are free", || {
            request(s.addr, "GET /en/ HTTP/1.1").0 == 200
        });
        let (_, status) = s.stop(libc::SIGTERM);
        assert!(status.success());
        let said = s.stderr_lines();
        assert_eq!(count(&said, "too many open files"), 1, "{said:?}");
    }
}
