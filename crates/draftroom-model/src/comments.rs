//! Comments anchored to a passage of a recommendation's text: the
//! majority text, a field or an alternative, with replies, resolved and
//! reopened.
//!
//! A comment's passage is held by two Yjs relative positions (yrs's sticky
//! indexes): its start sticks to the passage's first character, its end
//! to the place after its last, so text typed before the passage, or
//! after it, moves the passage without changing it, and text typed inside
//! it grows it. The positions are stored encoded (v1, base64), as a Yjs
//! client encodes a relative position, so the web app resolves them in its
//! own copy of the document. A passage deleted leaves both positions in
//! the same place: the comment stays, marked so, with the words it was
//! about (`quote`). Comments are records in the `comments` map, which only
//! the server writes.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use yrs::branch::{Branch, BranchPtr};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Assoc, GetString, IndexedSequence, ReadTxn, StickyIndex, TextRef, TransactionMut};

use crate::ModelError;
use crate::recommendation::{TextPlace, offset_kind_of, text_at, text_name};
use crate::records::{oldest_first, put_record, read_record};
use crate::schema::root::COMMENTS;

/// A comment as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentRecord {
    pub id: String,
    /// The text it is in (see [`TextPlace`]).
    pub location: String,
    /// Where its passage starts and ends: Yjs relative positions, encoded
    /// (v1) in base64.
    pub start: String,
    pub end: String,
    /// The passage as it read when the comment was made.
    pub quote: String,
    pub author: String,
    pub at: String,
    pub body: String,
    #[serde(default)]
    pub replies: Vec<Reply>,
    /// Who resolved it and when, while it is resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<Resolved>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub author: String,
    pub at: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolved {
    pub by: String,
    pub at: String,
}

/// A comment as a reader sees it: its record, and where its passage is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    #[serde(flatten)]
    pub record: CommentRecord,
    /// What a reader calls its text.
    pub text_name: String,
    /// The passage as it reads now (empty once deleted).
    pub passage: String,
    /// Its passage was deleted: only `quote` tells what it was about.
    pub deleted: bool,
}

/// Where a new comment goes: a passage of the text at `location`, from
/// offset `from` to `to` (counted as the document counts, in UTF-16 code
/// units as Yjs and JavaScript do). If the caller saw the passage read
/// `quote`, and the text changed since, the passage reading `quote`
/// nearest those offsets is taken: the comment lands on the words its
/// author chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub location: String,
    pub from: u32,
    pub to: u32,
    pub quote: Option<String>,
}

impl Passage {
    /// The passage from offset `from` to `to` of the text at `location`,
    /// as the caller sees it now.
    pub fn at(location: &str, from: u32, to: u32) -> Passage {
        Passage {
            location: location.to_owned(),
            from,
            to,
            quote: None,
        }
    }
}

/// The UTF-16 (or byte) offsets of `text`'s characters, and its length.
fn offsets(string: &str, kind: yrs::OffsetKind) -> Vec<u32> {
    let mut at = 0u32;
    let mut offsets = Vec::with_capacity(string.len() + 1);
    for c in string.chars() {
        offsets.push(at);
        let units = match kind {
            yrs::OffsetKind::Bytes => c.len_utf8(),
            yrs::OffsetKind::Utf16 => c.len_utf16(),
        };
        at += u32::try_from(units).unwrap_or(1);
    }
    offsets.push(at);
    offsets
}

/// A passage found in a text: its offsets, and what it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) from: u32,
    pub(crate) to: u32,
    pub(crate) reads: String,
}

