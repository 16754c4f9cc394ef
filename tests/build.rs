//! The shipped manual and the tiny fixture provider, end to end.

use std::fs;

use crate::common::*;
use mailsite::build::{build, render_site, BuildOptions};
use mailsite::explain::{explain, ExplainRequest, Format};
use mailsite::resolve::resolve;

fn build_into(
    root: &std::path::Path,
    out: &std::path::Path,
) -> Result<mailsite::build::BuildReport, mailsite::diag::Diagnostics> {
    build(&BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.to_path_buf()),
        base_url: None,
        ..BuildOptions::default()
    })
}

#[test]
fn page_plan_of_the_shipped_manual() {
    let site = render_site(&shipped_root(), None).expect("shipped manual renders");
    insta::assert_yaml_snapshot!("page_plan", site.jobs);
}

#[test]
fn rendered_pages_of_the_shipped_manual() {
    let site = render_site(&shipped_root(), None).expect("shipped manual renders");
    // Client guides are many; `client_guides_snapshots` pins a representative few.
    for page in site
        .pages
        .iter()
        .filter(|p| !p.output.contains("/clients/"))
    {
        let name = page.output.replace('/', "__");
        insta::assert_snapshot!(name, page.html);
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build_into(&shipped_root(), &a).unwrap();
    build_into(&shipped_root(), &b).unwrap();
    let (ta, tb) = (read_tree(&a), read_tree(&b));
    assert!(ta.len() > 10);
    assert_eq!(ta, tb);
}

#[test]
fn every_page_exists_in_both_languages_with_its_twin_linked() {
    let site = render_site(&shipped_root(), None).unwrap();
    let outputs: Vec<&str> = site.pages.iter().map(|p| p.output.as_str()).collect();
    for job in &site.jobs {
        if let Some(rest) = job.output.strip_prefix("ja/") {
            assert!(
                outputs.contains(&format!("en/{rest}").as_str()),
                "no English twin of {}",
                job.output
            );
        }
        let page = site.pages.iter().find(|p| p.output == job.output).unwrap();
        for alt in &job.alternates {
            assert!(
                // Relative to the page: without a base URL the site may live under any path.
                page.html.contains(&format!(
                    "hreflang=\"{}\" href=\"{}\"",
                    alt.lang,
                    mailsite::urls::relative(&job.url, &alt.url)
                )),
                "{} lacks hreflang {}",
                job.output,
                alt.lang
            );
        }
        if let Some(lang) = &job.lang {
            assert!(page.html.contains(&format!("<html lang=\"{lang}\">")));
            assert!(page.html.contains("<title>"));
            assert!(page.html.contains("<meta name=\"description\" content=\""));
        }
    }
    for lang in ["ja", "en"] {
        for plan in [
            "shared-standard",
            "shared-managed",
            "dedicated-maintenance",
            "dedicated-setup",
        ] {
            assert!(outputs.contains(&format!("{lang}/plans/{plan}/index.html").as_str()));
        }
        assert!(outputs.contains(&format!("{lang}/settings/index.html").as_str()));
        assert!(outputs.contains(&format!("{lang}/index.html").as_str()));
    }
    assert!(outputs.contains(&"index.html"));
}

/// The home page lists plan groups in the order the data first names them, the same in every
/// language (a group's plans together, in data order), not sorted by their translated names.
#[test]
fn home_pages_list_plans_in_data_order() {
    let site = render_site(&shipped_root(), None).unwrap();
    let m = &site.site.matrix.as_ref().unwrap().matrix;
    for lang in ["ja", "en"] {
        let mut groups: Vec<&str> = Vec::new();
        for plan in &m.plans {
            if !groups.contains(&plan.group.get(lang)) {
                groups.push(plan.group.get(lang));
            }
        }
        assert!(groups.len() > 1, "the shipped data has several plan groups");
        let expected: Vec<&str> = groups
            .iter()
            .flat_map(|g| m.plans.iter().filter(move |p| p.group.get(lang) == *g))
            .map(|p| p.id.get_ref().as_str())
            .collect();
        let out = format!("{lang}/index.html");
        let html = &site.pages.iter().find(|p| p.output == out).unwrap().html;
        let listed: Vec<&str> = html
            .split("<li class=\"plan-card\">")
            .skip(1)
            .map(|card| {
                let from = card.find("plans/").expect("a plan link") + "plans/".len();
                let rest = &card[from..];
                &rest[..rest.find('/').expect("plans/{id}/")]
            })
            .collect();
        assert_eq!(listed, expected, "{out}");
    }
}

/// "Which settings do you have?" is worded for the rules it lists: the lead names the server
/// name only when a rule tests it, "none of the above" fits what stands above it, and variants
/// the data cannot tell apart are not guessed at: the reader is sent to the notice and support.
#[test]
fn which_settings_says_only_what_the_data_tells_apart() {
    let site = render_site(&shipped_root(), None).unwrap();
    let section = |out: &str| {
        let html = &site.pages.iter().find(|p| p.output == out).unwrap().html;
        let from = html
            .find("class=\"which-settings\"")
            .expect("a which-settings section");
        let to = from + html[from..].find("</section>").unwrap();
        html[from..to].to_string()
    };
    let strings = &site.site.strings;
    let s = |key: &str| strings.get("en", key).unwrap().to_string();
    let home = section("en/index.html");
    assert!(home.contains(&s("which.lead")), "{home}");
    assert!(
        home.contains(&format!("{} →", s("which.otherwise"))),
        "{home}"
    );
    // Managed: SSL ports, or not; no shared-certificate name to test.
    let managed = section("en/plans/shared-managed/index.html");
    assert!(managed.contains(&s("which.lead_ports")), "{managed}");
    assert!(
        managed.contains(&format!("{} →", s("which.otherwise_one"))),
        "{managed}"
    );
    assert_eq!(managed.matches("<li>").count(), 2, "{managed}");

    // A plan with two variants that neither SSL ports nor a name tell apart.
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&fixture("tiny"), tmp.path());
    edit(
        &tmp.path().join("content/matrix.toml"),
        "[[plans]]",
        "[[variants]]\nid = \"plain\"\nrequires_ssl = false\nname.en = \"Plain\"\nname.de = \"Einfach\"\nsummary.en = \"P.\"\nsummary.de = \"P.\"\n\n\
         [[variants]]\nid = \"legacy\"\nrequires_ssl = false\nname.en = \"Legacy\"\nname.de = \"Alt\"\nsummary.en = \"L.\"\nsummary.de = \"L.\"\n\n[[plans]]",
    );
    edit(
        &tmp.path().join("content/matrix.toml"),
        "variants = [{ variant = \"secure\", host = \"imap-prefix\", incoming = \"in\", outgoing = \"out\" }]",
        "variants = [{ variant = \"secure\", host = \"imap-prefix\", incoming = \"in\", outgoing = \"out\" }, \
         { variant = \"plain\", host = \"imap-prefix\", incoming = \"in\", outgoing = \"out\" }, \
         { variant = \"legacy\", host = \"imap-prefix\", incoming = \"in\", outgoing = \"out\" }]",
    );
    let tiny = render_site(tmp.path(), None).unwrap();
    let html = &tiny
        .pages
        .iter()
        .find(|p| p.output == "en/plans/basic/index.html")
        .unwrap()
        .html;
    let from = html
        .find("class=\"which-settings\"")
        .expect("the section, for the guides' link");
    let section = &html[from..from + html[from..].find("</section>").unwrap()];
    assert!(
        !section.contains("<li>"),
        "no rule that cannot decide: {section}"
    );
    let ask = tiny.site.strings.get("en", "which.ask").unwrap();
    assert!(
        section.contains(ask.split('{').next().unwrap()),
        "{section}"
    );
}

