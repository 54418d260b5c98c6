//! Expanding file roots into generated files, with markers that record where every line
//! came from.
//!
//! A reference `{{Name}}` is replaced by every block of that chunk, in book order, each
//! line prefixed with the reference's indentation (blank lines stay empty). Around the
//! expansion go marker comments, at the same indentation:
//!
//! ```text
//! // >>> «Client fields» book/src/04-client.md part 1     first block of the chunk
//! // --- «Client fields» book/src/06-login.md part 2      a continuation
//! // <<< «Client fields»                                   end of the chunk
//! ```
//!
//! A marker names the chapter and which of the chunk's blocks *in that chapter* it is (the
//! first is part 1), not a line number: a line added to a chapter then changes only the
//! generated lines it touches, never the markers of every block below it. The markers are
//! the source map that `tangle map` and `tangle untangle` read back, looking each block's
//! line up in the book.

use std::collections::BTreeMap;

use crate::hash::with_header;
use crate::{BlockId, Book, Diagnostic};

/// Where a generated line came from: a line of a chapter, shifted right by `indent`
/// columns in the generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceLine {
    /// The chapter's path relative to the project root.
    pub path: String,
    /// The line in that chapter.
    pub line: usize,
    /// How many columns (bytes of indentation) the generated line adds in front.
    pub indent: usize,
}

/// One generated file.
#[derive(Clone, Debug)]
pub struct TangledFile {
    /// Its path relative to the project root, e.g. `src/lib.rs`.
    pub path: String,
    /// The block that is its root.
    pub root: BlockId,
    /// The whole file, header included.
    pub content: String,
    /// For each line of `content` (index 0 is line 1): the book line it came from, or
    /// `None` for the header and the markers.
    pub lines: Vec<Option<SourceLine>>,
}

impl TangledFile {
    /// The book position of a 1-based line of this file.
    pub fn source(&self, line: usize) -> Option<&SourceLine> {
        self.lines.get(line.checked_sub(1)?)?.as_ref()
    }
}

/// The result of tangling a book.
#[derive(Clone, Debug, Default)]
pub struct Tangled {
    /// Every generated file, by path.
    pub files: BTreeMap<String, TangledFile>,
    /// The book's diagnostics; when there are any, nothing should be written.
    pub diagnostics: Vec<Diagnostic>,
}

struct Expansion<'b> {
    book: &'b Book,
    body: String,
    lines: Vec<Option<SourceLine>>,
    stack: Vec<&'b str>,
}

impl<'b> Expansion<'b> {
    fn emit(&mut self, line: &str, source: Option<SourceLine>) {
        self.body.push_str(line);
        self.body.push('\n');
        self.lines.push(source);
    }

    fn marker(&mut self, indent: &str, kind: &str, name: &str, at: Option<BlockId>) {
        let line = match at {
            Some(id) => {
                let part = self.book.part_of(id);
                format!("{indent}// {kind} «{name}» {} part {part}", self.book.chapter_of(id).path)
            }
            None => format!("{indent}// {kind} «{name}»"),
        };
        self.emit(&line, None);
    }

    fn block(&mut self, id: BlockId, indent: &str) {
        let book = self.book;
        let block = &book.blocks[id];
        let path = &book.chapters[block.chapter].path;
        let mut refs = block.refs.iter().peekable();
        for (index, code) in book.code(id).lines().enumerate() {
            if let Some(r) = refs.next_if(|r| r.index == index) {
                self.reference(&r.name, &format!("{indent}{}", r.indent));
                continue;
            }
            let source =
                SourceLine { path: path.clone(), line: block.line + index, indent: indent.len() };
            if code.is_empty() {
                self.emit("", Some(source));
            } else {
                self.emit(&format!("{indent}{code}"), Some(source));
            }
        }
    }

    fn reference(&mut self, name: &'b str, indent: &str) {
        // Undefined chunks and cycles are diagnostics of the book already; the expansion
        // just leaves them out.
        let Some(ids) = self.book.chunks.get(name) else { return };
        if self.stack.contains(&name) {
            return;
        }
        self.stack.push(name);
        for (k, &id) in ids.iter().enumerate() {
            self.marker(indent, if k == 0 { ">>>" } else { "---" }, name, Some(id));
            self.block(id, indent);
        }
        self.marker(indent, "<<<", name, None);
        self.stack.pop();
    }
}

impl Book {
    /// Expands every file root. The files are produced even when the book has problems
    /// (tools can still show them), but [`Tangled::diagnostics`] then says not to write.
    pub fn tangle(&self) -> Tangled {
        let mut files = BTreeMap::new();
        for (path, &root) in &self.roots {
            let mut expansion = Expansion {
                book: self,
                body: String::new(),
                lines: vec![None, None],
                stack: Vec::new(),
            };
            expansion.marker("", ">>>", path, Some(root));
            expansion.block(root, "");
            expansion.marker("", "<<<", path, None);
            let content = with_header(&expansion.body);
            files.insert(
                path.clone(),
                TangledFile { path: path.clone(), root, content, lines: expansion.lines },
            );
        }
        Tangled { files, diagnostics: self.diagnostics.clone() }
    }
}
