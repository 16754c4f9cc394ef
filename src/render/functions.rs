//! The functions templates (and Markdown pages) call: UI strings, URLs, and every marked
//! value (`setting`, `available`, `ssl_support`, `port`). Markers come from
//! [`crate::markers`]; URLs from [`crate::urls`].

use std::sync::Arc;

use minijinja::{Environment, Error, ErrorKind, State, Value};

use crate::assets;
use crate::markers::{Field, Marker, Origin};
use crate::matrix::{Matrix, Plan};
use crate::site::Site;
use crate::strings::Strings;
use crate::urls;

pub(super) fn register(env: &mut Environment<'_>, site: &Site) {
    // Functions outlive the borrow of the site, so they share owned copies.
    let strings = Arc::new(site.strings.clone());
    let matrix: Option<Arc<Matrix>> = site.matrix.as_ref().map(|m| Arc::new(m.matrix.clone()));
    register_strings(env, strings.clone());
    register_urls(env, site, matrix.clone());
    register_markers(env, matrix, strings);
    super::setup::register(env, site);
}

fn invalid(msg: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg)
}

fn lookup_str(state: &State, name: &str) -> Result<String, Error> {
    state
        .lookup(name)
        .and_then(|v| v.as_str().map(str::to_string))
        .ok_or_else(|| invalid(format!("`{name}` is not set for this page")))
}

fn register_strings(env: &mut Environment<'_>, strings: Arc<Strings>) {
    // UI string of the page's language (or of `lang`, for a passage in another language:
    // `t("nav.home", "en")`); a missing key is an error, never a blank.
    env.add_function("t", move |state: &State, key: &str, lang: Option<&str>| -> Result<String, Error> {
        let page_lang = state.lookup("lang");
        let lang = match lang {
            Some(l) => l,
            None => page_lang
                .as_ref()
                .and_then(Value::as_str)
                .ok_or_else(|| invalid("`lang` is not set for this page".into()))?,
        };
        strings.get(lang, key).map(str::to_string).ok_or_else(|| {
            invalid(format!("unknown UI string `{key}` (add it to content/i18n/{lang}.toml and the other languages)"))
        })
    });
}

/// `url(path)` links to any path from the site root; the others name a page of the site
/// by what it is, in the page's language (`home_url` and `search_url` also in another:
/// `home_url("en")`). All return a link relative to the page, except on a page served at
/// any depth (`/404.html`), whose context sets `link_base`: there links are absolute paths
/// under the base URL's path.
fn register_urls(env: &mut Environment<'_>, site: &Site, matrix: Option<Arc<Matrix>>) {
    fn lang_of(state: &State, lang: Option<&str>) -> Result<String, Error> {
        lang.map_or_else(|| lookup_str(state, "lang"), |l| Ok(l.to_string()))
    }
    env.add_function("url", move |state: &State, path: &str| link(state, path));
    env.add_function("home_url", move |state: &State, lang: Option<&str>| {
        link(state, &urls::home(&lang_of(state, lang)?))
    });
    env.add_function("search_url", move |state: &State, lang: Option<&str>| {
        link(state, &urls::search(&lang_of(state, lang)?))
    });
    // Pages named by ids link only to pages the site has: an unknown id is an error here,
    // as in port(), not a dead link for `check` to find.
    let m = matrix.clone();
    env.add_function("plan_url", move |state: &State, plan: &str| {
        known_plan(m.as_deref(), "plan_url", plan)?;
        link(state, &urls::plan(&lookup_str(state, "lang")?, plan))
    });
    let clients: Arc<Vec<String>> = Arc::new(
        site.clients
            .iter()
            .map(|c| c.client.id.get_ref().clone())
            .collect(),
    );
    let known = clients.clone();
    env.add_function("client_url", move |state: &State, client: &str| {
        known_client(&known, "client_url", client)?;
        link(state, &urls::client(&lookup_str(state, "lang")?, client))
    });
    let m = matrix;
    env.add_function(
        "guide_url",
        move |state: &State, client: &str, plan: &str, variant: &str| {
            known_client(&clients, "guide_url", client)?;
            known_offered(m.as_deref(), "guide_url", plan, variant)?;
            let to = urls::guide(&lookup_str(state, "lang")?, client, plan, variant);
            link(state, &to)
        },
    );
    // One of the engine's scripts, with its content hash: `asset("search.js")`.
    env.add_function("asset", move |state: &State, name: &str| {
        let path = assets::url(name).ok_or_else(|| {
            invalid(format!(
                "asset(): the engine has no asset `{name}` (it has: {})",
                assets::names().join(", ")
            ))
        })?;
        link(state, &path)
    });
    // A Markdown page by its file in the language folder: `page_url("settings.md")`.
    let pages: Arc<Vec<(String, String)>> = Arc::new(
        site.pages
            .iter()
            .map(|p| (p.lang.clone(), p.rel.clone()))
            .collect(),
    );
    env.add_function("page_url", move |state: &State, rel: &str| {
        let lang = lookup_str(state, "lang")?;
        if !pages.iter().any(|(l, r)| *l == lang && r == rel) {
            return Err(invalid(format!(
                "page_url(): there is no page `content/{lang}/{rel}`"
            )));
        }
        link(state, &urls::markdown(&lang, rel))
    });
}

