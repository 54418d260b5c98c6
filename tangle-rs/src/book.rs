//! The book as the tangler sees it: chapters in reading order, their code blocks, the
//! references inside those blocks, and everything that is wrong with them.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::names::{did_you_mean, name_problem, normalize};
use crate::summary::parse_summary;
use crate::{BOOK_SRC, Diagnostic, OUTPUT_DIRS, sort_diagnostics};

/// An index into [`Book::blocks`].
pub type BlockId = usize;

/// A chapter of the book.
#[derive(Clone, Debug)]
pub struct Chapter {
    /// The title from `SUMMARY.md`.
    pub title: String,
    /// The path relative to `book/src`, e.g. `01-introduction.md`.
    pub rel: String,
    /// The path relative to the project root, e.g. `book/src/01-introduction.md`.
    pub path: String,
    /// The text, with `\r\n` read as `\n`. Byte ranges of blocks point into it.
    pub text: String,
    /// Whether the file on disk used `\r\n` line endings.
    pub crlf: bool,
    /// The Rust blocks of this chapter, in order.
    pub blocks: Vec<BlockId>,
}

/// What a Rust code block contributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// ```` ```rust chunk="Name" ````: a part of the named chunk.
    Chunk(String),
    /// ```` ```rust file=src/x.rs ````: the root of a generated file.
    File(String),
    /// ```` ```rust notangle ````: shown to readers, never tangled.
    NoTangle,
}

/// A line `{{Name}}` inside a block: the named chunk is expanded there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The chunk named, normalised.
    pub name: String,
    /// The whitespace before `{{`; it is put in front of every expanded line.
    pub indent: String,
    /// The line in the chapter.
    pub line: usize,
    /// The index of the line within the block's code.
    pub index: usize,
}

/// A fenced Rust code block.
#[derive(Clone, Debug)]
pub struct Block {
    /// What the block contributes to the crate.
    pub kind: BlockKind,
    /// An index into [`Book::chapters`].
    pub chapter: usize,
    /// The info string after the fence, e.g. `rust chunk="Client fields"`.
    pub info: String,
    /// The line of the opening fence.
    pub fence_line: usize,
    /// The line of the first line of code (the fence line plus one).
    pub line: usize,
    /// The whole block, fences included, in the chapter text.
    pub range: Range<usize>,
    /// The code between the fences, in the chapter text: every line with its newline.
    pub code: Range<usize>,
    /// The `{{Name}}` lines of the code.
    pub refs: Vec<Reference>,
}

impl Block {
    /// The chunk name or file path this block is part of, if it is tangled.
    pub fn name(&self) -> Option<&str> {
        match &self.kind {
            BlockKind::Chunk(name) | BlockKind::File(name) => Some(name),
            BlockKind::NoTangle => None,
        }
    }
}

/// The whole book, parsed and checked.
#[derive(Clone, Debug, Default)]
pub struct Book {
    /// The chapters, in `SUMMARY.md` order.
    pub chapters: Vec<Chapter>,
    /// Every Rust block of every chapter, in book order; a [`BlockId`] indexes it.
    pub blocks: Vec<Block>,
    /// Chunk name → its blocks, in book order.
    pub chunks: BTreeMap<String, Vec<BlockId>>,
    /// Generated file path → its root block (the first, if there are duplicates).
    pub roots: BTreeMap<String, BlockId>,
    /// Everything wrong with the book, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

/// The Markdown extensions mdBook turns on; the tangler must see the same blocks.
fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The 1-based lines of byte offsets in one text, asked in increasing order: each newline
/// is counted once, where counting from the start for every block made a long chapter
/// quadratic (most of the time of a 100-chapter book).
pub(crate) struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    pub(crate) fn new() -> Self {
        LineCounter { offset: 0, line: 1 }
    }

    /// The line of `offset`; an offset before the last one asked starts the count again.
    pub(crate) fn line_of(&mut self, text: &str, offset: usize) -> usize {
        if offset < self.offset {
            *self = LineCounter::new();
        }
        self.line += text.as_bytes()[self.offset..offset].iter().filter(|&&b| b == b'\n').count();
        self.offset = offset;
        self.line
    }
}

