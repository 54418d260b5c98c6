//! The real book, rendered by the real mdBook with our preprocessor: captions, links and
//! the index of chunks must be in the HTML. And the real book's source map must be exact.

use std::path::{Path, PathBuf};
use std::process::Command;

use tangle_rs::{Book, sourcemap};

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The mdbook binary named by `MATRIXLIB_MDBOOK` (tools/test.sh sets it). Without it the
/// test is skipped, except in CI, where that is a failure.
fn mdbook() -> Option<PathBuf> {
    match std::env::var_os("MATRIXLIB_MDBOOK") {
        Some(path) if !path.is_empty() => Some(path.into()),
        _ => {
            let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(!in_ci, "MATRIXLIB_MDBOOK is not set, and CI=true: run tools/test.sh");
            eprintln!("skipped: MATRIXLIB_MDBOOK is not set (tools/test.sh installs mdbook)");
            None
        }
    }
}

#[test]
fn rendered_book_has_captions_links_and_index() {
    let Some(mdbook) = mdbook() else { return };
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rendered-book");
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new(mdbook)
        .arg("build")
        .arg("--dest-dir")
        .arg(&out)
        .current_dir(project_root().join("book"))
        // The preprocessor cargo built for this test, not a nested `cargo run`.
        .env("MDBOOK_PREPROCESSOR__CHUNKS__COMMAND", env!("CARGO_BIN_EXE_mdbook-chunks"))
        .status()
        .unwrap();
    assert!(status.success());
    let intro = std::fs::read_to_string(out.join("01-introduction.html")).unwrap();
    assert!(
        intro.contains(r#"<a id="file-src-lib-rs"></a><strong><code>src/lib.rs</code></strong> ≡"#),
        "no caption for src/lib.rs"
    );
    assert!(
        intro.contains(r#"<a id="chunk-test-harness-1"></a><strong>«test harness»</strong> ≡"#)
    );
    assert!(intro.contains(
        r##"<a class="chunk-ref" href="#chunk-crate-level-items-1">{{crate-level items}}</a>"##
    ));
    assert!(intro.contains(r##"<small class="chunk-links">used in <a href="#file-src-lib-rs"><code>src/lib.rs</code></a></small>"##));
    assert!(!intro.contains("chunk=&quot;"), "a tangled block was left unrendered");

    let index = std::fs::read_to_string(out.join("chunk-index.html")).unwrap();
    let book = Book::load(&project_root());
    for name in book.chunks.keys() {
        assert!(index.contains(&format!("«{name}»</a>")), "index lacks «{name}»");
    }
    for path in book.roots.keys() {
        assert!(index.contains(&format!("<code>{path}</code></a>")), "index lacks {path}");
    }
    assert!(!index.contains("<!-- chunk-index -->"));
    // Parts are named by their chapter's title, not by a file and line.
    assert!(index.contains("The sync loop (part 2)</a>"), "the index names parts by chapter");
}

#[test]
fn every_generated_line_maps_to_identical_book_text() {
    let root = project_root();
    let book = Book::load(&root);
    assert!(book.diagnostics.is_empty(), "{:?}", book.diagnostics);
    let chapters: std::collections::HashMap<&str, Vec<&str>> =
        book.chapters.iter().map(|c| (c.path.as_str(), c.text.lines().collect())).collect();
    for (path, file) in &book.tangle().files {
        let from_markers = sourcemap::read(&file.content, &book).unwrap();
        assert_eq!(from_markers.lines, file.lines, "{path}: the markers disagree with the tangler");
        for (i, line) in file.content.lines().enumerate() {
            let Some(source) = file.source(i + 1) else { continue };
            let book_line = chapters[source.path.as_str()][source.line - 1];
            let expected = if book_line.is_empty() {
                String::new()
            } else {
                format!("{}{book_line}", &line[..source.indent])
            };
            assert_eq!(line, expected, "{path}:{} vs {}:{}", i + 1, source.path, source.line);
        }
    }
}

#[test]
fn a_line_added_to_a_chapter_changes_only_that_line_of_the_generated_file() {
    let chapter = |extra: &str| {
        format!(
            "# A\n\n```rust file=src/lib.rs\n{{{{items}}}}\n```\n\nWhy.\n\n```rust chunk=items\nfn a() {{}}\n{extra}```\n\nMore.\n\n```rust chunk=items\nfn b() {{}}\n```\n\n```rust chunk=items\nfn c() {{}}\n```\n"
        )
    };
    let tangle = |text: String| {
        let book = Book::from_chapters(vec![("a.md".into(), "a.md".into(), text)]);
        assert!(book.diagnostics.is_empty(), "{:?}", book.diagnostics);
        let file = book.tangle().files["src/lib.rs"].clone();
        let map = sourcemap::read(&file.content, &book).unwrap();
        assert_eq!(map.lines, file.lines, "the markers disagree with the tangler");
        file.content
    };
    let before = tangle(chapter(""));
    let after = tangle(chapter("fn added() {}\n"));
    let body = |text: &str| text.lines().skip(2).map(String::from).collect::<Vec<_>>();
    let (before, after) = (body(&before), body(&after));
    assert_eq!(after.len(), before.len() + 1);
    let changed: Vec<&String> = after.iter().filter(|line| !before.contains(line)).collect();
    assert_eq!(changed, ["fn added() {}"], "{after:#?}");
    assert!(before.iter().any(|l| l == "// --- «items» book/src/a.md part 3"), "{before:#?}");
}
