//! Apple configuration profile (`.mobileconfig`) with one Mail payload
//! (`com.apple.mail.managed`), for one address, plan and variant.
//!
//! Keys and types follow Apple's schema (`tests/fixtures/apple-schema/`, checked by
//! `tests/setup_files.rs`). Every connection value is written explicitly — host, port,
//! `…UseSSL` (its default and its meaning differ between Apple's own documents) and the
//! authentication — and no password: the device asks for it while installing.
//!
//! `PayloadIdentifier` is stable for the provider and the address, so installing a newer
//! profile for the same mailbox (another variant, say) replaces the account instead of
//! adding a second one that downloads the same POP mailbox. `PayloadUUID`s are fresh per
//! profile; [`Uuids`] makes them deterministic when a test or support staff ask.

use plist::{Dictionary, Value};
use uuid::Uuid;

use super::AuthChoice;
use crate::address::Address;
use crate::matrix::{Auth, Matrix, Protocol, Security};
use crate::resolve::{Endpoint, Resolution};

/// Where the profile's UUIDs come from.
#[derive(Debug, Clone)]
pub enum Uuids {
    /// Random (version 4): a fresh profile every time.
    Random,
    /// Derived (version 5) from a seed and a counter: the same seed, the same profile.
    Seeded { seed: String, next: u32 },
}

impl Uuids {
    pub fn seeded(seed: &str) -> Uuids {
        Uuids::Seeded {
            seed: seed.to_string(),
            next: 0,
        }
    }

    /// The next UUID, upper-case as Apple writes them.
    pub fn next_uuid(&mut self) -> String {
        let u = match self {
            Uuids::Random => Uuid::new_v4(),
            Uuids::Seeded { seed, next } => {
                *next += 1;
                Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("{seed}/{next}").as_bytes())
            }
        };
        u.hyphenated().to_string().to_uppercase()
    }
}

/// Apple's name for a login mechanism (the profile's `…Authentication` values).
pub fn apple_auth(auth: Auth) -> &'static str {
    match auth {
        // CRAM-MD5: Apple's "MD5 Challenge-Response", what the iOS guide tells customers.
        Auth::EncryptedPassword => "EmailAuthCRAMMD5",
        Auth::Password => "EmailAuthPassword",
        Auth::None => "EmailAuthNone",
    }
}

/// `…UseSSL`: on for any TLS. iOS has no separate STARTTLS switch; the iOS guide turns
/// "Use SSL" on for STARTTLS too (its mapping in `content/clients/ios.toml`), and the
/// profile says the same (`tests/setup_files.rs` compares them).
pub fn use_ssl(security: Security) -> bool {
    match security {
        Security::None => false,
        Security::Starttls | Security::SslTls => true,
    }
}

/// `EmailAccountType` for the incoming protocol.
pub fn account_type(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Imap => "EmailTypeIMAP",
        // Only incoming protocols reach here; SMTP cannot be an account type.
        Protocol::Pop3 | Protocol::Smtp => "EmailTypePOP",
    }
}

/// The profile's `PayloadIdentifier`: the provider's domain reversed, then the address
/// (its domain reversed, then the local part). Characters other than letters, digits and
/// `-` in the local part are written `_xx` (hex of the UTF-8 bytes) so the identifier stays
/// reverse-DNS style and two addresses never share one: `info@sample.co.jp` →
/// `jp.neoworks.mail.jp.co.sample.info`.
pub fn identifier(provider_domain: &str, address: &Address) -> String {
    let reversed = |d: &str| d.split('.').rev().collect::<Vec<_>>().join(".");
    let mut local = String::new();
    for b in address.local.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            local.push(char::from(b));
        } else {
            local.push_str(&format!("_{b:02x}"));
        }
    }
    format!(
        "{}.mail.{}.{local}",
        reversed(provider_domain),
        reversed(&address.domain_ascii)
    )
}

/// What a profile is made from.
pub struct ProfileRequest<'a> {
    pub matrix: &'a Matrix,
    /// Resolved for `address`.
    pub resolution: &'a Resolution,
    pub address: &'a Address,
    /// Language of the names shown while installing.
    pub lang: &'a str,
    pub auth: AuthChoice<'a>,
}

/// The profile as a plist value: the top level with one Mail payload.
pub fn profile(req: &ProfileRequest<'_>, uuids: &mut Uuids) -> Value {
    let m = req.matrix;
    let scd = m.provider.shared_certificate_domain.get_ref();
    let id = identifier(scd, req.address);
    let shown = req.address.unicode();
    let mut top = Dictionary::new();
    top.insert("PayloadType".into(), "Configuration".into());
    top.insert("PayloadVersion".into(), 1.into());
    top.insert("PayloadIdentifier".into(), id.clone().into());
    top.insert("PayloadUUID".into(), uuids.next_uuid().into());
    top.insert("PayloadDisplayName".into(), shown.clone().into());
    top.insert(
        "PayloadDescription".into(),
        super::title(m, req.resolution, req.lang).into(),
    );
    top.insert(
        "PayloadContent".into(),
        Value::Array(vec![mail_payload(req, &id, &shown, uuids).into()]),
    );
    top.into()
}

