//! Located problems (`path:line:col: message`) and their rendering.
//!
//! Every loader and validator reports through [`Diagnostic`], so the terminal, the
//! `serve` overlay and `check` all print the same words for the same mistake.

use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use serde::Serialize;

use crate::controls;

/// What sort of problem a diagnostic is, for callers that treat some sorts differently
/// (`check` files missing translations under its translations rule; `build` prints a
/// refused output folder as one line). Nobody inspects message text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Input that breaks a rule (the usual case).
    #[default]
    Invalid,
    /// An input file that does not exist.
    NotFound,
    /// A text, UI string or page missing in a language.
    MissingTranslation,
    /// An output folder mailsite may not replace.
    Output,
}

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators (stable across machines).
    pub path: String,
    /// 1-based line; 0 when the problem is about a path that is not an input file (an
    /// output folder), shown as `path: message`.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    pub message: String,
    #[serde(skip)]
    pub kind: Kind,
}

impl Diagnostic {
    pub fn new(
        path: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        // Messages quote the input (keys, ids, file names); a control character quoted raw
        // would act on the terminal or split the one-line format.
        let (path, message) = (path.into(), message.into());
        Diagnostic {
            path: controls::escape_line(&path).into_owned(),
            line,
            column,
            message: controls::escape_line(&message).into_owned(),
            kind: Kind::Invalid,
        }
    }

    pub fn with_kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    /// A problem with a file as a whole (missing, unreadable): reported at 1:1.
    pub fn file(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(path, 1, 1, message)
    }

    /// A problem with a path that is not an input file (an output folder): no line, no column.
    pub fn path(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(path, 0, 0, message).with_kind(Kind::Output)
    }

    /// A folder of inputs that could not be listed completely: what it holds would be
    /// missing from the site, so it is an error like an unreadable file.
    pub fn walk(root: &Path, e: &walkdir::Error) -> Self {
        let path = e
            .path()
            .map(|p| display_path(p.strip_prefix(root).unwrap_or(p)))
            .unwrap_or_default();
        let message = match e.io_error() {
            Some(io) => io_problem(io, "folder"),
            None => format!("cannot read folder: {e}"),
        };
        Diagnostic::file(path, message)
    }

    /// A symbolic link among the sources, which mailsite does not follow: a link can
    /// lead out of the site (and publish what it points at), and skipping it in silence
    /// left pages or the stylesheet out with nothing said.
    pub fn symlink(root: &Path, path: &Path) -> Self {
        Diagnostic::file(
            display_path(path.strip_prefix(root).unwrap_or(path)),
            "a symbolic link: mailsite does not follow links among the site's sources; put the file (or folder) itself here",
        )
    }

