//! Which client's guide a setup file follows. A client file claims the files made for its
//! client (`setup_files = ["apple-profile"]`); the file's login method is then the one that
//! guide tells customers to choose (`setup::guide_auth`), so the file and the guide cannot
//! disagree. A file follows one guide: two claims are an error, even when the two guides
//! happen to agree today, since they need not tomorrow.

use super::{LoadedClient, SetupFile};
use crate::diag::{Diagnostic, Diagnostics};

/// The client whose guide `file` follows, if a client file claims it.
pub fn claimant(clients: &[LoadedClient], file: SetupFile) -> Option<&LoadedClient> {
    clients
        .iter()
        .find(|c| c.client.setup_files.iter().any(|f| *f.get_ref() == file))
}

/// A setup file claimed by a second client file: reported at the later claim (in the order
/// given), naming both clients and where the first claim is.
pub(super) fn conflicts(clients: &[LoadedClient]) -> Diagnostics {
    let mut out = Diagnostics::new();
    // Each setup file's first claim: the file, its client and where it is named.
    let mut first: Vec<(SetupFile, &LoadedClient, String)> = Vec::new();
    for lc in clients {
        for f in &lc.client.setup_files {
            let file = *f.get_ref();
            match first.iter().find(|(x, _, _)| *x == file) {
                // The same file twice in one client file is that file's own error.
                Some((_, owner, at)) if owner.client.id.get_ref() != lc.client.id.get_ref() => {
                    out.push(Diagnostic::at(
                        &lc.source,
                        f.span(),
                        format!(
                            "client `{}` claims setup file `{}`, which client `{}` already claims ({at}): a setup file follows one guide, so name it in one client file only",
                            lc.client.id.get_ref(),
                            file.as_str(),
                            owner.client.id.get_ref(),
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    let (line, column) = lc.source.line_col(f.span().start);
                    first.push((file, lc, format!("{}:{line}:{column}", lc.source.path)));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceFile;

    fn client(id: &str, claims: &str) -> Result<LoadedClient, Vec<String>> {
        let text = format!(
            r#"id = "{id}"
weight = 1
name.en = "N"
versions.en = "1"
summary.en = "S."
setup_files = {claims}

[[editions]]
id = "one"
name.en = "One"
versions.en = "1"
"#
        );
        let source = SourceFile::new(format!("content/clients/{id}.toml"), text);
        match super::super::parse(&source, id, &["en".to_string()], None) {
            Ok(client) => Ok(LoadedClient { client, source }),
            Err(d) => Err(d.iter().map(|d| d.to_string()).collect()),
        }
    }

    #[test]
    fn an_unknown_setup_file_is_refused_where_it_is_named() {
        let errs = client("a", r#"["autoconfig", "apple-profle"]"#).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].starts_with("content/clients/a.toml:6:30: ")
                && errs[0].contains("apple-profle")
                && errs[0].contains("apple-profile"),
            "{errs:?}"
        );
        let errs = client("a", r#"["autoconfig", "autoconfig"]"#).unwrap_err();
        assert_eq!(
            errs,
            ["content/clients/a.toml:6:30: setup file `autoconfig` is listed twice"]
        );
    }

    #[test]
    fn a_setup_file_follows_one_client() {
        let a = client("a", r#"["apple-profile"]"#).unwrap();
        let b = client("b", r#"["autoconfig", "apple-profile"]"#).unwrap();
        let clients = [a, b];
        let errs: Vec<String> = conflicts(&clients).iter().map(|d| d.to_string()).collect();
        assert_eq!(
            errs,
            ["content/clients/b.toml:6:30: client `b` claims setup file `apple-profile`, which client `a` already claims (content/clients/a.toml:6:16): a setup file follows one guide, so name it in one client file only"]
        );
        let owner = |f| claimant(&clients, f).map(|c| c.client.id.get_ref().as_str());
        assert_eq!(owner(SetupFile::AppleProfile), Some("a"));
        assert_eq!(owner(SetupFile::Autoconfig), Some("b"));
        assert_eq!(owner(SetupFile::Autodiscover), None);
        assert_eq!(clients[0].client.main_edition(), Some("one"));
    }
}
