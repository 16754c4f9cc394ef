//! What a guide advises besides the steps — computed from the data like the values are, so
//! it cannot contradict them: the login notice (choose another method, or this app cannot
//! log on), what the client decides itself or cannot do, caveats, what to expect, and
//! troubleshooting that names a wrong value only where it is wrong.

use super::client::*;
use super::track::Guide;
use super::Views;
use crate::clients::login::{answer, right_value, Answer};
use crate::clients::*;
use crate::data::Localized;
use crate::html::Html;
use crate::markers::{Field as MarkedField, Marker};
use crate::matrix::{Auth, Direction, Protocol, Setting};
use crate::resolve::Endpoint;
use crate::urls;

/// A track's login notice, in its two parts (see [`Views::login_notice`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct LoginNotice {
    pub(super) choose: Option<Html>,
    pub(super) readable: Option<Html>,
}

impl LoginNotice {
    /// Both parts as one notice (a track whose guide does not say `readable` once).
    pub(super) fn joined(self, sentence_sep: &str) -> Option<Html> {
        let parts: Vec<Html> = self.choose.into_iter().chain(self.readable).collect();
        (!parts.is_empty()).then(|| Html::join(&parts, &Html::text(sentence_sep)))
    }
}

impl Views<'_> {
    /// A UI string with `{name}` placeholders filled with markup.
    fn fill(&self, key: &str, parts: &[(&str, &Html)]) -> Html {
        let mut out = Html::text(self.s(key));
        for (name, html) in parts {
            out = out.replace(&format!("{{{name}}}"), html);
        }
        out
    }

    /// The manual's name for a login method, in the manual's quote marks.
    fn auth_name(&self, auth: Auth) -> Html {
        Html::text(
            &self
                .value_name(Setting::Auth, auth.as_str())
                .unwrap_or_default(),
        )
    }

    /// The login notice of a track, in two parts: what this client must choose instead of
    /// what the matrix recommends (which method it logs on with: the steps say which control
    /// to set, so the notice names no control), or that it cannot log on at all (`choose`); and that the
    /// password then travels readable on a connection without SSL, with the plan's SSL
    /// settings to use instead (`readable`). The guide says `readable` once when every
    /// track says it alike ([`LoginNotice`]).
    pub(super) fn login_notice(&self, g: &Guide) -> LoginNotice {
        let edition = g.scope.edition;
        let answers = [g.in_ep, g.out_ep].map(|ep| (ep, answer(self.m, g.c, edition, ep)));
        let client = Html::text(g.c.name.get(self.lang));
        if answers.iter().any(|(_, a)| matches!(a, Answer::Impossible)) {
            return LoginNotice {
                choose: Some(self.impossible_notice(g, &client)),
                readable: None,
            };
        }
        let fallback = answers.iter().find_map(|(ep, a)| match a {
            Answer::Choose {
                auth,
                entry,
                fallback: true,
                ..
            } => Some((ep.auth, *auth, entry.support)),
            _ => None,
        });
        let Some(fallback) = fallback else {
            return LoginNotice::default();
        };
        // A client with no login setting is not asked to choose: the line that says what it
        // does (its entry's note, among the automatic values) is enough.
        let choose = (fallback.2 != Support::Automatic).then(|| {
            self.fill(
                "login.fallback",
                &[
                    ("client", &client),
                    ("recommended", &self.auth_name(fallback.0)),
                    ("choice", &self.auth_name(fallback.1)),
                ],
            )
        });
        let readable = answers
            .iter()
            .any(|(_, a)| matches!(a, Answer::Choose { readable: true, .. }))
            .then(|| {
                let mut sentences = vec![Html::text(self.s("login.readable"))];
                if let Some(ssl) = self.ssl_guides(g) {
                    sentences.push(self.fill("login.use_ssl", &[("variants", &ssl)]));
                }
                Html::join(&sentences, &Html::text(self.s("punct.sentence_sep")))
            });
        LoginNotice { choose, readable }
    }

    /// Links to this client's guides for the plan's variants with SSL, if it has any.
    fn ssl_guides(&self, g: &Guide) -> Option<Html> {
        let plan = self.m.plan(&g.incoming.plan)?;
        let links: Vec<Html> = plan
            .variants
            .iter()
            .filter_map(|pv| self.m.variant(pv.variant.get_ref()))
            .filter(|v| v.requires_ssl)
            .map(|v| {
                let url = urls::guide(
                    self.lang,
                    g.c.id.get_ref(),
                    plan.id.get_ref(),
                    v.id.get_ref(),
                );
                let href = urls::relative(
                    &urls::guide(
                        self.lang,
                        g.c.id.get_ref(),
                        plan.id.get_ref(),
                        &g.incoming.variant,
                    ),
                    &url,
                );
                Html::tag(
                    "a",
                    &[("href", &href)],
                    &Html::text(&v.name.text(self.m, self.lang)),
                )
            })
            .collect();
        (!links.is_empty()).then(|| Html::join(&links, &Html::text(self.s("punct.list_sep"))))
    }

    /// This app can log on to neither server: the methods the server accepts, and the
    /// other apps whose guides for this plan and variant can (or the support contact).
    fn impossible_notice(&self, g: &Guide, client: &Html) -> Html {
        let accepted: Vec<Html> = self
            .m
            .auth
            .iter()
            .filter(|a| *a.id.get_ref() != Auth::None)
            .filter(|a| {
                a.mechanisms
                    .iter()
                    .any(|mech| g.in_ep.accepts.contains(mech.get_ref()))
            })
            .map(|a| self.auth_name(*a.id.get_ref()))
            .collect();
        let accepted = Html::join(&accepted, &Html::text(self.s("punct.list_sep")));
        let others = self.apps_that_can(g);
        let instead = if others.is_empty() {
            self.fill("login.impossible_contact", &[("contact", &self.contact())])
        } else {
            let list = Html::join(&others, &Html::text(self.s("punct.list_sep")));
            self.fill("login.impossible_apps", &[("apps", &list)])
        };
        let mut out = self.fill(
            "login.impossible",
            &[("client", client), ("accepted", &accepted)],
        );
        out.push(&Html::text(self.s("punct.sentence_sep")));
        out.push(&instead);
        out
    }

    /// Links to the guides of the other clients that can log on to both servers here.
    fn apps_that_can(&self, g: &Guide) -> Vec<Html> {
        let here = urls::guide(
            self.lang,
            g.c.id.get_ref(),
            &g.incoming.plan,
            &g.incoming.variant,
        );
        self.clients
            .iter()
            .map(|loaded| &loaded.client)
            .filter(|c| c.id.get_ref() != g.c.id.get_ref())
            .filter(|c| {
                c.editions.iter().any(|e| {
                    [g.in_ep, g.out_ep].iter().all(|ep| {
                        !matches!(answer(self.m, c, e.id.get_ref(), ep), Answer::Impossible)
                    })
                })
            })
            .map(|c| {
                let to = urls::guide(
                    self.lang,
                    c.id.get_ref(),
                    &g.incoming.plan,
                    &g.incoming.variant,
                );
                Html::tag(
                    "a",
                    &[("href", &urls::relative(&here, &to))],
                    &Html::text(c.name.get(self.lang)),
                )
            })
            .collect()
    }

    /// What the client decides itself (automatic, one line each) and what it cannot do
    /// (unsupported), over the guide's two connections. The login method is the login
    /// notice's.
    pub(super) fn automatic_and_impossible(&self, g: &Guide) -> (Vec<Html>, Vec<ImpossibleView>) {
        let mut automatic = Vec::new();
        let mut impossible: Vec<(&Mapping, ImpossibleView)> = Vec::new();
        for (ep, resolved) in [(g.incoming, g.in_ep), (g.outgoing, g.out_ep)] {
            let proto = resolved.protocol;
            let login = match answer(self.m, g.c, g.scope.edition, resolved) {
                Answer::Choose { auth, .. } => Some(auth.as_str()),
                _ => None,
            };
            let checks = [
                (Setting::Protocol, Some(ep.protocol.as_str()), None),
                (
                    Setting::Security,
                    Some(ep.security.as_str()),
                    Some(MarkedField::Security),
                ),
                (Setting::Auth, login, None),
            ];
            for (s, value, field) in checks {
                let Some(value) = value else {
                    continue;
                };
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
                        let marker = field.map(|f| self.marker(ep, f)).unwrap_or_default();
                        if let Some((_, seen)) =
                            impossible.iter_mut().find(|(p, _)| std::ptr::eq(*p, mp))
                        {
                            seen.values.push(marker);
                            continue;
                        }
                        let text = |t: &Option<Localized>| {
                            t.as_ref().map(|t| self.prose(g, t)).unwrap_or_default()
                        };
                        impossible.push((
                            mp,
                            ImpossibleView {
                                setting: s.as_str().to_string(),
                                values: vec![marker],
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

    /// The marked wrong value an item names, when it is wrong on this guide; `None` when
    /// the guide's right value is that value (the item is not shown).
    fn wrong(&self, g: &Guide, wrong: &Option<Wrong>) -> Option<Option<Html>> {
        let Some(w) = wrong else {
            return Some(None);
        };
        let ep: &Endpoint = match w.direction {
            Direction::Incoming => g.in_ep,
            Direction::Outgoing => g.out_ep,
        };
        let right = right_value(self.m, g.c, g.scope.edition, w, ep);
        if right.as_deref() == Some(w.value.get_ref().as_str()) {
            return None;
        }
        let value = w.value.get_ref();
        let text = match w.setting.get_ref() {
            WrongSetting::Security => self.m.value_label(Setting::Security, value),
            WrongSetting::Auth => self.m.value_label(Setting::Auth, value),
            WrongSetting::Protocol => self.m.value_label(Setting::Protocol, value),
            WrongSetting::Port => None,
        }
        .map(|l| l.get(self.lang).to_string())
        .or_else(|| self.m.port(value).map(|p| p.number.get_ref().to_string()))
        .unwrap_or_default();
        let marker = Marker::Wrong {
            setting: w.setting.get_ref().as_str().to_string(),
            direction: w.direction.as_str().to_string(),
            protocol: ep.protocol.as_str().to_string(),
            value: value.clone(),
        };
        let mut quoted = Html::text(self.s("client.value_open"));
        quoted.push(&marker.to_html(&text));
        quoted.push(&Html::text(self.s("client.value_close")));
        Some(Some(quoted))
    }

    /// The track's editions' caveats, each once.
    pub(super) fn caveats(&self, g: &Guide) -> Vec<CaveatView> {
        let mut out: Vec<CaveatView> = Vec::new();
        for v in
            g.c.caveats
                .iter()
                .filter(|v| !g.editions_admitting(*v).is_empty())
        {
            let Some(wrong) = self.wrong(g, &v.wrong) else {
                continue;
            };
            if out.iter().any(|x| x.id == *v.id.get_ref()) {
                continue;
            }
            out.push(CaveatView {
                id: v.id.get_ref().clone(),
                title: self.prose_with(g, &v.title, wrong.as_ref()),
                text: self.prose_with(g, &v.text, wrong.as_ref()),
            });
        }
        out
    }

    pub(super) fn expectations(&self, g: &Guide) -> Vec<ExpectationView> {
        g.c.expectations
            .iter()
            .filter(|v| !g.editions_admitting(*v).is_empty())
            .map(|v| ExpectationView {
                id: v.id.get_ref().clone(),
                when: self.prose(g, &v.when),
                text: self.prose(g, &v.text),
                message: v.message.as_ref().map(|msg| self.label(msg, g.host)),
            })
            .collect()
    }

    /// Troubleshooting of the track's editions, each id once; what a fix changes is linked
    /// to the step that sets it, not repeated.
    pub(super) fn troubleshooting(&self, g: &Guide, steps: &[StepView]) -> Vec<TroubleView> {
        let mut out: Vec<TroubleView> = Vec::new();
        for v in &g.c.troubleshooting {
            if g.editions_admitting(v).is_empty() || out.iter().any(|x| x.id == *v.id.get_ref()) {
                continue;
            }
            let Some(wrong) = self.wrong(g, &v.wrong) else {
                continue;
            };
            let mut links: Vec<StepLink> = Vec::new();
            for ch in &v.changes {
                let at = steps
                    .iter()
                    .position(|s| s.rows.iter().any(|r| r.id == *ch.field.get_ref()));
                if let Some(i) = at {
                    if !links.iter().any(|l| l.number == i + 1) {
                        links.push(StepLink {
                            id: steps[i].id.clone(),
                            number: i + 1,
                        });
                    }
                }
            }
            links.sort_by_key(|l| l.number);
            out.push(TroubleView {
                id: v.id.get_ref().clone(),
                symptom: self.prose_with(g, &v.symptom, wrong.as_ref()),
                cause: self.prose_with(g, &v.cause, wrong.as_ref()),
                fix: self.prose_with(g, &v.fix, wrong.as_ref()),
                message: v.message.as_ref().map(|msg| self.label(msg, g.host)),
                message_note: v
                    .message
                    .as_ref()
                    .and_then(|msg| msg.note.as_ref())
                    .map(|n| self.prose(g, n)),
                steps: vec![TrackSteps { track: None, links }],
                only: None,
                warnings: v
                    .warnings
                    .iter()
                    .filter_map(|w| g.warnings.iter().find(|x| x.id == *w.get_ref()))
                    .cloned()
                    .collect(),
            });
        }
        out
    }
}

impl Guide<'_> {
    /// The track's editions an advice item applies to (on this guide's protocols and
    /// variant).
    pub(super) fn editions_admitting(&self, item: &dyn Scoped) -> Vec<&str> {
        let protocols = [self.in_ep.protocol, Protocol::Smtp];
        self.editions
            .iter()
            .map(|e| e.id.get_ref().as_str())
            .filter(|e| {
                Scope {
                    edition: e,
                    protocols: &protocols,
                    ..self.scope
                }
                .admits(item)
            })
            .collect()
    }
}
