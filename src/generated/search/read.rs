//! Reading a rendered page for the index: its sections, the terms of each, numbered in one
//! lexicon shared by the render threads.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use foldhash::fast::FixedState;

use super::{pack, rank, sections, tokens, ReadPage};
use crate::plan::PageJob;

/// Every term of the build, numbered as pages are read (by any thread, in any order): a
/// page keeps the numbers of its terms, not the strings, and the index sorts the strings
/// once at the end, so the output does not depend on the order pages were read in.
#[derive(Default)]
pub(crate) struct Lexicon {
    table: Mutex<LexiconTable>,
    sections: Mutex<Recurring>,
}

#[derive(Default)]
pub(super) struct LexiconTable {
    /// Terms with a [`tokens::Term::packed`] number, by it.
    packed: HashMap<u64, u32, FixedState>,
    /// The other terms, by their text.
    ids: HashMap<Box<str>, u32, FixedState>,
    /// Each term, by its number.
    pub(super) terms: Vec<Box<str>>,
}

/// Section texts seen on more than one page (guides repeat whole steps and
/// troubleshooting entries), with the numbers of their distinct terms, so that a repeated
/// text is cut into terms once. A text is remembered only when it comes again: a site
/// whose sections never repeat keeps one number per section, not its texts.
#[derive(Default)]
struct Recurring {
    /// Hashes of the section texts seen once.
    seen: HashSet<u64, FixedState>,
    terms: HashMap<Box<str>, Arc<[u32]>, FixedState>,
}

/// What the lexicon knows of one section's text.
enum Recalled {
    /// Its terms, from an earlier page.
    Terms(Arc<[u32]>),
    /// Seen before: remember its terms once read.
    Again,
    New,
}

impl Lexicon {
    /// Every term by its number (the index is made with it, once the pages are read).
    pub(super) fn table(&self) -> MutexGuard<'_, LexiconTable> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn memory(&self) -> MutexGuard<'_, Recurring> {
        self.sections.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The numbers of `terms`, adding the new ones (one lock for the whole page).
    fn ids<'t>(&self, terms: impl Iterator<Item = tokens::Term<'t>>) -> Vec<u32> {
        let mut guard = self.table();
        let table = &mut *guard;
        terms
            .map(|t| {
                let known = match t.packed {
                    Some(key) => table.packed.get(&key),
                    None => table.ids.get(t.text),
                };
                if let Some(&id) = known {
                    return id;
                }
                let id = u32::try_from(table.terms.len()).expect("fewer than 2³² terms");
                table.terms.push(t.text.into());
                match t.packed {
                    Some(key) => table.packed.insert(key, id),
                    None => table.ids.insert(t.text.into(), id),
                };
                id
            })
            .collect()
    }

    /// What is known of each of a page's section texts (one lock for the page).
    fn recall(&self, texts: &[&str]) -> Vec<Recalled> {
        let mut memory = self.memory();
        texts
            .iter()
            .map(|&text| {
                if let Some(terms) = memory.terms.get(text) {
                    return Recalled::Terms(Arc::clone(terms));
                }
                match memory.seen.insert(FixedState::default().hash_one(text)) {
                    true => Recalled::New,
                    false => Recalled::Again,
                }
            })
            .collect()
    }

    /// Remembers the distinct terms of texts seen again.
    fn remember<'t>(&self, texts: impl Iterator<Item = (&'t str, Vec<u32>)>) {
        let mut memory = self.memory();
        for (text, ids) in texts {
            memory.terms.insert(text.into(), ids.into());
        }
    }
}

