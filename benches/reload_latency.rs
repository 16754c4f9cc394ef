//! Save-to-reload latency of `mailsite serve` on the shipped manual: the time from
//! writing a Markdown file to the `reload` event arriving on a real event-stream
//! connection (debounce + coalescing + full rebuild + broadcast).
//!
//!     cargo bench --bench reload_latency                 # 30 runs, native events
//!     cargo bench --bench reload_latency -- --runs 50 --poll

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use mailsite::serve::{start, ServeOptions, DEFAULT_DEBOUNCE};

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(30);
    if runs == 0 {
        eprintln!("error: --runs must be at least 1");
        std::process::exit(2);
    }
    let poll = args.iter().any(|a| a == "--poll");

    let dir = tempfile::tempdir().unwrap();
    common::copy_site(&common::shipped_root(), dir.path());

    let mut opts = ServeOptions::new(dir.path());
    opts.port = Some(0);
    opts.log = false;
    opts.poll = poll;
    let server = start(&opts).expect("server starts");
    let rebuilds = server.subscribe();

    // A real event-stream client.
    let (tx, events) = mpsc::channel::<(String, Instant)>();
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .write_all(
            b"GET /__mailsite/events HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n",
        )
        .unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if let Some(name) = line.strip_prefix("event: ") {
                if tx.send((name.to_string(), Instant::now())).is_err() {
                    return;
                }
            }
        }
    });
    let (hello, _) = events.recv_timeout(Duration::from_secs(10)).expect("hello");
    assert_eq!(hello, "hello");

    let page = dir.path().join("content/en/settings.md");
    let original = std::fs::read_to_string(&page).unwrap();
    let mut latencies = Vec::with_capacity(runs);
    let mut builds = Vec::with_capacity(runs);
    for i in 0..runs {
        let written = Instant::now();
        std::fs::write(&page, format!("{original}\n\nEdit number {i}.\n")).unwrap();
        let (name, at) = events
            .recv_timeout(Duration::from_secs(10))
            .expect("reload event");
        assert_eq!(name, "reload");
        latencies.push(at - written);
        let ev = rebuilds
            .recv_timeout(Duration::from_secs(10))
            .expect("rebuild event");
        builds.push(ev.result.expect("build succeeds"));
        // Let the watcher settle so runs do not overlap.
        std::thread::sleep(Duration::from_millis(100));
    }
    server.stop();

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pct = |v: &mut Vec<Duration>, p: f64| {
        v.sort();
        v[((v.len() - 1) as f64 * p).round() as usize]
    };
    println!(
        "save-to-reload latency over {runs} runs ({} watcher, debounce {} ms):",
        if poll { "polling" } else { "native" },
        DEFAULT_DEBOUNCE.as_millis()
    );
    println!(
        "  median {:.0} ms, p90 {:.0} ms, min {:.0} ms, max {:.0} ms",
        ms(pct(&mut latencies, 0.5)),
        ms(pct(&mut latencies, 0.9)),
        ms(latencies[0]),
        ms(latencies[latencies.len() - 1])
    );
    println!(
        "  of which the full rebuild: median {:.0} ms, p90 {:.0} ms",
        ms(pct(&mut builds, 0.5)),
        ms(pct(&mut builds, 0.9))
    );
}
