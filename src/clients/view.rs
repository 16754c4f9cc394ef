//! Client pages as templates see them: one language, labels rendered per their
//! `shown`, values left to `setting()` through the resolved [`EndpointView`]s.

use serde::Serialize;

use super::*;
use crate::data::{placeholder_refs, Id, Localized};
use crate::html::Html;
use crate::matrix::{Matrix, Protocol};
use crate::resolve::resolve;
use crate::strings::Strings;
use crate::view::{display_pattern, EndpointView, ViewBuilder, WarningView};

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
    pub client: ClientView,
    pub plan: String,
    pub plan_name: String,
    pub plan_group: String,
    pub variant: String,
    pub variant_name: String,
    pub variant_summary: String,
    pub plan_url: String,
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

/// Field ids as `rows()` takes them, with no state of their own.
fn named(ids: &[Id]) -> impl Iterator<Item = (&str, Option<State>)> {
    ids.iter().map(|f| (f.get_ref().as_str(), None))
}

pub fn client_url(lang: &str, client: &str) -> String {
    format!("/{lang}/clients/{client}/")
}

pub fn guide_url(lang: &str, client: &str, plan: &str, variant: &str) -> String {
    format!("/{lang}/clients/{client}/{plan}/{variant}/")
}

pub struct ClientViews<'a> {
    pub m: &'a Matrix,
    pub strings: &'a Strings,
    pub lang: &'a str,
}

/// One edition's section of one guide: what its filters are matched against and what it shows.
struct Guide<'a> {
    c: &'a Client,
    /// The edition, the guide's variant, and its two protocols (incoming and SMTP).
    scope: Scope<'a>,
    incoming: &'a EndpointView,
    outgoing: &'a EndpointView,
    in_proto: Protocol,
    host: &'a str,
    /// The guide's warnings, rendered once.
    warnings: &'a [WarningView],
}

impl<'a> ClientViews<'a> {
    fn s(&self, key: &str) -> String {
        self.strings.require(self.lang, key).to_string()
    }

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
    fn bare(&self, l: &dyn Labelled) -> Html {
        let text = Html::text(l.label().map(|t| t.get(self.lang)).unwrap_or(""));
        match l.shown_in(self.lang) {
            Shown::Description => Html::tag("span", &[("class", "ui-description")], &text),
            Shown::English if self.lang != "en" => Html::tag("span", &[("lang", "en")], &text),
            _ => text,
        }
    }

    fn nav(&self, c: &Client, edition: &str) -> Html {
        let e = c.editions.iter().find(|e| e.id.get_ref() == edition);
        e.map(|e| {
            let labels: Vec<Html> = e.navigation.iter().map(|n| self.label(n, "")).collect();
            Html::join(&labels, &Html::text(&self.s("client.nav_sep")))
        })
        .unwrap_or_default()
    }

