//! Generated pages through a real HTML parser (html5ever via scraper), keeping the
//! source line of every element and of every parse error.
//!
//! html5ever tells its tree sink the current source line before each token; a thin
//! wrapper around scraper's sink records it for each element it creates and each
//! parse error it reports. The column is found by looking for the element's start
//! tag on that line.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::collections::HashMap;

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use html5ever::driver::{self, ParseOpts};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tokenizer::TokenizerOpts;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeBuilderOpts, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{ElementRef, Html, HtmlTreeSink, Node};

use crate::html::TagFinder;

/// One generated page, parsed.
pub struct ParsedPage {
    /// Output path, e.g. `ja/settings/index.html` (what problems name).
    pub output: String,
    /// URL path from the site root, e.g. `/ja/settings/`.
    pub url: String,
    /// The page's language from the page plan (none for the language choice).
    pub lang: Option<String>,
    pub doc: Html,
    /// Element → 1-based (line, column) of its start tag in the output.
    locations: HashMap<NodeId, (usize, usize)>,
    /// Parse errors: 1-based line and message.
    pub errors: Vec<(usize, String)>,
}

impl ParsedPage {
    pub fn parse(output: &str, url: &str, lang: Option<String>, html: &str) -> ParsedPage {
        let opts = ParseOpts {
            tokenizer: TokenizerOpts {
                exact_errors: true,
                ..Default::default()
            },
            tree_builder: TreeBuilderOpts {
                exact_errors: true,
                ..Default::default()
            },
        };
        let sink = LocatingSink {
            inner: HtmlTreeSink::new(Html::new_document()),
            line: Cell::new(1),
            created: RefCell::new(Vec::new()),
            errors: RefCell::new(Vec::new()),
        };
        let (doc, created, errors) = driver::parse_document(sink, opts).one(html);
        let lines: Vec<&str> = html.split('\n').collect();
        // Several elements of one name on one line: the k-th created is the k-th tag there.
        let mut tags: HashMap<usize, TagFinder> = HashMap::new();
        let mut locations = HashMap::new();
        for (id, line) in created {
            let line = usize::try_from(line).unwrap_or(1).max(1);
            let Some(name) = doc
                .tree
                .get(id)
                .and_then(|n| n.value().as_element())
                .map(|e| e.name().to_string())
            else {
                continue;
            };
            let column = lines.get(line - 1).and_then(|text| {
                let byte = tags
                    .entry(line)
                    .or_insert_with(|| TagFinder::new(text))
                    .next(&name)?;
                Some(text[..byte].chars().count() + 1)
            });
            // An element the parser made up (an implied <tbody>) has no tag of its own.
            locations.insert(id, (line, column.unwrap_or(1)));
        }
        ParsedPage {
            output: output.to_string(),
            url: url.to_string(),
            lang,
            doc,
            locations,
            errors: errors
                .into_iter()
                .map(|(l, m)| (usize::try_from(l).unwrap_or(1), m))
                .collect(),
        }
    }

    /// 1-based line and column of an element's start tag (1:1 when unknown).
    pub fn location(&self, el: &ElementRef<'_>) -> (usize, usize) {
        self.locations.get(&el.id()).copied().unwrap_or((1, 1))
    }

    /// Every element, in document order.
    pub fn elements(&self) -> impl Iterator<Item = ElementRef<'_>> {
        self.doc
            .root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
    }
}

/// The text of an element as a reader sees it: whitespace collapsed.
pub fn text_of(el: &ElementRef<'_>) -> String {
    collapse(&el.text().collect::<String>())
}

pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An element's start tag as people read it: its marker and link attributes.
pub fn describe(el: &ElementRef<'_>) -> String {
    let e = el.value();
    let mut attrs: Vec<(&str, &str)> = e
        .attrs()
        .filter(|(k, _)| k.starts_with("data-") || *k == "href" || *k == "src" || *k == "id")
        .collect();
    attrs.sort_by_key(|(k, _)| attr_rank(k));
    let mut s = format!("<{}", e.name());
    for (k, v) in attrs {
        s.push_str(&format!(" {k}=\"{v}\""));
    }
    s.push('>');
    s
}

