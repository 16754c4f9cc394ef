//! `mailsite check`: the shipped content, one broken fixture per rule (insta snapshots
//! of the report), and mutation tests that change one fact of the data and prove every
//! page follows.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use mailsite::build::render_site;
use mailsite::check::parse::text_of;
use mailsite::check::{check, check_rendered, parse_pages, Problem, Report, Rule};
use serde::Deserialize;
use tempfile::TempDir;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Replaces the first `from` in `root/file`; panics when it is not there.
fn replace(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert!(
        text.contains(from),
        "{file} no longer contains {from:?}: update the test or fixture"
    );
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[derive(Deserialize)]
struct Replacements {
    replace: Vec<Replacement>,
}

#[derive(Deserialize)]
struct Replacement {
    file: String,
    from: String,
    to: String,
}

/// The shipped site in a temp dir, with a fixture case's files and replacements applied.
fn site(case: Option<&str>) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        repo().join("mailsite.toml"),
        dir.path().join("mailsite.toml"),
    )
    .unwrap();
    for sub in ["content", "templates", "static"] {
        copy_dir(&repo().join(sub), &dir.path().join(sub));
    }
    if let Some(case) = case {
        let fixture = repo().join("tests/fixtures/check").join(case);
        assert!(fixture.is_dir(), "no fixture {case}");
        if fixture.join("files").is_dir() {
            copy_dir(&fixture.join("files"), dir.path());
        }
        if let Ok(text) = fs::read_to_string(fixture.join("replace.toml")) {
            let r: Replacements = toml::from_str(&text).unwrap();
            for r in r.replace {
                replace(dir.path(), &r.file, &r.from, &r.to);
            }
        }
    }
    dir
}

fn rules(report: &Report) -> Vec<Rule> {
    let mut r: Vec<Rule> = report.problems.iter().map(|p| p.rule).collect();
    r.sort();
    r.dedup();
    r
}

#[test]
fn shipped_content_passes_check() {
    let report = check(&repo());
    let unexpected: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert!(
        unexpected.is_empty(),
        "new problems in the shipped content:\n{}",
        unexpected.join("\n")
    );
    assert!(report.stats.settings > 100, "{:?}", report.stats);
    assert!(report.stats.links > 50, "{:?}", report.stats);
    insta::assert_snapshot!("shipped", report.text());
}

fn check_case(case: &str) -> Report {
    let dir = site(Some(case));
    let report = check(dir.path());
    assert!(!report.is_ok(), "{case}: check should fail");
    for p in &report.problems {
        assert!(
            p.line >= 1 && p.column >= 1,
            "{case}: unlocated problem {p}"
        );
    }
    report
}

/// The report as a docs writer reads it.
fn case_text(report: &Report) -> String {
    report.text()
}

#[test]
fn rule_1_data_inconsistency_is_reported_as_is() {
    let report = check_case("data");
    assert_eq!(rules(&report), vec![Rule::Data]);
    assert!(report
        .problems
        .iter()
        .all(|p| p.path == "content/matrix.toml"));
    insta::assert_snapshot!("data", case_text(&report));
}

#[test]
fn rule_2_a_wrong_value_in_a_marker_names_page_and_element() {
    let report = check_case("values");
    assert_eq!(rules(&report), vec![Rule::Values]);
    let values: Vec<&Problem> = report
        .problems
        .iter()
        .filter(|p| p.rule == Rule::Values)
        .collect();
    assert_eq!(values.len(), 12, "{}", report.text());
    assert!(values
        .iter()
        .any(|p| p.path == "en/about/index.html" && p.message.contains("`111`")));
    // `data-port` pins the option: port 25 is the data's, but not under the id `submission`.
    assert!(values
        .iter()
        .any(|p| p.message.contains("data-port=\"submission\"") && p.message.contains("`25`")));
    // A protocol name is checked although it has no `data-setting`.
    assert!(values
        .iter()
        .any(|p| p.message.starts_with("<span data-plan") && p.message.contains("`IMAP`")));
    insta::assert_snapshot!("values", case_text(&report));
}

#[test]
fn rule_7_every_warning_the_data_gives_a_connection_reaches_its_pages() {
    let report = check_case("warnings");
    assert_eq!(rules(&report), vec![Rule::Advice]);
    assert!(report
        .problems
        .iter()
        .all(|p| p.path.contains("/plans/") && p.message.contains("the data warns")));
    insta::assert_snapshot!("warnings", case_text(&report));
}

#[test]
fn rule_3_hand_typed_ports_and_hosts_are_found_and_the_allow_list_is_checked() {
    let report = check_case("typed");
    assert_eq!(rules(&report), vec![Rule::Typed]);
    let paths: Vec<&str> = report.problems.iter().map(|p| p.path.as_str()).collect();
    assert!(paths.contains(&"content/en/settings.md"));
    assert!(paths.contains(&"templates/home.html"));
    assert!(
        paths.contains(&"content/check-allow.toml"),
        "the stale allow entry is reported"
    );
    assert!(
        !report.text().contains("`25`"),
        "the allowed `25` is not reported"
    );
    insta::assert_snapshot!("typed", case_text(&report));
}