fn mail_payload(req: &ProfileRequest<'_>, id: &str, shown: &str, uuids: &mut Uuids) -> Dictionary {
    let r = req.resolution;
    let (incoming, outgoing) = recommended(r);
    let account = apple_account(r, req.auth);
    let mut d = Dictionary::new();
    d.insert("PayloadType".into(), "com.apple.mail.managed".into());
    d.insert("PayloadVersion".into(), 1.into());
    d.insert("PayloadIdentifier".into(), format!("{id}.account").into());
    d.insert("PayloadUUID".into(), uuids.next_uuid().into());
    d.insert("PayloadDisplayName".into(), shown.to_string().into());
    d.insert("EmailAccountDescription".into(), shown.to_string().into());
    d.insert("EmailAccountType".into(), account.account_type.into());
    d.insert("EmailAddress".into(), req.address.ascii().into());
    server(&mut d, "Incoming", incoming, &account.incoming);
    server(&mut d, "Outgoing", outgoing, &account.outgoing);
    d.insert("OutgoingPasswordSameAsIncomingPassword".into(), true.into());
    d
}

/// What the profile says about one server besides host, port and user name (the browser
/// makes profiles from these, so the mapping exists once).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AppleServer {
    pub use_ssl: bool,
    pub authentication: &'static str,
}

/// The account type and both servers' switches of a resolution's profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AppleAccount {
    pub account_type: &'static str,
    pub incoming: AppleServer,
    pub outgoing: AppleServer,
}

/// The recommended incoming and outgoing option of a resolution (each comes first, in
/// resolve's order): the ones a profile sets up.
fn recommended(r: &Resolution) -> (&Endpoint, &Endpoint) {
    (
        r.incoming
            .first()
            .expect("a variant has an incoming server"),
        r.outgoing
            .first()
            .expect("a variant has an outgoing server"),
    )
}

/// [`AppleAccount`] of a resolution: its recommended incoming and outgoing option.
pub fn apple_account(r: &Resolution, auth: AuthChoice<'_>) -> AppleAccount {
    let (incoming, outgoing) = recommended(r);
    let server = |e: &Endpoint| AppleServer {
        use_ssl: use_ssl(e.security),
        authentication: apple_auth(auth.for_endpoint(e)),
    };
    AppleAccount {
        account_type: account_type(incoming.protocol),
        incoming: server(incoming),
        outgoing: server(outgoing),
    }
}

fn server(d: &mut Dictionary, side: &str, e: &Endpoint, apple: &AppleServer) {
    d.insert(format!("{side}MailServerHostName"), e.host.clone().into());
    d.insert(
        format!("{side}MailServerPortNumber"),
        i64::from(e.port).into(),
    );
    d.insert(format!("{side}MailServerUseSSL"), apple.use_ssl.into());
    d.insert(
        format!("{side}MailServerAuthentication"),
        apple.authentication.into(),
    );
    d.insert(
        format!("{side}MailServerUsername"),
        e.username.clone().into(),
    );
}

/// The profile as XML plist bytes (what is downloaded and installed).
pub fn to_xml(profile: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    profile
        .to_writer_xml(&mut out)
        .expect("writing plain data to memory cannot fail");
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identifier_is_reverse_dns_and_tells_addresses_apart() {
        let a = Address::parse("info@sample.co.jp").unwrap();
        assert_eq!(
            identifier("neoworks.jp", &a),
            "jp.neoworks.mail.jp.co.sample.info"
        );
        let b = Address::parse("o'neil+x.y@例え.jp").unwrap();
        assert_eq!(
            identifier("neoworks.jp", &b),
            "jp.neoworks.mail.jp.xn--r8jz45g.o_27neil_2bx_2ey"
        );
        let c = Address::parse("info_@sample.co.jp").unwrap();
        let d = Address::parse("info_5f@sample.co.jp").unwrap();
        assert_ne!(identifier("x.jp", &c), identifier("x.jp", &d));
    }

    #[test]
    fn seeded_uuids_repeat_and_random_ones_do_not() {
        let (mut a, mut b) = (Uuids::seeded("s"), Uuids::seeded("s"));
        let first = a.next_uuid();
        assert_eq!(first, b.next_uuid());
        assert_ne!(first, a.next_uuid());
        assert_eq!(first, first.to_uppercase());
        let mut r = Uuids::Random;
        assert_ne!(r.next_uuid(), r.next_uuid());
    }
}
