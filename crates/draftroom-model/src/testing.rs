//! What the tests of several modules share.

/// Every character XML 1.0 forbids that a Rust string can hold.
pub(crate) fn forbidden_in_xml() -> String {
    (0..0x20u8)
        .map(char::from)
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .chain(['\u{FFFE}', '\u{FFFF}'])
        .collect()
}
