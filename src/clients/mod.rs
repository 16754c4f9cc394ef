//! Mail clients: their UI labels and structure (`content/clients/*.toml`), checked
//! against the matrix so a guide can never lack a value the matrix uses.

mod schema;
pub mod view;

pub use schema::*;

use std::collections::BTreeSet;
use std::path::Path;

use serde_spanned::Spanned;
use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::matrix::{is_slug, placeholder_refs, Id, Localized, Matrix, Protocol};
use crate::resolve::resolve;
use crate::toml_file;

pub const CLIENTS_DIR: &str = "content/clients";

/// A client that passed every rule, with its source kept for locations.
#[derive(Debug, Clone)]
pub struct LoadedClient {
    pub client: Client,
    pub source: SourceFile,
}

impl Client {
    pub fn field(&self, id: &str) -> Option<&Field> {
        self.screens
            .iter()
            .flat_map(|s| &s.fields)
            .find(|f| f.id.get_ref() == id)
    }
    /// The screen that holds a field.
    pub fn screen_of(&self, field: &str) -> Option<&Screen> {
        self.screens
            .iter()
            .find(|s| s.fields.iter().any(|f| f.id.get_ref() == field))
    }
    pub fn screen(&self, id: &str) -> Option<&Screen> {
        self.screens.iter().find(|s| s.id.get_ref() == id)
    }
    /// A navigation segment, screen or field: anything `{label:ID}` may name.
    pub fn labelled(&self, id: &str) -> Option<&dyn Labelled> {
        if let Some(f) = self.field(id) {
            return Some(f);
        }
        if let Some(s) = self.screen(id) {
            return Some(s);
        }
        self.editions
            .iter()
            .flat_map(|e| &e.navigation)
            .find(|n| n.id.get_ref() == id)
            .map(|n| n as &dyn Labelled)
    }
    /// Whether edition `edition` has a field showing `value` for a connection over `proto`
    /// (its direction or both, its protocols, its screen's editions and protocols).
    /// `address_is_username`: the matrix's user name is the address, so a client that
    /// logs on with the address it asked for (no user name box) covers the user name.
    pub fn has_field(
        &self,
        edition: &str,
        proto: Protocol,
        value: FieldValue,
        address_is_username: bool,
    ) -> bool {
        let protocols = [proto];
        let scope = Scope::edition(edition).over(&protocols);
        self.screens
            .iter()
            .filter(|s| scope.admits(*s))
            .flat_map(|s| &s.fields)
            .any(|f| {
                (f.value == value
                    || (value == FieldValue::Username
                        && address_is_username
                        && f.value == FieldValue::Address))
                    && scope.admits(f)
                    && match f.direction {
                        Some(FieldDirection::Both) => true,
                        Some(FieldDirection::Incoming) => {
                            proto.direction() == crate::matrix::Direction::Incoming
                        }
                        Some(FieldDirection::Outgoing) => {
                            proto.direction() == crate::matrix::Direction::Outgoing
                        }
                        // An address box belongs to the account, not to one direction.
                        None => f.value == FieldValue::Address,
                    }
            })
    }
    /// The mapping entry for a matrix value, as the coverage rule matches it.
    pub fn mapping_for(
        &self,
        edition: &str,
        setting: Setting,
        value: &str,
        protocol: Protocol,
    ) -> Option<&Mapping> {
        let protocols = [protocol];
        let scope = Scope::edition(edition).over(&protocols);
        self.mapping.iter().find(|m| {
            *m.setting.get_ref() == setting && m.value.get_ref() == value && scope.admits(*m)
        })
    }
}

/// Every `(setting, value, protocol)` the matrix uses, over all plans × offered variants.
pub fn used_values(m: &Matrix) -> BTreeSet<(Setting, String, Protocol)> {
    let mut used = BTreeSet::new();
    for plan in &m.plans {
        for pv in &plan.variants {
            let Ok(r) = resolve(m, plan.id.get_ref(), pv.variant.get_ref(), None) else {
                continue;
            };
            for e in r.incoming.iter().chain(&r.outgoing) {
                used.insert((
                    Setting::Protocol,
                    e.protocol.as_str().to_string(),
                    e.protocol,
                ));
                used.insert((
                    Setting::Security,
                    e.security.as_str().to_string(),
                    e.protocol,
                ));
                used.insert((Setting::Auth, e.auth.as_str().to_string(), e.protocol));
            }
        }
    }
    used
}

