//! Every setup file, read back with real parsers (the `plist` crate, `roxmltree`, serde_json)
//! and compared, value by value, with `mailsite explain` for the same plan, variant and
//! address — except the login method, which is what the guide of the client that uses the
//! file says (`clients::login::answer`, and the guide pages' markers); the Apple profile also
//! against Apple's own schema (`tests/fixtures/apple-schema/`, from `apple/device-management`).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::common::*;
use mailsite::build::render_site;
use mailsite::clients::login::{answer, Answer};
use mailsite::clients::{Client, SetupFile, State};
use mailsite::explain::{explain, ExplainRequest, Explanation};
use mailsite::matrix::{Auth, Matrix, Setting};
use mailsite::resolve::{resolve, Endpoint};
use mailsite::setup::mobileconfig::{self, ProfileRequest, Uuids};
use mailsite::setup::{autoconfig, autodiscover, dns, guide_auth};
use mailsite::site::Site;
use plist::Value;
use serde_json::Value as Json;
use yaml_rust2::{Yaml, YamlLoader};

/// `.co.jp`, sub-domains, an internationalized domain, upper case, surrounding spaces, a
/// local part with quotes and braces, a wildcard-suffix exception.
const ADDRESSES: &[&str] = &[
    "info@sample.co.jp",
    "  Info@Sample.CO.JP\u{3000}",
    "info@sampledomain.jp",
    "info@www.sample.co.jp",
    "info@例え.jp",
    "o'neil+x&y@例え.co.jp",
    "{domain}@sample.jp",
    "info@city.kawasaki.jp",
];

/// `explain --format json` for every variant of every plan and every address: (plan,
/// variant, address as typed) → the contract's JSON object, and the explanation itself.
fn explained() -> Vec<(Explanation, Vec<Json>)> {
    let root = shipped_root();
    let site = render_site(&root, None).unwrap();
    let m = &site.site.matrix.as_ref().unwrap().matrix;
    let mut out = Vec::new();
    for address in ADDRESSES {
        for plan in &m.plans {
            let req = ExplainRequest {
                plan: plan.id.get_ref(),
                variant: None,
                address,
                lang: Some("en"),
            };
            let x = explain(&root, &req).unwrap();
            let json: Vec<Json> = serde_json::from_str(&x.json()).unwrap();
            assert_eq!(json.len(), plan.variants.len());
            out.push((x, json));
        }
    }
    assert!(out.len() >= ADDRESSES.len() * 4);
    out
}

// ---------------------------------------------------------------------------
// Which guide each file follows

/// The client whose guide a setup file follows (as the shipped client files claim them),
/// and its edition most customers have: the first of its first track, which a guide opens
/// with.
fn consumer(site: &Site, file: SetupFile) -> (&Client, &str) {
    let id = match file {
        SetupFile::AppleProfile => "ios",
        SetupFile::Autoconfig => "thunderbird",
        SetupFile::Autodiscover => "outlook",
    };
    let claiming: Vec<&Client> = site
        .clients
        .iter()
        .map(|c| &c.client)
        .filter(|c| c.setup_files.iter().any(|f| *f.get_ref() == file))
        .collect();
    assert_eq!(claiming.len(), 1, "{file:?}: one client claims it");
    let c = claiming[0];
    assert_eq!(c.id.get_ref(), id, "{file:?}");
    let edition = match c.tracks.first() {
        Some(t) => t.editions.get_ref()[0].get_ref(),
        None => c.editions[0].id.get_ref(),
    };
    (c, edition.as_str())
}

/// What the guide a file follows says to choose on one server option; where it can only say
/// the app cannot log on, the file writes the matrix's method.
fn guide_says(m: &Matrix, site: &Site, file: SetupFile, e: &Endpoint) -> Auth {
    let (c, edition) = consumer(site, file);
    answer(m, c, edition, e).auth().unwrap_or(e.auth)
}

fn apple_word(auth: Auth) -> &'static str {
    match auth {
        Auth::EncryptedPassword => "EmailAuthCRAMMD5",
        Auth::Password => "EmailAuthPassword",
        Auth::None => "EmailAuthNone",
    }
}

/// A rendered page by its URL (`/en/clients/ios/p/v/`).
fn page<'a>(built: &'a mailsite::build::RenderedSite, url: &str) -> &'a str {
    let output = format!("{}index.html", url.trim_start_matches('/'));
    &built
        .pages
        .iter()
        .find(|p| p.output == output)
        .unwrap_or_else(|| panic!("no page {url}"))
        .html
}

