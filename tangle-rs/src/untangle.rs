//! Carrying a hand edit of a generated file back into the chapters.
//!
//! The markers of the edited file say which block every line belongs to. Each block is
//! rebuilt from the file (expansions folded back into `{{Name}}` lines, indentation
//! removed) and compared with the block in its chapter; changed blocks are patched into
//! their chapters, last first so earlier byte ranges stay valid. Then the book is tangled
//! again, and the result must equal the edited file, ignoring the locations in the
//! markers. If it does not (an edit to a marker, two different edits of one block used
//! twice, a line left of its chunk's indentation), every chapter is put back as it was.
//!
//! Untangling cannot create a chunk: a new chunk needs a paragraph that says why it
//! exists, and only a person can write that.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::build_script::{apply, plan};
use crate::hash::{body_hash, split_generated};
use crate::sourcemap::{self, parse_marker};
use crate::{BlockId, Book};

/// A generated file's body (the header and its hash left out) with the locations of its
/// markers removed, and `\r\n` read as `\n`.
fn without_marker_numbers(text: &str) -> String {
    let body = split_generated(text).map_or(text, |(_, body)| body);
    let mut out = String::new();
    for line in body.lines() {
        let line = line.trim_end_matches('\r');
        match parse_marker(line) {
            Some(m) => out.push_str(&format!("{}// {} «{}»", m.indent, m.kind, m.name)),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// The marker lines of a file, without their indentation.
fn markers(text: &str) -> Vec<String> {
    text.lines().filter(|l| parse_marker(l).is_some()).map(|l| l.trim().to_string()).collect()
}

/// Untangles the named generated files, or, with none named, every generated file whose
/// hash shows a hand edit. Returns what was done, or why nothing was.
pub fn untangle(root: &Path, files: &[String]) -> Result<Vec<String>, Vec<String>> {
    let book = Book::load(root);
    if !book.is_ok() {
        let mut errors: Vec<String> = book.diagnostics.iter().map(ToString::to_string).collect();
        errors.push("fix the book before untangling".into());
        return Err(errors);
    }
    let tangled = book.tangle();
    let mut names: Vec<String> = files.to_vec();
    if names.is_empty() {
        for path in tangled.files.keys() {
            let text = fs::read_to_string(root.join(path)).unwrap_or_default();
            if split_generated(&text).is_some_and(|(hash, body)| hash != body_hash(body)) {
                names.push(path.clone());
            }
        }
    }
    let mut report = Vec::new();
    let mut errors = Vec::new();
    let mut edits: BTreeMap<BlockId, (String, String)> = BTreeMap::new();
    let mut edited_files = Vec::new();
    for name in &names {
        let name = name.trim_start_matches("./").to_string();
        let Some(fresh) = tangled.files.get(&name) else {
            errors.push(format!("{name}: not a file the book generates"));
            continue;
        };
        let text = match fs::read_to_string(root.join(&name)) {
            Ok(text) => text.replace("\r\n", "\n"),
            Err(e) => {
                errors.push(format!("{name}: {e}"));
                continue;
            }
        };
        if without_marker_numbers(&text) == without_marker_numbers(&fresh.content) {
            report.push(format!("{name}: no edits"));
            continue;
        }
        if markers(&text) != markers(&fresh.content) {
            errors.push(format!(
                "{name}: the marker comments (// >>> // --- // <<<) were changed; they say where \
                 each line belongs, so restore them and edit only the code between them"
            ));
            continue;
        }
        let map = match sourcemap::read(&text, &book) {
            Ok(map) => map,
            Err(e) => {
                errors.push(format!("{name}: {e}"));
                continue;
            }
        };
        for block in map.blocks {
            let found = book.blocks.iter().position(|b| {
                b.name() == Some(block.name.as_str())
                    && b.line == block.line
                    && book.chapters[b.chapter].path == block.path
            });
            let Some(id) = found else {
                errors.push(format!(
                    "{name}: no block «{}» at {}:{}",
                    block.name, block.path, block.line
                ));
                continue;
            };
            match edits.get(&id) {
                Some((other, _)) if *other != block.code => errors.push(format!(
                    "{}: «{}» is used more than once and was edited differently in each place",
                    book.location(id),
                    block.name
                )),
                Some(_) => {}
                None => {
                    edits.insert(id, (block.code, name.clone()));
                }
            }
        }
        edited_files.push((name, text));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Every place a block appears agrees; those that still match the book need no patch.
    edits.retain(|&id, (code, _)| *code != book.code(id));
    if edits.is_empty() {
        return Ok(report);
    }

    // Patch each chapter, last block first, so the byte ranges of earlier blocks still hold.
    let mut originals = Vec::new();
    let mut chapters: BTreeMap<usize, Vec<BlockId>> = BTreeMap::new();
    for &id in edits.keys() {
        chapters.entry(book.blocks[id].chapter).or_default().push(id);
    }
    for (chapter, mut ids) in chapters {
        let chapter = &book.chapters[chapter];
        let mut text = chapter.text.clone();
        ids.sort_by_key(|&id| std::cmp::Reverse(book.blocks[id].code.start));
        for id in ids {
            let (code, from) = &edits[&id];
            text.replace_range(book.blocks[id].code.clone(), code);
            report.push(format!(
                "{}: block «{}» updated from {from}",
                book.location(id),
                book.blocks[id].name().unwrap_or_default()
            ));
        }
        if chapter.crlf {
            text = text.replace('\n', "\r\n");
        }
        let path = root.join(&chapter.path);
        originals.push((path.clone(), fs::read(&path).unwrap_or_default()));
        if let Err(e) = write_atomically(&path, text.as_bytes()) {
            restore(&originals);
            return Err(vec![format!("{}: {e}", chapter.path)]);
        }
    }

    // The book must now tangle to exactly the edited files.
    let new_plan = plan(root, true);
    let mut problems: Vec<String> = new_plan.diagnostics.iter().map(ToString::to_string).collect();
    for (name, text) in &edited_files {
        let produced =
            new_plan.tangled.files.get(name).map(|f| f.content.as_str()).unwrap_or_default();
        if without_marker_numbers(produced) != without_marker_numbers(text) {
            problems.push(format!(
                "{name}: the chapters cannot express this edit exactly (was a line moved left of \
                 its chunk's indentation, or across a marker?)"
            ));
        }
    }
    if problems.is_empty()
        && let Err(e) = apply(root, &new_plan)
    {
        problems.push(e.to_string());
    }
    if !problems.is_empty() {
        restore(&originals);
        return Err(problems);
    }
    report.extend(new_plan.writes.iter().map(|(path, _)| format!("re-tangled {path}")));
    Ok(report)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temp = path.with_extension("md.untangle-tmp");
    fs::write(&temp, bytes)?;
    fs::rename(&temp, path)
}

fn restore(originals: &[(std::path::PathBuf, Vec<u8>)]) {
    for (path, bytes) in originals {
        let _ = write_atomically(path, bytes);
    }
}
