//! Which login method a guide tells customers to choose. It is computed from two pieces of
//! data — what the server accepts on the connection (`resolve`: the matrix's login policy)
//! and what the client sends for each of its methods (its auth mapping entries'
//! `mechanisms`) — so a guide cannot contradict the matrix, and every guide with the same
//! inputs gives the same answer.

use super::*;
use crate::matrix::{Auth, Matrix, Mechanism, Security, Setting};
use crate::resolve::Endpoint;

/// What a guide says about logging on to one connection.
#[derive(Debug, Clone, Copy)]
pub enum Answer<'c> {
    /// Choose `auth` in the client (`entry` says how).
    Choose {
        auth: Auth,
        entry: &'c Mapping,
        /// Not the method the matrix recommends: the client does not offer that one.
        fallback: bool,
        /// The password itself travels, on a connection without TLS.
        readable: bool,
    },
    /// The connection needs no login.
    NoLogin,
    /// The client can send nothing the server accepts.
    Impossible,
}

impl Answer<'_> {
    /// The method id a page shows for this answer (`None` when it cannot log on).
    pub fn auth(&self) -> Option<Auth> {
        match self {
            Answer::Choose { auth, .. } => Some(*auth),
            Answer::NoLogin => Some(Auth::None),
            Answer::Impossible => None,
        }
    }
}

/// The answer for one edition of a client on one connection. The matrix's method comes
/// first; the others follow in the matrix's order.
pub fn answer<'c>(m: &Matrix, c: &'c Client, edition: &str, ep: &Endpoint) -> Answer<'c> {
    if ep.auth == Auth::None {
        return Answer::NoLogin;
    }
    let others = m
        .auth
        .iter()
        .map(|a| *a.id.get_ref())
        .filter(|a| *a != ep.auth && *a != Auth::None);
    for auth in std::iter::once(ep.auth).chain(others) {
        let Some(entry) = c.mapping_for(edition, Setting::Auth, auth.as_str(), ep.protocol) else {
            continue;
        };
        let usable: Vec<Mechanism> = entry
            .mechanisms
            .iter()
            .copied()
            .filter(|mech| ep.accepts.contains(mech))
            .collect();
        if usable.is_empty() {
            continue;
        }
        return Answer::Choose {
            auth,
            entry,
            fallback: auth != ep.auth,
            readable: ep.security == Security::None && usable.iter().all(|m| m.sends_password()),
        };
    }
    Answer::Impossible
}

/// The right value of a declared wrong value's setting on one guide connection.
pub fn right_value(
    m: &Matrix,
    c: &Client,
    edition: &str,
    w: &Wrong,
    ep: &Endpoint,
) -> Option<String> {
    Some(match w.setting.get_ref() {
        WrongSetting::Security => ep.security.as_str().to_string(),
        WrongSetting::Protocol => ep.protocol.as_str().to_string(),
        WrongSetting::Port => ep.port_id.clone(),
        WrongSetting::Auth => answer(m, c, edition, ep).auth()?.as_str().to_string(),
    })
}
