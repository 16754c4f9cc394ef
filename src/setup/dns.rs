//! DNS SRV records (RFC 6186, `_submissions` from RFC 8314) a provider may publish in a
//! customer's zone, one per server option of a plan and variant.
//!
//! Few mail clients look them up (Thunderbird, iOS Mail and Outlook do not), so they
//! complement the other setup files rather than replace them. Priorities follow the data:
//! the recommended option of each direction gets 0, each alternative 10 more, so a client
//! that compares POP3 and IMAP records picks what the manual recommends.

use serde::Serialize;

use crate::matrix::{Direction, Protocol, Security};
use crate::resolve::{Endpoint, Resolution};

/// Time to live the records are shown with, in seconds.
pub const TTL: u32 = 3600;

/// One SRV record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SrvRecord {
    /// `_pop3s._tcp`: the part of the owner name before the customer's domain.
    pub service: &'static str,
    pub ttl: u32,
    pub priority: u16,
    pub weight: u16,
    pub port: u16,
    /// The host, as resolved (a pattern without an address).
    pub target: String,
    /// Which server option it is: `direction` and the index into that direction's list of
    /// the resolution (templates mark the port and host through it).
    pub direction: &'static str,
    pub index: usize,
}

/// The RFC 6186/8314 service label of a server option.
pub fn service(protocol: Protocol, security: Security) -> &'static str {
    let tls = security == Security::SslTls;
    match (protocol, tls) {
        (Protocol::Pop3, true) => "_pop3s._tcp",
        (Protocol::Pop3, false) => "_pop3._tcp",
        (Protocol::Imap, true) => "_imaps._tcp",
        (Protocol::Imap, false) => "_imap._tcp",
        (Protocol::Smtp, true) => "_submissions._tcp",
        (Protocol::Smtp, false) => "_submission._tcp",
    }
}

/// The records of one resolution, incoming first, each direction in resolve's order.
pub fn srv_records(r: &Resolution) -> Vec<SrvRecord> {
    let mut out = Vec::new();
    for (direction, list) in [
        (Direction::Incoming, &r.incoming),
        (Direction::Outgoing, &r.outgoing),
    ] {
        for (index, e) in list.iter().enumerate() {
            out.push(record(direction, index, e));
        }
    }
    out
}

fn record(direction: Direction, index: usize, e: &Endpoint) -> SrvRecord {
    SrvRecord {
        service: service(e.protocol, e.security),
        ttl: TTL,
        priority: u16::try_from(index * 10).unwrap_or(u16::MAX),
        weight: 1,
        port: e.port,
        target: e.host.clone(),
        direction: direction.as_str(),
        index,
    }
}

/// The records as zone-file lines for one customer domain (ASCII), names absolute.
pub fn zone(records: &[SrvRecord], domain: &str) -> String {
    records
        .iter()
        .map(|r| {
            format!(
                "{}.{domain}. {} IN SRV {} {} {} {}.\n",
                r.service, r.ttl, r.priority, r.weight, r.port, r.target
            )
        })
        .collect()
}
