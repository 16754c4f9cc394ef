//! Setup files: what lets a mail client set itself up, made from the same resolution as
//! the pages and `explain` ([`crate::resolve::resolve`]), so the manual, the files and the
//! support desk always agree.
//!
//! One module per format, each a pure function of a resolution (and the matrix for
//! labels): [`mobileconfig`] (Apple configuration profile), [`autoconfig`] (Thunderbird),
//! [`autodiscover`] (Outlook, POX), [`dns`] (RFC 6186/8314 SRV records). [`export`] is the
//! JSON the browser resolves addresses from, [`suffixes`] the public-suffix rules it uses.
//! Nothing here writes files or prints: `generated/` and `cmd/` do.

pub mod autoconfig;
pub mod autodiscover;
pub mod dns;
pub mod export;
pub mod mobileconfig;
pub mod suffixes;

use crate::matrix::{Auth, Matrix};
use crate::resolve::{Endpoint, Resolution};

/// Which login mechanism a setup file tells the client to use.
///
/// Today the matrix names one mechanism per server option and every file uses it
/// ([`AuthChoice::FromData`]); a caller may name one explicitly. When the guides compute
/// the mechanism per client from data (what the server accepts × what the client can do),
/// that answer is passed in here; each format turns it into its own word in one small
/// function (`mobileconfig::apple_auth`, `autoconfig::thunderbird_auth`,
/// `autodiscover::spa`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthChoice {
    /// The mechanism the matrix gives each server option.
    #[default]
    FromData,
    /// This mechanism for every server option.
    Use(Auth),
}

impl AuthChoice {
    /// The mechanism for one server entry.
    pub fn for_endpoint(self, e: &Endpoint) -> Auth {
        match self {
            AuthChoice::FromData => e.auth,
            AuthChoice::Use(a) => a,
        }
    }
}

/// The plan and variant as the customer knows them, for the names setup files show
/// (`group › plan — variant`).
pub fn title(m: &Matrix, r: &Resolution, lang: &str) -> String {
    let plan = m.plan(&r.plan).expect("resolved plan");
    let variant = m.variant(&r.variant).expect("resolved variant");
    format!(
        "{} › {} — {}",
        plan.group.text(m, lang),
        plan.name.text(m, lang),
        variant.name.text(m, lang)
    )
}
