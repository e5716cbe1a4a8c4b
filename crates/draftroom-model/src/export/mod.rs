//! A space exported for the Chair's report: Akoma Ntoso 3.0 XML, Markdown,
//! HTML (printable) or Word, every recommendation with its majority text,
//! its fields and its alternatives beside it, grouped by topic, under the
//! header the chair sets. What the report says is worked out once
//! ([`report`]); each format lays it out.

mod akn;
mod changes;
mod docx;
mod html;
mod implementation;
mod lines;
mod markdown;
mod report;
mod summary;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::brackets::bracket_spans;
use crate::{Proposal, Recommendation, Roster, SpaceView};
pub use changes::Since;
use report::Report;

names!(
    /// What a space exports to.
    Format, "export format",
    Akn => "akn",
    Markdown => "md",
    Html => "html",
    Docx => "docx",
);

impl Format {
    /// What a reader calls the format.
    pub fn title(self) -> &'static str {
        match self {
            Format::Akn => "Akoma Ntoso",
            Format::Markdown => "Markdown",
            Format::Html => "HTML",
            Format::Docx => "Word",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Akn => "application/akn+xml; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }

    pub fn file_extension(self) -> &'static str {
        match self {
            Format::Akn => "akn.xml",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }
}

/// Everything an export needs: the space and its recommendations' contents.
#[derive(Debug, Clone)]
pub struct SpaceExport {
    pub id: String,
    pub space: SpaceView,
    /// By recommendation id.
    pub recommendations: BTreeMap<String, Recommendation>,
    /// The time of what is exported, RFC 3339 (e.g.
    /// `2026-11-28T10:00:00Z`): a named version's, or now for the live
    /// text. It dates the export's expression; the space's creation dates
    /// its work, so two exports of one version are the same work and
    /// expression, byte for byte.
    pub generated_at: String,
    /// Who is who: the report names people and delegations by it.
    pub roster: Roster,
    /// The proposals merged by then, for the annex of who proposed what;
    /// `None` leaves the annex out.
    pub annex: Option<Vec<Proposal>>,
    /// What the export reports on the space.
    pub contents: Contents,
}

/// What an export reports on the space.
#[derive(Debug, Clone, Default)]
pub enum Contents {
    /// The report: every recommendation with its texts.
    #[default]
    Report,
    /// What changed since an earlier state.
    Changes(Since),
    /// How the implementation of adopted recommendations stood on a date
    /// (`YYYY-MM-DD`).
    Implementation { as_of: String },
    /// A meeting's Chair's summary: its text as the chair wrote it.
    Summary { text: String },
}

impl SpaceExport {
    /// The topics in order, each with its recommendations' contents in
    /// number order.
    fn topics(&self) -> impl Iterator<Item = (&crate::TopicView, Vec<&Recommendation>)> {
        self.space.topics.iter().map(|topic| {
            let recommendations = topic
                .recommendations
                .iter()
                .filter_map(|summary| self.recommendations.get(&summary.id))
                .collect();
            (topic, recommendations)
        })
    }

    /// The date of what is exported (the expression's).
    fn date(&self) -> &str {
        self.generated_at.get(..10).unwrap_or("1970-01-01")
    }

    /// The date the space was made (the work's); the expression's for a
    /// space that does not say.
    fn work_date(&self) -> &str {
        self.space
            .created_at
            .get(..10)
            .unwrap_or_else(|| self.date())
    }
}

/// The space's report in `format`: text for every format but Word's,
/// whose document is a zip archive.
pub fn export(space: &SpaceExport, format: Format) -> Vec<u8> {
    let report = Report::of(space);
    match &space.contents {
        Contents::Report => {}
        Contents::Changes(since) => return changes::export(&report, since, format),
        Contents::Implementation { as_of } => {
            return implementation::export(&report, as_of, format);
        }
        Contents::Summary { text } => return summary::export(&report, text, format),
    }
    match format {
        Format::Akn => akn::akn(&report).into_bytes(),
        Format::Markdown => markdown::markdown(&report).into_bytes(),
        Format::Html => html::html(&report).into_bytes(),
        Format::Docx => docx::docx(&report),
    }
}

/// A piece of an eId: letters, digits, `-` and `_` only.
fn id_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Paragraphs of a text, one per non-empty line; an empty text is one empty
/// paragraph.
fn paragraphs(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    if lines.is_empty() { vec![""] } else { lines }
}

/// A paragraph cut where its brackets open and close, so that a format can
/// mark them: text, or a bracketed passage (its `[` and `]` included) with
/// what it holds, brackets inside it too.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Bracket(Vec<Piece<'a>>),
}

/// `paragraph` as pieces; a bracket not closed in it runs to its end.
fn pieces(paragraph: &str) -> Vec<Piece<'_>> {
    // Where each character starts, and the end: spans count characters.
    let at: Vec<usize> = paragraph
        .char_indices()
        .map(|(byte, _)| byte)
        .chain(std::iter::once(paragraph.len()))
        .collect();
    let spans: Vec<(usize, usize)> = bracket_spans(paragraph)
        .iter()
        .map(|span| (span.start, span.end))
        .collect();
    cut(paragraph, &at, &spans, 0, at.len() - 1)
}

/// The pieces of the characters `from..to`, given the spans that lie in
/// it in the order they open (each inside any span that opened before it
/// and has not ended).
fn cut<'a>(
    text: &'a str,
    at: &[usize],
    spans: &[(usize, usize)],
    from: usize,
    to: usize,
) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    let mut cursor = from;
    let mut i = 0;
    while let Some(&(start, end)) = spans.get(i) {
        let inside = spans[i + 1..]
            .iter()
            .position(|&(next, _)| next >= end)
            .map_or(spans.len(), |found| i + 1 + found);
        if start > cursor {
            out.push(Piece::Text(&text[at[cursor]..at[start]]));
        }
        out.push(Piece::Bracket(cut(
            text,
            at,
            &spans[i + 1..inside],
            start,
            end,
        )));
        cursor = end;
        i = inside;
    }
    if cursor < to {
        out.push(Piece::Text(&text[at[cursor]..at[to]]));
    }
    out
}

/// An RFC 3339 time's date as a report writes it: "2 December 2026".
pub fn date_in_words(at: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = at.get(..10).unwrap_or_default().split('-').collect();
    match parts.as_slice() {
        [year, month, day] => match (month.parse::<usize>(), day.parse::<u32>()) {
            (Ok(month @ 1..=12), Ok(day)) => format!("{day} {} {year}", MONTHS[month - 1]),
            _ => at.to_owned(),
        },
        _ => at.to_owned(),
    }
}

fn or_dash(text: &str) -> &str {
    if text.trim().is_empty() { "—" } else { text }
}
