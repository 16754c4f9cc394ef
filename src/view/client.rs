//! Client pages as templates see them: a client's overview and, per plan and variant,
//! its guide; labels rendered per their `shown`, values left to `setting()` through the
//! resolved [`EndpointView`]s.

use serde::Serialize;

use super::guide::Guide;
use super::{EndpointView, Views, WarningView};
use crate::clients::*;
use crate::data::{placeholder_refs, Localized};
use crate::html::Html;
use crate::matrix::{Protocol, Setting};
use crate::resolve::resolve;
use crate::urls;

#[derive(Debug, Clone, Serialize)]
pub struct ClientView {
    pub id: String,
    pub name: String,
    pub versions: String,
    pub summary: String,
    pub editions: Vec<EditionInfo>,
    /// Every plan × offered variant, in matrix order.
    pub guides: Vec<GuideLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EditionInfo {
    pub id: String,
    pub name: String,
    pub versions: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GuideLink {
    pub plan: String,
    pub plan_name: String,
    pub plan_group: String,
    pub variant: String,
    pub variant_name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GuideView {
    pub plan: String,
    pub plan_name: String,
    pub plan_group: String,
    pub variant: String,
    pub variant_name: String,
    pub variant_summary: String,
    pub incoming: EndpointView,
    pub outgoing: EndpointView,
    /// The variant's other incoming options (e.g. IMAP beside POP3), which this guide does not walk through.
    pub other_incoming: Vec<EndpointView>,
    pub warnings: Vec<WarningView>,
    pub editions: Vec<EditionGuide>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EditionGuide {
    pub id: String,
    pub name: String,
    pub versions: String,
    /// The navigation path, labels rendered.
    pub nav: Html,
    pub steps: Vec<StepView>,
    pub screens: Vec<ScreenView>,
    pub automatic: Vec<Html>,
    pub impossible: Vec<ImpossibleView>,
    pub caveats: Vec<CaveatView>,
    pub expectations: Vec<ExpectationView>,
    pub troubleshooting: Vec<TroubleView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub html: Html,
    pub screen: Option<Html>,
    pub rows: Vec<FieldView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScreenView {
    pub id: String,
    pub title: Html,
    pub layout: String,
    pub note: Option<Html>,
    pub fields: Vec<FieldView>,
}

/// One control with what to put in it.
#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    pub id: String,
    pub label: Html,
    /// The label as the schematic form shows it: the text itself, no quote marks.
    pub text: Html,
    /// The screen holding the control, rendered (to tell equal labels apart).
    pub screen: Option<Html>,
    pub control: String,
    /// `incoming`/`outgoing` when a list mixes both sides, to tell equal labels apart.
    pub side: Option<String>,
    /// `setting(ep, setting)` fills the value from resolve().
    pub setting: Option<String>,
    pub ep: Option<EndpointView>,
    /// The client's entry to choose (dropdown, radio …), rendered.
    pub choice: Option<Html>,
    /// The same entry without quote marks, for the schematic form.
    pub choice_text: Option<Html>,
    /// The client's entry reads exactly like the manual's name for the value, so the page
    /// shows the value's marker as the entry (no "SSL/TLS (SSL/TLS)").
    pub same_as_manual: bool,
    pub older: Vec<OlderWording>,
    /// `on` / `off` for checkboxes and toggles.
    pub state: Option<String>,
    /// The matrix value is one the client cannot do (`support = "unsupported"`).
    pub impossible: bool,
    /// A UI-string key describing a customer value (password, address …).
    pub hint: Option<String>,
    pub note: Option<Html>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OlderWording {
    pub versions: String,
    pub label: Html,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImpossibleView {
    pub setting: String,
    /// The connections that need what the client cannot do.
    pub eps: Vec<EndpointView>,
    /// Every connection needs the same value: the notice names it once, for both servers.
    pub same_value: bool,
    pub reason: Html,
    pub instead: Html,
    pub rows: Vec<FieldView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaveatView {
    pub id: String,
    pub title: Html,
    pub text: Html,
    pub rows: Vec<FieldView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExpectationView {
    pub id: String,
    pub when: Html,
    pub text: Html,
    pub message: Option<Html>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TroubleView {
    pub id: String,
    pub symptom: Html,
    pub cause: Html,
    pub fix: Html,
    pub message: Option<Html>,
    pub message_note: Option<Html>,
    pub rows: Vec<FieldView>,
    pub warnings: Vec<WarningView>,
}

impl Views<'_> {
    /// The label text with `{host}` shown as code.
    fn label_text(&self, l: &dyn Labelled, host: &str) -> Html {
        let text = Html::text(l.label().map(|t| t.get(self.lang)).unwrap_or(""));
        text.replace("{host}", &Html::tag("code", &[], &Html::text(host)))
    }

    /// A client label as the page shows it: quoted when exact, plain when a description.
    pub fn label(&self, l: &dyn Labelled, host: &str) -> Html {
        let text = self.label_text(l, host);
        match l.shown_in(self.lang) {
            Shown::Description => Html::tag("span", &[("class", "ui-description")], &text),
            // The quote marks belong to the page's language, the label to the client's.
            shown => {
                let mut quoted = Html::text(&self.s("client.quote_open"));
                if shown == Shown::English && self.lang != "en" {
                    quoted.push(&Html::tag("span", &[("lang", "en")], &text));
                } else {
                    quoted.push(&text);
                }
                quoted.push(&Html::text(&self.s("client.quote_close")));
                Html::tag("strong", &[("class", "ui-label")], &quoted)
            }
        }
    }

    /// A label without quote marks, for the schematic form.
    pub(super) fn bare(&self, l: &dyn Labelled) -> Html {
        let text = Html::text(l.label().map(|t| t.get(self.lang)).unwrap_or(""));
        match l.shown_in(self.lang) {
            Shown::Description => Html::tag("span", &[("class", "ui-description")], &text),
            Shown::English if self.lang != "en" => Html::tag("span", &[("lang", "en")], &text),
            _ => text,
        }
    }

    pub(super) fn nav(&self, c: &Client, edition: &str) -> Html {
        let e = c.editions.iter().find(|e| e.id.get_ref() == edition);
        e.map(|e| {
            let labels: Vec<Html> = e.navigation.iter().map(|n| self.label(n, "")).collect();
            Html::join(&labels, &Html::text(&self.s("client.nav_sep")))
        })
        .unwrap_or_default()
    }

    /// A text with every `{value:SETTING:VALUE}` replaced by the matrix's name for that
    /// value in this language, in the manual's quote marks (plain text, not yet escaped).
    pub(super) fn value_names(&self, text: &str) -> String {
        let mut out = text.to_string();
        for arg in placeholder_refs(text, "value") {
            let Some((setting, value)) = arg.split_once(':') else {
                continue;
            };
            let label = Setting::parse(setting).and_then(|s| self.m.value_label(s, value));
            if let Some(name) = label {
                out = out.replace(
                    &format!("{{value:{arg}}}"),
                    &format!(
                        "{}{}{}",
                        self.s("client.value_open"),
                        name.get(self.lang),
                        self.s("client.value_close")
                    ),
                );
            }
        }
        out
    }

    /// Prose: escaped, with `{value:SETTING:VALUE}`, `{label:ID}` and `{nav}` rendered.
    pub(super) fn prose(&self, g: &Guide, text: &Localized) -> Html {
        let mut out = Html::text(&self.value_names(text.get(self.lang)));
        for id in placeholder_refs(text.get(self.lang), "label") {
            if let Some(l) = g.c.labelled(id) {
                out = out.replace(&format!("{{label:{id}}}"), &self.label(l, g.host));
            }
        }
        // Most texts name neither; building the path for every text was a third of the build.
        if out.contains("{nav}") {
            out = out.replace("{nav}", &self.nav(g.c, g.scope.edition));
        }
        if out.contains("{host}") {
            out = out.replace("{host}", &Html::tag("code", &[], &Html::text(g.host)));
        }
        out
    }

    pub fn client(&self, c: &Client) -> ClientView {
        let m = self.m;
        let mut guides = Vec::new();
        for plan in &m.plans {
            for pv in &plan.variants {
                let v = m.variant(pv.variant.get_ref()).expect("validated variant");
                guides.push(GuideLink {
                    plan: plan.id.get_ref().clone(),
                    plan_name: plan.name.text(m, self.lang),
                    plan_group: plan.group.text(m, self.lang),
                    variant: v.id.get_ref().clone(),
                    variant_name: v.name.text(m, self.lang),
                    url: urls::guide(self.lang, c.id.get_ref(), plan.id.get_ref(), v.id.get_ref()),
                });
            }
        }
        ClientView {
            id: c.id.get_ref().clone(),
            name: c.name.get(self.lang).to_string(),
            versions: c.versions.get(self.lang).to_string(),
            summary: self.value_names(c.summary.get(self.lang)),
            editions: c
                .editions
                .iter()
                .map(|e| EditionInfo {
                    id: e.id.get_ref().clone(),
                    name: e.name.get(self.lang).to_string(),
                    versions: e.versions.get(self.lang).to_string(),
                })
                .collect(),
            guides,
        }
    }

    pub fn guide(&self, c: &Client, plan: &str, variant: &str) -> Option<GuideView> {
        let m = self.m;
        let r = resolve(m, plan, variant, None).ok()?;
        let in_ep = r.incoming.first()?;
        let out_ep = r.outgoing.first()?;
        let incoming = self.endpoint(&r, in_ep);
        let outgoing = self.endpoint(&r, out_ep);
        let warnings: Vec<WarningView> = r.warnings.iter().map(|w| self.warning(w)).collect();
        let p = m.plan(plan)?;
        let v = m.variant(variant)?;
        let host = self.display(&r.host.pattern);
        let protocols = [in_ep.protocol, Protocol::Smtp];
        let editions = c
            .editions
            .iter()
            .map(|e| {
                let g = Guide {
                    c,
                    scope: Scope::edition(e.id.get_ref())
                        .over(&protocols)
                        .variant(variant),
                    incoming: &incoming,
                    outgoing: &outgoing,
                    in_proto: in_ep.protocol,
                    host: &host,
                    warnings: &warnings,
                };
                self.edition(&g, e)
            })
            .collect();
        Some(GuideView {
            plan: plan.to_string(),
            plan_name: p.name.text(m, self.lang),
            plan_group: p.group.text(m, self.lang),
            variant: variant.to_string(),
            variant_name: v.name.text(m, self.lang),
            variant_summary: v.summary.text(m, self.lang),
            other_incoming: r
                .incoming
                .iter()
                .skip(1)
                .map(|e| self.endpoint(&r, e))
                .collect(),
            incoming,
            outgoing,
            warnings,
            editions,
        })
    }
}