    /// A text with every `{value:SETTING:VALUE}` replaced by the matrix's name for that
    /// value in this language, in the manual's quote marks (plain text, not yet escaped).
    fn value_names(&self, text: &str) -> String {
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
    fn prose(&self, g: &Guide, text: &Localized) -> Html {
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
                    url: guide_url(self.lang, c.id.get_ref(), plan.id.get_ref(), v.id.get_ref()),
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

    /// Whether a field belongs to this guide: an incoming field to its incoming protocol,
    /// an outgoing one to SMTP, any other to either.
    fn field_applies(g: &Guide, f: &Field) -> bool {
        let incoming = [g.in_proto];
        let outgoing = [Protocol::Smtp];
        let scope = match f.direction {
            Some(FieldDirection::Incoming) => g.scope.over(&incoming),
            Some(FieldDirection::Outgoing) => g.scope.over(&outgoing),
            _ => g.scope,
        };
        scope.admits(f)
    }

    /// Whether a label's text reaches the page as is (no description, no foreign-language span).
    fn plain(&self, l: &dyn Labelled) -> bool {
        match l.shown_in(self.lang) {
            Shown::Exact => true,
            Shown::English => self.lang == "en",
            Shown::Description => false,
        }
    }

    fn field(&self, g: &Guide, f: &Field, state: Option<State>) -> FieldView {
        let (ep, proto) = match f.direction {
            Some(FieldDirection::Outgoing) => (g.outgoing, Protocol::Smtp),
            _ => (g.incoming, g.in_proto),
        };
        // The matrix value this control carries, with the manual's own name for it.
        let mapped = match f.value {
            FieldValue::Security => Some((Setting::Security, &ep.security, &ep.security_label)),
            FieldValue::Auth => Some((Setting::Auth, &ep.auth, &ep.auth_label)),
            FieldValue::Protocol => Some((Setting::Protocol, &ep.protocol, &ep.protocol_name)),
            _ => None,
        };
        let mapping =
            mapped.and_then(|(s, value, _)| g.c.mapping_for(g.scope.edition, s, value, proto));
        // Not a value to enter: the notice explains; only the state to set remains.
        let impossible = mapping.is_some_and(|mp| mp.support == Support::Unsupported);
        // The entry that speaks for this control: an unsupported value's (its state is what
        // to do), or the entry that names this field.
        let entry = mapping
            .filter(|mp| impossible || mp.fields.iter().any(|x| x.get_ref() == f.id.get_ref()));
        let control = entry.filter(|_| !impossible);
        let choice = control.filter(|mp| mp.label.is_some());
        let setting = f.value.setting().filter(|_| !impossible);
        FieldView {
            id: f.id.get_ref().clone(),
            label: self.label(f, g.host),
            text: self.bare(f),
            screen: g
                .c
                .screen_of(f.id.get_ref())
                .map(|sc| self.label(sc, g.host)),
            control: f.control.as_str().to_string(),
            side: None,
            setting: setting.map(str::to_string),
            ep: setting.map(|_| ep.clone()),
            choice: choice.map(|mp| self.label(mp, g.host)),
            choice_text: choice.map(|mp| self.bare(mp)),
            same_as_manual: choice.is_some_and(|mp| {
                self.plain(mp)
                    && mapped.is_some_and(|(_, _, manual)| {
                        mp.label.as_ref().map(|l| l.get(self.lang)) == Some(manual.as_str())
                    })
            }),
            older: control
                .map(|mp| {
                    mp.alternatives
                        .iter()
                        .map(|a| OlderWording {
                            versions: a.versions.get(self.lang).to_string(),
                            label: self.label(a, g.host),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            state: state
                .or(entry.and_then(|mp| mp.state))
                .or(f.state)
                .map(|s| s.as_str().to_string()),
            impossible,
            hint: match f.value {
                FieldValue::Password => Some("client.value.password"),
                FieldValue::Address => Some("client.value.address"),
                FieldValue::DisplayName => Some("client.value.display_name"),
                FieldValue::Free => Some("client.value.free"),
                _ => None,
            }
            .map(str::to_string),
            note: control
                .and_then(|mp| mp.note.as_ref())
                .or(f.note.as_ref())
                .map(|n| self.prose(g, n)),
        }
    }

    fn rows<'s>(
        &self,
        g: &Guide,
        ids: impl Iterator<Item = (&'s str, Option<State>)>,
    ) -> Vec<FieldView> {
        let mut rows: Vec<(Option<FieldDirection>, FieldView)> = ids
            .filter_map(|(id, st)| g.c.field(id).map(|f| (f, st)))
            .filter(|(f, _)| Self::field_applies(g, f))
            .filter(|(f, _)| {
                g.c.screen_of(f.id.get_ref())
                    .is_none_or(|sc| g.scope.admits(sc))
            })
            .map(|(f, st)| (f.direction, self.field(g, f, st)))
            .collect();
        let has = |d| rows.iter().any(|(x, _)| *x == Some(d));
        if has(FieldDirection::Incoming) && has(FieldDirection::Outgoing) {
            for (d, row) in &mut rows {
                row.side = match d {
                    Some(FieldDirection::Incoming) => Some("incoming".into()),
                    Some(FieldDirection::Outgoing) => Some("outgoing".into()),
                    _ => None,
                };
            }
        }
        rows.into_iter().map(|(_, r)| r).collect()
    }

    pub fn guide(&self, c: &Client, plan: &str, variant: &str) -> Option<GuideView> {
        let m = self.m;
        let r = resolve(m, plan, variant, None).ok()?;
        let vb = ViewBuilder {
            m,
            strings: self.strings,
            lang: self.lang,
        };
        let in_ep = r.incoming.first()?;
        let out_ep = r.outgoing.first()?;
        let incoming = vb.endpoint(&r, in_ep);
        let outgoing = vb.endpoint(&r, out_ep);
        let warnings: Vec<WarningView> = r.warnings.iter().map(|w| vb.warning(w)).collect();
        let p = m.plan(plan)?;
        let v = m.variant(variant)?;
        let host = display_pattern(m, &r.host.pattern, self.lang);
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
            client: self.client(c),
            plan: plan.to_string(),
            plan_name: p.name.text(m, self.lang),
            plan_group: p.group.text(m, self.lang),
            variant: variant.to_string(),
            variant_name: v.name.text(m, self.lang),
            variant_summary: v.summary.text(m, self.lang),
            plan_url: format!("/{}/plans/{plan}/", self.lang),
            other_incoming: r
                .incoming
                .iter()
                .skip(1)
                .map(|e| vb.endpoint(&r, e))
                .collect(),
            incoming,
            outgoing,
            warnings,
            editions,
        })
    }

    /// The notices for what the client decides itself (automatic) and what it cannot do
    /// (unsupported), over the guide's two connections.
    fn automatic_and_impossible(&self, g: &Guide) -> (Vec<Html>, Vec<ImpossibleView>) {
        let mut automatic = Vec::new();
        let mut impossible: Vec<(&Mapping, ImpossibleView)> = Vec::new();
        for (ep, proto) in [(g.incoming, g.in_proto), (g.outgoing, Protocol::Smtp)] {
            for (s, value) in [
                (Setting::Protocol, &ep.protocol),
                (Setting::Security, &ep.security),
                (Setting::Auth, &ep.auth),
            ] {
                let Some(mp) = g.c.mapping_for(g.scope.edition, s, value, proto) else {
                    continue;
                };
                match mp.support {
                    Support::Control => {}
                    Support::Automatic => {
                        if let Some(n) = &mp.note {
                            let html = self.prose(g, n);
                            if !automatic.contains(&html) {
                                automatic.push(html);
                            }
                        }
                    }
                    Support::Unsupported => {
                        if let Some((_, seen)) =
                            impossible.iter_mut().find(|(p, _)| std::ptr::eq(*p, mp))
                        {
                            // One mapping entry is one (setting, value): the value is the same.
                            seen.eps.push(ep.clone());
                            seen.same_value = true;
                            continue;
                        }
                        let text = |t: &Option<Localized>| {
                            t.as_ref().map(|t| self.prose(g, t)).unwrap_or_default()
                        };
                        impossible.push((
                            mp,
                            ImpossibleView {
                                setting: s.as_str().to_string(),
                                eps: vec![ep.clone()],
                                same_value: false,
                                reason: text(&mp.reason),
                                instead: text(&mp.instead),
                                rows: self.rows(
                                    g,
                                    mp.fields.iter().map(|f| (f.get_ref().as_str(), mp.state)),
                                ),
                            },
                        ));
                    }
                }
            }
        }
        (automatic, impossible.into_iter().map(|(_, v)| v).collect())
    }

    fn edition(&self, g: &Guide, e: &Edition) -> EditionGuide {
        let c = g.c;
        let screen_of = |s: &Step| s.screen.as_ref().and_then(|id| c.screen(id.get_ref()));
        let steps: Vec<&Step> = c
            .steps
            .iter()
            .filter(|s| g.scope.admits(*s) && screen_of(s).is_none_or(|sc| g.scope.admits(sc)))
            .collect();
        // The schematic forms: the screens the steps open, in step order.
        let mut screens: Vec<&Screen> = Vec::new();
        for sc in steps.iter().filter_map(|s| screen_of(s)) {
            if !screens.iter().any(|x| std::ptr::eq(*x, sc)) {
                screens.push(sc);
            }
        }
        let (automatic, impossible) = self.automatic_and_impossible(g);
        EditionGuide {
            id: g.scope.edition.to_string(),
            name: e.name.get(self.lang).to_string(),
            versions: e.versions.get(self.lang).to_string(),
            nav: self.nav(c, g.scope.edition),
            steps: steps
                .iter()
                .map(|s| StepView {
                    html: self.prose(g, &s.text),
                    screen: screen_of(s).map(|sc| self.label(sc, g.host)),
                    rows: self.rows(g, named(&s.fields)),
                })
                .collect(),
            screens: screens
                .iter()
                .map(|s| ScreenView {
                    id: s.id.get_ref().clone(),
                    title: self.bare(*s),
                    layout: format!("{:?}", s.layout).to_lowercase(),
                    note: s.note.as_ref().map(|n| self.prose(g, n)),
                    fields: self.rows(g, s.fields.iter().map(|f| (f.id.get_ref().as_str(), None))),
                })
                .collect(),
            automatic,
            impossible,
            caveats: c
                .caveats
                .iter()
                .filter(|v| g.scope.admits(*v))
                .map(|v| CaveatView {
                    id: v.id.get_ref().clone(),
                    title: self.prose(g, &v.title),
                    text: self.prose(g, &v.text),
                    rows: self.rows(g, named(&v.fields)),
                })
                .collect(),
            expectations: c
                .expectations
                .iter()
                .filter(|v| g.scope.admits(*v))
                .map(|v| ExpectationView {
                    id: v.id.get_ref().clone(),
                    when: self.prose(g, &v.when),
                    text: self.prose(g, &v.text),
                    message: v.message.as_ref().map(|msg| self.label(msg, g.host)),
                })
                .collect(),
            troubleshooting: c
                .troubleshooting
                .iter()
                .filter(|v| g.scope.admits(*v))
                .map(|v| TroubleView {
                    id: v.id.get_ref().clone(),
                    symptom: self.prose(g, &v.symptom),
                    cause: self.prose(g, &v.cause),
                    fix: self.prose(g, &v.fix),
                    message: v.message.as_ref().map(|msg| self.label(msg, g.host)),
                    message_note: v
                        .message
                        .as_ref()
                        .and_then(|msg| msg.note.as_ref())
                        .map(|n| self.prose(g, n)),
                    rows: self.rows(
                        g,
                        v.changes
                            .iter()
                            .map(|ch| (ch.field.get_ref().as_str(), ch.state)),
                    ),
                    warnings: v
                        .warnings
                        .iter()
                        .filter_map(|w| g.warnings.iter().find(|x| x.id == *w.get_ref()))
                        .cloned()
                        .collect(),
                })
                .collect(),
        }
    }
}
