//! One fixture book per diagnostic, each asserting the exact `file:line: message`, and one
//! book with every problem at once.

mod support;

use support::{Project, block};

fn one(file: &str, text: &str) -> Vec<String> {
    Project::with_book("diag", &[(file, text)]).diagnostics()
}

const ROOT: &str = "```rust file=src/lib.rs\n{{Client class methods}}\n```\n";

#[test]
fn undefined_chunk_suggests_the_closest_name() {
    let text = format!(
        "# A\n\n```rust file=src/lib.rs\n{{{{Client class method}}}}\n{{{{Client class methods}}}}\n```\n\n{}",
        block("chunk=\"Client class methods\"", "fn a() {}\n")
    );
    assert_eq!(
        one("a.md", &text),
        [
            "book/src/a.md:4: undefined chunk «Client class method»; did you mean «Client class methods»?"
        ]
    );
    let far = "```rust file=src/lib.rs\n{{Something else}}\n```\n";
    assert_eq!(one("a.md", far), ["book/src/a.md:2: undefined chunk «Something else»"]);
}

#[test]
fn unused_chunk() {
    let text = format!(
        "{ROOT}\n{}\n{}",
        block("chunk=\"Client class methods\"", "\n"),
        block("chunk=\"Old helper\"", "fn old() {}\n")
    );
    assert_eq!(
        one("a.md", &text),
        [
            "book/src/a.md:10: chunk «Old helper» is never used (reference it as {{Old helper}}, or mark the block notangle if it is an illustration)"
        ]
    );
}

#[test]
fn cycle_shows_its_path() {
    let text = format!(
        "{}\n{}\n{}\n{}",
        block("file=src/lib.rs", "{{Helper A}}\n"),
        block("chunk=\"Helper A\"", "{{Helper B}}\n"),
        block("chunk=\"Helper B\"", "{{Helper C}}\n"),
        block("chunk=\"Helper C\"", "{{Helper A}}\n"),
    );
    assert_eq!(
        one("a.md", &text),
        ["book/src/a.md:14: chunk cycle: «Helper A» -> «Helper B» -> «Helper C» -> «Helper A»"]
    );
    // A chunk that includes itself.
    let text =
        format!("{}\n{}", block("file=src/lib.rs", "{{Me}}\n"), block("chunk=Me", "{{Me}}\n"));
    assert_eq!(one("a.md", &text), ["book/src/a.md:6: chunk cycle: «Me» -> «Me»"]);
}

#[test]
fn duplicate_file_root_names_the_first() {
    let project = Project::with_book(
        "dup",
        &[
            ("a.md", "```rust file=src/client.rs\n```\n"),
            ("b.md", "# B\n\n```rust file=src/client.rs\n```\n"),
        ],
    );
    assert_eq!(
        project.diagnostics(),
        ["book/src/b.md:4: duplicate file root src/client.rs; first at book/src/a.md:2"]
    );
}

#[test]
fn bad_file_roots() {
    let text =
        ["/etc/lib.rs", "../lib.rs", "src/../../x.rs", "lib.rs", "target/x.rs", "src/notes.txt"]
            .iter()
            .map(|p| format!("```rust file={p}\n```\n"))
            .collect::<String>();
    let need = "need a relative .rs path under src/, tests/, examples/ or benches/";
    let expected: Vec<String> =
        ["/etc/lib.rs", "../lib.rs", "src/../../x.rs", "lib.rs", "target/x.rs", "src/notes.txt"]
            .iter()
            .enumerate()
            .map(|(i, p)| format!("book/src/a.md:{}: bad file root {p}: {need}", 2 * i + 2))
            .collect();
    assert_eq!(one("a.md", &text), expected);
}

#[test]
fn roots_differing_only_in_case() {
    let text = "```rust file=src/Client.rs\n```\n\n```rust file=src/client.rs\n```\n";
    assert_eq!(
        one("a.md", text),
        [
            "book/src/a.md:5: file root src/client.rs differs from src/Client.rs (at book/src/a.md:2) only in case; the two would be one file on macOS and Windows"
        ]
    );
}

#[test]
fn hidden_lines_are_refused() {
    let text = block(
        "file=src/lib.rs",
        "fn a() {}\n# fn hidden() {}\n#[derive(Debug)]\nstruct S;\n#!\n    #\n",
    );
    assert_eq!(
        one("a.md", &text),
        [
            "book/src/a.md:3: mdBook hides Rust lines starting with '# '; readers would not see this line",
            "book/src/a.md:7: mdBook hides Rust lines starting with '# '; readers would not see this line",
        ]
    );
}

