//! The search index of each language, `/{lang}/search/index.json`, built from the rendered
//! pages (what a customer reads, not the sources) and read by `assets/search.js`.
//!
//! Format (compact, one file per language):
//!
//! ```json
//! { "v": 1,
//!   "pages": [["ja/settings/", "共通の設定", 0], …], // path from the site root, title, kind
//!   "anchors": ["", "receiving", …],                // ids sections link to
//!   "labels": ["", "受信方式", …],                  // what a result shows beside the title
//!   "sections": [[0, 1, 1], …],                     // page, anchor, label (by number)
//!   "terms": { "送信": [3, 1, -4, 7], … } }          // the sections that contain it
//! ```
//!
//! A term's list names the sections that contain it in order: a positive number is the
//! distance from the section before (the first from 0), `-k` stands for the `k` sections
//! right after the one before (a run, common where guides repeat each other). Anchors
//! and labels repeat across pages, so sections name them by number. Terms are made by
//! [`tokens`]: Japanese as character bigrams,
//! other languages as words. Pages are listed most useful first, and say which kind they
//! are (0 written pages, 1 plans, 2 client overviews, 3 guides, 4 home): the script ranks
//! general pages above the many guides that repeat them.

mod scan;
mod sections;
mod tokens;

use std::collections::{BTreeSet, HashMap};

use foldhash::fast::FixedState;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::{Inputs, OutputFile};
use crate::plan::{PageJob, PageKind};
use crate::urls;

/// Version of the format, for the script.
const VERSION: u32 = 1;

#[derive(serde::Serialize)]
struct Index<'a> {
    v: u32,
    pages: Vec<(String, &'a str, u8)>,
    anchors: Vec<&'a str>,
    labels: Vec<&'a str>,
    sections: Vec<(usize, usize, usize)>,
    terms: Terms<'a>,
}

/// The terms in byte order, each with the sections that contain it (a JSON object, each
/// list [`encode`]d as it is written: a large site's encoded lists are never all held).
struct Terms<'a>(Vec<(&'a str, Vec<u32>)>);

impl Serialize for Terms<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        let mut encoded = Vec::new();
        for (term, sections) in &self.0 {
            encode(sections, &mut encoded);
            map.serialize_entry(term, &encoded)?;
        }
        map.end()
    }
}

/// Every term of the build, numbered as pages are read (by any thread, in any order): a
/// page keeps the numbers of its terms, not the strings, and the index sorts the strings
/// once at the end, so the output does not depend on the order pages were read in.
#[derive(Default)]
pub(crate) struct Lexicon(Mutex<LexiconTable>);

#[derive(Default)]
struct LexiconTable {
    ids: HashMap<Box<str>, u32, FixedState>,
    terms: Vec<Box<str>>,
}

impl Lexicon {
    /// The numbers of `terms`, adding the new ones (one lock for the whole page).
    fn ids<'t>(&self, terms: impl Iterator<Item = &'t str>) -> Vec<u32> {
        let mut table = self.0.lock().unwrap_or_else(|e| e.into_inner());
        terms
            .map(|t| {
                if let Some(&id) = table.ids.get(t) {
                    return id;
                }
                let id = u32::try_from(table.terms.len()).expect("fewer than 2³² terms");
                table.terms.push(t.into());
                table.ids.insert(t.into(), id);
                id
            })
            .collect()
    }
}

/// The number of a string in a table of distinct strings, added when new.
fn number<'a>(
    table: &mut Vec<&'a str>,
    numbers: &mut HashMap<&'a str, usize, FixedState>,
    s: &'a str,
) -> usize {
    *numbers.entry(s).or_insert_with(|| {
        table.push(s);
        table.len() - 1
    })
}

/// Section numbers (ascending) as gaps, runs of consecutive sections as `-k`.
fn encode(sections: &[u32], out: &mut Vec<i64>) {
    out.clear();
    let mut last = 0;
    for &n in sections {
        let gap = i64::from(n - last);
        last = n;
        match out.last_mut() {
            Some(run) if gap == 1 && *run < 0 => *run -= 1,
            Some(one) if gap == 1 && *one == 1 => *one = -2,
            _ => out.push(gap),
        }
    }
}

