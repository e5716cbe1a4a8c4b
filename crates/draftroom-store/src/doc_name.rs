//! Document names (`{space}/{doc}`), checked once so that every backend
//! can use them in keys as they are.

use std::fmt;

use thiserror::Error;

/// The name of a document: `{space}/{doc}`, where `{doc}` may itself
/// contain `/`. Names are checked once, here, so that every store can use
/// them in keys and paths as they are.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocName {
    full: String,
    space_len: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InvalidDocName {
    #[error("a space name is 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'")]
    Space,
    #[error(
        "a document name is 1 to 200 characters: segments of letters, digits, '-', '_' or '.' \
         separated by '/', none empty or starting with '.'"
    )]
    Doc,
}

const MAX_SPACE_LEN: usize = 64;
const MAX_DOC_LEN: usize = 200;

fn valid_segment(segment: &str) -> bool {
    !segment.is_empty()
        && !segment.starts_with('.')
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Checks a space name on its own (tokens and routes name spaces).
pub fn check_space(space: &str) -> Result<(), InvalidDocName> {
    if space.len() <= MAX_SPACE_LEN && valid_segment(space) {
        Ok(())
    } else {
        Err(InvalidDocName::Space)
    }
}

impl DocName {
    pub fn new(space: &str, doc: &str) -> Result<Self, InvalidDocName> {
        check_space(space)?;
        if doc.len() > MAX_DOC_LEN || !doc.split('/').all(valid_segment) {
            return Err(InvalidDocName::Doc);
        }
        Ok(DocName {
            full: format!("{space}/{doc}"),
            space_len: space.len(),
        })
    }

    pub fn space(&self) -> &str {
        &self.full[..self.space_len]
    }

    pub fn doc(&self) -> &str {
        &self.full[self.space_len + 1..]
    }

    /// `{space}/{doc}`.
    pub fn as_str(&self) -> &str {
        &self.full
    }
}

impl fmt::Display for DocName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_nested_document_names() {
        let name = DocName::new("wgigf", "topic-c/rec-1").expect("valid");
        assert_eq!(name.space(), "wgigf");
        assert_eq!(name.doc(), "topic-c/rec-1");
        assert_eq!(name.as_str(), "wgigf/topic-c/rec-1");
    }

    #[test]
    fn refuses_odd_names() {
        for (space, doc) in [
            ("", "a"),
            ("a b", "a"),
            ("..", "a"),
            ("s", ""),
            ("s", "a//b"),
            ("s", "../etc"),
            ("s", "a/"),
            ("s", "{x}"),
        ] {
            assert!(DocName::new(space, doc).is_err(), "{space}/{doc}");
        }
        assert!(DocName::new("s", &"a".repeat(201)).is_err());
    }
}
