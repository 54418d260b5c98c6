//! Rendering chunks for readers: captions, links and the index of chunks.
//!
//! In the rendered book a chunk's name would otherwise be only a CSS class. The mdBook
//! preprocessor (`mdbook-chunks`) rewrites each tangled block of a chapter as:
//!
//! ```text
//! <a id="chunk-client-fields-2"></a>**«Client fields»** +≡      caption: ≡ first, +≡ after
//! <pre><code class="language-rust">…<a href="…">{{Other}}</a>…</code></pre>
//! <small>part 2 of 3; defined in [The Client](…); used in [«Client»](…)</small>
//! ```
//!
//! The code is emitted as HTML so that each `{{reference}}` line is a link to its chunk;
//! highlight.js 10, which mdBook ships, keeps such links when it colours the code. The
//! page `chunk-index.md` has a placeholder that becomes the list of every chunk and file.

use std::collections::{BTreeMap, BTreeSet};

use crate::names::slug;
use crate::{BlockId, BlockKind, Book};

/// The comment in `chunk-index.md` that is replaced by the index.
pub const INDEX_PLACEHOLDER: &str = "<!-- chunk-index -->";

/// Anchors and cross-references of a whole book, computed once.
pub struct Renderer<'b> {
    book: &'b Book,
    /// The anchor of each tangled block.
    anchors: BTreeMap<BlockId, String>,
    /// For each chunk name, the blocks whose code references it.
    users: BTreeMap<&'b str, Vec<BlockId>>,
}

impl<'b> Renderer<'b> {
    /// Computes the anchors and the users of every chunk.
    pub fn new(book: &'b Book) -> Self {
        let mut anchors = BTreeMap::new();
        let mut taken = BTreeSet::new();
        let mut unique = |base: String| {
            let mut candidate = base.clone();
            let mut n = 2;
            while !taken.insert(candidate.clone()) {
                candidate = format!("{base}-v{n}");
                n += 1;
            }
            candidate
        };
        for (name, ids) in &book.chunks {
            let base = unique(format!("chunk-{}", slug(name)));
            for (k, &id) in ids.iter().enumerate() {
                anchors.insert(id, format!("{base}-{}", k + 1));
            }
        }
        for (path, &id) in &book.roots {
            anchors.insert(id, unique(format!("file-{}", slug(path))));
        }
        let mut users: BTreeMap<&str, Vec<BlockId>> = BTreeMap::new();
        for (id, block) in book.blocks.iter().enumerate() {
            if block.kind == BlockKind::NoTangle {
                continue;
            }
            for r in &block.refs {
                let list = users.entry(r.name.as_str()).or_default();
                if !list.contains(&id) {
                    list.push(id);
                }
            }
        }
        Renderer { book, anchors, users }
    }

    /// A link from chapter `from` to block `to`: `#anchor` within a chapter, else a path
    /// relative to `from`'s folder, ending in `.md` (mdBook rewrites those in Markdown
    /// links) or `.html` (for links inside raw HTML, which mdBook leaves alone).
    fn href(&self, from: usize, to: BlockId, html: bool) -> String {
        let anchor = self.anchors.get(&to).cloned().unwrap_or_default();
        let target = self.book.chapter_of(to);
        if self.book.blocks[to].chapter == from {
            return format!("#{anchor}");
        }
        let mut path = relative(&self.book.chapters[from].rel, &target.rel);
        if html && let Some(stem) = path.strip_suffix(".md") {
            path = format!("{stem}.html");
        }
        format!("{path}#{anchor}")
    }

    /// A block's label, as Markdown: `«Name»` for a chunk, `` `path` `` for a file root.
    fn label(&self, id: BlockId) -> String {
        match &self.book.blocks[id].kind {
            BlockKind::Chunk(name) => format!("«{}»", escape_markdown(name)),
            BlockKind::File(path) => format!("`{path}`"),
            BlockKind::NoTangle => String::new(),
        }
    }

    fn caption(&self, id: BlockId) -> String {
        let anchor = &self.anchors[&id];
        let block = &self.book.blocks[id];
        let continued = match &block.kind {
            BlockKind::Chunk(name) => self.book.chunks[name].first() != Some(&id),
            _ => false,
        };
        let sign = if continued { "+≡" } else { "≡" };
        format!("<a id=\"{anchor}\"></a>**{}** {sign}", self.label(id))
    }