impl Book {
    /// Reads the book of the project at `root`: `book/src/SUMMARY.md` and the chapters it
    /// lists, in its order. Problems reading files become diagnostics, like any other.
    pub fn load(root: &Path) -> Book {
        let src = root.join(BOOK_SRC);
        let summary_path = format!("{BOOK_SRC}/SUMMARY.md");
        let mut diagnostics = Vec::new();
        let summary = match std::fs::read_to_string(src.join("SUMMARY.md")) {
            Ok(text) => text,
            Err(e) => {
                let mut book = Book::default();
                book.diagnostics.push(Diagnostic::new(
                    summary_path,
                    1,
                    format!("cannot read: {e}"),
                ));
                return book;
            }
        };
        let mut chapters = Vec::new();
        let mut listed = BTreeSet::new();
        for entry in parse_summary(&summary) {
            if !listed.insert(entry.path.clone()) {
                diagnostics.push(Diagnostic::new(
                    &summary_path,
                    entry.line,
                    format!("{} is listed twice", entry.path),
                ));
                continue;
            }
            match std::fs::read_to_string(src.join(&entry.path)) {
                Ok(text) => chapters.push((entry.title, entry.path, text)),
                Err(e) => diagnostics.push(Diagnostic::new(
                    &summary_path,
                    entry.line,
                    format!("cannot read chapter {}: {e}", entry.path),
                )),
            }
        }
        for rel in markdown_files(&src) {
            if rel != "SUMMARY.md" && !listed.contains(&rel) {
                diagnostics.push(Diagnostic::new(
                    format!("{BOOK_SRC}/{rel}"),
                    1,
                    "chapter is not listed in SUMMARY.md (list it, or keep drafts out of book/src)",
                ));
            }
        }
        let mut book = Book::from_chapters(chapters);
        book.diagnostics.extend(diagnostics);
        sort_diagnostics(&mut book.diagnostics);
        book
    }

    /// Builds a book from chapters given as (title, path relative to `book/src`, text), in
    /// reading order. This is what [`Book::load`] does after reading the files, and what
    /// the mdBook preprocessor does with the chapters mdBook hands it.
    pub fn from_chapters(chapters: Vec<(String, String, String)>) -> Book {
        let mut book = Book::default();
        for (title, rel, raw) in chapters {
            let crlf = raw.contains("\r\n");
            let text = if crlf { raw.replace("\r\n", "\n") } else { raw };
            let index = book.chapters.len();
            book.chapters.push(Chapter {
                title,
                path: format!("{BOOK_SRC}/{rel}"),
                rel,
                text,
                crlf,
                blocks: Vec::new(),
            });
            book.parse_chapter(index);
        }
        book.index_chunks();
        book.check_references();
        sort_diagnostics(&mut book.diagnostics);
        book
    }

    /// The code of a block.
    pub fn code(&self, id: BlockId) -> &str {
        let block = &self.blocks[id];
        &self.chapters[block.chapter].text[block.code.clone()]
    }

    /// The chapter a block is in.
    pub fn chapter_of(&self, id: BlockId) -> &Chapter {
        &self.chapters[self.blocks[id].chapter]
    }

    /// `book/src/x.md:LINE` of a block's first code line.
    pub fn location(&self, id: BlockId) -> String {
        format!("{}:{}", self.chapter_of(id).path, self.blocks[id].line)
    }

    /// Which of its chunk's blocks in its chapter a block is, counting from 1: the part
    /// number the markers of generated files carry.
    pub fn part_of(&self, id: BlockId) -> usize {
        let name = self.blocks[id].name();
        let chapter = self.chapter_of(id);
        chapter
            .blocks
            .iter()
            .take_while(|&&b| b != id)
            .filter(|&&b| self.blocks[b].name() == name)
            .count()
            + 1
    }

    /// The block a marker names: part `part` (from 1) of chunk or file root `name` in the
    /// chapter at `path` (relative to the project root).
    pub fn block_at(&self, path: &str, name: &str, part: usize) -> Option<BlockId> {
        let chapter = self.chapters.iter().find(|c| c.path == path)?;
        chapter
            .blocks
            .iter()
            .copied()
            .filter(|&b| self.blocks[b].name() == Some(name))
            .nth(part.checked_sub(1)?)
    }

    /// Whether the book is free of problems.
    pub fn is_ok(&self) -> bool {
        self.diagnostics.is_empty()
    }

    fn error(&mut self, chapter: usize, line: usize, message: impl Into<String>) {
        let path = self.chapters[chapter].path.clone();
        self.diagnostics.push(Diagnostic::new(path, line, message));
    }

