//! Rule 2 — rendered values agree with the data.
//!
//! Every marked value ([`Marker`]) in every generated page is read
//! back and compared with what [`resolve`] and the view give for its
//! plan/variant/direction/protocol, in the page's language:
//!
//! - `host`, `username`: `data-value` is the data's pattern, the text its display form;
//! - `port`: `data-value` and the text are one of the ports of that protocol and
//!   direction in that variant; `port(id)` markers (`data-port`) equal that port's number
//!   and direction;
//! - `security`, `auth`: `data-value` is the canonical id of one of those endpoints, the
//!   text its label in the page's language;
//! - a protocol name ([`Marker::Protocol`]): the protocol of one of
//!   those endpoints, the text its localized name;
//! - `data-port` on a plan's marker (`setting()` writes it where two options of a direction
//!   share a protocol, e.g. SMTP on 587 and 25) names the option by
//!   its port id: host, port, security, auth, username and protocol are compared with
//!   *that* option, not with any option of the protocol;
//! - `available` (`data-variant`): `yes`/`no` as the plan offers the variant, text the
//!   localized `availability.yes`/`availability.no`;
//! - `available` (`data-feature="ssl"`): the plan's SSL support id and its localized label.

use crate::clients::login::answer;
use crate::markers::{Field, Marker, Origin};
use crate::matrix::Matrix;
use crate::resolve::resolve;
use crate::view::{EndpointView, Views};

use super::parse::{describe, text_of, ParsedPage};
use super::{Ctx, Problem, Rule};

/// Returns how many values were compared.
pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Problem>) -> usize {
    let Some(loaded) = &ctx.site.matrix else {
        return 0;
    };
    let m = &loaded.matrix;
    let default_lang = ctx.site.languages()[0].clone();
    let mut count = 0;
    for page in &ctx.pages {
        let lang = page.lang.clone().unwrap_or_else(|| default_lang.clone());
        for el in page.elements() {
            let Some(marker) = Marker::from_element(el.value()) else {
                continue;
            };
            count += 1;
            let checker = Checker {
                ctx,
                m,
                lang: &lang,
                text: text_of(&el),
            };
            if let Err(msg) = marker.and_then(|marker| checker.check(&marker)) {
                out.push(problem(page, &el, msg));
            }
        }
    }
    count
}

fn problem(page: &ParsedPage, el: &scraper::ElementRef<'_>, msg: String) -> Problem {
    Problem::new(
        Rule::Values,
        &page.output,
        page.location(el),
        format!("{}: {msg}", describe(el)),
    )
}

struct Checker<'a> {
    ctx: &'a Ctx<'a>,
    m: &'a Matrix,
    lang: &'a str,
    /// The marked element's text as a reader sees it.
    text: String,
}

