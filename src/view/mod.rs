//! What templates see: the data of one language with labels filled in and settings
//! resolved — the matrix ([`DataView`]), each client's overview ([`ClientView`]) and each
//! guide ([`GuideView`]). One [`Views`] per language builds them all.

mod advice;
mod client;
mod common;
mod matrix;
mod prose;
mod settings;
mod track;
mod which;

pub use client::*;
pub use common::*;
pub use matrix::*;
pub use settings::{CommonView, DirectionTable};
pub use which::{WhichSection, WhichView};

use crate::clients::LoadedClient;
use crate::data::Localized;
use crate::matrix::Matrix;
use crate::strings::Strings;

/// Builds the views of one language.
#[derive(Clone, Copy)]
pub struct Views<'a> {
    pub m: &'a Matrix,
    pub strings: &'a Strings,
    pub lang: &'a str,
    /// Every client of the site (a guide names the apps that can log on where its own cannot).
    pub clients: &'a [LoadedClient],
}

impl<'a> Views<'a> {
    /// A matrix text in this language, `{port:ID}` filled in.
    fn t(&self, l: &Localized) -> String {
        l.text(self.m, self.lang)
    }

    /// A UI string the engine uses (checked at load time).
    fn s(&self, key: &str) -> &'a str {
        self.strings.require(self.lang, key)
    }
}
