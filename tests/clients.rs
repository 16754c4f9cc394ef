//! Client guides: every client × plan × variant × language exists and shows exactly
//! what `resolve` gives; changing the data changes exactly the pages that show it.

use std::collections::BTreeSet;

use crate::common::*;
use mailsite::build::render_site;
use mailsite::check::parse::{describe, ParsedPage};
use mailsite::clients::{FieldValue, Setting};
use mailsite::resolve::resolve;
use scraper::ElementRef;

/// A value marker as `check` reads it: `setting` is `None` for a protocol name
/// (`data-protocol` without `data-setting`); `port` is the option's port id.
#[derive(Debug)]
struct Marker {
    setting: Option<String>,
    plan: String,
    variant: String,
    direction: String,
    protocol: String,
    /// Absent where the protocol alone names the option.
    port: Option<String>,
    value: String,
}

/// A connection marker (host, port, security, auth, username, protocol name), read back
/// as `check` reads it; `None` for any other element.
fn marker(out: &str, e: &ElementRef<'_>) -> Option<Marker> {
    let setting = e.value().attr("data-setting");
    // Advice naming a wrong value is rule 7's business, not a value of the guide.
    if e.value().attr("data-wrong").is_some() {
        return None;
    }
    if setting == Some("available")
        || (setting.is_none() && e.value().attr("data-protocol").is_none())
    {
        return None;
    }
    let a = |n: &str| {
        e.value()
            .attr(n)
            .unwrap_or_else(|| panic!("{out}: {} has no {n}", describe(e)))
            .to_string()
    };
    Some(Marker {
        value: if setting.is_some() {
            a("data-value")
        } else {
            a("data-protocol")
        },
        setting: setting.map(str::to_string),
        plan: a("data-plan"),
        variant: a("data-variant"),
        direction: a("data-direction"),
        protocol: a("data-protocol"),
        port: e.value().attr("data-port").map(str::to_string),
    })
}

/// Every connection marker of a page, through the HTML parser `check` uses.
fn markers(out: &str, html: &str) -> Vec<Marker> {
    let page = ParsedPage::parse(out, "/", None, html);
    page.elements().filter_map(|e| marker(out, &e)).collect()
}

#[test]
fn every_guide_exists_and_shows_what_resolve_gives() {
    let site = render_site(&shipped_root(), None).unwrap();
    let m = &site.site.matrix.as_ref().unwrap().matrix;
    assert!(
        site.site.clients.len() >= 5,
        "the shipped clients are loaded"
    );
    let mut guides = 0;
    for c in &site.site.clients {
        let id = c.client.id.get_ref();
        for lang in site.site.languages() {
            let overview = format!("{lang}/clients/{id}/index.html");
            assert!(
                site.pages.iter().any(|p| p.output == overview),
                "{overview} missing"
            );
            for plan in &m.plans {
                let plan_page = format!("{lang}/plans/{}/index.html", plan.id.get_ref());
                let plan_html = &site
                    .pages
                    .iter()
                    .find(|p| p.output == plan_page)
                    .unwrap()
                    .html;
                for pv in &plan.variants {
                    let (p, v) = (plan.id.get_ref(), pv.variant.get_ref());
                    let out = format!("{lang}/clients/{id}/{p}/{v}/index.html");
                    let html = &site
                        .pages
                        .iter()
                        .find(|x| x.output == out)
                        .unwrap_or_else(|| panic!("{out} missing"))
                        .html;
                    guides += 1;
                    let r = resolve(m, p, v, None).unwrap();
                    let found = markers(&out, html);
                    assert!(!found.is_empty(), "{out}: no value markers");
                    for mk in &found {
                        assert_eq!(
                            (mk.plan.as_str(), mk.variant.as_str()),
                            (p.as_str(), v.as_str()),
                            "{out}: marker of another plan/variant"
                        );
                        // The port id, or the protocol where it is the only one of its
                        // direction, names the exact option the value must come from.
                        let options: Vec<_> = r
                            .incoming
                            .iter()
                            .chain(&r.outgoing)
                            .filter(|e| {
                                e.direction.as_str() == mk.direction
                                    && e.protocol.as_str() == mk.protocol
                                    && mk.port.as_ref().is_none_or(|p| *p == e.port_id)
                            })
                            .collect();
                        let [e] = options[..] else {
                            panic!(
                                "{out}: {mk:?} names {} options resolve() gives, not one",
                                options.len()
                            )
                        };
                        let want = match mk.setting.as_deref() {
                            None => e.protocol.as_str().to_string(),
                            Some("host") => e.host.clone(),
                            Some("port") => e.port.to_string(),
                            Some("security") => e.security.as_str().to_string(),
                            // A guide's login method is the computed answer (checked below).
                            Some("auth") => continue,
                            Some("username") => e.username.clone(),
                            Some(other) => panic!("{out}: unexpected setting {other}"),
                        };
                        assert_eq!(mk.value, want, "{out}: {mk:?} disagrees with resolve()");
                    }
                    // The recommended connections' ports and security are all there.
                    for e in [&r.incoming[0], &r.outgoing[0]] {
                        for (setting, value) in [
                            ("port", e.port.to_string()),
                            ("security", e.security.as_str().to_string()),
                        ] {
                            assert!(
                                found.iter().any(|f| f.setting.as_deref() == Some(setting)
                                    && f.direction == e.direction.as_str()
                                    && f.value == value),
                                "{out}: no {setting} {value} for {}",
                                e.direction.as_str()
                            );
                        }
                    }
                    // Every track shows, per direction, the host, the login method (the
                    // computed answer, or the notice that the app cannot log on here) and the
                    // user name wherever the client has a box for it.
                    tracks_show_the_connection(&out, html, m, &c.client, &r);
                    // Linked both ways.
                    let back = format!("plans/{p}/#{v}");
                    assert!(html.contains(&back), "{out}: no link back to {back}");
                    let to = format!("clients/{id}/{p}/{v}/\"");
                    assert!(plan_html.contains(&to), "{plan_page}: no link to {to}");
                }
            }
        }
    }
    let combos: usize = m.plans.iter().map(|p| p.variants.len()).sum();
    assert_eq!(
        guides,
        combos * site.site.clients.len() * site.site.languages().len()
    );
}

