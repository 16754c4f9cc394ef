//! One track of a guide: its steps (one path, edition differences said inline), each
//! control with the value to put in it, and the schematic forms that summarise them.

use super::client::*;
use super::{EndpointView, Views, WarningView};
use crate::clients::login::{answer, Answer};
use crate::clients::*;
use crate::data::Id;
use crate::html::Html;
use crate::markers::Field as MarkedField;
use crate::matrix::{Protocol, Setting};
use crate::resolve::Endpoint;

/// One track of one guide: what its filters are matched against and what it shows.
pub(super) struct Guide<'a> {
    pub(super) c: &'a Client,
    /// The track's first edition, the guide's variant, its two protocols (incoming and SMTP).
    pub(super) scope: Scope<'a>,
    /// The track's editions, the one most customers have first.
    pub(super) editions: &'a [&'a Edition],
    pub(super) incoming: &'a EndpointView,
    pub(super) outgoing: &'a EndpointView,
    pub(super) in_ep: &'a Endpoint,
    pub(super) out_ep: &'a Endpoint,
    pub(super) host: &'a str,
    /// The guide's warnings, rendered once.
    pub(super) warnings: &'a [WarningView],
}

impl Guide<'_> {
    pub(super) fn in_proto(&self) -> Protocol {
        self.in_ep.protocol
    }

    /// The same guide seen from another edition of its track.
    fn for_edition<'b>(&'b self, edition: &'b str) -> Guide<'b> {
        Guide {
            scope: Scope {
                edition,
                ..self.scope
            },
            ..*self
        }
    }

    /// The connection a field belongs to, in views and as resolved.
    fn connection(&self, direction: Option<FieldDirection>) -> (&EndpointView, &Endpoint) {
        match direction {
            Some(FieldDirection::Outgoing) => (self.outgoing, self.out_ep),
            _ => (self.incoming, self.in_ep),
        }
    }

    /// The track's editions a table applies to, with its screen's filters.
    fn editions_of(&self, item: &dyn Scoped, screen: Option<&Screen>) -> Vec<&Edition> {
        self.editions
            .iter()
            .copied()
            .filter(|e| {
                let scope = Scope {
                    edition: e.id.get_ref(),
                    ..self.scope
                };
                scope.admits(item) && screen.is_none_or(|sc| scope.admits(sc))
            })
            .collect()
    }
}

