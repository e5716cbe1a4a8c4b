//! What changed in a recommendation between two of its states (two named
//! versions, or a version and now): every part it holds, not only the
//! majority text: its title, status and consensus, each structured field,
//! each alternative (added, removed, or changed in its label, text or
//! proponents) and who supports what.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::{Consensus, Field, Recommendation, Run, Status, SupportChoice, word_diff};

names!(
    /// Whether something is in both states, only the later, or only the
    /// earlier.
    Presence, "presence",
    Kept => "kept",
    Added => "added",
    Removed => "removed",
);

/// A part's value before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change<T> {
    pub from: T,
    pub to: T,
}

impl<T: PartialEq> Change<T> {
    /// The change, if the value changed.
    fn of(from: T, to: T) -> Option<Change<T>> {
        (from != to).then_some(Change { from, to })
    }
}

/// A structured field whose text changed, word by word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: Field,
    pub title: &'static str,
    pub runs: Vec<Run>,
}

/// An alternative added, removed, or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlternativeChange {
    pub id: String,
    /// Its label in the later state (the earlier, if removed).
    pub label: String,
    pub presence: Presence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relabelled: Option<Change<String>>,
    /// Its text, word by word (all inserted if added, all deleted if
    /// removed).
    pub runs: Vec<Run>,
    /// Who proposes it, before and after (each side empty where it is not).
    pub proponents: Change<Vec<String>>,
}

/// Everything that changed in one recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    pub presence: Presence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Change<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Change<Option<Status>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consensus: Option<Change<Option<Consensus>>>,
    /// The majority text, word by word (whether or not it changed).
    pub text: Vec<Run>,
    /// The fields whose text changed, in order.
    pub fields: Vec<FieldChange>,
    /// The alternatives that changed, in the order they stand.
    pub alternatives: Vec<AlternativeChange>,
    /// Who supports what (`majority` or an alternative's id → users),
    /// before and after, if that changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support: Option<Change<BTreeMap<String, Vec<String>>>>,
    /// The label of every alternative either state holds, by id: what a
    /// support choice is called.
    pub labels: BTreeMap<String, String>,
}

impl Changes {
    /// Whether nothing at all changed.
    pub fn is_empty(&self) -> bool {
        self.presence == Presence::Kept
            && self.title.is_none()
            && self.status.is_none()
            && self.consensus.is_none()
            && self.text.iter().all(|run| run.op == crate::Op::Equal)
            && self.fields.is_empty()
            && self.alternatives.is_empty()
            && self.support.is_none()
    }
}

/// Who supports each text: `majority` or an alternative's id → users, in
/// order.
fn supporters(rec: Option<&Recommendation>) -> BTreeMap<String, Vec<String>> {
    let mut by_choice: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (user, choice) in rec.map(|rec| &rec.support).into_iter().flatten() {
        let key = match choice {
            SupportChoice::Majority => crate::schema::MAJORITY.to_owned(),
            SupportChoice::Alternative(id) => id.clone(),
        };
        by_choice.entry(key).or_default().push(user.clone());
    }
    by_choice
}