/// The login method a guide should give one edition of a client on one connection,
/// derived here from the data alone (not through the renderer's code): the matrix's method
/// if one of the client's entries for it sends something the server accepts, else the
/// first other method (in the matrix's order) for which that holds, else none.
fn expected_login(
    m: &mailsite::matrix::Matrix,
    client: &mailsite::clients::Client,
    edition: &str,
    e: &mailsite::resolve::Endpoint,
) -> Option<String> {
    let mut order = vec![e.auth.as_str()];
    for a in &m.auth {
        let id = a.id.get_ref().as_str();
        if id != e.auth.as_str() && id != "none" {
            order.push(id);
        }
    }
    order.into_iter().find_map(|auth| {
        let entry = client.mapping.iter().find(|mp| {
            *mp.setting.get_ref() == Setting::Auth
                && mp.value.get_ref() == auth
                && mp
                    .editions
                    .as_ref()
                    .is_none_or(|eds| eds.iter().any(|x| x.get_ref() == edition))
                && mp
                    .protocols
                    .as_ref()
                    .is_none_or(|ps| ps.contains(&e.protocol))
        })?;
        entry
            .mechanisms
            .iter()
            .any(|mech| e.accepts.contains(mech))
            .then(|| auth.to_string())
    })
}

/// Every track shows, per direction, the host, the user name wherever the client has a box
/// for it, and the login method: the computed answer (marked with the client and edition),
/// or a notice that this app cannot log on here.
fn tracks_show_the_connection(
    out: &str,
    html: &str,
    m: &mailsite::matrix::Matrix,
    client: &mailsite::clients::Client,
    r: &mailsite::resolve::Resolution,
) {
    let page = ParsedPage::parse(out, "/", None, html);
    let tracks: Vec<ElementRef<'_>> = page
        .elements()
        .filter(|e| e.value().classes().any(|c| c == "track"))
        .collect();
    let expected_tracks = client.tracks.len().max(if client.tracks.is_empty() {
        client.editions.len()
    } else {
        0
    });
    assert_eq!(
        tracks.len(),
        expected_tracks,
        "{out}: one section per track"
    );
    for sec in tracks {
        let inside: Vec<ElementRef<'_>> = sec.descendants().filter_map(ElementRef::wrap).collect();
        let found: Vec<Marker> = inside.iter().filter_map(|e| marker(out, e)).collect();
        let logins: Vec<(&str, &str, &str)> = inside
            .iter()
            .filter(|e| e.value().attr("data-client").is_some())
            .map(|e| {
                let v = e.value();
                (
                    v.attr("data-edition").unwrap(),
                    v.attr("data-direction").unwrap(),
                    v.attr("data-value").unwrap(),
                )
            })
            .collect();
        let notice = inside
            .iter()
            .any(|e| e.value().classes().any(|c| c == "login-notice"));
        let has = |setting: &str, dir: &str| {
            found
                .iter()
                .any(|m| m.setting.as_deref() == Some(setting) && m.direction == dir)
        };
        for e in [&r.incoming[0], &r.outgoing[0]] {
            let dir = e.direction.as_str();
            assert!(has("host", dir), "{out}: no {dir} host");
            for (edition, d, value) in logins.iter().filter(|(_, d, _)| *d == dir) {
                let want = expected_login(m, client, edition, e);
                assert_eq!(
                    Some(value.to_string()),
                    want,
                    "{out} [{edition}]: {d} login method"
                );
            }
            let ed = sec
                .value()
                .id()
                .and_then(|id| id.strip_prefix("track-"))
                .and_then(|t| {
                    client
                        .tracks
                        .iter()
                        .find(|x| x.id.get_ref() == t)
                        .map(|x| x.editions.get_ref()[0].get_ref().clone())
                        .or_else(|| Some(t.to_string()))
                })
                .unwrap();
            match expected_login(m, client, &ed, e) {
                None => assert!(
                    notice,
                    "{out} [{ed}]: cannot log on {dir}, but no notice says so"
                ),
                // A fallback is said by the notice, or, where the app has no login setting,
                // by its line among the values it sets by itself, naming the method.
                Some(auth) if auth != e.auth.as_str() => {
                    let lang = out.split('/').next().unwrap();
                    let name = m
                        .auth
                        .iter()
                        .find(|a| a.id.get_ref().as_str() == auth)
                        .map(|a| a.label.get(lang).to_string())
                        .unwrap();
                    let said_automatically = inside.iter().any(|x| {
                        x.value().classes().any(|c| c == "automatic")
                            && x.text().collect::<String>().contains(&name)
                    });
                    assert!(
                        notice || said_automatically,
                        "{out} [{ed}]: {dir} falls back to {auth}, but no notice says so"
                    )
                }
                Some(_) => {}
            }
            // The user name is the address: a box for it with its value, or the address the
            // client asks for and logs on with.
            let address_asked = inside
                .iter()
                .any(|e| e.value().classes().any(|c| c == "client-hint"));
            if client.has_field(
                &ed,
                (r.incoming[0].protocol, e.protocol),
                FieldValue::Username,
                false,
            ) {
                assert!(
                    has("username", dir) || address_asked,
                    "{out} [{ed}]: neither a {dir} user name nor the address to enter"
                );
            }
        }
    }
}

