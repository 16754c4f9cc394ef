//! "Which settings do I have?": how a customer tells their variant from the mail settings
//! notice, computed from the data (the shared-certificate domain, the SSL ports), and what
//! to do when the notice is lost.

use serde::Serialize;

use super::Views;
use crate::html::Html;
use crate::markers::Marker;
use crate::matrix::Plan;
use crate::pattern;
use crate::resolve::resolve;

/// How to recognise one variant in the notice.
#[derive(Debug, Clone, Serialize)]
pub struct WhichView {
    pub variant: String,
    pub name: String,
    pub rule: Html,
}

impl Views<'_> {
    /// The rules for a plan's variants, in the order to test them: a name under the
    /// shared-certificate domain first, then the SSL ports, then everything else.
    pub(super) fn which(&self, plan: &Plan) -> Vec<WhichView> {
        let m = self.m;
        let mut rules: Vec<(u8, WhichView)> = Vec::new();
        for pv in &plan.variants {
            let Some(v) = m.variant(pv.variant.get_ref()) else {
                continue;
            };
            let host = m.host(pv.host.get_ref());
            let shared =
                host.is_some_and(|h| pattern::uses_shared_certificate(h.pattern.get_ref()));
            let (rank, rule) = if shared {
                let domain = Html::tag(
                    "code",
                    &[],
                    &Html::text(m.provider.shared_certificate_domain.get_ref()),
                );
                (
                    0,
                    self.fill_which("which.shared_certificate", "domain", &domain),
                )
            } else if v.requires_ssl {
                (
                    1,
                    self.fill_which("which.ssl", "ports", &self.ports_of(plan, v.id.get_ref())),
                )
            } else {
                (2, Html::text(self.s("which.otherwise")))
            };
            rules.push((
                rank,
                WhichView {
                    variant: v.id.get_ref().clone(),
                    name: self.t(&v.name),
                    rule,
                },
            ));
        }
        rules.sort_by_key(|(rank, _)| *rank);
        rules.into_iter().map(|(_, w)| w).collect()
    }

    /// The rules over every plan: each variant once, as its first plan says it.
    pub(super) fn which_all(&self) -> Vec<WhichView> {
        let mut out: Vec<WhichView> = Vec::new();
        for plan in &self.m.plans {
            for w in self.which(plan) {
                if !out.iter().any(|x| x.variant == w.variant) {
                    out.push(w);
                }
            }
        }
        let rank = |w: &WhichView| self.which_rank(&w.variant);
        out.sort_by_key(rank);
        out
    }

    fn which_rank(&self, variant: &str) -> u8 {
        let m = self.m;
        let shared = m.plans.iter().flat_map(|p| &p.variants).any(|pv| {
            pv.variant.get_ref() == variant
                && m.host(pv.host.get_ref())
                    .is_some_and(|h| pattern::uses_shared_certificate(h.pattern.get_ref()))
        });
        let ssl = m.variant(variant).is_some_and(|v| v.requires_ssl);
        if shared {
            0
        } else if ssl {
            1
        } else {
            2
        }
    }

    /// What to do without the notice.
    pub(super) fn which_lost(&self) -> Html {
        self.fill_which("which.lost", "contact", &self.contact())
    }

    fn fill_which(&self, key: &str, name: &str, part: &Html) -> Html {
        Html::text(self.s(key)).replace(&format!("{{{name}}}"), part)
    }

    /// The port numbers a variant's recommended connections use, marked, joined.
    fn ports_of(&self, plan: &Plan, variant: &str) -> Html {
        let Ok(r) = resolve(self.m, plan.id.get_ref(), variant, None) else {
            return Html::default();
        };
        let ports: Vec<Html> = [r.incoming.first(), r.outgoing.first()]
            .into_iter()
            .flatten()
            .map(|e| {
                Marker::Port {
                    id: e.port_id.clone(),
                    direction: Some(e.direction.as_str().to_string()),
                    number: e.port.to_string(),
                }
                .to_html(&e.port.to_string())
            })
            .collect();
        Html::join(&ports, &Html::text(self.s("which.port_sep")))
    }
}
