//! Rule 2 — rendered values agree with the data.
//!
//! Every element with a `data-setting` attribute in every generated page is read
//! back and compared with what [`resolve`] and the view give for its
//! plan/variant/direction/protocol, in the page's language:
//!
//! - `host`, `username`: `data-value` is the data's pattern, the text its display form;
//! - `port`: `data-value` and the text are one of the ports of that protocol and
//!   direction in that variant; `port(id)` markers (`data-port`) equal that port's number
//!   and direction;
//! - `security`, `auth`: `data-value` is the canonical id of one of those endpoints, the
//!   text its label in the page's language;
//! - a protocol name (`data-protocol` without `data-setting`): the protocol of one of
//!   those endpoints, the text its localized name;
//! - `data-port` on a plan's marker (every `setting()` marker has it) names the option by
//!   its port id: host, port, security, auth, username and protocol are compared with
//!   *that* option, not with any option of the protocol;
//! - `available` (`data-variant`): `yes`/`no` as the plan offers the variant, text the
//!   localized `availability.yes`/`availability.no`;
//! - `available` (`data-feature="ssl"`): the plan's SSL support id and its localized label.

use crate::matrix::Matrix;
use crate::resolve::resolve;
use crate::view::{EndpointView, ViewBuilder};

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
            let setting = el.value().attr("data-setting");
            // A protocol name (`setting(ep, "protocol")`) names its row with `data-protocol`
            // and no `data-setting`: it is checked like a value.
            let protocol = setting.is_none() && el.value().attr("data-protocol").is_some();
            if setting.is_none() && !protocol {
                continue;
            }
            count += 1;
            let checker = Checker {
                ctx,
                m,
                lang: &lang,
                el: &el,
            };
            let result = match setting {
                Some(setting) => checker.check(setting),
                None => checker.protocol(),
            };
            if let Err(msg) = result {
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
    el: &'a scraper::ElementRef<'a>,
}

impl Checker<'_> {
    fn attr(&self, name: &str) -> Result<&str, String> {
        self.el.value().attr(name).ok_or_else(|| {
            format!("has no `{name}` attribute, so it cannot be compared with the data")
        })
    }

    fn string(&self, key: &str) -> String {
        self.ctx
            .site
            .strings
            .get(self.lang, key)
            .unwrap_or(key)
            .to_string()
    }

    fn check(&self, setting: &str) -> Result<(), String> {
        let text = text_of(self.el);
        let value = self.attr("data-value")?;
        let has = |name| self.el.value().attr(name).is_some();
        match setting {
            "available" => self.available(value, &text),
            // `port(id)` in prose: a port by id, not one plan's connection.
            "port" if has("data-port") && !has("data-plan") => self.port_by_id(value, &text),
            "host" | "port" | "security" | "auth" | "username" => {
                self.endpoint(setting, value, &text)
            }
            other => Err(format!(
                "unknown data-setting `{other}` (host, port, security, auth, username, available; a protocol is marked with data-protocol alone)"
            )),
        }
    }

    /// A protocol name: `data-protocol` is the canonical id, the text its localized name.
    fn protocol(&self) -> Result<(), String> {
        let text = text_of(self.el);
        let value = self.attr("data-protocol")?;
        self.endpoint("protocol", value, &text)
    }

    fn available(&self, value: &str, text: &str) -> Result<(), String> {
        let plan_id = self.attr("data-plan")?;
        let plan = self
            .m
            .plan(plan_id)
            .ok_or_else(|| format!("plan `{plan_id}` is not in the data"))?;
        let (expected_value, expected_text) = if self.el.value().attr("data-feature") == Some("ssl")
        {
            let support = *plan.ssl.get_ref();
            let label = self
                .m
                .ssl_support_label(support)
                .map(|l| l.text(self.m, self.lang))
                .unwrap_or_default();
            (support.as_str().to_string(), label)
        } else if let Some(feature) = self.el.value().attr("data-feature") {
            return Err(format!("unknown data-feature `{feature}` (ssl)"));
        } else {
            let variant = self.attr("data-variant")?;
            if self.m.variant(variant).is_none() {
                return Err(format!("variant `{variant}` is not in the data"));
            }
            let yes = plan.offered(variant).is_some();
            let id = if yes { "yes" } else { "no" };
            (id.to_string(), self.string(&format!("availability.{id}")))
        };
        compare(value, text, &expected_value, &expected_text, self.lang)
    }

    fn port_by_id(&self, value: &str, text: &str) -> Result<(), String> {
        let id = self.attr("data-port")?;
        let port = self
            .m
            .port(id)
            .ok_or_else(|| format!("port `{id}` is not in the data"))?;
        if let Some(dir) = self.el.value().attr("data-direction") {
            if dir != port.direction.as_str() {
                return Err(format!(
                    "says direction `{dir}` but port `{id}` is `{}` in the data",
                    port.direction.as_str()
                ));
            }
        }
        let n = port.number.get_ref().to_string();
        compare(value, text, &n, &n, self.lang)
    }

    fn endpoint(&self, setting: &str, value: &str, text: &str) -> Result<(), String> {
        let plan = self.attr("data-plan")?;
        let variant = self.attr("data-variant")?;
        let direction = self.attr("data-direction")?;
        let protocol = self.attr("data-protocol")?;
        let r = resolve(self.m, plan, variant, None)
            .map_err(|e| format!("does not match the data: {e}"))?;
        let eps = match direction {
            "incoming" => &r.incoming,
            "outgoing" => &r.outgoing,
            other => {
                return Err(format!(
                    "unknown data-direction `{other}` (incoming, outgoing)"
                ))
            }
        };
        let view = ViewBuilder {
            m: self.m,
            strings: &self.ctx.site.strings,
            lang: self.lang,
        };
        // `data-port` (the port id) names the exact option; without it (a marker made by
        // hand with the contract's attributes only) any option of that protocol matches.
        let port_id = self.el.value().attr("data-port");
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
        match pairs.iter().find(|(v, _)| v == value) {
            Some((v, t)) => compare(value, text, v, t, self.lang),
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
