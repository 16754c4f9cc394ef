//! The rules of one server set: options, one recommended, ports and protocols of its direction.

use std::collections::BTreeSet;

use super::Ctx;
use crate::matrix::schema::*;

pub(super) fn check(c: &mut Ctx, m: &MatrixData, set: &ServerSet, port_ids: &[&str]) {
    let options = set.options.get_ref();
    if options.is_empty() {
        c.error(
            &set.options,
            format!("server `{}` has no options", set.id.get_ref()),
        );
        return;
    }
    let recommended = options.iter().filter(|o| o.recommended).count();
    if recommended != 1 {
        c.error(
            &set.options,
            format!(
                "server `{}` must mark exactly one option `recommended = true` (found {recommended})",
                set.id.get_ref()
            ),
        );
    }
    // The port id names the option: `data-port` on a page points at exactly one of them.
    let mut seen_ports = BTreeSet::new();
    for opt in options {
        if !seen_ports.insert(opt.port.get_ref().as_str()) {
            c.error(
                &opt.port,
                format!(
                    "server `{}` lists port `{}` twice: each option needs its own port (the port id identifies the option on the pages)",
                    set.id.get_ref(),
                    opt.port.get_ref()
                ),
            );
        }
    }
    for opt in options {
        option(c, m, set, opt, port_ids);
    }
}

/// One option: its protocol and port of the set's direction, its values named in the
/// vocabulary tables.
fn option(c: &mut Ctx, m: &MatrixData, set: &ServerSet, opt: &ServerOption, port_ids: &[&str]) {
    let dir = *set.direction.get_ref();
    let proto = *opt.protocol.get_ref();
    if proto.direction() != dir {
        c.error(
            &opt.protocol,
            format!(
                "protocol `{}` is not {} but server `{}` is",
                proto.as_str(),
                dir.as_str(),
                set.id.get_ref()
            ),
        );
    }
    if m.protocol(proto).is_none() {
        c.error(
            &opt.protocol,
            format!("protocol `{}` has no [[protocols]] entry", proto.as_str()),
        );
    }
    port_security(c, m, opt);
    if m.security_label(*opt.security.get_ref()).is_none() {
        c.error(
            &opt.security,
            format!(
                "security `{}` has no [[security]] entry",
                opt.security.get_ref().as_str()
            ),
        );
    }
    if m.auth_info(*opt.auth.get_ref()).is_none() {
        c.error(
            &opt.auth,
            format!(
                "auth `{}` has no [[auth]] entry",
                opt.auth.get_ref().as_str()
            ),
        );
    }
    if c.reference("port", &opt.port, port_ids) {
        if let Some(port) = m.port(opt.port.get_ref()) {
            if port.direction != dir {
                c.error(
                    &opt.port,
                    format!(
                        "port `{}` is for {} mail",
                        opt.port.get_ref(),
                        port.direction.as_str()
                    ),
                );
            }
        }
    }
}

/// The registered mail ports say how a connection starts (RFC 8314): 465, 993 and 995 with
/// TLS at once (`ssl-tls`); 25, 110, 143 and 587 in the clear, then STARTTLS or nothing.
/// Other numbers are the provider's own and say nothing.
fn port_security(c: &mut Ctx, m: &MatrixData, opt: &ServerOption) {
    let Some(number) = m
        .ports
        .iter()
        .find(|p| p.id.get_ref() == opt.port.get_ref())
        .map(|p| *p.number.get_ref())
    else {
        return;
    };
    let security = *opt.security.get_ref();
    let implicit_tls = match number {
        465 | 993 | 995 => true,
        25 | 110 | 143 | 587 => false,
        _ => return,
    };
    if implicit_tls != (security == Security::SslTls) {
        let expected = if implicit_tls {
            "`ssl-tls` (the connection starts with TLS on this port)"
        } else {
            "`none` or `starttls` (the connection starts unencrypted on this port)"
        };
        c.error(
            &opt.security,
            format!(
                "port {number} with security `{}`: mail clients expect {expected}",
                security.as_str()
            ),
        );
    }
}