/// The login methods a rendered guide marks for one edition: (direction, protocol) →
/// method id, from its `data-setting="auth"` markers.
fn guide_markers(html: &str, client: &str, edition: &str) -> BTreeMap<(String, String), String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(&format!(
        r#"[data-setting="auth"][data-client="{client}"][data-edition="{edition}"]"#
    ))
    .unwrap();
    let mut out = BTreeMap::new();
    for el in doc.select(&selector) {
        let attr = |name: &str| el.value().attr(name).unwrap().to_string();
        let key = (attr("data-direction"), attr("data-protocol"));
        let value = attr("data-value");
        let before = out.insert(key.clone(), value.clone());
        assert!(
            before.is_none_or(|b| b == value),
            "{client}/{edition}: two methods for {key:?}"
        );
    }
    out
}

// ---------------------------------------------------------------------------
// Apple's schema

/// One payload's keys: key → (type, required, allowed values).
type Schema = BTreeMap<String, (String, bool, Vec<String>)>;

fn schema(files: &[&str]) -> Schema {
    let mut out = Schema::new();
    for file in files {
        let path = fixture("apple-schema").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = &YamlLoader::load_from_str(&text).unwrap()[0];
        let keys = doc["payloadkeys"].as_vec().expect("payloadkeys");
        for k in keys {
            let name = k["key"].as_str().unwrap().to_string();
            let ty = k["type"].as_str().unwrap().to_string();
            let required = k["presence"].as_str() == Some("required");
            let range = match &k["rangelist"] {
                Yaml::Array(values) => values
                    .iter()
                    .map(|v| match v {
                        Yaml::String(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        other => panic!("{file}: rangelist value {other:?}"),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            out.insert(name, (ty, required, range));
        }
    }
    assert!(out.len() > 5, "{files:?} has no keys");
    out
}

fn type_of(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "<string>",
        Value::Integer(_) => "<integer>",
        Value::Boolean(_) => "<boolean>",
        Value::Array(_) => "<array>",
        Value::Dictionary(_) => "<dictionary>",
        Value::Data(_) => "<data>",
        Value::Date(_) => "<date>",
        Value::Real(_) => "<real>",
        _ => "<other>",
    }
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

/// Every key known, of its type, within its range; every required key present.
fn conforms(what: &str, d: &plist::Dictionary, schema: &Schema) {
    for (key, value) in d {
        let (ty, _, range) = schema
            .get(key)
            .unwrap_or_else(|| panic!("{what}: `{key}` is not in Apple's schema"));
        assert_eq!(type_of(value), ty, "{what}: type of `{key}`");
        if !range.is_empty() {
            assert!(
                range.contains(&shown(value)),
                "{what}: `{key}` = {value:?} not in {range:?}"
            );
        }
    }
    for (key, (_, required, _)) in schema {
        assert!(
            !required || d.contains_key(key),
            "{what}: required `{key}` is missing"
        );
    }
}

#[test]
fn profiles_follow_apples_schema_and_say_what_explain_says() {
    let site = Site::load(&shipped_root()).unwrap();
    let top_schema = schema(&["TopLevel.yaml"]);
    let payload_schema = schema(&["CommonPayloadKeys.yaml", "com.apple.mail.managed.yaml"]);
    let mut identifiers = BTreeMap::new();
    let mut uuids = Uuids::Random;
    let mut seen_uuids = std::collections::BTreeSet::new();
    for (x, json) in explained() {
        for (r, j) in x.resolutions.iter().zip(&json) {
            let what = format!("{}/{} {}", r.plan, r.variant, x.address.ascii());
            let req = ProfileRequest {
                matrix: &x.matrix,
                resolution: r,
                address: &x.address,
                lang: "ja",
                auth: guide_auth(&x.matrix, &site.clients, SetupFile::AppleProfile),
            };
            let bytes = mobileconfig::to_xml(&mobileconfig::profile(&req, &mut uuids));
            let parsed = Value::from_reader_xml(bytes.as_slice()).expect("a valid XML plist");
            let top = parsed.as_dictionary().expect("a dictionary");
            conforms(&what, top, &top_schema);
            let content = top["PayloadContent"].as_array().unwrap();
            assert_eq!(content.len(), 1, "{what}: one payload");
            let p = content[0].as_dictionary().unwrap();
            conforms(&what, p, &payload_schema);
            assert_eq!(p["PayloadType"].as_string(), Some("com.apple.mail.managed"));
            for key in ["IncomingPassword", "OutgoingPassword"] {
                assert!(!p.contains_key(key), "{what}: a password in the profile");
            }
            for (side, ep, e) in [
                ("Incoming", &j["incoming"][0], &r.incoming[0]),
                ("Outgoing", &j["outgoing"][0], &r.outgoing[0]),
            ] {
                let get = |k: &str| p[&format!("{side}MailServer{k}")].clone();
                assert_eq!(get("HostName").as_string(), ep["host"].as_str(), "{what}");
                assert_eq!(
                    get("PortNumber").as_signed_integer(),
                    ep["port"].as_i64(),
                    "{what}"
                );
                assert_eq!(
                    get("Username").as_string(),
                    ep["username"].as_str(),
                    "{what}"
                );
                let ssl = ep["security"].as_str() != Some("none");
                assert_eq!(get("UseSSL").as_boolean(), Some(ssl), "{what}: {side} SSL");
                // The iOS guide's answer, not explain's (the matrix's) method.
                let auth = guide_says(&x.matrix, &site, SetupFile::AppleProfile, e);
                assert_eq!(
                    get("Authentication").as_string(),
                    Some(apple_word(auth)),
                    "{what}"
                );
            }
            let kind = match j["incoming"][0]["protocol"].as_str().unwrap() {
                "imap" => "EmailTypeIMAP",
                _ => "EmailTypePOP",
            };
            assert_eq!(p["EmailAccountType"].as_string(), Some(kind));
            assert_eq!(p["EmailAddress"].as_string(), j["address"].as_str());
            // A stable identifier per mailbox (reinstalling replaces), fresh UUIDs.
            let id = top["PayloadIdentifier"].as_string().unwrap().to_string();
            let owner = identifiers
                .entry(id.clone())
                .or_insert(j["address"].clone());
            assert_eq!(*owner, j["address"], "{what}: {id} names two addresses");
            for d in [top, p] {
                let u = d["PayloadUUID"].as_string().unwrap();
                assert!(uuid::Uuid::parse_str(u).is_ok(), "{what}: UUID {u}");
                assert!(seen_uuids.insert(u.to_string()), "{what}: UUID {u} twice");
            }
        }
    }
}

/// The profile's switches are the iOS guide's: "Use SSL" as its mapping of each security
/// value turns it, and the authentication the guide computes (`clients::login::answer`: what
/// the server accepts × what iOS sends), named as the guide names it and marked on its page.
/// macOS installs the same profile, so its guide must give the same answer.
#[test]
fn profiles_say_what_the_ios_guide_says() {
    let built = render_site(&shipped_root(), None).unwrap();
    let site = &built.site;
    let m = &site.matrix.as_ref().unwrap().matrix;
    let (ios, edition) = consumer(site, SetupFile::AppleProfile);
    let macos = &site
        .clients
        .iter()
        .find(|c| c.client.id.get_ref() == "macos")
        .expect("the shipped manual has a macOS guide")
        .client;
    let choice = guide_auth(m, &site.clients, SetupFile::AppleProfile);
    let mut compared = 0;
    for plan in &m.plans {
        for pv in &plan.variants {
            let r = resolve(m, plan.id.get_ref(), pv.variant.get_ref(), None).unwrap();
            let what = format!("{}/{}", r.plan, r.variant);
            let apple = mobileconfig::apple_account(&r, choice);
            let url = mailsite::urls::guide("en", "ios", &r.plan, &r.variant);
            let marked = guide_markers(page(&built, &url), "ios", edition);
            for (e, server) in [
                (&r.incoming[0], &apple.incoming),
                (&r.outgoing[0], &apple.outgoing),
            ] {
                let ssl = ios
                    .mapping
                    .iter()
                    .find(|x| {
                        *x.setting.get_ref() == Setting::Security
                            && x.value.get_ref() == e.security.as_str()
                            && x.protocols.as_ref().is_none_or(|p| p.contains(&e.protocol))
                    })
                    .unwrap_or_else(|| panic!("the iOS guide maps no {}", e.security.as_str()));
                let on = ssl.state.map(|s| s.as_str()) == Some("on");
                assert_eq!(server.use_ssl, on, "{what}: Use SSL");
                let Answer::Choose { auth, entry, .. } = answer(m, ios, edition, e) else {
                    panic!("{what}: the iOS guide gives no method for {:?}", e.protocol);
                };
                assert_eq!(server.authentication, apple_word(auth), "{what}");
                let label = entry.label.as_ref().unwrap().get("en");
                let expected = match server.authentication {
                    "EmailAuthCRAMMD5" => "MD5 Challenge-Response",
                    "EmailAuthPassword" => "Password",
                    other => panic!("no iOS label for {other}"),
                };
                assert_eq!(label, expected, "{what}");
                let key = (
                    e.direction.as_str().to_string(),
                    e.protocol.as_str().to_string(),
                );
                assert_eq!(
                    marked.get(&key).map(String::as_str),
                    Some(auth.as_str()),
                    "{what}: the iOS guide page marks {key:?}"
                );
                let mac = macos.main_edition().unwrap();
                assert_eq!(
                    answer(m, macos, mac, e).auth(),
                    Some(auth),
                    "{what}: macOS installs the iOS profile, but its guide now logs on otherwise"
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 16, "{compared}");
}

// ---------------------------------------------------------------------------
// Thunderbird autoconfig

fn children<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    n.children().filter(|c| c.has_tag_name(name)).collect()
}

fn text<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    children(n, name)
        .first()
        .and_then(|c| c.text())
        .unwrap_or_else(|| panic!("no <{name}> in <{}>", n.tag_name().name()))
}

/// The servers of an autoconfig file, placeholders filled for `address`, as explain's JSON
/// would write them.
fn autoconfig_servers(xml: &str, address: &str) -> (Vec<Json>, Vec<Json>) {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    let root = doc.root_element();
    assert!(root.has_tag_name("clientConfig"));
    assert_eq!(root.attribute("version"), Some("1.1"));
    let provider = children(root, "emailProvider")[0];
    assert!(!text(provider, "domain").is_empty());
    let domain = address.rsplit_once('@').unwrap().1;
    let fill = |s: &str| {
        s.replace("%EMAILADDRESS%", address)
            .replace("%EMAILDOMAIN%", domain)
    };
    let server = |n: roxmltree::Node<'_, '_>| {
        let security = match text(n, "socketType") {
            "SSL" => "ssl-tls",
            "STARTTLS" => "starttls",
            "plain" => "none",
            other => panic!("socketType {other}"),
        };
        let auth = match text(n, "authentication") {
            "password-encrypted" => "encrypted-password",
            "password-cleartext" => "password",
            other => panic!("authentication {other}"),
        };
        serde_json::json!({
            "protocol": n.attribute("type").unwrap(),
            "host": fill(text(n, "hostname")),
            "port": text(n, "port").parse::<u16>().unwrap(),
            "security": security,
            "auth": auth,
            "username": fill(text(n, "username")),
        })
    };
    (
        children(provider, "incomingServer")
            .into_iter()
            .map(server)
            .collect(),
        children(provider, "outgoingServer")
            .into_iter()
            .map(server)
            .collect(),
    )
}

/// explain's entries without the keys autoconfig does not carry, and with the method the
/// Thunderbird guide says for each (`eps`: the same entries, resolved).
fn comparable(site: &Site, m: &Matrix, list: &Json, eps: &[Endpoint]) -> Vec<Json> {
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), eps.len());
    list.iter()
        .zip(eps)
        .map(|(j, e)| {
            let auth = guide_says(m, site, SetupFile::Autoconfig, e);
            serde_json::json!({
                "protocol": j["protocol"], "host": j["host"], "port": j["port"],
                "security": j["security"], "auth": auth.as_str(), "username": j["username"],
            })
        })
        .collect()
}

#[test]
fn autoconfig_files_list_what_explain_lists_preferred_first() {
    let built = render_site(&shipped_root(), None).unwrap();
    let site = &built.site;
    let files: BTreeMap<&str, &[u8]> = built
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let (mut generic, mut per_address) = (0, 0);
    for (x, json) in explained() {
        for (r, j) in x.resolutions.iter().zip(&json) {
            let what = format!("{}/{} {}", r.plan, r.variant, x.address.ascii());
            let path = mailsite::urls::autoconfig(&r.plan, &r.variant);
            let address = j["address"].as_str().unwrap();
            let auth = guide_auth(&x.matrix, &site.clients, SetupFile::Autoconfig);
            let incoming = comparable(site, &x.matrix, &j["incoming"], &r.incoming);
            let outgoing = comparable(site, &x.matrix, &j["outgoing"], &r.outgoing);
            // The file made for this address: concrete values, as explain.
            let own = autoconfig::config(&x.matrix, r, "en", auth).unwrap();
            let (inc, out) = autoconfig_servers(&own, address);
            assert_eq!(inc, incoming, "{what}");
            assert_eq!(out, outgoing, "{what}");
            per_address += 1;
            // The build's file for everyone: the same, once Thunderbird fills it in.
            match files.get(path.trim_start_matches('/')) {
                Some(bytes) => {
                    let xml = std::str::from_utf8(bytes).unwrap();
                    let (inc, out) = autoconfig_servers(xml, address);
                    assert_eq!(inc, incoming, "{what} (build)");
                    assert_eq!(out, outgoing, "{what} (build)");
                    generic += 1;
                }
                None => {
                    let m = &x.matrix;
                    let plain = resolve(m, &r.plan, &r.variant, None).unwrap();
                    assert!(plain.incoming[0].host.contains("{stem}"), "{what}: no file");
                }
            }
        }
    }
    assert!(
        generic > 20 && per_address > generic,
        "{generic} {per_address}"
    );
}

/// The build's autoconfig files name each server option's method as the Thunderbird guide
/// does: its answer's entry, by the label the guide shows, and for the recommended options
/// the method its page marks.
#[test]
fn autoconfig_files_say_what_the_thunderbird_guide_says() {
    let built = render_site(&shipped_root(), None).unwrap();
    let site = &built.site;
    let m = &site.matrix.as_ref().unwrap().matrix;
    let (tb, edition) = consumer(site, SetupFile::Autoconfig);
    let mut compared = 0;
    for plan in &m.plans {
        for pv in &plan.variants {
            let r = resolve(m, plan.id.get_ref(), pv.variant.get_ref(), None).unwrap();
            let what = format!("{}/{}", r.plan, r.variant);
            let path = mailsite::urls::autoconfig(&r.plan, &r.variant);
            let Some(file) = built
                .files
                .iter()
                .find(|f| f.path == path.trim_start_matches('/'))
            else {
                continue;
            };
            let xml = std::str::from_utf8(&file.bytes).unwrap();
            let doc = roxmltree::Document::parse(xml).unwrap();
            let provider = children(doc.root_element(), "emailProvider")[0];
            let nodes = children(provider, "incomingServer")
                .into_iter()
                .chain(children(provider, "outgoingServer"));
            let eps: Vec<&Endpoint> = r.incoming.iter().chain(&r.outgoing).collect();
            assert_eq!(nodes.clone().count(), eps.len(), "{what}");
            for (node, e) in nodes.zip(eps) {
                let Answer::Choose { entry, .. } = answer(m, tb, edition, e) else {
                    panic!("{what}: the Thunderbird guide gives no method for {e:?}");
                };
                let expected = match entry.label.as_ref().unwrap().get("en") {
                    "Encrypted password" => "password-encrypted",
                    "Normal password" => "password-cleartext",
                    other => panic!("no autoconfig word for Thunderbird's {other}"),
                };
                assert_eq!(text(node, "authentication"), expected, "{what}");
                compared += 1;
            }
            let url = mailsite::urls::guide("en", "thunderbird", &r.plan, &r.variant);
            let marked = guide_markers(page(&built, &url), "thunderbird", edition);
            for e in [&r.incoming[0], &r.outgoing[0]] {
                let key = (
                    e.direction.as_str().to_string(),
                    e.protocol.as_str().to_string(),
                );
                let said = guide_says(m, site, SetupFile::Autoconfig, e);
                assert_eq!(
                    marked.get(&key).map(String::as_str),
                    Some(said.as_str()),
                    "{what}: {key:?}"
                );
            }
        }
    }
    assert!(compared > 20, "{compared}");
}

/// iOS's and Thunderbird's (IMAP) "encrypted password" entries made to send NTLM, which the
/// servers do not accept: their guides fall back to a normal password while the matrix still
/// names encrypted password, and every file follows the guides — the build's export (the
/// browser's profile) and autoconfig files, and the commands, unless `--auth` says otherwise.
#[test]
fn setup_files_follow_the_guides_when_the_data_changes() {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&shipped_root(), tmp.path());
    let clients = tmp.path().join("content/clients");
    // The first is iOS's "MD5 Challenge-Response".
    edit(
        &clients.join("ios.toml"),
        "mechanisms = [\"cram-md5\"]",
        "mechanisms = [\"ntlm\"]",
    );
    edit(
        &clients.join("thunderbird.toml"),
        "protocols = [\"imap\"]\nmechanisms = [\"cram-md5\"]",
        "protocols = [\"imap\"]\nmechanisms = [\"ntlm\"]",
    );
    let built = render_site(tmp.path(), None).unwrap();
    let m = &built.site.matrix.as_ref().unwrap().matrix;
    let file = |path: &str| {
        let path = path.trim_start_matches('/');
        let f = built.files.iter().find(|f| f.path == path);
        f.map(|f| std::str::from_utf8(&f.bytes).unwrap().to_string())
    };
    let export: Json = serde_json::from_str(&file("/api/settings.json").unwrap()).unwrap();
    let (mut profiles, mut imap) = (0, 0);
    for (p, plan) in export["plans"].as_array().unwrap().iter().zip(&m.plans) {
        for (v, pv) in p["variants"].as_array().unwrap().iter().zip(&plan.variants) {
            let r = resolve(m, plan.id.get_ref(), pv.variant.get_ref(), None).unwrap();
            let what = format!("{}/{}", r.plan, r.variant);
            let url = mailsite::urls::guide("en", "ios", &r.plan, &r.variant);
            let marked = guide_markers(page(&built, &url), "ios", "ios18");
            for (side, e) in [("incoming", &r.incoming[0]), ("outgoing", &r.outgoing[0])] {
                // The matrix still names encrypted password: it would say CRAM-MD5.
                assert_eq!(e.auth, Auth::EncryptedPassword, "{what}");
                let key = (side.to_string(), e.protocol.as_str().to_string());
                assert_eq!(marked[&key], "password", "{what}: the iOS guide");
                assert_eq!(
                    v["apple"][side]["authentication"], "EmailAuthPassword",
                    "{what}: the export's {side} server"
                );
            }
            profiles += 1;
            let Some(xml) = file(&mailsite::urls::autoconfig(&r.plan, &r.variant)) else {
                continue;
            };
            let doc = roxmltree::Document::parse(&xml).unwrap();
            let provider = children(doc.root_element(), "emailProvider")[0];
            for node in children(provider, "incomingServer")
                .into_iter()
                .chain(children(provider, "outgoingServer"))
            {
                // POP3 (APOP) and SMTP entries still send what the servers accept.
                let expected = match node.attribute("type") {
                    Some("imap") => "password-cleartext",
                    _ => "password-encrypted",
                };
                imap += usize::from(node.attribute("type") == Some("imap"));
                assert_eq!(text(node, "authentication"), expected, "{what}");
            }
        }
    }
    assert!(profiles >= 8 && imap > 0, "{profiles} {imap}");

    let root = tmp.path().to_str().unwrap();
    let request = [
        "--root",
        root,
        "--plan",
        "shared-standard",
        "--variant",
        "plain",
        "--address",
        "info@sample.co.jp",
    ];
    let run = |command: &str, extra: &[&str]| {
        let mut args = vec![command];
        args.extend(request);
        args.extend(extra);
        let o = mailsite(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o.stdout
    };
    let profile_auth = |bytes: Vec<u8>| {
        let profile = Value::from_reader_xml(bytes.as_slice()).unwrap();
        let p = profile.as_dictionary().unwrap()["PayloadContent"]
            .as_array()
            .unwrap()[0]
            .as_dictionary()
            .unwrap()
            .clone();
        ["Incoming", "Outgoing"].map(|side| {
            p[&format!("{side}MailServerAuthentication")]
                .as_string()
                .unwrap()
                .to_string()
        })
    };
    assert_eq!(
        profile_auth(run("profile", &[])),
        ["EmailAuthPassword", "EmailAuthPassword"]
    );
    assert_eq!(
        profile_auth(run("profile", &["--auth", "encrypted-password"])),
        ["EmailAuthCRAMMD5", "EmailAuthCRAMMD5"]
    );
    let xml = String::from_utf8(run("autoconfig", &[])).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let provider = children(doc.root_element(), "emailProvider")[0];
    let words: Vec<(&str, &str)> = children(provider, "incomingServer")
        .into_iter()
        .map(|n| (n.attribute("type").unwrap(), text(n, "authentication")))
        .collect();
    assert!(words.contains(&("imap", "password-cleartext")), "{words:?}");
    assert!(words.contains(&("pop3", "password-encrypted")), "{words:?}");
}

/// Two client files claiming one setup file: the load fails at the later claim, naming
/// both clients and where the first claim is.
#[test]
fn a_setup_file_follows_one_guide() {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(&shipped_root(), tmp.path());
    edit(
        &tmp.path().join("content/clients/macos.toml"),
        "id = \"macos\"\n",
        "id = \"macos\"\nsetup_files = [\"apple-profile\"]\n",
    );
    let problems = Site::load(tmp.path()).unwrap_err().to_string();
    assert_eq!(problems.lines().count(), 1, "{problems}");
    assert!(
        problems.starts_with("content/clients/macos.toml:")
            && problems.contains("client `macos` claims setup file `apple-profile`, which client `ios` already claims (content/clients/ios.toml:"),
        "{problems}"
    );
}

// ---------------------------------------------------------------------------
// Outlook Autodiscover

#[test]
fn autodiscover_responses_say_what_explain_says() {
    let site = Site::load(&shipped_root()).unwrap();
    let (outlook, edition) = consumer(&site, SetupFile::Autodiscover);
    for (x, json) in explained() {
        for (r, j) in x.resolutions.iter().zip(&json) {
            let what = format!("{}/{} {}", r.plan, r.variant, x.address.ascii());
            let auth = guide_auth(&x.matrix, &site.clients, SetupFile::Autodiscover);
            let xml = autodiscover::response(r, auth);
            let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
            let root = doc.root_element();
            assert_eq!(root.tag_name().namespace(), Some(autodiscover::RESPONSE_NS));
            assert!(autodiscover::RESPONSE_NS.starts_with("http://"));
            let response = children(root, "Response")[0];
            assert_eq!(
                response.tag_name().namespace(),
                Some(autodiscover::OUTLOOK_NS)
            );
            let account = children(response, "Account")[0];
            assert_eq!(text(account, "AccountType"), "email");
            assert_eq!(text(account, "Action"), "settings");
            let protocols = children(account, "Protocol");
            // explain's first entry of each protocol, in explain's order.
            let mut expected: Vec<&Json> = Vec::new();
            for e in j["incoming"]
                .as_array()
                .unwrap()
                .iter()
                .chain(j["outgoing"].as_array().unwrap())
            {
                if !expected.iter().any(|x| x["protocol"] == e["protocol"]) {
                    expected.push(e);
                }
            }
            assert_eq!(protocols.len(), expected.len(), "{what}");
            let resolved = autodiscover::chosen(r);
            for ((p, e), ep) in protocols.iter().zip(expected).zip(resolved) {
                let p = *p;
                assert_eq!(
                    text(p, "Type").to_lowercase(),
                    e["protocol"].as_str().unwrap()
                );
                assert_eq!(text(p, "Server"), e["host"].as_str().unwrap(), "{what}");
                assert_eq!(text(p, "Port"), e["port"].to_string(), "{what}");
                assert_eq!(text(p, "LoginName"), e["username"].as_str().unwrap());
                // What the Outlook guide says: its answer's entry sets the SPA box (NTLM,
                // which these servers do not do) off.
                let Answer::Choose { entry, .. } = answer(&x.matrix, outlook, edition, ep) else {
                    panic!("{what}: the Outlook guide gives no method");
                };
                assert_eq!(entry.state, Some(State::Off), "{what}: the guide's SPA box");
                assert_eq!(text(p, "SPA"), "off", "{what}: SPA is NTLM");
                let (ssl, enc) = match e["security"].as_str().unwrap() {
                    "none" => ("off", "None"),
                    "starttls" => ("on", "TLS"),
                    _ => ("on", "SSL"),
                };
                assert_eq!(
                    (text(p, "SSL"), text(p, "Encryption")),
                    (ssl, enc),
                    "{what}"
                );
                assert_eq!(text(p, "AuthRequired"), "on");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// DNS records and the JSON export

#[test]
fn srv_records_name_every_option_explain_gives() {
    for (x, json) in explained() {
        for (r, j) in x.resolutions.iter().zip(&json) {
            let records = dns::srv_records(r);
            let entries: Vec<&Json> = j["incoming"]
                .as_array()
                .unwrap()
                .iter()
                .chain(j["outgoing"].as_array().unwrap())
                .collect();
            assert_eq!(records.len(), entries.len());
            for (rec, e) in records.iter().zip(entries) {
                assert_eq!(rec.target, e["host"].as_str().unwrap());
                assert_eq!(i64::from(rec.port), e["port"].as_i64().unwrap());
                let tls = e["security"] == "ssl-tls";
                let proto = e["protocol"].as_str().unwrap();
                let expected = match (proto, tls) {
                    ("smtp", true) => "_submissions._tcp".to_string(),
                    ("smtp", false) => "_submission._tcp".to_string(),
                    (p, true) => format!("_{p}s._tcp"),
                    (p, false) => format!("_{p}._tcp"),
                };
                assert_eq!(rec.service, expected);
            }
            let zone = dns::zone(&records, x.address.domain_ascii.as_str());
            assert_eq!(zone.lines().count(), records.len());
            assert!(zone
                .lines()
                .all(|l| l.contains(" IN SRV ") && l.ends_with('.')));
        }
    }
}

#[test]
fn the_export_is_what_resolve_gives_and_offers_nothing_more() {
    let site = render_site(&shipped_root(), None).unwrap();
    let m = &site.site.matrix.as_ref().unwrap().matrix;
    let file = site
        .files
        .iter()
        .find(|f| f.path == "api/settings.json")
        .unwrap();
    let export: Json = serde_json::from_slice(&file.bytes).unwrap();
    assert_eq!(export["format"], 1);
    assert_eq!(export["provider_domain"], "neoworks.jp");
    let plans = export["plans"].as_array().unwrap();
    assert_eq!(plans.len(), m.plans.len());
    for (p, plan) in plans.iter().zip(&m.plans) {
        assert_eq!(p["id"], plan.id.get_ref().as_str());
        let variants = p["variants"].as_array().unwrap();
        // Only what the plan offers.
        assert_eq!(variants.len(), plan.variants.len());
        for (v, pv) in variants.iter().zip(&plan.variants) {
            let r = resolve(m, plan.id.get_ref(), pv.variant.get_ref(), None).unwrap();
            assert_eq!(v["id"], r.variant.as_str());
            for (list, eps) in [(&v["incoming"], &r.incoming), (&v["outgoing"], &r.outgoing)] {
                let list = list.as_array().unwrap();
                assert_eq!(list.len(), eps.len());
                for (a, e) in list.iter().zip(eps) {
                    assert_eq!(a["host"], e.host.as_str());
                    assert_eq!(a["port"], e.port);
                    assert_eq!(a["security"], e.security.as_str());
                    assert_eq!(a["auth"], e.auth.as_str());
                    assert_eq!(a["username"], e.username.as_str());
                    assert_eq!(a["recommended"], e.recommended);
                    // No IMAP over SSL: the seed states no port for it.
                    assert!(!(a["protocol"] == "imap" && a["security"] == "ssl-tls"));
                }
            }
            let warnings: Vec<&str> = v["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w.as_str().unwrap())
                .collect();
            assert_eq!(warnings, r.warnings);
            for w in &warnings {
                assert!(
                    export["warnings"][w]["text"]["ja"].is_string(),
                    "warning {w}"
                );
            }
        }
        for u in p["unavailable"].as_array().unwrap() {
            assert!(!variants.iter().any(|v| v["id"] == u["variant"]));
        }
    }
}

// ---------------------------------------------------------------------------
// The commands

fn mailsite(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mailsite"))
        .args(args)
        .current_dir(shipped_root())
        .output()
        .unwrap()
}

#[test]
fn the_commands_print_the_files_and_refuse_bad_requests_like_explain() {
    let common = [
        "--plan",
        "shared-managed",
        "--variant",
        "ssl",
        "--address",
        " Info@例え.jp ",
    ];
    let seeded = |seed: &str| {
        let mut args = vec!["profile"];
        args.extend(common);
        args.extend(["--uuid-seed", seed]);
        mailsite(&args)
    };
    let (a, b, c) = (seeded("x"), seeded("x"), seeded("y"));
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout, "the same seed, the same profile");
    assert_ne!(a.stdout, c.stdout);
    let profile = Value::from_reader_xml(a.stdout.as_slice()).unwrap();
    let p = &profile.as_dictionary().unwrap()["PayloadContent"]
        .as_array()
        .unwrap()[0];
    let p = p.as_dictionary().unwrap();
    assert_eq!(
        p["IncomingMailServerHostName"].as_string(),
        Some("xn--r8jz45g.jp")
    );
    assert_eq!(
        p["IncomingMailServerUsername"].as_string(),
        Some("Info@xn--r8jz45g.jp")
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("p.mobileconfig");
    let mut args = vec!["profile"];
    args.extend(common);
    args.extend(["--out", out.to_str().unwrap()]);
    assert!(mailsite(&args).status.success());
    assert!(Value::from_file(&out).is_ok());
    for command in ["autodiscover", "autoconfig"] {
        let mut args = vec![command];
        args.extend(common);
        let o = mailsite(&args);
        assert!(o.status.success(), "{command}");
        roxmltree::Document::parse(std::str::from_utf8(&o.stdout).unwrap()).unwrap();
    }
    for command in ["profile", "autodiscover", "autoconfig"] {
        for (bad, says) in [
            (
                [
                    "--plan",
                    "shared-standard",
                    "--variant",
                    "ssl",
                    "--address",
                    "a@b.jp",
                ],
                "its variants: plain",
            ),
            (
                ["--plan", "nope", "--variant", "ssl", "--address", "a@b.jp"],
                "valid plans:",
            ),
            (
                [
                    "--plan",
                    "shared-standard",
                    "--variant",
                    "plain",
                    "--address",
                    "a\u{1b}[31m@b.jp",
                ],
                "\\u{1b}",
            ),
        ] {
            let mut args = vec![command];
            args.extend(bad);
            let o = mailsite(&args);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{command} {bad:?}: {err}");
            assert!(
                err.contains(says) && !err.contains('\u{1b}'),
                "{command}: {err}"
            );
            assert_eq!(err.lines().count(), 1, "{command}: {err}");
            assert!(o.stdout.is_empty());
        }
    }
}

/// `profile --out` writes a new file; it never replaces the site's sources, follows a link
/// or replaces an existing file unless told to (`--force`), and says why on one line.
#[test]
fn profile_out_writes_only_files_it_may() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_site(&shipped_root(), &root);
    let run = |out: &Path, force: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailsite"));
        cmd.args(["profile", "--root"]).arg(&root);
        cmd.args(["--plan", "shared-managed", "--variant", "ssl"]);
        cmd.args(["--address", "info@sample.co.jp", "--out"])
            .arg(out);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    let refused = |out: &Path, force: bool, why: &str| {
        let o = run(out, force);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{}: {stderr}", out.display());
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(why), "{stderr}");
    };
    let sources = read_tree(&root);
    let matrix = root.join("content/matrix.toml");
    refused(&matrix, true, "inside the site's `content/` folder");
    refused(
        &root.join("templates/p.mobileconfig"),
        false,
        "`templates/`",
    );
    refused(&root.join("mailsite.toml"), true, "the site's own");
    refused(&root, true, "the site's own");
    std::fs::create_dir(tmp.path().join("dir")).unwrap();
    refused(&tmp.path().join("dir"), true, "not a file");
    let mine = tmp.path().join("notes.txt");
    std::fs::write(&mine, "mine").unwrap();
    refused(&mine, false, "add --force");
    #[cfg(unix)]
    {
        let link = tmp.path().join("link.mobileconfig");
        std::os::unix::fs::symlink(&mine, &link).unwrap();
        refused(&link, true, "symbolic link");
    }
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "mine");
    assert_eq!(read_tree(&root), sources, "the sources are untouched");

    let out = tmp.path().join("p.mobileconfig");
    assert!(run(&out, false).status.success());
    assert!(Value::from_file(&out).is_ok());
    assert!(run(&mine, true).status.success(), "--force replaces a file");
    assert!(Value::from_file(&mine).is_ok());
}
