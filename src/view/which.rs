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

/// The "which settings" section: how to read the notice (`lead`, which names the server name
/// only when a rule tests it), the rules in the order to test them, and what to do when the
/// notice is lost. No rules when the data cannot tell the variants apart (two variants
/// neither of which has an SSL port or a shared-certificate name): then `ask`.
#[derive(Debug, Clone, Serialize)]
pub struct WhichSection {
    pub lead: String,
    pub rules: Vec<WhichView>,
    pub ask: Option<Html>,
    pub lost: Html,
}

/// What a variant is recognised by, in the order to test: a shared-certificate server name,
/// then SSL ports, then "none of the above".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Test {
    SharedName,
    SslPorts,
    Otherwise,
}

impl Views<'_> {
    /// The section for one plan's variants.
    pub(super) fn which(&self, plan: &Plan) -> WhichSection {
        let rules = plan
            .variants
            .iter()
            .filter_map(|pv| self.which_rule(plan, pv.variant.get_ref()))
            .collect();
        self.which_section(rules)
    }

    /// The section over every plan: each variant once, as its first plan says it.
    pub(super) fn which_all(&self) -> WhichSection {
        let mut rules: Vec<(Test, WhichView)> = Vec::new();
        for plan in &self.m.plans {
            for pv in &plan.variants {
                if rules
                    .iter()
                    .any(|(_, w)| w.variant == *pv.variant.get_ref())
                {
                    continue;
                }
                rules.extend(self.which_rule(plan, pv.variant.get_ref()));
            }
        }
        self.which_section(rules)
    }

    fn which_rule(&self, plan: &Plan, variant: &str) -> Option<(Test, WhichView)> {
        let m = self.m;
        let v = m.variant(variant)?;
        let test = self.which_test(variant);
        let rule = match test {
            Test::SharedName => {
                let domain = Html::tag(
                    "code",
                    &[],
                    &Html::text(m.provider.shared_certificate_domain.get_ref()),
                );
                self.fill_which("which.shared_certificate", "domain", &domain)
            }
            Test::SslPorts => {
                self.fill_which("which.ssl", "ports", &self.ports_of(plan, v.id.get_ref()))
            }
            // Worded once the rules before it are known.
            Test::Otherwise => Html::default(),
        };
        Some((
            test,
            WhichView {
                variant: v.id.get_ref().clone(),
                name: self.t(&v.name),
                rule,
            },
        ))
    }

    /// The rules in test order, "none of the above" worded for what stands above it. More
    /// than one variant left for "none of the above" cannot be told apart: no rules then.
    fn which_section(&self, mut rules: Vec<(Test, WhichView)>) -> WhichSection {
        rules.sort_by_key(|(test, _)| *test);
        let fallbacks = rules.iter().filter(|(t, _)| *t == Test::Otherwise).count();
        let by_name = rules.iter().any(|(t, _)| *t == Test::SharedName);
        let above = rules.len() - fallbacks;
        let told_apart = fallbacks <= 1 && rules.len() > 1;
        let rules: Vec<WhichView> = match told_apart {
            false => Vec::new(),
            true => rules
                .into_iter()
                .map(|(test, mut w)| {
                    if test == Test::Otherwise {
                        let key = match above {
                            1 => "which.otherwise_one",
                            _ => "which.otherwise",
                        };
                        w.rule = Html::text(self.s(key));
                    }
                    w
                })
                .collect(),
        };
        WhichSection {
            lead: self
                .s(if by_name {
                    "which.lead"
                } else {
                    "which.lead_ports"
                })
                .to_string(),
            ask: rules
                .is_empty()
                .then(|| self.fill_which("which.ask", "contact", &self.contact())),
            rules,
            lost: self.fill_which("which.lost", "contact", &self.contact()),
        }
    }

    fn which_test(&self, variant: &str) -> Test {
        let m = self.m;
        let shared = m.plans.iter().flat_map(|p| &p.variants).any(|pv| {
            pv.variant.get_ref() == variant
                && m.host(pv.host.get_ref())
                    .is_some_and(|h| pattern::uses_shared_certificate(h.pattern.get_ref()))
        });
        if shared {
            Test::SharedName
        } else if m.variant(variant).is_some_and(|v| v.requires_ssl) {
            Test::SslPorts
        } else {
            Test::Otherwise
        }
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