/// Besides the recommended login method, pages say which others the server accepts (from the
/// login policy, not typed): with the policy accepting a normal password, every plan page and
/// the settings page say so, and that it travels readable only where there is no SSL; with a
/// policy that does not accept it, no page does.
#[test]
fn pages_say_which_other_login_methods_the_server_accepts() {
    let count = |site: &mailsite::build::RenderedSite, out: &str, what: &str| {
        let html = &site.pages.iter().find(|p| p.output == out).unwrap().html;
        html.matches(what).count()
    };
    let site = render_site(&shipped_root(), None).unwrap();
    let m = &site.site.matrix.as_ref().unwrap().matrix;
    let readable = site.site.strings.get("en", "login.readable").unwrap();
    for plan in &m.plans {
        let out = format!("en/plans/{}/index.html", plan.id.get_ref());
        let (mut with, mut plain) = (0, 0);
        for pv in &plan.variants {
            let r = resolve(m, plan.id.get_ref(), pv.variant.get_ref(), None).unwrap();
            for ep in r.incoming.iter().chain(&r.outgoing) {
                let (others, sends) = ep.also_accepted(m);
                assert_eq!(others, [mailsite::matrix::Auth::Password], "{out}");
                with += 1;
                plain += usize::from(sends);
                assert_eq!(sends, ep.security == mailsite::matrix::Security::None);
            }
        }
        assert_eq!(count(&site, &out, "also-accepted\">"), with, "{out}");
        assert_eq!(
            count(&site, &out, &format!("{readable}</span>")),
            plain,
            "{out}"
        );
    }
    assert_eq!(
        count(&site, "ja/settings/index.html", "also-accepted\">"),
        2
    );

    let tmp = tempfile::tempdir().unwrap();
    copy_site(&shipped_root(), tmp.path());
    edit(
        &tmp.path().join("content/matrix.toml"),
        "accepts = [\"cram-md5\", \"apop\", \"plain\"]",
        "accepts = [\"cram-md5\", \"apop\"]",
    );
    // Clients that only send a normal password could not log on: not this test's subject.
    for c in std::fs::read_dir(tmp.path().join("content/clients")).unwrap() {
        let path = c.unwrap().path();
        if path.extension().is_some_and(|x| x == "toml") {
            std::fs::remove_file(path).unwrap();
        }
    }
    let strict = render_site(tmp.path(), None).unwrap();
    for page in &strict.pages {
        assert!(!page.html.contains("also-accepted"), "{}", page.output);
    }
}

