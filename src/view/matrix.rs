//! The matrix as templates see it: one language, labels filled in, resolved settings.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{DirectionTable, EndpointView, Views, WarningView, WhichSection};
use crate::address::Address;
use crate::data::Id;
use crate::html::Html;
use crate::matrix::{CertificateOption, Direction, Plan, Port, ProtocolInfo, Variant};
use crate::pattern::{self, Form};
use crate::resolve::{resolve, HostInfo};

#[derive(Debug, Clone, Serialize)]
pub struct DataView {
    pub meta: MetaView,
    pub provider: ProviderView,
    pub related_manuals: Vec<RelatedView>,
    pub protocols: Vec<ProtocolView>,
    /// The protocols mail is received with (POP3, IMAP), in the data's order.
    pub receiving: Vec<ProtocolView>,
    /// Per direction, the warnings of its server options (e.g. that IMAP has no SSL).
    pub server_warnings: BTreeMap<String, Vec<WarningView>>,
    pub security: Vec<LabelView>,
    pub auth: Vec<AuthView>,
    pub ports: Vec<PortView>,
    pub warnings: BTreeMap<String, WarningView>,
    pub account: AccountView,
    pub variants: Vec<VariantInfoView>,
    pub plans: Vec<PlanView>,
    /// The plans by their group, groups in the order the data first names them (a group's
    /// plans need not stand together in the data).
    pub plan_groups: Vec<PlanGroupView>,
    pub ssl: SslView,
    pub certificate_options: Vec<CertificateOptionView>,
    pub sending_auth: Vec<SendingAuthView>,
    /// Per direction: what every plan shares and the columns that differ (settings page).
    pub tables: BTreeMap<String, DirectionTable>,
    /// How to tell the variants apart in the notice, over every plan.
    pub which: WhichSection,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetaView {
    pub created: String,
    pub updated: String,
    pub created_display: String,
    pub updated_display: String,
    pub disclaimer: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProviderView {
    pub name: String,
    pub shared_certificate_domain: String,
    pub example_address: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelatedView {
    pub id: String,
    pub label: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProtocolView {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub recommended: bool,
    pub warnings: Vec<WarningView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LabelView {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuthView {
    pub id: String,
    pub label: String,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PortView {
    pub id: String,
    pub number: i64,
    pub direction: String,
    pub label: String,
    pub warnings: Vec<WarningView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountView {
    pub username: String,
    pub username_display: String,
    /// The user name of every connection, marked, when they all share it.
    pub common: Option<Html>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct VariantInfoView {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub requires_ssl: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub id: String,
    pub group: String,
    pub name: String,
    pub ssl: LabelView,
    pub variants: Vec<VariantView>,
    pub unavailable: Vec<UnavailableView>,
    /// How to tell its variants apart in the mail settings notice.
    pub which: WhichSection,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanGroupView {
    pub name: String,
    pub plans: Vec<PlanView>,
}

/// `plans` by group, in the order of each group's first plan.
fn plan_groups(plans: &[PlanView]) -> Vec<PlanGroupView> {
    let mut groups: Vec<PlanGroupView> = Vec::new();
    for plan in plans {
        match groups.iter_mut().find(|g| g.name == plan.group) {
            Some(group) => group.plans.push(plan.clone()),
            None => groups.push(PlanGroupView {
                name: plan.group.clone(),
                plans: vec![plan.clone()],
            }),
        }
    }
    groups
}

#[derive(Debug, Clone, Serialize)]
pub struct UnavailableView {
    pub id: String,
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct VariantView {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub requires_ssl: bool,
    pub host: HostView,
    /// The host is a name under the provider's shared-certificate domain.
    pub shared_certificate: bool,
    pub incoming: Vec<EndpointView>,
    pub outgoing: Vec<EndpointView>,
    pub warnings: Vec<WarningView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HostView {
    pub pattern: String,
    pub display: String,
    pub from_notice: bool,
    pub note: Option<String>,
    pub alternatives: Vec<PatternText>,
    pub example_address: String,
    pub example_host: String,
}

/// A name pattern as people read it (`mail.ドメイン名`), with the pattern itself, which the
/// page's script fills in once the reader has given an address.
#[derive(Debug, Clone, Serialize)]
pub struct PatternText {
    pub pattern: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SslView {
    pub why: String,
    pub multiple_domains: String,
    /// Per plan, in plan order.
    pub support: Vec<SslSupportView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SslSupportView {
    pub plan: String,
    pub plan_name: String,
    pub plan_group: String,
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CertificateOptionView {
    pub id: String,
    pub variant: String,
    pub plans: Vec<String>,
    pub title: String,
    pub text: String,
    pub paid: bool,
    pub paid_note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SendingAuthView {
    pub id: String,
    pub offered: String,
    pub name: String,
    pub text: String,
}

impl Views<'_> {
    fn variant(&self, plan_id: &str, variant_id: &str) -> VariantView {
        let m = self.m;
        let r = resolve(m, plan_id, variant_id, None).expect("plan variant from the data");
        let info = m.variant(variant_id).expect("validated variant");
        VariantView {
            id: variant_id.to_string(),
            name: self.t(&info.name),
            summary: self.t(&info.summary),
            requires_ssl: info.requires_ssl,
            host: self.host(&r.host),
            shared_certificate: pattern::uses_shared_certificate(
                m.host(&r.host.id)
                    .expect("validated host")
                    .pattern
                    .get_ref(),
            ),
            incoming: r.incoming.iter().map(|e| self.endpoint(&r, e)).collect(),
            outgoing: r.outgoing.iter().map(|e| self.endpoint(&r, e)).collect(),
            warnings: r.warnings.iter().map(|w| self.warning(w)).collect(),
        }
    }

    /// A variant's server name as pages show it (plan pages, settings, guides).
    pub(super) fn host(&self, resolved: &HostInfo) -> HostView {
        let m = self.m;
        let host = m.host(&resolved.id).expect("validated host");
        let example_address = host
            .example_address
            .as_ref()
            .unwrap_or(&m.provider.example_address)
            .get_ref();
        let example = Address::parse(example_address).expect("validated example address");
        let scd = m.provider.shared_certificate_domain.get_ref();
        HostView {
            pattern: resolved.pattern.clone(),
            display: self.display(&resolved.pattern),
            from_notice: resolved.from_notice,
            note: host.note.as_ref().map(|n| self.t(n)),
            alternatives: resolved
                .alternatives
                .iter()
                .map(|a| PatternText {
                    pattern: a.clone(),
                    text: self.display(a),
                })
                .collect(),
            example_address: example.unicode(),
            example_host: pattern::fill(host.pattern.get_ref(), &example, scd, Form::Unicode),
        }
    }

    /// The whole matrix in this language.
    pub fn data(&self) -> DataView {
        let m = self.m;
        let protocols: Vec<ProtocolView> = m.protocols.iter().map(|p| self.protocol(p)).collect();
        let plans: Vec<PlanView> = m.plans.iter().map(|p| self.plan(p)).collect();
        DataView {
            meta: self.meta(),
            provider: ProviderView {
                name: self.t(&m.provider.name),
                shared_certificate_domain: m.provider.shared_certificate_domain.get_ref().clone(),
                example_address: m.provider.example_address.get_ref().clone(),
            },
            related_manuals: m
                .related_manuals
                .iter()
                .map(|r| RelatedView {
                    id: r.id.get_ref().clone(),
                    label: self.t(&r.label),
                    url: r.url.as_ref().map(|u| u.get_ref().clone()),
                })
                .collect(),
            receiving: m
                .protocols
                .iter()
                .zip(&protocols)
                .filter(|(p, _)| p.id.get_ref().direction() == Direction::Incoming)
                .map(|(_, v)| v.clone())
                .collect(),
            protocols,
            server_warnings: self.server_warnings(),
            security: m
                .security
                .iter()
                .map(|s| LabelView {
                    id: s.id.get_ref().as_str().to_string(),
                    label: self.t(&s.label),
                })
                .collect(),
            auth: m
                .auth
                .iter()
                .map(|a| AuthView {
                    id: a.id.get_ref().as_str().to_string(),
                    label: self.t(&a.label),
                    summary: self.t(&a.summary),
                })
                .collect(),
            ports: m.ports.iter().map(|p| self.port(p)).collect(),
            warnings: m
                .warnings
                .iter()
                .map(|w| (w.id.get_ref().clone(), self.warning(w.id.get_ref())))
                .collect(),
            account: AccountView {
                username: m.account.username.get_ref().clone(),
                username_display: self.display(m.account.username.get_ref()),
                common: self.common_username(),
                note: self.t(&m.account.note),
            },
            variants: m.variants.iter().map(|v| self.variant_info(v)).collect(),
            plan_groups: plan_groups(&plans),
            plans,
            ssl: self.ssl(),
            certificate_options: m
                .certificate_options
                .iter()
                .map(|o| self.certificate_option(o))
                .collect(),
            sending_auth: m
                .sending_auth
                .iter()
                .map(|s| SendingAuthView {
                    id: s.id.get_ref().clone(),
                    offered: s.offered.as_str().to_string(),
                    name: self.t(&s.name),
                    text: self.t(&s.text),
                })
                .collect(),
            tables: self.direction_tables(),
            which: self.which_all(),
        }
    }

    fn meta(&self) -> MetaView {
        let meta = &self.m.meta;
        MetaView {
            created: meta.created.get_ref().to_string(),
            updated: meta.updated.get_ref().to_string(),
            created_display: self.date(meta.created.get_ref()),
            updated_display: self.date(meta.updated.get_ref()),
            disclaimer: self.t(&meta.disclaimer),
        }
    }

    fn protocol(&self, p: &ProtocolInfo) -> ProtocolView {
        ProtocolView {
            id: p.id.get_ref().as_str().to_string(),
            name: self.t(&p.name),
            summary: self.t(&p.summary),
            recommended: p.recommended,
            warnings: self.warnings(&p.warnings),
        }
    }

    /// Per direction, the warnings of its server options, each once, in the data's order.
    fn server_warnings(&self) -> BTreeMap<String, Vec<WarningView>> {
        let mut out: BTreeMap<String, Vec<WarningView>> = BTreeMap::new();
        for d in [Direction::Incoming, Direction::Outgoing] {
            let mut ids: Vec<&Id> = Vec::new();
            for set in self
                .m
                .servers
                .iter()
                .filter(|s| *s.direction.get_ref() == d)
            {
                for w in &set.warnings {
                    if !ids.iter().any(|x| x.get_ref() == w.get_ref()) {
                        ids.push(w);
                    }
                }
            }
            let views = ids.iter().map(|id| self.warning(id.get_ref())).collect();
            out.insert(d.as_str().to_string(), views);
        }
        out
    }

    fn port(&self, p: &Port) -> PortView {
        PortView {
            id: p.id.get_ref().clone(),
            number: *p.number.get_ref(),
            direction: p.direction.as_str().to_string(),
            label: self.t(&p.label),
            warnings: self.warnings(&p.warnings),
        }
    }

    fn variant_info(&self, v: &Variant) -> VariantInfoView {
        VariantInfoView {
            id: v.id.get_ref().clone(),
            name: self.t(&v.name),
            summary: self.t(&v.summary),
            requires_ssl: v.requires_ssl,
        }
    }

    fn ssl_label(&self, p: &Plan) -> String {
        self.m
            .ssl_support_label(*p.ssl.get_ref())
            .map(|l| self.t(l))
            .unwrap_or_default()
    }

    fn plan(&self, p: &Plan) -> PlanView {
        PlanView {
            id: p.id.get_ref().clone(),
            group: self.t(&p.group),
            name: self.t(&p.name),
            ssl: LabelView {
                id: p.ssl.get_ref().as_str().to_string(),
                label: self.ssl_label(p),
            },
            variants: p
                .variants
                .iter()
                .map(|pv| self.variant(p.id.get_ref(), pv.variant.get_ref()))
                .collect(),
            unavailable: p
                .unavailable
                .iter()
                .map(|u| UnavailableView {
                    id: u.variant.get_ref().clone(),
                    name: self
                        .m
                        .variant(u.variant.get_ref())
                        .map(|v| self.t(&v.name))
                        .unwrap_or_default(),
                    reason: self.t(&u.reason),
                })
                .collect(),
            which: self.which(p),
        }
    }

    fn ssl(&self) -> SslView {
        let m = self.m;
        SslView {
            why: self.t(&m.ssl.why),
            multiple_domains: self.t(&m.ssl.multiple_domains),
            support: m
                .plans
                .iter()
                .map(|p| SslSupportView {
                    plan: p.id.get_ref().clone(),
                    plan_name: self.t(&p.name),
                    plan_group: self.t(&p.group),
                    id: p.ssl.get_ref().as_str().to_string(),
                    label: self.ssl_label(p),
                })
                .collect(),
        }
    }

    fn certificate_option(&self, o: &CertificateOption) -> CertificateOptionView {
        CertificateOptionView {
            id: o.id.get_ref().clone(),
            variant: o.variant.get_ref().clone(),
            plans: o.plans.iter().map(|p| p.get_ref().clone()).collect(),
            title: self.t(&o.title),
            text: self.t(&o.text),
            paid: o.paid,
            paid_note: o.paid_note.as_ref().map(|n| self.t(n)),
        }
    }
}
