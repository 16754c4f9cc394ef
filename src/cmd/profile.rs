//! `mailsite profile`: an Apple configuration profile for one address.

use std::io::Write as _;
use std::process::ExitCode;

use crate::cli::ProfileArgs;
use crate::clients::SetupFile;
use crate::controls;
use crate::output;
use crate::setup::mobileconfig::{self, ProfileRequest, Uuids};

pub fn run(args: ProfileArgs) -> ExitCode {
    let inputs = match super::setup_inputs(&args.setup, args.lang.as_deref()) {
        Ok(inputs) => inputs,
        Err(code) => return code,
    };
    let x = &inputs.x;
    let mut uuids = match &args.uuid_seed {
        Some(seed) => Uuids::seeded(seed),
        None => Uuids::Random,
    };
    let profile = mobileconfig::profile(
        &ProfileRequest {
            matrix: &x.matrix,
            resolution: &x.resolutions[0],
            address: &x.address,
            lang: &x.lang,
            auth: inputs.auth(SetupFile::AppleProfile),
        },
        &mut uuids,
    );
    let bytes = mobileconfig::to_xml(&profile);
    let written = match &args.out {
        Some(path) => {
            let target = match output::check_out_file(&args.setup.root, path, args.force) {
                Ok(target) => target,
                Err(why) => {
                    eprintln!(
                        "{}: {why}",
                        controls::escape_line(&path.display().to_string())
                    );
                    return ExitCode::FAILURE;
                }
            };
            std::fs::write(&target, &bytes).map_err(|e| (path.display().to_string(), e))
        }
        None => std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| ("standard output".to_string(), e)),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err((to, e)) => {
            eprintln!("error: cannot write {}: {e}", controls::escape_line(&to));
            ExitCode::FAILURE
        }
    }
}