    /// Finds the Rust code blocks of one chapter and checks each on its own.
    fn parse_chapter(&mut self, chapter: usize) {
        let text = std::mem::take(&mut self.chapters[chapter].text);
        let mut containers = 0usize;
        let mut lines = LineCounter::new();
        for (event, range) in Parser::new_ext(&text, markdown_options()).into_offset_iter() {
            match event {
                Event::Start(Tag::Item | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_)) => {
                    containers += 1
                }
                Event::End(TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition) => {
                    containers = containers.saturating_sub(1)
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    let fence_line = lines.line_of(&text, range.start);
                    self.parse_block(chapter, &text, &info, range, fence_line, containers > 0);
                }
                _ => {}
            }
        }
        self.chapters[chapter].text = text;
    }

    fn parse_block(
        &mut self,
        chapter: usize,
        text: &str,
        info: &str,
        range: Range<usize>,
        fence_line: usize,
        nested: bool,
    ) {
        let kind = match parse_info(info) {
            Ok(Some(kind)) => kind,
            Ok(None) => return,
            Err(message) => return self.error(chapter, fence_line, message),
        };
        let tangled = kind != BlockKind::NoTangle;
        let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
        if tangled && nested {
            return self.error(
                chapter,
                fence_line,
                "a chunk inside a list item, block quote or footnote; move it to the top level \
                 of the chapter, where its code is exactly the bytes between the fences",
            );
        }
        // pulldown-cmark starts the range at the fence itself; anything before it on the
        // line is indentation, which CommonMark strips from the code lines.
        let fence_start = range.start + text[range.start..].len()
            - text[range.start..].trim_start_matches([' ', '\t']).len();
        if tangled && (fence_start != line_start || range.start != line_start) {
            return self.error(
                chapter,
                fence_line,
                "indented fence; start the chunk's fence at column 1",
            );
        }
        let opening = &text[fence_start..];
        let fence_char = opening.chars().next().unwrap_or('`');
        let fence_len = opening.len() - opening.trim_start_matches(fence_char).len();
        let code_start =
            text[range.start..range.end].find('\n').map_or(range.end, |i| range.start + i + 1);
        // The last line of the range is the closing fence, if the block was closed.
        let body = &text[code_start..range.end];
        let trimmed = body.strip_suffix('\n').unwrap_or(body);
        let last_start = trimmed.rfind('\n').map_or(0, |i| i + 1);
        let last = trimmed[last_start..].trim();
        let closed = code_start < range.end
            && last.len() >= fence_len
            && last.chars().all(|c| c == fence_char);
        if !closed {
            if tangled {
                self.error(
                    chapter,
                    fence_line,
                    format!("this code block is never closed; end it with a line of {fence_len} '{fence_char}'"),
                );
            }
            return;
        }
        let code = code_start..code_start + last_start;
        let first_line = fence_line + 1;
        let mut refs = Vec::new();
        if tangled {
            for (index, code_line) in text[code.clone()].lines().enumerate() {
                let line = first_line + index;
                let t = code_line.trim();
                if t == "#" || code_line.trim_start().starts_with("# ") {
                    self.error(
                        chapter,
                        line,
                        "mdBook hides Rust lines starting with '# '; readers would not see this line",
                    );
                } else if t.starts_with("{{#") {
                    self.error(
                        chapter,
                        line,
                        "mdBook directive inside a chunk: mdBook would expand it but the tangler \
                         does not; use a chunk reference {{Name}} instead",
                    );
                } else if let Some(inner) = t.strip_prefix("{{").and_then(|r| r.strip_suffix("}}"))
                {
                    let name = normalize(inner);
                    if let Some(problem) = name_problem(&name) {
                        self.error(chapter, line, problem);
                        continue;
                    }
                    let indent =
                        code_line[..code_line.len() - code_line.trim_start().len()].to_string();
                    refs.push(Reference { name, indent, line, index });
                }
            }
        }
        let id = self.blocks.len();
        self.blocks.push(Block {
            kind,
            chapter,
            info: info.to_string(),
            fence_line,
            line: first_line,
            range,
            code,
            refs,
        });
        self.chapters[chapter].blocks.push(id);
    }

    /// Groups the blocks by chunk name and file root, checking the roots' paths.
    fn index_chunks(&mut self) {
        let mut lowercase: BTreeMap<String, (String, BlockId)> = BTreeMap::new();
        for id in 0..self.blocks.len() {
            let block = &self.blocks[id];
            let (chapter, line) = (block.chapter, block.line);
            match block.kind.clone() {
                BlockKind::Chunk(name) => self.chunks.entry(name).or_default().push(id),
                BlockKind::File(path) => {
                    if let Some(problem) = root_problem(&path) {
                        self.error(chapter, line, format!("bad file root {path}: {problem}"));
                        continue;
                    }
                    if let Some(&first) = self.roots.get(&path) {
                        let at = self.location(first);
                        self.error(
                            chapter,
                            line,
                            format!("duplicate file root {path}; first at {at}"),
                        );
                        continue;
                    }
                    if let Some((other, first)) = lowercase.get(&path.to_lowercase()) {
                        let at = self.location(*first);
                        let message = format!(
                            "file root {path} differs from {other} (at {at}) only in case; \
                             the two would be one file on macOS and Windows"
                        );
                        self.error(chapter, line, message);
                        continue;
                    }
                    lowercase.insert(path.to_lowercase(), (path.clone(), id));
                    self.roots.insert(path, id);
                }
                BlockKind::NoTangle => {}
            }
        }
    }

    /// Undefined references (with a suggestion), unused chunks, and cycles.
    fn check_references(&mut self) {
        let mut used = BTreeSet::new();
        let mut problems = Vec::new();
        for block in &self.blocks {
            if block.kind == BlockKind::NoTangle {
                continue;
            }
            for r in &block.refs {
                used.insert(r.name.clone());
                if !self.chunks.contains_key(&r.name) {
                    let mut message = format!("undefined chunk «{}»", r.name);
                    if let Some(close) =
                        did_you_mean(&r.name, self.chunks.keys().map(String::as_str))
                    {
                        message.push_str(&format!("; did you mean «{close}»?"));
                    }
                    problems.push((block.chapter, r.line, message));
                }
            }
        }
        for (name, ids) in &self.chunks {
            if !used.contains(name) {
                let block = &self.blocks[ids[0]];
                problems.push((
                    block.chapter,
                    block.line,
                    format!(
                        "chunk «{name}» is never used (reference it as {{{{{name}}}}}, or mark \
                         the block notangle if it is an illustration)"
                    ),
                ));
            }
        }
        problems.extend(self.find_cycles());
        for (chapter, line, message) in problems {
            self.error(chapter, line, message);
        }
    }

    /// Depth-first search over the reference graph; each back edge is one cycle, reported
    /// at the reference that closes it, with the path that leads round.
    fn find_cycles(&self) -> Vec<(usize, usize, String)> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Open,
            Done,
        }
        let names: Vec<&String> = self.chunks.keys().collect();
        let mut marks: BTreeMap<&str, Mark> =
            names.iter().map(|n| (n.as_str(), Mark::New)).collect();
        let mut found = Vec::new();
        for start in &names {
            if marks[start.as_str()] != Mark::New {
                continue;
            }
            // An explicit stack of (name, the references still to visit).
            let mut path: Vec<&str> = vec![start.as_str()];
            let mut pending: Vec<Vec<(&str, usize, usize)>> = vec![self.edges(start)];
            marks.insert(start.as_str(), Mark::Open);
            while let Some(edges) = pending.last_mut() {
                let Some((next, chapter, line)) = edges.pop() else {
                    marks.insert(path.pop().unwrap_or_default(), Mark::Done);
                    pending.pop();
                    continue;
                };
                match marks.get(next).copied() {
                    Some(Mark::New) => {
                        marks.insert(next, Mark::Open);
                        path.push(next);
                        pending.push(self.edges(next));
                    }
                    Some(Mark::Open) => {
                        let from = path.iter().position(|n| *n == next).unwrap_or(0);
                        let mut cycle: Vec<String> =
                            path[from..].iter().map(|n| format!("«{n}»")).collect();
                        cycle.push(format!("«{next}»"));
                        found.push((chapter, line, format!("chunk cycle: {}", cycle.join(" -> "))));
                    }
                    _ => {}
                }
            }
        }
        found
    }

    /// The references made by a chunk's blocks, as (name, chapter, line), last first.
    fn edges(&self, name: &str) -> Vec<(&str, usize, usize)> {
        let mut edges: Vec<_> = self.chunks[name]
            .iter()
            .flat_map(|&id| {
                let block = &self.blocks[id];
                block.refs.iter().map(move |r| (r.name.as_str(), block.chapter, r.line))
            })
            .filter(|(n, _, _)| self.chunks.contains_key(*n))
            .collect();
        edges.reverse();
        edges
    }
}

