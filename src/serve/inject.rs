//! The live-reload script and the build-error overlay, injected into served HTML.
//!
//! The build's messages travel as JSON inside a `<script type="application/json">`
//! element (with `<`, `>` and `&` escaped so nothing can close the element), and the
//! script draws the overlay with DOM calls and `textContent` only: text from the
//! site's files is never parsed as HTML in the browser.

use std::sync::OnceLock;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::diag::Diagnostics;

/// Path of the server-sent events stream.
pub const EVENTS_PATH: &str = "/__mailsite/events";

const SCRIPT: &str = r#"(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("__mailsite-data").textContent);
  function overlay(errors) {
    var old = document.getElementById("__mailsite-overlay");
    if (old) old.remove();
    if (!errors.length) return;
    var box = document.createElement("div");
    box.id = "__mailsite-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#2b0b0b;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;padding:1em 1.5em;" +
      "border-top:4px solid #e5484d;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
    var title = document.createElement("strong");
    title.textContent = "mailsite: the last build failed (" + errors.length +
      " problem" + (errors.length === 1 ? "" : "s") + "); this page is from the last good build.";
    box.appendChild(title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:.5em 0 0;padding-left:1.2em";
    errors.forEach(function (e) {
      var li = document.createElement("li");
      li.style.whiteSpace = "pre-wrap";
      li.textContent = e;
      list.appendChild(li);
    });
    box.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "hide");
    close.style.cssText = "position:absolute;top:.3em;right:.6em;background:none;border:0;color:inherit;font-size:20px;cursor:pointer";
    close.onclick = function () { box.remove(); };
    box.appendChild(close);
    document.body.appendChild(box);
  }
  function swapCss(gen) {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      var u = new URL(l.href, location.href);
      // Only our own stylesheets changed; a CDN's would just be fetched again.
      if (u.origin !== location.origin) return;
      u.searchParams.set("mailsite", gen);
      l.href = u.toString();
    });
  }
  overlay(data.errors);
  if (!window.EventSource) return;
  var es = new EventSource("__EVENTS__");
  es.addEventListener("hello", function (e) {
    // A rebuild (or a server restart) happened while this tab was not listening.
    if (e.data !== data.generation) location.reload();
  });
  es.addEventListener("reload", function () { location.reload(); });
  es.addEventListener("css", function (e) { data.generation = e.data; swapCss(e.data); });
})();"#;

/// The live-reload script exactly as it is injected.
fn script() -> &'static str {
    static S: OnceLock<String> = OnceLock::new();
    S.get_or_init(|| SCRIPT.replace("__EVENTS__", EVENTS_PATH))
}

/// The script's Content-Security-Policy source (`'sha256-…'`): pages that allow only
/// scripts from their own origin allow this one inline script too, and nothing else.
pub fn script_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| {
        let digest = Sha256::digest(script().as_bytes());
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    })
}

/// The markup added to every served HTML page: the data element and the script.
pub fn snippet(generation: &str, errors: &Diagnostics) -> String {
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let data = serde_json::json!({ "generation": generation, "errors": messages });
    format!(
        "<script type=\"application/json\" id=\"__mailsite-data\">{}</script>\n<script>{}</script>\n",
        json_for_html(&data.to_string()),
        script()
    )
}

/// Adds the live-reload script's hash to the `script-src` of a page's
/// Content-Security-Policy `<meta>`, so the policy still blocks every other inline script.
fn allow_script(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let Some(meta) = lower.find("http-equiv=\"content-security-policy\"") else {
        return html.to_string();
    };
    let tag_end = lower[meta..].find('>').map_or(html.len(), |i| meta + i);
    let Some(content) = lower[meta..tag_end]
        .find("content=\"")
        .map(|i| meta + i + "content=\"".len())
    else {
        return html.to_string();
    };
    let content_end = lower[content..tag_end]
        .find('"')
        .map_or(tag_end, |i| content + i);
    let policy = &lower[content..content_end];
    let (at, insert) = match policy.find("script-src") {
        Some(i) => {
            let directive_end = policy[i..].find(';').map_or(policy.len(), |j| i + j);
            (content + directive_end, format!(" {}", script_hash()))
        }
        None => (
            content_end,
            format!("; script-src 'self' {}", script_hash()),
        ),
    };
    let mut out = String::with_capacity(html.len() + insert.len());
    out.push_str(&html[..at]);
    out.push_str(&insert);
    out.push_str(&html[at..]);
    out
}

/// Makes JSON safe inside a `<script>` element: no `<`, `>` or `&` survives literally
/// (they become `\u003c`, … which JSON.parse reads back unchanged).
fn json_for_html(json: &str) -> String {
    let mut s = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => s.push_str("\\u003c"),
            '>' => s.push_str("\\u003e"),
            '&' => s.push_str("\\u0026"),
            '\u{2028}' => s.push_str("\\u2028"),
            '\u{2029}' => s.push_str("\\u2029"),
            c => s.push(c),
        }
    }
    s
}

/// Inserts `snippet` before the last `</body>` (any case), or at the end if there is none.
pub fn inject(html: &str, snippet: &str) -> String {
    let html = &allow_script(html);
    let lower = html.to_ascii_lowercase();
    let at = lower.rfind("</body>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + snippet.len());
    out.push_str(&html[..at]);
    out.push_str(snippet);
    out.push_str(&html[at..]);
    out
}

/// The page served for a missing path: it carries the script, so it recovers by itself.
pub fn not_found_page(path: &str, snippet: &str) -> String {
    let text = crate::html::escape(path);
    inject(
        &format!(
            "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>404 Not Found</title></head>\n\
             <body><h1>404 Not Found</h1><p>Nothing is built at <code>{text}</code>.</p>\
             <p><a href=\"/\">Back to the start page</a></p></body></html>\n"
        ),
        snippet,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;

    #[test]
    fn snippet_cannot_break_out_of_its_script() {
        let errs: Diagnostics = Diagnostic::new(
            "content/en/a.md",
            3,
            1,
            "bad </script><img src=x onerror=alert(1)> & co",
        )
        .into();
        let s = snippet("g1", &errs);
        let data = s.split("</script>").next().unwrap();
        assert!(!data.contains("<img"));
        assert!(data.contains("content/en/a.md:3:1: bad \\u003c/script\\u003e"));
    }

    #[test]
    fn not_found_page_escapes_the_path() {
        let page = not_found_page("/<img src=x onerror=alert(1)>\"'&", "S");
        assert!(page.contains("/&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"));
        assert!(!page.contains("<img"));
    }

    #[test]
    fn a_content_security_policy_allows_the_script_by_its_hash_only() {
        let page = "<head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; style-src 'self'\"></head><body></body>";
        let out = inject(page, "S");
        assert!(
            out.contains(&format!(
                "script-src 'self' {}; style-src 'self'",
                script_hash()
            )),
            "{out}"
        );
        assert!(script_hash().starts_with("'sha256-") && script_hash().len() > 50);
        let without = inject("<meta http-equiv=\"content-security-policy\" content=\"default-src 'self'\"><body></body>", "S");
        assert!(
            without.contains(&format!(
                "default-src 'self'; script-src 'self' {}\"",
                script_hash()
            )),
            "{without}"
        );
        assert_eq!(inject("<body></body>", "S"), "<body>S</body>");
    }

    #[test]
    fn injects_before_the_last_body_end() {
        assert_eq!(
            inject("<html><BODY>x</BODY></html>", "S"),
            "<html><BODY>xS</BODY></html>"
        );
        assert_eq!(inject("plain", "S"), "plainS");
    }
}