fn attr_rank(k: &str) -> usize {
    let order = crate::markers::ATTRIBUTE_ORDER;
    order.iter().position(|o| *o == k).unwrap_or(order.len())
}

/// One step of [`ParsedPage::walk`].
pub enum Step<'a> {
    /// A node, and the language it is in: its own `lang` or its nearest ancestor's.
    Enter(ego_tree_ref::NodeRef<'a, Node>, Option<&'a str>),
    /// The end of a node and everything in it.
    Leave(ego_tree_ref::NodeRef<'a, Node>),
}

impl ParsedPage {
    /// Every node from `<html>` down, in document order, with its language, in one walk:
    /// asking each node's ancestors instead costs every node the page's depth (seconds for
    /// a page nested 20,000 deep).
    pub fn walk<'a>(&'a self, mut visit: impl FnMut(Step<'a>)) {
        let mut langs: Vec<Option<&'a str>> = Vec::new();
        for edge in self.doc.root_element().traverse() {
            match edge {
                Edge::Open(node) => {
                    let own = node.value().as_element().and_then(|e| e.attr("lang"));
                    let lang = own.or(langs.last().copied().flatten());
                    langs.push(lang);
                    visit(Step::Enter(node, lang));
                }
                Edge::Close(node) => {
                    langs.pop();
                    visit(Step::Leave(node));
                }
            }
        }
    }
}

/// Re-exported path so rules can name node references without depending on ego-tree.
pub mod ego_tree_ref {
    pub use ego_tree::NodeRef;
}

type Created = Vec<(NodeId, u64)>;
type Errors = Vec<(u64, String)>;

struct LocatingSink {
    inner: HtmlTreeSink,
    line: Cell<u64>,
    created: RefCell<Created>,
    errors: RefCell<Errors>,
}

impl TreeSink for LocatingSink {
    type Handle = NodeId;
    type Output = (Html, Created, Errors);
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Self::Output {
        (
            self.inner.finish(),
            self.created.into_inner(),
            self.errors.into_inner(),
        )
    }
    fn parse_error(&self, msg: Cow<'static, str>) {
        self.errors
            .borrow_mut()
            .push((self.line.get(), msg.into_owned()));
    }
    fn set_current_line(&self, line_number: u64) {
        self.line.set(line_number);
    }
    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let id = self.inner.create_element(name, attrs, flags);
        self.created.borrow_mut().push((id, self.line.get()));
        id
    }
    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.inner.append(parent, child)
    }
    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        self.inner
            .append_based_on_parent_node(element, prev_element, child)
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }
    fn mark_script_already_started(&self, node: &NodeId) {
        self.inner.mark_script_already_started(node)
    }
    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.inner.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }
    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_and_errors_are_located() {
        let html = "<!doctype html>\n<html lang=\"en\"><head><title>x</title></head>\n<body><p>a <span id=\"s\">b</span><span id=\"t\">c</span>\n</div></body></html>\n";
        let page = ParsedPage::parse("x.html", "/x", None, html);
        let spans: Vec<(usize, usize)> = page
            .elements()
            .filter(|e| e.value().name() == "span")
            .map(|e| page.location(&e))
            .collect();
        assert_eq!(spans, vec![(3, 12), (3, 33)]);
        assert_eq!(page.errors.len(), 1, "{:?}", page.errors);
        assert_eq!(page.errors[0].0, 4);
    }

    #[test]
    fn svg_names_and_form_feeds_are_located_too() {
        let html = "<!doctype html>\n<html lang=\"en\"><head><title>x</title></head><body>\n<svg><clipPath id=\"c\"></clipPath></svg><p\x0Cid=\"f\">a</p>\n</body></html>\n";
        let page = ParsedPage::parse("x.html", "/x", None, html);
        let at = |name: &str| {
            let el = page
                .elements()
                .find(|e| e.value().name() == name)
                .expect(name);
            page.location(&el)
        };
        assert_eq!(at("clipPath"), (3, 6));
        assert_eq!(at("p"), (3, 40));
    }
}