/// Change a port and a client label in a copy: exactly the pages that show them change —
/// a set computed from the data, not counted — and nothing else.
#[test]
fn changing_a_port_or_a_label_changes_exactly_the_guides_that_show_it() {
    let before = render_site(&shipped_root(), None).unwrap();
    let m = &before.site.matrix.as_ref().unwrap().matrix;
    let langs = before.site.languages();
    let clients: Vec<&str> = before
        .site
        .clients
        .iter()
        .map(|c| c.client.id.get_ref().as_str())
        .collect();
    let resolutions: Vec<_> = m
        .plans
        .iter()
        .flat_map(|p| {
            p.variants
                .iter()
                .map(|pv| resolve(m, p.id.get_ref(), pv.variant.get_ref(), None).unwrap())
        })
        .collect();
    let guide = |lang: &str, client: &str, r: &mailsite::resolve::Resolution| {
        format!(
            "{lang}/clients/{client}/{}/{}/index.html",
            r.plan, r.variant
        )
    };
    // Port 587 (`submission`): the settings pages, the plan pages that offer it, and
    // every client's guide whose recommended outgoing connection uses it.
    let mut port_pages = BTreeSet::new();
    for lang in langs {
        port_pages.insert(format!("{lang}/settings/index.html"));
        // The administrators' page lists every plan's SRV records, ports included.
        port_pages.insert(format!("{lang}/admin/setup-files/index.html"));
        for r in &resolutions {
            if r.outgoing.iter().any(|e| e.port_id == "submission") {
                port_pages.insert(format!("{lang}/plans/{}/index.html", r.plan));
            }
            if r.outgoing[0].port_id == "submission" {
                for c in &clients {
                    port_pages.insert(guide(lang, c, r));
                }
            }
        }
    }
    // Thunderbird's Japanese "your name" label (setup tab): every Japanese Thunderbird guide.
    let label_pages: BTreeSet<String> = resolutions
        .iter()
        .map(|r| guide("ja", "thunderbird", r))
        .collect();
    for (file, from, to, old_shown, new_shown, expected) in [
        (
            "content/matrix.toml",
            "number = 587",
            "number = 588",
            "data-value=\"587\">587<",
            "data-value=\"588\">588<",
            &port_pages,
        ),
        (
            "content/clients/thunderbird.toml",
            "label.ja = \"あなたのお名前\"",
            "label.ja = \"お名前\"",
            "「あなたのお名前」",
            "「お名前」",
            &label_pages,
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        copy_site(&shipped_root(), tmp.path());
        edit(&tmp.path().join(file), from, to);
        let after = render_site(tmp.path(), None).unwrap();
        assert_eq!(before.pages.len(), after.pages.len());
        let mut changed = BTreeSet::new();
        for (b, a) in before.pages.iter().zip(&after.pages) {
            assert_eq!(b.output, a.output);
            assert!(
                !a.html.contains(old_shown),
                "{}: still shows {old_shown}",
                a.output
            );
            if b.html != a.html {
                changed.insert(a.output.clone());
                assert!(
                    b.html.contains(old_shown),
                    "{} changed although it did not show {old_shown}",
                    a.output
                );
                assert!(
                    a.html.contains(new_shown),
                    "{}: does not show {new_shown}",
                    a.output
                );
            }
        }
        assert_eq!(&changed, expected, "{file}: the pages that changed");
    }
}

fn page<'a>(site: &'a mailsite::build::RenderedSite, out: &str) -> &'a str {
    &site.pages.iter().find(|p| p.output == out).unwrap().html
}

