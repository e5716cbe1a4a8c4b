//! Reports made of lines (the report of changes, the report on
//! implementation): topics as headings, each recommendation under its
//! number and title, then lines of text, labels, and words deleted or
//! inserted, laid out in every format: `del` and `ins` in HTML, Markdown
//! and Akoma Ntoso, tracked changes in Word.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::Markup;

use super::report::Report;
use super::{Format, akn, docx, html, id_part};

/// A piece of a line: text, a label (set in bold), or words deleted or
/// inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece {
    Text(String),
    Label(String),
    Deleted(String),
    Inserted(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A note on the recommendation: its standing, support, proponents.
    Standing,
    /// A text: the majority's or a field's.
    Text,
    /// An alternative's heading, then its text.
    Alternative,
    AlternativeText,
}

pub(super) struct Line {
    pub(super) kind: Kind,
    pub(super) pieces: Vec<Piece>,
}

impl Line {
    /// A note: one piece of plain text.
    pub(super) fn note(text: String) -> Line {
        Line {
            kind: Kind::Standing,
            pieces: vec![Piece::Text(text)],
        }
    }
}

/// One recommendation and what the report says of it.
pub(super) struct Entry {
    pub(super) id: String,
    pub(super) number: String,
    pub(super) title: String,
    pub(super) lines: Vec<Line>,
}

/// A topic and its recommendations.
pub(super) struct Section {
    pub(super) letter: String,
    pub(super) title: String,
    pub(super) entries: Vec<Entry>,
}

/// A report made of lines: what it is (its Akoma Ntoso work name, title
/// and first line), its sections, and what it says when it has none.
pub(super) struct Document<'a> {
    pub(super) report: &'a Report<'a>,
    pub(super) name: &'static str,
    pub(super) title: String,
    pub(super) intro: String,
    pub(super) sections: Vec<Section>,
    pub(super) empty: &'static str,
}

/// The document in `format`.
pub(super) fn lay_out(doc: &Document, format: Format) -> Vec<u8> {
    match format {
        Format::Markdown => markdown(doc).into_bytes(),
        Format::Html => html_page(doc).into_bytes(),
        Format::Akn => akn_document(doc).into_bytes(),
        Format::Docx => word(doc),
    }
}

fn markdown(doc: &Document) -> String {
    let (report, title, intro, sections) = (doc.report, &doc.title, &doc.intro, &doc.sections);
    let mut out = String::new();
    for (_, line) in report.header_lines() {
        let _ = writeln!(out, "{line}  ");
    }
    let _ = writeln!(out, "\n# {title}\n\n{intro}\n");
    if sections.is_empty() {
        let _ = writeln!(out, "{}", doc.empty);
    }
    for section in sections {
        let _ = writeln!(out, "## {}. {}\n", section.letter, section.title);
        for entry in &section.entries {
            let _ = writeln!(out, "### {} {}\n", entry.number, entry.title);
            for line in &entry.lines {
                let mut text = String::new();
                for piece in &line.pieces {
                    match piece {
                        Piece::Text(t) => text.push_str(t),
                        Piece::Label(t) => {
                            let _ = write!(text, "**{}** ", t.trim_end());
                        }
                        Piece::Deleted(t) => {
                            let _ = write!(text, "<del>{t}</del>");
                        }
                        Piece::Inserted(t) => {
                            let _ = write!(text, "<ins>{t}</ins>");
                        }
                    }
                }
                let _ = match line.kind {
                    Kind::Standing => writeln!(out, "*{text}*\n"),
                    Kind::Alternative => writeln!(out, "#### {text}\n"),
                    Kind::Text | Kind::AlternativeText => writeln!(out, "{text}\n"),
                };
            }
        }
    }
    out
}

/// A line's pieces as XML or HTML: deletions and insertions as `del` and
/// `ins`, labels as `b`, line breaks as `br` (HTML) or `eol` (XML).
fn marked(markup: Markup, pieces: &[Piece]) -> String {
    let mut out = String::new();
    let br = if markup == Markup::Html {
        "<br>"
    } else {
        "<eol/>"
    };
    let escape = |text: &str| {
        text.split('\n')
            .map(|part| markup.escape(part))
            .collect::<Vec<_>>()
            .join(br)
    };
    for piece in pieces {
        let _ = match piece {
            Piece::Text(t) => write!(out, "{}", escape(t)),
            Piece::Label(t) => write!(out, "<b>{}</b> ", escape(t.trim_end())),
            Piece::Deleted(t) => write!(out, "<del>{}</del>", escape(t)),
            Piece::Inserted(t) => write!(out, "<ins>{}</ins>", escape(t)),
        };
    }
    out
}