#[test]
fn chapter_not_in_summary() {
    let project = Project::with_book("unlisted", &[("a.md", "# A\n")]);
    project.write("book/src/notes.md", "# Notes\n");
    project.write("book/src/sub/more.md", "# More\n");
    assert_eq!(
        project.diagnostics(),
        [
            "book/src/notes.md:1: chapter is not listed in SUMMARY.md (list it, or keep drafts out of book/src)",
            "book/src/sub/more.md:1: chapter is not listed in SUMMARY.md (list it, or keep drafts out of book/src)",
        ]
    );
}

#[test]
fn summary_listing_a_missing_chapter() {
    let project = Project::with_book("missing", &[("a.md", "# A\n")]);
    project.write("book/src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n- [Gone](gone.md)\n");
    let diagnostics = project.diagnostics();
    assert_eq!(diagnostics.len(), 1);
    assert!(
        diagnostics[0].starts_with("book/src/SUMMARY.md:4: cannot read chapter gone.md"),
        "{diagnostics:?}"
    );
}

#[test]
fn chunk_and_file_on_one_block() {
    let text = "```rust chunk=x file=src/lib.rs\n```\n";
    assert_eq!(
        one("a.md", text),
        [
            "book/src/a.md:1: a block has both chunk= and file= (`rust chunk=x file=src/lib.rs`); a file root is its own chunk, so give it only file="
        ]
    );
}

#[test]
fn unnamed_and_malformed_blocks() {
    let text = "```rust\nfn a() {}\n```\n\n```rust chunk=\"open\n```\n\n```rust chunk=\"a{b}\"\n```\n\n```rust chunk=x notangle\n```\n";
    assert_eq!(
        one("a.md", text),
        [
            "book/src/a.md:1: a rust block with neither chunk= nor file= (`rust`); name it, or mark it `rust notangle` if it is only shown to readers",
            "book/src/a.md:5: unterminated quote in the info string `rust chunk=\"open`",
            "book/src/a.md:8: chunk name «a{b}» contains '{'",
            "book/src/a.md:11: a notangle block cannot also be a chunk or file root (`rust chunk=x notangle`)",
        ]
    );
}

#[test]
fn chunks_in_lists_and_quotes_are_refused_but_illustrations_are_fine() {
    let text = "- an item\n\n  ```rust chunk=x\n  fn a() {}\n  ```\n\n> ```rust file=src/lib.rs\n> ```\n\n- shown only\n\n  ```rust notangle\n  fn b() {}\n  ```\n";
    let diagnostics = one("a.md", text);
    assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
    assert!(
        diagnostics[0].starts_with("book/src/a.md:3: a chunk inside a list item"),
        "{diagnostics:?}"
    );
    assert!(
        diagnostics[1].starts_with("book/src/a.md:7: a chunk inside a list item, block quote"),
        "{diagnostics:?}"
    );
}

#[test]
fn indented_and_unclosed_fences() {
    let text = "  ```rust file=src/lib.rs\n  ```\n\n```rust file=src/main.rs\nfn main() {}\n";
    assert_eq!(
        one("a.md", text),
        [
            "book/src/a.md:1: indented fence; start the chunk's fence at column 1",
            "book/src/a.md:4: this code block is never closed; end it with a line of 3 '`'",
        ]
    );
}

#[test]
fn mdbook_directives_inside_chunks() {
    let text = "```rust file=src/lib.rs\n{{#include ../../src/other.rs}}\n```\n";
    assert_eq!(
        one("a.md", text),
        [
            "book/src/a.md:2: mdBook directive inside a chunk: mdBook would expand it but the tangler does not; use a chunk reference {{Name}} instead"
        ]
    );
}