/// Optional data left out leaves no empty section behind: without `[[sending_auth]]` the
/// settings page has no sending-authentication heading over an empty table.
#[test]
fn optional_data_left_out_leaves_no_empty_section() {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&shipped_root(), tmp.path());
    let matrix = tmp.path().join("content/matrix.toml");
    let text = std::fs::read_to_string(&matrix).unwrap();
    let mut kept = Vec::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with('[') {
            skipping = line == "[[sending_auth]]";
        }
        if !skipping {
            kept.push(line);
        }
    }
    std::fs::write(&matrix, kept.join("\n")).unwrap();
    let before = render_site(&shipped_root(), None).unwrap();
    let after = render_site(tmp.path(), None).unwrap();
    for (site, has) in [(&before, true), (&after, false)] {
        for lang in ["ja", "en"] {
            let out = format!("{lang}/settings/index.html");
            let html = &site.pages.iter().find(|p| p.output == out).unwrap().html;
            assert_eq!(html.contains("id=\"sending-auth\""), has, "{out}");
        }
    }
}

/// A symbolic link among the sources is named, not skipped in silence (a linked stylesheet
/// left the site unstyled with exit 0; a linked page was "missing a translation").
#[cfg(unix)]
#[test]
fn symbolic_links_among_the_sources_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_site(&shipped_root(), &root);
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    for (rel, target) in [
        ("static/style.css", "style.real.css"),
        ("content/en/linked.md", "../../../outside/page.md"),
        ("templates/partials/linked.html", "/etc/hostname"),
        (
            "content/clients/linked.toml",
            "../../../outside/client.toml",
        ),
    ] {
        let link = root.join(rel);
        if link.exists() {
            std::fs::rename(&link, link.with_file_name(target)).unwrap();
        }
        std::os::unix::fs::symlink(target, &link).unwrap();
    }
    let out = tmp.path().join("out");
    let named = |rels: &[&str]| {
        let err = build_into(&root, &out).expect_err("refused").to_string();
        for rel in rels {
            let says = format!("{rel}:1:1: a symbolic link");
            assert!(err.contains(&says), "{rel} not named in:\n{err}");
        }
        assert!(!out.exists(), "nothing was written");
    };
    // The sources first; the static files once they load.
    named(&[
        "content/en/linked.md",
        "templates/partials/linked.html",
        "content/clients/linked.toml",
    ]);
    for rel in [
        "content/en/linked.md",
        "templates/partials/linked.html",
        "content/clients/linked.toml",
    ] {
        std::fs::remove_file(root.join(rel)).unwrap();
    }
    named(&["static/style.css"]);
}

