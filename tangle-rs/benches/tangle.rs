//! How long the build script's tangling takes on a book of 100 chapters.
//!
//! The book is made from this project's own chapters: whole copies of the book, until there
//! are at least 100 chapters, each copy with its file roots moved under `copyN/` and its
//! chunk names suffixed, so that the copies neither clash nor share chunks. (A copy must
//! be whole: its chunks are used across its chapters.) Each generated file is written once,
//! as a build would leave it, and then the build script's work (`plan`: read, tangle,
//! compare with the files on disk) is timed, round after round; the median is printed.
//!
//! `cargo bench -p tangle-rs --bench tangle` times an optimised build;
//! `cargo bench -p tangle-rs --bench tangle --profile dev` times the code as the build
//! script runs it when the build-script profile is not optimised.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const AT_LEAST: usize = 100;
const ROUNDS: usize = 15;

fn main() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    let (root, chapters, lines) = generated_book(&project);
    let first = tangle_rs::build_script::plan(&root, false);
    assert!(
        first.diagnostics.is_empty(),
        "the generated book has problems: {:?}",
        &first.diagnostics[..3.min(first.diagnostics.len())]
    );
    tangle_rs::build_script::apply(&root, &first).unwrap();
    let mut times: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            let plan = tangle_rs::build_script::plan(&root, false);
            let elapsed = start.elapsed();
            assert!(plan.writes.is_empty() && plan.diagnostics.is_empty());
            elapsed
        })
        .collect();
    times.sort();
    let own = {
        let start = Instant::now();
        let plan = tangle_rs::build_script::plan(&project, false);
        assert!(plan.diagnostics.is_empty());
        start.elapsed()
    };
    println!(
        "tangle: {} chapters, {lines} lines, {} files: median {:.1} ms (min {:.1}, max {:.1}) over {ROUNDS} rounds; this book as it is: {:.1} ms",
        chapters,
        first.tangled.files.len(),
        ms(times[ROUNDS / 2]),
        ms(times[0]),
        ms(times[ROUNDS - 1]),
        ms(own)
    );
    std::fs::remove_dir_all(&root).ok();
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Writes the book of 100 chapters or more into a fresh directory; returns it, its
/// chapters and its lines.
fn generated_book(project: &Path) -> (PathBuf, usize, usize) {
    let src = project.join("book/src");
    let summary = std::fs::read_to_string(src.join("SUMMARY.md")).unwrap();
    let chapters: Vec<String> = summary
        .lines()
        .filter_map(|l| l.split_once("](").map(|(_, rest)| rest.trim_end_matches(')').to_string()))
        .filter(|p| p.ends_with(".md") && p != "chunk-index.md")
        .collect();
    let root = std::env::temp_dir().join(format!("tangle-bench-{}", std::process::id()));
    std::fs::remove_dir_all(&root).ok();
    std::fs::create_dir_all(root.join("book/src")).unwrap();
    let mut out_summary = String::from("# Summary\n\n");
    let mut lines = 0;
    let copies = AT_LEAST.div_ceil(chapters.len());
    for i in 0..copies * chapters.len() {
        let copy = i / chapters.len();
        let name = &chapters[i % chapters.len()];
        let text = std::fs::read_to_string(src.join(name)).unwrap();
        let text = renamed(&text, copy);
        lines += text.lines().count();
        let file = format!("{i:03}-{name}");
        std::fs::write(root.join("book/src").join(&file), text).unwrap();
        out_summary.push_str(&format!("- [Chapter {i}]({file})\n"));
    }
    std::fs::write(root.join("book/src/SUMMARY.md"), out_summary).unwrap();
    (root, copies * chapters.len(), lines)
}

/// A chapter's text for copy `copy`: file roots under `copyN/`, chunk names suffixed.
fn renamed(text: &str, copy: usize) -> String {
    let mut out = String::with_capacity(text.len() + 4096);
    for line in text.lines() {
        let mut line = line.to_string();
        if line.starts_with("```rust") {
            for dir in ["src/", "tests/", "examples/", "benches/"] {
                line = line.replace(&format!("file={dir}"), &format!("file={dir}copy{copy}/"));
                line = line.replace(&format!("file=\"{dir}"), &format!("file=\"{dir}copy{copy}/"));
            }
            if let Some(start) = line.find("chunk=\"") {
                let end = line[start + 7..].find('"').unwrap() + start + 7;
                line.insert_str(end, &format!(" c{copy}"));
            }
        } else {
            let mut from = 0;
            while let Some(start) = line[from..].find("{{").map(|s| s + from) {
                let Some(end) = line[start..].find("}}").map(|e| e + start) else { break };
                line.insert_str(end, &format!(" c{copy}"));
                from = end + 2;
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}
