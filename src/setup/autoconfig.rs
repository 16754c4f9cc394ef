//! Thunderbird autoconfig (`config-v1.1.xml`) for one plan and variant.
//!
//! Without an address the file serves every customer of that plan and variant: host and
//! user name use Thunderbird's placeholders (`%EMAILDOMAIN%`, `%EMAILADDRESS%`), and
//! `<domain>` names the provider's domain, since one static file answers for every customer
//! domain. A host pattern Thunderbird's placeholders cannot express (`{stem}`, the domain
//! without its public suffix) has no such file: [`config`] says so, and the file is made per
//! address instead. Servers come in resolve's order: the recommended option of each
//! direction first (Thunderbird's default), the alternatives after it.

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use super::AuthChoice;
use crate::matrix::{Auth, Matrix, Security};
use crate::pattern;
use crate::resolve::{Endpoint, Resolution};

/// Thunderbird's word for a login mechanism (`<authentication>`).
pub fn thunderbird_auth(auth: Auth) -> &'static str {
    match auth {
        // Thunderbird's "Encrypted password" is CRAM-MD5.
        Auth::EncryptedPassword => "password-encrypted",
        Auth::Password => "password-cleartext",
        Auth::None => "none",
    }
}

/// Thunderbird's `<socketType>`.
pub fn socket_type(security: Security) -> &'static str {
    match security {
        Security::None => "plain",
        Security::Starttls => "STARTTLS",
        Security::SslTls => "SSL",
    }
}

/// A host pattern Thunderbird's placeholders cannot express.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotExpressible {
    /// The pattern, e.g. `{stem}.neoworks.jp`.
    pub pattern: String,
}

impl std::fmt::Display for NotExpressible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the host `{}` cannot be written with Thunderbird's placeholders (%EMAILADDRESS%, %EMAILLOCALPART%, %EMAILDOMAIN%); make the file for an address",
            self.pattern
        )
    }
}

/// A pattern (`mail.{domain}`) in Thunderbird's placeholders (`mail.%EMAILDOMAIN%`).
fn placeholders(p: &str) -> Result<String, NotExpressible> {
    let out = pattern::substitute(p, |name| match name {
        "address" => Some("%EMAILADDRESS%"),
        "domain" => Some("%EMAILDOMAIN%"),
        _ => None,
    });
    if out.contains('{') {
        return Err(NotExpressible {
            pattern: p.to_string(),
        });
    }
    Ok(out)
}

/// One server of the file: the endpoint, with host and user name as the file writes them.
struct Server<'a> {
    e: &'a Endpoint,
    host: String,
    username: String,
}

fn servers<'a>(r: &Resolution, list: &'a [Endpoint]) -> Result<Vec<Server<'a>>, NotExpressible> {
    list.iter()
        .map(|e| {
            let (host, username) = match r.address {
                Some(_) => (e.host.clone(), e.username.clone()),
                None => (placeholders(&e.host)?, placeholders(&e.username)?),
            };
            Ok(Server { e, host, username })
        })
        .collect()
}

/// Whether a resolution made without an address has a file for every customer: `Err`
/// when Thunderbird's placeholders cannot express a host or user name.
pub fn expressible(r: &Resolution) -> Result<(), NotExpressible> {
    servers(r, &r.incoming)?;
    servers(r, &r.outgoing)?;
    Ok(())
}

/// The file for one resolution: with placeholders when it was resolved without an address,
/// concrete values when with one. `lang` is the language of the names Thunderbird shows.
pub fn config(
    m: &Matrix,
    r: &Resolution,
    lang: &str,
    auth: AuthChoice<'_>,
) -> Result<String, NotExpressible> {
    let incoming = servers(r, &r.incoming)?;
    let outgoing = servers(r, &r.outgoing)?;
    let provider = m.provider.shared_certificate_domain.get_ref();
    let domain = match &r.address {
        Some(a) => a
            .rsplit_once('@')
            .map_or(a.as_str(), |(_, d)| d)
            .to_string(),
        None => provider.clone(),
    };
    let plan = m.plan(&r.plan).expect("resolved plan");
    let out = super::xml_document(|w| {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element("clientConfig")
            .with_attribute(("version", "1.1"))
            .write_inner_content(|w| {
                w.create_element("emailProvider")
                    .with_attribute(("id", provider.as_str()))
                    .write_inner_content(|w| {
                        text(w, "domain", &domain)?;
                        text(w, "displayName", &super::title(m, r, lang))?;
                        text(w, "displayShortName", &plan.name.text(m, lang))?;
                        for s in &incoming {
                            server(w, "incomingServer", s, auth)?;
                        }
                        for s in &outgoing {
                            server(w, "outgoingServer", s, auth)?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    });
    Ok(out)
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn server(
    w: &mut Writer<Vec<u8>>,
    element: &str,
    s: &Server<'_>,
    auth: AuthChoice<'_>,
) -> std::io::Result<()> {
    w.create_element(element)
        .with_attribute(("type", s.e.protocol.as_str()))
        .write_inner_content(|w| {
            text(w, "hostname", &s.host)?;
            text(w, "port", &s.e.port.to_string())?;
            text(w, "socketType", socket_type(s.e.security))?;
            text(
                w,
                "authentication",
                thunderbird_auth(auth.for_endpoint(s.e)),
            )?;
            text(w, "username", &s.username)
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_become_thunderbird_placeholders() {
        assert_eq!(placeholders("mail.{domain}").unwrap(), "mail.%EMAILDOMAIN%");
        assert_eq!(placeholders("{address}").unwrap(), "%EMAILADDRESS%");
        assert_eq!(
            placeholders("{stem}.neoworks.jp").unwrap_err().pattern,
            "{stem}.neoworks.jp"
        );
    }
}