/// The lexicon pages are read with when the site has search pages; `None` otherwise (pages
/// are then not read at all).
pub(super) fn lexicon(jobs: &[PageJob]) -> Option<Lexicon> {
    jobs.iter()
        .any(|j| j.kind == PageKind::Search)
        .then(Lexicon::default)
}

/// One index per language of a site that has search pages.
pub(super) fn files(inputs: &Inputs<'_>) -> Vec<OutputFile> {
    let Some(lexicon) = inputs.reader.lexicon.as_ref() else {
        return Vec::new();
    };
    let table = lexicon.0.lock().unwrap_or_else(|e| e.into_inner());
    let languages: BTreeSet<&str> = inputs
        .jobs
        .iter()
        .filter(|j| j.kind == PageKind::Search)
        .filter_map(|j| j.lang.as_deref())
        .collect();
    let languages: Vec<&str> = languages.into_iter().collect();
    languages
        .par_iter()
        .map(|&lang| {
            let index = index(inputs, &table.terms, lang);
            let json = serde_json::to_string(&index).expect("the index serializes");
            OutputFile {
                path: urls::output_file(&urls::search_index(lang)),
                bytes: json.into_bytes(),
            }
        })
        .collect()
}

/// The more useful kinds of page first.
fn rank(job: &PageJob) -> Option<u8> {
    match job.kind {
        // The your-settings page is a general page too.
        PageKind::Markdown { .. } | PageKind::YourSettings => Some(0),
        PageKind::Plan { .. } => Some(1),
        PageKind::Client { .. } => Some(2),
        PageKind::ClientGuide { .. } => Some(3),
        PageKind::Home { .. } => Some(4),
        PageKind::LanguageChoice | PageKind::Search | PageKind::NotFound => None,
    }
}

/// One page as the index reads it: its title, its sections (anchor, label), and which
/// terms occur in which section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReadPage {
    title: String,
    sections: Vec<(String, String)>,
    /// (term number, section of this page), sorted, no repeats, packed by [`pack`]: a
    /// build holds these for every page until the index is made.
    postings: Vec<u8>,
}

/// Sorted (term, section) pairs as bytes: the term as the gap from the one before and the
/// section, both as LEB128 varints (about three bytes a pair instead of eight).
fn pack(pairs: impl ExactSizeIterator<Item = (u32, u32)>) -> Vec<u8> {
    fn varint(out: &mut Vec<u8>, mut n: u32) {
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }
    let mut out = Vec::with_capacity(pairs.len() * 3);
    let mut last = 0;
    for (term, section) in pairs {
        varint(&mut out, term - last);
        varint(&mut out, section);
        last = term;
    }
    out
}

/// The pairs [`pack`] packed, in order.
fn unpack(bytes: &[u8]) -> Unpack<'_> {
    Unpack {
        bytes,
        at: 0,
        term: 0,
    }
}

struct Unpack<'a> {
    bytes: &'a [u8],
    at: usize,
    term: u32,
}

impl Unpack<'_> {
    fn varint(&mut self) -> u32 {
        let mut n = 0u32;
        let mut shift = 0;
        loop {
            let b = self.bytes[self.at];
            self.at += 1;
            n |= u32::from(b & 0x7f) << shift;
            if b < 0x80 {
                return n;
            }
            shift += 7;
        }
    }
}

impl Iterator for Unpack<'_> {
    type Item = (u32, u32);

    fn next(&mut self) -> Option<(u32, u32)> {
        if self.at >= self.bytes.len() {
            return None;
        }
        self.term += self.varint();
        let section = self.varint();
        Some((self.term, section))
    }
}