/// Reads a fence's info string. `Ok(None)` for blocks that are not Rust.
fn parse_info(info: &str) -> Result<Option<BlockKind>, String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in info.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' | '\t' | ',' if !quoted => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    if tokens.first().map(String::as_str) != Some("rust") {
        return Ok(None);
    }
    if quoted {
        return Err(format!("unterminated quote in the info string `{info}`"));
    }
    let (mut chunk, mut file, mut notangle) = (None, None, false);
    for token in &tokens[1..] {
        if let Some(name) = token.strip_prefix("chunk=") {
            if chunk.replace(normalize(name)).is_some() {
                return Err(format!("two chunk= in the info string `{info}`"));
            }
        } else if let Some(path) = token.strip_prefix("file=") {
            if file.replace(path.to_string()).is_some() {
                return Err(format!("two file= in the info string `{info}`"));
            }
        } else if token == "notangle" {
            notangle = true;
        }
    }
    if chunk.is_some() && file.is_some() {
        return Err(format!(
            "a block has both chunk= and file= (`{info}`); a file root is its own chunk, so \
             give it only file="
        ));
    }
    if notangle && (chunk.is_some() || file.is_some()) {
        return Err(format!("a notangle block cannot also be a chunk or file root (`{info}`)"));
    }
    match (chunk, file) {
        (Some(name), _) => match name_problem(&name) {
            Some(problem) => Err(problem),
            None => Ok(Some(BlockKind::Chunk(name))),
        },
        (None, Some(path)) => Ok(Some(BlockKind::File(path))),
        (None, None) if notangle => Ok(Some(BlockKind::NoTangle)),
        (None, None) => Err(format!(
            "a rust block with neither chunk= nor file= (`{info}`); name it, or mark it \
             `rust notangle` if it is only shown to readers"
        )),
    }
}

