//! The build-script contract: what is written, what is refused, and how cargo sees it.

mod support;

use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use support::{Project, block};
use tangle_rs::build_script::{apply, plan};
use tangle_rs::untangle::untangle;

fn chapter(body: &str) -> String {
    format!(
        "# A\n\nThe root.\n\n{}\nThe body.\n\n{}\nA test.\n\n{}",
        block("file=src/lib.rs", "//! A fixture.\n\n{{body}}\n"),
        block(
            "chunk=body",
            &format!("/// The answer.\npub fn answer() -> u32 {{\n    {body}\n}}\n")
        ),
        block(
            "file=tests/answer.rs",
            "#[test]\nfn answer() {\n    assert!(fixture::answer() > 0);\n}\n"
        ),
    )
}

fn project(name: &str) -> Project {
    Project::with_book(name, &[("a.md", &chapter("42"))])
}

fn write_all(project: &Project) -> Vec<String> {
    let plan = plan(project.path(), false);
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    apply(project.path(), &plan).unwrap();
    plan.writes.into_iter().map(|(path, _)| path).collect()
}

fn problems(project: &Project) -> Vec<String> {
    plan(project.path(), false).diagnostics.iter().map(ToString::to_string).collect()
}

#[test]
fn writes_only_what_differs() {
    let project = project("differs");
    assert_eq!(write_all(&project), ["src/lib.rs", "tests/answer.rs"]);
    assert_eq!(write_all(&project), Vec::<String>::new());
    project.write("book/src/a.md", &chapter("43"));
    assert_eq!(write_all(&project), ["src/lib.rs"]);
    assert!(project.read("src/lib.rs").contains("    43\n"));
}

#[test]
fn written_files_are_back_dated_to_the_newest_chapter() {
    let project = project("backdate");
    let past = SystemTime::now() - Duration::from_secs(3600);
    let older = past - Duration::from_secs(60);
    for (file, time) in [("a.md", past), ("SUMMARY.md", older)] {
        let path = project.path().join("book/src").join(file);
        std::fs::File::options().write(true).open(path).unwrap().set_modified(time).unwrap();
    }
    write_all(&project);
    for file in ["src/lib.rs", "tests/answer.rs"] {
        let written = std::fs::metadata(project.path().join(file)).unwrap().modified().unwrap();
        assert_eq!(written, past, "{file}");
    }
}

#[test]
fn hand_edits_are_refused_with_the_chapter_to_edit() {
    let project = project("handedit");
    write_all(&project);
    let edited = project.read("src/lib.rs").replace("    42\n", "    41 + 1\n");
    project.write("src/lib.rs", &edited);
    let problems = problems(&project);
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("book/src/a.md:16: src/lib.rs was edited by hand (its line 9 differs from the book); make the edit in this chapter, or carry it over with `cargo lit untangle src/lib.rs`"),
        "{problems:?}"
    );
    // Nothing is written while a problem remains; TANGLE_FORCE overwrites the edit.
    assert!(plan(project.path(), false).diagnostics.len() == 1);
    let forced = plan(project.path(), true);
    assert!(forced.diagnostics.is_empty());
    apply(project.path(), &forced).unwrap();
    assert!(project.read("src/lib.rs").contains("    42\n"));
}

#[test]
fn hand_written_files_are_never_overwritten() {
    let project = project("handwritten");
    project.write("src/lib.rs", "pub fn mine() {}\n");
    assert_eq!(
        problems(&project),
        [
            "book/src/a.md:5: refusing to overwrite hand-written src/lib.rs; move its code into this chapter's chunks, then delete the file"
        ]
    );
    // Hand-written files that no root names are left alone.
    project.write("tests/regression.rs", "#[test]\nfn mine() {}\n");
    project.write("src/lib.rs", "");
    std::fs::remove_file(project.path().join("src/lib.rs")).unwrap();
    assert!(problems(&project).is_empty());
}

#[test]
fn stale_generated_files_must_be_removed_by_hand() {
    let project = project("stale");
    write_all(&project);
    let old = project.read("tests/answer.rs");
    project.write("tests/old.rs", &old);
    assert_eq!(
        problems(&project),
        ["tests/old.rs:1: tests/old.rs is no longer produced by the book; git rm it"]
    );
}

#[test]
fn untangle_carries_an_edit_back_and_refuses_what_it_cannot_place() {
    let project = project("untangle");
    write_all(&project);

    // An edit inside a nested chunk goes back into that chunk, de-indented.
    let edited =
        project.read("src/lib.rs").replace("    42\n", "    let half = 21;\n    half * 2\n");
    project.write("src/lib.rs", &edited);
    let report = untangle(project.path(), &[]).unwrap();
    assert!(
        report.iter().any(|r| r.contains("book/src/a.md:14: block «body» updated")),
        "{report:?}"
    );
    assert!(
        project
            .read("book/src/a.md")
            .contains("pub fn answer() -> u32 {\n    let half = 21;\n    half * 2\n}\n")
    );
    assert!(problems(&project).is_empty());
    assert_eq!(
        project.read("src/lib.rs").lines().skip(2).collect::<Vec<_>>(),
        edited.lines().skip(2).collect::<Vec<_>>()
    );

    // An edit of a marker is refused, and the chapter is left as it was.
    let before = project.read("book/src/a.md");
    let broken = project.read("src/lib.rs").replace("// <<< «body»", "// <<< «bodies»");
    project.write("src/lib.rs", &broken);
    let errors = untangle(project.path(), &["src/lib.rs".into()]).unwrap_err();
    assert!(errors[0].contains("marker comments"), "{errors:?}");
    assert_eq!(project.read("book/src/a.md"), before);
}