/// Finds `passage` in `text`: where it is asked, or, if it does not read
/// there as its quote says, where the quote reads nearest. An empty
/// passage (one place) is found only if `one_place` allows it.
pub(crate) fn locate<T: ReadTxn>(
    txn: &T,
    text: &TextRef,
    passage: &Passage,
    one_place: bool,
) -> Result<Found, ModelError> {
    if passage
        .quote
        .as_ref()
        .is_some_and(|quote| quote.chars().nth(MAX_PASSAGE_CHARS).is_some())
    {
        return Err(too_long());
    }
    let string = text.get_string(txn);
    let kind = offset_kind_of(txn, text, &string);
    let offsets = offsets(&string, kind);
    let chars: Vec<char> = string.chars().collect();
    // The character index at `offset`, if a character starts there.
    let index = |offset: u32| offsets.binary_search(&offset).ok();
    let reads = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    let asked = match (index(passage.from), index(passage.to)) {
        (Some(from), Some(to)) if from < to || (one_place && from == to) => Some((from, to)),
        _ => None,
    };
    let (from, to) = match (&passage.quote, asked) {
        (Some(quote), asked)
            if !quote.is_empty() && asked.is_none_or(|(from, to)| &reads(from, to) != quote) =>
        {
            // The text's own substring search: linear, however the quote reads.
            let starts: Vec<usize> = string.char_indices().map(|(byte, _)| byte).collect();
            let near = asked.map_or(0, |(from, _)| from);
            string
                .match_indices(quote.as_str())
                .filter_map(|(byte, _)| starts.binary_search(&byte).ok())
                .min_by_key(|&i| i.abs_diff(near))
                .map(|i| (i, i + quote.chars().count()))
                .ok_or_else(|| {
                    ModelError::Invalid(
                        "the passage no longer reads as it did: select it again".into(),
                    )
                })?
        }
        (_, Some(asked)) => asked,
        (_, None) => {
            return Err(ModelError::Invalid(if one_place {
                "that place is not in the text".into()
            } else {
                "a comment needs a passage: select at least one character of the text".into()
            }));
        }
    };
    if to - from > MAX_PASSAGE_CHARS {
        return Err(too_long());
    }
    Ok(Found {
        from: offsets[from],
        to: offsets[to],
        quote: reads(from, to),
    })
}

/// The longest passage a comment or a suggestion is on, in characters: its
/// words are kept with it, and sent to everyone who opens the document.
pub const MAX_PASSAGE_CHARS: usize = 10_000;

fn too_long() -> ModelError {
    ModelError::Invalid(format!(
        "a comment or a suggestion is on at most {MAX_PASSAGE_CHARS} characters: select less"
    ))
}

/// Where a passage was found, and what it read.
pub(crate) struct Found {
    pub(crate) from: u32,
    pub(crate) to: u32,
    pub(crate) quote: String,
}

pub(crate) fn encode(index: &StickyIndex) -> String {
    STANDARD.encode(index.encode_v1())
}

pub(crate) fn decode(encoded: &str) -> Option<StickyIndex> {
    StickyIndex::decode_v1(&STANDARD.decode(encoded).ok()?).ok()
}

/// A text as anchors are resolved in it: read once however many anchors
/// are.
struct Read {
    text: TextRef,
    chars: Vec<char>,
    /// Each character's offset, and the text's length last.
    offsets: Vec<u32>,
}

/// The texts of a document as anchors are resolved in them, each read
/// once, when first asked for.
#[derive(Default)]
pub(crate) struct Texts {
    read: HashMap<String, Option<Read>>,
}

impl Texts {
    /// Where the passage anchored by `start` and `end` (encoded) is now in
    /// the text at `location`, if they are in it (an empty span once its
    /// words were deleted).
    pub(crate) fn span<T: ReadTxn>(
        &mut self,
        txn: &T,
        location: &str,
        start: &str,
        end: &str,
    ) -> Option<Span> {
        let read = self
            .read
            .entry(location.to_owned())
            .or_insert_with(|| {
                let text = text_at(txn, &location.parse::<TextPlace>().ok()?)?;
                let string = text.get_string(txn);
                let offsets = offsets(&string, offset_kind_of(txn, &text, &string));
                Some(Read {
                    chars: string.chars().collect(),
                    offsets,
                    text,
                })
            })
            .as_ref()?;
        let branch = BranchPtr::from(AsRef::<Branch>::as_ref(&read.text));
        let (start, end) = (
            decode(start)?.get_offset(txn)?,
            decode(end)?.get_offset(txn)?,
        );
        if start.branch != branch || end.branch != branch {
            return None;
        }
        let from = read.offsets.binary_search(&start.index).ok()?;
        let to = read.offsets.binary_search(&end.index).ok()?.max(from);
        Some(Span {
            from: start.index,
            to: read.offsets[to],
            reads: read.chars[from..to].iter().collect(),
        })
    }
}

