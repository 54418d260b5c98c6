//! The build-script contract, shared by `build.rs`, `tangle check` and `tangle write`.
//!
//! 1. No book (or `DOCS_RS` set): do nothing.
//! 2. Tangle in memory; compare every output with the file on disk.
//! 3. On any problem print `cargo::error=` lines and write nothing.
//! 4. Otherwise write only files whose bytes differ (temp file, then rename), back-dated to
//!    the newest chapter so that cargo does not see them as newer than its last run.
//! 5. Watch SUMMARY.md, each chapter and each generated file, never a directory.
//!
//! A generated file carries a hash of its body; a file whose hash no longer matches was
//! edited by hand and is never overwritten silently. A file at a root's path with no
//! header at all was written by hand and is never overwritten.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::hash::{body_hash, split_generated};
use crate::{BOOK_SRC, Book, Diagnostic, OUTPUT_DIRS, Tangled, sort_diagnostics};

/// What a build would do.
#[derive(Debug, Default)]
pub struct Plan {
    /// The tangled book.
    pub tangled: Tangled,
    /// Files to write: (path relative to the root, contents).
    pub writes: Vec<(String, String)>,
    /// Every problem; when not empty, nothing may be written.
    pub diagnostics: Vec<Diagnostic>,
    /// The files a build script should watch: SUMMARY.md, the chapters, the outputs.
    pub watch: Vec<PathBuf>,
}

/// Whether `TANGLE_FORCE` asks to overwrite hand edits of generated files.
pub fn force_from_env() -> bool {
    std::env::var("TANGLE_FORCE").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Tangles the book of the project at `root` and decides what to write.
pub fn plan(root: &Path, force: bool) -> Plan {
    let book = Book::load(root);
    let tangled = book.tangle();
    let mut diagnostics = tangled.diagnostics.clone();
    let mut writes = Vec::new();
    let mut watch = vec![root.join(BOOK_SRC).join("SUMMARY.md")];
    watch.extend(book.chapters.iter().map(|c| root.join(&c.path)));
    for (path, file) in &tangled.files {
        watch.push(root.join(path));
        let at = |line: usize| {
            let source = (1..=line).rev().find_map(|l| file.source(l));
            match source {
                Some(s) => (s.path.clone(), s.line),
                None => {
                    (book.chapter_of(file.root).path.clone(), book.blocks[file.root].fence_line)
                }
            }
        };
        let existing = match fs::read_to_string(root.join(path)) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                writes.push((path.clone(), file.content.clone()));
                continue;
            }
            Err(e) => {
                let (chapter, line) = at(0);
                diagnostics.push(Diagnostic::new(
                    chapter,
                    line,
                    format!("cannot read {path}: {e}"),
                ));
                continue;
            }
        };
        let Some((hash, body)) = split_generated(&existing) else {
            let (chapter, line) = at(0);
            let message = format!(
                "refusing to overwrite hand-written {path}; move its code into this chapter's \
                 chunks, then delete the file"
            );
            diagnostics.push(Diagnostic::new(chapter, line, message));
            continue;
        };
        if hash != body_hash(body) && !force {
            let first_difference = existing
                .lines()
                .zip(file.content.lines())
                .position(|(a, b)| a.trim_end_matches('\r') != b)
                .unwrap_or_else(|| existing.lines().count().min(file.content.lines().count()));
            let (chapter, line) = at(first_difference + 1);
            let message = format!(
                "{path} was edited by hand (its line {} differs from the book); make the edit in \
                 this chapter, or carry it over with `cargo lit untangle {path}`, or discard it \
                 with `git checkout {path}` or `TANGLE_FORCE=1 cargo build`",
                first_difference + 1
            );
            diagnostics.push(Diagnostic::new(chapter, line, message));
            continue;
        }
        if existing.replace("\r\n", "\n") != file.content {
            writes.push((path.clone(), file.content.clone()));
        }
    }
    for stale in generated_files(root) {
        if !tangled.files.contains_key(&stale) {
            let message = format!("{stale} is no longer produced by the book; git rm it");
            diagnostics.push(Diagnostic::new(stale, 1, message));
        }
    }
    sort_diagnostics(&mut diagnostics);
    Plan { tangled, writes, diagnostics, watch }
}

/// Writes the planned files: each to a temp file beside it, then renamed over the old one,
/// so a crash never leaves half a file; each back-dated to the newest chapter.
pub fn apply(root: &Path, plan: &Plan) -> io::Result<()> {
    let newest = plan
        .watch
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter_map(|p| fs::metadata(p).and_then(|m| m.modified()).ok())
        .max()
        .unwrap_or_else(SystemTime::now);
    for (path, content) in &plan.writes {
        let target = root.join(path);
        let dir = target.parent().unwrap_or(root);
        fs::create_dir_all(dir)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temp = dir.join(format!(".{name}.tangle-tmp"));
        let result = (|| {
            let mut file = fs::File::create(&temp)?;
            file.write_all(content.as_bytes())?;
            file.set_modified(newest)?;
            file.sync_all()?;
            fs::rename(&temp, &target)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&temp);
        }
        result.map_err(|e| io::Error::new(e.kind(), format!("writing {path}: {e}")))?;
    }
    Ok(())
}

/// The generated files (those with the header) under `src/`, `tests/` and `examples/`.
fn generated_files(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending: Vec<String> = OUTPUT_DIRS.iter().map(|d| d.to_string()).collect();
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(root.join(&dir)) else { continue };
        for entry in entries.flatten() {
            let rel = format!("{dir}/{}", entry.file_name().to_string_lossy());
            match entry.file_type() {
                Ok(t) if t.is_dir() => pending.push(rel),
                Ok(_) if rel.ends_with(".rs") => {
                    let text = fs::read_to_string(entry.path()).unwrap_or_default();
                    if split_generated(&text).is_some() {
                        found.push(rel);
                    }
                }
                _ => {}
            }
        }
    }
    found.sort();
    found
}

/// The whole of a `build.rs`: `fn main() { tangle_rs::build_script::run() }`.
pub fn run() {
    println!("cargo::rerun-if-changed=build.rs");
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| ".".into()));
    if std::env::var_os("DOCS_RS").is_some() || !root.join(BOOK_SRC).join("SUMMARY.md").is_file() {
        return;
    }
    println!("cargo::rerun-if-env-changed=TANGLE_FORCE");
    let plan = plan(&root, force_from_env());
    let mut errors: Vec<String> = plan.diagnostics.iter().map(ToString::to_string).collect();
    if errors.is_empty()
        && let Err(e) = apply(&root, &plan)
    {
        errors.push(e.to_string());
    }
    for path in &plan.watch {
        // Watching a file that does not exist makes cargo rerun the script every time.
        if path.exists() {
            println!("cargo::rerun-if-changed={}", path.display());
        }
    }
    for error in errors {
        // Cargo fails the build after a `cargo::error`; exiting non-zero instead would make
        // it print every line of the script's output as well.
        println!("cargo::error={}", error.replace('\n', " "));
    }
}
