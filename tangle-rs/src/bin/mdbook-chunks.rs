//! `mdbook-chunks`: the mdBook preprocessor that gives every chunk a caption, links to
//! where it is defined, continued and used, and fills in the index of chunks.
//!
//! mdBook runs `mdbook-chunks supports RENDERER` first (exit 0: yes), then writes
//! `[context, book]` as JSON to stdin and reads the book back from stdout. The book's
//! chapters are walked in order (`items` in mdBook 0.5, `sections` in 0.4), parsed by the
//! same parser the build uses, and rewritten by `tangle_rs::render`.
//!
//! The preprocessor is lenient: a book with problems still renders (the build, not the
//! renderer, is where they are errors), and the problems are listed on stderr.

use std::io::Read;
use std::process::ExitCode;

use serde_json::Value;
use tangle_rs::Book;
use tangle_rs::render::Renderer;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("supports") {
        // Captions and links are HTML; other renderers get the book unchanged.
        let html = args.get(1).is_none_or(|r| r == "html");
        return if html { ExitCode::SUCCESS } else { ExitCode::FAILURE };
    }
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("mdbook-chunks: cannot read stdin: {e}");
        return ExitCode::FAILURE;
    }
    match run(&input) {
        Ok(output) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mdbook-chunks: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(input: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(input).map_err(|e| format!("bad input: {e}"))?;
    let mut book = value.get(1).cloned().ok_or("input is not [context, book]")?;
    let key = if book.get("items").is_some() { "items" } else { "sections" };

    // Gather the chapters in reading order, with a way back to each one in the JSON.
    let mut chapters = Vec::new();
    let mut pointers = Vec::new();
    collect(&book[key], &format!("/{key}"), &mut chapters, &mut pointers);
    let parsed = Book::from_chapters(chapters);
    if !parsed.diagnostics.is_empty() {
        eprintln!(
            "mdbook-chunks: the book has {} problem(s); `cargo lit check` lists them",
            parsed.diagnostics.len()
        );
    }
    let renderer = Renderer::new(&parsed);
    for (index, pointer) in pointers.iter().enumerate() {
        if let Some(content) = book.pointer_mut(pointer) {
            *content = Value::String(renderer.annotate(index));
        }
    }
    serde_json::to_string(&book).map_err(|e| e.to_string())
}

/// Walks mdBook's book items, collecting (title, path, content) of each chapter with a
/// file, and the JSON pointer of its content.
fn collect(
    items: &Value,
    at: &str,
    chapters: &mut Vec<(String, String, String)>,
    pointers: &mut Vec<String>,
) {
    let Some(items) = items.as_array() else { return };
    for (i, item) in items.iter().enumerate() {
        let Some(chapter) = item.get("Chapter") else { continue };
        let here = format!("{at}/{i}/Chapter");
        if let (Some(path), Some(content)) = (chapter["path"].as_str(), chapter["content"].as_str())
        {
            let name = chapter["name"].as_str().unwrap_or_default().to_string();
            chapters.push((name, path.replace('\\', "/"), content.to_string()));
            pointers.push(format!("{here}/content"));
        }
        collect(&chapter["sub_items"], &format!("{here}/sub_items"), chapters, pointers);
    }
}