#[test]
fn every_problem_at_once_sorted_by_file_and_line() {
    let a = format!(
        "{}\n{}\n{}\n{}",
        block("file=src/lib.rs", "{{Client class method}}\n{{Loop}}\n"),
        block("chunk=\"Client class methods\"", "# hidden\n"),
        block("chunk=Loop", "{{Loop}}\n"),
        block("chunk=x file=src/x.rs", ""),
    );
    let b = format!("{}\n{}", block("file=../escape.rs", ""), block("file=src/lib.rs", ""));
    let project = Project::with_book("all", &[("a.md", &a), ("b.md", &b)]);
    project.write("book/src/draft.md", "# Draft\n");
    let diagnostics = project.diagnostics();
    let positions: Vec<&str> = diagnostics.iter().map(|d| d.split(": ").next().unwrap()).collect();
    assert_eq!(
        positions,
        [
            "book/src/a.md:2",
            "book/src/a.md:7",
            "book/src/a.md:7",
            "book/src/a.md:11",
            "book/src/a.md:14",
            "book/src/b.md:2",
            "book/src/b.md:5",
            "book/src/draft.md:1",
        ],
        "{diagnostics:#?}"
    );
}

mod edge_cases {
    use super::support::{block, tangle_plain};

    #[test]
    fn crlf_input_tangles_like_lf() {
        let lf = format!(
            "# A\n\n{}\n{}",
            block("file=src/lib.rs", "mod a {\n    {{body}}\n}\n"),
            block("chunk=body", "fn f() {}\n\nfn g() {}\n")
        );
        let crlf = lf.replace('\n', "\r\n");
        let expected = "mod a {\n    fn f() {}\n\n    fn g() {}\n}\n";
        assert_eq!(tangle_plain(&[("a.md", &lf)], "src/lib.rs"), expected);
        assert_eq!(tangle_plain(&[("a.md", &crlf)], "src/lib.rs"), expected);
    }

    #[test]
    fn tabs_are_kept_and_used_as_indentation() {
        let text = format!(
            "{}\n{}",
            block("file=src/lib.rs", "fn a() {\n\t{{body}}\n}\n"),
            block("chunk=body", "let x = 1;\n\tlet y = 2;\n")
        );
        assert_eq!(
            tangle_plain(&[("a.md", &text)], "src/lib.rs"),
            "fn a() {\n\tlet x = 1;\n\t\tlet y = 2;\n}\n"
        );
    }

    #[test]
    fn fence_at_end_of_file_without_newline() {
        let text = "```rust file=src/lib.rs\nfn a() {}\n```";
        assert_eq!(tangle_plain(&[("a.md", text)], "src/lib.rs"), "fn a() {}\n");
    }

    #[test]
    fn longer_fences_hold_shorter_ones() {
        let text = "````rust file=src/lib.rs\n/// ```\n/// let x = 1;\n/// ```\nfn a() {}\n````\n";
        assert_eq!(
            tangle_plain(&[("a.md", text)], "src/lib.rs"),
            "/// ```\n/// let x = 1;\n/// ```\nfn a() {}\n"
        );
        let tildes = "~~~rust file=src/lib.rs\nfn a() {}\n~~~\n";
        assert_eq!(tangle_plain(&[("a.md", tildes)], "src/lib.rs"), "fn a() {}\n");
    }

    #[test]
    fn empty_chunks_expand_to_nothing() {
        let text = format!(
            "{}\n{}",
            block("file=src/lib.rs", "fn a() {}\n{{nothing yet}}\n"),
            block("chunk=\"nothing yet\"", "")
        );
        assert_eq!(tangle_plain(&[("a.md", &text)], "src/lib.rs"), "fn a() {}\n");
    }

    #[test]
    fn continuations_join_in_summary_order_and_names_normalise_whitespace() {
        let a = format!(
            "{}\n{}",
            block("file=src/lib.rs", "{{Client   fields}}\n"),
            block("chunk=\"Client fields\"", "a: u8,\n")
        );
        let b = block("chunk=\" Client fields \"", "b: u8,\n");
        assert_eq!(tangle_plain(&[("a.md", &a), ("b.md", &b)], "src/lib.rs"), "a: u8,\nb: u8,\n");
        assert_eq!(tangle_plain(&[("b.md", &b), ("a.md", &a)], "src/lib.rs"), "b: u8,\na: u8,\n");
    }

    #[test]
    fn format_strings_and_other_languages_are_left_alone() {
        let text = format!(
            "```toml\n[x]\n```\n\n```\nplain\n```\n\n{}",
            block("file=src/lib.rs", "fn a() -> String {\n    format!(\"{{}}\")\n}\n")
        );
        assert_eq!(
            tangle_plain(&[("a.md", &text)], "src/lib.rs"),
            "fn a() -> String {\n    format!(\"{{}}\")\n}\n"
        );
    }
}
