//! minijinja errors as located diagnostics: the template or Markdown file, line and column.

use minijinja::{Error, ErrorKind};

use super::RENDER_FUEL;
use crate::content::MarkdownPage;
use crate::diag::{Diagnostic, SourceFile};
use crate::site::{Site, TEMPLATES_DIR};

fn error_message(e: &Error) -> String {
    if e.kind() == ErrorKind::OutOfFuel {
        return format!(
            "rendering stopped: this page needs more work than any page may do ({RENDER_FUEL} steps); look for a loop that is too large or never ends"
        );
    }
    match e.detail() {
        Some(detail) => format!("template error: {}: {detail}", e.kind()),
        None => format!("template error: {}", e.kind()),
    }
}

/// The error that started it: an error inside an included or extended template comes
/// wrapped ("could not render include") with the inner template's name and line only on
/// the inner error.
pub(super) fn innermost(e: &Error) -> &Error {
    let mut at = e;
    while let Some(inner) = std::error::Error::source(at).and_then(|s| s.downcast_ref::<Error>()) {
        if inner.name().is_none() {
            break;
        }
        at = inner;
    }
    at
}

/// Locates a minijinja error in `templates/…` (where it started, in an include too).
pub(super) fn template_diagnostic(site: &Site, e: &Error) -> Diagnostic {
    let e = innermost(e);
    let name = e.name().unwrap_or("");
    match site.templates.get(name) {
        Some(src) => locate(src, 0, e),
        None => Diagnostic::file(format!("{TEMPLATES_DIR}/{name}"), error_message(e)),
    }
}

/// Locates an error in a Markdown body (its lines count from the file's first line).
pub(super) fn markdown_diagnostic(
    source: &SourceFile,
    page: &MarkdownPage,
    e: &Error,
) -> Diagnostic {
    locate(source, page.body_start, e)
}

fn locate(src: &SourceFile, body_start: usize, e: &Error) -> Diagnostic {
    let (body_line, _) = src.line_col(body_start);
    let (line, column) = match (e.range(), e.line()) {
        (Some(r), _) => src.line_col(body_start + r.start),
        (None, Some(l)) => (body_line + l - 1, 1),
        _ => (body_line, 1),
    };
    Diagnostic::new(src.path.clone(), line, column, error_message(e))
}