/// A rendered page as the index reads it, right after it is rendered (a build keeps this,
/// not the page's HTML); `None` for a page search does not list.
pub(super) fn read(lexicon: &Lexicon, job: &PageJob, html: &str) -> Option<ReadPage> {
    rank(job)?;
    let (title, sections) = sections::sections(html)?;
    let texts: Vec<_> = sections
        .iter()
        .map(|s| tokens::normalize(&s.text))
        .collect();
    // The page's distinct terms in order of appearance, numbered locally, so that the
    // lexicon is locked once per page; each (term, section) pair is kept once, when the
    // term is first seen in that section.
    let mut local: HashMap<&str, u32, FixedState> = HashMap::default();
    let mut order: Vec<&str> = Vec::new();
    let mut last_section: Vec<u32> = Vec::new();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for (n, text) in texts.iter().enumerate() {
        let section = u32::try_from(n).expect("fewer than 2³² sections");
        tokens::each_term(text, |term| {
            let next = u32::try_from(order.len()).expect("fewer than 2³² terms");
            let k = *local.entry(term).or_insert_with(|| {
                order.push(term);
                last_section.push(u32::MAX);
                next
            });
            let last = &mut last_section[k as usize];
            if *last != section {
                *last = section;
                pairs.push((k, section));
            }
        });
    }
    let ids = lexicon.ids(order.iter().copied());
    // Sorted by term number, then section: one integer each sorts fastest.
    let mut keyed: Vec<u64> = pairs
        .into_iter()
        .map(|(k, section)| (u64::from(ids[k as usize]) << 32) | u64::from(section))
        .collect();
    keyed.sort_unstable();
    let postings = pack(
        keyed
            .into_iter()
            .map(|key| ((key >> 32) as u32, key as u32)),
    );
    let sections = sections.into_iter().map(|s| (s.anchor, s.label)).collect();
    Some(ReadPage {
        title,
        sections,
        postings,
    })
}

fn index<'a>(inputs: &'a Inputs<'_>, terms: &'a [Box<str>], lang: &str) -> Index<'a> {
    let mut pages: Vec<(u8, &PageJob, &ReadPage)> = inputs
        .jobs
        .iter()
        .zip(inputs.pages)
        .filter(|(j, _)| j.lang.as_deref() == Some(lang))
        .filter_map(|(j, p)| Some((rank(j)?, j, p.search.as_ref()?)))
        .collect();
    // Within a kind, shallower pages are the more general ones (`/ja/settings/` before
    // `/ja/admin/setup-files/`).
    let depth = |j: &PageJob| j.url.matches('/').count();
    pages.sort_by(|a, b| (a.0, depth(a.1), &a.1.output).cmp(&(b.0, depth(b.1), &b.1.output)));
    let mut index = Index {
        v: VERSION,
        pages: Vec::new(),
        anchors: Vec::new(),
        labels: Vec::new(),
        sections: Vec::new(),
        terms: Terms(Vec::new()),
    };
    let (mut anchors, mut labels) = (HashMap::default(), HashMap::default());
    // Section lists by term number; pages come in order, so each list stays ascending.
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); terms.len()];
    for (rank, job, page) in pages {
        let page_no = index.pages.len();
        let first = u32::try_from(index.sections.len()).expect("fewer than 2³² sections");
        index.pages.push((
            job.url.trim_start_matches('/').to_string(),
            &page.title,
            rank,
        ));
        for (anchor, label) in &page.sections {
            let anchor = number(&mut index.anchors, &mut anchors, anchor);
            let label = number(&mut index.labels, &mut labels, label);
            index.sections.push((page_no, anchor, label));
        }
        for (term, section) in unpack(&page.postings) {
            postings[term as usize].push(first + section);
        }
    }
    let mut used: Vec<(&str, Vec<u32>)> = postings
        .into_iter()
        .enumerate()
        .filter(|(_, list)| !list.is_empty())
        .map(|(id, list)| (&*terms[id], list))
        .collect();
    used.sort_unstable_by(|a, b| a.0.cmp(b.0));
    index.terms = Terms(used);
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_pairs_unpack_to_themselves() {
        let pairs = [
            (0, 0),
            (0, 3),
            (5, 200),
            (130, 1),
            (70_000, 0),
            (u32::MAX, 9),
        ];
        assert_eq!(unpack(&pack(pairs.into_iter())).collect::<Vec<_>>(), pairs);
        assert_eq!(unpack(&pack(std::iter::empty())).count(), 0);
    }

    #[test]
    fn runs_of_sections_are_one_number() {
        let encode = |sections: &[u32]| {
            let mut out = Vec::new();
            super::encode(sections, &mut out);
            out
        };
        assert_eq!(encode(&[3, 4, 5, 6, 10]), [3, -3, 4]);
        assert_eq!(encode(&[0, 1, 2]), [0, -2]);
        assert_eq!(encode(&[1, 2]), [-2]);
        assert_eq!(encode(&[2, 3, 9, 10]), [2, 1, 6, 1]);
        assert_eq!(encode(&[5]), [5]);
    }
}
