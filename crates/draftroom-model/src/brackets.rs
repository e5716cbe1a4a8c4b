//! Brackets: square brackets mark text a group has not yet agreed, and
//! each bracketed passage is a bracket the group works on (who holds it,
//! why, where it stands) until it is cleared.
//!
//! A bracket is found in the text itself, wherever a `[` opens one, in the
//! majority text, a structured field or an alternative. Its identity is
//! the Yjs id of that `[` character (its client and clock), which never
//! changes however the text is edited around it or inside it, and which a
//! Yjs client reads as `createRelativePositionFromTypeIndex(text, index)`.
//! What the group says about it (holders, reason, state) is a record under
//! that id in the recommendation's `brackets` map, which only the server
//! writes. A bracket nobody has said anything about has no record and is
//! open. Clearing one is an edit of the text: the brackets go, the chosen
//! option stays, and the record keeps what was cleared and how.

use serde::{Deserialize, Serialize};
use yrs::{Assoc, GetString, IndexedSequence, Map, Out, ReadTxn, Text, TextRef, TransactionMut};

use crate::ModelError;
use crate::comments::name_of;
use crate::recommendation::{
    TextPlace, every_text, offset_kind_of, offset_len, text_at, text_name, text_to_write,
};
use crate::records::{from_any, put_record, read_record};
use crate::schema::root::BRACKETS;

names!(
    /// Where a bracket stands: `open` until the group agrees its text,
    /// `ad-referendum` when agreed subject to confirmation, `pending` while
    /// one delegation (named) still has to say, `cleared` once its brackets
    /// are gone from the text.
    #[derive(Default)]
    BracketState, "bracket state",
    #[default]
    Open => "open",
    AdReferendum => "ad-referendum",
    Pending => "pending",
    Cleared => "cleared",
);

/// A bracketed passage of a text, by its characters (Unicode scalar
/// values): `[` at `start`, and its `]` at `end - 1` when `closed`; an
/// unclosed bracket runs to the end of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub closed: bool,
}

/// Every bracketed passage of `text`, in the order they open. A bracket
/// inside another is one of its own; a `]` that closes nothing is text.
pub fn bracket_spans(text: &str) -> Vec<Span> {
    let mut open = Vec::new();
    let mut spans = Vec::new();
    let mut length = 0;
    for (i, c) in text.chars().enumerate() {
        length = i + 1;
        match c {
            '[' => open.push(i),
            ']' => {
                if let Some(start) = open.pop() {
                    spans.push(Span {
                        start,
                        end: i + 1,
                        closed: true,
                    });
                }
            }
            _ => {}
        }
    }
    spans.extend(open.into_iter().map(|start| Span {
        start,
        end: length,
        closed: false,
    }));
    spans.sort_by_key(|span| span.start);
    spans
}

/// How many bracketed passages a text has: each `[` opens one. In a draft,
/// square brackets mark text not yet agreed, so this is the count a group
/// works down to zero.
pub fn open_brackets(text: &str) -> usize {
    bracket_spans(text).len()
}

/// The options a bracketed passage holds (`[shall/should]`: `shall` and
/// `should`), split at each `/` outside brackets nested in it; a passage
/// with no `/` is its one option.
pub fn options(inner: &str) -> Vec<String> {
    let mut options = vec![String::new()];
    let mut depth = 0usize;
    for c in inner.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '/' if depth == 0 => {
                options.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = options.last_mut() {
            last.push(c);
        }
    }
    options.into_iter().map(|o| o.trim().to_owned()).collect()
}

/// A bracket as a reader sees it: where it is, what it reads, and what the
/// group says about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bracket {
    /// The Yjs id of its `[`: `{client}-{clock}`.
    pub id: String,
    /// The text it is in (see [`TextPlace`]).
    pub location: String,
    /// What a reader calls that text.
    pub text_name: String,
    /// What it reads, its brackets included (when cleared: as it read).
    pub passage: String,
    /// Its options (one, when it holds no `/`).
    pub options: Vec<String>,
    /// Whether its `]` is there.
    pub closed: bool,
    #[serde(flatten)]
    pub record: BracketRecord,
}