    /// A problem at a byte span of a loaded source file.
    pub fn at(source: &SourceFile, span: Range<usize>, message: impl Into<String>) -> Self {
        let (line, column) = source.line_col(span.start);
        Diagnostic::new(source.path.clone(), line, column, message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            return write!(f, "{}: {}", self.path, self.message);
        }
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

/// All the problems of one run, sorted by place so output is stable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
    /// `Ok(())` when nothing was reported, otherwise the sorted, de-duplicated list.
    pub fn into_result(mut self) -> Result<(), Diagnostics> {
        if self.0.is_empty() {
            Ok(())
        } else {
            self.0.sort();
            self.0.dedup();
            Err(self)
        }
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(list: Vec<Diagnostic>) -> Self {
        Diagnostics(list)
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// The text of an input file together with its site-relative name, for locating spans.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    /// Made when a position is first asked for: most files never have a problem, and a
    /// large site's line tables would be megabytes.
    line_starts: OnceLock<Vec<usize>>,
}

/// The largest source file mailsite reads: far above any page, matrix or template, and
/// low enough that a path naming a device (`/dev/zero`) stops with an error.
const MAX_SOURCE_BYTES: u64 = 256 << 20;

enum Unreadable {
    Io(std::io::Error),
    NotAFile,
    TooLarge,
}

/// The bytes of the regular file at `path` (a link is followed); anything else is refused.
/// Opened without waiting (opening a named pipe would wait for a writer forever), then
/// asked what it is: the same system calls as `fs::read`, which a build makes for every
/// page twice.
fn read_regular(path: &Path) -> Result<Vec<u8>, Unreadable> {
    use std::io::Read as _;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(Unreadable::Io)?;
    let meta = file.metadata().map_err(Unreadable::Io)?;
    if !meta.is_file() {
        return Err(Unreadable::NotAFile);
    }
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(Unreadable::TooLarge);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_SOURCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(Unreadable::Io)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(Unreadable::TooLarge);
    }
    Ok(bytes)
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: String) -> Self {
        SourceFile {
            path: path.into(),
            text,
            line_starts: OnceLock::new(),
        }
    }

    /// Reads `root/rel`; the error is already a located diagnostic.
    pub fn read(root: &Path, rel: &Path) -> Result<Self, Diagnostic> {
        let name = display_path(rel);
        match read_regular(&root.join(rel)) {
            Ok(bytes) => SourceFile::from_bytes(name, bytes),
            Err(Unreadable::Io(e)) => {
                let kind = if e.kind() == std::io::ErrorKind::NotFound {
                    Kind::NotFound
                } else {
                    Kind::Invalid
                };
                Err(Diagnostic::file(name, io_message(&e)).with_kind(kind))
            }
            Err(Unreadable::NotAFile) => Err(Diagnostic::file(
                name,
                "not a file (a folder, a device or a pipe): mailsite reads its sources only from files",
            )),
            Err(Unreadable::TooLarge) => Err(Diagnostic::file(
                name,
                format!(
                    "larger than {} MB: too large for a source file",
                    MAX_SOURCE_BYTES >> 20
                ),
            )),
        }
    }

    /// Decodes a file's bytes as UTF-8. A leading byte order mark is dropped: editors on
    /// Windows write one, it is not part of the text, and columns on line 1 count from
    /// after it. Invalid UTF-8 is reported at the line and column where it starts.
    pub fn from_bytes(path: impl Into<String>, mut bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        const BOM: &[u8] = "\u{feff}".as_bytes();
        if bytes.starts_with(BOM) {
            bytes.drain(..BOM.len());
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile::new(path, text)),
            Err(e) => {
                let bytes = e.as_bytes();
                let utf8 = e.utf8_error();
                let valid = utf8.valid_up_to();
                let prefix = std::str::from_utf8(&bytes[..valid]).expect("valid up to here");
                let line = prefix.matches('\n').count() + 1;
                let column = prefix[prefix.rfind('\n').map_or(0, |i| i + 1)..]
                    .chars()
                    .count()
                    + 1;
                Err(Diagnostic::new(
                    path,
                    line,
                    column,
                    format!(
                        "the file is not valid UTF-8 ({}); save it as UTF-8, not Shift_JIS or UTF-16",
                        utf8_problem(bytes, valid, utf8.error_len())
                    ),
                ))
            }
        }
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        });
        let line = line_starts.partition_point(|&s| s <= offset) - 1;
        let start = line_starts[line];
        let prefix = self.text.get(start..offset).unwrap_or("");
        (line + 1, prefix.chars().count() + 1)
    }
}

