//! Client pages as templates see them: a client's overview and, per plan and variant, its
//! guide — one section per track (editions whose steps agree), each value rendered once,
//! with its marker, where the customer types it.

use serde::Serialize;

use super::advice::LoginNotice;
use super::matrix::HostView;
use super::track::Guide;
use super::{Views, WarningView};
use crate::clients::*;
use crate::html::Html;
use crate::matrix::Protocol;
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
    /// The server name the steps show: when it is the one in the customer's notice, the
    /// guide says so once, with the other names it may be.
    pub host: HostView,
    /// The variant's other incoming options (e.g. IMAP beside POP3), which this guide does
    /// not walk through: their protocol markers.
    pub other_incoming: Vec<Html>,
    pub warnings: Vec<WarningView>,
    /// That the password travels readable without SSL (and the SSL settings to use instead),
    /// once for the guide when every track says it alike.
    pub login: Option<Html>,
    /// The plan's other variants, for the variant choice: this client's guide for each.
    pub other_variants: Vec<GuideLink>,
    pub tracks: Vec<TrackView>,
    /// Troubleshooting, once for the whole guide: an item every track says alike is one
    /// item, linking to the step of each track.
    pub troubleshooting: Vec<TroubleView>,
}

/// One list of steps, for editions that agree on them (the likely edition first).
#[derive(Debug, Clone, Serialize)]
pub struct TrackView {
    pub id: String,
    pub name: String,
    pub versions: String,
    /// The login notice: what to choose instead, or that the app cannot log on (and, when
    /// the guide does not say it once for every track, that the password travels readable).
    pub login: Option<Html>,
    /// Moved into `login`, or to the guide (`GuideView::login`) once every track is built.
    #[serde(skip)]
    pub login_readable: Option<Html>,
    pub impossible: Vec<ImpossibleView>,
    pub steps: Vec<StepView>,
    pub screens: Vec<ScreenView>,
    pub automatic: Vec<Html>,
    pub caveats: Vec<CaveatView>,
    pub expectations: Vec<ExpectationView>,
    /// Moved to the guide (`GuideView::troubleshooting`) once every track is built.
    #[serde(skip)]
    pub troubleshooting: Vec<TroubleView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    /// Anchor: troubleshooting links here.
    pub id: String,
    /// The step's text; one line per edition where the editions differ.
    pub lines: Vec<StepLine>,
    pub rows: Vec<FieldView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepLine {
    /// The editions this line is for, when not all of the track's.
    pub editions: Option<String>,
    pub html: Html,
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
    pub control: String,
    /// `incoming`/`outgoing` when a list mixes both sides, to tell equal labels apart.
    pub side: Option<String>,
    /// The value to enter or choose, marked (from `resolve()` and the login answer).
    pub value: Option<Html>,
    /// The client's entry to choose (dropdown, radio …), rendered.
    pub choice: Option<Html>,
    /// The same entry without quote marks, for the schematic form.
    pub choice_text: Option<Html>,
    /// The client's entry reads exactly like the manual's name for the value: the value's
    /// marker is the entry (no "SSL/TLS (SSL/TLS)").
    pub same_as_manual: bool,
    pub older: Vec<OlderWording>,
    /// `on` / `off` for checkboxes and toggles.
    pub state: Option<String>,
    /// The matrix value is one the client cannot do.
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
    /// The value the client cannot do, marked, per connection that needs it.
    pub values: Vec<Html>,
    pub reason: Html,
    pub instead: Html,
    pub rows: Vec<FieldView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaveatView {
    pub id: String,
    pub title: Html,
    pub text: Html,
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
    /// The steps that set what the fix changes, per track.
    pub steps: Vec<TrackSteps>,
    /// The tracks this item is for, when not all of the guide's.
    pub only: Option<String>,
    pub warnings: Vec<WarningView>,
}

/// Step links of one track; `track` names it when the guide has several.
#[derive(Debug, Clone, Serialize)]
pub struct TrackSteps {
    pub track: Option<String>,
    pub links: Vec<StepLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepLink {
    pub id: String,
    pub number: usize,
}

impl Views<'_> {
    pub fn client(&self, c: &Client) -> ClientView {
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
            guides: self.guide_links(c, None),
        }
    }

    /// This client's guides: every plan × offered variant, or one plan's.
    fn guide_links(&self, c: &Client, only_plan: Option<&str>) -> Vec<GuideLink> {
        let m = self.m;
        let mut out = Vec::new();
        for plan in m
            .plans
            .iter()
            .filter(|p| only_plan.is_none_or(|id| p.id.get_ref() == id))
        {
            for pv in &plan.variants {
                let v = m.variant(pv.variant.get_ref()).expect("validated variant");
                out.push(GuideLink {
                    plan: plan.id.get_ref().clone(),
                    plan_name: plan.name.text(m, self.lang),
                    plan_group: plan.group.text(m, self.lang),
                    variant: v.id.get_ref().clone(),
                    variant_name: v.name.text(m, self.lang),
                    url: urls::guide(self.lang, c.id.get_ref(), plan.id.get_ref(), v.id.get_ref()),
                });
            }
        }
        out
    }

    /// The editions of each track, the likely one first; without tracks, one per edition.
    pub(super) fn tracks(c: &Client) -> Vec<(String, Option<&Track>, Vec<&Edition>)> {
        if c.tracks.is_empty() {
            return c
                .editions
                .iter()
                .map(|e| (e.id.get_ref().clone(), None, vec![e]))
                .collect();
        }
        c.tracks
            .iter()
            .map(|t| {
                let editions = t
                    .editions
                    .get_ref()
                    .iter()
                    .filter_map(|id| c.editions.iter().find(|e| e.id.get_ref() == id.get_ref()))
                    .collect();
                (t.id.get_ref().clone(), Some(t), editions)
            })
            .collect()
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
        let mut tracks: Vec<TrackView> = Self::tracks(c)
            .into_iter()
            .map(|(id, track, editions)| {
                let g = Guide {
                    c,
                    scope: Scope::edition(editions[0].id.get_ref())
                        .over(&protocols)
                        .variant(variant),
                    editions: &editions,
                    incoming: &incoming,
                    outgoing: &outgoing,
                    in_ep,
                    out_ep,
                    host: &host,
                    warnings: &warnings,
                };
                self.track(&g, &id, track)
            })
            .collect();
        Some(GuideView {
            plan: plan.to_string(),
            plan_name: p.name.text(m, self.lang),
            plan_group: p.group.text(m, self.lang),
            variant: variant.to_string(),
            variant_name: v.name.text(m, self.lang),
            variant_summary: v.summary.text(m, self.lang),
            host: self.host(&r.host),
            other_incoming: r
                .incoming
                .iter()
                .skip(1)
                .map(|e| self.protocol_marker(&self.endpoint(&r, e)))
                .collect(),
            other_variants: self
                .guide_links(c, Some(plan))
                .into_iter()
                .filter(|l| l.variant != variant)
                .collect(),
            warnings,
            login: shared_login(&mut tracks, self.s("punct.sentence_sep")),
            troubleshooting: shared_troubleshooting(&mut tracks, self.s("punct.list_sep")),
            tracks,
        })
    }
}

/// The readable-password notice once for the guide when every track says it alike;
/// otherwise each track says its own, after what it must choose.
fn shared_login(tracks: &mut [TrackView], sentence_sep: &str) -> Option<Html> {
    let first = tracks.first().and_then(|t| t.login_readable.clone());
    if let Some(first) = first {
        if tracks
            .iter()
            .all(|t| t.login_readable.as_ref() == Some(&first))
        {
            for t in tracks.iter_mut() {
                t.login_readable = None;
            }
            return Some(first);
        }
    }
    for t in tracks.iter_mut() {
        let notice = LoginNotice {
            choose: t.login.take(),
            readable: t.login_readable.take(),
        };
        t.login = notice.joined(sentence_sep);
    }
    None
}

/// The tracks' troubleshooting as one list: items that read alike (apart from their step
/// links) merged, each keeping the step links of every track it is for.
fn shared_troubleshooting(tracks: &mut [TrackView], list_sep: &str) -> Vec<TroubleView> {
    let several = tracks.len() > 1;
    let mut out: Vec<(TroubleView, Vec<String>)> = Vec::new();
    for tr in tracks.iter_mut() {
        for mut item in std::mem::take(&mut tr.troubleshooting) {
            for s in &mut item.steps {
                s.track = several.then(|| tr.name.clone());
            }
            let same = out
                .iter_mut()
                .find(|(x, _)| x.id == item.id && x.reads_like(&item));
            match same {
                Some((x, names)) => {
                    x.steps.append(&mut item.steps);
                    names.push(tr.name.clone());
                }
                None => {
                    if out.iter().any(|(x, _)| x.id == item.id) {
                        item.id = format!("{}-{}", tr.id, item.id);
                    }
                    out.push((item, vec![tr.name.clone()]));
                }
            }
        }
    }
    out.into_iter()
        .map(|(mut x, names)| {
            x.steps.retain(|s| !s.links.is_empty());
            // Links into one track only need no track name.
            if let [only] = &mut x.steps[..] {
                only.track = None;
            }
            x.only = (names.len() < tracks.len()).then(|| names.join(list_sep));
            x
        })
        .collect()
}

impl TroubleView {
    /// Says the same as `other`, step links aside.
    fn reads_like(&self, other: &TroubleView) -> bool {
        let text = |x: &TroubleView| {
            (
                x.symptom.clone(),
                x.cause.clone(),
                x.fix.clone(),
                x.message.clone(),
                x.message_note.clone(),
                x.warnings.iter().map(|w| w.id.clone()).collect::<Vec<_>>(),
            )
        };
        text(self) == text(other)
    }
}
