//! Chunk names, slugs for anchors, and "did you mean" suggestions.

/// Normalises a chunk name: trims it and reads a run of whitespace as one space.
pub(crate) fn normalize(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why a chunk name is not acceptable, if it is not.
pub(crate) fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("empty chunk name".into());
    }
    if name.starts_with('#') {
        return Some(format!(
            "chunk name «{name}» starts with '#', which mdBook reads as a directive"
        ));
    }
    if let Some(c) = name.chars().find(|c| matches!(c, '{' | '}' | '«' | '»' | '"' | ',')) {
        return Some(format!("chunk name «{name}» contains '{c}'"));
    }
    None
}

/// A lowercase ASCII slug for HTML anchors: `Client fields` → `client-fields`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "chunk".into() } else { out }
}

/// Levenshtein distance over characters, case-insensitively.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The known name closest to `wanted`, if it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    wanted: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(2);
    known
        .into_iter()
        .map(|k| (distance(wanted, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_slugs_and_suggestions() {
        assert_eq!(normalize("  Client \t fields "), "Client fields");
        assert_eq!(slug("Client class methods"), "client-class-methods");
        assert_eq!(slug("src/lib.rs"), "src-lib-rs");
        assert_eq!(slug("«»"), "chunk");
        assert!(name_problem("#include").is_some());
        assert!(name_problem("a, b").is_some());
        assert!(name_problem("Client fields").is_none());
        let known = ["Client class methods", "Client fields", "sync loop"];
        assert_eq!(did_you_mean("Client class method", known), Some("Client class methods"));
        assert_eq!(did_you_mean("client Fields", known), Some("Client fields"));
        assert_eq!(did_you_mean("something else entirely", known), None);
    }
}