/// What is wrong at the first invalid byte, for the "not valid UTF-8" message.
fn utf8_problem(bytes: &[u8], at: usize, len: Option<usize>) -> String {
    if at == 0 && (bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])) {
        return "it starts with a UTF-16 byte order mark".into();
    }
    let hex = |b: &[u8]| {
        b.iter()
            .map(|b| format!("0x{b:02X}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    match len {
        Some(1) => format!("invalid byte {}", hex(&bytes[at..=at])),
        Some(n) => format!("invalid bytes {}", hex(&bytes[at..at + n])),
        None => format!("the file ends inside a character: {}", hex(&bytes[at..])),
    }
}

/// Why a file could not be read, in words that say what to do. Running out of file
/// descriptors gets its own words: it is a limit of the process or the system, not a
/// problem with the file, and `ulimit -n` is the fix.
pub fn io_message(e: &std::io::Error) -> String {
    io_problem(e, "file")
}

/// [`io_message`] for a `file` or a `folder`.
fn io_problem(e: &std::io::Error, what: &str) -> String {
    if e.kind() == std::io::ErrorKind::NotFound {
        return format!("{what} not found");
    }
    io_failure(e, &format!("read {what}"))
}

/// What went wrong with a file operation, in words: running out of file descriptors is
/// named as such; anything else is `cannot ACTION: os message`.
pub(crate) fn io_failure(e: &std::io::Error, action: &str) -> String {
    match FdExhaustion::of(e) {
        Some(FdExhaustion::Process) => format!(
            "too many open files: the process ran out of file descriptors; raise `ulimit -n` (e.g. `ulimit -n 4096`) and run again ({e})"
        ),
        Some(FdExhaustion::System) => format!(
            "too many open files in the system: every file descriptor of the machine is in use; close other programs or raise the system limit (fs.file-max) and run again ({e})"
        ),
        None => format!("cannot {action}: {e}"),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum FdExhaustion {
    /// EMFILE: this process's limit (`ulimit -n`).
    Process,
    /// ENFILE: the whole system's table is full.
    System,
}

impl FdExhaustion {
    fn of(e: &std::io::Error) -> Option<Self> {
        let code = e.raw_os_error()?;
        #[cfg(unix)]
        {
            if code == libc::EMFILE {
                return Some(FdExhaustion::Process);
            }
            if code == libc::ENFILE {
                return Some(FdExhaustion::System);
            }
        }
        #[cfg(windows)]
        {
            // ERROR_TOO_MANY_OPEN_FILES
            if code == 4 {
                return Some(FdExhaustion::Process);
            }
        }
        let _ = code;
        None
    }
}

/// A path as shown to people: relative, `/`-separated, identical on every OS.
pub fn display_path(p: &Path) -> String {
    let joined = p
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    // The root component is itself `/`: `/dev/zero`, not `//dev/zero`.
    match joined.strip_prefix("//") {
        Some(rest) if p.has_root() => format!("/{rest}"),
        _ => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = SourceFile::new("a.toml", "x = 1\nname = \"受信\" bad\n".to_string());
        let off = src.text.find("bad").unwrap();
        assert_eq!(src.line_col(off), (2, 13));
        assert_eq!(src.line_col(0), (1, 1));
    }

    #[test]
    fn a_byte_order_mark_is_not_text() {
        let src = SourceFile::from_bytes("a.md", "\u{feff}+++\nx\n".into()).unwrap();
        assert_eq!(src.text, "+++\nx\n");
        assert_eq!(src.line_col(1), (1, 2));
        // Only a leading one is an encoding signature; anywhere else it is a character.
        let src = SourceFile::from_bytes("a.md", "a\u{feff}".into()).unwrap();
        assert_eq!(src.text, "a\u{feff}");
    }

    #[test]
    fn invalid_utf8_is_located_at_its_first_bad_byte() {
        let mut bytes = "title = 1\n受信 ok ".as_bytes().to_vec();
        bytes.extend([0x83, 0x7E, b'\n']); // Shift_JIS
        let d = SourceFile::from_bytes("x.toml", bytes).unwrap_err();
        assert_eq!((d.line, d.column), (2, 7), "{d}");
        assert!(
            d.message
                .starts_with("the file is not valid UTF-8 (invalid byte 0x83); save it as UTF-8"),
            "{d}"
        );

        let mut bytes = b"a\nb".to_vec();
        bytes.extend(&"受".as_bytes()[..2]);
        let d = SourceFile::from_bytes("x.toml", bytes).unwrap_err();
        assert_eq!((d.line, d.column), (2, 2));
        assert!(
            d.message.contains("ends inside a character: 0xE5 0x8F"),
            "{d}"
        );

        let d = SourceFile::from_bytes("x.toml", vec![0xFF, 0xFE, b'a', 0]).unwrap_err();
        assert_eq!((d.line, d.column), (1, 1));
        assert!(d.message.contains("UTF-16 byte order mark"), "{d}");
    }

    #[cfg(unix)]
    #[test]
    fn running_out_of_file_descriptors_is_named_as_such() {
        use std::io::Error;
        let emfile = io_message(&Error::from_raw_os_error(libc::EMFILE));
        assert!(
            emfile.starts_with(
                "too many open files: the process ran out of file descriptors; raise `ulimit -n`"
            ),
            "{emfile}"
        );
        let enfile = io_message(&Error::from_raw_os_error(libc::ENFILE));
        assert!(
            enfile.starts_with("too many open files in the system"),
            "{enfile}"
        );
        // Other errors keep the operating system's words.
        let eacces = io_message(&Error::from_raw_os_error(libc::EACCES));
        assert!(
            eacces.starts_with("cannot read file: Permission denied"),
            "{eacces}"
        );
        let eisdir = io_message(&Error::from_raw_os_error(libc::EISDIR));
        assert!(
            eisdir.starts_with("cannot read file: Is a directory"),
            "{eisdir}"
        );
        assert_eq!(
            io_message(&Error::from(std::io::ErrorKind::NotFound)),
            "file not found"
        );
    }

    #[test]
    fn messages_and_paths_never_carry_raw_control_characters() {
        let d = Diagnostic::new("a\u{1b}.md", 1, 1, "unknown key `x\u{1b}[2J`\nsecond");
        assert_eq!(
            d.to_string(),
            "a\\u{1b}.md:1:1: unknown key `x\\u{1b}[2J`\\nsecond"
        );
    }
}
