//! Text written into XML and HTML, made safe in one place for every export
//! and diff: escaped, and without the characters either format refuses.

use std::fmt::Write as _;

/// The markup a text is written into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// XML 1.0: the Akoma Ntoso export.
    Xml,
    /// HTML: the HTML export and diffs.
    Html,
}

impl Markup {
    /// `text` escaped for element content and quoted attribute values
    /// alike.
    ///
    /// Characters XML 1.0 forbids (the control characters other than tab,
    /// line feed and carriage return; U+FFFE and U+FFFF) are dropped, and
    /// with them the other control characters and noncharacters, which
    /// XML discourages and HTML reports as parse errors. Everything else a
    /// reader of the markup gets back as it was written.
    pub fn escape(self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&apos;"),
                // An XML reader turns a carriage return into a line feed,
                // and any of the three into a space in an attribute value,
                // unless it is written as a reference. HTML reports a
                // reference to a carriage return as an error, and reads
                // the character itself as white space like any other.
                '\t' | '\n' | '\r' if self == Markup::Xml => {
                    let _ = write!(out, "&#{};", u32::from(c));
                }
                '\t' | '\n' | '\r' => out.push(c),
                c if c.is_control() || is_noncharacter(c) => {}
                c => out.push(c),
            }
        }
        out
    }
}

/// Whether `c` is one of the code points Unicode keeps out of interchange:
/// U+FDD0 to U+FDEF, and the last two of every plane.
fn is_noncharacter(c: char) -> bool {
    let c = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&c) || c % 0x10000 >= 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::forbidden_in_xml;

    #[test]
    fn markup_characters_are_escaped_in_both_markups() {
        for markup in [Markup::Xml, Markup::Html] {
            assert_eq!(
                markup.escape(r#"a&b<c>d"e'f"#),
                "a&amp;b&lt;c&gt;d&quot;e&apos;f",
                "{markup:?}"
            );
        }
    }

    #[test]
    fn xml_writes_tab_line_feed_and_carriage_return_as_references_so_they_read_back() {
        assert_eq!(Markup::Xml.escape("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
    }

    #[test]
    fn html_keeps_tab_line_feed_and_carriage_return_as_they_are() {
        assert_eq!(Markup::Html.escape("a\tb\nc\rd"), "a\tb\nc\rd");
    }

    #[test]
    fn what_xml_forbids_is_dropped_in_both_markups() {
        let text = format!("a{}b", forbidden_in_xml());
        for markup in [Markup::Xml, Markup::Html] {
            assert_eq!(markup.escape(&text), "ab", "{markup:?}");
        }
    }

    #[test]
    fn other_controls_and_noncharacters_are_dropped_and_the_rest_is_kept() {
        let dropped = "\u{7F}\u{85}\u{9F}\u{FDD0}\u{FDEF}\u{1FFFE}\u{10FFFF}";
        let kept = "é\u{A0}\u{FDCF}\u{FDF0}\u{FFFD}𝄞\u{1FFFD}\u{10000}";
        for markup in [Markup::Xml, Markup::Html] {
            assert_eq!(
                markup.escape(&format!("{dropped}{kept}")),
                kept,
                "{markup:?}"
            );
        }
    }
}
