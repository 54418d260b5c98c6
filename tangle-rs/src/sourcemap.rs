//! Reading the markers of a generated file back: which book line each generated line came
//! from, and what each block's code looks like in the file (for `untangle`).

use crate::Book;
use crate::hash::split_generated;
use crate::tangle::SourceLine;

/// One block as it appears in a generated file, with its expansions folded back into
/// `{{Name}}` lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockText {
    /// The chunk name or file path.
    pub name: String,
    /// The chapter, relative to the project root.
    pub path: String,
    /// The block's first code line in the chapter.
    pub line: usize,
    /// The block's code as the generated file now has it.
    pub code: String,
}

/// What the markers of a generated file say.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    /// For each line of the file (index 0 is line 1).
    pub lines: Vec<Option<SourceLine>>,
    /// Every block, in the order its end is reached.
    pub blocks: Vec<BlockText>,
}

impl SourceMap {
    /// The book position of a 1-based line.
    pub fn source(&self, line: usize) -> Option<&SourceLine> {
        self.lines.get(line.checked_sub(1)?)?.as_ref()
    }
}

/// A marker line: `// >>> «Name» book/src/x.md part 2`, `// --- «…» …`, `// <<< «Name»`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Marker<'a> {
    pub indent: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    /// The chapter and the part: which of the chunk's blocks in that chapter, from 1.
    pub at: Option<(&'a str, usize)>,
}

pub(crate) fn parse_marker(line: &str) -> Option<Marker<'_>> {
    let rest = line.trim_start();
    let indent = &line[..line.len() - rest.len()];
    let rest = rest.strip_prefix("// ")?;
    let (kind, rest) = rest.split_at_checked(3)?;
    if !matches!(kind, ">>>" | "---" | "<<<") {
        return None;
    }
    let rest = rest.strip_prefix(" «")?;
    let (name, rest) = rest.split_once('»')?;
    let rest = rest.trim_end_matches('\r');
    let at = match rest.strip_prefix(' ') {
        Some(location) => {
            let (path, part) = location.rsplit_once(" part ")?;
            Some((path, part.parse().ok()?))
        }
        None if rest.is_empty() => None,
        None => return None,
    };
    if (kind == "<<<") != at.is_none() {
        return None;
    }
    Some(Marker { indent, kind, name, at })
}

struct Frame {
    name: String,
    indent: String,
    path: String,
    line: usize,
    next: usize,
    code: String,
}

/// The first code line of the block a marker names, looked up in the book.
fn block_line(
    book: &Book,
    name: &str,
    path: &str,
    part: usize,
    number: usize,
) -> Result<usize, String> {
    match book.block_at(path, name, part) {
        Some(id) => Ok(book.blocks[id].line),
        None => Err(format!(
            "line {number}: the book has no part {part} of «{name}» in {path} (was the file \
             tangled from another version of the book?)"
        )),
    }
}

/// Reads the markers of a generated file, looking up in `book` the line each block starts
/// at. Fails, with the line, when the markers are unbalanced, name a block the book does
/// not have, or a line sits left of its chunk's indentation.
pub fn read(text: &str, book: &Book) -> Result<SourceMap, String> {
    let body = split_generated(text).map(|(_, body)| body).ok_or("no generated-file header")?;
    let mut map = SourceMap { lines: vec![None, None], blocks: Vec::new() };
    let mut frames: Vec<Frame> = Vec::new();
    let mut finished = false;
    for (i, raw) in body.lines().enumerate() {
        let number = i + 3;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if finished {
            return Err(format!("line {number}: text after the end marker of the file"));
        }
        if let Some(marker) = parse_marker(line) {
            map.lines.push(None);
            match (marker.kind, marker.at) {
                (">>>", Some((path, part))) => {
                    let at = block_line(book, marker.name, path, part, number)?;
                    if let Some(parent) = frames.last_mut() {
                        let Some(relative) = marker.indent.strip_prefix(parent.indent.as_str())
                        else {
                            return Err(format!("line {number}: marker left of «{}»", parent.name));
                        };
                        parent.code.push_str(&format!("{relative}{{{{{}}}}}\n", marker.name));
                    }
                    frames.push(Frame {
                        name: marker.name.to_string(),
                        indent: marker.indent.to_string(),
                        path: path.to_string(),
                        line: at,
                        next: at,
                        code: String::new(),
                    });
                }
                ("---", Some((path, part))) => {
                    let at = block_line(book, marker.name, path, part, number)?;
                    let top =
                        frames.last_mut().ok_or(format!("line {number}: --- outside a chunk"))?;
                    if top.name != marker.name || top.indent != marker.indent {
                        return Err(format!(
                            "line {number}: --- «{}» inside «{}»",
                            marker.name, top.name
                        ));
                    }
                    map.blocks.push(BlockText {
                        name: top.name.clone(),
                        path: std::mem::replace(&mut top.path, path.to_string()),
                        line: top.line,
                        code: std::mem::take(&mut top.code),
                    });
                    top.line = at;
                    top.next = at;
                }
                _ => {
                    let top = frames.pop().ok_or(format!("line {number}: <<< outside a chunk"))?;
                    if top.name != marker.name {
                        return Err(format!(
                            "line {number}: <<< «{}» closes «{}»",
                            marker.name, top.name
                        ));
                    }
                    map.blocks.push(BlockText {
                        name: top.name,
                        path: top.path,
                        line: top.line,
                        code: top.code,
                    });
                    match frames.last_mut() {
                        Some(parent) => parent.next += 1,
                        None => finished = true,
                    }
                }
            }
            continue;
        }
        let top =
            frames.last_mut().ok_or(format!("line {number}: code outside the file's markers"))?;
        if line.trim().is_empty() {
            top.code.push('\n');
        } else if let Some(rest) = line.strip_prefix(top.indent.as_str()) {
            top.code.push_str(rest);
            top.code.push('\n');
        } else {
            return Err(format!(
                "line {number}: less indented than the chunk «{}» it belongs to",
                top.name
            ));
        }
        map.lines.push(Some(SourceLine {
            path: top.path.clone(),
            line: top.next,
            indent: top.indent.len(),
        }));
        top.next += 1;
    }
    if !frames.is_empty() || !finished {
        return Err("the file ends inside a chunk: a <<< marker is missing".into());
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_parse() {
        let m = parse_marker("    // >>> «Client fields» book/src/a.md part 2").unwrap();
        assert_eq!(
            (m.indent, m.kind, m.name, m.at),
            ("    ", ">>>", "Client fields", Some(("book/src/a.md", 2)))
        );
        assert!(parse_marker("// <<< «x»").unwrap().at.is_none());
        assert!(parse_marker("// >>> «x»").is_none());
        assert!(parse_marker("// >>> «x» book/src/a.md:12").is_none());
        assert!(parse_marker("// <<< «x» book/src/a.md part 1").is_none());
        assert!(parse_marker("let a = 1; // >>> «x» a part 1").is_none());
    }
}
