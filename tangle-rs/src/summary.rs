//! Reading `SUMMARY.md`: the chapters in reading order, which is also the order in which
//! same-name chunks are concatenated.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// A chapter as `SUMMARY.md` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SummaryEntry {
    /// The link text: the chapter's title.
    pub title: String,
    /// The link target relative to `book/src`, without any `#fragment`.
    pub path: String,
    /// The line of the link in `SUMMARY.md`.
    pub line: usize,
}

/// The chapters `SUMMARY.md` links to, in order. Draft chapters (`[Draft]()`) and
/// external links are skipped, as mdBook skips them.
pub(crate) fn parse_summary(text: &str) -> Vec<SummaryEntry> {
    let mut entries = Vec::new();
    let mut current: Option<(String, usize, String)> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let line = text[..range.start].matches('\n').count() + 1;
                current = Some((dest_url.to_string(), line, String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, title)) = current.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::End(TagEnd::Link) => {
                let Some((dest, line, title)) = current.take() else { continue };
                let dest = dest.split('#').next().unwrap_or_default();
                let external = dest.contains("://") || dest.starts_with("mailto:");
                if dest.is_empty() || external {
                    continue;
                }
                let path = dest.strip_prefix("./").unwrap_or(dest).to_string();
                entries.push(SummaryEntry { title, path, line });
            }
            _ => {}
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_chapters_in_order_and_skips_drafts_and_external_links() {
        let text = "# Summary\n\n[Introduction](01-intro.md)\n\n- [The `Client`](./02-client.md#top)\n  \
                    - [Draft]()\n- [Elsewhere](https://example.org/x.md)\n\n---\n\n[Index](chunk-index.md)\n";
        let entries = parse_summary(text);
        let got: Vec<_> =
            entries.iter().map(|e| (e.title.as_str(), e.path.as_str(), e.line)).collect();
        assert_eq!(
            got,
            [
                ("Introduction", "01-intro.md", 3),
                ("The Client", "02-client.md", 5),
                ("Index", "chunk-index.md", 11)
            ]
        );
    }
}