impl Checker<'_> {
    fn string(&self, key: &str) -> String {
        self.ctx.site.strings.require(self.lang, key).to_string()
    }

    fn check(&self, marker: &Marker) -> Result<(), String> {
        match marker {
            Marker::Value {
                field,
                origin,
                value,
            } => self.endpoint(field.as_str(), origin, value),
            Marker::Protocol { origin } => self.endpoint("protocol", origin, &origin.protocol),
            Marker::Port {
                id,
                direction,
                number,
            } => self.port_by_id(id, direction.as_deref(), number),
            Marker::Available {
                plan,
                variant,
                offered,
            } => {
                let p = self.plan(plan)?;
                if self.m.variant(variant).is_none() {
                    return Err(format!("variant `{variant}` is not in the data"));
                }
                let id = |yes: bool| if yes { "yes" } else { "no" };
                let expected = id(p.offered(variant).is_some());
                let shown = id(*offered);
                let label = self.string(&format!("availability.{expected}"));
                self.compare(shown, expected, &label)
            }
            Marker::Login {
                origin,
                client,
                edition,
                value,
            } => self.login(origin, client, edition, value),
            // Advice naming a wrong value: rule 7 compares it with the page's values.
            Marker::Wrong { .. } => Ok(()),
            Marker::Common {
                field,
                direction,
                value,
            } => self.common(*field, direction.as_deref(), value),
            Marker::SslSupport { plan, support } => {
                let expected = *self.plan(plan)?.ssl.get_ref();
                let label = self
                    .m
                    .ssl_support_label(expected)
                    .map(|l| l.text(self.m, self.lang))
                    .unwrap_or_default();
                self.compare(support, expected.as_str(), &label)
            }
        }
    }

    /// A guide's login method: what the login answer gives for that client and edition
    /// on that connection.
    fn login(&self, o: &Origin, client: &str, edition: &str, value: &str) -> Result<(), String> {
        let c = self
            .ctx
            .site
            .clients
            .iter()
            .find(|c| c.client.id.get_ref() == client)
            .ok_or_else(|| format!("client `{client}` is not in the data"))?;
        if !c.client.editions.iter().any(|e| e.id.get_ref() == edition) {
            return Err(format!("client `{client}` has no edition `{edition}`"));
        }
        let r = resolve(self.m, &o.plan, &o.variant, None)
            .map_err(|e| format!("does not match the data: {e}"))?;
        let ep = r
            .incoming
            .iter()
            .chain(&r.outgoing)
            .find(|e| {
                e.direction.as_str() == o.direction
                    && e.protocol.as_str() == o.protocol
                    && o.port.as_deref().is_none_or(|p| p == e.port_id)
            })
            .ok_or_else(|| {
                format!(
                    "the data has no {} {} connection in plan `{}`, variant `{}`",
                    o.protocol, o.direction, o.plan, o.variant
                )
            })?;
        let expected = answer(self.m, &c.client, edition, ep).auth().ok_or_else(|| {
            format!("client `{client}` ({edition}) cannot log on to this connection, but the page gives a method")
        })?;
        let label = self
            .m
            .auth_info(expected)
            .map(|a| a.label.text(self.m, self.lang))
            .unwrap_or_default();
        self.compare(value, expected.as_str(), &label)
    }

    /// A value said once for every plan: every connection of that direction has it.
    fn common(&self, field: Field, direction: Option<&str>, value: &str) -> Result<(), String> {
        let view = Views {
            m: self.m,
            strings: &self.ctx.site.strings,
            lang: self.lang,
            clients: &self.ctx.site.clients,
        };
        let mut text = None;
        for plan in &self.m.plans {
            for pv in &plan.variants {
                let r = resolve(self.m, plan.id.get_ref(), pv.variant.get_ref(), None)
                    .map_err(|e| format!("does not match the data: {e}"))?;
                for e in r.incoming.iter().chain(&r.outgoing) {
                    if direction.is_some_and(|d| d != e.direction.as_str()) {
                        continue;
                    }
                    let v = view.endpoint(&r, e);
                    let (have, shown) = match field {
                        Field::Host => (v.host, v.host_display),
                        Field::Port => (v.port.to_string(), v.port.to_string()),
                        Field::Security => (v.security, v.security_label),
                        Field::Auth => (v.auth, v.auth_label),
                        Field::Username => (v.username, v.username_display),
                    };
                    if have != value {
                        return Err(format!(
                            "says every {} connection has {} `{value}`, but plan `{}`, variant `{}` ({}) has `{have}`",
                            direction.unwrap_or("incoming or outgoing"),
                            field.as_str(), r.plan, r.variant, e.protocol.as_str()
                        ));
                    }
                    text.get_or_insert(shown);
                }
            }
        }
        let text = text.ok_or_else(|| "the data has no such connection".to_string())?;
        self.compare(value, value, &text)
    }

    fn plan(&self, id: &str) -> Result<&crate::matrix::Plan, String> {
        self.m
            .plan(id)
            .ok_or_else(|| format!("plan `{id}` is not in the data"))
    }

    fn port_by_id(&self, id: &str, direction: Option<&str>, value: &str) -> Result<(), String> {
        let port = self
            .m
            .port(id)
            .ok_or_else(|| format!("port `{id}` is not in the data"))?;
        if let Some(dir) = direction {
            if dir != port.direction.as_str() {
                return Err(format!(
                    "says direction `{dir}` but port `{id}` is `{}` in the data",
                    port.direction.as_str()
                ));
            }
        }
        let n = port.number.get_ref().to_string();
        self.compare(value, &n, &n)
    }

    fn endpoint(&self, setting: &str, o: &Origin, value: &str) -> Result<(), String> {
        let (plan, variant, direction, protocol) = (&o.plan, &o.variant, &o.direction, &o.protocol);
        let r = resolve(self.m, plan, variant, None)
            .map_err(|e| format!("does not match the data: {e}"))?;
        let eps = match direction.as_str() {
            "incoming" => &r.incoming,
            "outgoing" => &r.outgoing,
            other => {
                return Err(format!(
                    "unknown data-direction `{other}` (incoming, outgoing)"
                ))
            }
        };
        let view = Views {
            clients: &self.ctx.site.clients,
            m: self.m,
            strings: &self.ctx.site.strings,
            lang: self.lang,
        };
        // `data-port` (the port id) names the exact option; without it (a marker made by
        // hand with the contract's attributes only) any option of that protocol matches.
        let port_id = o.port.as_deref();
        let views: Vec<EndpointView> = eps
            .iter()
            .filter(|e| e.protocol.as_str() == protocol)
            .filter(|e| port_id.is_none_or(|id| e.port_id == id))
            .map(|e| view.endpoint(&r, e))
            .collect();
        if views.is_empty() {
            return Err(match port_id {
                Some(id) => format!(
                    "the data has no {protocol} server on port `{id}` for {direction} mail in plan `{plan}`, variant `{variant}`"
                ),
                None => format!(
                    "the data has no {protocol} server for {direction} mail in plan `{plan}`, variant `{variant}`"
                ),
            });
        }
        let pairs: Vec<(String, String)> = views
            .iter()
            .map(|v| match setting {
                "host" => (v.host.clone(), v.host_display.clone()),
                "port" => (v.port.to_string(), v.port.to_string()),
                "security" => (v.security.clone(), v.security_label.clone()),
                "auth" => (v.auth.clone(), v.auth_label.clone()),
                "username" => (v.username.clone(), v.username_display.clone()),
                _ => (v.protocol.clone(), v.protocol_name.clone()),
            })
            .collect();
        let text = &self.text;
        match pairs.iter().find(|(v, _)| v == value) {
            Some((v, t)) => self.compare(value, v, t),
            None => {
                let mut expected: Vec<&str> = pairs.iter().map(|(v, _)| v.as_str()).collect();
                expected.dedup();
                Err(format!(
                    "shows {setting} `{value}` (text `{text}`) but the data gives {} for {protocol} {direction} in plan `{plan}`, variant `{variant}`",
                    expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(" or ")
                ))
            }
        }
    }

    fn compare(
        &self,
        value: &str,
        expected_value: &str,
        expected_text: &str,
    ) -> Result<(), String> {
        compare(value, &self.text, expected_value, expected_text, self.lang)
    }
}

fn compare(
    value: &str,
    text: &str,
    expected_value: &str,
    expected_text: &str,
    lang: &str,
) -> Result<(), String> {
    if value != expected_value {
        return Err(format!(
            "data-value is `{value}` but the data gives `{expected_value}`"
        ));
    }
    let expected_text = &super::parse::collapse(expected_text);
    if text != expected_text {
        return Err(format!(
            "shows `{text}` but the data gives `{expected_text}` (language `{lang}`)"
        ));
    }
    Ok(())
}
