//! mailsite: one settings matrix → the whole bilingual mail-settings manual.
//!
//! The pipeline runs in one direction: [`site`] loads every input (config,
//! [`matrix`], [`strings`], [`content`], templates) and validates it, [`plan`]
//! decides the pages, [`render`] renders them, [`output`] writes them atomically.
//! [`resolve`] is the only place that decides a customer's settings; pages,
//! `explain` and `check` all use it.

#![warn(unreachable_pub)]
// Functions stay short enough to read at once (`clippy.toml`: 80 lines).
#![warn(clippy::too_many_lines)]

pub mod address;
pub mod assets;
pub mod build;
pub mod check;
pub mod cli;
pub mod clients;
pub mod cmd;
pub mod config;
pub mod content;
pub mod controls;
pub mod data;
pub mod diag;
pub mod explain;
pub mod generated;
pub mod html;
pub mod markdown;
pub mod markers;
pub mod matrix;
pub mod output;
pub mod pattern;
pub mod plan;
pub mod render;
pub mod resolve;
#[cfg(feature = "serve")]
pub mod serve;
pub mod setup;
pub mod site;
pub mod strings;
pub mod toml_file;
pub mod urls;
pub mod view;
