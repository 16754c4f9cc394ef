//! `mailsite labels`: the client labels the maintainers should verify on a device.

use std::process::ExitCode;

use crate::cli::{FormatArg, LabelsArgs};
use crate::clients::labels::{to_verify, LabelToVerify};
use crate::controls;
use crate::site::Site;

pub fn run(args: LabelsArgs) -> ExitCode {
    let site = match Site::load(&args.root) {
        Ok(s) => s,
        Err(problems) => {
            eprint!("{problems}");
            return ExitCode::FAILURE;
        }
    };
    let rows = to_verify(&site.clients, site.languages());
    let out = match args.format {
        FormatArg::Json => {
            serde_json::to_string_pretty(&rows).expect("plain data serializes") + "\n"
        }
        FormatArg::Text => text(&rows),
    };
    print!("{}", controls::escape_text(&out));
    ExitCode::SUCCESS
}

fn text(rows: &[LabelToVerify]) -> String {
    let mut out = String::new();
    let mut group: Option<(&str, &str)> = None;
    for r in rows {
        let here = (r.client.as_str(), r.lang.as_str());
        if group != Some(here) {
            let n = rows
                .iter()
                .filter(|x| (x.client.as_str(), x.lang.as_str()) == here)
                .count();
            out.push_str(&format!(
                "\n{} ({}): {n} label(s) to verify\n",
                r.client, r.lang
            ));
            group = Some(here);
        }
        out.push_str(&format!(
            "  {:<10} {:<11} {}: {}\n             source: {}\n             at: {}\n",
            r.confidence,
            r.shown,
            r.what,
            r.label,
            if r.source.is_empty() {
                "(none given)"
            } else {
                &r.source
            },
            r.at
        ));
    }
    out.push_str(&format!(
        "\n{} label(s) whose confidence is not `confirmed`; customer pages show the unverified ones as descriptions.\n",
        rows.len()
    ));
    out
}
