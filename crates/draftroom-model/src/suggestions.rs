//! Suggestions: changes a member proposes to a text (an insertion, a
//! deletion, a replacement) that stand marked in it until the vice-chair or
//! the chair accepts them (then they become an edit of the text) or
//! rejects them, or their author withdraws them.
//!
//! A suggestion's passage is anchored as a comment's is (see
//! [`crate::comments`]): its start sticks to the passage's first
//! character, its end to the place after its last; an insertion's two
//! anchors are one place, which sticks to the character after it (or, at
//! the end of the text, to the one before). Accepting replaces whatever
//! lies between the anchors then with the suggested text, so a suggestion
//! accepted while others type elsewhere lands exactly where it was made.
//! One whose passage changed underneath (it no longer reads as it did
//! when suggested) says so, and may still be accepted or rejected.

use serde::{Deserialize, Serialize};
use yrs::{Assoc, IndexedSequence, Map, ReadTxn, StickyIndex, Text, TextRef, TransactionMut};

use crate::ModelError;
use crate::comments::{Passage, Span, Texts, encode, locate, name_of};
use crate::recommendation::{TextPlace, text_to_write};
use crate::records::{oldest_first, put_record, read_record};
use crate::schema::root::SUGGESTIONS;

names!(
    /// Where a suggestion stands: `pending` until it is accepted, rejected
    /// or withdrawn.
    #[derive(Default)]
    SuggestionStatus, "suggestion status",
    #[default]
    Pending => "pending",
    Accepted => "accepted",
    Rejected => "rejected",
    Withdrawn => "withdrawn",
);

names!(
    /// What a suggestion does to its passage.
    SuggestionKind, "suggestion kind",
    Insert => "insert",
    Delete => "delete",
    Replace => "replace",
);

/// A suggestion as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionRecord {
    pub id: String,
    /// The text it is in (see [`TextPlace`]).
    pub location: String,
    /// Its passage's start and end: Yjs relative positions, encoded (v1)
    /// in base64; one place for an insertion.
    pub start: String,
    pub end: String,
    pub kind: SuggestionKind,
    /// The passage as it read when suggested (empty for an insertion).
    pub quote: String,
    /// What is to stand in its place (empty for a deletion).
    pub text: String,
    pub author: String,
    pub at: String,
    #[serde(default)]
    pub status: SuggestionStatus,
    /// Who accepted, rejected or withdrew it, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
}

/// A suggestion as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    #[serde(flatten)]
    pub record: SuggestionRecord,
    /// What a reader calls its text.
    pub text_name: String,
    /// Its passage as it reads now.
    pub passage: String,
    /// The passage changed underneath since it was suggested (deleted,
    /// rewritten, or text typed inside it).
    pub changed: bool,
}

/// Adds a suggestion by `author` at `now`: `text` in place of `passage`
/// (an empty passage, at one place, is an insertion; an empty text, a
/// deletion).
pub fn add_suggestion(
    txn: &mut TransactionMut,
    id: &str,
    passage: &Passage,
    text: &str,
    author: &str,
    now: &str,
) -> Result<Suggestion, ModelError> {
    let place: TextPlace = passage.location.parse()?;
    let target = text_to_write(txn, &place)
        .ok_or_else(|| ModelError::Invalid(format!("no text {} here", passage.location)))?;
    let found = locate(txn, &target, passage, true)?;
    let kind = match (found.quote.is_empty(), text.is_empty()) {
        (true, true) => {
            return Err(ModelError::Invalid(
                "a suggestion inserts, deletes or replaces some words: this one does none".into(),
            ));
        }
        (true, false) => SuggestionKind::Insert,
        (false, true) => SuggestionKind::Delete,
        (false, false) => SuggestionKind::Replace,
    };
    let (start, end) = if kind == SuggestionKind::Insert {
        let at = one_place(txn, &target, found.from);
        (at.clone(), at)
    } else {
        (
            target.sticky_index(txn, found.from, Assoc::After),
            target.sticky_index(txn, found.to, Assoc::Before),
        )
    };
    let (Some(start), Some(end)) = (start, end) else {
        return Err(ModelError::Invalid(
            "the passage is outside the text".into(),
        ));
    };
    let record = SuggestionRecord {
        id: id.to_owned(),
        location: place.to_string(),
        start: encode(&start),
        end: encode(&end),
        kind,
        quote: found.quote,
        text: text.to_owned(),
        author: author.to_owned(),
        at: now.to_owned(),
        status: SuggestionStatus::Pending,
        decided_by: None,
        decided_at: None,
    };
    put_record(txn, SUGGESTIONS, id, &record);
    Ok(view(txn, &mut Texts::default(), record))
}