/// Loads `content/clients/*.toml` (an optional folder), validated against the matrix.
pub fn load(
    root: &Path,
    languages: &[String],
    matrix: Option<&Matrix>,
) -> Result<Vec<LoadedClient>, Diagnostics> {
    let dir = root.join(CLIENTS_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut problems = Diagnostics::new();
    for entry in WalkDir::new(&dir).max_depth(1).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(Diagnostic::walk(root, &e));
                continue;
            }
        };
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let source = match SourceFile::read(root, &rel) {
            Ok(s) => s,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        match parse(&source, &stem, languages, matrix) {
            Ok(client) => out.push(LoadedClient { client, source }),
            Err(d) => problems.extend(d),
        }
    }
    problems.into_result()?;
    out.sort_by(|a, b| {
        (a.client.weight, a.client.id.get_ref()).cmp(&(b.client.weight, b.client.id.get_ref()))
    });
    Ok(out)
}

/// Parses and validates one client file already in memory; `stem` is its file name
/// without `.toml` (the client id must equal it).
pub fn parse(
    source: &SourceFile,
    stem: &str,
    languages: &[String],
    matrix: Option<&Matrix>,
) -> Result<Client, Diagnostics> {
    let client: Client = toml_file::parse(source)?;
    validate(&client, source, stem, languages, matrix).into_result()?;
    Ok(client)
}

struct Ctx<'a> {
    source: &'a SourceFile,
    languages: &'a [String],
    client: &'a Client,
    matrix: Option<&'a Matrix>,
    out: Diagnostics,
}

impl Ctx<'_> {
    fn error<T>(&mut self, value: &Spanned<T>, msg: impl Into<String>) {
        self.out
            .push(Diagnostic::at(self.source, value.span(), msg));
    }

    /// Every site language present, no other, every `{label:ID}` resolves and every
    /// `{value:SETTING:VALUE}` names a value the matrix has a name for.
    fn text(&mut self, what: &str, text: &Localized) {
        for msg in text.language_problems(what, self.languages) {
            self.error(&text.0, msg);
        }
        let map = text.0.get_ref();
        let mut bad = Vec::new();
        for value in map.values() {
            for id in placeholder_refs(value, "label") {
                if self.client.labelled(id).is_none() {
                    bad.push(format!("{what} names unknown label `{{label:{id}}}` (a navigation segment, screen or field of this file)"));
                }
            }
            if let Some(m) = self.matrix {
                for arg in placeholder_refs(value, "value") {
                    if let Some(msg) = value_problem(m, arg) {
                        bad.push(format!(
                            "{what} names unknown value `{{value:{arg}}}`: {msg}"
                        ));
                    }
                }
            }
        }
        for msg in bad {
            self.error(&text.0, msg);
        }
    }

    fn labelled(&mut self, what: &str, l: &dyn Labelled) {
        if let Some(label) = l.label() {
            self.text(what, label);
            if let Some(conf) = l.confidence() {
                let languages = self.languages;
                for lang in languages {
                    if !conf.get_ref().contains_key(lang) {
                        self.error(
                            conf,
                            format!("{what} has no `confidence.{lang}` (confirmed, likely or unverified)"),
                        );
                    } else if conf.get_ref()[lang] == Confidence::Unverified
                        && l.shown_in(lang) == Shown::Exact
                    {
                        self.error(
                            &label.0,
                            format!("{what}: the `{lang}` label is unverified, so it may not be shown as an exact quote (set `shown.{lang}` to `english` or `description`)"),
                        );
                    }
                }
            }
        }
    }

    /// Ids of one kind: each one once, and each a slug (the matrix's rule: ids appear in
    /// URLs, HTML ids and `{label:ID}` placeholders).
    fn unique<'b>(&mut self, kind: &str, ids: impl Iterator<Item = &'b Id>) {
        let mut seen = BTreeSet::new();
        for id in ids {
            if !seen.insert(id.get_ref().clone()) {
                self.error(id, format!("duplicate {kind} id `{}`", id.get_ref()));
            }
            self.slug(kind, id);
        }
    }

    fn slug(&mut self, kind: &str, id: &Id) {
        if !is_slug(id.get_ref()) {
            self.error(
                id,
                format!(
                    "{kind} id `{}` must be lower-case letters, digits and `-` (it appears in URLs, HTML ids and placeholders)",
                    id.get_ref()
                ),
            );
        }
    }

    fn reference(&mut self, kind: &str, id: &Id, known: &[&str]) {
        if !known.contains(&id.get_ref().as_str()) {
            let msg = format!(
                "unknown {kind} `{}` (known {kind}s: {})",
                id.get_ref(),
                known.join(", ")
            );
            self.error(id, msg);
        }
    }

    /// The filters of a table name editions of this file and (with a matrix) its variants.
    fn scope_refs(&mut self, item: &dyn Scoped, editions: &[&str], variants: Option<&[&str]>) {
        for id in item.editions().unwrap_or_default() {
            self.reference("edition", id, editions);
        }
        if let Some(known) = variants {
            for id in item.variants().unwrap_or_default() {
                self.reference("variant", id, known);
            }
        }
    }
}

