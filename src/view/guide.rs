//! One edition's section of one guide: its steps, the schematic forms, what the client
//! decides itself or cannot do, caveats, what to expect and troubleshooting.

use super::client::*;
use super::{EndpointView, Views, WarningView};
use crate::clients::*;
use crate::data::{Id, Localized};
use crate::html::Html;
use crate::matrix::{Protocol, Setting};

/// One edition's section of one guide: what its filters are matched against and what it shows.
pub(super) struct Guide<'a> {
    pub(super) c: &'a Client,
    /// The edition, the guide's variant, and its two protocols (incoming and SMTP).
    pub(super) scope: Scope<'a>,
    pub(super) incoming: &'a EndpointView,
    pub(super) outgoing: &'a EndpointView,
    pub(super) in_proto: Protocol,
    pub(super) host: &'a str,
    /// The guide's warnings, rendered once.
    pub(super) warnings: &'a [WarningView],
}

/// Field ids as `rows()` takes them, with no state of their own.
fn named(ids: &[Id]) -> impl Iterator<Item = (&str, Option<State>)> {
    ids.iter().map(|f| (f.get_ref().as_str(), None))
}

impl Views<'_> {
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

    pub(super) fn edition(&self, g: &Guide, e: &Edition) -> EditionGuide {
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
                    layout: s.layout.as_str().to_string(),
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
                .map(|v| self.trouble(g, v))
                .collect(),
        }
    }

    fn trouble(&self, g: &Guide, v: &Trouble) -> TroubleView {
        TroubleView {
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
        }
    }
}
