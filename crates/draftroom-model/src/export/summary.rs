//! A meeting's Chair's summary as the chair finished it, under the
//! report's header, in every format. The text keeps the conventions its
//! draft was written in (see [`summary_draft`](crate::summary_draft)):
//! `# ` the title, `## ` a section, `### ` a subsection, `- ` an item,
//! any other line a paragraph.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::Markup;

use super::report::Report;
use super::{Format, akn, docx, html};

/// What the summary does not title itself is titled so.
const UNTITLED: &str = "Chair's summary";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Section,
    Subsection,
    Item,
    Paragraph,
}

/// The summary's title and its blocks, each with its text.
fn blocks(text: &str) -> (String, Vec<(Block, &str)>) {
    let mut title = None;
    let mut blocks = Vec::new();
    for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let block = if let Some(rest) = line.strip_prefix("# ") {
            if title.is_none() {
                title = Some(rest.trim().to_owned());
                continue;
            }
            (Block::Section, rest)
        } else if let Some(rest) = line.strip_prefix("## ") {
            (Block::Section, rest)
        } else if let Some(rest) = line.strip_prefix("### ") {
            (Block::Subsection, rest)
        } else if let Some(rest) = line.strip_prefix("- ") {
            (Block::Item, rest)
        } else {
            (Block::Paragraph, line)
        };
        blocks.push((block.0, block.1.trim()));
    }
    (title.unwrap_or_else(|| UNTITLED.to_owned()), blocks)
}

pub(super) fn export(report: &Report, text: &str, format: Format) -> Vec<u8> {
    let (title, blocks) = blocks(text);
    match format {
        Format::Markdown => markdown(report, &title, &blocks).into_bytes(),
        Format::Html => html_page(report, &title, &blocks).into_bytes(),
        Format::Akn => akn_document(report, &title, &blocks).into_bytes(),
        Format::Docx => word(report, &title, &blocks),
    }
}

fn markdown(report: &Report, title: &str, blocks: &[(Block, &str)]) -> String {
    let mut out = String::new();
    for (_, line) in report.header_lines() {
        let _ = writeln!(out, "{line}  ");
    }
    let _ = writeln!(out, "\n# {title}");
    let mut listing = false;
    for (block, text) in blocks {
        // A list's items stand together; anything else stands apart.
        if !(listing && *block == Block::Item) {
            out.push('\n');
        }
        listing = *block == Block::Item;
        let _ = match block {
            Block::Section => writeln!(out, "## {text}"),
            Block::Subsection => writeln!(out, "### {text}"),
            Block::Item => writeln!(out, "- {text}"),
            Block::Paragraph => writeln!(out, "{text}"),
        };
    }
    out
}

fn html_page(report: &Report, title: &str, blocks: &[(Block, &str)]) -> String {
    let mut out = html::open(report, title);
    let mut listing = false;
    for (block, text) in blocks {
        let is_item = *block == Block::Item;
        if is_item != listing {
            out.push_str(if is_item { "<ul>\n" } else { "</ul>\n" });
            listing = is_item;
        }
        let text = Markup::Html.escape(text);
        let _ = match block {
            Block::Section => writeln!(out, "<h2>{text}</h2>"),
            Block::Subsection => writeln!(out, "<h3>{text}</h3>"),
            Block::Item => writeln!(out, "<li>{text}</li>"),
            Block::Paragraph => writeln!(out, "<p>{text}</p>"),
        };
    }
    if listing {
        out.push_str("</ul>\n");
    }
    out.push_str(html::CLOSE);
    out
}

/// A container of the main body: its heading (none for the introduction),
/// and its paragraphs, each with its class.
type Container<'a> = (Option<&'a str>, Vec<(&'static str, &'a str)>);

/// Sections as containers of the main body, what comes before the first
/// one as its introduction; subsections and items as classed paragraphs.
fn akn_document(report: &Report, title: &str, blocks: &[(Block, &str)]) -> String {
    let mut containers: Vec<Container> = Vec::new();
    for (block, text) in blocks {
        let class = match block {
            Block::Section => {
                containers.push((Some(text), Vec::new()));
                continue;
            }
            Block::Subsection => "subheading",
            Block::Item => "item",
            Block::Paragraph => "paragraph",
        };
        if containers.is_empty() {
            containers.push((None, Vec::new()));
        }
        if let Some((_, lines)) = containers.last_mut() {
            lines.push((class, text));
        }
    }
    let mut out = akn::open(report, "summary", title, &BTreeMap::new());
    out.push_str("    <mainBody>\n");
    if containers.is_empty() {
        containers.push((None, Vec::new()));
    }
    for (n, (heading, lines)) in containers.iter().enumerate() {
        match heading {
            None => out.push_str("      <hcontainer name=\"intro\" eId=\"intro\">\n"),
            Some(heading) => {
                let _ = writeln!(
                    out,
                    "      <hcontainer name=\"section\" eId=\"sec_{n}\">\n        <heading>{}</heading>",
                    Markup::Xml.escape(heading)
                );
            }
        }
        out.push_str("        <content>\n");
        if lines.is_empty() {
            out.push_str("          <p/>\n");
        }
        for (class, text) in lines {
            let _ = writeln!(
                out,
                "          <p class=\"{class}\">{}</p>",
                Markup::Xml.escape(text)
            );
        }
        out.push_str("        </content>\n      </hcontainer>\n");
    }
    out.push_str("    </mainBody>\n");
    out.push_str(akn::CLOSE);
    out
}

fn word(report: &Report, title: &str, blocks: &[(Block, &str)]) -> Vec<u8> {
    let mut body = String::new();
    for (block, text) in blocks {
        let (style, text) = match block {
            Block::Section => ("Heading1", (*text).to_owned()),
            Block::Subsection => ("Heading2", (*text).to_owned()),
            Block::Item => ("AnnexEntry", format!("• {text}")),
            Block::Paragraph => ("Normal", (*text).to_owned()),
        };
        docx::paragraph(&mut body, style, &docx::run(&text, None));
    }
    docx::package(report, title, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_reads_as_its_title_sections_items_and_paragraphs() {
        let (title, read) = blocks(
            "# Chair's summary: 3rd meeting\n\n12 November 2012\n\n## Proposals merged\n- One.\n- Two.\n### Topic C\n",
        );
        assert_eq!(title, "Chair's summary: 3rd meeting");
        assert_eq!(
            read,
            [
                (Block::Paragraph, "12 November 2012"),
                (Block::Section, "Proposals merged"),
                (Block::Item, "One."),
                (Block::Item, "Two."),
                (Block::Subsection, "Topic C"),
            ]
        );
        assert_eq!(blocks("No title.").0, UNTITLED);
    }
}
