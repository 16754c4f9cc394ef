//! The preview folder `serve` builds into.

use std::path::Path;

/// Makes a folder of the preview reachable by its owner only. `tempfile` creates
/// folders with the default mode (0777 less the umask: usually 0755), and the build's
/// staging folder, renamed to the served folder on every rebuild, gets the same.
#[cfg(unix)]
pub(crate) fn make_private(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
pub(crate) fn make_private(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// The mode for new private folders, for `tempfile::Builder::permissions`.
#[cfg(unix)]
pub(crate) fn private_mode() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
pub(crate) fn private_mode() -> Option<std::fs::Permissions> {
    None
}