#[test]
fn rule_3_client_texts_and_labels_are_scanned_too() {
    let report = check_case("typed-clients");
    assert_eq!(rules(&report), vec![Rule::Typed]);
    assert!(
        report
            .problems
            .iter()
            .all(|p| p.path == "content/clients/gmail-android.toml"),
        "{}",
        report.text()
    );
    let text = report.text();
    assert!(text.contains("`587`"), "{text}");
    assert!(text.contains("`mail.sample.co.jp`"), "{text}");
    insta::assert_snapshot!("typed_clients", case_text(&report));
}

#[test]
fn rule_4_unmarked_text_of_the_other_language_is_found() {
    let report = check_case("translations");
    assert_eq!(rules(&report), vec![Rule::Translations]);
    insta::assert_snapshot!("translations", case_text(&report));
}

#[test]
fn rule_4_a_page_missing_in_one_language_is_reported() {
    let report = check_case("translations-missing");
    assert_eq!(rules(&report), vec![Rule::Translations]);
    insta::assert_snapshot!("translations_missing", case_text(&report));
}

#[test]
fn rule_5_broken_links_anchors_and_orphans_are_found() {
    let report = check_case("links");
    assert_eq!(rules(&report), vec![Rule::Links]);
    insta::assert_snapshot!("links", case_text(&report));
}

#[test]
fn rule_6_html_parse_errors_are_located() {
    let report = check_case("html");
    assert_eq!(rules(&report), vec![Rule::Html]);
    assert!(report
        .problems
        .iter()
        .any(|p| p.path == "en/index.html" && p.message.contains("parse error")));
    insta::assert_snapshot!("html", case_text(&report));
}

