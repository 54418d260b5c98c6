//! `tangle`: the book's command-line tools (run as `cargo lit …` from the project root).
//!
//! ```text
//! tangle check               every diagnostic of the book, nothing written
//! tangle write               tangle and write what changed (what build.rs does)
//! tangle map <cargo args>    run cargo; show each compiler message at its book line too
//! tangle untangle [FILE…]    carry hand edits of generated files back into the chapters
//! ```

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use tangle_rs::build_script::{apply, force_from_env, plan};
use tangle_rs::{sourcemap, untangle};

const USAGE: &str = "usage: tangle check | write | map <cargo args…> | untangle [FILE…]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = match project_root() {
        Some(root) => root,
        None => {
            eprintln!("tangle: no book/src/SUMMARY.md here or in any parent folder");
            return ExitCode::from(2);
        }
    };
    match args.first().map(String::as_str) {
        Some("check") => check(&root),
        Some("write") => write(&root),
        Some("map") => map(&root, &args[1..]),
        Some("untangle") => untangle_files(&root, &args[1..]),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The nearest folder, from the current one up, that holds `book/src/SUMMARY.md`.
fn project_root() -> Option<PathBuf> {
    let mut dir = std::env::current_dir().ok()?;
    loop {
        if dir.join(tangle_rs::BOOK_SRC).join("SUMMARY.md").is_file() {
            return Some(dir);
        }
        if !dir.pop() {
            return None;
        }
    }
}

fn check(root: &Path) -> ExitCode {
    let plan = plan(root, false);
    for diagnostic in &plan.diagnostics {
        println!("{diagnostic}");
    }
    if plan.diagnostics.is_empty() {
        let files = plan.tangled.files.len();
        let pending = plan.writes.len();
        eprintln!("tangle: book ok: {files} generated files, {pending} to be written");
        ExitCode::SUCCESS
    } else {
        eprintln!("tangle: {} problem(s)", plan.diagnostics.len());
        ExitCode::FAILURE
    }
}

fn write(root: &Path) -> ExitCode {
    let plan = plan(root, force_from_env());
    if !plan.diagnostics.is_empty() {
        for diagnostic in &plan.diagnostics {
            println!("{diagnostic}");
        }
        eprintln!("tangle: {} problem(s); nothing written", plan.diagnostics.len());
        return ExitCode::FAILURE;
    }
    if let Err(e) = apply(root, &plan) {
        eprintln!("tangle: {e}");
        return ExitCode::FAILURE;
    }
    for (path, _) in &plan.writes {
        eprintln!("tangle: wrote {path}");
    }
    ExitCode::SUCCESS
}

/// Runs cargo with JSON messages and prints each rendered compiler message, with every
/// `--> src/x.rs:L:C` line that points into a generated file rewritten to point at the
/// book: `--> book/src/04-client.md:67:26 [tangled src/client.rs:40:34]`.
fn map(root: &Path, args: &[String]) -> ExitCode {
    if args.is_empty() {
        eprintln!("usage: tangle map <cargo subcommand and args>, e.g. tangle map build");
        return ExitCode::from(2);
    }
    let mut child = match Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .arg("--message-format=json-diagnostic-rendered-ansi")
        .current_dir(root)
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!("tangle: cannot run cargo: {e}");
            return ExitCode::FAILURE;
        }
    };
    let book = tangle_rs::Book::load(root);
    let mut maps = std::collections::HashMap::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
                println!("{line}");
                continue;
            };
            if message["reason"] != "compiler-message" {
                continue;
            }
            if let Some(rendered) = message["message"]["rendered"].as_str() {
                print!("{}", map_rendered(root, &book, rendered, &mut maps));
            }
        }
    }
    match child.wait() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

/// Rewrites the `--> file:line:col` lines of one rendered message.
fn map_rendered(
    root: &Path,
    book: &tangle_rs::Book,
    rendered: &str,
    maps: &mut std::collections::HashMap<String, Option<sourcemap::SourceMap>>,
) -> String {
    let mut out = String::new();
    for line in rendered.split_inclusive('\n') {
        out.push_str(&map_arrow_line(root, book, line, maps).unwrap_or_else(|| line.to_string()));
    }
    out
}

fn map_arrow_line(
    root: &Path,
    book: &tangle_rs::Book,
    line: &str,
    maps: &mut std::collections::HashMap<String, Option<sourcemap::SourceMap>>,
) -> Option<String> {
    // The arrow may be wrapped in ANSI colour codes; find it in the plain text.
    let arrow = line.find("--> ")? + 4;
    let mut start = arrow;
    while line[start..].starts_with("\x1b[") {
        start += line[start..].find('m')? + 1;
    }
    let rest = &line[start..];
    let end = rest.find(|c: char| c.is_whitespace() || c == '\x1b').unwrap_or(rest.len());
    let location = &rest[..end];
    let mut parts = location.rsplitn(3, ':');
    let column: usize = parts.next()?.parse().ok()?;
    let number: usize = parts.next()?.parse().ok()?;
    let file = parts.next()?;
    let map = maps
        .entry(file.to_string())
        .or_insert_with(|| {
            sourcemap::read(&std::fs::read_to_string(root.join(file)).ok()?, book).ok()
        })
        .as_ref()?;
    let source = map.source(number)?;
    let book_column = column.saturating_sub(source.indent).max(1);
    let mapped = format!("{}:{}:{book_column} [tangled {location}]", source.path, source.line);
    Some(format!("{}{mapped}{}", &line[..start], &rest[end..]))
}

fn untangle_files(root: &Path, files: &[String]) -> ExitCode {
    match untangle::untangle(root, files) {
        Ok(report) => {
            for line in report {
                eprintln!("tangle: {line}");
            }
            ExitCode::SUCCESS
        }
        Err(errors) => {
            for error in errors {
                println!("{error}");
            }
            eprintln!("tangle: untangle changed nothing");
            ExitCode::FAILURE
        }
    }
}
