//! A strict literate-programming tangler for Rust projects written as an mdBook.
//!
//! The book's chapters hold named code chunks between their prose. This crate reads the
//! book in `SUMMARY.md` order, parses the chunks, checks them, and expands the file roots
//! into the `.rs` files of the crate. `build.rs`, the command-line tools and the mdBook
//! preprocessor all use this one parser, so they cannot disagree about what a chunk is.
//!
//! ```text
//! Book::load(root) ──► Book { chapters, blocks, diagnostics }
//!                          │
//!                          ├─► Book::tangle() ──► Tangled { files, diagnostics }
//!                          ├─► build_script::run()      (write only what changed)
//!                          ├─► render::annotate()       (captions and links)
//!                          └─► untangle::untangle()     (carry a hand edit back)
//! ```
//!
//! Every problem is a [`Diagnostic`] naming `book/src/FILE.md:LINE`; nothing stops at the
//! first one.

#![warn(missing_docs)]

mod book;
pub mod build_script;
mod hash;
mod names;
pub mod render;
pub mod sourcemap;
mod summary;
mod tangle;
pub mod untangle;

pub use book::{Block, BlockId, BlockKind, Book, Chapter, Reference};
pub use hash::{GENERATED_HEADER, HASH_PREFIX, body_hash, split_generated};
pub use tangle::{Tangled, TangledFile};

use std::fmt;

/// The folder of the book's sources, relative to the project root.
pub const BOOK_SRC: &str = "book/src";

/// The folders a file root may write into.
pub const OUTPUT_DIRS: [&str; 4] = ["src", "tests", "examples", "benches"];

/// One problem with the book or with the files generated from it, at a position a
/// reader can open: `book/src/03-client.md:42: undefined chunk «Client feilds»; …`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// A path relative to the project root, such as `book/src/01-introduction.md`.
    pub path: String,
    /// The 1-based line number in that file.
    pub line: usize,
    /// What is wrong, and where possible what to do about it.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at `path:line`.
    pub fn new(path: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        Diagnostic { path: path.into(), line, message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// Sorts diagnostics by file and line and drops exact repeats.
pub fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort();
    diagnostics.dedup();
}
