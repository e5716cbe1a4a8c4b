//! Open brackets: square brackets mark text a group has not yet agreed.

/// How many bracketed passages a text has: each `[` opens one. In a draft,
/// square brackets mark text not yet agreed, so this is the count a group
/// works down to zero.
pub fn open_brackets(text: &str) -> usize {
    text.matches('[').count()
}

#[cfg(test)]
mod tests {
    use super::open_brackets;

    #[test]
    fn counts_bracketed_passages() {
        assert_eq!(open_brackets("no brackets"), 0);
        assert_eq!(open_brackets("fund [the IGF] through [UN DESA]"), 2);
        assert_eq!(open_brackets("an [unclosed passage"), 1);
    }
}
