//! One recommendation document: its majority text, structured fields,
//! alternatives and support, read and changed through yrs transactions.

use std::collections::BTreeMap;

use serde::Serialize;
use yrs::{
    Any, Array, ArrayPrelim, ArrayRef, GetString, Map, MapPrelim, MapRef, OffsetKind, Out, ReadTxn,
    Text, TextPrelim, TextRef, TransactionMut, WriteTxn,
};

use crate::Hunk;
use crate::brackets::{Bracket, open_bracket_holders, open_brackets, read_brackets};
use crate::comments::{Comment, open_comment_count, read_comments};
use crate::implementation::{Entry, read_entries};
use crate::policy::Editor;
use crate::schema::root::{
    ALTERNATIVES, BRACKETS, COMMENTS, IMPLEMENTATION_REPORTS, META, SUGGESTIONS, SUPPORT, TEXT,
};
use crate::schema::{DocPath, alternative, meta};
use crate::space::RecommendationSummary;
use crate::suggestions::{Suggestion, pending_count, read_suggestions};
use crate::{Consensus, Field, ModelError, ProposalStatus, Status, SupportChoice};

/// A recommendation as a reader sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub id: String,
    pub title: String,
    pub topic: String,
    pub number: u32,
    pub status: Status,
    pub consensus: Option<Consensus>,
    /// The majority text.
    pub text: String,
    /// Each of the structured fields.
    pub fields: BTreeMap<Field, String>,
    pub alternatives: Vec<Alternative>,
    /// User id → what they support.
    pub support: BTreeMap<String, SupportChoice>,
    /// The brackets its texts hold that are not cleared.
    pub open_brackets: usize,
    /// Every bracket: those its texts hold, then those cleared.
    pub brackets: Vec<Bracket>,
    /// Every comment, oldest first.
    pub comments: Vec<Comment>,
    /// Every suggestion, oldest first, whatever became of it.
    pub suggestions: Vec<Suggestion>,
    /// Reports on its implementation once adopted, by the date each
    /// describes.
    pub implementation: Vec<Entry>,
}

/// A dissenting text standing beside the majority text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative {
    pub id: String,
    pub label: String,
    pub text: String,
    pub proponents: Vec<String>,
    /// The majority text changed since this alternative was written.
    pub stale: bool,
    pub created_by: String,
    pub created_at: String,
}

fn string(out: Option<Out>) -> Option<String> {
    match out {
        Some(Out::Any(Any::String(s))) => Some(s.to_string()),
        _ => None,
    }
}

fn number(out: Option<Out>) -> Option<u32> {
    match out {
        Some(Out::Any(Any::Number(n))) => n.as_f64().filter(|n| *n >= 0.0).map(|n| n as u32),
        _ => None,
    }
}

fn text_of<T: ReadTxn>(txn: &T, text: Option<TextRef>) -> String {
    text.map(|text| text.get_string(txn)).unwrap_or_default()
}

/// Creates the document of a new recommendation.
pub fn create_recommendation(
    txn: &mut TransactionMut,
    id: &str,
    topic: &str,
    number: u32,
    title: &str,
    text: &str,
) {
    let map = txn.get_or_insert_map(META);
    map.insert(txn, meta::ID, id);
    map.insert(txn, meta::TITLE, title);
    map.insert(txn, meta::TOPIC, topic);
    map.insert(txn, meta::NUMBER, f64::from(number));
    map.insert(txn, meta::STATUS, Status::Draft.as_str());
    let majority = txn.get_or_insert_text(TEXT);
    majority.insert(txn, 0, text);
    for field in Field::ALL {
        txn.get_or_insert_text(field.as_str());
    }
    txn.get_or_insert_map(ALTERNATIVES);
    txn.get_or_insert_map(SUPPORT);
}

/// Reads a recommendation; `None` if the document is not one.
pub fn read_recommendation<T: ReadTxn>(txn: &T) -> Option<Recommendation> {
    let mut recommendation = read_texts(txn)?;
    recommendation.brackets = read_brackets(txn);
    recommendation.comments = read_comments(txn);
    recommendation.suggestions = read_suggestions(txn);
    recommendation.implementation = read_entries(txn);
    Some(recommendation)
}

/// A recommendation's metadata, texts and support, with none of its
/// brackets, comments and suggestions read (the index's summary counts
/// those more cheaply).
fn read_texts<T: ReadTxn>(txn: &T) -> Option<Recommendation> {
    let map = txn.get_map(META)?;
    let id = string(map.get(txn, meta::ID))?;
    let text = text_of(txn, txn.get_text(TEXT));
    let fields: BTreeMap<Field, String> = Field::ALL
        .iter()
        .map(|field| (*field, text_of(txn, txn.get_text(field.as_str()))))
        .collect();
    let mut alternatives: Vec<Alternative> = match txn.get_map(ALTERNATIVES) {
        Some(map) => map
            .iter(txn)
            .filter_map(|(alt_id, value)| match value {
                Out::YMap(alt) => Some(read_alternative(txn, alt_id, &alt, &text)),
                _ => None,
            })
            .collect(),
        None => Vec::new(),
    };
    alternatives.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
    let support = match txn.get_map(SUPPORT) {
        Some(map) => map
            .iter(txn)
            .filter_map(|(user, choice)| match choice {
                Out::Any(Any::String(choice)) => {
                    Some((user.to_owned(), SupportChoice::from(choice.as_ref())))
                }
                _ => None,
            })
            .collect(),
        None => BTreeMap::new(),
    };
    Some(Recommendation {
        id,
        title: string(map.get(txn, meta::TITLE)).unwrap_or_default(),
        topic: string(map.get(txn, meta::TOPIC)).unwrap_or_default(),
        number: number(map.get(txn, meta::NUMBER)).unwrap_or(0),
        status: string(map.get(txn, meta::STATUS))
            .and_then(|s| s.parse().ok())
            .unwrap_or_default(),
        consensus: string(map.get(txn, meta::CONSENSUS)).and_then(|s| s.parse().ok()),
        // Every bracket the texts hold is open (a cleared one's `[` is
        // gone): counted in the texts just read.
        open_brackets: std::iter::once(&text)
            .chain(fields.values())
            .chain(alternatives.iter().map(|alt| &alt.text))
            .map(|text| open_brackets(text))
            .sum(),
        brackets: Vec::new(),
        comments: Vec::new(),
        suggestions: Vec::new(),
        implementation: Vec::new(),
        text,
        fields,
        alternatives,
        support,
    })
}

