//! The marker contract: how a page says where a value came from.
//!
//! Every value from the settings matrix is printed inside an element whose `data-*`
//! attributes name its origin (`data-setting="port" data-plan=… data-value="995"`), so
//! `mailsite check` and the tests can read the page back and compare it with the data.
//! This module is the only place that writes or reads those attributes: the renderer's
//! template functions call [`Marker::to_html`], `check` calls [`Marker::from_element`].

use scraper::node::Element;

use crate::html::Html;

/// The contract's `data-setting` values for one server option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Host,
    Port,
    Security,
    Auth,
    Username,
}

impl Field {
    pub const ALL: [Field; 5] = [
        Field::Host,
        Field::Port,
        Field::Security,
        Field::Auth,
        Field::Username,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Host => "host",
            Field::Port => "port",
            Field::Security => "security",
            Field::Auth => "auth",
            Field::Username => "username",
        }
    }

    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// One server option of one plan and variant: where a value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub plan: String,
    pub variant: String,
    pub direction: String,
    pub protocol: String,
    /// The port id, which names the exact option. Markers written by hand with the
    /// contract's attributes only may lack it; then any option of the protocol matches.
    pub port: Option<String>,
}

/// A marked value, as written into a page and read back from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    /// A value of one server option: `setting(ep, "port")`.
    Value {
        field: Field,
        origin: Origin,
        value: String,
    },
    /// The protocol of one server option (it names a row; it is not one of the contract's
    /// settings, so it carries no `data-setting`, but `check` reads it too).
    Protocol { origin: Origin },
    /// A port by its id, in prose: `port("pop3-ssl")`.
    Port {
        id: String,
        direction: Option<String>,
        number: String,
    },
    /// Whether a plan offers a variant: `available(plan, variant)`.
    Available {
        plan: String,
        variant: String,
        offered: bool,
    },
    /// A plan's SSL support: `ssl_support(plan)`.
    SslSupport { plan: String, support: String },
    /// The login method a client guide tells one edition of a client to choose on a
    /// connection: computed from what the server accepts and what the client sends.
    Login {
        origin: Origin,
        client: String,
        edition: String,
        value: String,
    },
    /// A value every connection of one direction shares, said once: `check` proves every
    /// connection of the data has it.
    Common {
        field: Field,
        /// `None`: every connection, both directions.
        direction: Option<String>,
        value: String,
    },
    /// A value advice names as wrong ("…is set to STARTTLS"): never the page's right value.
    Wrong {
        setting: String,
        direction: String,
        protocol: String,
        value: String,
    },
}

const SETTING: &str = "data-setting";
const WRONG: &str = "data-wrong";

/// The marker attributes in the order messages list them.
pub const ATTRIBUTE_ORDER: [&str; 12] = [
    SETTING,
    WRONG,
    "data-plan",
    "data-variant",
    "data-direction",
    "data-protocol",
    "data-port",
    "data-feature",
    "data-client",
    "data-edition",
    "data-scope",
    "data-value",
];