/// Each plan page shows, for every variant, exactly what `resolve` says, wearing the markers.
#[test]
fn plan_pages_show_what_resolve_gives() {
    let site = render_site(&shipped_root(), None).unwrap();
    let m = &site.site.matrix.as_ref().unwrap().matrix;
    for plan in &m.plans {
        for lang in ["ja", "en"] {
            let out = format!("{lang}/plans/{}/index.html", plan.id.get_ref());
            let html = &site.pages.iter().find(|p| p.output == out).unwrap().html;
            for pv in &plan.variants {
                let r = resolve(m, plan.id.get_ref(), pv.variant.get_ref(), None).unwrap();
                let all: Vec<_> = r.incoming.iter().chain(&r.outgoing).collect();
                for ep in &all {
                    // The port id names the option only where the protocol alone does not.
                    let twins = all
                        .iter()
                        .filter(|o| o.direction == ep.direction && o.protocol == ep.protocol)
                        .count();
                    let port_attr = if twins > 1 {
                        format!(" data-port=\"{}\"", ep.port_id)
                    } else {
                        String::new()
                    };
                    let marker = format!(
                        "data-setting=\"port\" data-plan=\"{}\" data-variant=\"{}\" data-direction=\"{}\" data-protocol=\"{}\"{port_attr} data-value=\"{}\">{}</span>",
                        r.plan, r.variant, ep.direction.as_str(), ep.protocol.as_str(), ep.port, ep.port
                    );
                    assert!(html.contains(&marker), "{out}: missing {marker}");
                    let sec = format!(
                        "data-protocol=\"{}\"{port_attr} data-value=\"{}\">",
                        ep.protocol.as_str(),
                        ep.security.as_str()
                    );
                    assert!(html.contains(&sec), "{out}: missing {sec}");
                }
            }
            for un in &plan.unavailable {
                let marker = format!(
                    "data-plan=\"{}\" data-variant=\"{}\" data-value=\"no\"",
                    plan.id.get_ref(),
                    un.variant.get_ref()
                );
                assert!(
                    html.contains(&marker),
                    "{out}: unavailable variant not stated: {marker}"
                );
            }
        }
    }
}

/// The seed states no port for IMAP over SSL: nothing may offer one.
#[test]
fn no_imap_over_ssl_and_no_993_anywhere() {
    let site = render_site(&shipped_root(), None).unwrap();
    for page in &site.pages {
        assert!(!page.html.contains("993"), "{} mentions 993", page.output);
    }
    let m = &site.site.matrix.as_ref().unwrap().matrix;
    for plan in &m.plans {
        for pv in &plan.variants {
            let r = resolve(m, plan.id.get_ref(), pv.variant.get_ref(), None).unwrap();
            for ep in &r.incoming {
                if ep.protocol == mailsite::matrix::Protocol::Imap {
                    assert_eq!(ep.security, mailsite::matrix::Security::None);
                }
            }
        }
    }
}

#[test]
fn explain_json_matches_the_contract_example() {
    let req = ExplainRequest {
        plan: "dedicated-maintenance",
        variant: Some("shared-ssl"),
        address: "info@sampledomain.jp",
        lang: Some("en"),
    };
    let out = explain(&shipped_root(), &req).unwrap().render(Format::Json);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["plan"], "dedicated-maintenance");
    assert_eq!(v["variant"], "shared-ssl");
    assert_eq!(v["address"], "info@sampledomain.jp");
    let inc = &v["incoming"][0];
    assert_eq!(
        (
            inc["protocol"].as_str(),
            inc["host"].as_str(),
            inc["port"].as_u64()
        ),
        (Some("pop3"), Some("sampledomain.neoworks.jp"), Some(995))
    );
    assert_eq!(
        (inc["security"].as_str(), inc["auth"].as_str()),
        (Some("ssl-tls"), Some("encrypted-password"))
    );
    assert_eq!(inc["username"], "info@sampledomain.jp");
    let out0 = &v["outgoing"][0];
    assert_eq!(
        (
            out0["protocol"].as_str(),
            out0["host"].as_str(),
            out0["port"].as_u64(),
            out0["security"].as_str()
        ),
        (
            Some("smtp"),
            Some("sampledomain.neoworks.jp"),
            Some(465),
            Some("ssl-tls")
        )
    );
    assert_eq!(
        v["incoming"].as_array().unwrap().len(),
        1,
        "no IMAP over SSL"
    );
    let warnings: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert!(warnings.contains(&"shared-certificate-spam"));
}

