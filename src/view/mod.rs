//! What templates see: the data of one language with labels filled in and settings
//! resolved — the matrix ([`DataView`]), each client's overview ([`ClientView`]) and each
//! guide ([`GuideView`]). One [`Views`] per language builds them all.

mod client;
mod common;
mod guide;
mod matrix;

pub use client::*;
pub use common::*;
pub use matrix::*;

use crate::data::Localized;
use crate::matrix::Matrix;
use crate::strings::Strings;

/// Builds the views of one language.
#[derive(Clone, Copy)]
pub struct Views<'a> {
    pub m: &'a Matrix,
    pub strings: &'a Strings,
    pub lang: &'a str,
}

impl Views<'_> {
    /// A matrix text in this language, `{port:ID}` filled in.
    fn t(&self, l: &Localized) -> String {
        l.text(self.m, self.lang)
    }

    /// A UI string the engine uses (checked at load time).
    fn s(&self, key: &str) -> String {
        self.strings.require(self.lang, key).to_string()
    }
}