/// A representative set: Outlook (SPA impossible), Thunderbird, iOS, macOS and Gmail, both languages.
#[test]
fn representative_guides() {
    let site = render_site(&shipped_root(), None).unwrap();
    for out in [
        "ja/clients/outlook/shared-standard/plain/index.html",
        "en/clients/thunderbird/dedicated-maintenance/ssl/index.html",
        "ja/clients/ios/shared-managed/ssl/index.html",
        "en/clients/gmail-android/dedicated-maintenance/shared-ssl/index.html",
    ] {
        insta::assert_snapshot!(out.replace('/', "__"), page(&site, out));
    }
}

/// What each guide says about logging on, derived with `expected_login` for every edition
/// of the client on the recommended connections: `(page, edition, direction) → method`.
fn login_answers(site: &mailsite::build::RenderedSite) -> BTreeSet<(String, String)> {
    let m = &site.site.matrix.as_ref().unwrap().matrix;
    let mut out = BTreeSet::new();
    for c in &site.site.clients {
        let client = &c.client;
        for plan in &m.plans {
            for pv in &plan.variants {
                let r = resolve(m, plan.id.get_ref(), pv.variant.get_ref(), None).unwrap();
                for lang in site.site.languages() {
                    let page = format!(
                        "{lang}/clients/{}/{}/{}/index.html",
                        client.id.get_ref(),
                        r.plan,
                        r.variant
                    );
                    for ed in &client.editions {
                        for e in [&r.incoming[0], &r.outgoing[0]] {
                            let said = expected_login(m, client, ed.id.get_ref(), e)
                                .unwrap_or_else(|| "impossible".into());
                            out.insert((
                                page.clone(),
                                format!("{} {} {said}", ed.id.get_ref(), e.direction.as_str()),
                            ));
                        }
                    }
                }
            }
        }
    }
    out
}

