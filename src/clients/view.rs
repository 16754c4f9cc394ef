//! Client pages as templates see them: one language, labels rendered per their
//! `shown`, values left to `setting()` through the resolved [`EndpointView`]s.

use serde::Serialize;

use super::*;
use crate::matrix::{placeholder_refs, Direction, Matrix, Protocol};
use crate::render::escape;
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
    pub nav: String,
    pub steps: Vec<StepView>,
    pub screens: Vec<ScreenView>,
    pub automatic: Vec<String>,
    pub impossible: Vec<ImpossibleView>,
    pub caveats: Vec<CaveatView>,
    pub expectations: Vec<ExpectationView>,
    pub troubleshooting: Vec<TroubleView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub html: String,
    pub screen: Option<String>,
    pub rows: Vec<FieldView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScreenView {
    pub id: String,
    pub title: String,
    pub layout: String,
    pub note: Option<String>,
    pub fields: Vec<FieldView>,
}

/// One control with what to put in it.
#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    pub id: String,
    pub label: String,
    /// The label as the schematic form shows it: the text itself, no quote marks.
    pub text: String,
    /// The screen holding the control, rendered (to tell equal labels apart).
    pub screen: Option<String>,
    pub control: String,
    /// `incoming`/`outgoing` when a list mixes both sides, to tell equal labels apart.
    pub side: Option<String>,
    /// `setting(ep, setting)` fills the value from resolve().
    pub setting: Option<String>,
    pub ep: Option<EndpointView>,
    /// The client's entry to choose (dropdown, radio …), rendered.
    pub choice: Option<String>,
    /// The same entry without quote marks, for the schematic form.
    pub choice_text: Option<String>,
    pub older: Vec<OlderWording>,
    /// `on` / `off` for checkboxes and toggles.
    pub state: Option<String>,
    /// The matrix value is one the client cannot do (`support = "unsupported"`).
    pub impossible: bool,
    /// A UI-string key describing a customer value (password, address …).
    pub hint: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OlderWording {
    pub versions: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImpossibleView {
    pub setting: String,
    /// The connections that need what the client cannot do.
    pub eps: Vec<EndpointView>,
    /// Every connection needs the same value: the notice names it once, for both servers.
    pub same_value: bool,
    pub reason: String,
    pub instead: String,
    pub rows: Vec<FieldView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaveatView {
    pub id: String,
    pub title: String,
    pub text: String,
    pub rows: Vec<FieldView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExpectationView {
    pub id: String,
    pub when: String,
    pub text: String,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TroubleView {
    pub id: String,
    pub symptom: String,
    pub cause: String,
    pub fix: String,
    pub message: Option<String>,
    pub message_note: Option<String>,
    pub rows: Vec<FieldView>,
    pub warnings: Vec<WarningView>,
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

struct Guide<'a> {
    c: &'a Client,
    edition: &'a str,
    incoming: EndpointView,
    outgoing: EndpointView,
    in_proto: Protocol,
    host: String,
}

impl<'a> ClientViews<'a> {
    fn s(&self, key: &str) -> String {
        self.strings.get(self.lang, key).unwrap_or("").to_string()
    }

    /// A client label as the page shows it: quoted when exact, plain when a description.
    pub fn label(&self, l: &dyn Labelled, host: &str) -> String {
        let text = l.label().map(|t| t.get(self.lang)).unwrap_or("");
        let text = escape(text).replace("{host}", &format!("<code>{}</code>", escape(host)));
        match l.shown_in(self.lang) {
            Shown::Description => format!("<span class=\"ui-description\">{text}</span>"),
            // The quote marks belong to the page's language, the label to the client's.
            shown => format!(
                "<strong class=\"ui-label\">{}{}{}</strong>",
                escape(&self.s("client.quote_open")),
                if shown == Shown::English && self.lang != "en" {
                    format!("<span lang=\"en\">{text}</span>")
                } else {
                    text
                },
                escape(&self.s("client.quote_close")),
            ),
        }
    }

    /// A label without quote marks, for the schematic form.
    fn bare(&self, l: &dyn Labelled) -> String {
        let text = escape(l.label().map(|t| t.get(self.lang)).unwrap_or(""));
        match l.shown_in(self.lang) {
            Shown::Description => format!("<span class=\"ui-description\">{text}</span>"),
            Shown::English if self.lang != "en" => format!("<span lang=\"en\">{text}</span>"),
            _ => text,
        }
    }

    fn nav(&self, c: &Client, edition: &str) -> String {
        let e = c.editions.iter().find(|e| e.id.get_ref() == edition);
        e.map(|e| {
            e.navigation
                .iter()
                .map(|n| self.label(n, ""))
                .collect::<Vec<_>>()
                .join(&escape(&self.s("client.nav_sep")))
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
            if let Some(name) = self.m.value_label(setting, value) {
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
    fn prose(&self, g: &Guide, text: &Localized) -> String {
        let mut out = escape(&self.value_names(text.get(self.lang)));
        for id in placeholder_refs(text.get(self.lang), "label") {
            if let Some(l) = g.c.labelled(id) {
                out = out.replace(&format!("{{label:{id}}}"), &self.label(l, &g.host));
            }
        }
        out.replace("{nav}", &self.nav(g.c, g.edition))
            .replace("{host}", &format!("<code>{}</code>", escape(&g.host)))
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

    fn protocol_ok(g: &Guide, filter: &Option<Vec<Protocol>>) -> bool {
        allows_protocol(filter, g.in_proto) || allows_protocol(filter, Protocol::Smtp)
    }

    fn field_applies(g: &Guide, f: &Field) -> bool {
        match f.direction {
            Some(FieldDirection::Incoming) => allows_protocol(&f.protocols, g.in_proto),
            Some(FieldDirection::Outgoing) => allows_protocol(&f.protocols, Protocol::Smtp),
            _ => Self::protocol_ok(g, &f.protocols),
        }
    }

    fn field(&self, g: &Guide, f: &Field, state: Option<State>) -> FieldView {
        let ep = match f.direction {
            Some(FieldDirection::Outgoing) => &g.outgoing,
            _ => &g.incoming,
        };
        let mut view = FieldView {
            id: f.id.get_ref().clone(),
            label: self.label(f, &g.host),
            text: self.bare(f),
            screen: g
                .c
                .screen_of(f.id.get_ref())
                .map(|sc| self.label(sc, &g.host)),
            control: f.control.as_str().to_string(),
            side: None,
            setting: None,
            ep: None,
            choice: None,
            choice_text: None,
            older: Vec::new(),
            state: state.or(f.state).map(|s| s.as_str().to_string()),
            impossible: false,
            hint: None,
            note: f.note.as_ref().map(|n| self.prose(g, n)),
        };
        if let Some(setting) = f.value.setting() {
            view.setting = Some(setting.to_string());
            view.ep = Some(ep.clone());
            let mapped = match f.value {
                FieldValue::Security => Some((Setting::Security, ep.security.as_str())),
                FieldValue::Auth => Some((Setting::Auth, ep.auth.as_str())),
                FieldValue::Protocol => Some((Setting::Protocol, ep.protocol.as_str())),
                _ => None,
            };
            let proto = if f.direction == Some(FieldDirection::Outgoing) {
                Protocol::Smtp
            } else {
                g.in_proto
            };
            if let Some((s, value)) = mapped {
                if let Some(mp) = g.c.mapping_for(g.edition, s, value, proto) {
                    if mp.support == Support::Unsupported {
                        // Not a value to enter: the notice explains; only the state to set remains.
                        view.impossible = true;
                        view.setting = None;
                        view.ep = None;
                        if state.is_none() {
                            if let Some(st) = mp.state {
                                view.state = Some(st.as_str().to_string());
                            }
                        }
                    } else if mp.fields.iter().any(|x| x.get_ref() == f.id.get_ref()) {
                        if mp.label.is_some() {
                            view.choice = Some(self.label(mp, &g.host));
                            view.choice_text = Some(self.bare(mp));
                        }
                        if state.is_none() {
                            if let Some(st) = mp.state {
                                view.state = Some(st.as_str().to_string());
                            }
                        }
                        view.older = mp
                            .alternatives
                            .iter()
                            .map(|a| OlderWording {
                                versions: a.versions.get(self.lang).to_string(),
                                label: self.label(a, &g.host),
                            })
                            .collect();
                        if let Some(n) = &mp.note {
                            view.note = Some(self.prose(g, n));
                        }
                    }
                }
            }
        } else {
            view.hint = match f.value {
                FieldValue::Password => Some("client.value.password"),
                FieldValue::Address => Some("client.value.address"),
                FieldValue::DisplayName => Some("client.value.display_name"),
                FieldValue::Free => Some("client.value.free"),
                _ => None,
            }
            .map(str::to_string);
        }
        view
    }

    fn rows(
        &self,
        g: &Guide,
        ids: impl Iterator<Item = (&'a str, Option<State>)>,
    ) -> Vec<FieldView> {
        let mut rows: Vec<(Option<FieldDirection>, FieldView)> = ids
            .filter_map(|(id, st)| g.c.field(id).map(|f| (f, st)))
            .filter(|(f, _)| Self::field_applies(g, f))
            .filter(|(f, _)| {
                g.c.screen_of(f.id.get_ref()).is_none_or(|sc| {
                    allows(&sc.editions, g.edition) && Self::protocol_ok(g, &sc.protocols)
                })
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
        let p = m.plan(plan)?;
        let v = m.variant(variant)?;
        let host = display_pattern(m, &r.host.pattern, self.lang);
        let editions = c
            .editions
            .iter()
            .map(|e| {
                let g = Guide {
                    c,
                    edition: e.id.get_ref(),
                    incoming: incoming.clone(),
                    outgoing: outgoing.clone(),
                    in_proto: in_ep.protocol,
                    host: host.clone(),
                };
                self.edition(&g, e, variant, &r.warnings)
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
            incoming,
            outgoing,
            other_incoming: r
                .incoming
                .iter()
                .skip(1)
                .map(|e| vb.endpoint(&r, e))
                .collect(),
            warnings: r.warnings.iter().map(|w| vb.warning(w)).collect(),
            editions,
        })
    }

    fn edition(&self, g: &Guide, e: &Edition, variant: &str, warnings: &[String]) -> EditionGuide {
        let c = g.c;
        let ed = g.edition;
        let steps = c
            .steps
            .iter()
            .filter(|s| allows(&s.editions, ed) && Self::protocol_ok(g, &s.protocols))
            .filter(|s| {
                s.screen
                    .as_ref()
                    .and_then(|id| c.screen(id.get_ref()))
                    .is_none_or(|sc| {
                        allows(&sc.editions, ed) && Self::protocol_ok(g, &sc.protocols)
                    })
            })
            .map(|s| StepView {
                html: self.prose(g, &s.text),
                screen: s
                    .screen
                    .as_ref()
                    .and_then(|id| c.screen(id.get_ref()))
                    .map(|sc| self.label(sc, &g.host)),
                rows: self.rows(g, s.fields.iter().map(|f| (f.get_ref().as_str(), None))),
            })
            .collect();
        let mut used: Vec<&str> = Vec::new();
        for s in c
            .steps
            .iter()
            .filter(|s| allows(&s.editions, ed) && Self::protocol_ok(g, &s.protocols))
        {
            if let Some(id) = &s.screen {
                if !used.contains(&id.get_ref().as_str()) {
                    used.push(id.get_ref());
                }
            }
        }
        let screens = used
            .iter()
            .filter_map(|id| c.screen(id))
            .filter(|s| allows(&s.editions, ed) && Self::protocol_ok(g, &s.protocols))
            .map(|s| ScreenView {
                id: s.id.get_ref().clone(),
                title: self.bare(s),
                layout: format!("{:?}", s.layout).to_lowercase(),
                note: s.note.as_ref().map(|n| self.prose(g, n)),
                fields: self.rows(g, s.fields.iter().map(|f| (f.id.get_ref().as_str(), None))),
            })
            .collect();
        let mut automatic = Vec::new();
        let mut impossible = Vec::new();
        for (ep, proto) in [(&g.incoming, g.in_proto), (&g.outgoing, Protocol::Smtp)] {
            for (s, value) in [
                (Setting::Protocol, ep.protocol.as_str()),
                (Setting::Security, ep.security.as_str()),
                (Setting::Auth, ep.auth.as_str()),
            ] {
                let Some(mp) = c.mapping_for(ed, s, value, proto) else {
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
                        if let Some((_, seen)) = impossible.iter_mut().find(
                            |(p, _): &&mut (*const Mapping, ImpossibleView)| std::ptr::eq(*p, mp),
                        ) {
                            // One mapping entry is one (setting, value): the value is the same.
                            seen.eps.push(ep.clone());
                            seen.same_value = true;
                            continue;
                        }
                        impossible.push((
                            mp as *const Mapping,
                            ImpossibleView {
                                setting: s.as_str().to_string(),
                                eps: vec![ep.clone()],
                                same_value: false,
                                reason: mp
                                    .reason
                                    .as_ref()
                                    .map(|t| self.prose(g, t))
                                    .unwrap_or_default(),
                                instead: mp
                                    .instead
                                    .as_ref()
                                    .map(|t| self.prose(g, t))
                                    .unwrap_or_default(),
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
        let _ = Direction::Incoming;
        let vb = ViewBuilder {
            m: self.m,
            strings: self.strings,
            lang: self.lang,
        };
        EditionGuide {
            id: ed.to_string(),
            name: e.name.get(self.lang).to_string(),
            versions: e.versions.get(self.lang).to_string(),
            nav: self.nav(c, ed),
            steps,
            screens,
            automatic,
            impossible: impossible.into_iter().map(|(_, v)| v).collect(),
            caveats: c
                .caveats
                .iter()
                .filter(|v| {
                    allows(&v.editions, ed)
                        && allows(&v.variants, variant)
                        && Self::protocol_ok(g, &v.protocols)
                })
                .map(|v| CaveatView {
                    id: v.id.get_ref().clone(),
                    title: self.prose(g, &v.title),
                    text: self.prose(g, &v.text),
                    rows: self.rows(g, v.fields.iter().map(|f| (f.get_ref().as_str(), None))),
                })
                .collect(),
            expectations: c
                .expectations
                .iter()
                .filter(|v| allows(&v.editions, ed) && allows(&v.variants, variant))
                .map(|v| ExpectationView {
                    id: v.id.get_ref().clone(),
                    when: self.prose(g, &v.when),
                    text: self.prose(g, &v.text),
                    message: v.message.as_ref().map(|msg| self.label(msg, &g.host)),
                })
                .collect(),
            troubleshooting: c
                .troubleshooting
                .iter()
                .filter(|v| {
                    allows(&v.editions, ed)
                        && allows(&v.variants, variant)
                        && Self::protocol_ok(g, &v.protocols)
                })
                .map(|v| TroubleView {
                    id: v.id.get_ref().clone(),
                    symptom: self.prose(g, &v.symptom),
                    cause: self.prose(g, &v.cause),
                    fix: self.prose(g, &v.fix),
                    message: v.message.as_ref().map(|msg| self.label(msg, &g.host)),
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
                        .filter(|w| warnings.contains(w.get_ref()))
                        .map(|w| vb.warning(w.get_ref()))
                        .collect(),
                })
                .collect(),
        }
    }
}