/// A link from the page being rendered to `to` (a path from the site root).
fn link(state: &State, to: &str) -> Result<String, Error> {
    if let Some(base) = state.lookup("link_base") {
        return Ok(format!("{}{to}", base.as_str().unwrap_or_default()));
    }
    let url = state.lookup("page").and_then(|p| p.get_attr("url").ok());
    let from = url
        .as_ref()
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("`page.url` is not set for this page".into()))?;
    Ok(urls::relative(from, to))
}

fn attr(v: &Value, key: &str) -> Result<String, Error> {
    let a = v.get_attr(key)?;
    if a.is_undefined() {
        return Err(invalid(format!(
            "setting(): the value has no `{key}` (pass a server row such as `ep` from `variant.incoming`)"
        )));
    }
    Ok(a.to_string())
}

/// A plan of the matrix, for a template function; an unknown id is a template error.
fn known_plan<'m>(m: Option<&'m Matrix>, function: &str, plan: &str) -> Result<&'m Plan, Error> {
    let m = m.ok_or_else(|| invalid(format!("{function}(): this site has no matrix")))?;
    m.plan(plan).ok_or_else(|| {
        invalid(format!(
            "{function}(): unknown plan `{plan}` (known: {})",
            m.plan_ids().join(", ")
        ))
    })
}

fn known_client(clients: &[String], function: &str, client: &str) -> Result<(), Error> {
    if clients.iter().any(|c| c == client) {
        return Ok(());
    }
    Err(invalid(format!(
        "{function}(): unknown client `{client}` (known: {})",
        clients.join(", ")
    )))
}