#[test]
fn explain_without_variant_lists_every_variant_and_handles_idn() {
    let req = ExplainRequest {
        plan: "shared-standard",
        variant: None,
        address: "info@例え.co.jp",
        lang: None,
    };
    let v: serde_json::Value =
        serde_json::from_str(&explain(&shipped_root(), &req).unwrap().render(Format::Json))
            .unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 1);
    let inc = &list[0]["incoming"];
    // Machines get punycode, people get Unicode.
    assert_eq!(inc[0]["host"], "mail.xn--r8jz45g.co.jp");
    assert_eq!(inc[0]["host_unicode"], "mail.例え.co.jp");
    assert_eq!(inc[0]["port"], 110);
    assert_eq!(inc[1]["protocol"], "imap");
    assert_eq!(inc[1]["recommended"], false);
    let outg = &list[0]["outgoing"];
    assert_eq!(
        (outg[0]["port"].as_u64(), outg[0]["recommended"].as_bool()),
        (Some(587), Some(true))
    );
    assert_eq!(
        (outg[1]["port"].as_u64(), outg[1]["recommended"].as_bool()),
        (Some(25), Some(false))
    );
    let text = explain(
        &shipped_root(),
        &ExplainRequest {
            lang: Some("ja"),
            ..req
        },
    )
    .unwrap()
    .render(Format::Text);
    assert!(
        text.contains("mail.例え.co.jp (mail.xn--r8jz45g.co.jp)"),
        "{text}"
    );
}

#[test]
fn explain_rejects_bad_requests_with_the_valid_choices() {
    let base = ExplainRequest {
        plan: "shared-standard",
        variant: Some("ssl"),
        address: "info@sample.co.jp",
        lang: None,
    };
    let err = |req: &ExplainRequest| match explain(&shipped_root(), req) {
        Err(mailsite::explain::ExplainError::Request(msg)) => msg,
        other => panic!("expected a request error, got {:?}", other.map(|_| ())),
    };
    assert_eq!(
        err(&base),
        "plan `shared-standard` has no variant `ssl` (its variants: plain)"
    );
    assert_eq!(
        err(&ExplainRequest { plan: "gold", ..base }),
        "unknown plan `gold` (valid plans: shared-standard, shared-managed, dedicated-maintenance, dedicated-setup)"
    );
    assert!(err(&ExplainRequest {
        address: "info@@",
        variant: Some("plain"),
        ..base
    })
    .starts_with("malformed e-mail address"));
    assert_eq!(
        err(&ExplainRequest {
            lang: Some("fr"),
            variant: Some("plain"),
            ..base
        }),
        "unknown language `fr` (valid languages: ja, en)"
    );
}

#[test]
fn a_second_provider_with_other_languages_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let report = build_into(&fixture("tiny"), &out).unwrap();
    assert_eq!(report.pages.get("de"), Some(&4));
    assert_eq!(report.pages.get("en"), Some(&4));
    let tree = read_tree(&out);
    let plan = String::from_utf8(tree["de/plans/basic/index.html"].clone()).unwrap();
    assert!(plan.contains("data-value=\"993\">993</span>"));
    assert!(plan.contains("imap.beispiel.de"));
    assert!(plan.contains("1. Februar 2025"));
    assert!(String::from_utf8(tree["en/setup/index.html"].clone())
        .unwrap()
        .contains("data-value=\"587\">587</span>"));
    // Nothing of the shipped provider leaks into another provider's site.
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        for foreign in ["neoworks", "sample.co.jp", "995", "メール"] {
            assert!(!text.contains(foreign), "{path} contains {foreign}");
        }
    }
}

