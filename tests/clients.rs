//! Client guides: every client × plan × variant × language exists and shows exactly
//! what `resolve` gives; changing the data changes exactly the pages that show it.

mod common;

use common::*;
use mailsite::build::render_site;
use mailsite::resolve::resolve;

/// Every `data-setting` marker of a page as (setting, plan, variant, direction, protocol, value).
fn markers(html: &str) -> Vec<[String; 6]> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let i = tag.find(&key)? + key.len();
        Some(tag[i..i + tag[i..].find('"')?].to_string())
    };
    html.match_indices("<span class=\"setting\"")
        .filter_map(|(i, _)| {
            let tag = &html[i..i + html[i..].find('>')?];
            Some([
                attr(tag, "data-setting")?,
                attr(tag, "data-plan")?,
                attr(tag, "data-variant")?,
                attr(tag, "data-direction")?,
                attr(tag, "data-protocol")?,
                attr(tag, "data-value")?,
            ])
        })
        .collect()
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
                    let found = markers(html);
                    assert!(!found.is_empty(), "{out}: no value markers");
                    for [setting, mp, mv, dir, proto, value] in &found {
                        assert_eq!(
                            (mp.as_str(), mv.as_str()),
                            (p.as_str(), v.as_str()),
                            "{out}: marker of another plan/variant"
                        );
                        let eps: Vec<_> = r
                            .incoming
                            .iter()
                            .chain(&r.outgoing)
                            .filter(|e| e.direction.as_str() == dir && e.protocol.as_str() == proto)
                            .collect();
                        assert!(
                            !eps.is_empty(),
                            "{out}: {dir} {proto} is not offered by resolve()"
                        );
                        let ok = eps.iter().any(|e| {
                            let want = match setting.as_str() {
                                "host" => e.host.clone(),
                                "port" => e.port.to_string(),
                                "security" => e.security.as_str().to_string(),
                                "auth" => e.auth.as_str().to_string(),
                                "username" => e.username.clone(),
                                other => panic!("{out}: unexpected setting {other}"),
                            };
                            &want == value
                        });
                        assert!(
                            ok,
                            "{out}: {setting} {dir}/{proto} shows {value}, resolve() disagrees"
                        );
                    }
                    // The recommended connections' ports and security are all there.
                    for e in [&r.incoming[0], &r.outgoing[0]] {
                        for (setting, value) in [
                            ("port", e.port.to_string()),
                            ("security", e.security.as_str().to_string()),
                        ] {
                            assert!(
                                found.iter().any(|f| f[0] == setting
                                    && f[3] == e.direction.as_str()
                                    && f[5] == value),
                                "{out}: no {setting} {value} for {}",
                                e.direction.as_str()
                            );
                        }
                    }
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

/// Change a port and a client label in a copy: every page showing them changes, nothing else.
#[test]
fn changing_a_port_or_a_label_changes_exactly_the_guides_that_show_it() {
    let before = render_site(&shipped_root(), None).unwrap();
    for (file, from, to, old_shown, new_shown) in [
        (
            "content/matrix.toml",
            "number = 587",
            "number = 588",
            "data-value=\"587\">587<",
            "data-value=\"588\">588<",
        ),
        (
            "content/clients/thunderbird.toml",
            "label.ja = \"パスワードを記憶する\"",
            "label.ja = \"パスワードを保存する\"",
            "パスワードを記憶する",
            "パスワードを保存する",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        copy_site(&shipped_root(), tmp.path());
        edit(&tmp.path().join(file), from, to);
        let after = render_site(tmp.path(), None).unwrap();
        assert_eq!(before.pages.len(), after.pages.len());
        let mut changed_guides = 0;
        for (b, a) in before.pages.iter().zip(&after.pages) {
            assert_eq!(b.output, a.output);
            if b.html.contains(old_shown) {
                assert!(
                    !a.html.contains(old_shown),
                    "{}: still shows {old_shown}",
                    a.output
                );
                assert!(
                    a.html.contains(new_shown),
                    "{}: does not show {new_shown}",
                    a.output
                );
                if a.output.contains("/clients/") {
                    changed_guides += 1;
                }
            } else {
                assert_eq!(
                    b.html, a.html,
                    "{} changed although it did not show {old_shown}",
                    a.output
                );
            }
        }
        assert!(
            changed_guides >= 5,
            "{file}: only {changed_guides} guides showed {old_shown}"
        );
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
