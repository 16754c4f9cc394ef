//! The commands: each takes its parsed arguments, asks the library for the result and
//! prints it. Nothing here decides anything about the site.

pub mod build;
pub mod check;
pub mod explain;
pub mod labels;
#[cfg(feature = "serve")]
pub mod serve;