/// What the group says about a bracket: its record in the `brackets` map.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BracketRecord {
    #[serde(default)]
    pub state: BracketState,
    /// Users or delegations who hold it.
    #[serde(default)]
    pub holders: Vec<String>,
    #[serde(default)]
    pub reason: String,
    /// While `pending`: the delegation the group waits for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<String>,
    /// Who last changed the record, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_at: Option<String>,
    /// Once cleared: the text it was in, what it read and what stayed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleared: Option<Cleared>,
}

impl BracketRecord {
    /// Where the bracket stands, as a sentence says it.
    pub fn state_text(&self) -> String {
        match self.state {
            BracketState::Open => "open".to_owned(),
            BracketState::AdReferendum => "agreed ad referendum".to_owned(),
            BracketState::Pending => format!(
                "pending {}",
                self.pending.as_deref().unwrap_or("a delegation")
            ),
            BracketState::Cleared => "cleared".to_owned(),
        }
    }
}

/// How a bracket was cleared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cleared {
    pub location: String,
    pub passage: String,
    /// What stayed in the text in its place (empty: the passage went).
    pub kept: String,
}

/// The most brackets read as objects from one recommendation. A draft
/// holds a few dozen; past this many, its texts are a heap of brackets, and
/// finding each one's identity (a walk of its text) would cost the server
/// dearly on every edit. They still count as open.
pub const MAX_BRACKETS: usize = 300;

/// The most characters of a bracket's passage a reader is shown.
const MAX_PASSAGE_CHARS: usize = 2000;

/// A bracket found in a text, before its record is joined to it.
struct Found {
    place: TextPlace,
    id: String,
    span: Span,
    /// Where its `[` is, in the text's offsets.
    at: u32,
    /// What it reads, at most [`MAX_PASSAGE_CHARS`] of it.
    passage: String,
}

/// The brackets the document's texts hold now, in the order of the texts
/// (majority, fields, alternatives) and of the passages in each: the first
/// [`MAX_BRACKETS`] of them.
fn found<T: ReadTxn>(txn: &T) -> Vec<Found> {
    let mut found = Vec::new();
    for place in every_text(txn) {
        found_in(txn, &place, &mut found);
    }
    found
}

/// Adds to `found` the brackets of the text at `place`, up to
/// [`MAX_BRACKETS`] in all.
fn found_in<T: ReadTxn>(txn: &T, place: &TextPlace, found: &mut Vec<Found>) {
    let Some(text) = text_at(txn, place) else {
        return;
    };
    let string = text.get_string(txn);
    let kind = offset_kind_of(txn, &text, &string);
    let chars: Vec<char> = string.chars().collect();
    // Offsets run on from one bracket to the next: one pass of the text.
    let (mut at, mut counted) = (0u32, 0usize);
    for span in bracket_spans(&string) {
        if found.len() >= MAX_BRACKETS {
            return;
        }
        at += offset_len(&chars[counted..span.start], kind);
        counted = span.start;
        let Some(id) = id_at(txn, &text, at) else {
            continue;
        };
        let shown = span.end.min(span.start + MAX_PASSAGE_CHARS);
        found.push(Found {
            place: place.clone(),
            id,
            passage: chars[span.start..shown].iter().collect(),
            span,
            at,
        });
    }
}

/// The id of a bracket whose `[` is at offset `at` of `text`: that
/// character's Yjs id.
pub(crate) fn id_at<T: ReadTxn>(txn: &T, text: &TextRef, at: u32) -> Option<String> {
    text.sticky_index(txn, at, Assoc::After).and_then(|index| {
        index
            .id()
            .map(|id| format!("{}-{}", id.client.get(), id.clock))
    })
}