/// A variant the plan offers (a guide exists only for those).
fn known_offered(
    m: Option<&Matrix>,
    function: &str,
    plan: &str,
    variant: &str,
) -> Result<(), Error> {
    let p = known_plan(m, function, plan)?;
    known_variant(m, function, variant)?;
    match p.offered(variant) {
        Some(_) => Ok(()),
        None => Err(invalid(format!(
            "{function}(): plan `{plan}` does not offer variant `{variant}` (it offers: {})",
            p.variants
                .iter()
                .map(|v| v.variant.get_ref().as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn known_variant(m: Option<&Matrix>, function: &str, variant: &str) -> Result<(), Error> {
    let m = m.ok_or_else(|| invalid(format!("{function}(): this site has no matrix")))?;
    match m.variant(variant) {
        Some(_) => Ok(()),
        None => Err(invalid(format!(
            "{function}(): unknown variant `{variant}` (known: {})",
            m.variants
                .iter()
                .map(|v| v.id.get_ref().as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn register_markers(env: &mut Environment<'_>, matrix: Option<Arc<Matrix>>, strings: Arc<Strings>) {
    register_setting(env);
    register_availability(env, matrix.clone(), strings);
    register_port(env, matrix);
}

fn register_setting(env: &mut Environment<'_>) {
    // A matrix value wearing its origin (the marker contract): `setting(ep, "port")`.
    env.add_function("setting", |ep: Value, field: &str| -> Result<Value, Error> {
        let origin = Origin {
            plan: attr(&ep, "plan")?,
            variant: attr(&ep, "variant")?,
            direction: attr(&ep, "direction")?,
            protocol: attr(&ep, "protocol")?,
            // Unique protocol in its direction: the protocol names the option.
            port: match ep.get_attr("shares_protocol") {
                Ok(v) if !v.is_undefined() && !v.is_true() => None,
                _ => Some(attr(&ep, "port_id")?),
            },
        };
        if field == "protocol" {
            let text = attr(&ep, "protocol_name")?;
            return Ok(Marker::Protocol { origin }.to_html(&text).into());
        }
        let field = Field::parse(field).ok_or_else(|| {
            invalid(format!(
                "setting(): unknown field `{field}` (host, port, security, auth, username, protocol)"
            ))
        })?;
        let (text, value) = match field {
            Field::Host => (attr(&ep, "host_display")?, attr(&ep, "host")?),
            Field::Port => (attr(&ep, "port")?, attr(&ep, "port")?),
            Field::Security => (attr(&ep, "security_label")?, attr(&ep, "security")?),
            Field::Auth => (attr(&ep, "auth_label")?, attr(&ep, "auth")?),
            Field::Username => (attr(&ep, "username_display")?, attr(&ep, "username")?),
        };
        Ok(Marker::Value { field, origin, value }.to_html(&text).into())
    });
}

fn register_availability(
    env: &mut Environment<'_>,
    matrix: Option<Arc<Matrix>>,
    strings: Arc<Strings>,
) {
    // Whether a plan offers a variant, from the matrix, marked for `check`.
    let m = matrix.clone();
    env.add_function(
        "available",
        move |state: &State, plan: &str, variant: &str| -> Result<Value, Error> {
            let lang = lookup_str(state, "lang")?;
            let p = known_plan(m.as_deref(), "available", plan)?;
            known_variant(m.as_deref(), "available", variant)?;
            let offered = p.offered(variant).is_some();
            let key = if offered {
                "availability.yes"
            } else {
                "availability.no"
            };
            let marker = Marker::Available {
                plan: plan.to_string(),
                variant: variant.to_string(),
                offered,
            };
            Ok(marker.to_html(strings.require(&lang, key)).into())
        },
    );
    // A plan's SSL support, from the matrix, marked for `check`.
    let m = matrix;
    env.add_function(
        "ssl_support",
        move |state: &State, plan: &str| -> Result<Value, Error> {
            let lang = lookup_str(state, "lang")?;
            let p = known_plan(m.as_deref(), "ssl_support", plan)?;
            let support = *p.ssl.get_ref();
            let label = m
                .as_deref()
                .and_then(|m| m.ssl_support_label(support))
                .map(|l| l.get(&lang).to_string())
                .unwrap_or_default();
            let marker = Marker::SslSupport {
                plan: plan.to_string(),
                support: support.as_str().to_string(),
            };
            Ok(marker.to_html(&label).into())
        },
    );
}

fn register_port(env: &mut Environment<'_>, matrix: Option<Arc<Matrix>>) {
    // A port by id, for prose: {{ port("pop3-ssl") }}.
    env.add_function("port", move |id: &str| -> Result<Value, Error> {
        let m = matrix
            .as_ref()
            .ok_or_else(|| invalid("port(): this site has no matrix".into()))?;
        let p = m.port(id).ok_or_else(|| {
            let known: Vec<&str> = m.ports.iter().map(|p| p.id.get_ref().as_str()).collect();
            invalid(format!(
                "port(): unknown port `{id}` (known: {})",
                known.join(", ")
            ))
        })?;
        let number = p.number.get_ref().to_string();
        let marker = Marker::Port {
            id: id.to_string(),
            direction: Some(p.direction.as_str().to_string()),
            number: number.clone(),
        };
        Ok(marker.to_html(&number).into())
    });
}
