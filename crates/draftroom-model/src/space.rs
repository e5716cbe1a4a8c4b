//! A space's index document: its title, ordered topics, and one summary per
//! recommendation, kept current by the server so dashboards follow live.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use yrs::{Any, Array, Map, Out, ReadTxn, TransactionMut, WriteTxn};

use crate::records::{from_any, put_record, records, to_any};
use crate::schema::index::{RECOMMENDATIONS, SPACE, TOPICS};
use crate::{Consensus, ModelError, Status};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub letter: String,
    pub title: String,
}

/// What the index keeps of a recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecommendationSummary {
    pub id: String,
    pub doc: String,
    pub topic: String,
    pub number: u32,
    pub title: String,
    pub status: Status,
    pub consensus: Option<Consensus>,
    pub alternatives: usize,
    pub open_brackets: usize,
    /// Who holds the open brackets (users or delegations), each once.
    #[serde(default)]
    pub bracket_holders: Vec<String>,
    /// How many of its comments are not resolved.
    #[serde(default)]
    pub open_comments: usize,
    /// How many of its suggestions wait for a decision.
    #[serde(default)]
    pub pending_suggestions: usize,
    pub stale_alternatives: usize,
    /// How many support the majority text (`majority`) and each
    /// alternative (by id).
    #[serde(default)]
    pub support: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicView {
    pub letter: String,
    pub title: String,
    /// In number order.
    pub recommendations: Vec<RecommendationSummary>,
}

names!(
    /// How a report numbers its recommendations: within each topic, as
    /// the space does (`C.7`), or 1 to N through the whole report.
    #[derive(Default)]
    Numbering, "numbering",
    #[default]
    PerTopic => "per-topic",
    Continuous => "continuous",
);

/// What heads the space's report, as the chair sets it: the body it goes
/// to, the document's symbol, the session, its date, its title and its
/// distribution, and how it numbers recommendations. What is left empty is
/// left out (the title: the space's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportHeader {
    /// E.g. "Commission on Science and Technology for Development".
    pub body: String,
    /// The document symbol, e.g. "E/CN.16/2012/CRP.2".
    pub symbol: String,
    /// E.g. "Fifteenth session, Geneva, 21-25 May 2012".
    pub session: String,
    /// The report's date, `YYYY-MM-DD`.
    pub date: String,
    pub title: String,
    /// E.g. "General", "Limited", "Restricted".
    pub distribution: String,
    pub numbering: Numbering,
}

impl ReportHeader {
    /// Whether `date` is a calendar date, `YYYY-MM-DD`.
    pub fn is_date(date: &str) -> bool {
        let parts: Vec<&str> = date.split('-').collect();
        match parts.as_slice() {
            [year, month, day] => {
                year.len() == 4
                    && month.len() == 2
                    && day.len() == 2
                    && parts
                        .iter()
                        .all(|part| part.bytes().all(|b| b.is_ascii_digit()))
                    && matches!(month.parse::<u32>(), Ok(1..=12))
                    && matches!(day.parse::<u32>(), Ok(1..=31))
            }
            _ => false,
        }
    }
}

/// The key of the report's header in the index's `space` map.
const REPORT: &str = "report";