/// A `data-setting` marker: the setting, its context, then the value.
fn setting(
    field: &str,
    extra: Vec<(&'static str, String)>,
    value: &str,
) -> (String, Vec<(&'static str, String)>) {
    let mut attrs = vec![(SETTING, field.to_string())];
    attrs.extend(extra);
    attrs.push(("data-value", value.to_string()));
    (String::new(), attrs)
}

/// Where a value of one connection comes from, as attributes.
fn origin_attrs(o: &Origin) -> Vec<(&'static str, String)> {
    let mut attrs = vec![
        ("data-plan", o.plan.clone()),
        ("data-variant", o.variant.clone()),
        ("data-direction", o.direction.clone()),
        ("data-protocol", o.protocol.clone()),
    ];
    if let Some(p) = &o.port {
        attrs.push(("data-port", p.clone()));
    }
    attrs
}

impl Marker {
    /// The marked element with `text` (escaped) as its content.
    pub fn to_html(&self, text: &str) -> Html {
        let (class, attrs) = self.attributes();
        // Markers are found by their attributes; a class only where pages style the value.
        let mut all: Vec<(&str, &str)> = Vec::new();
        if !class.is_empty() {
            all.push(("class", class.as_str()));
        }
        all.extend(attrs.iter().map(|(k, v)| (*k, v.as_str())));
        Html::tag("span", &all, &Html::text(text))
    }

    /// The element's class and marker attributes, in the order they are written.
    fn attributes(&self) -> (String, Vec<(&'static str, String)>) {
        match self {
            Marker::Value {
                field,
                origin,
                value,
            } => setting(field.as_str(), origin_attrs(origin), value),
            Marker::Protocol { origin } => (String::new(), origin_attrs(origin)),
            Marker::Port {
                id,
                direction,
                number,
            } => {
                let mut extra = vec![("data-port", id.clone())];
                extra.extend(direction.iter().map(|d| ("data-direction", d.clone())));
                setting("port", extra, number)
            }
            Marker::Available {
                plan,
                variant,
                offered,
            } => {
                let yes = if *offered { "yes" } else { "no" };
                let extra = vec![
                    ("data-plan", plan.clone()),
                    ("data-variant", variant.clone()),
                ];
                let (_, attrs) = setting("available", extra, yes);
                (format!("availability availability-{yes}"), attrs)
            }
            Marker::SslSupport { plan, support } => {
                let extra = vec![("data-plan", plan.clone()), ("data-feature", "ssl".into())];
                let (_, attrs) = setting("available", extra, support);
                ("ssl-support".into(), attrs)
            }
            Marker::Login {
                origin,
                client,
                edition,
                value,
            } => {
                let mut extra = origin_attrs(origin);
                extra.push(("data-client", client.clone()));
                extra.push(("data-edition", edition.clone()));
                setting("auth", extra, value)
            }
            Marker::Common {
                field,
                direction,
                value,
            } => {
                let mut extra: Vec<_> = direction
                    .iter()
                    .map(|d| ("data-direction", d.clone()))
                    .collect();
                extra.push(("data-scope", "all".to_string()));
                setting(field.as_str(), extra, value)
            }
            Marker::Wrong {
                setting,
                direction,
                protocol,
                value,
            } => {
                let attrs = vec![
                    (WRONG, setting.clone()),
                    ("data-direction", direction.clone()),
                    ("data-protocol", protocol.clone()),
                    ("data-value", value.clone()),
                ];
                (String::new(), attrs)
            }
        }
    }

    /// The marker an element carries: `None` when it carries none, an error when its
    /// attributes do not make a marker (a hand-written one with a typo, say).
    pub fn from_element(el: &Element) -> Option<Result<Marker, String>> {
        if let Some(setting) = el.attr(WRONG) {
            return Some(wrong(el, setting));
        }
        let setting = el.attr(SETTING);
        if setting.is_none() && el.attr("data-protocol").is_none() {
            return None;
        }
        Some(read(el, setting))
    }
}

fn attr(el: &Element, name: &str) -> Result<String, String> {
    el.attr(name)
        .map(str::to_string)
        .ok_or_else(|| format!("has no `{name}` attribute, so it cannot be compared with the data"))
}

fn origin(el: &Element) -> Result<Origin, String> {
    Ok(Origin {
        plan: attr(el, "data-plan")?,
        variant: attr(el, "data-variant")?,
        direction: attr(el, "data-direction")?,
        protocol: attr(el, "data-protocol")?,
        port: el.attr("data-port").map(str::to_string),
    })
}

fn wrong(el: &Element, setting: &str) -> Result<Marker, String> {
    Ok(Marker::Wrong {
        setting: setting.to_string(),
        direction: attr(el, "data-direction")?,
        protocol: attr(el, "data-protocol")?,
        value: attr(el, "data-value")?,
    })
}

fn read(el: &Element, setting: Option<&str>) -> Result<Marker, String> {
    let Some(setting) = setting else {
        return Ok(Marker::Protocol {
            origin: origin(el)?,
        });
    };
    let value = attr(el, "data-value")?;
    if setting == "available" {
        let plan = attr(el, "data-plan")?;
        return match el.attr("data-feature") {
            Some("ssl") => Ok(Marker::SslSupport {
                plan,
                support: value,
            }),
            Some(other) => Err(format!("unknown data-feature `{other}` (ssl)")),
            None => Ok(Marker::Available {
                plan,
                variant: attr(el, "data-variant")?,
                offered: match value.as_str() {
                    "yes" => true,
                    "no" => false,
                    other => return Err(format!("data-value is `{other}`, not `yes` or `no`")),
                },
            }),
        };
    }
    let field = Field::parse(setting).ok_or_else(|| {
        format!("unknown data-setting `{setting}` (host, port, security, auth, username, available; a protocol is marked with data-protocol alone)")
    })?;
    if el.attr("data-scope") == Some("all") {
        return Ok(Marker::Common {
            field,
            direction: el.attr("data-direction").map(str::to_string),
            value,
        });
    }
    if field == Field::Auth && el.attr("data-client").is_some() {
        return Ok(Marker::Login {
            origin: origin(el)?,
            client: attr(el, "data-client")?,
            edition: attr(el, "data-edition")?,
            value,
        });
    }
    // `port(id)` in prose: a port by id, not one plan's connection.
    if field == Field::Port && el.attr("data-port").is_some() && el.attr("data-plan").is_none() {
        return Ok(Marker::Port {
            id: attr(el, "data-port")?,
            direction: el.attr("data-direction").map(str::to_string),
            number: value,
        });
    }
    Ok(Marker::Value {
        field,
        origin: origin(el)?,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(m: &Marker) -> Marker {
        let html = m.to_html("shown <text>").into_string();
        let doc = scraper::Html::parse_fragment(&html);
        let el = doc
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
            .find(|e| e.value().name() == "span")
            .unwrap();
        Marker::from_element(el.value()).unwrap().unwrap()
    }

    #[test]
    fn every_marker_reads_back_as_written() {
        let origin = Origin {
            plan: "p".into(),
            variant: "v".into(),
            direction: "incoming".into(),
            protocol: "pop3".into(),
            port: Some("pop3-ssl".into()),
        };
        for m in [
            Marker::Value {
                field: Field::Security,
                origin: origin.clone(),
                value: "ssl-tls".into(),
            },
            Marker::Protocol { origin },
            Marker::Port {
                id: "submission".into(),
                direction: Some("outgoing".into()),
                number: "587".into(),
            },
            Marker::Available {
                plan: "p".into(),
                variant: "ssl".into(),
                offered: false,
            },
            Marker::SslSupport {
                plan: "p".into(),
                support: "with-certificate".into(),
            },
            Marker::Login {
                origin: m_origin(),
                client: "outlook".into(),
                edition: "classic".into(),
                value: "password".into(),
            },
            Marker::Wrong {
                setting: "security".into(),
                direction: "outgoing".into(),
                protocol: "smtp".into(),
                value: "starttls".into(),
            },
            Marker::Common {
                field: Field::Username,
                direction: None,
                value: "{address}".into(),
            },
        ] {
            assert_eq!(round_trip(&m), m);
        }
    }

    #[test]
    fn the_text_is_escaped_and_the_attributes_are_the_contracts() {
        let m = Marker::Value {
            field: Field::Port,
            origin: Origin {
                plan: "shared-standard".into(),
                variant: "plain".into(),
                direction: "incoming".into(),
                protocol: "pop3".into(),
                port: Some("pop3".into()),
            },
            value: "110".into(),
        };
        assert_eq!(
            m.to_html("110").as_str(),
            "<span data-setting=\"port\" data-plan=\"shared-standard\" data-variant=\"plain\" data-direction=\"incoming\" data-protocol=\"pop3\" data-port=\"pop3\" data-value=\"110\">110</span>"
        );
        assert!(Marker::Value {
            field: Field::Host,
            origin: m_origin(),
            value: "\"x".into()
        }
        .to_html("<b>")
        .as_str()
        .contains("data-value=\"&quot;x\">&lt;b&gt;</span>"));
    }

    fn m_origin() -> Origin {
        Origin {
            plan: "p".into(),
            variant: "v".into(),
            direction: "outgoing".into(),
            protocol: "smtp".into(),
            port: None,
        }
    }
}
