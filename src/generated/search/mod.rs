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

pub(super) mod sections;
mod tokens;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::{Inputs, OutputFile};
use crate::plan::{PageJob, PageKind};
use crate::urls;

/// Version of the format, for the script.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Index {
    v: u32,
    pages: Vec<(String, String, u8)>,
    anchors: Vec<String>,
    labels: Vec<String>,
    sections: Vec<(usize, usize, usize)>,
    terms: BTreeMap<String, Vec<i64>>,
}

/// The number of a string in a table of distinct strings, added when new.
fn number(table: &mut Vec<String>, numbers: &mut HashMap<String, usize>, s: String) -> usize {
    *numbers.entry(s).or_insert_with_key(|s| {
        table.push(s.clone());
        table.len() - 1
    })
}

/// Section numbers (ascending) as gaps, runs of consecutive sections as `-k`.
fn encode(sections: &[usize]) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    let mut last = 0;
    for &n in sections {
        let gap = i64::try_from(n - last).expect("a section number fits");
        last = n;
        match out.last_mut() {
            Some(run) if gap == 1 && *run < 0 => *run -= 1,
            Some(one) if gap == 1 && *one == 1 => *one = -2,
            _ => out.push(gap),
        }
    }
    out
}

/// Whether the site has search pages, so pages are read for the index.
pub(super) fn wanted(jobs: &[PageJob]) -> bool {
    jobs.iter().any(|j| j.kind == PageKind::Search)
}

/// One index per language of a site that has search pages.
pub(super) fn files(inputs: &Inputs<'_>) -> Vec<OutputFile> {
    let languages: BTreeSet<&str> = inputs
        .jobs
        .iter()
        .filter(|j| j.kind == PageKind::Search)
        .filter_map(|j| j.lang.as_deref())
        .collect();
    languages
        .into_iter()
        .map(|lang| {
            let index = index(inputs, lang);
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

/// One page, read: its title and its sections with their terms.
pub(crate) type ReadPage = (String, Vec<(sections::Section, BTreeSet<String>)>);

/// A rendered page as the index reads it, right after it is rendered (a build keeps this,
/// not the page's HTML); `None` for a page search does not list.
pub(super) fn read(job: &PageJob, html: &str) -> Option<ReadPage> {
    rank(job)?;
    let (title, sections) = sections::sections(html)?;
    let sections = sections
        .into_iter()
        .map(|s| {
            let terms = tokens::terms(&tokens::normalize(&s.text));
            (s, terms.into_iter().collect())
        })
        .collect();
    Some((title, sections))
}

fn index(inputs: &Inputs<'_>, lang: &str) -> Index {
    let mut jobs: Vec<(u8, &PageJob, Option<&ReadPage>)> = inputs
        .jobs
        .iter()
        .zip(inputs.pages)
        .filter(|(j, _)| j.lang.as_deref() == Some(lang))
        .filter_map(|(j, p)| rank(j).map(|r| (r, j, p.search.as_ref())))
        .collect();
    // Within a kind, shallower pages are the more general ones (`/ja/settings/` before
    // `/ja/admin/setup-files/`).
    let depth = |j: &PageJob| j.url.matches('/').count();
    jobs.sort_by(|a, b| (a.0, depth(a.1), &a.1.output).cmp(&(b.0, depth(b.1), &b.1.output)));
    let mut index = Index {
        v: VERSION,
        pages: Vec::new(),
        anchors: Vec::new(),
        labels: Vec::new(),
        sections: Vec::new(),
        terms: BTreeMap::new(),
    };
    let (mut anchors, mut labels) = (HashMap::new(), HashMap::new());
    let mut postings: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (rank, job, page) in jobs {
        let Some((title, sections)) = page else {
            continue;
        };
        let page_no = index.pages.len();
        index.pages.push((
            job.url.trim_start_matches('/').to_string(),
            title.clone(),
            rank,
        ));
        for (s, terms) in sections {
            let section_no = index.sections.len();
            for term in terms {
                postings.entry(term.clone()).or_default().push(section_no);
            }
            let anchor = number(&mut index.anchors, &mut anchors, s.anchor.clone());
            let label = number(&mut index.labels, &mut labels, s.label.clone());
            index.sections.push((page_no, anchor, label));
        }
    }
    index.terms = postings
        .into_iter()
        .map(|(term, list)| (term, encode(&list)))
        .collect();
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_sections_are_one_number() {
        assert_eq!(encode(&[3, 4, 5, 6, 10]), [3, -3, 4]);
        assert_eq!(encode(&[0, 1, 2]), [0, -2]);
        assert_eq!(encode(&[1, 2]), [-2]);
        assert_eq!(encode(&[2, 3, 9, 10]), [2, 1, 6, 1]);
        assert_eq!(encode(&[5]), [5]);
    }
}
