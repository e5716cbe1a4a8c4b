//! A report of what changed between two states of the space (a named
//! version and a later one, or now): for each recommendation that changed,
//! every part that did (its title, status, consensus, support, majority
//! text, fields and alternatives), words struck and inserted, under the
//! report's header, laid out as [`lines`](super::lines).

use std::collections::{BTreeMap, BTreeSet};

use crate::schema::MAJORITY;
use crate::{Consensus, Op, Recommendation, Run, compare};

use super::lines::{Document, Entry, Kind, Line, Piece, Section, lay_out};
use super::report::{Report, counted_delegations};
use super::{Format, SpaceExport, date_in_words};

/// The earlier state a report of changes compares the exported one with.
#[derive(Debug, Clone)]
pub struct Since {
    /// What the earlier state is called ("After the 4th meeting").
    pub from: String,
    /// What the later one is called (a version's name, or "now").
    pub to: String,
    /// The earlier state's recommendations, by id.
    pub recommendations: BTreeMap<String, Recommendation>,
}

/// A run list as pieces.
fn runs(label: Option<String>, runs: &[Run]) -> Vec<Piece> {
    label
        .map(Piece::Label)
        .into_iter()
        .chain(runs.iter().map(|run| match run.op {
            Op::Equal => Piece::Text(run.text.clone()),
            Op::Delete => Piece::Deleted(run.text.clone()),
            Op::Insert => Piece::Inserted(run.text.clone()),
        }))
        .collect()
}

fn changed(runs: &[Run]) -> bool {
    runs.iter().any(|run| run.op != Op::Equal)
}

fn entry(space: &SpaceExport, since: &Since, id: &str) -> Option<Entry> {
    let (before, after) = (since.recommendations.get(id), space.recommendations.get(id));
    let changes = compare(before, after);
    if changes.is_empty() {
        return None;
    }
    let rec = after.or(before)?;
    let mut lines = Vec::new();
    match changes.presence {
        crate::Presence::Added => lines.push(Line::note(format!("New since “{}”.", since.from))),
        crate::Presence::Removed => lines.push(Line::note(format!("Not in “{}”.", since.to))),
        crate::Presence::Kept => {}
    }
    if let Some(title) = &changes.title {
        lines.push(Line::note(format!("Retitled from “{}”.", title.from)));
    }
    if let Some(status) = &changes.status {
        let name = |s: Option<crate::Status>| s.map_or("none".to_owned(), |s| s.to_string());
        lines.push(Line::note(format!(
            "Status: {} → {}.",
            name(status.from),
            name(status.to)
        )));
    }
    if let Some(consensus) = &changes.consensus {
        let words = |c: Option<Consensus>| c.map_or("not assessed", Consensus::in_words);
        lines.push(Line::note(format!(
            "Consensus: {} → {}.",
            words(consensus.from),
            words(consensus.to)
        )));
    }
    if let Some(support) = &changes.support {
        let choices: BTreeSet<&String> = support.from.keys().chain(support.to.keys()).collect();
        for choice in choices {
            let (from, to) = (
                support.from.get(choice).cloned().unwrap_or_default(),
                support.to.get(choice).cloned().unwrap_or_default(),
            );
            if from == to {
                continue;
            }
            let named = if choice == MAJORITY {
                "the recommendation".to_owned()
            } else {
                changes.labels.get(choice).map_or_else(
                    || "an alternative".to_owned(),
                    |label| format!("the alternative “{label}”"),
                )
            };
            lines.push(Line::note(format!(
                "Support for {named}: {} → {}.",
                counted_delegations(&space.roster, &from),
                counted_delegations(&space.roster, &to)
            )));
        }
    }
    if changed(&changes.text) {
        lines.push(Line {
            kind: Kind::Text,
            pieces: runs(Some("Recommendation: ".to_owned()), &changes.text),
        });
    }
    for field in &changes.fields {
        lines.push(Line {
            kind: Kind::Text,
            pieces: runs(Some(format!("{}: ", field.title)), &field.runs),
        });
    }
    for alt in &changes.alternatives {
        let what = match alt.presence {
            crate::Presence::Added => "new",
            crate::Presence::Removed => "withdrawn",
            crate::Presence::Kept => "changed",
        };
        lines.push(Line {
            kind: Kind::Alternative,
            pieces: vec![Piece::Text(format!(
                "Alternative recommendation “{}” ({what})",
                alt.label
            ))],
        });
        if let Some(label) = &alt.relabelled {
            lines.push(Line::note(format!("Renamed from “{}”.", label.from)));
        }
        if alt.proponents.from != alt.proponents.to {
            let proposed = |users: &[String]| {
                let found = space.roster.delegations(users);
                if found.is_empty() {
                    "nobody".to_owned()
                } else {
                    found.join(", ")
                }
            };
            lines.push(Line::note(format!(
                "Proposed by {} → {}.",
                proposed(&alt.proponents.from),
                proposed(&alt.proponents.to)
            )));
        }
        if changed(&alt.runs) {
            lines.push(Line {
                kind: Kind::AlternativeText,
                pieces: runs(None, &alt.runs),
            });
        }
    }
    Some(Entry {
        id: id.to_owned(),
        number: format!("{}.{}", rec.topic, rec.number),
        title: rec.title.clone(),
        lines,
    })
}

/// The topics in order, each with its recommendations that changed:
/// those of the later state in number order, then those only the earlier
/// holds.
fn sections(space: &SpaceExport, since: &Since) -> Vec<Section> {
    space
        .space
        .topics
        .iter()
        .map(|topic| {
            let mut ids: Vec<&str> = topic
                .recommendations
                .iter()
                .map(|s| s.id.as_str())
                .collect();
            let mut gone: Vec<&Recommendation> = since
                .recommendations
                .values()
                .filter(|rec| rec.topic == topic.letter && !ids.contains(&rec.id.as_str()))
                .collect();
            gone.sort_by_key(|rec| rec.number);
            ids.extend(gone.iter().map(|rec| rec.id.as_str()));
            Section {
                letter: topic.letter.clone(),
                title: topic.title.clone(),
                entries: ids
                    .into_iter()
                    .filter(|id| {
                        space.recommendations.contains_key(*id)
                            || since.recommendations.contains_key(*id)
                    })
                    .filter_map(|id| entry(space, since, id))
                    .collect(),
            }
        })
        .filter(|section| !section.entries.is_empty())
        .collect()
}

pub(super) fn export(report: &Report, since: &Since, format: Format) -> Vec<u8> {
    let document = Document {
        report,
        name: "changes",
        title: format!("Changes from “{}” to “{}”", since.from, since.to),
        intro: format!(
            "{}, as of {}.",
            report.title,
            date_in_words(&report.space.generated_at)
        ),
        sections: sections(report.space, since),
        empty: "Nothing changed.",
    };
    lay_out(&document, format)
}
