//! The rules of a client file beyond its keys: ids, references, texts in every language,
//! the mapping rules, and coverage (every value the matrix uses has a mapping and a field
//! in every edition). Each problem is reported at the value that is wrong.

use super::*;
use crate::data::{placeholder_refs, Checker, Id, Localized};
use crate::diag::{Diagnostics, SourceFile};
use crate::matrix::{Matrix, Protocol, Setting};

mod mapping;

/// Where client ids appear, for the slug rule's message.
const IDS_APPEAR: &str = "it appears in URLs, HTML ids and placeholders";

/// The shared rules plus the client's own, with the id lists references are checked against.
struct Ctx<'a> {
    c: Checker<'a>,
    client: &'a Client,
    matrix: Option<&'a Matrix>,
    editions: Vec<&'a str>,
    screens: Vec<&'a str>,
    fields: Vec<&'a str>,
    /// The matrix's variants and warnings (none without a matrix: nothing to check against).
    variants: Option<Vec<&'a str>>,
    warnings: Vec<&'a str>,
}

pub(super) fn validate(
    client: &Client,
    source: &SourceFile,
    stem: &str,
    languages: &[String],
    matrix: Option<&Matrix>,
) -> Diagnostics {
    let mut x = Ctx {
        c: Checker::new(source, languages),
        client,
        matrix,
        editions: client
            .editions
            .iter()
            .map(|e| e.id.get_ref().as_str())
            .collect(),
        screens: client
            .screens
            .iter()
            .map(|s| s.id.get_ref().as_str())
            .collect(),
        fields: client
            .screens
            .iter()
            .flat_map(|s| s.fields.iter().map(|f| f.id.get_ref().as_str()))
            .collect(),
        variants: matrix.map(|m| m.variants.iter().map(|v| v.id.get_ref().as_str()).collect()),
        warnings: matrix
            .map(|m| m.warnings.iter().map(|w| w.id.get_ref().as_str()).collect())
            .unwrap_or_default(),
    };
    x.identity(stem);
    x.setup_files();
    x.ids();
    x.screens();
    x.steps();
    for m in &client.mapping {
        x.mapping(m);
    }
    x.mapping_overlaps();
    x.tracks();
    x.notes();
    if let Some(m) = matrix {
        for (at, msg) in coverage::gaps(client, m) {
            x.error(at, msg);
        }
    }
    x.c.into_diagnostics()
}