/// What changed from `old` to `new` (either may be missing: the
/// recommendation was added, or removed).
pub fn compare(old: Option<&Recommendation>, new: Option<&Recommendation>) -> Changes {
    let presence = match (old, new) {
        (None, Some(_)) => Presence::Added,
        (Some(_), None) => Presence::Removed,
        _ => Presence::Kept,
    };
    let text_of = |rec: Option<&Recommendation>, field: Option<Field>| -> String {
        rec.map(|rec| match field {
            None => rec.text.clone(),
            Some(field) => rec.fields.get(&field).cloned().unwrap_or_default(),
        })
        .unwrap_or_default()
    };
    let fields = Field::ALL
        .iter()
        .filter_map(|&field| {
            let (before, after) = (text_of(old, Some(field)), text_of(new, Some(field)));
            (before != after).then(|| FieldChange {
                field,
                title: field.title(),
                runs: word_diff(&before, &after),
            })
        })
        .collect();
    let mut alternatives: Vec<AlternativeChange> = Vec::new();
    let olds = old
        .map(|rec| rec.alternatives.as_slice())
        .unwrap_or_default();
    let news = new
        .map(|rec| rec.alternatives.as_slice())
        .unwrap_or_default();
    for alt in news {
        let before = olds.iter().find(|a| a.id == alt.id);
        let change = AlternativeChange {
            id: alt.id.clone(),
            label: alt.label.clone(),
            presence: if before.is_some() {
                Presence::Kept
            } else {
                Presence::Added
            },
            relabelled: before.and_then(|b| Change::of(b.label.clone(), alt.label.clone())),
            runs: word_diff(before.map_or("", |b| b.text.as_str()), &alt.text),
            proponents: Change {
                from: before.map(|b| b.proponents.clone()).unwrap_or_default(),
                to: alt.proponents.clone(),
            },
        };
        let changed = change.presence == Presence::Added
            || change.relabelled.is_some()
            || change.proponents.from != change.proponents.to
            || change.runs.iter().any(|run| run.op != crate::Op::Equal);
        if changed {
            alternatives.push(change);
        }
    }
    for alt in olds.iter().filter(|a| !news.iter().any(|n| n.id == a.id)) {
        alternatives.push(AlternativeChange {
            id: alt.id.clone(),
            label: alt.label.clone(),
            presence: Presence::Removed,
            relabelled: None,
            runs: word_diff(&alt.text, ""),
            proponents: Change {
                from: alt.proponents.clone(),
                to: Vec::new(),
            },
        });
    }
    Changes {
        presence,
        title: match (old, new) {
            (Some(old), Some(new)) => Change::of(old.title.clone(), new.title.clone()),
            _ => None,
        },
        status: Change::of(old.map(|r| r.status), new.map(|r| r.status)),
        consensus: Change::of(old.and_then(|r| r.consensus), new.and_then(|r| r.consensus)),
        text: word_diff(&text_of(old, None), &text_of(new, None)),
        fields,
        alternatives,
        support: Change::of(supporters(old), supporters(new)),
        labels: olds
            .iter()
            .chain(news)
            .map(|alt| (alt.id.clone(), alt.label.clone()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Alternative, Op};

    fn rec() -> Recommendation {
        Recommendation {
            id: "c-1".into(),
            title: "Funding".into(),
            topic: "C".into(),
            number: 1,
            status: Status::Draft,
            consensus: None,
            text: "Fund the IGF.".into(),
            fields: BTreeMap::from([(Field::Tasks, "Ask donors.".into())]),
            alternatives: vec![Alternative {
                id: "alt-1".into(),
                label: "Voluntary".into(),
                text: "Voluntary funding.".into(),
                proponents: vec!["ana".into()],
                stale: false,
                created_by: "ana".into(),
                created_at: "2012-01-01T00:00:00Z".into(),
            }],
            support: BTreeMap::from([("bo".into(), SupportChoice::Majority)]),
            open_brackets: 0,
            brackets: Vec::new(),
            comments: Vec::new(),
            suggestions: Vec::new(),
            implementation: Vec::new(),
        }
    }

    #[test]
    fn the_same_state_has_no_changes() {
        assert!(compare(Some(&rec()), Some(&rec())).is_empty());
    }

    #[test]
    fn every_part_that_changed_is_said() {
        let old = rec();
        let mut new = rec();
        new.title = "Stable funding".into();
        new.status = Status::Agreed;
        new.consensus = Some(Consensus::Full);
        new.text = "Fund the IGF stably.".into();
        new.fields.insert(Field::Tasks, "Ask all donors.".into());
        new.fields.insert(Field::Timeline, "By 2013.".into());
        new.alternatives[0].proponents.push("cy".into());
        new.alternatives.push(Alternative {
            id: "alt-2".into(),
            label: "Pooled".into(),
            text: "One pooled fund.".into(),
            ..old.alternatives[0].clone()
        });
        new.support
            .insert("cy".into(), SupportChoice::Alternative("alt-2".into()));
        let changes = compare(Some(&old), Some(&new));
        assert_eq!(changes.presence, Presence::Kept);
        assert_eq!(
            changes.title.as_ref().map(|c| c.to.as_str()),
            Some("Stable funding")
        );
        assert_eq!(
            changes.status,
            Some(Change {
                from: Some(Status::Draft),
                to: Some(Status::Agreed)
            })
        );
        assert_eq!(
            changes.consensus,
            Some(Change {
                from: None,
                to: Some(Consensus::Full)
            })
        );
        assert!(
            changes
                .text
                .iter()
                .any(|run| run.op == Op::Insert && run.text.contains("stably"))
        );
        let fields: Vec<Field> = changes.fields.iter().map(|f| f.field).collect();
        assert_eq!(fields, [Field::Tasks, Field::Timeline]);
        let alternatives: Vec<(&str, Presence)> = changes
            .alternatives
            .iter()
            .map(|a| (a.id.as_str(), a.presence))
            .collect();
        assert_eq!(
            alternatives,
            [("alt-1", Presence::Kept), ("alt-2", Presence::Added)]
        );
        assert_eq!(changes.alternatives[0].proponents.to, ["ana", "cy"]);
        let support = changes.support.expect("support changed");
        assert_eq!(support.to["alt-2"], ["cy"]);
    }

    #[test]
    fn an_alternative_or_a_recommendation_added_or_removed_says_so() {
        let old = rec();
        let mut new = rec();
        new.alternatives.clear();
        let changes = compare(Some(&old), Some(&new));
        assert_eq!(changes.alternatives[0].presence, Presence::Removed);
        assert!(
            changes.alternatives[0]
                .runs
                .iter()
                .all(|run| run.op == Op::Delete)
        );
        assert_eq!(compare(None, Some(&new)).presence, Presence::Added);
        assert_eq!(compare(Some(&old), None).presence, Presence::Removed);
    }
}
