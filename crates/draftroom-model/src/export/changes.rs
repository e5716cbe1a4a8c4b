//! A report of what changed between two states of the space (a named
//! version and a later one, or now): for each recommendation that changed,
//! every part that did (its title, status, consensus, support, majority
//! text, fields and alternatives), words struck and inserted. It takes the
//! report's header and lays out in every format: deletions and insertions
//! are `del` and `ins` in HTML, Markdown and Akoma Ntoso, and tracked
//! changes in Word.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::schema::MAJORITY;
use crate::{Consensus, Markup, Op, Recommendation, Run, compare};

use super::report::Report;
use super::{Format, SpaceExport, akn, date_in_words, docx, html, id_part};

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

/// A piece of a line: text, a label (set in bold), or words deleted or
/// inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Label(String),
    Deleted(String),
    Inserted(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A note on the recommendation: its standing, support, proponents.
    Standing,
    /// A text: the majority's or a field's.
    Text,
    /// An alternative's heading, then its text.
    Alternative,
    AlternativeText,
}

struct Line {
    kind: Kind,
    pieces: Vec<Piece>,
}

impl Line {
    fn note(text: String) -> Line {
        Line {
            kind: Kind::Standing,
            pieces: vec![Piece::Text(text)],
        }
    }
}

/// One recommendation that changed.
struct Entry {
    id: String,
    number: String,
    title: String,
    lines: Vec<Line>,
}

struct Section {
    letter: String,
    title: String,
    entries: Vec<Entry>,
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

/// "3 delegations (A, B, C)", or "no delegation".
fn delegations(space: &SpaceExport, users: &[String]) -> String {
    let mut found = space.roster.delegations(users);
    found.sort_unstable();
    match found.len() {
        0 => "no delegation".to_owned(),
        1 => format!("1 delegation ({})", found[0]),
        n => format!("{n} delegations ({})", found.join(", ")),
    }
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
                delegations(space, &from),
                delegations(space, &to)
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
    let title = format!("Changes from “{}” to “{}”", since.from, since.to);
    let intro = format!(
        "{}, as of {}.",
        report.title,
        date_in_words(&report.space.generated_at)
    );
    let sections = sections(report.space, since);
    match format {
        Format::Markdown => markdown(report, &title, &intro, &sections).into_bytes(),
        Format::Html => html_page(report, &title, &intro, &sections).into_bytes(),
        Format::Akn => akn_document(report, &title, &intro, &sections).into_bytes(),
        Format::Docx => word(report, &title, &intro, &sections),
    }
}

const NOTHING: &str = "Nothing changed.";

fn markdown(report: &Report, title: &str, intro: &str, sections: &[Section]) -> String {
    let mut out = String::new();
    for (_, line) in report.header_lines() {
        let _ = writeln!(out, "{line}  ");
    }
    let _ = writeln!(out, "\n# {title}\n\n{intro}\n");
    if sections.is_empty() {
        let _ = writeln!(out, "{NOTHING}");
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

fn html_page(report: &Report, title: &str, intro: &str, sections: &[Section]) -> String {
    let mut out = html::open(report, title);
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", Markup::Html.escape(intro));
    if sections.is_empty() {
        let _ = writeln!(out, "<p>{NOTHING}</p>");
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

fn akn_document(report: &Report, title: &str, intro: &str, sections: &[Section]) -> String {
    let mut out = akn::open(report, "changes", title, &BTreeMap::new());
    out.push_str("    <mainBody>\n");
    let _ = write!(
        out,
        "      <hcontainer name=\"intro\" eId=\"intro\">\n        <content>\n          <p>{}</p>\n",
        Markup::Xml.escape(intro)
    );
    if sections.is_empty() {
        let _ = writeln!(out, "          <p>{NOTHING}</p>");
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

fn word(report: &Report, title: &str, intro: &str, sections: &[Section]) -> Vec<u8> {
    let mut body = String::new();
    let mut changes = docx::Tracked::default();
    docx::paragraph(&mut body, "Standing", &docx::run(intro, None));
    if sections.is_empty() {
        docx::paragraph(&mut body, "Normal", &docx::run(NOTHING, None));
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