/// Adds a comment by `author` at `now` on `passage`; returns it.
pub fn add_comment(
    txn: &mut TransactionMut,
    id: &str,
    passage: &Passage,
    body: &str,
    author: &str,
    now: &str,
) -> Result<Comment, ModelError> {
    let place: TextPlace = passage.location.parse()?;
    let text = text_at(txn, &place)
        .ok_or_else(|| ModelError::Invalid(format!("no text {} here", passage.location)))?;
    let Found { from, to, quote } = locate(txn, &text, passage, false)?;
    let (Some(start), Some(end)) = (
        text.sticky_index(txn, from, Assoc::After),
        text.sticky_index(txn, to, Assoc::Before),
    ) else {
        return Err(ModelError::Invalid(
            "the passage is outside the text".into(),
        ));
    };
    let record = CommentRecord {
        id: id.to_owned(),
        location: place.to_string(),
        start: encode(&start),
        end: encode(&end),
        quote,
        author: author.to_owned(),
        at: now.to_owned(),
        body: body.to_owned(),
        replies: Vec::new(),
        resolved: None,
    };
    put_record(txn, COMMENTS, id, &record);
    Ok(view(txn, &mut Texts::default(), record))
}

/// What a reader calls the text at `location`, or the location itself if
/// it names no text.
pub(crate) fn name_of<T: ReadTxn>(txn: &T, location: &str) -> String {
    location
        .parse()
        .map(|place| text_name(txn, &place))
        .unwrap_or_else(|_| location.to_owned())
}

/// A comment with where its passage stands now.
fn view<T: ReadTxn>(txn: &T, texts: &mut Texts, record: CommentRecord) -> Comment {
    let passage = texts
        .span(txn, &record.location, &record.start, &record.end)
        .map(|span| span.reads)
        .unwrap_or_default();
    Comment {
        text_name: name_of(txn, &record.location),
        deleted: passage.is_empty(),
        passage,
        record,
    }
}

/// Every comment's record, oldest first.
fn records<T: ReadTxn>(txn: &T) -> Vec<CommentRecord> {
    oldest_first(txn, COMMENTS, |record: &CommentRecord| {
        (&record.at, &record.id)
    })
}

/// Every comment, oldest first.
pub fn read_comments<T: ReadTxn>(txn: &T) -> Vec<Comment> {
    let mut texts = Texts::default();
    records(txn)
        .into_iter()
        .map(|record| view(txn, &mut texts, record))
        .collect()
}

/// How many comments are not resolved.
pub(crate) fn open_comment_count<T: ReadTxn>(txn: &T) -> usize {
    records(txn)
        .iter()
        .filter(|record| record.resolved.is_none())
        .count()
}

/// How many comments and replies the recommendation holds.
pub fn comment_count<T: ReadTxn>(txn: &T) -> usize {
    records(txn)
        .iter()
        .map(|record| 1 + record.replies.len())
        .sum()
}

/// Comment `id`'s record.
pub fn comment_record<T: ReadTxn>(txn: &T, id: &str) -> Result<CommentRecord, ModelError> {
    read_record(txn, COMMENTS, id).ok_or_else(|| ModelError::NoSuchComment(id.to_owned()))
}

/// What is done to a comment after it is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentChange {
    Reply(String),
    Resolve,
    Reopen,
}