/// The brackets of the text at `place` that have a record, by their ids,
/// with where each one's `[` is.
pub(crate) fn held_in<T: ReadTxn>(txn: &T, place: &TextPlace) -> Vec<(String, u32)> {
    let Some(records) = txn.get_map(BRACKETS).filter(|map| map.len(txn) > 0) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    found_in(txn, place, &mut found);
    found
        .into_iter()
        .filter(|found| records.contains_key(txn, &found.id))
        .map(|found| (found.id, found.at))
        .collect()
}

/// The reason given for bracket `id`, if any.
pub fn bracket_reason<T: ReadTxn>(txn: &T, id: &str) -> String {
    read_record::<BracketRecord, T>(txn, BRACKETS, id)
        .map(|record| record.reason)
        .unwrap_or_default()
}

/// Who holds the brackets the document's texts hold, each once, in order.
pub(crate) fn open_bracket_holders<T: ReadTxn>(txn: &T) -> Vec<String> {
    found(txn)
        .iter()
        .filter_map(|found| read_record::<BracketRecord, T>(txn, BRACKETS, &found.id))
        .flat_map(|record| record.holders)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The inside of a bracket's passage: without its `[`, and its `]` if it
/// has one.
fn inside(passage: &str, closed: bool) -> String {
    let mut chars = passage.chars();
    chars.next();
    if closed {
        chars.next_back();
    }
    chars.collect()
}

impl Found {
    fn into_bracket<T: ReadTxn>(self, txn: &T) -> Bracket {
        let whole = self.span.end - self.span.start == self.passage.chars().count();
        let inner = inside(&self.passage, self.span.closed && whole);
        Bracket {
            record: read_record(txn, BRACKETS, &self.id).unwrap_or_default(),
            text_name: text_name(txn, &self.place),
            id: self.id,
            location: self.place.to_string(),
            options: options(&inner),
            passage: self.passage,
            closed: self.span.closed,
        }
    }
}

/// Every bracket of a recommendation: those its texts hold now, then those
/// cleared (newest record last).
pub fn read_brackets<T: ReadTxn>(txn: &T) -> Vec<Bracket> {
    let mut brackets: Vec<Bracket> = found(txn)
        .into_iter()
        .map(|found| found.into_bracket(txn))
        .collect();
    let mut cleared: Vec<(String, BracketRecord)> = txn
        .get_map(BRACKETS)
        .map(|map| {
            map.iter(txn)
                .filter_map(|(id, value)| match value {
                    Out::Any(value) => from_any::<BracketRecord>(&value)
                        .filter(|record| record.cleared.is_some())
                        .map(|record| (id.to_owned(), record)),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    cleared.sort_by(|a, b| (&a.1.changed_at, &a.0).cmp(&(&b.1.changed_at, &b.0)));
    brackets.extend(cleared.into_iter().filter_map(|(id, record)| {
        let cleared = record.cleared.clone()?;
        Some(Bracket {
            id,
            text_name: name_of(txn, &cleared.location),
            location: cleared.location,
            options: Vec::new(),
            passage: cleared.passage,
            closed: true,
            record,
        })
    }));
    brackets
}

/// The brackets the texts hold now and that are not cleared: the ones an
/// adoption would leave open.
pub fn uncleared_brackets<T: ReadTxn>(txn: &T) -> Vec<Bracket> {
    read_brackets(txn)
        .into_iter()
        .filter(|bracket| bracket.record.cleared.is_none())
        .collect()
}

/// A change to a bracket. Who may make which is the caller's to check:
/// `hold` is a person's own; the rest is the vice-chair's and the chair's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BracketChange {
    /// The person changing it holds it (`true`) or no longer does.
    pub hold: Option<bool>,
    pub holders: Option<Vec<String>>,
    pub reason: Option<String>,
    pub state: Option<BracketState>,
    /// With `pending`: the delegation waited for.
    pub pending: Option<String>,
    /// With `cleared`: which option stays (by its place in the list), or
    /// none (the whole passage goes). A bracket of one option keeps it
    /// unless told otherwise.
    pub keep: Keep,
}

/// What stays of a bracket's passage when it is cleared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Keep {
    /// Its only option; a bracket of several must say which.
    #[default]
    Only,
    /// The option at this place in its list.
    Option(usize),
    /// Nothing: the passage goes.
    Nothing,
}

/// Changes bracket `id` as `user` at `now`; returns it as it then stands.
pub fn change_bracket(
    txn: &mut TransactionMut,
    id: &str,
    change: &BracketChange,
    user: &str,
    now: &str,
) -> Result<Bracket, ModelError> {
    let Some(found) = found(txn).into_iter().find(|found| found.id == id) else {
        return Err(ModelError::NoSuchBracket(id.to_owned()));
    };
    let (place, span) = (found.place.clone(), found.span);
    let mut bracket = found.into_bracket(txn);
    let record = &mut bracket.record;
    if let Some(hold) = change.hold {
        record.holders.retain(|holder| holder != user);
        if hold {
            record.holders.push(user.to_owned());
        }
    }
    if let Some(holders) = &change.holders {
        let mut holders: Vec<String> = holders
            .iter()
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
            .collect();
        holders.dedup();
        record.holders = holders;
    }
    if let Some(reason) = &change.reason {
        record.reason = reason.trim().to_owned();
    }
    match change.state {
        Some(BracketState::Pending) => {
            let Some(delegation) = change
                .pending
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
            else {
                return Err(ModelError::Invalid(
                    "a pending bracket waits for one delegation: name it".into(),
                ));
            };
            record.state = BracketState::Pending;
            record.pending = Some(delegation.to_owned());
        }
        Some(BracketState::Cleared) => {
            if !span.closed {
                return Err(ModelError::Invalid(
                    "this bracket has no “]”: close it in the text first, so that clearing it does not take the rest of the text".into(),
                ));
            }
            let whole = text_at(txn, &place)
                .map(|text| {
                    let passage: String = text
                        .get_string(txn)
                        .chars()
                        .skip(span.start)
                        .take(span.end - span.start)
                        .collect();
                    passage
                })
                .unwrap_or_default();
            bracket.options = options(&inside(&whole, true));
            bracket.passage = whole;
            let kept = kept(&bracket, change.keep)?;
            replace_span(txn, &place, span, &kept)?;
            bracket.record.state = BracketState::Cleared;
            bracket.record.pending = None;
            bracket.record.cleared = Some(Cleared {
                location: bracket.location.clone(),
                passage: bracket.passage.clone(),
                kept,
            });
        }
        Some(state) => {
            record.state = state;
            record.pending = None;
        }
        None => {}
    }
    bracket.record.changed_by = Some(user.to_owned());
    bracket.record.changed_at = Some(now.to_owned());
    put_record(txn, BRACKETS, id, &bracket.record);
    Ok(bracket)
}

/// What stays of `bracket`'s passage when it is cleared keeping `keep`.
fn kept(bracket: &Bracket, keep: Keep) -> Result<String, ModelError> {
    match keep {
        Keep::Nothing => Ok(String::new()),
        Keep::Only if bracket.options.len() == 1 => Ok(bracket.options[0].clone()),
        Keep::Only => Err(ModelError::Invalid(format!(
            "this bracket holds {} options ({}): say which one stays, or that none does",
            bracket.options.len(),
            bracket.options.join(" / ")
        ))),
        Keep::Option(i) => bracket.options.get(i).cloned().ok_or_else(|| {
            ModelError::Invalid(format!(
                "this bracket holds {} options: there is no option {}",
                bracket.options.len(),
                i + 1
            ))
        }),
    }
}

/// Replaces the characters of `span` in the text at `place` with `with`.
fn replace_span(
    txn: &mut TransactionMut,
    place: &TextPlace,
    span: Span,
    with: &str,
) -> Result<(), ModelError> {
    let text = text_to_write(txn, place)
        .ok_or_else(|| ModelError::Invalid("the bracket's text is gone".into()))?;
    let chars: Vec<char> = text.get_string(txn).chars().collect();
    let kind = txn.doc().offset_kind();
    let at = offset_len(&chars[..span.start], kind);
    let len = offset_len(&chars[span.start..span.end], kind);
    text.remove_range(txn, at, len);
    if !with.is_empty() {
        text.insert(txn, at, with);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Protected;
    use crate::schema::root::TEXT;
    use crate::testing::recommendation;
    use yrs::updates::decoder::Decode;
    use yrs::{Doc, Map, ReadTxn, Transact, Update, WriteTxn};

    fn write(doc: &Doc, at: u32, text: &str) {
        let mut txn = doc.transact_mut();
        let majority = txn.get_or_insert_text(TEXT);
        majority.insert(&mut txn, at, text);
    }

    fn sync(from: &Doc, to: &Doc) {
        let update = from
            .transact()
            .encode_state_as_update_v1(&to.transact().state_vector());
        to.transact_mut()
            .apply_update(Update::decode_v1(&update).expect("decodes"))
            .expect("applies");
    }

    fn brackets(doc: &Doc) -> Vec<Bracket> {
        read_brackets(&doc.transact())
    }

    #[test]
    fn a_bracket_keeps_its_identity_and_holders_through_concurrent_edits() {
        let one = recommendation();
        write(&one, 0, "States [shall/should] act. ");
        let [bracket] = brackets(&one).try_into().expect("one bracket");
        assert_eq!(bracket.location, "text");
        assert_eq!(bracket.options, ["shall", "should"]);
        let change = BracketChange {
            hold: Some(true),
            reason: Some("needs capital".into()),
            ..BracketChange::default()
        };
        change_bracket(&mut one.transact_mut(), &bracket.id, &change, "ana", "t1").expect("holds");

        // A second replica inserts before the bracket while the first
        // inserts inside it; both then hear each other.
        let two = Doc::with_options(yrs::Options {
            offset_kind: yrs::OffsetKind::Utf16,
            ..yrs::Options::default()
        });
        sync(&one, &two);
        write(&two, 0, "All ");
        write(&one, 8, "[may/]");
        sync(&one, &two);
        sync(&two, &one);
        for doc in [&one, &two] {
            let found = brackets(doc);
            assert_eq!(
                doc.get_or_insert_text(TEXT).get_string(&doc.transact()),
                "All States [[may/]shall/should] act. Majority – text."
            );
            let outer = found.iter().find(|b| b.id == bracket.id).expect("same id");
            assert_eq!(outer.passage, "[[may/]shall/should]");
            assert_eq!(outer.options, ["[may/]shall", "should"]);
            assert_eq!(outer.record.holders, ["ana"]);
            assert_eq!(outer.record.reason, "needs capital");
            assert_eq!(found.len(), 2, "the inner bracket is one of its own");
        }
    }

    #[test]
    fn states_change_and_clearing_keeps_the_chosen_option() {
        let doc = recommendation();
        write(&doc, 0, "States [shall/should] act [now]. ");
        let ids: Vec<String> = brackets(&doc).into_iter().map(|b| b.id).collect();
        let mut txn = doc.transact_mut();
        let pending = BracketChange {
            state: Some(BracketState::Pending),
            ..BracketChange::default()
        };
        assert!(change_bracket(&mut txn, &ids[0], &pending, "vic", "t").is_err());
        let pending = BracketChange {
            pending: Some("Brazil".into()),
            ..pending
        };
        let changed = change_bracket(&mut txn, &ids[0], &pending, "vic", "t").expect("pending");
        assert_eq!(changed.record.pending.as_deref(), Some("Brazil"));

        let clear = BracketChange {
            state: Some(BracketState::Cleared),
            ..BracketChange::default()
        };
        let refused = change_bracket(&mut txn, &ids[0], &clear, "vic", "t").expect_err("which?");
        assert!(refused.to_string().contains("shall / should"), "{refused}");
        let keep_second = BracketChange {
            keep: Keep::Option(1),
            ..clear.clone()
        };
        change_bracket(&mut txn, &ids[0], &keep_second, "vic", "t2").expect("clears");
        change_bracket(&mut txn, &ids[1], &clear, "vic", "t3").expect("clears the only option");
        assert_eq!(
            txn.get_or_insert_text(TEXT).get_string(&txn),
            "States should act now. Majority – text."
        );
        // An unclosed bracket is not cleared: it would take the rest of the text.
        txn.get_or_insert_text(TEXT).insert(&mut txn, 0, "[Open ");
        let unclosed = read_brackets(&txn)[0].id.clone();
        assert!(change_bracket(&mut txn, &unclosed, &clear, "vic", "t3").is_err());
        txn.get_or_insert_text(TEXT).remove_range(&mut txn, 0, 6);
        let read = read_brackets(&txn);
        assert_eq!(read.len(), 2);
        assert!(read.iter().all(|b| b.record.state == BracketState::Cleared));
        let cleared = read[0].record.cleared.clone().expect("cleared");
        assert_eq!(
            (cleared.passage.as_str(), cleared.kept.as_str()),
            ("[shall/should]", "should")
        );
        assert!(uncleared_brackets(&txn).is_empty());
        assert!(change_bracket(&mut txn, &ids[0], &clear, "vic", "t4").is_err());
    }

    #[test]
    fn brackets_in_fields_and_alternatives_count_and_records_are_the_servers() {
        let doc = recommendation();
        {
            let mut txn = doc.transact_mut();
            let tasks = txn.get_or_insert_text("tasks");
            tasks.insert(&mut txn, 0, "Fund [it]");
            crate::testing::alternative_text(&mut txn).insert(&mut txn, 0, "[Never] ");
        }
        let found = brackets(&doc);
        let places: Vec<&str> = found.iter().map(|b| b.location.as_str()).collect();
        assert_eq!(places, ["tasks", "alternatives/alt-1"]);
        let hold = BracketChange {
            hold: Some(true),
            ..BracketChange::default()
        };
        change_bracket(&mut doc.transact_mut(), &found[0].id, &hold, "ana", "t").expect("holds");
        // A client that forges a record is put back.
        let before = Protected::capture(&doc.transact());
        let mut txn = doc.transact_mut();
        let records = txn.get_or_insert_map(BRACKETS);
        records.remove(&mut txn, &found[0].id);
        records.insert(&mut txn, "1-1", "forged");
        assert!(before.restore(&mut txn));
        drop(txn);
        let found = brackets(&doc);
        assert_eq!(found[0].record.holders, ["ana"]);
        let txn = doc.transact();
        assert_eq!(txn.get_map(BRACKETS).map(|m| m.len(&txn)), Some(1));
    }

    #[test]
    fn counts_bracketed_passages() {
        assert_eq!(open_brackets("no brackets"), 0);
        assert_eq!(open_brackets("fund [the IGF] through [UN DESA]"), 2);
        assert_eq!(open_brackets("an [unclosed passage"), 1);
        assert_eq!(open_brackets("a stray ] closes nothing"), 0);
    }

    #[test]
    fn spans_nest_and_an_unclosed_one_runs_to_the_end() {
        let spans = bracket_spans("a [b [c] d] e [f");
        assert_eq!(
            spans,
            vec![
                Span {
                    start: 2,
                    end: 11,
                    closed: true
                },
                Span {
                    start: 5,
                    end: 8,
                    closed: true
                },
                Span {
                    start: 14,
                    end: 16,
                    closed: false
                },
            ]
        );
    }

    #[test]
    fn options_split_at_slashes_outside_nested_brackets() {
        assert_eq!(options("shall/should"), ["shall", "should"]);
        assert_eq!(options(" shall / [may/can] "), ["shall", "[may/can]"]);
        assert_eq!(options("the IGF"), ["the IGF"]);
    }
}
