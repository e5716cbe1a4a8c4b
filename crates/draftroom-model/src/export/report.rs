//! What a report says, worked out once for every format: the header, the
//! topics in order, each recommendation with its number, its standing, its
//! support tallied by delegation, its fields and its alternatives with who
//! proposed them, and the annex. The formats only lay it out.

use std::collections::BTreeMap;

use crate::{
    Alternative, Consensus, Field, Numbering, Proposal, Recommendation, Roster, SupportChoice,
    TopicView,
};

use super::{SpaceExport, date_in_words};

/// A report, ready to lay out.
pub(super) struct Report<'a> {
    pub(super) space: &'a SpaceExport,
    /// The header's title, or the space's.
    pub(super) title: &'a str,
    /// The header's date in words, if it gives one.
    pub(super) date: String,
    pub(super) sections: Vec<Section<'a>>,
    /// Who proposed what, by recommendation; empty when not asked for.
    pub(super) annex: Vec<AnnexEntry>,
}

/// A topic, as a heading over its recommendations.
pub(super) struct Section<'a> {
    pub(super) topic: &'a TopicView,
    pub(super) items: Vec<Item<'a>>,
}

/// A recommendation as the report gives it.
pub(super) struct Item<'a> {
    pub(super) rec: &'a Recommendation,
    /// As the header's numbering says: `C.7`, or `12`.
    pub(super) number: String,
    /// "Status: agreed; consensus: full consensus."
    pub(super) standing: String,
    /// Its support, tallied by delegation; none if nobody has said.
    pub(super) support: Option<String>,
    pub(super) fields: Vec<(Field, &'a str)>,
    pub(super) alternatives: Vec<AltItem<'a>>,
    /// Each comment, with its replies, as sentences.
    pub(super) comments: Vec<(String, Vec<String>)>,
}

pub(super) struct AltItem<'a> {
    pub(super) alt: &'a Alternative,
    /// "Alternative recommendation 1: Voluntary only".
    pub(super) heading: String,
    /// "Proposed by Brazil and India." (or that nobody proposes it).
    pub(super) proposed_by: String,
}

/// One recommendation in the annex.
pub(super) struct AnnexEntry {
    /// "C.7 Funding".
    pub(super) heading: String,
    pub(super) lines: Vec<String>,
}

impl<'a> Report<'a> {
    pub(super) fn of(space: &'a SpaceExport) -> Report<'a> {
        let header = &space.space.report;
        let title = if header.title.trim().is_empty() {
            &space.space.title
        } else {
            &header.title
        };
        let mut counted = 0;
        let sections: Vec<Section> = space
            .topics()
            .map(|(topic, recommendations)| Section {
                topic,
                items: recommendations
                    .into_iter()
                    .map(|rec| {
                        counted += 1;
                        let number = match header.numbering {
                            Numbering::PerTopic => format!("{}.{}", rec.topic, rec.number),
                            Numbering::Continuous => counted.to_string(),
                        };
                        Item::of(space, rec, number)
                    })
                    .collect(),
            })
            .collect();
        let annex = match &space.annex {
            Some(merged) => sections
                .iter()
                .flat_map(|section| &section.items)
                .map(|item| annex_entry(space, item, merged))
                .collect(),
            None => Vec::new(),
        };
        Report {
            space,
            title,
            date: date_in_words(&header.date),
            sections,
            annex,
        }
    }

    /// "Recommendations as of 20 February 2012."
    pub(super) fn as_of(&self) -> String {
        format!(
            "Recommendations as of {}.",
            date_in_words(&self.space.generated_at)
        )
    }

    /// The header's lines above the title, each with what it is: the
    /// body, the distribution, the symbol, the session, the date.
    pub(super) fn header_lines(&self) -> Vec<(HeaderLine, &str)> {
        let header = &self.space.space.report;
        [
            (HeaderLine::Body, header.body.as_str()),
            (HeaderLine::Distribution, header.distribution.as_str()),
            (HeaderLine::Symbol, header.symbol.as_str()),
            (HeaderLine::Session, header.session.as_str()),
            (HeaderLine::Date, self.date.as_str()),
        ]
        .into_iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .collect()
    }
}

/// What a line of the header is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HeaderLine {
    Body,
    Distribution,
    Symbol,
    Session,
    Date,
}

impl HeaderLine {
    /// Its class in HTML, its style in Word.
    pub(super) fn name(self) -> &'static str {
        match self {
            HeaderLine::Body => "body",
            HeaderLine::Distribution => "distribution",
            HeaderLine::Symbol => "symbol",
            HeaderLine::Session => "session",
            HeaderLine::Date => "date",
        }
    }
}