/// The users who propose an alternative.
fn proponents_of<T: ReadTxn>(txn: &T, alt: &MapRef) -> Vec<String> {
    match alt.get(txn, alternative::PROPONENTS) {
        Some(Out::YArray(array)) => array
            .iter(txn)
            .filter_map(|user| match user {
                Out::Any(Any::String(user)) => Some(user.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn read_alternative<T: ReadTxn>(txn: &T, id: &str, alt: &MapRef, majority: &str) -> Alternative {
    let text = match alt.get(txn, alternative::TEXT) {
        Some(Out::YText(text)) => text.get_string(txn),
        _ => String::new(),
    };
    let proponents = proponents_of(txn, alt);
    Alternative {
        id: id.to_owned(),
        label: string(alt.get(txn, alternative::LABEL)).unwrap_or_default(),
        text,
        proponents,
        stale: string(alt.get(txn, alternative::BASED_ON))
            .is_some_and(|based_on| based_on != majority),
        created_by: string(alt.get(txn, alternative::CREATED_BY)).unwrap_or_default(),
        created_at: string(alt.get(txn, alternative::CREATED_AT)).unwrap_or_default(),
    }
}

/// What a dashboard shows of a recommendation.
pub fn recommendation_summary<T: ReadTxn>(txn: &T) -> Option<RecommendationSummary> {
    // Refreshed after every edit: only what it shows is read.
    let rec = read_texts(txn)?;
    Some(RecommendationSummary {
        doc: DocPath::Recommendation(&rec.id).to_string(),
        stale_alternatives: rec.alternatives.iter().filter(|alt| alt.stale).count(),
        alternatives: rec.alternatives.len(),
        open_brackets: rec.open_brackets,
        pending_suggestions: pending_count(txn),
        open_comments: open_comment_count(txn),
        bracket_holders: open_bracket_holders(txn),
        support: rec
            .support
            .values()
            .fold(BTreeMap::new(), |mut tally, choice| {
                *tally.entry(choice.as_str().to_owned()).or_insert(0) += 1;
                tally
            }),
        id: rec.id,
        topic: rec.topic,
        number: rec.number,
        title: rec.title,
        status: rec.status,
        consensus: rec.consensus,
    })
}

/// Whether the server has made the document a recommendation (or a
/// branch of one): until it has, the document takes no client's edits, so
/// nobody can plant text in a recommendation before it exists.
pub fn is_created<T: ReadTxn>(txn: &T) -> bool {
    txn.get_map(META)
        .is_some_and(|map| map.contains_key(txn, meta::ID))
}

/// Whether the recommendation is adopted, and so frozen.
pub fn is_frozen<T: ReadTxn>(txn: &T) -> bool {
    txn.get_map(META)
        .and_then(|map| string(map.get(txn, meta::STATUS)))
        .is_some_and(|status| status == Status::Adopted.as_str())
}

/// Makes the document (a copy of a recommendation) the branch of
/// `author`'s proposal: only they, the vice-chair and the chair edit it.
pub fn mark_branch(txn: &mut TransactionMut, author: &str) -> Result<(), ModelError> {
    meta_of(txn)?.insert(txn, meta::AUTHOR, author);
    Ok(())
}

/// Closes a branch for good: its proposal was merged, rejected or
/// withdrawn (`status`).
pub fn close_branch(txn: &mut TransactionMut, status: ProposalStatus) -> Result<(), ModelError> {
    meta_of(txn)?.insert(txn, meta::CLOSED, status.as_str());
    Ok(())
}

/// Who may edit a branch, as its document records it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct BranchState {
    pub(crate) author: Option<String>,
    pub(crate) closed: bool,
}

pub(crate) fn branch_state<T: ReadTxn>(txn: &T) -> BranchState {
    let meta = txn.get_map(META);
    let get = |key| meta.as_ref().and_then(|map| string(map.get(txn, key)));
    BranchState {
        author: get(meta::AUTHOR),
        closed: get(meta::CLOSED).is_some(),
    }
}

/// Where a co-edited text lives in a recommendation's (or a branch's)
/// document. Named on the wire as the root's name (`text`, `tasks`, …) or
/// `alternatives/{id}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextPlace {
    /// The majority text or a structured field.
    Root(&'static str),
    /// An alternative's text, by the alternative's id.
    Alternative(String),
}

impl std::fmt::Display for TextPlace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TextPlace::Root(name) => f.write_str(name),
            TextPlace::Alternative(id) => write!(f, "{ALTERNATIVES}/{id}"),
        }
    }
}

impl std::str::FromStr for TextPlace {
    type Err = ModelError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        if let Some(id) = name
            .strip_prefix(ALTERNATIVES)
            .and_then(|rest| rest.strip_prefix('/'))
        {
            return Ok(TextPlace::Alternative(id.to_owned()));
        }
        std::iter::once(TEXT)
            .chain(Field::ALL.iter().map(|field| field.as_str()))
            .find(|root| *root == name)
            .map(TextPlace::Root)
            .ok_or_else(|| {
                ModelError::Invalid(format!(
                    "a recommendation has no text {name:?} (expected text, a field, or alternatives/{{id}})"
                ))
            })
    }
}

