//! What is anchored to a text's characters (brackets' records, comments,
//! suggestions), held in place when the server puts a text back.
//!
//! When an editor deletes words they may not change, the server writes
//! them again (see [`crate::EditGuard`]): the words read as before, but
//! they are new characters, with new Yjs ids, and a Yjs id is what a
//! bracket's record and a comment's or a suggestion's anchors hold on to.
//! So the guard notes, before the edit, where each of those stands in the
//! texts it keeps, and after putting a text back, anchors them again at
//! the same places: nobody's bracket, comment or suggestion comes loose
//! because someone else's edit was refused.

use yrs::{Assoc, IndexedSequence, Map, ReadTxn, TextRef, TransactionMut, WriteTxn};

use crate::brackets::{held_in, id_at};
use crate::comments::{Texts, encode};
use crate::recommendation::TextPlace;
use crate::records::{put_record, read_record, records};
use crate::schema::root::{BRACKETS, COMMENTS, SUGGESTIONS};
use crate::suggestions::one_place;

/// A record anchored in a text, and where its passage stood.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Anchored {
    /// The root map it is in.
    map: &'static str,
    id: String,
    from: u32,
    to: u32,
    /// Its two anchors are one place (a suggested insertion).
    one_place: bool,
}

/// Where the records anchored in one text stand, noted before an edit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Anchors {
    records: Vec<Anchored>,
    /// Each bracket with a record, by its id, and where its `[` is.
    brackets: Vec<(String, u32)>,
}

/// The fields every anchored record has.
#[derive(serde::Deserialize)]
struct Anchor {
    id: String,
    location: String,
    start: String,
    end: String,
}

impl Anchors {
    /// Notes where what is anchored in each text at `places` stands (in
    /// their order). The records are read once for all of them: this runs
    /// before every guarded edit.
    pub(crate) fn note<T: ReadTxn>(txn: &T, places: &[TextPlace]) -> Vec<Anchors> {
        let anchors: Vec<(&'static str, Anchor)> = [COMMENTS, SUGGESTIONS]
            .into_iter()
            .flat_map(|map| {
                records::<Anchor, T>(txn, map)
                    .into_iter()
                    .map(move |anchor| (map, anchor))
            })
            .collect();
        let mut texts = Texts::default();
        places
            .iter()
            .map(|place| {
                let location = place.to_string();
                let records = anchors
                    .iter()
                    .filter(|(_, anchor)| anchor.location == location)
                    .filter_map(|(map, anchor)| {
                        let span = texts.span(txn, &location, &anchor.start, &anchor.end)?;
                        Some(Anchored {
                            map,
                            one_place: anchor.start == anchor.end,
                            id: anchor.id.clone(),
                            from: span.from,
                            to: span.to,
                        })
                    })
                    .collect();
                Anchors {
                    records,
                    brackets: held_in(txn, place),
                }
            })
            .collect()
    }

    /// Anchors again, in `text` as it reads once put back, what was noted.
    pub(crate) fn restore(&self, txn: &mut TransactionMut, text: &TextRef) {
        for anchored in &self.records {
            let Some(mut record) =
                read_record::<serde_json::Value, _>(txn, anchored.map, &anchored.id)
            else {
                continue;
            };
            let (start, end) = if anchored.one_place {
                let at = one_place(txn, text, anchored.from);
                (at.clone(), at)
            } else {
                (
                    text.sticky_index(txn, anchored.from, Assoc::After),
                    text.sticky_index(txn, anchored.to, Assoc::Before),
                )
            };
            let (Some(start), Some(end)) = (start, end) else {
                continue;
            };
            let (start, end) = (encode(&start), encode(&end));
            if record["start"] != start.as_str() || record["end"] != end.as_str() {
                record["start"] = start.into();
                record["end"] = end.into();
                put_record(txn, anchored.map, &anchored.id, &record);
            }
        }
        for (id, at) in &self.brackets {
            let Some(now) = id_at(txn, text, *at) else {
                continue;
            };
            if &now == id {
                continue;
            }
            if let Some(record) = read_record::<serde_json::Value, _>(txn, BRACKETS, id) {
                put_record(txn, BRACKETS, &now, &record);
                txn.get_or_insert_map(BRACKETS).remove(txn, id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use yrs::{GetString, Text, Transact};

    use crate::testing::{alternative_text, recommendation};
    use crate::{
        BracketChange, EditPolicy, Editor, Passage, add_comment, add_suggestion, change_bracket,
        read_brackets, read_comments, read_suggestions,
    };

    #[test]
    fn words_put_back_keep_their_bracket_comment_and_suggestion() {
        let doc = recommendation();
        {
            let mut txn = doc.transact_mut();
            let alternative = alternative_text(&mut txn);
            alternative.insert(&mut txn, 0, "[Only] ");
            let id = read_brackets(&txn)[0].id.clone();
            let hold = BracketChange {
                hold: Some(true),
                ..BracketChange::default()
            };
            change_bracket(&mut txn, &id, &hold, "ana", "t").expect("holds");
            let on = |from, to| Passage::at("alternatives/alt-1", from, to);
            add_comment(&mut txn, "k-1", &on(7, 18), "Why?", "bo", "t").expect("comments");
            add_suggestion(&mut txn, "s-1", &on(1, 5), "Mostly", "bo", "t").expect("suggests");
        }
        // A member who does not propose the alternative deletes all of it;
        // the server puts it back.
        let mut txn = doc.transact_mut();
        let mia = Editor {
            user: "mia",
            oversees: false,
        };
        let guard = EditPolicy::of("r/c-7").guard(&txn, mia);
        let alternative = alternative_text(&mut txn);
        let len = alternative.len(&txn);
        alternative.remove_range(&mut txn, 0, len);
        assert!(guard.finish(&mut txn).restored);
        assert_eq!(alternative.get_string(&txn), "[Only] Alternative text.");
        let brackets = read_brackets(&txn);
        assert_eq!(
            brackets[0].record.holders,
            ["ana"],
            "the record follows the new ["
        );
        let comment = &read_comments(&txn)[0];
        assert!(!comment.deleted);
        assert_eq!(comment.passage, "Alternative");
        let suggestion = &read_suggestions(&txn)[0];
        assert!(!suggestion.changed);
        assert_eq!(suggestion.passage, "Only");
    }
}