    fn links(&self, id: BlockId) -> String {
        let block = &self.book.blocks[id];
        let here = block.chapter;
        let link = |to: BlockId, text: String| format!("[{text}]({})", self.href(here, to, false));
        let title = |to: BlockId| escape_markdown(&self.book.chapter_of(to).title);
        let mut parts = Vec::new();
        match &block.kind {
            BlockKind::Chunk(name) => {
                let ids = &self.book.chunks[name];
                let k = ids.iter().position(|&b| b == id).unwrap_or(0);
                if ids.len() > 1 {
                    parts.push(format!("part {} of {}", k + 1, ids.len()));
                }
                if k > 0 {
                    parts.push(format!("defined in {}", link(ids[0], title(ids[0]))));
                }
                let others: Vec<String> =
                    ids[1..].iter().filter(|&&b| b != id).map(|&b| link(b, title(b))).collect();
                if !others.is_empty() {
                    let verb = if k > 0 { "also continued in" } else { "continued in" };
                    parts.push(format!("{verb} {}", others.join(", ")));
                }
                let users: Vec<String> = self
                    .users
                    .get(name.as_str())
                    .map(|u| u.iter().map(|&b| link(b, self.label(b))).collect())
                    .unwrap_or_default();
                if users.is_empty() {
                    parts.push("never used".into());
                } else {
                    parts.push(format!("used in {}", users.join(", ")));
                }
            }
            BlockKind::File(path) => {
                parts.push(format!("the root of `{path}`, a file generated by the build"))
            }
            BlockKind::NoTangle => {}
        }
        format!("<small class=\"chunk-links\">{}</small>", parts.join("; "))
    }

    /// The block's code as HTML, with each `{{reference}}` line a link to its chunk.
    fn code_html(&self, id: BlockId) -> String {
        let block = &self.book.blocks[id];
        let mut html = String::from("<pre><code class=\"language-rust\">");
        let mut refs = block.refs.iter().peekable();
        for (index, line) in self.book.code(id).lines().enumerate() {
            match refs.next_if(|r| r.index == index) {
                Some(r) if self.book.chunks.contains_key(&r.name) => {
                    let target = self.book.chunks[&r.name][0];
                    html.push_str(&format!(
                        "{}<a class=\"chunk-ref\" href=\"{}\">{{{{{}}}}}</a>",
                        r.indent,
                        self.href(block.chapter, target, true),
                        escape_html(&r.name)
                    ));
                }
                _ => html.push_str(&escape_html(line)),
            }
            html.push('\n');
        }
        html.push_str("</code></pre>");
        html
    }

    /// The chapter's Markdown with every tangled block captioned, linked and indexed.
    pub fn annotate(&self, chapter: usize) -> String {
        let mut text = self.book.chapters[chapter].text.clone();
        for &id in self.book.chapters[chapter].blocks.iter().rev() {
            let block = &self.book.blocks[id];
            if block.kind == BlockKind::NoTangle {
                continue;
            }
            let replacement = format!(
                "\n{}\n\n{}\n\n{}\n\n",
                self.caption(id),
                self.code_html(id),
                self.links(id)
            );
            text.replace_range(block.range.clone(), &replacement);
        }
        if text.contains(INDEX_PLACEHOLDER) {
            text = text.replace(INDEX_PLACEHOLDER, &self.index(chapter));
        }
        text
    }

    /// The index of chunks, as Markdown, for a page in chapter `from`.
    pub fn index(&self, from: usize) -> String {
        // Each part is named by its chapter's title, and by its number among the chunk's
        // parts in that chapter when there are several: "The sync loop (part 2)".
        let part = |id: BlockId| {
            let block = &self.book.blocks[id];
            let chapter = self.book.chapter_of(id);
            let in_chapter = chapter
                .blocks
                .iter()
                .filter(|&&b| self.book.blocks[b].name() == block.name())
                .count();
            let title = escape_markdown(&chapter.title);
            let label = if in_chapter > 1 {
                format!("{title} (part {})", self.book.part_of(id))
            } else {
                title
            };
            format!("[{label}]({})", self.href(from, id, false))
        };
        let mut names: Vec<&String> = self.book.chunks.keys().collect();
        names.sort_by_key(|n| (n.to_lowercase(), n.to_string()));
        let mut out = String::from("## Chunks\n\n");
        for name in names {
            let ids = &self.book.chunks[name];
            let parts: Vec<String> = ids.iter().map(|&id| part(id)).collect();
            let users: Vec<String> = self
                .users
                .get(name.as_str())
                .map(|u| {
                    u.iter()
                        .map(|&b| format!("[{}]({})", self.label(b), self.href(from, b, false)))
                        .collect()
                })
                .unwrap_or_default();
            out.push_str(&format!(
                "- [«{}»]({}): {}{}\n",
                escape_markdown(name),
                self.href(from, ids[0], false),
                parts.join(", "),
                if users.is_empty() {
                    String::new()
                } else {
                    format!("; used in {}", users.join(", "))
                }
            ));
        }
        out.push_str("\n## Generated files\n\n");
        for (path, &id) in &self.book.roots {
            out.push_str(&format!("- [`{path}`]({}): {}\n", self.href(from, id, false), part(id)));
        }
        out
    }
}

/// The path of `to` relative to the folder of `from`; both are relative to `book/src`.
fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from
        .split('/')
        .collect::<Vec<_>>()
        .split_last()
        .map(|(_, d)| d.to_vec())
        .unwrap_or_default();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from_dirs.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Escapes the characters that would turn a name into Markdown formatting.
fn escape_markdown(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']' | '*' | '_' | '<' | '>' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative("a.md", "b.md"), "b.md");
        assert_eq!(relative("x/a.md", "b.md"), "../b.md");
        assert_eq!(relative("x/a.md", "x/b.md"), "b.md");
        assert_eq!(relative("a.md", "y/b.md"), "y/b.md");
    }
}