/// Servers that stop accepting a readable password on connections without TLS: the guides
/// whose login answer changes (derived here from the data), and only those, change; the
/// manual still passes `check`.
#[test]
fn a_login_policy_change_changes_exactly_the_guides_whose_answer_changes() {
    let before = render_site(&shipped_root(), None).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&shipped_root(), tmp.path());
    edit(
        &tmp.path().join("content/matrix.toml"),
        "plain_without_tls = true",
        "plain_without_tls = false",
    );
    let after = render_site(tmp.path(), None).unwrap();
    let (a, b) = (login_answers(&before), login_answers(&after));
    let mut expected: BTreeSet<String> =
        a.symmetric_difference(&b).map(|(p, _)| p.clone()).collect();
    // Plan pages (and the settings page) say which other methods each connection accepts.
    let accepted = |site: &mailsite::build::RenderedSite, plan: &str| {
        let m = &site.site.matrix.as_ref().unwrap().matrix;
        let p = m.plan(plan).unwrap();
        p.variants
            .iter()
            .flat_map(|pv| {
                let r = resolve(m, plan, pv.variant.get_ref(), None).unwrap();
                r.incoming
                    .iter()
                    .chain(&r.outgoing)
                    .map(|ep| ep.also_accepted(m))
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    let m = &before.site.matrix.as_ref().unwrap().matrix;
    for plan in &m.plans {
        let id = plan.id.get_ref();
        if accepted(&before, id) != accepted(&after, id) {
            for lang in before.site.languages() {
                expected.insert(format!("{lang}/plans/{id}/index.html"));
                expected.insert(format!("{lang}/settings/index.html"));
            }
        }
    }
    assert!(
        !expected.is_empty(),
        "the mutation changes no answer: it tests nothing"
    );
    let changed: BTreeSet<String> = before
        .pages
        .iter()
        .zip(&after.pages)
        .filter(|(x, y)| x.html != y.html)
        .map(|(x, _)| x.output.clone())
        .collect();
    assert_eq!(changed, expected, "the pages that changed");
    let report = mailsite::check::check(tmp.path());
    assert!(report.is_ok(), "{}", report.text());
}

/// A guide whose server name is the one in the customer's notice says so once, as the plan
/// page does (the host's note from the data, or the general sentence), with every other
/// name it may be; other guides say nothing of it.
#[test]
fn guides_say_when_the_server_name_is_the_one_in_the_notice() {
    let site = render_site(&shipped_root(), None).unwrap();
    let m = &site.site.matrix.as_ref().unwrap().matrix;
    let (mut with, mut without) = (0, 0);
    for c in &site.site.clients {
        for lang in site.site.languages() {
            let general = site
                .site
                .strings
                .get(lang, "client.host_from_notice")
                .unwrap();
            let words = mailsite::pattern::Words {
                address: m.placeholders.address.get(lang),
                domain: m.placeholders.domain.get(lang),
                stem: m.placeholders.stem.get(lang),
            };
            let scd = m.provider.shared_certificate_domain.get_ref();
            for plan in &m.plans {
                for pv in &plan.variants {
                    let (p, v) = (plan.id.get_ref(), pv.variant.get_ref());
                    let r = resolve(m, p, v, None).unwrap();
                    let id = c.client.id.get_ref();
                    let out = format!("{lang}/clients/{id}/{p}/{v}/index.html");
                    let html = page(&site, &out);
                    let parts: Vec<&str> = html.split("<p class=\"note host-notice\">").collect();
                    if !r.host.from_notice {
                        assert_eq!(parts.len(), 1, "{out} speaks of the notice");
                        without += 1;
                        continue;
                    }
                    assert_eq!(parts.len(), 2, "{out}: the notice, once");
                    let said = &parts[1][..parts[1].find("</p>").unwrap()];
                    let host = m.host(&r.host.id).unwrap();
                    let note = host.note.as_ref().map_or(general, |n| n.get(lang));
                    let note = note.replace('\'', "&#39;");
                    assert!(said.starts_with(&note), "{out}: {said}");
                    for alt in &r.host.alternatives {
                        let shown = mailsite::pattern::display(alt, words, scd);
                        let code = format!(">{shown}</code>");
                        assert!(said.contains(&code), "{out}: {shown} missing in {said}");
                    }
                    with += 1;
                }
            }
        }
    }
    assert!(
        with > 0 && without > 0,
        "{with} with the notice, {without} without"
    );
}