#[test]
fn plain_markdown_sites_without_a_matrix_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_dir(&fixture("tiny").join("templates"), &root.join("templates"));
    fs::write(
        root.join("templates/base.html"),
        "<html lang=\"{{ lang }}\"><title>{{ page.title }}</title>{{ content }}</html>",
    )
    .unwrap();
    fs::write(root.join("templates/plan.html"), "").unwrap();
    fs::write(
        root.join("templates/home.html"),
        "{% extends \"base.html\" %}",
    )
    .unwrap();
    fs::write(root.join("mailsite.toml"), "languages = [\"ja\", \"en\"]\n").unwrap();
    fs::create_dir_all(root.join("content/i18n")).unwrap();
    for lang in ["ja", "en"] {
        fs::create_dir_all(root.join(format!("content/{lang}/docs/s00"))).unwrap();
        // The strings every site needs (the engine names its titles and languages with them).
        fs::write(
            root.join(format!("content/i18n/{lang}.toml")),
            format!("[site]\ntitle = \"Docs {lang}\"\ndescription = \"d\"\n[language]\nname = \"{lang}\"\n"),
        )
        .unwrap();
        fs::write(
            root.join(format!("content/{lang}/docs/s00/p00001.md")),
            "+++\ntitle = \"T\"\nweight = 1\ndescription = \"d\"\n+++\n\n## Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        )
        .unwrap();
    }
    let out = root.join("public");
    build_into(root, &out).unwrap();
    let page = fs::read_to_string(out.join("en/docs/s00/p00001/index.html")).unwrap();
    assert!(
        page.contains("<table>") && page.contains("<h2 id=\"heading\">Heading</h2>"),
        "{page}"
    );
}

/// Remove a fact from the data and the build fails, naming where it was used.
#[test]
fn removing_a_fact_fails_the_build_where_it_was_used() {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&shipped_root(), tmp.path());
    let matrix = tmp.path().join("content/matrix.toml");
    edit(&matrix, "id = \"smtp-ssl\"", "id = \"smtps-renamed\"");
    let err = render_site(tmp.path(), None).unwrap_err().to_string();
    assert!(err.contains("content/matrix.toml:"), "{err}");
    assert!(err.contains("unknown port `smtp-ssl`"), "{err}");
}

/// Change a port in the data and every page that showed it changes.
#[test]
fn changing_a_port_changes_every_page_that_shows_it() {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&shipped_root(), tmp.path());
    edit(
        &tmp.path().join("content/matrix.toml"),
        "number = 995",
        "number = 996",
    );
    let before = render_site(&shipped_root(), None).unwrap();
    let after = render_site(tmp.path(), None).unwrap();
    let mut changed = 0;
    for (b, a) in before.pages.iter().zip(&after.pages) {
        assert_eq!(b.output, a.output);
        let showed = b.html.contains("data-value=\"995\">995<");
        assert!(!a.html.contains(">995<"), "{} still shows 995", a.output);
        if showed {
            assert!(
                a.html.contains("data-value=\"996\">996<"),
                "{} lost the port",
                a.output
            );
            changed += 1;
        } else {
            assert_eq!(
                b.html, a.html,
                "{} changed although it did not show the port",
                a.output
            );
        }
    }
    assert!(changed >= 6, "only {changed} pages showed 995");
}

#[test]
fn a_ui_string_the_engine_uses_is_required_at_load_time() {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&shipped_root(), tmp.path());
    for lang in ["ja", "en"] {
        let path = tmp.path().join(format!("content/i18n/{lang}.toml"));
        let text = fs::read_to_string(&path).unwrap();
        let without: String = text
            .lines()
            .filter(|l| !l.starts_with("guide_title ="))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_ne!(text, without, "{lang}: no guide_title line to delete");
        fs::write(&path, without).unwrap();
    }
    let err = mailsite::build::render_site(tmp.path(), None).unwrap_err();
    let lines: Vec<String> = err.iter().map(|d| d.to_string()).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    for (line, lang) in lines.iter().zip(["en", "ja"]) {
        let client_table = fs::read_to_string(tmp.path().join(format!("content/i18n/{lang}.toml")))
            .unwrap()
            .lines()
            .position(|l| l == "[client]")
            .unwrap()
            + 1;
        assert_eq!(
            line,
            &format!("content/i18n/{lang}.toml:{client_table}:1: missing UI string `client.guide_title`: the engine uses it on every site with mail-client guides (add it to every language)")
        );
    }
}
