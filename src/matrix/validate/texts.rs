//! Every localized text of the matrix in every language, with its `{port:ID}` references.

use super::Ctx;
use crate::matrix::schema::*;

/// Every localized text of the matrix, named as a docs writer would look for it.
pub(super) fn check(c: &mut Ctx, m: &MatrixData) {
    c.localized("meta.disclaimer", &m.meta.disclaimer);
    c.localized("provider.name", &m.provider.name);
    c.localized("placeholders.address", &m.placeholders.address);
    c.localized("placeholders.domain", &m.placeholders.domain);
    c.localized("placeholders.stem", &m.placeholders.stem);
    for r in &m.related_manuals {
        c.localized(
            &format!("related manual `{}` label", r.id.get_ref()),
            &r.label,
        );
        if let Some(url) = &r.url {
            c.url(&format!("related manual `{}` url", r.id.get_ref()), url);
        }
    }
    for p in &m.protocols {
        let id = p.id.get_ref().as_str();
        c.localized(&format!("protocol `{id}` name"), &p.name);
        c.localized(&format!("protocol `{id}` summary"), &p.summary);
    }
    for s in &m.security {
        c.localized(
            &format!("security `{}` label", s.id.get_ref().as_str()),
            &s.label,
        );
    }
    for a in &m.auth {
        let id = a.id.get_ref().as_str();
        c.localized(&format!("auth `{id}` label"), &a.label);
        c.localized(&format!("auth `{id}` summary"), &a.summary);
    }
    for s in &m.ssl_support {
        c.localized(
            &format!("ssl_support `{}` label", s.id.get_ref().as_str()),
            &s.label,
        );
    }
    for p in &m.ports {
        c.localized(&format!("port `{}` label", p.id.get_ref()), &p.label);
    }
    for w in &m.warnings {
        c.localized(&format!("warning `{}` title", w.id.get_ref()), &w.title);
        c.localized(&format!("warning `{}` text", w.id.get_ref()), &w.text);
    }
    for h in &m.hosts {
        if let Some(note) = &h.note {
            c.localized(&format!("host `{}` note", h.id.get_ref()), note);
        }
    }
    c.localized("account.note", &m.account.note);
    offers(c, m);
}

/// The texts of variants, plans and what they offer.
fn offers(c: &mut Ctx, m: &MatrixData) {
    for v in &m.variants {
        c.localized(&format!("variant `{}` name", v.id.get_ref()), &v.name);
        c.localized(&format!("variant `{}` summary", v.id.get_ref()), &v.summary);
    }
    for p in &m.plans {
        c.localized(&format!("plan `{}` group", p.id.get_ref()), &p.group);
        c.localized(&format!("plan `{}` name", p.id.get_ref()), &p.name);
        for u in &p.unavailable {
            c.localized(
                &format!("plan `{}` unavailable reason", p.id.get_ref()),
                &u.reason,
            );
        }
    }
    c.localized("ssl.why", &m.ssl.why);
    c.localized("ssl.multiple_domains", &m.ssl.multiple_domains);
    for o in &m.certificate_options {
        c.localized(
            &format!("certificate option `{}` title", o.id.get_ref()),
            &o.title,
        );
        c.localized(
            &format!("certificate option `{}` text", o.id.get_ref()),
            &o.text,
        );
        if let Some(n) = &o.paid_note {
            c.localized(
                &format!("certificate option `{}` paid_note", o.id.get_ref()),
                n,
            );
        }
    }
    for s in &m.sending_auth {
        c.localized(
            &format!("sending authentication `{}` name", s.id.get_ref()),
            &s.name,
        );
        c.localized(
            &format!("sending authentication `{}` text", s.id.get_ref()),
            &s.text,
        );
    }
}
