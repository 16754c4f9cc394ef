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

use crate::clients::login::answer;
use crate::clients::setup_files::claimant;
use crate::clients::{Client, LoadedClient, SetupFile};
use crate::matrix::{Auth, Matrix};
use crate::resolve::{Endpoint, Resolution};

/// Which login mechanism a setup file tells the client to use.
///
/// A file claimed by a client (`setup_files` in its client file) says what that client's
/// guide says ([`AuthChoice::Guide`], made by [`guide_auth`]); a file no client claims says
/// what the matrix gives ([`AuthChoice::FromData`]); a caller may name one mechanism
/// (`--auth`). Each format turns the mechanism into its own word in one small function
/// (`mobileconfig::apple_auth`, `autoconfig::thunderbird_auth`, `autodiscover::spa`).
#[derive(Debug, Clone, Copy, Default)]
pub enum AuthChoice<'a> {
    /// The mechanism the matrix gives each server option.
    #[default]
    FromData,
    /// This mechanism for every server option.
    Use(Auth),
    /// What the guide of the client that consumes the file tells customers to choose.
    Guide(GuideLogin<'a>),
}

/// One edition of a client, whose guide's login answer a setup file gives. The answer is
/// computed per server option ([`answer`]: what that server accepts × what the client
/// sends), so a file that lists alternatives (autoconfig) gets each its own.
#[derive(Debug, Clone, Copy)]
pub struct GuideLogin<'a> {
    pub matrix: &'a Matrix,
    pub client: &'a Client,
    pub edition: &'a str,
}

impl GuideLogin<'_> {
    /// The guide's answer for one server option. Where the guide has no method to choose
    /// (the client can send nothing this server accepts), it shows a notice instead, and
    /// its field carries the matrix's method. A file has no place for a notice and must
    /// name a method, so it names the matrix's too: the one the server is set up for, which
    /// a version of the client that offers it will use. Leaving the server out would make
    /// a profile without an outgoing server. (Validation already refuses an edition that
    /// can log on to no server at all.)
    pub fn auth(&self, e: &Endpoint) -> Auth {
        answer(self.matrix, self.client, self.edition, e)
            .auth()
            .unwrap_or(e.auth)
    }
}

impl AuthChoice<'_> {
    /// The mechanism for one server entry.
    pub fn for_endpoint(self, e: &Endpoint) -> Auth {
        match self {
            AuthChoice::FromData => e.auth,
            AuthChoice::Use(a) => a,
            AuthChoice::Guide(g) => g.auth(e),
        }
    }
}

/// What `file` logs on with: the answer of the guide of the client that claims it (its
/// edition most customers have), or the matrix's when no client claims it.
pub fn guide_auth<'a>(
    m: &'a Matrix,
    clients: &'a [LoadedClient],
    file: SetupFile,
) -> AuthChoice<'a> {
    let Some(lc) = claimant(clients, file) else {
        return AuthChoice::FromData;
    };
    match lc.client.main_edition() {
        Some(edition) => AuthChoice::Guide(GuideLogin {
            matrix: m,
            client: &lc.client,
            edition,
        }),
        None => AuthChoice::FromData,
    }
}

/// An XML document written to memory by `body` (an indented quick-xml writer), ending
/// with a newline: the shape of every XML setup file.
fn xml_document(
    body: impl FnOnce(&mut quick_xml::Writer<Vec<u8>>) -> std::io::Result<()>,
) -> String {
    let mut w = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    body(&mut w).expect("writing XML to memory cannot fail");
    let mut out = String::from_utf8(w.into_inner()).expect("the writer writes UTF-8");
    out.push('\n');
    out
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
