//! Client texts as a page shows them: quoted client labels, the manual's names for values,
//! prose with its placeholders filled in, and the marked values themselves.

use super::track::Guide;
use super::{EndpointView, Views};
use crate::clients::*;
use crate::data::{placeholder_refs, Localized};
use crate::html::Html;
use crate::markers::{Field, Marker, Origin};
use crate::matrix::{Auth, Setting};

impl Views<'_> {
    /// The label text with `{host}` shown as code.
    fn label_text(&self, l: &dyn Labelled, host: &str) -> Html {
        let text = Html::text(l.label().map(|t| t.get(self.lang)).unwrap_or(""));
        if !text.contains("{host}") {
            return text;
        }
        text.replace("{host}", &Html::tag("code", &[], &Html::text(host)))
    }

    /// A client label as the page shows it: quoted when exact, plain when a description.
    pub fn label(&self, l: &dyn Labelled, host: &str) -> Html {
        let text = self.label_text(l, host);
        match l.shown_in(self.lang) {
            Shown::Description => Html::tag("span", &[("class", "ui-description")], &text),
            // The quote marks belong to the page's language, the label to the client's.
            shown => {
                let mut quoted = Html::text(self.s("client.quote_open"));
                if shown == Shown::English && self.lang != "en" {
                    quoted.push(&Html::tag("span", &[("lang", "en")], &text));
                } else {
                    quoted.push(&text);
                }
                quoted.push(&Html::text(self.s("client.quote_close")));
                Html::tag("b", &[("class", "ui-label")], &quoted)
            }
        }
    }

    /// A label without quote marks, for the schematic form: still the client's words, so
    /// `check` does not read it as the manual's prose.
    pub(super) fn bare(&self, l: &dyn Labelled) -> Html {
        let text = Html::text(l.label().map(|t| t.get(self.lang)).unwrap_or(""));
        match l.shown_in(self.lang) {
            Shown::Description => Html::tag("span", &[("class", "ui-description")], &text),
            Shown::English if self.lang != "en" => {
                Html::tag("span", &[("class", "ui-label"), ("lang", "en")], &text)
            }
            _ => Html::tag("span", &[("class", "ui-label")], &text),
        }
    }

    /// Whether a label's text reaches the page as is (no description, no foreign-language span).
    pub(super) fn plain(&self, l: &dyn Labelled) -> bool {
        match l.shown_in(self.lang) {
            Shown::Exact => true,
            Shown::English => self.lang == "en",
            Shown::Description => false,
        }
    }

    /// One edition's navigation path, its labels joined.
    fn path(&self, e: &Edition) -> Html {
        let labels: Vec<Html> = e.navigation.iter().map(|n| self.label(n, "")).collect();
        Html::join(&labels, &Html::text(self.s("client.nav_sep")))
    }

    /// The navigation path of the guide's track: one edition's, or each edition's in turn,
    /// named (`iOS 18: 設定 › アプリ › メール; iOS 17: 設定 › メール`).
    pub(super) fn nav(&self, g: &Guide) -> Html {
        let paths: Vec<&Edition> = g
            .editions
            .iter()
            .copied()
            .filter(|e| !e.navigation.is_empty())
            .collect();
        if paths.len() <= 1 {
            return paths.first().map(|e| self.path(e)).unwrap_or_default();
        }
        let parts: Vec<Html> = paths
            .iter()
            .map(|e| {
                let mut part = Html::text(&format!(
                    "{}{}",
                    e.name.get(self.lang),
                    self.s("client.edition_sep")
                ));
                part.push(&self.path(e));
                part
            })
            .collect();
        Html::join(&parts, &Html::text(self.s("client.editions_sep")))
    }

    /// The manual's name for a value, in its quote marks (plain text).
    pub(super) fn value_name(&self, setting: Setting, value: &str) -> Option<String> {
        let name = self.m.value_label(setting, value)?;
        Some(format!(
            "{}{}{}",
            self.s("client.value_open"),
            name.get(self.lang),
            self.s("client.value_close")
        ))
    }

    /// A text with every `{value:SETTING:VALUE}` replaced by the matrix's name for that
    /// value in this language, in the manual's quote marks (plain text, not yet escaped).
    pub(super) fn value_names(&self, text: &str) -> String {
        let mut out = text.to_string();
        for arg in placeholder_refs(text, "value") {
            let Some((setting, value)) = arg.split_once(':') else {
                continue;
            };
            if let Some(name) = Setting::parse(setting).and_then(|s| self.value_name(s, value)) {
                out = out.replace(&format!("{{value:{arg}}}"), &name);
            }
        }
        out
    }

    /// Prose: escaped, with `{value:…}`, `{label:ID}`, `{nav}`, `{host}` and `{contact}`
    /// rendered, and `{wrong}` as given (the marked wrong value of an advice item).
    pub(super) fn prose_with(&self, g: &Guide, text: &Localized, wrong: Option<&Html>) -> Html {
        let raw = text.get(self.lang);
        // Every placeholder starts with `{`; most texts have none.
        if !raw.contains('{') {
            return Html::text(raw);
        }
        let mut out = Html::text(&self.value_names(raw));
        for id in placeholder_refs(raw, "label") {
            if let Some(l) = g.c.labelled(id) {
                out = out.replace(&format!("{{label:{id}}}"), &self.label(l, g.host));
            }
        }
        // Most texts name none of these; building them for every text costs.
        if out.contains("{nav}") {
            out = out.replace("{nav}", &self.nav(g));
        }
        if out.contains("{host}") {
            out = out.replace("{host}", &Html::tag("code", &[], &Html::text(g.host)));
        }
        if out.contains("{contact}") {
            out = out.replace("{contact}", &self.contact());
        }
        if let Some(w) = wrong {
            out = out.replace("{wrong}", w);
        }
        out
    }

    pub(super) fn prose(&self, g: &Guide, text: &Localized) -> Html {
        self.prose_with(g, text, None)
    }

    /// The provider's support contact, linked: its page, else its phone number.
    pub fn contact(&self) -> Html {
        let Some(support) = &self.m.provider.support else {
            return Html::default();
        };
        let s = support.get_ref();
        let name = Html::text(s.name.get(self.lang));
        if let Some(url) = &s.url {
            return Html::tag("a", &[("href", url.get_ref())], &name);
        }
        let Some(phone) = &s.phone else {
            return name;
        };
        let digits: String = phone
            .get_ref()
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        let mut out = name;
        out.push(&Html::text(self.s("punct.paren_open")));
        out.push(&Html::tag(
            "a",
            &[("href", &format!("tel:{digits}"))],
            &Html::text(phone.get_ref()),
        ));
        out.push(&Html::text(self.s("punct.paren_close")));
        out
    }

    fn origin(ep: &EndpointView) -> Origin {
        Origin {
            plan: ep.plan.clone(),
            variant: ep.variant.clone(),
            direction: ep.direction.clone(),
            protocol: ep.protocol.clone(),
            port: ep.shares_protocol.then(|| ep.port_id.clone()),
        }
    }

    /// A value of a connection, marked: what `setting(ep, field)` prints in templates.
    pub(super) fn marker(&self, ep: &EndpointView, field: Field) -> Html {
        let (text, value) = match field {
            Field::Host => (&ep.host_display, &ep.host),
            Field::Port => (&ep.port.to_string(), &ep.port.to_string()),
            Field::Security => (&ep.security_label, &ep.security),
            Field::Auth => (&ep.auth_label, &ep.auth),
            Field::Username => (&ep.username_display, &ep.username),
        };
        let marker = Marker::Value {
            field,
            origin: Self::origin(ep),
            value: value.clone(),
        };
        marker.to_html(text)
    }

    /// The connection's protocol name, marked.
    pub(super) fn protocol_marker(&self, ep: &EndpointView) -> Html {
        Marker::Protocol {
            origin: Self::origin(ep),
        }
        .to_html(&ep.protocol_name)
    }

    /// The login method a guide tells one edition of a client to choose, marked with the
    /// client and edition, so `check` can recompute the answer.
    pub(super) fn login_marker(&self, g: &Guide, ep: &EndpointView, auth: Auth) -> Html {
        let label = self
            .m
            .auth_info(auth)
            .map(|a| self.t(&a.label))
            .unwrap_or_default();
        Marker::Login {
            origin: Self::origin(ep),
            client: g.c.id.get_ref().clone(),
            edition: g.scope.edition.to_string(),
            value: auth.as_str().to_string(),
        }
        .to_html(&label)
    }
}