#[test]
fn cli_exit_codes_and_json() {
    let bin = env!("CARGO_BIN_EXE_mailsite");
    let dir = site(Some("typed"));
    let out = Command::new(bin)
        .args(["check", "--format", "json", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &json.as_array().unwrap()[0];
    for key in ["rule", "path", "line", "column", "message"] {
        assert!(first.get(key).is_some(), "{first}");
    }
    let out = Command::new(bin)
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("content/en/settings.md:"), "{text}");
    assert!(
        text.lines().last().unwrap().starts_with("check failed:"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------
// Mutation tests: change one fact, rebuild in memory, every page follows.

/// Every `data-setting` element per page: (its attributes without `data-value`, value, text).
type Markers = BTreeMap<String, Vec<(Vec<(String, String)>, String, String)>>;

/// A site rendered and parsed once: its markers, each page's HTML, and `check`'s report.
struct Checked {
    markers: Markers,
    html: BTreeMap<String, String>,
    report: Report,
}

fn render_and_check(root: &Path) -> Checked {
    let rendered = render_site(root, None).unwrap_or_else(|d| panic!("{d}"));
    let pages = parse_pages(&rendered);
    let markers = pages
        .iter()
        .map(|parsed| {
            let list = parsed
                .elements()
                .filter(|e| e.value().attr("data-setting").is_some())
                .map(|e| {
                    let mut attrs: Vec<(String, String)> = e
                        .value()
                        .attrs()
                        .filter(|(k, _)| k.starts_with("data-") && *k != "data-value")
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect();
                    attrs.sort();
                    (
                        attrs,
                        e.value().attr("data-value").unwrap_or("").to_string(),
                        text_of(&e),
                    )
                })
                .collect();
            (parsed.output.clone(), list)
        })
        .collect();
    let html = rendered
        .pages
        .iter()
        .map(|p| (p.output.clone(), p.html.clone()))
        .collect();
    let report = check_rendered(root, &rendered, pages);
    Checked {
        markers,
        html,
        report,
    }
}

/// The unchanged shipped site, which every mutation is compared with (computed once).
fn unchanged() -> &'static Checked {
    static UNCHANGED: OnceLock<Checked> = OnceLock::new();
    UNCHANGED.get_or_init(|| render_and_check(site(None).path()))
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Changes one fact; asserts every marker that `matches` went from `old` to `new`
/// (value and/or text as `field` says), none still shows `old`, and nothing else
/// changed; then that `check` finds nothing new. Returns how many markers changed, and
/// the changed site's pages (output path → HTML).
fn mutate(
    file: &str,
    from: &str,
    to: &str,
    matches: impl Fn(&str, &[(String, String)]) -> bool,
    expect: impl Fn(&str, &str, &str) -> (String, String),
) -> (usize, BTreeMap<String, String>) {
    let after_dir = site(None);
    replace(after_dir.path(), file, from, to);
    let baseline = unchanged();
    let before = &baseline.markers;
    let mutated = render_and_check(after_dir.path());
    let after = &mutated.markers;
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let mut changed = 0;
    for (page, old_list) in before {
        let new_list = &after[page];
        assert_eq!(
            old_list.len(),
            new_list.len(),
            "{page}: markers appeared or vanished"
        );
        for ((a0, v0, t0), (a1, v1, t1)) in old_list.iter().zip(new_list) {
            assert_eq!(a0, a1, "{page}: marker order changed");
            if matches(page, a0) {
                let (ev, et) = expect(page, v0, t0);
                assert_eq!(
                    (v1, t1),
                    (&ev, &et),
                    "{page}: {a0:?} did not follow the data"
                );
                if (v0, t0) != (&ev, &et) {
                    changed += 1;
                }
            } else {
                assert_eq!(
                    (v0, t0),
                    (v1, t1),
                    "{page}: {a0:?} changed although the fact is unrelated"
                );
            }
        }
    }
    assert!(
        changed > 0,
        "the mutation changed no marker: the test checks nothing"
    );
    assert_eq!(
        mutated.report.problems, baseline.report.problems,
        "check found new problems after a consistent change"
    );
    (changed, mutated.html)
}

#[test]
fn mutation_pop3_ssl_port_995_to_996() {
    let (changed, html) = mutate(
        "content/matrix.toml",
        "id = \"pop3-ssl\"\nnumber = 995",
        "id = \"pop3-ssl\"\nnumber = 996",
        |_, a| {
            attr(a, "data-setting") == Some("port") && attr(a, "data-direction") == Some("incoming")
        },
        |_, v, t| {
            if v == "995" {
                ("996".into(), "996".into())
            } else {
                (v.into(), t.into())
            }
        },
    );
    assert!(changed >= 10, "{changed}");
    // And no page shows 995 anywhere any more.
    for (page, text) in html {
        assert!(!text.contains("995"), "{page} still shows 995");
    }
}

#[test]
fn mutation_shared_certificate_domain() {
    let (_, html) = mutate(
        "content/matrix.toml",
        "shared_certificate_domain = \"neoworks.jp\"",
        "shared_certificate_domain = \"certs.example.net\"",
        |_, a| attr(a, "data-setting") == Some("host"),
        |_, v, t| {
            (
                v.replace("neoworks.jp", "certs.example.net"),
                t.replace("neoworks.jp", "certs.example.net"),
            )
        },
    );
    // The provider's own web site (the support desk's address) is another fact.
    let support = "https://www.neoworks.jp/";
    for (page, text) in html {
        assert!(
            !text.replace(support, "").contains("neoworks.jp"),
            "{page} still shows neoworks.jp"
        );
    }
}

#[test]
fn mutation_plan_ssl_availability() {
    mutate(
        "content/matrix.toml",
        "name.en = \"Managed plan\"\nssl = \"supported\"",
        "name.en = \"Managed plan\"\nssl = \"with-certificate\"",
        |_, a| {
            attr(a, "data-feature") == Some("ssl") && attr(a, "data-plan") == Some("shared-managed")
        },
        |page, _, _| {
            let label = if page.starts_with("en/") {
                "Supported only when an SSL certificate has been obtained for that mail server name"
            } else {
                "そのメールサーバー名のSSL証明書を取得している場合のみ対応"
            };
            ("with-certificate".into(), label.into())
        },
    );
}

#[test]
fn mutation_japanese_auth_label() {
    let (_, html) = mutate(
        "content/matrix.toml",
        "label.ja = \"暗号化されたパスワード認証\"",
        "label.ja = \"暗号化パスワード認証(CRAM-MD5)\"",
        |page, a| attr(a, "data-setting") == Some("auth") && page.starts_with("ja/"),
        // A guide's login marker may show another method (the client's computed answer):
        // only the renamed method's markers change.
        |_, v, t| match v {
            "encrypted-password" => (v.into(), "暗号化パスワード認証(CRAM-MD5)".into()),
            _ => (v.into(), t.into()),
        },
    );
    // Client prose names the value with `{value:auth:encrypted-password}`, so the old name
    // survives only where a mail client's own UI text is quoted: Thunderbird's menu entry
    // really reads 「暗号化されたパスワード認証」 (a client label, not the manual's name for
    // the value), shown in prose as `.ui-label` and in the schematic forms as `.cf-choice`.
    // Everything else — prose, titles, attributes — must follow the matrix.
    let mut quoted = 0;
    for (page, text) in html.iter().filter(|(p, _)| p.starts_with("ja/")) {
        let doc = scraper::Html::parse_document(text);
        let client_text = |node: ego_tree::NodeRef<'_, scraper::Node>| {
            node.ancestors().chain(Some(node)).any(|n| {
                n.value()
                    .as_element()
                    .is_some_and(|e| e.classes().any(|c| c == "ui-label" || c == "cf-choice"))
            })
        };
        for node in doc.tree.root().descendants() {
            let found = match node.value() {
                scraper::Node::Text(t) => t.contains("暗号化されたパスワード認証"),
                scraper::Node::Element(e) => e
                    .attrs()
                    .any(|(_, v)| v.contains("暗号化されたパスワード認証")),
                _ => false,
            };
            if found {
                assert!(
                    client_text(node),
                    "{page} still shows the old name outside a quoted client label: {:?}",
                    node.value()
                );
                quoted += 1;
            }
        }
    }
    assert!(quoted > 0, "Thunderbird's own label should still be quoted");
}

#[test]
fn mutation_a_hand_typed_port_fails_naming_file_and_line() {
    let dir = site(None);
    let md = "content/ja/settings.md";
    let text = fs::read_to_string(dir.path().join(md)).unwrap();
    let line = text.lines().count() + 2;
    fs::write(
        dir.path().join(md),
        format!("{text}\nSSL接続の受信にはポート995番を使います。\n"),
    )
    .unwrap();
    let report = check(dir.path());
    let typed: Vec<&Problem> = report
        .problems
        .iter()
        .filter(|p| p.rule == Rule::Typed)
        .collect();
    assert_eq!(typed.len(), 1, "{}", report.text());
    assert_eq!(
        (typed[0].path.as_str(), typed[0].line, typed[0].column),
        (md, line, 14),
        "{}",
        typed[0]
    );
    assert!(typed[0].message.contains("`995`"));
}

#[test]
fn rule_8_active_content_from_a_template_is_found() {
    let report = check_case("active-content");
    assert_eq!(rules(&report), vec![Rule::ActiveContent]);
    let text = report.text();
    for needle in [
        "a script the engine did not write",
        "attribute `onclick` of `<p>`",
        "attribute `href` of `<a>`: link target `javascript:alert(3)`",
        "attribute `src` of `<img>`",
        "`<iframe>` is not allowed",
    ] {
        assert!(text.contains(needle), "{needle}\n{text}");
    }
    // Every page of the template, in both languages.
    assert!(report.problems.iter().any(|p| p.path.starts_with("ja/")));
    assert!(report.problems.iter().any(|p| p.path.starts_with("en/")));
    insta::assert_snapshot!("active_content", case_text(&report));
}

#[test]
fn rule_7_advice_that_names_the_right_value_as_wrong_is_found() {
    let report = check_case("advice");
    assert_eq!(rules(&report), vec![Rule::Advice]);
    let advice: Vec<&Problem> = report.problems.iter().collect();
    // Every guide of the plan whose outgoing server is SSL/TLS (its `ssl` variant), in every
    // client and language; none on its plain guides, where SSL/TLS really is wrong.
    assert!(advice
        .iter()
        .any(|p| p.path == "ja/clients/thunderbird/shared-managed/ssl/index.html"));
    assert!(!advice
        .iter()
        .any(|p| p.path.contains("/shared-managed/plain/")));
    insta::assert_snapshot!("advice", case_text(&report));
}

#[test]
fn rule_9_maintenance_talk_and_english_labels_on_japanese_pages_are_found() {
    let report = check_case("speak");
    assert_eq!(rules(&report), vec![Rule::Speak]);
    let text = report.text();
    // From the client data: on every Japanese iOS guide.
    assert!(
        text.contains("ja/clients/ios/shared-standard/plain/index.html"),
        "{text}"
    );
    assert!(text.contains("`未確認`"), "{text}");
    // From a template: the English doubt and the English label on a Japanese page.
    assert!(text.contains("`not confirmed`"), "{text}");
    assert!(
        text.contains("quotes an English client label on a `ja` page"),
        "{text}"
    );
    assert!(!report
        .problems
        .iter()
        .any(|p| p.path.starts_with("en/clients/ios/")));
    insta::assert_snapshot!("speak", case_text(&report));
}

#[test]
fn rule_10_glossary_spellings_are_enforced_outside_client_labels() {
    let report = check_case("glossary");
    assert_eq!(rules(&report), vec![Rule::Glossary]);
    let text = report.text();
    assert!(
        text.contains("writes `メールアプリ`; the manual's term is `メールソフト`"),
        "{text}"
    );
    assert!(
        text.contains("writes `サーバ`; the manual's term is `サーバー`"),
        "{text}"
    );
    // The shipped iOS guides quote 「受信メールサーバ」, the plan 「サーバ保守」: not reported.
    assert!(!report.problems.iter().any(|p| p.path.contains("/clients/")));
    assert!(!report.problems.iter().any(|p| p.path.contains("/plans/")));
    insta::assert_snapshot!("glossary", case_text(&report));
}
