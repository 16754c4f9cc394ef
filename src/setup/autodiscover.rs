//! Outlook Autodiscover ("POX") response for one address, plan and variant.
//!
//! The response echoes the address as `LoginName`, so it is made per request: a server
//! that answers Outlook's POST runs this (or `mailsite autodiscover`); a static file cannot.
//! One `<Protocol>` per protocol type — the recommended option of each, as Outlook takes
//! one server per type — POP3 or IMAP first as the data recommends, then SMTP. Every
//! switch whose default would be wrong is written: `<SPA>off</SPA>` (SPA is NTLM, which
//! these servers do not do; its default is on), `<SSL>` and `<Encryption>` (which
//! overrides `<SSL>`). The namespaces are the `http://` ones real clients and servers use.

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use super::AuthChoice;
use crate::matrix::{Auth, Protocol, Security};
use crate::resolve::{Endpoint, Resolution};

pub const RESPONSE_NS: &str =
    "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
pub const OUTLOOK_NS: &str =
    "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

/// `<SPA>`: Outlook's "Secure Password Authentication" is NTLM, which no login mechanism
/// of the matrix is; encrypted password (CRAM-MD5) has no Autodiscover word, so Outlook
/// logs in with a normal password.
pub fn spa(auth: Auth) -> &'static str {
    match auth {
        Auth::EncryptedPassword | Auth::Password | Auth::None => "off",
    }
}

/// `<AuthRequired>`.
pub fn auth_required(auth: Auth) -> &'static str {
    match auth {
        Auth::None => "off",
        Auth::EncryptedPassword | Auth::Password => "on",
    }
}

/// `<SSL>` and `<Encryption>`.
pub fn encryption(security: Security) -> (&'static str, &'static str) {
    match security {
        Security::None => ("off", "None"),
        Security::Starttls => ("on", "TLS"),
        Security::SslTls => ("on", "SSL"),
    }
}

fn protocol_type(p: Protocol) -> &'static str {
    match p {
        Protocol::Pop3 => "POP3",
        Protocol::Imap => "IMAP",
        Protocol::Smtp => "SMTP",
    }
}

/// The first option of each protocol, incoming before outgoing.
pub fn chosen(r: &Resolution) -> Vec<&Endpoint> {
    let mut out: Vec<&Endpoint> = Vec::new();
    for e in r.incoming.iter().chain(&r.outgoing) {
        if !out.iter().any(|x| x.protocol == e.protocol) {
            out.push(e);
        }
    }
    out
}

/// The response XML for a resolution made with an address.
pub fn response(r: &Resolution, auth: AuthChoice<'_>) -> String {
    let out = super::xml_document(|w| {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        w.create_element("Autodiscover")
            .with_attribute(("xmlns", RESPONSE_NS))
            .write_inner_content(|w| {
                w.create_element("Response")
                    .with_attribute(("xmlns", OUTLOOK_NS))
                    .write_inner_content(|w| {
                        w.create_element("Account").write_inner_content(|w| {
                            text(w, "AccountType", "email")?;
                            text(w, "Action", "settings")?;
                            let chosen = chosen(r);
                            let login = chosen.first().map(|e| e.username.as_str());
                            for e in &chosen {
                                let same_login = login == Some(e.username.as_str());
                                protocol(w, e, auth, same_login)?;
                            }
                            Ok(())
                        })?;
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    });
    out
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

/// One `<Protocol>`; `same_login`: its user name is the incoming server's.
fn protocol(
    w: &mut Writer<Vec<u8>>,
    e: &Endpoint,
    auth: AuthChoice<'_>,
    same_login: bool,
) -> std::io::Result<()> {
    let a = auth.for_endpoint(e);
    let (ssl, enc) = encryption(e.security);
    w.create_element("Protocol").write_inner_content(|w| {
        text(w, "Type", protocol_type(e.protocol))?;
        text(w, "Server", &e.host)?;
        text(w, "Port", &e.port.to_string())?;
        text(w, "LoginName", &e.username)?;
        text(w, "DomainRequired", "off")?;
        text(w, "SPA", spa(a))?;
        text(w, "SSL", ssl)?;
        text(w, "Encryption", enc)?;
        text(w, "AuthRequired", auth_required(a))?;
        if e.protocol == Protocol::Smtp {
            // Sending logs in itself (SMTP AUTH), with the incoming login when the data
            // gives the same user name; never POP before SMTP.
            text(w, "UsePOPAuth", if same_login { "on" } else { "off" })?;
            text(w, "SMTPLast", "off")?;
        }
        Ok(())
    })?;
    Ok(())
}