/// The README's rules for one `[[mapping]]` entry beyond its keys: a control entry names
/// its control and fields, a checkbox/toggle its state, a list entry (dropdown, radio,
/// segmented, picker) its label; every field it names shows that setting.
fn mapping_rules(x: &mut Ctx<'_>, m: &Mapping) {
    let what = format!(
        "mapping `{}` = `{}`",
        m.setting.get_ref().as_str(),
        m.value.get_ref()
    );
    if m.support == Support::Control {
        if m.fields.is_empty() {
            x.error(
                &m.value,
                format!("{what} is a control but names no `fields` (the field ids carrying it)"),
            );
        }
        match m.control {
            None => x.error(
                &m.value,
                format!("{what} is a control but has no `control` (checkbox, toggle, dropdown, radio, segmented or picker)"),
            ),
            Some(Control::Checkbox | Control::Toggle) if m.state.is_none() => x.error(
                &m.value,
                format!("{what}: a {} needs the `state` to set (on or off)", m.control.map(Control::as_str).unwrap_or_default()),
            ),
            Some(Control::Dropdown | Control::Radio | Control::Segmented | Control::Picker)
                if m.label.is_none() =>
            {
                x.error(
                    &m.value,
                    format!("{what}: a {} entry needs the `label` of the entry to choose", m.control.map(Control::as_str).unwrap_or_default()),
                )
            }
            Some(
                Control::Checkbox
                | Control::Toggle
                | Control::Dropdown
                | Control::Radio
                | Control::Segmented
                | Control::Picker,
            ) => {}
            Some(other) => x.error(
                &m.value,
                format!("{what}: `control = \"{}\"` cannot carry a setting (checkbox, toggle, dropdown, radio, segmented or picker)", other.as_str()),
            ),
        }
    }
    let setting = m.setting.get_ref().as_str();
    for id in &m.fields {
        if let Some(f) = x.client.field(id.get_ref()) {
            if f.value.as_str() != setting {
                x.error(
                    id,
                    format!(
                        "{what} names field `{}`, which shows a {} (its `value`), not a {setting}",
                        id.get_ref(),
                        f.value.as_str()
                    ),
                );
            }
        }
    }
}

/// What is wrong with the argument of a `{value:SETTING:VALUE}` placeholder, if anything.
fn value_problem(m: &Matrix, arg: &str) -> Option<String> {
    let (name, value) = arg.split_once(':').unwrap_or((arg, ""));
    let Some(setting) = Setting::parse(name) else {
        return Some(format!(
            "`{name}` is not a setting with named values (protocol, security or auth)"
        ));
    };
    let known = m.value_ids(setting);
    m.value_label(setting, value).is_none().then(|| {
        format!(
            "the matrix has no {name} `{value}` (known: {})",
            known.join(", ")
        )
    })
}