/// The anchor of one place in `text`, at offset `at`: it sticks to the
/// character after it, or, at the end, to the one before.
pub(crate) fn one_place<T: ReadTxn>(txn: &T, text: &TextRef, at: u32) -> Option<StickyIndex> {
    if at < text.len(txn) {
        text.sticky_index(txn, at, Assoc::After)
    } else {
        text.sticky_index(txn, at, Assoc::Before)
    }
}

/// Where a suggestion's passage is now, in its text.
fn span_of<T: ReadTxn>(txn: &T, texts: &mut Texts, record: &SuggestionRecord) -> Option<Span> {
    texts.span(txn, &record.location, &record.start, &record.end)
}

fn view<T: ReadTxn>(txn: &T, texts: &mut Texts, record: SuggestionRecord) -> Suggestion {
    let passage = span_of(txn, texts, &record)
        .map(|span| span.reads)
        .unwrap_or_default();
    Suggestion {
        text_name: name_of(txn, &record.location),
        changed: passage != record.quote,
        passage,
        record,
    }
}

/// Every suggestion's record, oldest first.
fn records<T: ReadTxn>(txn: &T) -> Vec<SuggestionRecord> {
    oldest_first(txn, SUGGESTIONS, |record: &SuggestionRecord| {
        (&record.at, &record.id)
    })
}

/// Every suggestion, oldest first.
pub fn read_suggestions<T: ReadTxn>(txn: &T) -> Vec<Suggestion> {
    let mut texts = Texts::default();
    records(txn)
        .into_iter()
        .map(|record| view(txn, &mut texts, record))
        .collect()
}

/// How many suggestions wait for a decision.
pub(crate) fn pending_count<T: ReadTxn>(txn: &T) -> usize {
    records(txn)
        .iter()
        .filter(|record| record.status == SuggestionStatus::Pending)
        .count()
}

/// How many suggestions the recommendation holds, whatever became of them.
pub fn suggestion_count<T: ReadTxn>(txn: &T) -> usize {
    txn.get_map(SUGGESTIONS)
        .map_or(0, |map| map.len(txn) as usize)
}

/// Suggestion `id`'s record.
pub fn suggestion_record<T: ReadTxn>(txn: &T, id: &str) -> Result<SuggestionRecord, ModelError> {
    read_record(txn, SUGGESTIONS, id).ok_or_else(|| ModelError::NoSuchSuggestion(id.to_owned()))
}

/// The pending suggestions of `author`, oldest first.
pub fn pending_of<T: ReadTxn>(txn: &T, author: &str) -> Vec<String> {
    records(txn)
        .into_iter()
        .filter(|record| record.author == author && record.status == SuggestionStatus::Pending)
        .map(|record| record.id)
        .collect()
}

/// Refuses to close suggestion `id` as `status` unless it may be: it is
/// pending, and, to be accepted, its place is still in its text.
pub fn check_decision<T: ReadTxn>(
    txn: &T,
    id: &str,
    status: SuggestionStatus,
) -> Result<(), ModelError> {
    checked(txn, id, status).map(|_| ())
}

/// As [`check_decision`], answering the suggestion's record and, to be
/// accepted, where its passage is now.
fn checked<T: ReadTxn>(
    txn: &T,
    id: &str,
    status: SuggestionStatus,
) -> Result<(SuggestionRecord, Option<Span>), ModelError> {
    let record = suggestion_record(txn, id)?;
    if record.status != SuggestionStatus::Pending {
        return Err(ModelError::Invalid(format!(
            "this suggestion was {} already",
            record.status
        )));
    }
    if status != SuggestionStatus::Accepted {
        return Ok((record, None));
    }
    let span = span_of(txn, &mut Texts::default(), &record).ok_or_else(|| {
        ModelError::Invalid("the suggestion's place is gone from its text".into())
    })?;
    Ok((record, Some(span)))
}