fn class(kind: Kind) -> &'static str {
    match kind {
        Kind::Standing => "meta",
        Kind::Text => "text",
        Kind::Alternative => "alternative",
        Kind::AlternativeText => "alternative-text",
    }
}

fn html_page(doc: &Document) -> String {
    let (report, title, intro, sections) = (doc.report, &doc.title, &doc.intro, &doc.sections);
    let mut out = html::open(report, title);
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", Markup::Html.escape(intro));
    if sections.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", Markup::Html.escape(doc.empty));
    }
    for section in sections {
        let _ = writeln!(
            out,
            "<h2>{}. {}</h2>",
            Markup::Html.escape(&section.letter),
            Markup::Html.escape(&section.title)
        );
        for entry in &section.entries {
            let _ = writeln!(
                out,
                "<article id=\"rec-{}\">\n<h3>{} {}</h3>",
                id_part(&entry.id),
                Markup::Html.escape(&entry.number),
                Markup::Html.escape(&entry.title)
            );
            for line in &entry.lines {
                let tag = if line.kind == Kind::Alternative {
                    "h4"
                } else {
                    "p"
                };
                let _ = writeln!(
                    out,
                    "<{tag} class=\"{}\">{}</{tag}>",
                    class(line.kind),
                    marked(Markup::Html, &line.pieces)
                );
            }
            out.push_str("</article>\n");
        }
    }
    out.push_str(html::CLOSE);
    out
}

fn akn_document(doc: &Document) -> String {
    let (report, title, intro, sections) = (doc.report, &doc.title, &doc.intro, &doc.sections);
    let mut out = akn::open(report, doc.name, title, &BTreeMap::new());
    out.push_str("    <mainBody>\n");
    let _ = write!(
        out,
        "      <hcontainer name=\"intro\" eId=\"intro\">\n        <content>\n          <p>{}</p>\n",
        Markup::Xml.escape(intro)
    );
    if sections.is_empty() {
        let _ = writeln!(out, "          <p>{}</p>", Markup::Xml.escape(doc.empty));
    }
    out.push_str("        </content>\n      </hcontainer>\n");
    for section in sections {
        let topic_id = akn::open_topic(&mut out, &section.letter, &section.title);
        for entry in &section.entries {
            let _ = write!(
                out,
                "        <hcontainer name=\"changes\" eId=\"{topic_id}__rec_{}\">\n          <num>{}</num>\n          <heading>{}</heading>\n          <content>\n",
                id_part(&entry.id),
                Markup::Xml.escape(&entry.number),
                Markup::Xml.escape(&entry.title)
            );
            for line in &entry.lines {
                let _ = writeln!(
                    out,
                    "            <p class=\"{}\">{}</p>",
                    class(line.kind),
                    marked(Markup::Xml, &line.pieces)
                );
            }
            out.push_str("          </content>\n        </hcontainer>\n");
        }
        out.push_str("      </hcontainer>\n");
    }
    out.push_str("    </mainBody>\n");
    out.push_str(akn::CLOSE);
    out
}

fn word(doc: &Document) -> Vec<u8> {
    let (report, title, intro, sections) = (doc.report, &doc.title, &doc.intro, &doc.sections);
    let mut body = String::new();
    let mut changes = docx::Tracked::default();
    docx::paragraph(&mut body, "Standing", &docx::run(intro, None));
    if sections.is_empty() {
        docx::paragraph(&mut body, "Normal", &docx::run(doc.empty, None));
    }
    for section in sections {
        let heading = format!("{}. {}", section.letter, section.title);
        docx::paragraph(&mut body, "Heading1", &docx::run(&heading, None));
        for entry in &section.entries {
            let heading = format!("{} {}", entry.number, entry.title);
            docx::paragraph(&mut body, "Heading2", &docx::run(&heading, None));
            for line in &entry.lines {
                let style = match line.kind {
                    Kind::Standing => "Standing",
                    Kind::Text => "RecommendationText",
                    Kind::Alternative => "Heading3",
                    Kind::AlternativeText => "AlternativeText",
                };
                let mut laid = String::new();
                for piece in &line.pieces {
                    match piece {
                        Piece::Text(t) => laid.push_str(&docx::run(t, None)),
                        Piece::Label(t) => laid.push_str(&docx::run(t, Some("FieldTitle"))),
                        Piece::Deleted(t) => laid.push_str(&changes.deleted(t)),
                        Piece::Inserted(t) => laid.push_str(&changes.inserted(t)),
                    }
                }
                docx::paragraph(&mut body, style, &laid);
            }
        }
    }
    docx::package(report, title, &body)
}
