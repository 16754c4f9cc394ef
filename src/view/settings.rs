//! The settings page's tables: per direction, what is the same for every plan (said once,
//! above the table) and the columns that differ per plan.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{AlsoAccepted, EndpointView, Views};
use crate::html::Html;
use crate::markers::{Field, Marker};
use crate::matrix::Direction;
use crate::resolve::resolve;

/// The user name, said once for every connection (both directions), when they share it.
impl Views<'_> {
    pub(super) fn common_username(&self) -> Option<Html> {
        let all: Vec<EndpointView> = [Direction::Incoming, Direction::Outgoing]
            .into_iter()
            .flat_map(|d| self.connections(d))
            .collect();
        let first = all.first()?;
        all.iter().all(|e| e.username == first.username).then(|| {
            Marker::Common {
                field: Field::Username,
                direction: None,
                value: first.username.clone(),
            }
            .to_html(&first.username_display)
        })
    }
}

/// One direction of the settings page.
#[derive(Debug, Clone, Serialize)]
pub struct DirectionTable {
    /// Values every connection of this direction shares, marked as common.
    pub common: Vec<CommonView>,
    /// The fields that differ, in column order (`security`, `auth`, `port`).
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommonView {
    pub field: String,
    pub value: Html,
    /// For the login method: the others every connection accepts alike (else none).
    pub also_accepted: AlsoAccepted,
}

impl Views<'_> {
    /// Every connection of one direction, over all plans and offered variants.
    fn connections(&self, d: Direction) -> Vec<EndpointView> {
        let m = self.m;
        let mut out = Vec::new();
        for plan in &m.plans {
            for pv in &plan.variants {
                let Ok(r) = resolve(m, plan.id.get_ref(), pv.variant.get_ref(), None) else {
                    continue;
                };
                let list = match d {
                    Direction::Incoming => &r.incoming,
                    Direction::Outgoing => &r.outgoing,
                };
                out.extend(list.iter().map(|e| self.endpoint(&r, e)));
            }
        }
        out
    }

    /// Per direction: what all connections share and what differs.
    pub(super) fn direction_tables(&self) -> BTreeMap<String, DirectionTable> {
        let mut out = BTreeMap::new();
        for d in [Direction::Incoming, Direction::Outgoing] {
            let eps = self.connections(d);
            let mut common = Vec::new();
            let mut columns = Vec::new();
            for field in [Field::Security, Field::Auth] {
                let value = |e: &EndpointView| match field {
                    Field::Security => e.security.clone(),
                    _ => e.auth.clone(),
                };
                let Some(first) = eps.first() else {
                    continue;
                };
                if eps.iter().all(|e| value(e) == value(first)) {
                    let text = match field {
                        Field::Security => &first.security_label,
                        _ => &first.auth_label,
                    };
                    let marker = Marker::Common {
                        field,
                        direction: Some(d.as_str().to_string()),
                        value: value(first),
                    };
                    let also = &first.also_accepted;
                    let shared = field == Field::Auth
                        && eps.iter().all(|e| e.also_accepted.labels == also.labels);
                    let readable = eps.iter().any(|e| e.also_accepted.readable);
                    common.push(CommonView {
                        field: field.as_str().to_string(),
                        value: marker.to_html(text),
                        also_accepted: match shared {
                            true => AlsoAccepted {
                                labels: also.labels.clone(),
                                readable,
                            },
                            false => AlsoAccepted::default(),
                        },
                    });
                } else {
                    columns.push(field.as_str().to_string());
                }
            }
            columns.push(Field::Port.as_str().to_string());
            out.insert(d.as_str().to_string(), DirectionTable { common, columns });
        }
        out
    }
}