fn validate(
    c: &Client,
    source: &SourceFile,
    stem: &str,
    languages: &[String],
    matrix: Option<&Matrix>,
) -> Diagnostics {
    let mut x = Ctx {
        source,
        languages,
        client: c,
        matrix,
        out: Diagnostics::new(),
    };
    if c.id.get_ref() != stem {
        x.error(
            &c.id,
            format!(
                "client id `{}` must equal the file name `{stem}` (it is the URL slug)",
                c.id.get_ref()
            ),
        );
    }
    for (what, t) in [
        ("name", &c.name),
        ("versions", &c.versions),
        ("summary", &c.summary),
    ] {
        x.text(what, t);
    }
    x.slug("client", &c.id);
    x.unique("edition", c.editions.iter().map(|e| &e.id));
    // Labels share one namespace (screens included): `{label:ID}` must name exactly one thing.
    x.unique(
        "label",
        c.editions
            .iter()
            .flat_map(|e| e.navigation.iter().map(|n| &n.id))
            .chain(c.screens.iter().map(|s| &s.id))
            .chain(
                c.screens
                    .iter()
                    .flat_map(|s| s.fields.iter().map(|f| &f.id)),
            ),
    );
    x.unique("caveat", c.caveats.iter().map(|v| &v.id));
    x.unique("expectation", c.expectations.iter().map(|v| &v.id));
    // One troubleshooting id may appear once per edition (e.g. POP vs IMAP in two UIs).
    for e in &c.editions {
        x.unique(
            "troubleshooting",
            c.troubleshooting
                .iter()
                .filter(|v| Scope::edition(e.id.get_ref()).admits(*v))
                .map(|v| &v.id),
        );
    }

    let editions: Vec<&str> = c.editions.iter().map(|e| e.id.get_ref().as_str()).collect();
    let screens: Vec<&str> = c.screens.iter().map(|s| s.id.get_ref().as_str()).collect();
    let fields: Vec<&str> = c
        .screens
        .iter()
        .flat_map(|s| s.fields.iter().map(|f| f.id.get_ref().as_str()))
        .collect();
    let variants: Option<Vec<&str>> =
        matrix.map(|m| m.variants.iter().map(|v| v.id.get_ref().as_str()).collect());
    let variants = variants.as_deref();
    let warnings: Vec<&str> = matrix
        .map(|m| m.warnings.iter().map(|w| w.id.get_ref().as_str()).collect())
        .unwrap_or_default();

    for e in &c.editions {
        x.text("edition name", &e.name);
        x.text("edition versions", &e.versions);
        for n in &e.navigation {
            x.labelled("navigation segment", n);
        }
    }
    for s in &c.screens {
        x.labelled("screen", s);
        if let Some(n) = &s.note {
            x.text("screen note", n);
        }
        x.scope_refs(s, &editions, variants);
        for f in &s.fields {
            x.labelled("field", f);
            if let Some(n) = &f.note {
                x.text("field note", n);
            }
            if let Some(o) = &f.opens {
                x.reference("screen", o, &screens);
            }
            if f.value.needs_direction() && f.direction.is_none() {
                x.error(
                    &f.id,
                    format!(
                        "field `{}` shows a {} and needs a `direction` (incoming, outgoing or both)",
                        f.id.get_ref(),
                        f.value.as_str()
                    ),
                );
            }
        }
    }
    for s in &c.steps {
        x.text("step text", &s.text);
        if let Some(id) = &s.screen {
            x.reference("screen", id, &screens);
        }
        for f in &s.fields {
            x.reference("field", f, &fields);
        }
        x.scope_refs(s, &editions, variants);
    }
    for m in &c.mapping {
        x.labelled("mapping entry", m);
        x.scope_refs(m, &editions, variants);
        for f in &m.fields {
            x.reference("field", f, &fields);
        }
        for (what, t) in [
            ("note", &m.note),
            ("reason", &m.reason),
            ("instead", &m.instead),
        ] {
            if let Some(t) = t {
                x.text(&format!("mapping {what}"), t);
            }
        }
        let need = match m.support {
            Support::Control => None,
            Support::Automatic => m.note.is_none().then_some("a `note`"),
            Support::Unsupported => {
                (m.reason.is_none() || m.instead.is_none()).then_some("a `reason` and an `instead`")
            }
        };
        if let Some(need) = need {
            x.error(
                &m.value,
                format!(
                    "mapping `{}` = `{}` needs {need}",
                    m.setting.get_ref().as_str(),
                    m.value.get_ref()
                ),
            );
        }
        for a in &m.alternatives {
            x.text("alternative versions", &a.versions);
            x.labelled("alternative", a);
        }
        mapping_rules(&mut x, m);
    }
    // One entry per edition × (setting, value, protocol): two that overlap would make the
    // guide depend on their order.
    for e in &c.editions {
        let ed = e.id.get_ref();
        for proto in [Protocol::Pop3, Protocol::Imap, Protocol::Smtp] {
            for (i, m) in c.mapping.iter().enumerate() {
                let protocols = [proto];
                let scope = Scope::edition(ed).over(&protocols);
                let applies = |m: &Mapping| scope.admits(m);
                if !applies(m) {
                    continue;
                }
                let earlier = c.mapping[..i].iter().any(|o| {
                    applies(o)
                        && o.setting.get_ref() == m.setting.get_ref()
                        && o.value.get_ref() == m.value.get_ref()
                });
                if earlier {
                    x.error(
                        &m.value,
                        format!(
                            "mapping `{}` = `{}` overlaps an earlier entry for edition `{ed}` over {}: narrow `editions` or `protocols` so each connection has one entry",
                            m.setting.get_ref().as_str(),
                            m.value.get_ref(),
                            proto.as_str()
                        ),
                    );
                }
            }
        }
    }
    for v in &c.caveats {
        x.text("caveat title", &v.title);
        x.text("caveat text", &v.text);
        for f in &v.fields {
            x.reference("field", f, &fields);
        }
        x.scope_refs(v, &editions, variants);
    }
    for v in &c.expectations {
        x.text("expectation condition", &v.when);
        x.text("expectation text", &v.text);
        if let Some(msg) = &v.message {
            x.labelled("message", msg);
        }
        x.scope_refs(v, &editions, variants);
    }
    for v in &c.troubleshooting {
        x.text("symptom", &v.symptom);
        x.text("cause", &v.cause);
        x.text("fix", &v.fix);
        if let Some(msg) = &v.message {
            x.labelled("message", msg);
            if let Some(n) = &msg.note {
                x.text("message note", n);
            }
        }
        for ch in &v.changes {
            x.reference("field", &ch.field, &fields);
        }
        x.scope_refs(v, &editions, variants);
        if matrix.is_some() {
            for w in &v.warnings {
                x.reference("warning", w, &warnings);
            }
        }
    }
    // Coverage: every value the matrix uses has a mapping entry in every edition.
    if let Some(m) = matrix {
        for e in &c.editions {
            for (setting, value, protocol) in used_values(m) {
                if c.mapping_for(e.id.get_ref(), setting, &value, protocol)
                    .is_none()
                {
                    x.error(
                        &e.id,
                        format!(
                            "client `{}` edition `{}` has no [[mapping]] for {} `{value}` over {} (the matrix uses it; add a control, automatic or unsupported entry)",
                            c.id.get_ref(),
                            e.id.get_ref(),
                            setting.as_str(),
                            protocol.as_str()
                        ),
                    );
                }
            }
        }
    }
    // Field coverage: every connection the matrix uses needs somewhere to enter its host,
    // port and user name, and its security and authentication unless the client decides
    // them (automatic) or cannot do them (unsupported, stated on the guide).
    if let Some(m) = matrix {
        let used = used_values(m);
        let protocols: BTreeSet<Protocol> = used.iter().map(|(_, _, p)| *p).collect();
        let address_is_username = m.account.username.get_ref() == "{address}";
        for e in &c.editions {
            let ed = e.id.get_ref();
            for &proto in &protocols {
                let mut needed = vec![FieldValue::Host, FieldValue::Port, FieldValue::Username];
                for (setting, kind) in [
                    (Setting::Security, FieldValue::Security),
                    (Setting::Auth, FieldValue::Auth),
                ] {
                    let control = used.iter().any(|(s, v, p)| {
                        *s == setting
                            && *p == proto
                            && c.mapping_for(ed, setting, v, proto)
                                .is_some_and(|mp| mp.support == Support::Control)
                    });
                    if control {
                        needed.push(kind);
                    }
                }
                for kind in needed {
                    if !c.has_field(ed, proto, kind, address_is_username) {
                        x.error(
                            &e.id,
                            format!(
                                "client `{}` edition `{ed}` has no field for the {} {} over {} (add a [[screens.fields]] with `value = \"{}\"` and `direction = \"{}\"` or \"both\", or map the value as automatic/unsupported)",
                                c.id.get_ref(),
                                proto.direction().as_str(),
                                kind.as_str(),
                                proto.as_str(),
                                kind.as_str(),
                                proto.direction().as_str(),
                            ),
                        );
                    }
                }
            }
        }
    }
    x.out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
id = "mini"
weight = 1
name.en = "Mini"
name.de = "Mini"
versions.en = "1"
versions.de = "1"
summary.en = "Small."
summary.de = "Klein."

[[editions]]
id = "one"
name.en = "One"
name.de = "Eins"
versions.en = "1"
versions.de = "1"

[[screens]]
id = "account"
role = "create"
layout = "form"
label.en = "Account"
label.de = "Konto"
confidence.en = "confirmed"
confidence.de = "confirmed"

[[screens.fields]]
id = "tls"
control = "checkbox"
value = "security"
direction = "both"
label.en = "Use TLS"
label.de = "TLS verwenden"
confidence.en = "confirmed"
confidence.de = "unverified"
shown.en = "exact"
shown.de = "english"

[[screens.fields]]
id = "host"
control = "text"
value = "host"
direction = "both"
label.en = "Server"
label.de = "Server"
confidence.en = "confirmed"
confidence.de = "confirmed"

[[screens.fields]]
id = "port"
control = "text"
value = "port"
direction = "both"
label.en = "Port"
label.de = "Port"
confidence.en = "confirmed"
confidence.de = "confirmed"

[[screens.fields]]
id = "user"
control = "text"
value = "username"
direction = "both"
label.en = "User"
label.de = "Benutzer"
confidence.en = "confirmed"
confidence.de = "confirmed"
"#;

    const COVER: &str = r#"
[[mapping]]
setting = "protocol"
value = "imap"
support = "automatic"
confidence.en = "confirmed"
confidence.de = "confirmed"
note.en = "IMAP."
note.de = "IMAP."

[[mapping]]
setting = "protocol"
value = "smtp"
support = "automatic"
confidence.en = "confirmed"
confidence.de = "confirmed"
note.en = "SMTP."
note.de = "SMTP."

[[mapping]]
setting = "security"
value = "ssl-tls"
support = "control"
control = "checkbox"
fields = ["tls"]
state = "on"
protocols = ["imap"]
confidence.en = "confirmed"
confidence.de = "confirmed"

[[mapping]]
setting = "security"
value = "starttls"
support = "unsupported"
protocols = ["smtp"]
confidence.en = "confirmed"
confidence.de = "confirmed"
reason.en = "No STARTTLS."
reason.de = "Kein STARTTLS."
instead.en = "Use another app."
instead.de = "Anderes Programm."

[[mapping]]
setting = "auth"
value = "password"
support = "automatic"
confidence.en = "confirmed"
confidence.de = "confirmed"
note.en = "Password."
note.de = "Passwort."
"#;

    fn check(text: &str, stem: &str) -> Vec<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
        let langs = vec!["en".to_string(), "de".to_string()];
        let m = crate::matrix::load(&root, Path::new("content/matrix.toml"), &langs).unwrap();
        let source = SourceFile::new("content/clients/mini.toml", text.to_string());
        let client: Client = toml_file::parse(&source).unwrap();
        validate(&client, &source, stem, &langs, Some(&m.matrix))
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn a_complete_client_passes() {
        assert_eq!(
            check(&format!("{BASE}{COVER}"), "mini"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn coverage_respects_the_protocol_filter() {
        // The ssl-tls entry applies to IMAP only; the matrix sends with STARTTLS, so it is
        // still covered, but removing the STARTTLS entry is not.
        let text = format!("{BASE}{COVER}").replace("value = \"starttls\"", "value = \"none\"");
        let errs = check(&text, "mini");
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].contains("no [[mapping]] for security `starttls` over smtp"),
            "{errs:?}"
        );
        assert!(
            errs[0].starts_with("content/clients/mini.toml:"),
            "{errs:?}"
        );
    }

    #[test]
    fn every_connection_needs_its_fields_unless_the_client_decides() {
        // Without a user name box for sending, and with the TLS box on the outgoing side
        // only while IMAP's SSL/TLS is that box, the guide has nowhere to show those values.
        let text = format!("{BASE}{COVER}")
            .replace(
                "value = \"username\"\ndirection = \"both\"",
                "value = \"username\"\ndirection = \"incoming\"",
            )
            .replace(
                "value = \"security\"\ndirection = \"both\"",
                "value = \"security\"\ndirection = \"outgoing\"",
            );
        let errs = check(&text, "mini");
        assert_eq!(errs.len(), 2, "{errs:?}");
        let all = errs.join("\n");
        assert!(
            all.contains("has no field for the outgoing username over smtp"),
            "{all}"
        );
        assert!(
            all.contains("has no field for the incoming security over imap"),
            "{all}"
        );
    }

    #[test]
    fn an_unverified_label_is_never_an_exact_quote() {
        let text =
            format!("{BASE}{COVER}").replace("shown.de = \"english\"", "shown.de = \"exact\"");
        let errs = check(&text, "mini");
        assert!(
            errs.iter()
                .any(|e| e.contains("the `de` label is unverified")),
            "{errs:?}"
        );
    }

    #[test]
    fn ids_references_and_required_texts_are_checked() {
        let text = format!("{BASE}{COVER}")
            .replace(
                "instead.en = \"Use another app.\"\ninstead.de = \"Anderes Programm.\"\n",
                "",
            )
            .replace("fields = [\"tls\"]", "fields = [\"tsl\"]")
            .replace("name.de = \"Eins\"\n", "");
        let errs = check(&text, "other");
        let all = errs.join("\n");
        assert!(all.contains("must equal the file name `other`"), "{all}");
        assert!(all.contains("needs a `reason` and an `instead`"), "{all}");
        assert!(all.contains("unknown field `tsl`"), "{all}");
        assert!(all.contains("edition name has no `de` text"), "{all}");
    }

    #[test]
    fn value_placeholders_name_a_value_the_matrix_names() {
        let text = format!("{BASE}{COVER}").replace(
            "summary.en = \"Small.\"",
            "summary.en = \"Use {value:security:starttls}, not {value:security:tls} or {value:colour:red}.\"",
        );
        let errs = check(&text, "mini");
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(
            errs[0].starts_with("content/clients/mini.toml:8:"),
            "{errs:?}"
        );
        let all = errs.join("\n");
        assert!(
            all.contains("summary names unknown value `{value:security:tls}`: the matrix has no security `tls` (known: ssl-tls, starttls)"),
            "{all}"
        );
        assert!(
            all.contains("summary names unknown value `{value:colour:red}`: `colour` is not a setting with named values"),
            "{all}"
        );
    }

    #[test]
    fn client_ids_follow_the_slug_rule() {
        let text = format!("{BASE}{COVER}")
            .replace("id = \"one\"", "id = \"One\"")
            .replace("id = \"account\"", "id = \"my account\"");
        let errs = check(&text, "mini");
        assert_eq!(errs.len(), 2, "{errs:?}");
        let all = errs.join("\n");
        assert!(
            all.contains("edition id `One` must be lower-case letters, digits and `-`"),
            "{all}"
        );
        assert!(
            all.contains("label id `my account` must be lower-case letters, digits and `-`"),
            "{all}"
        );
    }
}