impl Views<'_> {
    /// Whether a field belongs to this guide: an incoming field to its incoming protocol,
    /// an outgoing one to SMTP, any other to either.
    fn field_applies(g: &Guide, f: &Field) -> bool {
        let incoming = [g.in_proto()];
        let outgoing = [Protocol::Smtp];
        let scope = match f.direction {
            Some(FieldDirection::Incoming) => g.scope.over(&incoming),
            Some(FieldDirection::Outgoing) => g.scope.over(&outgoing),
            _ => g.scope,
        };
        scope.admits(f)
    }

    /// The matrix value a control carries and the mapping entry that says how to set it:
    /// for the login method, the answer computed for this edition.
    fn carried<'c>(
        &self,
        g: &Guide<'c>,
        f: &Field,
    ) -> Option<(Setting, String, Option<&'c Mapping>, Option<Html>)> {
        let (ep, resolved) = g.connection(f.direction);
        let proto = resolved.protocol;
        let (setting, value, marker) = match f.value {
            FieldValue::Security => (
                Setting::Security,
                ep.security.clone(),
                self.marker(ep, MarkedField::Security),
            ),
            FieldValue::Protocol => (
                Setting::Protocol,
                ep.protocol.clone(),
                self.protocol_marker(ep),
            ),
            FieldValue::Auth => {
                return Some(match answer(self.m, g.c, g.scope.edition, resolved) {
                    Answer::Choose { auth, entry, .. } => (
                        Setting::Auth,
                        auth.as_str().to_string(),
                        Some(entry),
                        Some(self.login_marker(g, ep, auth)),
                    ),
                    _ => (Setting::Auth, ep.auth.clone(), None, None),
                })
            }
            _ => return None,
        };
        let mapping = g.c.mapping_for(g.scope.edition, setting, &value, proto);
        Some((setting, value, mapping, Some(marker)))
    }

    fn field(&self, g: &Guide, f: &Field, state: Option<State>) -> FieldView {
        let (ep, _) = g.connection(f.direction);
        let carried = self.carried(g, f);
        let mapping = carried.as_ref().and_then(|(_, _, mp, _)| *mp);
        // Not a value to enter: the notice explains; only the state to set remains.
        let impossible =
            carried.is_some() && mapping.is_none_or(|mp| mp.support == Support::Unsupported);
        // The entry that speaks for this control: an unsupported value's (its state is what
        // to do), or the entry that names this field.
        let entry = mapping
            .filter(|mp| impossible || mp.fields.iter().any(|x| x.get_ref() == f.id.get_ref()));
        let control = entry.filter(|_| !impossible);
        let choice = control.filter(|mp| mp.label.is_some());
        let value = match f.value {
            _ if impossible => None,
            FieldValue::Host => Some(self.marker(ep, MarkedField::Host)),
            FieldValue::Port => Some(self.marker(ep, MarkedField::Port)),
            FieldValue::Username => Some(self.marker(ep, MarkedField::Username)),
            _ => carried.as_ref().and_then(|(_, _, _, m)| m.clone()),
        };
        let manual_name = carried
            .as_ref()
            .and_then(|(setting, value, _, _)| self.m.value_label(*setting, value))
            .map(|l| l.get(self.lang).to_string());
        FieldView {
            id: f.id.get_ref().clone(),
            label: self.label(f, g.host),
            text: self.bare(f),
            control: f.control.as_str().to_string(),
            side: None,
            value,
            choice: choice.map(|mp| self.label(mp, g.host)),
            choice_text: choice.map(|mp| self.bare(mp)),
            same_as_manual: choice.is_some_and(|mp| {
                self.plain(mp)
                    && mp.label.as_ref().map(|l| l.get(self.lang).to_string()) == manual_name
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

    pub(super) fn rows<'s>(
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

    /// The steps of a track: one path, a step that differs per edition said per edition,
    /// steps sharing an `alt` merged into one. With the screens the steps open, in order.
    fn steps<'c>(&self, g: &Guide<'c>, track: &str) -> (Vec<StepView>, Vec<&'c Screen>) {
        let c = g.c;
        let mut steps: Vec<(Option<&str>, StepView)> = Vec::new();
        let mut screens: Vec<&Screen> = Vec::new();
        for s in &c.steps {
            let screen = s.screen.as_ref().and_then(|id| c.screen(id.get_ref()));
            let editions = g.editions_of(s, screen);
            let Some(first) = editions.first() else {
                continue;
            };
            let here = g.for_edition(first.id.get_ref());
            if let Some(sc) = screen {
                if !screens.iter().any(|x| std::ptr::eq(*x, sc)) {
                    screens.push(sc);
                }
            }
            let line = StepLine {
                editions: (editions.len() < g.editions.len()).then(|| {
                    editions
                        .iter()
                        .map(|e| e.name.get(self.lang))
                        .collect::<Vec<_>>()
                        .join(self.s("punct.list_sep"))
                }),
                html: self.prose(&here, &s.text),
            };
            let rows = self.rows(&here, named(&s.fields));
            let alt = s.alt.as_ref().map(|a| a.get_ref().as_str());
            match steps.iter_mut().find(|(a, _)| alt.is_some() && *a == alt) {
                Some((_, step)) => {
                    step.lines.push(line);
                    for r in rows {
                        if !step.rows.iter().any(|x| x.id == r.id) {
                            step.rows.push(r);
                        }
                    }
                }
                None => {
                    let id = format!("{track}-step-{}", steps.len() + 1);
                    steps.push((
                        alt,
                        StepView {
                            id,
                            lines: vec![line],
                            rows,
                        },
                    ));
                }
            }
        }
        (steps.into_iter().map(|(_, s)| s).collect(), screens)
    }

    pub(super) fn track(&self, g: &Guide, id: &str, track: Option<&Track>) -> TrackView {
        let (steps, screens) = self.steps(g, id);
        let (automatic, impossible) = self.automatic_and_impossible(g);
        let name = match track {
            Some(t) => t.name.get(self.lang).to_string(),
            None => g.editions[0].name.get(self.lang).to_string(),
        };
        let versions = g
            .editions
            .iter()
            .map(|e| e.versions.get(self.lang))
            .collect::<Vec<_>>()
            .join(self.s("punct.list_sep"));
        let login = self.login_notice(g);
        TrackView {
            id: id.to_string(),
            name,
            versions,
            login: login.choose,
            login_readable: login.readable,
            impossible,
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
            caveats: self.caveats(g),
            expectations: self.expectations(g),
            troubleshooting: self.troubleshooting(g, &steps),
            steps,
        }
    }
}

/// Field ids as `rows()` takes them, with no state of their own.
pub(super) fn named(ids: &[Id]) -> impl Iterator<Item = (&str, Option<State>)> {
    ids.iter().map(|f| (f.get_ref().as_str(), None))
}
