//! The Chair's summary of a meeting, as first drafted: what happened
//! between its dates (from the audit log, as [`between`](crate::between)
//! chooses it) and its points of broad agreement, in a few plain-text
//! conventions the chair goes on editing and the exports read back: a
//! line `# ` is the title, `## ` a section, `### ` a subsection, `- ` an
//! item, any other line a paragraph.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::history::{Happening, What};
use crate::{Meeting, MergeKind, Point, Roster, SpaceView, date_in_words};

/// The sections of a summary, in the order it tells them.
const SECTIONS: [&str; 6] = [
    "Recommendations created",
    "Proposals merged",
    "Proposals rejected",
    "Status changes",
    "Brackets cleared",
    "Versions named",
];

/// "C.1 “Title”" for each recommendation the index lists, by id.
fn labels(space: &SpaceView) -> BTreeMap<&str, String> {
    space
        .topics
        .iter()
        .flat_map(|topic| &topic.recommendations)
        .map(|rec| {
            let label = format!("{}.{} “{}”", rec.topic, rec.number, rec.title);
            (rec.id.as_str(), label)
        })
        .collect()
}

/// A meeting's dates in words: "12 November 2012", or "12 to 14 November
/// 2012" written out in full at each end.
fn dates(meeting: &Meeting) -> String {
    if meeting.starts == meeting.ends {
        date_in_words(&meeting.starts)
    } else {
        format!(
            "{} to {}",
            date_in_words(&meeting.starts),
            date_in_words(&meeting.ends)
        )
    }
}