/// Sets what heads the space's report.
pub fn set_report_header(txn: &mut TransactionMut, header: &ReportHeader) {
    put_record(txn, SPACE, REPORT, header);
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpaceView {
    pub title: String,
    pub topics: Vec<TopicView>,
    /// When the space was made, RFC 3339: the date of its work, in an
    /// export's identity.
    pub created_at: String,
    pub report: ReportHeader,
}

/// Creates a space in an empty index document.
pub fn create_space(
    txn: &mut TransactionMut,
    title: &str,
    topics: &[Topic],
    created_by: &str,
    now: &str,
) -> Result<(), ModelError> {
    let space = txn.get_or_insert_map(SPACE);
    if space.contains_key(txn, "title") {
        return Err(ModelError::SpaceExists);
    }
    let mut letters: Vec<&str> = topics.iter().map(|t| t.letter.as_str()).collect();
    letters.sort_unstable();
    letters.dedup();
    if letters.len() != topics.len() || topics.iter().any(|t| !valid_letter(&t.letter)) {
        return Err(ModelError::Invalid(
            "each topic needs its own letter or short code (letters and digits)".into(),
        ));
    }
    space.insert(txn, "title", title);
    space.insert(txn, "created_by", created_by);
    space.insert(txn, "created_at", now);
    let list = txn.get_or_insert_array(TOPICS);
    for topic in topics {
        let entry = Any::from(std::collections::HashMap::from([
            ("letter".to_owned(), Any::from(topic.letter.as_str())),
            ("title".to_owned(), Any::from(topic.title.as_str())),
        ]));
        list.push_back(txn, entry);
    }
    txn.get_or_insert_map(RECOMMENDATIONS);
    Ok(())
}

fn valid_letter(letter: &str) -> bool {
    !letter.is_empty() && letter.len() <= 8 && letter.chars().all(|c| c.is_ascii_alphanumeric())
}

fn read_topics<T: ReadTxn>(txn: &T) -> Vec<Topic> {
    let Some(list) = txn.get_array(TOPICS) else {
        return Vec::new();
    };
    list.iter(txn)
        .filter_map(|entry| match entry {
            Out::Any(Any::Map(map)) => match (map.get("letter"), map.get("title")) {
                (Some(Any::String(letter)), Some(Any::String(title))) => Some(Topic {
                    letter: letter.to_string(),
                    title: title.to_string(),
                }),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Reads the space; `None` if the index holds no space.
pub fn read_space<T: ReadTxn>(txn: &T) -> Option<SpaceView> {
    let title = match txn.get_map(SPACE)?.get(txn, "title") {
        Some(Out::Any(Any::String(title))) => title.to_string(),
        _ => return None,
    };
    let mut summaries: Vec<RecommendationSummary> = records(txn, RECOMMENDATIONS);
    summaries.sort_by_key(|s| s.number);
    let topics = read_topics(txn)
        .into_iter()
        .map(|topic| TopicView {
            recommendations: summaries
                .iter()
                .filter(|s| s.topic == topic.letter)
                .cloned()
                .collect(),
            letter: topic.letter,
            title: topic.title,
        })
        .collect();
    let space = txn.get_map(SPACE)?;
    let created_at = match space.get(txn, "created_at") {
        Some(Out::Any(Any::String(at))) => at.to_string(),
        _ => String::new(),
    };
    let report = match space.get(txn, REPORT) {
        Some(Out::Any(header)) => from_any(&header),
        _ => None,
    };
    Some(SpaceView {
        title,
        topics,
        created_at,
        report: report.unwrap_or_default(),
    })
}

/// The number the next recommendation under `topic` gets.
pub fn next_number<T: ReadTxn>(txn: &T, topic: &str) -> Result<u32, ModelError> {
    let space = read_space(txn).ok_or_else(|| ModelError::Invalid("no such space".into()))?;
    let topic = space
        .topics
        .iter()
        .find(|t| t.letter == topic)
        .ok_or_else(|| ModelError::NoSuchTopic(topic.to_owned()))?;
    Ok(topic
        .recommendations
        .iter()
        .map(|r| r.number)
        .max()
        .unwrap_or(0)
        + 1)
}

/// Lists a new recommendation in the index.
pub fn add_summary(txn: &mut TransactionMut, summary: &RecommendationSummary) {
    put_record(txn, RECOMMENDATIONS, &summary.id, summary);
}

/// Refreshes a listed recommendation's summary. Returns whether it changed;
/// a recommendation the index does not list is left out.
pub fn update_summary(txn: &mut TransactionMut, summary: &RecommendationSummary) -> bool {
    let Some(map) = txn.get_map(RECOMMENDATIONS) else {
        return false;
    };
    let value = to_any(summary);
    match map.get(txn, &summary.id) {
        Some(Out::Any(current)) if current != value => {
            map.insert(txn, summary.id.as_str(), value);
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{create_recommendation, recommendation_summary};
    use yrs::{Doc, Transact};

    fn topics() -> Vec<Topic> {
        ["A", "C"]
            .iter()
            .map(|letter| Topic {
                letter: letter.to_string(),
                title: format!("Topic {letter}"),
            })
            .collect()
    }

    #[test]
    fn lists_recommendations_under_their_topics() {
        let index = Doc::new();
        create_space(&mut index.transact_mut(), "WGIGF", &topics(), "chair", "t").expect("creates");
        assert_eq!(
            create_space(&mut index.transact_mut(), "again", &topics(), "chair", "t"),
            Err(ModelError::SpaceExists)
        );
        assert_eq!(next_number(&index.transact(), "C"), Ok(1));
        assert!(next_number(&index.transact(), "Z").is_err());

        let rec = Doc::new();
        create_recommendation(&mut rec.transact_mut(), "c-1", "C", 1, "Funding", "[text]");
        let summary = recommendation_summary(&rec.transact()).expect("summary");
        add_summary(&mut index.transact_mut(), &summary);
        assert!(
            !update_summary(&mut index.transact_mut(), &summary),
            "unchanged"
        );
        let changed = RecommendationSummary {
            open_brackets: 0,
            ..summary.clone()
        };
        assert!(update_summary(&mut index.transact_mut(), &changed));

        let space = read_space(&index.transact()).expect("a space");
        assert_eq!(space.title, "WGIGF");
        assert_eq!(space.topics[0].recommendations.len(), 0);
        assert_eq!(space.topics[1].recommendations, vec![changed]);
        assert_eq!(next_number(&index.transact(), "C"), Ok(2));
    }

    #[test]
    fn a_recommendation_is_numbered_after_the_highest_in_its_topic_and_listed_in_number_order() {
        let index = Doc::new();
        create_space(&mut index.transact_mut(), "WGIGF", &topics(), "chair", "t").expect("creates");
        for (id, topic, number) in [("c-3", "C", 3), ("c-1", "C", 1), ("a-5", "A", 5)] {
            let rec = Doc::new();
            create_recommendation(&mut rec.transact_mut(), id, topic, number, "T", "");
            let summary = recommendation_summary(&rec.transact()).expect("summary");
            add_summary(&mut index.transact_mut(), &summary);
        }
        assert_eq!(next_number(&index.transact(), "C"), Ok(4));
        assert_eq!(next_number(&index.transact(), "A"), Ok(6));
        let space = read_space(&index.transact()).expect("a space");
        let numbers: Vec<Vec<u32>> = space
            .topics
            .iter()
            .map(|topic| topic.recommendations.iter().map(|r| r.number).collect())
            .collect();
        assert_eq!(numbers, [vec![5], vec![1, 3]]);
    }

    #[test]
    fn only_a_listed_recommendations_summary_is_refreshed() {
        let index = Doc::new();
        create_space(&mut index.transact_mut(), "WGIGF", &topics(), "chair", "t").expect("creates");
        let rec = Doc::new();
        create_recommendation(&mut rec.transact_mut(), "c-1", "C", 1, "T", "");
        let summary = recommendation_summary(&rec.transact()).expect("summary");
        assert!(!update_summary(&mut index.transact_mut(), &summary));
        let space = read_space(&index.transact()).expect("a space");
        assert!(space.topics.iter().all(|t| t.recommendations.is_empty()));
        assert_eq!(read_space(&Doc::new().transact()), None);
    }

    #[test]
    fn refuses_duplicate_or_odd_topic_letters() {
        let index = Doc::new();
        let mut twice = topics();
        twice.push(twice[0].clone());
        assert!(create_space(&mut index.transact_mut(), "x", &twice, "chair", "t").is_err());
        for odd in ["a b", "", "ABCDEFGHI", "é"] {
            let odd = vec![Topic {
                letter: odd.into(),
                title: "x".into(),
            }];
            assert!(
                create_space(&mut index.transact_mut(), "x", &odd, "chair", "t").is_err(),
                "{odd:?}"
            );
        }
        let longest = vec![Topic {
            letter: "ABCD1234".into(),
            title: "x".into(),
        }];
        assert_eq!(
            create_space(&mut index.transact_mut(), "x", &longest, "chair", "t"),
            Ok(())
        );
    }
}