impl Ctx<'_> {
    fn error<T>(&mut self, value: &serde_spanned::Spanned<T>, msg: impl Into<String>) {
        self.c.error(value, msg);
    }

    fn reference(&mut self, kind: &str, id: &Id, known: &[&str]) {
        self.c.reference(kind, id, known);
    }

    /// Every site language present, no other, every `{label:ID}` resolves and every
    /// `{value:SETTING:VALUE}` names a value the matrix has a name for.
    fn text(&mut self, what: &str, text: &Localized) {
        self.c.languages(what, text);
        let mut bad = Vec::new();
        for value in text.0.get_ref().values() {
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
        let Some(label) = l.label() else {
            return;
        };
        self.text(what, label);
        let Some(conf) = l.confidence() else {
            return;
        };
        let languages = self.c.languages;
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
                    format!("{what}: the `{lang}` label is unverified, so it may not be shown as an exact quote (set `shown.{lang}` to `description` and describe the control)"),
                );
            }
            // A page in another language never quotes an English label as if the customer
            // would see it: describe the control in that language instead.
            if lang != "en" && l.shown_in(lang) == Shown::English {
                self.error(
                    &label.0,
                    format!("{what}: a `{lang}` page would quote the English label; describe the control in `{lang}` (`shown.{lang} = \"description\"`) or give its `{lang}` label"),
                );
            }
        }
    }

    /// The filters of a table name editions of this file and (with a matrix) its variants.
    fn scope_refs(&mut self, item: &dyn Scoped) {
        let editions = self.editions.clone();
        for id in item.editions().unwrap_or_default() {
            self.reference("edition", id, &editions);
        }
        if let Some(known) = self.variants.clone() {
            for id in item.variants().unwrap_or_default() {
                self.reference("variant", id, &known);
            }
        }
    }

    fn identity(&mut self, stem: &str) {
        let c = self.client;
        if c.id.get_ref() != stem {
            self.error(
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
            self.text(what, t);
        }
        self.c.slug("client", IDS_APPEAR, &c.id);
        for e in &c.editions {
            self.text("edition name", &e.name);
            self.text("edition versions", &e.versions);
            for n in &e.navigation {
                self.labelled("navigation segment", n);
            }
        }
    }

    /// Each setup file once (that two files do not claim one is `setup_files::conflicts`).
    fn setup_files(&mut self) {
        let mut seen = Vec::new();
        for f in &self.client.setup_files {
            if seen.contains(f.get_ref()) {
                self.error(
                    f,
                    format!("setup file `{}` is listed twice", f.get_ref().as_str()),
                );
            }
            seen.push(*f.get_ref());
        }
    }

    fn ids(&mut self) {
        let c = self.client;
        self.c
            .unique("edition", IDS_APPEAR, c.editions.iter().map(|e| &e.id));
        // Labels share one namespace (screens included): `{label:ID}` must name exactly one thing.
        self.c.unique(
            "label",
            IDS_APPEAR,
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
        self.c
            .unique("caveat", IDS_APPEAR, c.caveats.iter().map(|v| &v.id));
        self.c.unique(
            "expectation",
            IDS_APPEAR,
            c.expectations.iter().map(|v| &v.id),
        );
        // One troubleshooting id may appear once per edition (e.g. POP vs IMAP in two UIs).
        for e in &c.editions {
            self.c.unique(
                "troubleshooting",
                IDS_APPEAR,
                c.troubleshooting
                    .iter()
                    .filter(|v| Scope::edition(e.id.get_ref()).admits(*v))
                    .map(|v| &v.id),
            );
        }
    }

    fn screens(&mut self) {
        let screens = self.screens.clone();
        for s in &self.client.screens {
            self.labelled("screen", s);
            if let Some(n) = &s.note {
                self.text("screen note", n);
            }
            self.scope_refs(s);
            for f in &s.fields {
                self.labelled("field", f);
                if let Some(n) = &f.note {
                    self.text("field note", n);
                }
                if let Some(o) = &f.opens {
                    self.reference("screen", o, &screens);
                }
                if f.value.needs_direction() && f.direction.is_none() {
                    self.error(
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
    }

    fn steps(&mut self) {
        let (screens, fields) = (self.screens.clone(), self.fields.clone());
        for s in &self.client.steps {
            self.text("step text", &s.text);
            if let Some(id) = &s.screen {
                self.reference("screen", id, &screens);
            }
            for f in &s.fields {
                self.reference("field", f, &fields);
            }
            self.scope_refs(s);
        }
    }

    /// Every edition in exactly one track; a track names editions of this file.
    fn tracks(&mut self) {
        let c = self.client;
        self.c
            .unique("track", IDS_APPEAR, c.tracks.iter().map(|t| &t.id));
        let editions = self.editions.clone();
        let mut seen: Vec<&str> = Vec::new();
        for t in &c.tracks {
            self.text("track name", &t.name);
            if t.editions.get_ref().is_empty() {
                self.error(&t.editions, "a track needs at least one edition");
            }
            for e in t.editions.get_ref() {
                if !self.c.reference("edition", e, &editions) {
                    continue;
                }
                if seen.contains(&e.get_ref().as_str()) {
                    self.error(e, format!("edition `{}` is in two tracks", e.get_ref()));
                }
                seen.push(e.get_ref());
            }
        }
        if c.tracks.is_empty() {
            return;
        }
        for e in &c.editions {
            if !seen.contains(&e.id.get_ref().as_str()) {
                self.error(
                    &e.id,
                    format!(
                        "edition `{}` is in no track (every edition belongs to one when a file has tracks)",
                        e.id.get_ref()
                    ),
                );
            }
        }
    }

    /// A declared wrong value is a value of its setting, and the texts print it.
    fn wrong(&mut self, wrong: &Option<Wrong>, texts: &[&Localized]) {
        let Some(w) = wrong else {
            for t in texts {
                if t.0.get_ref().values().any(|v| v.contains("{wrong}")) {
                    self.error(&t.0, "`{wrong}` names no value: declare it with `wrong = { setting, direction, value }`");
                }
            }
            return;
        };
        if let Some(m) = self.matrix {
            let value = w.value.get_ref();
            let known: Vec<&str> = match w.setting.get_ref() {
                WrongSetting::Security => m.value_ids(Setting::Security),
                WrongSetting::Auth => m.value_ids(Setting::Auth),
                WrongSetting::Protocol => m.value_ids(Setting::Protocol),
                WrongSetting::Port => m.ports.iter().map(|p| p.id.get_ref().as_str()).collect(),
            };
            if !known.contains(&value.as_str()) {
                self.error(
                    &w.value,
                    format!(
                        "the matrix has no {} `{value}` (known: {})",
                        w.setting.get_ref().as_str(),
                        known.join(", ")
                    ),
                );
            }
        }
        let named = texts
            .iter()
            .any(|t| t.0.get_ref().values().all(|v| v.contains("{wrong}")));
        if !named {
            self.error(
                &w.value,
                "the wrong value is declared but no text prints it: write `{wrong}` where the cause names it (in every language)",
            );
        }
    }

    /// Caveats, expectations and troubleshooting.
    fn notes(&mut self) {
        let c = self.client;
        let fields = self.fields.clone();
        for v in &c.caveats {
            self.text("caveat title", &v.title);
            self.text("caveat text", &v.text);
            self.wrong(&v.wrong, &[&v.title, &v.text]);
            for f in &v.fields {
                self.reference("field", f, &fields);
            }
            self.scope_refs(v);
        }
        for v in &c.expectations {
            self.text("expectation condition", &v.when);
            self.text("expectation text", &v.text);
            if let Some(msg) = &v.message {
                self.labelled("message", msg);
            }
            self.scope_refs(v);
        }
        for v in &c.troubleshooting {
            self.text("symptom", &v.symptom);
            self.text("cause", &v.cause);
            self.text("fix", &v.fix);
            self.wrong(&v.wrong, &[&v.symptom, &v.cause, &v.fix]);
            if let Some(msg) = &v.message {
                self.labelled("message", msg);
                if let Some(n) = &msg.note {
                    self.text("message note", n);
                }
            }
            for ch in &v.changes {
                self.reference("field", &ch.field, &fields);
            }
            self.scope_refs(v);
            if self.matrix.is_some() {
                let warnings = self.warnings.clone();
                for w in &v.warnings {
                    self.reference("warning", w, &warnings);
                }
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
shown.de = "description"

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
mechanisms = ["plain"]
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
            format!("{BASE}{COVER}").replace("shown.de = \"description\"", "shown.de = \"exact\"");
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