impl<'a> Item<'a> {
    fn of(space: &'a SpaceExport, rec: &'a Recommendation, number: String) -> Item<'a> {
        let roster = &space.roster;
        let standing = format!(
            "Status: {}; consensus: {}.",
            rec.status,
            rec.consensus.map_or("not assessed", Consensus::in_words)
        );
        let alternatives = rec
            .alternatives
            .iter()
            .enumerate()
            .map(|(index, alt)| {
                let delegations = roster.delegations(&alt.proponents);
                AltItem {
                    alt,
                    heading: format!("Alternative recommendation {}: {}", index + 1, alt.label),
                    proposed_by: if delegations.is_empty() {
                        "No delegation proposes it now.".to_owned()
                    } else {
                        format!("Proposed by {}.", in_a_list(&delegations))
                    },
                }
            })
            .collect();
        let comments = rec
            .comments
            .iter()
            .map(|comment| {
                let record = &comment.record;
                let state = match (&record.resolved, comment.deleted) {
                    (Some(resolved), _) => format!(" Resolved by {}.", roster.who(&resolved.by)),
                    (None, true) => " The passage was deleted.".to_owned(),
                    (None, false) => String::new(),
                };
                let head = format!(
                    "On “{}” in {}, {} ({}): {}{state}",
                    record.quote,
                    comment.text_name,
                    roster.who(&record.author),
                    date_in_words(&record.at),
                    record.body
                );
                let replies = record
                    .replies
                    .iter()
                    .map(|reply| {
                        format!(
                            "Reply from {} ({}): {}",
                            roster.who(&reply.author),
                            date_in_words(&reply.at),
                            reply.body
                        )
                    })
                    .collect();
                (head, replies)
            })
            .collect();
        Item {
            rec,
            number,
            standing,
            support: tally(space, rec),
            fields: filled_fields(rec),
            alternatives,
            comments,
        }
    }

    /// "C.7 Funding of the IGF".
    pub(super) fn heading(&self) -> String {
        format!("{} {}", self.number, self.rec.title)
    }
}

/// The structured fields a recommendation has filled in, in order: an
/// empty one is left out of a report, not shown as a dash.
fn filled_fields(rec: &Recommendation) -> Vec<(Field, &str)> {
    Field::ALL
        .iter()
        .filter_map(|field| {
            rec.fields
                .get(field)
                .map(String::as_str)
                .filter(|text| !text.trim().is_empty())
                .map(|text| (*field, text))
        })
        .collect()
}

/// Who supports what, by delegation: "Supported by 3 delegations (Brazil,
/// India, Kenya); alternative 1 by 1 delegation (Norway)." A delegation
/// counts once for each text its people support; they are listed in
/// alphabetical order.
fn tally(space: &SpaceExport, rec: &Recommendation) -> Option<String> {
    let mut by_choice: BTreeMap<&SupportChoice, Vec<&String>> = BTreeMap::new();
    for (user, choice) in &rec.support {
        by_choice.entry(choice).or_default().push(user);
    }
    if by_choice.is_empty() {
        return None;
    }
    let counted = |users: &[&String]| counted_delegations(&space.roster, users.iter().copied());
    let majority = by_choice
        .get(&SupportChoice::Majority)
        .map_or_else(|| "no delegation".to_owned(), |users| counted(users));
    let mut parts = vec![format!("Supported by {majority}")];
    for (index, alt) in rec.alternatives.iter().enumerate() {
        if let Some(users) = by_choice.get(&SupportChoice::Alternative(alt.id.clone())) {
            parts.push(format!("alternative {} by {}", index + 1, counted(users)));
        }
    }
    Some(format!("{}.", parts.join("; ")))
}

/// The delegations `users` speak for, counted and listed alphabetically:
/// "3 delegations (Brazil, India, Kenya)", "1 delegation (Norway)", or
/// "no delegation".
pub(super) fn counted_delegations<'a>(
    roster: &'a Roster,
    users: impl IntoIterator<Item = &'a String>,
) -> String {
    let mut found = roster.delegations(users);
    found.sort_unstable();
    match found.len() {
        0 => "no delegation".to_owned(),
        1 => format!("1 delegation ({})", found[0]),
        n => format!("{n} delegations ({})", found.join(", ")),
    }
}

/// "A", "A and B", "A, B and C".
fn in_a_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Who proposed what for one recommendation: the proposals merged into it,
/// and who proposes each alternative.
fn annex_entry(space: &SpaceExport, item: &Item, merged: &[Proposal]) -> AnnexEntry {
    let roster = &space.roster;
    let mut lines: Vec<String> = merged
        .iter()
        .flat_map(|proposal| {
            proposal
                .merged_into
                .iter()
                .filter(|merge| merge.recommendation == item.rec.id)
                .map(move |merge| {
                    format!(
                        "“{}”, proposed by {}, merged on {}.",
                        proposal.title,
                        roster.who(&proposal.author),
                        date_in_words(&merge.at)
                    )
                })
        })
        .collect();
    for (alt, listed) in item.rec.alternatives.iter().zip(&item.alternatives) {
        let people: Vec<String> = alt.proponents.iter().map(|user| roster.who(user)).collect();
        let people: Vec<&str> = people.iter().map(String::as_str).collect();
        lines.push(if people.is_empty() {
            format!("{}: no proponent now.", listed.heading)
        } else {
            format!("{}: proposed by {}.", listed.heading, in_a_list(&people))
        });
    }
    if lines.is_empty() {
        lines.push("No proposal was merged into it, and it has no alternative.".to_owned());
    }
    AnnexEntry {
        heading: item.heading(),
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::in_a_list;

    #[test]
    fn lists_read_as_english() {
        assert_eq!(in_a_list(&[]), "");
        assert_eq!(in_a_list(&["A"]), "A");
        assert_eq!(in_a_list(&["A", "B"]), "A and B");
        assert_eq!(in_a_list(&["A", "B", "C"]), "A, B and C");
    }
}