/// Closes suggestion `id` as `status` (accepted, rejected, withdrawn) by
/// `user` at `now`. Accepting edits the text: whatever lies between its
/// anchors now is replaced with the suggested text. Returns it.
pub fn decide_suggestion(
    txn: &mut TransactionMut,
    id: &str,
    status: SuggestionStatus,
    user: &str,
    now: &str,
) -> Result<Suggestion, ModelError> {
    let (mut record, span) = checked(txn, id, status)?;
    if let Some(span) = span {
        let place: TextPlace = record.location.parse()?;
        let text = text_to_write(txn, &place)
            .ok_or_else(|| ModelError::Invalid("the suggestion's text is gone".into()))?;
        if span.to > span.from {
            text.remove_range(txn, span.from, span.to - span.from);
        }
        if !record.text.is_empty() {
            text.insert(txn, span.from, &record.text);
        }
    }
    record.status = status;
    record.decided_by = Some(user.to_owned());
    record.decided_at = Some(now.to_owned());
    put_record(txn, SUGGESTIONS, id, &record);
    Ok(view(txn, &mut Texts::default(), record))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::root::TEXT;
    use crate::testing::recommendation;
    use yrs::{GetString, Transact, WriteTxn};

    fn at(from: u32, to: u32) -> Passage {
        Passage::at("text", from, to)
    }

    #[test]
    fn accepted_suggestions_land_where_they_were_made_whatever_was_typed_around_them() {
        let doc = recommendation();
        let mut txn = doc.transact_mut();
        let majority = txn.get_or_insert_text(TEXT);
        // "Majority – text."
        let replace =
            add_suggestion(&mut txn, "s-1", &at(11, 15), "wording", "ana", "t1").expect("suggests");
        assert_eq!(replace.record.kind, SuggestionKind::Replace);
        let insert = add_suggestion(&mut txn, "s-2", &at(16, 16), " Agreed.", "ana", "t2")
            .expect("at the end");
        assert_eq!(insert.record.kind, SuggestionKind::Insert);
        let delete = add_suggestion(&mut txn, "s-3", &at(0, 9), "", "bo", "t3").expect("deletes");
        assert_eq!(delete.record.kind, SuggestionKind::Delete);
        assert!(add_suggestion(&mut txn, "s-4", &at(3, 3), "", "bo", "t").is_err());
        // Others type before, between and after.
        majority.insert(&mut txn, 0, "New ");
        majority.insert(&mut txn, 20, "!");
        assert_eq!(majority.get_string(&txn), "New Majority – text.!");
        for id in ["s-1", "s-2"] {
            decide_suggestion(&mut txn, id, SuggestionStatus::Accepted, "vic", "t5")
                .expect("accepts");
        }
        assert_eq!(
            majority.get_string(&txn),
            "New Majority – wording. Agreed.!"
        );
        decide_suggestion(&mut txn, "s-3", SuggestionStatus::Rejected, "vic", "t6")
            .expect("rejects");
        assert!(
            decide_suggestion(&mut txn, "s-3", SuggestionStatus::Accepted, "vic", "t7").is_err()
        );
        let read = read_suggestions(&txn);
        let statuses: Vec<_> = read.iter().map(|s| s.record.status).collect();
        assert_eq!(
            statuses,
            [
                SuggestionStatus::Accepted,
                SuggestionStatus::Accepted,
                SuggestionStatus::Rejected
            ]
        );
    }

    #[test]
    fn a_passage_changed_underneath_says_so_and_may_still_be_accepted() {
        let doc = recommendation();
        let mut txn = doc.transact_mut();
        let majority = txn.get_or_insert_text(TEXT);
        add_suggestion(&mut txn, "s-1", &at(11, 15), "wording", "ana", "t1").expect("suggests");
        majority.insert(&mut txn, 13, "XX");
        let [changed] = read_suggestions(&txn).try_into().expect("one");
        assert!(changed.changed);
        assert_eq!(changed.passage, "teXXxt");
        decide_suggestion(&mut txn, "s-1", SuggestionStatus::Accepted, "vic", "t2")
            .expect("accepts");
        assert_eq!(majority.get_string(&txn), "Majority – wording.");
        assert_eq!(pending_of(&txn, "ana"), Vec::<String>::new());
        assert_eq!(suggestion_count(&txn), 1);
    }
}