/// Every co-edited text of the document.
pub(crate) fn every_text<T: ReadTxn>(txn: &T) -> Vec<TextPlace> {
    let mut texts: Vec<TextPlace> = std::iter::once(TEXT)
        .chain(Field::ALL.iter().map(|field| field.as_str()))
        .map(TextPlace::Root)
        .collect();
    texts.extend(every_alternative(txn));
    texts
}

/// Every alternative's text.
pub(crate) fn every_alternative<T: ReadTxn>(txn: &T) -> Vec<TextPlace> {
    alternatives_where(txn, |_| true)
}

/// The texts of the alternatives `editor` may not change.
pub(crate) fn others_alternatives<T: ReadTxn>(txn: &T, editor: Editor) -> Vec<TextPlace> {
    alternatives_where(txn, |proponents| !editor.changes_alternative(proponents))
}

/// The texts of the alternatives whose proponents `keep` accepts.
fn alternatives_where<T: ReadTxn>(txn: &T, keep: impl Fn(&[String]) -> bool) -> Vec<TextPlace> {
    txn.get_map(ALTERNATIVES)
        .map(|map| {
            map.iter(txn)
                .filter_map(|(id, value)| match value {
                    Out::YMap(alt) if keep(&proponents_of(txn, &alt)) => {
                        Some(TextPlace::Alternative(id.to_owned()))
                    }
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What a reader calls the text at `place`: the majority text, a field by
/// its title, an alternative by its label.
pub(crate) fn text_name<T: ReadTxn>(txn: &T, place: &TextPlace) -> String {
    match place {
        TextPlace::Root(TEXT) => "the majority text".to_owned(),
        TextPlace::Root(name) => name
            .parse::<Field>()
            .map(|field| field.title().to_owned())
            .unwrap_or_else(|_| (*name).to_owned()),
        TextPlace::Alternative(id) => {
            let label = alternative_map(txn, id)
                .ok()
                .and_then(|alt| string(alt.get(txn, alternative::LABEL)))
                .unwrap_or_else(|| id.clone());
            format!("alternative “{label}”")
        }
    }
}

/// The text at `place`, to write in: a root text the document does not
/// hold yet (one nobody has written in is not kept) is made.
pub(crate) fn text_to_write(txn: &mut TransactionMut, place: &TextPlace) -> Option<TextRef> {
    match place {
        TextPlace::Root(name) => Some(txn.get_or_insert_text(*name)),
        TextPlace::Alternative(_) => text_at(txn, place),
    }
}

/// The text at `place`, if the document holds one there.
pub(crate) fn text_at<T: ReadTxn>(txn: &T, place: &TextPlace) -> Option<TextRef> {
    match place {
        TextPlace::Root(name) => txn.get_text(*name),
        TextPlace::Alternative(id) => match txn.get_map(ALTERNATIVES)?.get(txn, id)? {
            Out::YMap(alt) => match alt.get(txn, alternative::TEXT)? {
                Out::YText(text) => Some(text),
                _ => None,
            },
            _ => None,
        },
    }
}

/// Makes `text` read `was` again, changing only the span where the two
/// differ: what others typed around it keeps its identity, so their
/// cursors and later edits stay where they were. Returns whether anything
/// changed.
pub(crate) fn put_back_text(txn: &mut TransactionMut, text: &TextRef, was: &str) -> bool {
    let now = text.get_string(txn);
    if now == was {
        return false;
    }
    let now: Vec<char> = now.chars().collect();
    let was: Vec<char> = was.chars().collect();
    let prefix = now.iter().zip(&was).take_while(|(a, b)| a == b).count();
    let suffix = now[prefix..]
        .iter()
        .rev()
        .zip(was[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let kind = txn.doc().offset_kind();
    let at = offset_len(&now[..prefix], kind);
    let added = offset_len(&now[prefix..now.len() - suffix], kind);
    if added > 0 {
        text.remove_range(txn, at, added);
    }
    let removed: String = was[prefix..was.len() - suffix].iter().collect();
    if !removed.is_empty() {
        text.insert(txn, at, &removed);
    }
    true
}

/// The units `text` (which reads `string`) counts offsets in. A read
/// transaction does not say, but the lengths do: a text's length in UTF-8
/// bytes equals its length in UTF-16 units only when it is all ASCII, and
/// then the two count alike.
pub(crate) fn offset_kind_of<T: ReadTxn>(txn: &T, text: &TextRef, string: &str) -> OffsetKind {
    if text.len(txn) as usize == string.len() {
        OffsetKind::Bytes
    } else {
        OffsetKind::Utf16
    }
}

/// The length of `chars` in the units the document counts offsets in.
pub(crate) fn offset_len(chars: &[char], kind: OffsetKind) -> u32 {
    let units: usize = match kind {
        OffsetKind::Bytes => chars.iter().map(|c| c.len_utf8()).sum(),
        OffsetKind::Utf16 => chars.iter().map(|c| c.len_utf16()).sum(),
    };
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// The changes only the server makes on a recommendation (through REST,
/// where roles are checked). A client on a websocket can send any Yjs
/// update, so after applying clients' edits the server puts these parts
/// back as they were: metadata, support, brackets' records, and each
/// alternative's label, provenance and proponents. Clients co-edit the texts, nothing else.
#[derive(Debug, Clone, PartialEq)]
pub struct Protected {
    meta: BTreeMap<String, Any>,
    /// Each of [`SERVER_MAPS`], by its name.
    maps: BTreeMap<&'static str, BTreeMap<String, Any>>,
    alternatives: BTreeMap<String, ProtectedAlternative>,
}

/// The root maps of plain values only the server writes, beside `meta`.
const SERVER_MAPS: [&str; 5] = [
    SUPPORT,
    BRACKETS,
    COMMENTS,
    SUGGESTIONS,
    IMPLEMENTATION_REPORTS,
];

#[derive(Debug, Clone)]
struct ProtectedAlternative {
    fields: BTreeMap<String, Any>,
    proponents: Vec<Any>,
    /// Co-edited, so not compared; kept to write the alternative again if
    /// a client removed it.
    text: String,
}

impl PartialEq for ProtectedAlternative {
    fn eq(&self, other: &Self) -> bool {
        self.fields == other.fields && self.proponents == other.proponents
    }
}

fn plain_entries<T: ReadTxn>(txn: &T, map: Option<MapRef>) -> BTreeMap<String, Any> {
    map.map(|map| {
        map.iter(txn)
            .filter_map(|(key, value)| match value {
                Out::Any(any) => Some((key.to_owned(), any)),
                _ => None,
            })
            .collect()
    })
    .unwrap_or_default()
}

impl Protected {
    pub fn capture<T: ReadTxn>(txn: &T) -> Protected {
        let alternatives = txn
            .get_map(ALTERNATIVES)
            .map(|map| {
                map.iter(txn)
                    .filter_map(|(id, value)| match value {
                        Out::YMap(alt) => {
                            Some((id.to_owned(), ProtectedAlternative::capture(txn, &alt)))
                        }
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        Protected {
            meta: plain_entries(txn, txn.get_map(META)),
            maps: SERVER_MAPS
                .into_iter()
                .map(|name| (name, plain_entries(txn, txn.get_map(name))))
                .collect(),
            alternatives,
        }
    }

    /// Puts back what changed since `self` was captured. Returns whether
    /// anything had to be put back.
    pub fn restore(&self, txn: &mut TransactionMut) -> bool {
        let now = Protected::capture(txn);
        if &now == self {
            return false;
        }
        let meta = txn.get_or_insert_map(META);
        restore_entries(txn, &meta, &self.meta, &now.meta);
        for (name, was) in &self.maps {
            if now.maps.get(name) != Some(was) {
                let map = txn.get_or_insert_map(*name);
                let is = plain_entries(txn, Some(map.clone()));
                restore_entries(txn, &map, was, &is);
            }
        }
        let alternatives = txn.get_or_insert_map(ALTERNATIVES);
        for (id, was) in &self.alternatives {
            match (now.alternatives.get(id), alternatives.get(txn, id)) {
                (Some(is), Some(Out::YMap(_))) if is == was => {}
                (Some(is), Some(Out::YMap(alt))) => {
                    restore_entries(txn, &alt, &was.fields, &is.fields);
                    if is.proponents != was.proponents {
                        let proponents: ArrayRef =
                            alt.insert(txn, alternative::PROPONENTS, ArrayPrelim::default());
                        for user in &was.proponents {
                            proponents.push_back(txn, user.clone());
                        }
                    }
                }
                // Removed or replaced: write it again as it was.
                _ => was.recreate(txn, &alternatives, id),
            }
        }
        for id in now.alternatives.keys() {
            if !self.alternatives.contains_key(id) {
                alternatives.remove(txn, id);
            }
        }
        true
    }
}

impl ProtectedAlternative {
    fn capture<T: ReadTxn>(txn: &T, alt: &MapRef) -> Self {
        let proponents = match alt.get(txn, alternative::PROPONENTS) {
            Some(Out::YArray(array)) => array
                .iter(txn)
                .filter_map(|value| match value {
                    Out::Any(any) => Some(any),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let text = match alt.get(txn, alternative::TEXT) {
            Some(Out::YText(text)) => text.get_string(txn),
            _ => String::new(),
        };
        ProtectedAlternative {
            fields: plain_entries(txn, Some(alt.clone())),
            proponents,
            text,
        }
    }

    fn recreate(&self, txn: &mut TransactionMut, alternatives: &MapRef, id: &str) {
        let alt: MapRef = alternatives.insert(txn, id, MapPrelim::default());
        for (key, value) in &self.fields {
            alt.insert(txn, key.as_str(), value.clone());
        }
        alt.insert(txn, alternative::TEXT, TextPrelim::new(self.text.as_str()));
        let proponents: ArrayRef = alt.insert(txn, alternative::PROPONENTS, ArrayPrelim::default());
        for user in &self.proponents {
            proponents.push_back(txn, user.clone());
        }
    }
}

fn restore_entries(
    txn: &mut TransactionMut,
    map: &MapRef,
    was: &BTreeMap<String, Any>,
    is: &BTreeMap<String, Any>,
) {
    for (key, value) in was {
        if is.get(key) != Some(value) {
            map.insert(txn, key.as_str(), value.clone());
        }
    }
    for key in is.keys() {
        if !was.contains_key(key) {
            map.remove(txn, key);
        }
    }
}

fn meta_of(txn: &TransactionMut) -> Result<MapRef, ModelError> {
    txn.get_map(META)
        .ok_or_else(|| ModelError::Invalid("the document is not a recommendation".into()))
}

/// Replaces the text of a structured field with `value`.
pub fn set_field(txn: &mut TransactionMut, field: Field, value: &str) -> Result<(), ModelError> {
    meta_of(txn)?;
    let text = txn.get_or_insert_text(field.as_str());
    let len = text.len(txn);
    text.remove_range(txn, 0, len);
    text.insert(txn, 0, value);
    Ok(())
}

/// Inserts `text` into the majority text at `position`, counted in
/// characters (Unicode scalar values); at the end when `None` or past it.
/// A space joins it to a word it would otherwise run into, so a sentence
/// added after another reads as two.
pub fn insert_into_majority(
    txn: &mut TransactionMut,
    position: Option<usize>,
    text: &str,
) -> Result<(), ModelError> {
    meta_of(txn)?;
    let majority = txn.get_or_insert_text(TEXT);
    let current: Vec<char> = majority.get_string(txn).chars().collect();
    let at = position.unwrap_or(current.len()).min(current.len());
    let before = at.checked_sub(1).map(|i| current[i]);
    let after = current.get(at).copied();
    let mut joined = String::with_capacity(text.len() + 2);
    if before.is_some_and(|c| !c.is_whitespace() && !OPENING.contains(c))
        && !text.starts_with(char::is_whitespace)
    {
        joined.push(' ');
    }
    joined.push_str(text);
    if after.is_some_and(char::is_alphanumeric) && !text.ends_with(char::is_whitespace) {
        joined.push(' ');
    }
    let at = offset_len(&current[..at], txn.doc().offset_kind());
    majority.insert(txn, at, &joined);
    Ok(())
}

/// Applies `accepted` hunks (see [`crate::hunks`]) to the text at
/// `location`, each as an edit of its own passage, so the words between
/// them keep their identity (and the comments, brackets and suggestions
/// anchored to them).
pub fn apply_hunks(
    txn: &mut TransactionMut,
    location: &str,
    accepted: &[&Hunk],
) -> Result<(), ModelError> {
    let place: TextPlace = location.parse()?;
    let text = text_to_write(txn, &place)
        .ok_or_else(|| ModelError::Invalid(format!("no text {location} here")))?;
    let chars: Vec<char> = text.get_string(txn).chars().collect();
    let kind = txn.doc().offset_kind();
    let mut sorted = accepted.to_vec();
    sorted.sort_by_key(|hunk| std::cmp::Reverse(hunk.at));
    for hunk in sorted {
        let start = hunk.at.min(chars.len());
        let end = (start + hunk.deleted.chars().count()).min(chars.len());
        let at = offset_len(&chars[..start], kind);
        let len = offset_len(&chars[start..end], kind);
        if len > 0 {
            text.remove_range(txn, at, len);
        }
        if !hunk.inserted.is_empty() {
            text.insert(txn, at, &hunk.inserted);
        }
    }
    Ok(())
}

/// Characters after which inserted text needs no space: it opens with them.
const OPENING: &str = "([{\"'“‘«";

/// Moves the recommendation to `status`, and sets its consensus level if given.
pub fn set_status(
    txn: &mut TransactionMut,
    status: Status,
    consensus: Option<Consensus>,
) -> Result<(), ModelError> {
    let map = meta_of(txn)?;
    map.insert(txn, meta::STATUS, status.as_str());
    if let Some(consensus) = consensus {
        map.insert(txn, meta::CONSENSUS, consensus.as_str());
    }
    Ok(())
}

/// Adds an alternative written by `user` at `now`, answering the majority
/// text as it stands.
pub fn add_alternative(
    txn: &mut TransactionMut,
    id: &str,
    label: &str,
    text: &str,
    user: &str,
    now: &str,
) -> Result<(), ModelError> {
    meta_of(txn)?;
    if let Some(same) = alternative_reading(txn, text) {
        return Err(same);
    }
    let majority = text_of(txn, txn.get_text(TEXT));
    let alternatives = txn.get_or_insert_map(ALTERNATIVES);
    let alt: MapRef = alternatives.insert(txn, id, MapPrelim::default());
    alt.insert(txn, alternative::LABEL, label);
    alt.insert(txn, alternative::TEXT, TextPrelim::new(text));
    let proponents: ArrayRef = alt.insert(txn, alternative::PROPONENTS, ArrayPrelim::default());
    proponents.push_back(txn, user);
    alt.insert(txn, alternative::BASED_ON, majority);
    alt.insert(txn, alternative::CREATED_BY, user);
    alt.insert(txn, alternative::CREATED_AT, now);
    Ok(())
}

/// The refusal of a new alternative whose text an alternative already
/// reads (spaces aside): its proponents can support that one, or join it.
/// A new alternative with no text yet is never one.
fn alternative_reading<T: ReadTxn>(txn: &T, text: &str) -> Option<ModelError> {
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let wanted = words(text);
    if wanted.is_empty() {
        return None;
    }
    let majority = text_of(txn, txn.get_text(TEXT));
    txn.get_map(ALTERNATIVES)?
        .iter(txn)
        .find_map(|(id, value)| match value {
            Out::YMap(alt) => {
                let existing = read_alternative(txn, id, &alt, &majority);
                (words(&existing.text) == wanted).then_some(ModelError::DuplicateAlternative {
                    id: existing.id,
                    label: existing.label,
                })
            }
            _ => None,
        })
}

/// The alternative `id`'s map.
fn alternative_map<T: ReadTxn>(txn: &T, id: &str) -> Result<MapRef, ModelError> {
    match txn.get_map(ALTERNATIVES).and_then(|map| map.get(txn, id)) {
        Some(Out::YMap(alt)) => Ok(alt),
        _ => Err(ModelError::NoSuchAlternative(id.to_owned())),
    }
}

/// Makes `user` one of alternative `id`'s proponents (a co-sponsor), or
/// no longer one. Its last proponent stays: an alternative stands for
/// someone.
pub fn cosponsor(
    txn: &mut TransactionMut,
    id: &str,
    user: &str,
    joins: bool,
) -> Result<(), ModelError> {
    meta_of(txn)?;
    let alt = alternative_map(txn, id)?;
    let mut proponents = proponents_of(txn, &alt);
    let already = proponents.iter().any(|p| p == user);
    if joins == already {
        return Ok(());
    }
    if joins {
        proponents.push(user.to_owned());
    } else {
        if proponents.len() == 1 {
            return Err(ModelError::Invalid(
                "you are this alternative's only proponent: it stands for you until another joins"
                    .into(),
            ));
        }
        proponents.retain(|p| p != user);
    }
    let list: ArrayRef = alt.insert(txn, alternative::PROPONENTS, ArrayPrelim::default());
    for proponent in proponents {
        list.push_back(txn, proponent);
    }
    Ok(())
}

/// Gives an alternative a new label. Only its proponents, the vice-chair
/// and the chair may, as only they change its text.
pub fn relabel_alternative(
    txn: &mut TransactionMut,
    id: &str,
    label: &str,
    editor: Editor,
) -> Result<(), ModelError> {
    meta_of(txn)?;
    let alt = alternative_map(txn, id)?;
    if !editor.changes_alternative(&proponents_of(txn, &alt)) {
        return Err(ModelError::NotAProponent);
    }
    alt.insert(txn, alternative::LABEL, label);
    Ok(())
}

/// Records that `user` supports the majority text or an alternative.
pub fn set_support(
    txn: &mut TransactionMut,
    user: &str,
    choice: &SupportChoice,
) -> Result<(), ModelError> {
    meta_of(txn)?;
    if let SupportChoice::Alternative(id) = choice {
        let exists = txn
            .get_map(ALTERNATIVES)
            .is_some_and(|alternatives| alternatives.contains_key(txn, id));
        if !exists {
            return Err(ModelError::NoSuchAlternative(id.clone()));
        }
    }
    let support = txn.get_or_insert_map(SUPPORT);
    support.insert(txn, user, choice.as_str());
    Ok(())
}

/// Withdraws `user`'s support, whatever it was for.
pub fn withdraw_support(txn: &mut TransactionMut, user: &str) -> Result<(), ModelError> {
    meta_of(txn)?;
    txn.get_or_insert_map(SUPPORT).remove(txn, user);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use yrs::{Doc, Transact};

    fn recommendation() -> Doc {
        let doc = Doc::new();
        create_recommendation(
            &mut doc.transact_mut(),
            "c-1",
            "C",
            1,
            "Funding of the IGF",
            "The IGF Trust Fund [should] be open to all donors.",
        );
        doc
    }

    #[test]
    fn reads_back_what_was_created() {
        let doc = recommendation();
        let rec = read_recommendation(&doc.transact()).expect("a recommendation");
        assert_eq!(rec.id, "c-1");
        assert_eq!(rec.number, 1);
        assert_eq!(rec.status, Status::Draft);
        assert_eq!(rec.open_brackets, 1);
        assert_eq!(rec.fields.len(), 5);
        assert!(rec.fields.values().all(String::is_empty));
        assert!(read_recommendation(&Doc::new().transact()).is_none());
    }

    #[test]
    fn alternatives_go_stale_when_the_majority_changes() {
        let doc = recommendation();
        {
            let mut txn = doc.transact_mut();
            add_alternative(
                &mut txn,
                "alt-1",
                "Option B",
                "Fund it from the UN budget.",
                "ana",
                "2026-01-01T00:00:00Z",
            )
            .expect("adds");
            set_support(&mut txn, "bo", &SupportChoice::from("alt-1")).expect("supports");
            assert_eq!(
                set_support(&mut txn, "bo", &SupportChoice::from("alt-9")),
                Err(ModelError::NoSuchAlternative("alt-9".into()))
            );
        }
        let rec = read_recommendation(&doc.transact()).expect("reads");
        assert_eq!(rec.alternatives[0].proponents, vec!["ana".to_owned()]);
        assert!(!rec.alternatives[0].stale);
        assert_eq!(
            rec.support.get("bo"),
            Some(&SupportChoice::Alternative("alt-1".into()))
        );

        let text = doc.get_or_insert_text("text");
        text.insert(&mut doc.transact_mut(), 0, "Agreed: ");
        let summary = recommendation_summary(&doc.transact()).expect("summary");
        assert_eq!(summary.alternatives, 1);
        assert_eq!(summary.stale_alternatives, 1);
    }

    #[test]
    fn protected_parts_are_put_back_and_texts_are_not() {
        let doc = recommendation();
        add_alternative(
            &mut doc.transact_mut(),
            "alt-1",
            "B",
            "alt text",
            "ana",
            "t",
        )
        .expect("adds");
        let before = Protected::capture(&doc.transact());
        {
            // What a member's client could send: a status change, a forged
            // vote, a removed alternative, and an honest edit of the text.
            let mut txn = doc.transact_mut();
            let meta = txn.get_map("meta").expect("meta");
            meta.insert(&mut txn, "status", "adopted");
            let support = txn.get_map("support").expect("support");
            support.insert(&mut txn, "someone-else", "alt-1");
            let alternatives = txn.get_map("alternatives").expect("alternatives");
            alternatives.remove(&mut txn, "alt-1");
            let majority = txn.get_text("text").expect("text");
            majority.insert(&mut txn, 0, "Edited: ");
            assert!(before.restore(&mut txn));
        }
        let rec = read_recommendation(&doc.transact()).expect("reads");
        assert_eq!(rec.status, Status::Draft);
        assert!(rec.support.is_empty());
        assert_eq!(rec.alternatives.len(), 1);
        assert_eq!(rec.alternatives[0].text, "alt text");
        assert_eq!(rec.alternatives[0].proponents, vec!["ana".to_owned()]);
        assert!(rec.text.starts_with("Edited: "));

        // An edit of texts alone needs nothing put back.
        let before = Protected::capture(&doc.transact());
        let mut txn = doc.transact_mut();
        let majority = txn.get_text("text").expect("text");
        majority.insert(&mut txn, 0, "Again: ");
        assert!(!before.restore(&mut txn));
    }

    #[test]
    fn co_sponsors_join_and_leave_and_the_last_stays() {
        let doc = recommendation();
        let mut txn = doc.transact_mut();
        add_alternative(&mut txn, "alt-1", "Ana's", "Voluntary only.", "ana", "t1").expect("adds");
        let proponents = |txn: &TransactionMut| {
            read_recommendation(txn).expect("reads").alternatives[0]
                .proponents
                .clone()
        };
        cosponsor(&mut txn, "alt-1", "bo", true).expect("joins");
        cosponsor(&mut txn, "alt-1", "bo", true).expect("joining twice is once");
        assert_eq!(proponents(&txn), ["ana", "bo"]);
        cosponsor(&mut txn, "alt-1", "ana", false).expect("leaves");
        assert_eq!(proponents(&txn), ["bo"]);
        assert!(matches!(
            cosponsor(&mut txn, "alt-1", "bo", false),
            Err(ModelError::Invalid(_))
        ));
        assert_eq!(
            cosponsor(&mut txn, "alt-9", "bo", true),
            Err(ModelError::NoSuchAlternative("alt-9".into()))
        );
    }

    #[test]
    fn an_alternative_that_reads_as_another_is_refused_with_a_pointer_to_it() {
        let doc = recommendation();
        let mut txn = doc.transact_mut();
        add_alternative(&mut txn, "alt-1", "Ana's", "Voluntary  only.", "ana", "t1").expect("adds");
        assert_eq!(
            add_alternative(&mut txn, "alt-2", "Bo's", " Voluntary only. ", "bo", "t2"),
            Err(ModelError::DuplicateAlternative {
                id: "alt-1".into(),
                label: "Ana's".into()
            })
        );
        // Empty alternatives are filled in later: never the same as another.
        add_alternative(&mut txn, "alt-3", "Cy's", "", "cy", "t3").expect("adds");
        add_alternative(&mut txn, "alt-4", "Di's", "", "di", "t4").expect("adds");
    }

    #[test]
    fn support_is_tallied_in_the_summary_and_can_be_withdrawn() {
        let doc = recommendation();
        let mut txn = doc.transact_mut();
        add_alternative(&mut txn, "alt-1", "Ana's", "Voluntary only.", "ana", "t1").expect("adds");
        let alternative = SupportChoice::Alternative("alt-1".into());
        for (user, choice) in [
            ("ana", &alternative),
            ("bo", &SupportChoice::Majority),
            ("cy", &SupportChoice::Majority),
        ] {
            set_support(&mut txn, user, choice).expect("supports");
        }
        withdraw_support(&mut txn, "cy").expect("withdraws");
        let tally = recommendation_summary(&txn).expect("a summary").support;
        assert_eq!(
            tally.into_iter().collect::<Vec<_>>(),
            [("alt-1".to_owned(), 1), ("majority".to_owned(), 1)]
        );
    }

    #[test]
    fn adoption_freezes() {
        let doc = recommendation();
        assert!(!is_frozen(&doc.transact()));
        set_status(
            &mut doc.transact_mut(),
            Status::Adopted,
            Some(Consensus::Full),
        )
        .expect("sets");
        assert!(is_frozen(&doc.transact()));
        let rec = read_recommendation(&doc.transact()).expect("reads");
        assert_eq!(rec.consensus, Some(Consensus::Full));
    }

    #[test]
    fn a_recommendation_reads_back_the_number_it_was_given_in_its_topic() {
        let doc = testing::recommendation();
        let rec = read_recommendation(&doc.transact()).expect("reads");
        assert_eq!((rec.topic.as_str(), rec.number), ("C", 7));
        let summary = recommendation_summary(&doc.transact()).expect("summary");
        assert_eq!((summary.doc.as_str(), summary.number), ("r/c-7", 7));
    }

    #[test]
    fn a_number_that_is_not_a_count_reads_as_zero() {
        for stored in [Any::from(-3.0), Any::from("7")] {
            let doc = recommendation();
            let map = doc.get_or_insert_map(META);
            map.insert(&mut doc.transact_mut(), meta::NUMBER, stored.clone());
            let rec = read_recommendation(&doc.transact()).expect("reads");
            assert_eq!(rec.number, 0, "{stored:?}");
        }
    }

    /// Makes the edit a member's client could send over the websocket, and
    /// puts back what it may not change, as the room's guard does.
    fn forge(doc: &Doc, edit: impl FnOnce(&mut TransactionMut, &MapRef)) -> bool {
        let before = Protected::capture(&doc.transact());
        let mut txn = doc.transact_mut();
        let alt = match txn
            .get_map(ALTERNATIVES)
            .and_then(|map| map.get(&txn, "alt-1"))
        {
            Some(Out::YMap(alt)) => alt,
            other => panic!("no alternative: {other:?}"),
        };
        edit(&mut txn, &alt);
        before.restore(&mut txn)
    }

    #[test]
    fn proponents_a_client_adds_to_an_alternative_are_put_back() {
        let doc = testing::recommendation();
        assert!(forge(&doc, |txn, alt| {
            match alt.get(txn, alternative::PROPONENTS) {
                Some(Out::YArray(proponents)) => proponents.push_back(txn, "mia"),
                other => panic!("no proponents: {other:?}"),
            };
        }));
        assert!(forge(&doc, |txn, alt| {
            let forged: ArrayRef = alt.insert(txn, alternative::PROPONENTS, ArrayPrelim::default());
            forged.push_back(txn, "mia");
        }));
        let rec = read_recommendation(&doc.transact()).expect("reads");
        assert_eq!(rec.alternatives[0].proponents, vec!["ana".to_owned()]);
    }

    #[test]
    fn an_alternatives_label_is_put_back_and_its_text_edit_kept() {
        let doc = testing::recommendation();
        assert!(forge(&doc, |txn, alt| {
            alt.insert(txn, alternative::LABEL, "Mia's now");
            testing::alternative_text(txn).push(txn, " Edited.");
        }));
        let rec = read_recommendation(&doc.transact()).expect("reads");
        assert_eq!(rec.alternatives[0].label, "Ana's");
        assert_eq!(rec.alternatives[0].text, "Alternative text. Edited.");
    }

    #[test]
    fn an_alternatives_text_edit_alone_puts_nothing_back() {
        let doc = testing::recommendation();
        assert!(!forge(&doc, |txn, _| {
            testing::alternative_text(txn).push(txn, " Edited.");
        }));
    }

    #[test]
    fn what_a_client_adds_to_the_server_kept_parts_is_removed() {
        let doc = testing::recommendation();
        assert!(forge(&doc, |txn, alt| {
            alt.insert(txn, "pinned", true);
            let map = txn.get_or_insert_map(META);
            map.insert(txn, meta::CONSENSUS, Consensus::Full.as_str());
            let alternatives = txn.get_or_insert_map(ALTERNATIVES);
            let forged: MapRef = alternatives.insert(txn, "alt-forged", MapPrelim::default());
            forged.insert(txn, alternative::LABEL, "Forged");
        }));
        let txn = doc.transact();
        let alternatives = txn.get_map(ALTERNATIVES).expect("alternatives");
        assert!(!alternatives.contains_key(&txn, "alt-forged"));
        let Some(Out::YMap(alt)) = alternatives.get(&txn, "alt-1") else {
            panic!("alt-1 is gone");
        };
        assert!(!alt.contains_key(&txn, "pinned"));
        let rec = read_recommendation(&txn).expect("reads");
        assert_eq!(rec.consensus, None);
    }

    #[test]
    fn putting_a_text_back_changes_only_the_span_that_differs() {
        for (was, now) in [
            ("abc", "xabc"),
            ("abc", "abcx"),
            ("abc", "abxc"),
            ("abc", "ac"),
            ("abc", "axyc"),
            ("aa", "aaa"),
            ("", "new"),
            ("old", ""),
            ("é𝄞z", "é𝄞 and z"),
        ] {
            for offset_kind in [OffsetKind::Bytes, OffsetKind::Utf16] {
                let doc = Doc::with_options(yrs::Options {
                    offset_kind,
                    ..yrs::Options::default()
                });
                let text = doc.get_or_insert_text(TEXT);
                text.insert(&mut doc.transact_mut(), 0, now);
                assert!(put_back_text(&mut doc.transact_mut(), &text, was));
                assert_eq!(text.get_string(&doc.transact()), was, "{now:?}");
                assert!(!put_back_text(&mut doc.transact_mut(), &text, was));
            }
        }
    }

    #[test]
    fn a_field_is_replaced_whole() {
        let doc = recommendation();
        set_field(&mut doc.transact_mut(), Field::Timeline, "By 2027.").expect("sets");
        set_field(&mut doc.transact_mut(), Field::Timeline, "By 2028.").expect("sets");
        let rec = read_recommendation(&doc.transact()).expect("reads");
        assert_eq!(rec.fields[&Field::Timeline], "By 2028.");
        assert!(set_field(&mut Doc::new().transact_mut(), Field::Timeline, "x").is_err());
    }

    /// The majority text after inserting `text` at `position` into `majority`,
    /// in documents counting offsets in bytes and in UTF-16 units alike.
    fn inserted(majority: &str, position: Option<usize>, text: &str) -> String {
        let mut results = [OffsetKind::Bytes, OffsetKind::Utf16].map(|offset_kind| {
            let doc = Doc::with_options(yrs::Options {
                offset_kind,
                ..yrs::Options::default()
            });
            create_recommendation(&mut doc.transact_mut(), "c-1", "C", 1, "T", majority);
            insert_into_majority(&mut doc.transact_mut(), position, text).expect("inserts");
            read_recommendation(&doc.transact()).expect("reads").text
        });
        assert_eq!(results[0], results[1], "bytes and UTF-16 differ");
        std::mem::take(&mut results[0])
    }

    #[test]
    fn inserted_text_is_set_apart_from_the_words_it_would_run_into() {
        assert_eq!(inserted("Fund it.", None, "Now."), "Fund it. Now.");
        assert_eq!(inserted("Fund it.", Some(99), "Now."), "Fund it. Now.");
        assert_eq!(inserted("Fund it.", Some(0), "Please"), "Please Fund it.");
        assert_eq!(inserted("a.", Some(1), "b"), "a b.");
        assert_eq!(inserted("é𝄞z", Some(2), "y"), "é𝄞 y z");
    }

    #[test]
    fn inserted_text_gets_no_space_where_it_has_one_or_opens_on_a_bracket_or_quote() {
        assert_eq!(inserted("a b", Some(2), "new"), "a new b");
        assert_eq!(inserted("ab", Some(1), " x "), "a x b");
        assert_eq!(inserted("(x)", Some(1), "new"), "(new x)");
        assert_eq!(inserted("«x»", Some(1), "new "), "«new x»");
        assert_eq!(inserted("", None, "First."), "First.");
    }

    #[test]
    fn only_a_recommendation_takes_text_into_its_majority() {
        assert!(insert_into_majority(&mut Doc::new().transact_mut(), None, "x").is_err());
    }

    #[test]
    fn an_alternative_is_relabelled_by_its_proponents_the_vice_chair_and_the_chair_only() {
        let doc = testing::recommendation();
        let relabel = |user: &str, oversees: bool, id: &str| {
            let editor = Editor { user, oversees };
            relabel_alternative(&mut doc.transact_mut(), id, user, editor)
        };
        assert_eq!(
            relabel("mia", false, "alt-1"),
            Err(ModelError::NotAProponent)
        );
        assert_eq!(relabel("ana", false, "alt-1"), Ok(()));
        assert_eq!(relabel("vic", true, "alt-1"), Ok(()));
        assert_eq!(
            relabel("ana", false, "alt-9"),
            Err(ModelError::NoSuchAlternative("alt-9".into()))
        );
        let rec = read_recommendation(&doc.transact()).expect("reads");
        assert_eq!(rec.alternatives[0].label, "vic");
        assert!(
            relabel_alternative(
                &mut Doc::new().transact_mut(),
                "alt-1",
                "x",
                Editor {
                    user: "vic",
                    oversees: true
                }
            )
            .is_err()
        );
    }
}
