//! Fixture projects for tangle-rs's tests: a folder with a book and whatever else a test
//! puts in it, under cargo's per-target temp dir.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use tangle_rs::Book;

static NEXT: AtomicUsize = AtomicUsize::new(0);

pub struct Project {
    pub root: PathBuf,
}

impl Project {
    /// A new empty folder, unique to this test.
    pub fn new(name: &str) -> Project {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join("fixtures")
            .join(format!("{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        Project { root }
    }

    /// A project whose SUMMARY.md lists the given chapters, in order.
    pub fn with_book(name: &str, chapters: &[(&str, &str)]) -> Project {
        let project = Project::new(name);
        let mut summary = String::from("# Summary\n\n");
        for (file, text) in chapters {
            summary.push_str(&format!("- [{file}]({file})\n"));
            project.write(&format!("book/src/{file}"), text);
        }
        project.write("book/src/SUMMARY.md", &summary);
        project
    }

    pub fn write(&self, path: &str, text: &str) {
        let path = self.root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root.join(path)).unwrap()
    }

    pub fn exists(&self, path: &str) -> bool {
        self.root.join(path).exists()
    }

    pub fn book(&self) -> Book {
        Book::load(&self.root)
    }

    /// The book's diagnostics as `file:line: message` lines.
    pub fn diagnostics(&self) -> Vec<String> {
        self.book().diagnostics.iter().map(ToString::to_string).collect()
    }

    /// Makes the project a crate whose build.rs is tangle-rs's build script, pinned to the
    /// workspace's lock file so it builds offline, with its own `[workspace]` so cargo does
    /// not take it for a member of ours.
    pub fn make_crate(&self, name: &str) {
        let tangle = env!("CARGO_MANIFEST_DIR");
        self.write(
            "Cargo.toml",
            &format!(
                "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n\n\
                 [build-dependencies]\ntangle-rs = {{ path = {tangle:?} }}\n"
            ),
        );
        self.write("build.rs", "fn main() {\n    tangle_rs::build_script::run()\n}\n");
        self.write(
            "Cargo.lock",
            &std::fs::read_to_string(format!("{tangle}/../Cargo.lock")).unwrap(),
        );
    }

    pub fn path(&self) -> &Path {
        &self.root
    }
}

/// A fenced Rust block, so fixtures need not escape backticks.
pub fn block(info: &str, code: &str) -> String {
    format!("```rust {info}\n{code}```\n")
}

/// The tangled body of one file of a book given as (file, text) chapters, markers dropped.
pub fn tangle_plain(chapters: &[(&str, &str)], file: &str) -> String {
    let book = Book::from_chapters(
        chapters.iter().map(|(f, t)| (f.to_string(), f.to_string(), t.to_string())).collect(),
    );
    assert!(book.diagnostics.is_empty(), "{:?}", book.diagnostics);
    let tangled = book.tangle();
    let content = &tangled.files[file].content;
    content
        .lines()
        .skip(2)
        .filter(|l| {
            !l.trim_start().starts_with("// >>>")
                && !l.trim_start().starts_with("// ---")
                && !l.trim_start().starts_with("// <<<")
        })
        .map(|l| format!("{l}\n"))
        .collect()
}