/// Changes comment `id` as `user` at `now`; returns it.
pub fn change_comment(
    txn: &mut TransactionMut,
    id: &str,
    change: &CommentChange,
    user: &str,
    now: &str,
) -> Result<Comment, ModelError> {
    let mut record = comment_record(txn, id)?;
    match change {
        CommentChange::Reply(body) => record.replies.push(Reply {
            author: user.to_owned(),
            at: now.to_owned(),
            body: body.clone(),
        }),
        CommentChange::Resolve => {
            record.resolved = Some(Resolved {
                by: user.to_owned(),
                at: now.to_owned(),
            });
        }
        CommentChange::Reopen => record.resolved = None,
    }
    put_record(txn, COMMENTS, id, &record);
    Ok(view(txn, &mut Texts::default(), record))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::root::TEXT;
    use crate::testing::recommendation;
    use yrs::{Text, Transact, WriteTxn};

    #[test]
    fn a_comment_follows_its_passage_and_outlives_it() {
        let doc = recommendation();
        let mut txn = doc.transact_mut();
        let majority = txn.get_or_insert_text(TEXT);
        // "Majority – text.": the dash is one UTF-16 unit, "text" is 11..15.
        let comment = add_comment(
            &mut txn,
            "k-1",
            &Passage::at("text", 11, 15),
            "Which text?",
            "ana",
            "t1",
        )
        .expect("comments");
        assert_eq!(
            (comment.passage.as_str(), comment.record.quote.as_str()),
            ("text", "text")
        );
        // Text before it, even of two units a character, moves it.
        majority.insert(&mut txn, 0, "The 😀 ");
        assert_eq!(read_comments(&txn)[0].passage, "text");
        // Text right before or right after it stays outside; inside, it grows it.
        majority.insert(&mut txn, 18, "the ");
        majority.insert(&mut txn, 26, "s");
        majority.insert(&mut txn, 24, "XX");
        assert_eq!(majority.get_string(&txn), "The 😀 Majority – the teXXxts.");
        assert_eq!(read_comments(&txn)[0].passage, "teXXxt");
        // Deleted, it stays, marked so, with its words.
        majority.remove_range(&mut txn, 22, 6);
        let [gone] = read_comments(&txn).try_into().expect("one comment");
        assert!(gone.deleted);
        assert_eq!(
            (gone.passage.as_str(), gone.record.quote.as_str()),
            ("", "text")
        );
        assert_eq!(gone.text_name, "the majority text");
    }

    #[test]
    fn a_quote_finds_the_words_its_author_chose_and_replies_resolve_and_reopen() {
        let doc = recommendation();
        let mut txn = doc.transact_mut();
        txn.get_or_insert_text(TEXT)
            .insert(&mut txn, 0, "text and ");
        // The author saw "text" at 11..15; the text moved since.
        let moved = Passage {
            quote: Some("text".into()),
            ..Passage::at("text", 11, 15)
        };
        let comment = add_comment(&mut txn, "k-1", &moved, "?", "ana", "t1").expect("comments");
        assert_eq!(comment.passage, "text");
        // It is on the second "text", the nearer: removing the first
        // leaves it whole.
        txn.get_or_insert_text(TEXT).remove_range(&mut txn, 0, 9);
        assert!(!read_comments(&txn)[0].deleted);
        let gone = Passage {
            quote: Some("absent".into()),
            ..Passage::at("text", 0, 4)
        };
        assert!(add_comment(&mut txn, "k-2", &gone, "?", "ana", "t1").is_err());
        assert!(
            add_comment(
                &mut txn,
                "k-2",
                &Passage::at("text", 3, 3),
                "?",
                "ana",
                "t1"
            )
            .is_err()
        );
        assert!(
            add_comment(
                &mut txn,
                "k-2",
                &Passage::at("nowhere", 0, 1),
                "?",
                "ana",
                "t1"
            )
            .is_err()
        );
        let long = Passage {
            quote: Some("x".repeat(MAX_PASSAGE_CHARS + 1)),
            ..Passage::at("text", 0, 4)
        };
        assert!(add_comment(&mut txn, "k-2", &long, "?", "ana", "t1").is_err());
        let alternative = add_comment(
            &mut txn,
            "k-3",
            &Passage::at("alternatives/alt-1", 0, 11),
            "!",
            "bo",
            "t2",
        )
        .expect("on an alternative");
        assert_eq!(alternative.passage, "Alternative");
        change_comment(
            &mut txn,
            "k-1",
            &CommentChange::Reply("This one.".into()),
            "bo",
            "t3",
        )
        .expect("replies");
        let resolved = change_comment(&mut txn, "k-1", &CommentChange::Resolve, "vic", "t4")
            .expect("resolves");
        assert_eq!(resolved.record.replies[0].body, "This one.");
        assert_eq!(
            resolved.record.resolved.as_ref().map(|r| r.by.as_str()),
            Some("vic")
        );
        let reopened =
            change_comment(&mut txn, "k-1", &CommentChange::Reopen, "ana", "t5").expect("reopens");
        assert!(reopened.record.resolved.is_none());
        assert_eq!(comment_count(&txn), 3);
        assert!(matches!(
            change_comment(&mut txn, "k-9", &CommentChange::Resolve, "ana", "t"),
            Err(ModelError::NoSuchComment(_))
        ));
    }
}