#[test]
fn untangle_keeps_crlf_chapters_crlf_and_detects_conflicting_edits() {
    let text = format!(
        "{}\n{}",
        block("file=src/lib.rs", "mod a {\n    {{shared}}\n}\nmod b {\n    {{shared}}\n}\n"),
        block("chunk=shared", "pub fn f() {}\n"),
    )
    .replace('\n', "\r\n");
    let project = Project::with_book("crlf", &[("a.md", &text)]);
    write_all(&project);
    let both = project.read("src/lib.rs").replace("pub fn f() {}", "pub fn f() -> u8 { 1 }");
    project.write("src/lib.rs", &both);
    untangle(project.path(), &[]).unwrap();
    let chapter = project.read("book/src/a.md");
    assert!(chapter.contains("pub fn f() -> u8 { 1 }\r\n```\r\n"), "{chapter:?}");
    assert!(!chapter.replace("\r\n", "").contains('\n'));

    let one = project.read("src/lib.rs").replacen("-> u8 { 1 }", "-> u8 { 2 }", 1);
    project.write("src/lib.rs", &one);
    let errors = untangle(project.path(), &[]).unwrap_err();
    assert!(
        errors[0].contains("«shared» is used more than once and was edited differently"),
        "{errors:?}"
    );

    // A line left of its chunk's indentation cannot be expressed in the chunk.
    let chapter = project.read("book/src/a.md");
    let outdented = project.read("src/lib.rs").replace("-> u8 { 2 }\n", "-> u8 { 1 }\n// stray\n");
    project.write("src/lib.rs", &outdented);
    let errors = untangle(project.path(), &[]).unwrap_err();
    assert!(errors[0].contains("less indented than the chunk «shared»"), "{errors:?}");
    assert_eq!(project.read("book/src/a.md"), chapter);
}

// ---- through cargo itself ------------------------------------------------------------------

/// A fixture crate whose build.rs is tangle-rs's build script, with its generated files
/// already written (as they would be committed). Each test's crate has its own package
/// name: the fixtures share one target directory, where cargo keys a build script's output
/// by package name and version, so two tests building one name at once would overwrite each
/// other's (a no-op build then reran the script, but only when the tests ran together).
fn cargo_project(name: &str) -> Project {
    let project = project(name);
    project.make_crate(&format!("fixture-{name}"));
    write_all(&project);
    project
}

fn cargo(project: &Project, args: &[&str]) -> Output {
    let target = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cargo-fixtures");
    Command::new(option_env!("CARGO").unwrap_or("cargo"))
        .args(args)
        .arg("--offline")
        .current_dir(project.path())
        .env("CARGO_TARGET_DIR", target)
        .env_remove("TANGLE_FORCE")
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn ran_build_script(output: &Output) -> bool {
    stderr(output).lines().any(|l| l.contains("Running") && l.contains("build-script-build"))
}

#[test]
fn cargo_reruns_the_script_only_when_the_book_or_an_output_changes() {
    let project = cargo_project("cargo-rerun");
    let first = cargo(&project, &["build", "-v"]);
    assert!(first.status.success(), "{}", stderr(&first));

    let noop = cargo(&project, &["build", "-v"]);
    assert!(noop.status.success());
    assert!(!ran_build_script(&noop), "a no-op build re-ran the script:\n{}", stderr(&noop));

    let tests_before = project.read("tests/answer.rs");
    let tests_mtime =
        std::fs::metadata(project.path().join("tests/answer.rs")).unwrap().modified().unwrap();
    project.write("book/src/a.md", &chapter("7"));
    let edit = cargo(&project, &["build", "-v"]);
    assert!(edit.status.success(), "{}", stderr(&edit));
    assert!(ran_build_script(&edit));
    assert!(project.read("src/lib.rs").contains("    7\n"));
    assert_eq!(project.read("tests/answer.rs"), tests_before);
    assert_eq!(
        std::fs::metadata(project.path().join("tests/answer.rs")).unwrap().modified().unwrap(),
        tests_mtime
    );

    let after = cargo(&project, &["build", "-v"]);
    assert!(!ran_build_script(&after), "the edit cost a second rebuild:\n{}", stderr(&after));
}

#[test]
fn cargo_refuses_a_hand_edit_until_it_is_untangled() {
    let project = cargo_project("cargo-handedit");
    assert!(cargo(&project, &["build"]).status.success());
    let edited = project.read("src/lib.rs").replace("    42\n", "    6 * 7\n");
    project.write("src/lib.rs", &edited);
    let refused = cargo(&project, &["build"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("book/src/a.md:16: src/lib.rs was edited by hand"),
        "{}",
        stderr(&refused)
    );
    untangle(project.path(), &[]).unwrap();
    assert!(project.read("book/src/a.md").contains("    6 * 7\n"));
    let built = cargo(&project, &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(problems(&project).is_empty());
}

#[test]
fn cargo_reports_every_problem_and_writes_nothing() {
    let project = cargo_project("cargo-errors");
    assert!(cargo(&project, &["build"]).status.success());
    let before = project.read("src/lib.rs");
    let broken = chapter("1").replace("{{body}}", "{{bdoy}}\n{{missing}}");
    project.write("book/src/a.md", &broken);
    let output = cargo(&project, &["build"]);
    assert!(!output.status.success());
    let text = stderr(&output);
    assert!(
        text.contains("book/src/a.md:8: undefined chunk «bdoy»; did you mean «body»?"),
        "{text}"
    );
    assert!(text.contains("book/src/a.md:9: undefined chunk «missing»"), "{text}");
    assert!(text.contains("book/src/a.md:15: chunk «body» is never used"), "{text}");
    assert_eq!(project.read("src/lib.rs"), before);
}
