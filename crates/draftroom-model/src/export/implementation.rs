//! The report on implementation as of a date: each adopted recommendation,
//! topic by topic, with its responsible body, where its implementation
//! stood on that date and what was reported up to it, under the report's
//! header, laid out as [`lines`](super::lines).

use crate::{Entry, Status};

use super::lines::{Document, Entry as Listed, Kind, Line, Piece, Section, lay_out};
use super::report::Report;
use super::{Format, date_in_words};

/// What was reported for `date` (`YYYY-MM-DD`) or before, in order.
fn up_to<'a>(entries: &'a [Entry], date: &str) -> impl Iterator<Item = &'a Entry> {
    entries
        .iter()
        .filter(move |entry| entry.as_of.as_str() <= date)
}

pub(super) fn export(report: &Report, as_of: &str, format: Format) -> Vec<u8> {
    let space = report.space;
    let on = date_in_words(as_of);
    let sections = space
        .topics()
        .filter_map(|(topic, recommendations)| {
            let entries: Vec<Listed> = recommendations
                .into_iter()
                .filter(|rec| rec.status == Status::Adopted)
                .map(|rec| {
                    let mut lines = Vec::new();
                    if let Some(body) = rec
                        .fields
                        .get(&crate::Field::Responsible)
                        .filter(|body| !body.trim().is_empty())
                    {
                        lines.push(Line::note(format!("Responsible body: {}", body.trim())));
                    }
                    let history: Vec<&Entry> = up_to(&rec.implementation, as_of).collect();
                    lines.push(Line::note(match history.last() {
                        Some(last) => format!("Status on {on}: {}.", last.status.in_words()),
                        None => format!("Nothing reported by {on}."),
                    }));
                    for entry in history {
                        let mut said = format!("{}.", entry.status.in_words());
                        if !entry.note.is_empty() {
                            said.push(' ');
                            said.push_str(&entry.note);
                        }
                        if !entry.evidence.is_empty() {
                            said.push_str(&format!(" Evidence: {}.", entry.evidence));
                        }
                        said.push_str(&format!(" Reported by {}.", space.roster.who(&entry.by)));
                        lines.push(Line {
                            kind: Kind::Text,
                            pieces: vec![
                                Piece::Label(format!("{}: ", date_in_words(&entry.as_of))),
                                Piece::Text(said),
                            ],
                        });
                    }
                    Listed {
                        id: rec.id.clone(),
                        number: format!("{}.{}", rec.topic, rec.number),
                        title: rec.title.clone(),
                        lines,
                    }
                })
                .collect();
            (!entries.is_empty()).then(|| Section {
                letter: topic.letter.clone(),
                title: topic.title.clone(),
                entries,
            })
        })
        .collect();
    let document = Document {
        report,
        name: "implementation",
        title: format!("Report on implementation as of {on}"),
        intro: format!(
            "{}: the recommendations adopted, and how their implementation stood on {on}.",
            report.title
        ),
        sections,
        empty: "No recommendation is adopted.",
    };
    lay_out(&document, format)
}