/// The first draft of `meeting`'s summary: `happened` as its sections
/// tell it (empty sections left out), then its points of broad agreement
/// topic by topic.
pub fn summary_draft(
    meeting: &Meeting,
    happened: &[Happening],
    points: &[Point],
    roster: &Roster,
    space: &SpaceView,
) -> String {
    let labels = labels(space);
    let label = |id: &str| labels.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let mut sections: [Vec<String>; 6] = Default::default();
    for happening in happened {
        let (section, line) = match &happening.what {
            What::Created {
                recommendation,
                title,
                ..
            } => (
                0,
                labels
                    .get(recommendation.as_str())
                    .cloned()
                    .unwrap_or_else(|| format!("“{title}”")),
            ),
            What::Merged {
                recommendation,
                title,
                author,
                merged_as,
                partial,
                ..
            } => {
                let into = match merged_as {
                    Some(MergeKind::Alternative) => "as an alternative to",
                    Some(MergeKind::New) => "as",
                    _ => "into",
                };
                let part = if *partial { " in part" } else { "" };
                let line = format!(
                    "“{title}”, proposed by {}, merged{part} {into} {}.",
                    roster.who(author),
                    label(recommendation)
                );
                (1, line)
            }
            What::Rejected { title, reason, .. } => (2, format!("“{title}”: {reason}")),
            What::Status {
                recommendation,
                status,
                consensus,
            } => {
                let level = consensus
                    .map(|level| format!(" ({})", level.in_words()))
                    .unwrap_or_default();
                (3, format!("{}: {status}{level}.", label(recommendation)))
            }
            What::BracketCleared {
                recommendation,
                passage,
                kept,
            } => {
                let mut line = format!("{}: “{passage}”", label(recommendation));
                if let Some(kept) = kept.as_deref().filter(|kept| *kept != passage.as_str()) {
                    let _ = write!(line, ", keeping “{kept}”");
                }
                line.push('.');
                (4, line)
            }
            What::Version { name, .. } => (5, format!("“{name}”.")),
            What::Alternative { .. } | What::Support { .. } | What::Implementation { .. } => {
                continue;
            }
        };
        sections[section].push(line);
    }
    let mut out = format!(
        "# Chair's summary: {}\n\n{}{}\n",
        meeting.title,
        dates(meeting),
        if meeting.venue.is_empty() {
            String::new()
        } else {
            format!(", {}", meeting.venue)
        }
    );
    if sections.iter().all(Vec::is_empty) && points.is_empty() {
        out.push_str("\nNothing was recorded between these dates.\n");
    }
    for (title, lines) in SECTIONS.iter().zip(&sections) {
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {title}\n");
        for line in lines {
            let _ = writeln!(out, "- {line}");
        }
    }
    let mut by_topic: BTreeMap<&str, Vec<&Point>> = BTreeMap::new();
    for point in points {
        by_topic
            .entry(point.topic.as_str())
            .or_default()
            .push(point);
    }
    if !by_topic.is_empty() {
        out.push_str("\n## Points of broad agreement\n");
    }
    for (letter, mut points) in by_topic {
        points.sort_by(|a, b| (&a.at, &a.id).cmp(&(&b.at, &b.id)));
        let title = space
            .topics
            .iter()
            .find(|topic| topic.letter == letter)
            .map(|topic| format!(". {}", topic.title))
            .unwrap_or_default();
        let _ = writeln!(out, "\n### Topic {letter}{title}\n");
        for point in points {
            let by = if point.attribution.is_empty() {
                String::new()
            } else {
                format!(" ({})", point.attribution)
            };
            let _ = writeln!(out, "- {}{by}", point.text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RecommendationSummary, ReportHeader, Status, TopicView};

    #[test]
    fn a_draft_tells_each_kind_of_action_in_its_section_and_the_points_by_topic() {
        let meeting: Meeting = serde_json::from_value(serde_json::json!({
            "id": "m-3", "number": 3, "title": "3rd meeting", "starts": "2012-11-12",
            "ends": "2012-11-14", "venue": "Geneva", "created_by": "chair", "created_at": "2012-11-01T00:00:00Z"
        }))
        .expect("a meeting");
        let space = SpaceView {
            title: "WG".into(),
            created_at: "2012-01-01T00:00:00Z".into(),
            report: ReportHeader::default(),
            topics: vec![TopicView {
                letter: "C".into(),
                title: "Capacity".into(),
                recommendations: vec![RecommendationSummary {
                    id: "c-1".into(),
                    doc: "r/c-1".into(),
                    topic: "C".into(),
                    number: 1,
                    title: "Build capacity".into(),
                    status: Status::Agreed,
                    consensus: None,
                    alternatives: 0,
                    open_brackets: 0,
                    bracket_holders: Vec::new(),
                    open_comments: 0,
                    pending_suggestions: 0,
                    stale_alternatives: 0,
                    support: BTreeMap::new(),
                }],
            }],
        };
        let at = |seq: u64, what: What| Happening {
            seq,
            at: "2012-11-12T10:00:00Z".into(),
            by: "chair".into(),
            what,
        };
        let happened = [
            at(
                1,
                What::Status {
                    recommendation: "c-1".into(),
                    status: Status::Agreed,
                    consensus: Some(crate::Consensus::Full),
                },
            ),
            at(
                2,
                What::Merged {
                    recommendation: "c-1".into(),
                    proposal: "p-1".into(),
                    title: "Training".into(),
                    author: "ana".into(),
                    merged_as: Some(MergeKind::Majority),
                    partial: false,
                },
            ),
        ];
        let point = Point {
            id: "pt-1".into(),
            meeting: "m-3".into(),
            topic: "C".into(),
            text: "Capacity first.".into(),
            attribution: "summary of discussions by Portugal".into(),
            by: "chair".into(),
            at: "2012-11-12T11:00:00Z".into(),
        };
        let draft = summary_draft(&meeting, &happened, &[point], &Roster::default(), &space);
        assert_eq!(
            draft,
            "# Chair's summary: 3rd meeting\n\n12 November 2012 to 14 November 2012, Geneva\n\
             \n## Proposals merged\n\n- “Training”, proposed by ana, merged into C.1 “Build capacity”.\n\
             \n## Status changes\n\n- C.1 “Build capacity”: agreed (full consensus).\n\
             \n## Points of broad agreement\n\n### Topic C. Capacity\n\n\
             - Capacity first. (summary of discussions by Portugal)\n"
        );
        let empty = summary_draft(&meeting, &[], &[], &Roster::default(), &space);
        assert!(empty.ends_with("Nothing was recorded between these dates.\n"));
    }
}
