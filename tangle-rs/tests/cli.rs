//! The command-line tools, run as binaries: `tangle check`, `tangle map`, `tangle
//! untangle`, and the mdBook preprocessor's side of its protocol.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};

use support::{Project, block};

fn tangle(project: &Project, args: &[&str]) -> std::process::Output {
    let target = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cargo-fixtures");
    Command::new(env!("CARGO_BIN_EXE_tangle"))
        .args(args)
        .current_dir(project.path())
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap()
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn check_lists_every_problem_and_fails() {
    let text = format!(
        "{}\n{}",
        block("file=src/lib.rs", "{{Missing}}\n# hidden\n"),
        block("chunk=Unused", "")
    );
    let project = Project::with_book("cli-check", &[("a.md", &text)]);
    let output = tangle(&project, &["check"]);
    assert!(!output.status.success());
    assert_eq!(
        stdout(&output).lines().collect::<Vec<_>>(),
        [
            "book/src/a.md:2: undefined chunk «Missing»",
            "book/src/a.md:3: mdBook hides Rust lines starting with '# '; readers would not see this line",
            "book/src/a.md:7: chunk «Unused» is never used (reference it as {{Unused}}, or mark the block notangle if it is an illustration)",
        ]
    );
}

#[test]
fn write_then_untangle_round_trip() {
    let text = format!(
        "{}\n{}",
        block("file=src/lib.rs", "pub mod m {\n    {{items}}\n}\n"),
        block("chunk=items", "pub const A: u8 = 1;\n")
    );
    let project = Project::with_book("cli-untangle", &[("a.md", &text)]);
    assert!(tangle(&project, &["write"]).status.success());
    let edited =
        project.read("src/lib.rs").replace("A: u8 = 1;", "A: u8 = 2;\n    pub const B: u8 = 3;");
    project.write("src/lib.rs", &edited);
    assert!(!tangle(&project, &["check"]).status.success());
    let output = tangle(&project, &["untangle", "src/lib.rs"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        project.read("book/src/a.md").contains("pub const A: u8 = 2;\npub const B: u8 = 3;\n```")
    );
    assert!(tangle(&project, &["check"]).status.success());
}

#[test]
fn map_points_compiler_errors_at_the_book() {
    let text = format!(
        "# A\n\n{}\nThe body:\n\n{}",
        block("file=src/lib.rs", "pub mod m {\n    {{body}}\n}\n"),
        block("chunk=body", "pub fn f() -> u8 {\n    \"not a number\"\n}\n")
    );
    let project = Project::with_book("cli-map", &[("a.md", &text)]);
    project.make_crate("mapped");
    assert!(tangle(&project, &["write"]).status.success());
    let output = tangle(&project, &["map", "build", "--offline"]);
    assert!(!output.status.success());
    let text = stdout(&output);
    // `"not a number"` is on line 13 of the chapter, indented by 4 in the chunk and by 8
    // in src/lib.rs (line 7 of the file).
    assert!(text.contains("book/src/a.md:13:5 [tangled src/lib.rs:7:9]"), "{text}");
    assert!(text.contains("mismatched types"), "{text}");
}

fn preprocess(input: &str) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mdbook-chunks"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    (output.status.success(), String::from_utf8(output.stdout).unwrap())
}

#[test]
fn preprocessor_speaks_mdbooks_protocol() {
    let supports = |r: &str| {
        Command::new(env!("CARGO_BIN_EXE_mdbook-chunks"))
            .args(["supports", r])
            .status()
            .unwrap()
            .success()
    };
    assert!(supports("html"));
    assert!(!supports("latex"));

    let chapter = |name: &str, path: &str, content: &str, subs: &str| {
        format!(
            r#"{{"Chapter":{{"name":"{name}","content":{},"number":null,"sub_items":[{subs}],"path":"{path}","source_path":"{path}","parent_names":[]}}}}"#,
            serde_json_string(content)
        )
    };
    let a = chapter("Intro", "intro.md", "```rust file=src/lib.rs\n{{x}}\n```\n", "");
    let b = chapter("Deep", "part/deep.md", "```rust chunk=x\nfn x() {}\n```\n", "");
    let index = chapter("Index", "chunk-index.md", "# Index\n\n<!-- chunk-index -->\n", "");
    let parent = chapter("Part", "part/index.md", "# Part\n", &b);
    let input = format!(
        r#"[{{"root":"/x","config":{{}},"renderer":"html","mdbook_version":"0.5.4"}},{{"items":[{a},"Separator",{parent},{index}]}}]"#
    );
    let (ok, output) = preprocess(&input);
    assert!(ok);
    // The intro's reference links into the sub-chapter, as HTML (.html); the sub-chapter's
    // "used in" goes back up a folder, as Markdown (.md, which mdBook rewrites).
    assert!(
        output.contains(r#"<a class=\"chunk-ref\" href=\"part/deep.html#chunk-x-1\">{{x}}</a>"#),
        "{output}"
    );
    assert!(output.contains("used in [`src/lib.rs`](../intro.md#file-src-lib-rs)"), "{output}");
    assert!(output.contains(r#"<a id=\"chunk-x-1\"></a>**«x»** ≡"#), "{output}");
    assert!(
        output.contains("- [«x»](part/deep.md#chunk-x-1): [Deep](part/deep.md#chunk-x-1)"),
        "{output}"
    );
    assert!(output.contains(r#""items":["#) && output.contains("Separator"));

    let (ok, _) = preprocess("not json");
    assert!(!ok);
}

fn serde_json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
