//! The setup files the build writes: the JSON export of the matrix the browser resolves
//! addresses from, the public-suffix groups it needs for that, and one Thunderbird
//! autoconfig file per plan and variant (where placeholders can express the host). Made by
//! [`crate::setup`]; paths from [`crate::urls`].

use std::sync::OnceLock;

use super::{Inputs, OutputFile};
use crate::clients::SetupFile;
use crate::resolve::resolve;
use crate::setup::{autoconfig, export, guide_auth, suffixes};
use crate::urls;

/// The setup files of a site with a matrix (none without one).
pub(super) fn files(inputs: &Inputs<'_>) -> Vec<OutputFile> {
    let site = inputs.site;
    let Some(loaded) = &site.matrix else {
        return Vec::new();
    };
    let m = &loaded.matrix;
    let languages = site.languages();
    let file = |url: String, text: String| OutputFile {
        path: url.trim_start_matches('/').to_string(),
        bytes: text.into_bytes(),
    };
    let mut out = vec![file(
        urls::settings_export(),
        export::to_json(&export::export(m, &site.clients, languages)),
    )];
    out.extend(suffix_files().iter().cloned());
    let auth = guide_auth(m, &site.clients, SetupFile::Autoconfig);
    for plan in &m.plans {
        for pv in &plan.variants {
            let (p, v) = (plan.id.get_ref(), pv.variant.get_ref());
            let r = resolve(m, p, v, None).expect("offered variant");
            // A host Thunderbird's placeholders cannot express gets no file; the export
            // and the administrators' page say so.
            if let Ok(xml) = autoconfig::config(m, &r, &languages[0], auth) {
                out.push(file(urls::autoconfig(p, v), xml));
            }
        }
    }
    out
}

/// Starts making the files that depend on the binary alone, on the thread pool, so that a
/// build finds them ready instead of making them after its pages.
pub(super) fn prepare() {
    rayon::spawn(|| {
        suffix_files();
    });
}

/// The public-suffix groups: the same for every build of this binary (the list is compiled
/// in), so made once per process — `serve` rebuilds do not redo them.
fn suffix_files() -> &'static [OutputFile] {
    static FILES: OnceLock<Vec<OutputFile>> = OnceLock::new();
    FILES.get_or_init(|| {
        suffixes::groups()
            .into_iter()
            .map(|(group, tlds)| OutputFile {
                path: urls::public_suffixes(&group)
                    .trim_start_matches('/')
                    .to_string(),
                bytes: (serde_json::to_string(&tlds).expect("plain data serializes") + "\n")
                    .into_bytes(),
            })
            .collect()
    })
}
