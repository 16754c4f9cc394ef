//! The maintainers' list of client labels to verify on a device: every quoted label whose
//! confidence is not `confirmed`, per client and language, with its source. What the manual
//! is unsure of lives here (and in the data's `confidence`/`source`), never on a page.

use serde::Serialize;

use super::*;
use crate::diag::SourceFile;

/// One label to verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelToVerify {
    pub client: String,
    pub lang: String,
    /// `likely` or `unverified`.
    pub confidence: String,
    /// How the page shows it (`exact`, `description`, `english`).
    pub shown: String,
    /// What it labels: the id of a field, screen or navigation segment, or the mapping /
    /// message it belongs to.
    pub what: String,
    pub label: String,
    pub source: String,
    /// `path:line:col` of the label in its file.
    pub at: String,
}

/// Every label of every client whose confidence is not `confirmed`, in file order.
pub fn to_verify(clients: &[LoadedClient], languages: &[String]) -> Vec<LabelToVerify> {
    let mut out = Vec::new();
    for loaded in clients {
        let c = &loaded.client;
        let items = labelled_items(c);
        for lang in languages {
            for (what, l, source) in &items {
                let (Some(label), Some(conf)) = (l.label(), l.confidence()) else {
                    continue;
                };
                let Some(level) = conf.get_ref().get(lang) else {
                    continue;
                };
                if *level == Confidence::Confirmed {
                    continue;
                }
                let (line, col) = lang_line(&loaded.source, label.0.span().start, lang);
                out.push(LabelToVerify {
                    client: c.id.get_ref().clone(),
                    lang: lang.clone(),
                    confidence: match level {
                        Confidence::Likely => "likely",
                        _ => "unverified",
                    }
                    .into(),
                    shown: match l.shown_in(lang) {
                        Shown::Exact => "exact",
                        Shown::English => "english",
                        Shown::Description => "description",
                    }
                    .into(),
                    what: what.clone(),
                    label: label.get(lang).to_string(),
                    source: source.unwrap_or_default().to_string(),
                    at: format!("{}:{line}:{col}", loaded.source.path),
                });
            }
        }
    }
    out
}

/// Where the label's text in `lang` is: the `label.{lang}` key of the table whose labels
/// start at `start` (the span covers every language, from the first key), else `start`.
fn lang_line(source: &SourceFile, start: usize, lang: &str) -> (usize, usize) {
    let key = format!("label.{lang}");
    let rest = &source.text[start.min(source.text.len())..];
    let mut offset = start;
    for line in rest.split_inclusive('\n') {
        if line.trim().is_empty() || line.starts_with('[') {
            break;
        }
        if line.starts_with(&key) {
            return source.line_col(offset);
        }
        offset += line.len();
    }
    source.line_col(start)
}

/// Every table of a client file that quotes the client, with what it labels and its source.
fn labelled_items(c: &Client) -> Vec<(String, &dyn Labelled, Option<&str>)> {
    let mut items: Vec<(String, &dyn Labelled, Option<&str>)> = Vec::new();
    for e in &c.editions {
        for n in &e.navigation {
            items.push((
                format!("navigation `{}`", n.id.get_ref()),
                n,
                n.source.as_deref(),
            ));
        }
    }
    for s in &c.screens {
        items.push((
            format!("screen `{}`", s.id.get_ref()),
            s,
            s.source.as_deref(),
        ));
        for f in &s.fields {
            items.push((
                format!("field `{}`", f.id.get_ref()),
                f,
                f.source.as_deref(),
            ));
        }
    }
    for m in &c.mapping {
        let what = format!("{} `{}`", m.setting.get_ref().as_str(), m.value.get_ref());
        items.push((format!("entry for {what}"), m, m.source.as_deref()));
        for a in &m.alternatives {
            items.push((format!("older wording of {what}"), a, a.source.as_deref()));
        }
    }
    for x in &c.expectations {
        if let Some(msg) = &x.message {
            items.push((
                format!("message of `{}`", x.id.get_ref()),
                msg,
                msg.source.as_deref(),
            ));
        }
    }
    for t in &c.troubleshooting {
        if let Some(msg) = &t.message {
            items.push((
                format!("message of `{}`", t.id.get_ref()),
                msg,
                msg.source.as_deref(),
            ));
        }
    }
    items
}