/// Why a file root path is not acceptable, if it is not.
fn root_problem(path: &str) -> Option<&'static str> {
    let need = "need a relative .rs path under src/, tests/, examples/ or benches/";
    let parts: Vec<&str> = path.split('/').collect();
    let bad_part = parts.iter().any(|p| p.is_empty() || *p == "." || *p == "..");
    if path.starts_with('/') || path.contains('\\') || path.contains(':') || bad_part {
        return Some(need);
    }
    if parts.len() < 2 || !OUTPUT_DIRS.contains(&parts[0]) || !path.ends_with(".rs") {
        return Some(need);
    }
    None
}

/// The `.md` files under `dir`, as sorted paths relative to it.
fn markdown_files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, prefix)) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&path) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = format!("{prefix}{name}");
            match entry.file_type() {
                Ok(t) if t.is_dir() => pending.push((entry.path(), format!("{rel}/"))),
                Ok(_) if name.ends_with(".md") => found.push(rel),
                _ => {}
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings() {
        assert_eq!(parse_info("toml"), Ok(None));
        assert_eq!(parse_info(""), Ok(None));
        assert_eq!(parse_info("rust chunk=x"), Ok(Some(BlockKind::Chunk("x".into()))));
        assert_eq!(
            parse_info("rust,ignore chunk=\"Client  fields\""),
            Ok(Some(BlockKind::Chunk("Client fields".into())))
        );
        assert_eq!(parse_info("rust file=src/a.rs"), Ok(Some(BlockKind::File("src/a.rs".into()))));
        assert_eq!(parse_info("rust notangle"), Ok(Some(BlockKind::NoTangle)));
        assert!(parse_info("rust chunk=a file=src/a.rs").unwrap_err().contains("both"));
        assert!(parse_info("rust").unwrap_err().contains("neither"));
        assert!(parse_info("rust chunk=\"a").unwrap_err().contains("unterminated"));
        assert!(parse_info("rust notangle chunk=a").is_err());
    }

    #[test]
    fn root_paths() {
        assert_eq!(root_problem("src/lib.rs"), None);
        assert_eq!(root_problem("tests/common/mod.rs"), None);
        for bad in [
            "/src/a.rs",
            "../lib.rs",
            "src/../x.rs",
            "lib.rs",
            "src/a.txt",
            "bin/a.rs",
            "src\\a.rs",
            "C:/src/a.rs",
            "src//a.rs",
        ] {
            assert!(root_problem(bad).is_some(), "{bad}");
        }
    }
}
