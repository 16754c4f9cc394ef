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

mod read;
mod scan;
mod sections;
mod tokens;

use std::collections::{BTreeSet, HashMap};

use foldhash::fast::FixedState;
use rayon::prelude::*;
use serde::ser::{Serialize, SerializeMap, Serializer};

pub(super) use read::read;
pub(crate) use read::Lexicon;

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
    sections: Vec<(u32, u32, u32)>,
    terms: Terms<'a>,
}

/// The terms in byte order, each with the sections that contain it (a JSON object, each
/// list [`encode`]d as it is written: a large site's encoded lists are never all held).
struct Terms<'a>(Vec<(&'a str, &'a [u32])>);

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

/// The number of a string in a table of distinct strings, added when new.
fn number<'a>(
    table: &mut Vec<&'a str>,
    numbers: &mut HashMap<&'a str, u32, FixedState>,
    s: &'a str,
) -> u32 {
    *numbers.entry(s).or_insert_with(|| {
        table.push(s);
        u32::try_from(table.len() - 1).expect("fewer than 2³² strings")
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
    let table = lexicon.table();
    let languages: BTreeSet<&str> = inputs
        .jobs
        .iter()
        .filter(|j| j.kind == PageKind::Search)
        .filter_map(|j| j.lang.as_deref())
        .collect();
    let languages: Vec<&str> = languages.into_iter().collect();
    languages
        .par_iter()
        .map(|&lang| OutputFile {
            path: urls::output_file(&urls::search_index(lang)),
            bytes: index_json(inputs, &table.terms, lang),
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
/// terms occur in which section. A build holds one for every page until the index is made,
/// so each is three allocations, not one per string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReadPage {
    /// The title, then each section's anchor and label, one after the other.
    text: Box<str>,
    /// Where each part of `text` ends.
    ends: Box<[u32]>,
    /// (term number, section of this page), sorted, no repeats, packed by [`pack`].
    postings: Box<[u8]>,
}

impl ReadPage {
    fn new(title: &str, sections: &[sections::Section], postings: Vec<u8>) -> ReadPage {
        let mut text = String::from(title);
        let mut ends = vec![text.len()];
        for s in sections {
            text.push_str(&s.anchor);
            ends.push(text.len());
            text.push_str(&s.label);
            ends.push(text.len());
        }
        let ends = ends
            .into_iter()
            .map(|e| u32::try_from(e).expect("a page's titles under 4 GB"))
            .collect();
        ReadPage {
            text: text.into_boxed_str(),
            ends,
            postings: postings.into_boxed_slice(),
        }
    }

    fn parts(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let part = &self.text[start..end as usize];
            start = end as usize;
            part
        })
    }

    fn title(&self) -> &str {
        self.parts().next().unwrap_or_default()
    }

    /// (anchor, label) of each section.
    fn sections(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut parts = self.parts().skip(1);
        std::iter::from_fn(move || Some((parts.next()?, parts.next()?)))
    }
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

/// The index of language `lang`, as JSON.
fn index_json(inputs: &Inputs<'_>, terms: &[Box<str>], lang: &str) -> Vec<u8> {
    let mut pages: Vec<(u8, &PageJob, &ReadPage)> = inputs
        .jobs
        .iter()
        .zip(inputs.pages)
        .filter(|(j, _)| j.lang.as_deref() == Some(lang))
        .filter_map(|(j, p)| Some((rank(j)?, j, p.search.as_ref()?)))
        .collect();
    // Within a kind, shallower pages are the more general ones (`/ja/settings/` before
    // `/ja/admin/setup-files/`).
    pages.sort_by_cached_key(|&(rank, job, _)| (rank, job.url.matches('/').count(), &job.output));
    let mut index = Index {
        v: VERSION,
        pages: Vec::new(),
        anchors: Vec::new(),
        labels: Vec::new(),
        sections: Vec::new(),
        terms: Terms(Vec::new()),
    };
    let (mut anchors, mut labels) = (HashMap::default(), HashMap::default());
    // The section lists of all terms in one array, each term's list at `starts[term]`:
    // counted first, then filled page by page, so that each list is ascending. (A list
    // per term, grown as it fills, held up to twice the memory: this is a build's peak.)
    let mut starts = vec![0u32; terms.len() + 1];
    for (_, _, page) in &pages {
        for (term, _) in unpack(&page.postings) {
            starts[term as usize + 1] += 1;
        }
    }
    for t in 1..starts.len() {
        starts[t] += starts[t - 1];
    }
    let mut lists = vec![0u32; starts[terms.len()] as usize];
    let mut next = starts.clone();
    for (rank, job, page) in pages {
        let page_no = u32::try_from(index.pages.len()).expect("fewer than 2³² pages");
        let first = u32::try_from(index.sections.len()).expect("fewer than 2³² sections");
        index.pages.push((
            job.url.trim_start_matches('/').to_string(),
            page.title(),
            rank,
        ));
        for (anchor, label) in page.sections() {
            let anchor = number(&mut index.anchors, &mut anchors, anchor);
            let label = number(&mut index.labels, &mut labels, label);
            index.sections.push((page_no, anchor, label));
        }
        for (term, section) in unpack(&page.postings) {
            let slot = &mut next[term as usize];
            lists[*slot as usize] = first + section;
            *slot += 1;
        }
    }
    let mut used: Vec<(&str, &[u32])> = (0..terms.len())
        .map(|t| {
            (
                &*terms[t],
                &lists[starts[t] as usize..starts[t + 1] as usize],
            )
        })
        .filter(|(_, list)| !list.is_empty())
        .collect();
    used.sort_unstable_by(|a, b| a.0.cmp(b.0));
    index.terms = Terms(used);
    serde_json::to_vec(&index).expect("the index serializes")
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