/// A rendered page as the index reads it, right after it is rendered (a build keeps this,
/// not the page's HTML); `None` for a page search does not list.
pub(in crate::generated) fn read(lexicon: &Lexicon, job: &PageJob, html: &str) -> Option<ReadPage> {
    rank(job)?;
    let (title, sections) = sections::sections(html)?;
    let raw: Vec<&str> = sections.iter().map(|s| s.text.as_str()).collect();
    let recalled = lexicon.recall(&raw);
    // The page's distinct terms in order of appearance, numbered locally, so that the
    // lexicon is locked once per page; each (term, section) pair is kept once, when the
    // term is first seen in that section. Terms by their packed number where they have
    // one, others by their text. The tables are the thread's, emptied for each page.
    SCRATCH.with_borrow_mut(|scratch| {
        let Scratch {
            packed,
            last_section,
            pairs,
        } = scratch;
        packed.clear();
        last_section.clear();
        pairs.clear();
        let texts: Vec<_> = raw
            .iter()
            .zip(&recalled)
            .map(|(text, r)| match r {
                Recalled::Terms(_) => None,
                _ => Some(tokens::normalize(text)),
            })
            .collect();
        let mut words: HashMap<&str, u32, FixedState> = HashMap::default();
        let mut order: Vec<tokens::Term<'_>> = Vec::new();
        for (n, text) in texts.iter().enumerate() {
            let Some(text) = text else { continue };
            let section = u32::try_from(n).expect("fewer than 2³² sections");
            tokens::each_term(text, |term| {
                let next = u32::try_from(order.len()).expect("fewer than 2³² terms");
                let new = || {
                    order.push(term);
                    last_section.push(u32::MAX);
                    next
                };
                let k = match term.packed {
                    Some(key) => *packed.entry(key).or_insert_with(new),
                    None => *words.entry(term.text).or_insert_with(new),
                };
                let last = &mut last_section[k as usize];
                if *last != section {
                    *last = section;
                    pairs.push((k, section));
                }
            });
        }
        let ids = lexicon.ids(order.into_iter());
        // (term number, section) as one integer each: sorts fastest.
        let mut keyed: Vec<u64> = pairs
            .iter()
            .map(|&(k, section)| (u64::from(ids[k as usize]) << 32) | u64::from(section))
            .collect();
        let mut again: Vec<(&str, Vec<u32>)> = Vec::new();
        for (n, r) in recalled.iter().enumerate() {
            let section = n as u32;
            match r {
                Recalled::Terms(terms) => keyed.extend(
                    terms
                        .iter()
                        .map(|&id| (u64::from(id) << 32) | u64::from(section)),
                ),
                Recalled::Again => {
                    // Pairs are made section after section: this one's are together.
                    let from = pairs.partition_point(|&(_, s)| s < section);
                    let to = pairs.partition_point(|&(_, s)| s <= section);
                    let terms = pairs[from..to].iter().map(|&(k, _)| ids[k as usize]);
                    again.push((raw[n], terms.collect()));
                }
                Recalled::New => {}
            }
        }
        if !again.is_empty() {
            lexicon.remember(again.into_iter());
        }
        keyed.sort_unstable();
        let postings = pack(
            keyed
                .into_iter()
                .map(|key| ((key >> 32) as u32, key as u32)),
        );
        Some(ReadPage::new(&title, &sections, postings))
    })
}

/// What [`read`] needs for one page, kept by each thread from page to page so that its
/// tables are not allocated and grown again for every page.
#[derive(Default)]
struct Scratch {
    packed: HashMap<u64, u32, FixedState>,
    last_section: Vec<u32>,
    pairs: Vec<(u32, u32)>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::plan::PageKind;

    fn job() -> PageJob {
        PageJob {
            url: "/ja/x/".into(),
            output: "ja/x/index.html".into(),
            lang: Some("ja".into()),
            template: "page.html".into(),
            kind: PageKind::YourSettings,
            alternates: Vec::new(),
        }
    }

    /// A page's (term, section) pairs by the terms' text.
    fn pairs(lexicon: &Lexicon, page: &ReadPage) -> BTreeSet<(String, u32)> {
        let table = lexicon.table();
        super::super::unpack(&page.postings)
            .map(|(t, s)| (table.terms[t as usize].to_string(), s))
            .collect()
    }

    #[test]
    fn a_section_seen_again_reads_as_it_did_the_first_time() {
        let page = |sections: &[&str]| {
            let body: String = sections
                .iter()
                .enumerate()
                .map(|(i, text)| format!("<h2 id=\"s{i}\">見出し</h2><p>{text}</p>"))
                .collect();
            format!("<main><h1>題</h1>{body}</main>")
        };
        let shared = "受信サーバーに ＳＭＴＰ 認証 を設定 Outgoing server 587";
        let pages = [
            page(&[shared, "一つ目だけ"]),
            page(&["二つ目", shared]),
            page(&[shared, shared, "三つ目 third"]),
        ];
        let remembering = Lexicon::default();
        for (n, html) in pages.iter().enumerate() {
            let read = read(&remembering, &job(), html).expect("a page");
            // A fresh lexicon has seen no section: it cuts every text itself.
            let fresh = Lexicon::default();
            let alone = read_fresh(&fresh, html);
            assert_eq!(
                pairs(&remembering, &read),
                pairs(&fresh, &alone),
                "page {n}"
            );
        }
        let memory = remembering.memory();
        // The title's section and the shared one; texts seen once are not kept.
        assert_eq!(memory.terms.len(), 2);
    }

    fn read_fresh(lexicon: &Lexicon, html: &str) -> ReadPage {
        read(lexicon, &job(), html).expect("a page")
    }
}
