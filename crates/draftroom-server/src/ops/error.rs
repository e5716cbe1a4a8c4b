//! Why an operation did not happen.

use draftroom_auth::Role;
use draftroom_model::{Bracket, ModelError, ProposalStatus};
use draftroom_store::{InvalidDocName, StoreError};

use crate::rooms::RoomError;

/// Why an operation did not happen. The message is what a person may be
/// told; the sources of [`OpError::Store`], [`OpError::Room`] and
/// [`OpError::Internal`] are for the log only.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OpError {
    #[error("this needs the {needed} role or above; you are {actual}")]
    Forbidden { needed: Role, actual: Role },
    #[error("{}", super::access::REVOKED)]
    Revoked,
    #[error("these are another person's proposals, for them to follow")]
    NotYours,
    #[error("only its author may withdraw a proposal")]
    NotAuthor,
    #[error("only the comment's author, the vice-chair and the chair resolve or reopen it")]
    NotCommentAuthor,
    #[error("no space {0:?}")]
    NoSuchSpace(String),
    #[error("no recommendation {0:?}")]
    NoSuchRecommendation(String),
    #[error("no proposal {0:?}")]
    NoSuchProposal(String),
    #[error("no topic {0:?}")]
    NoSuchTopic(String),
    #[error("no alternative {0:?}")]
    NoSuchAlternative(String),
    #[error("{0}")]
    NoSuchBracket(String),
    #[error("{0}")]
    NoSuchComment(String),
    #[error(
        "this recommendation holds as many comments and replies as it may ({0}); resolve and discuss in the ones there"
    )]
    TooManyComments(usize),
    #[error("{0}")]
    NoSuchSuggestion(String),
    #[error(
        "this recommendation holds as many suggestions as it may ({0}); edit the text, or propose a text"
    )]
    TooManySuggestions(usize),
    #[error("implementation is reported once a recommendation is adopted")]
    NotAdopted,
    #[error(
        "implementation is reported by the responsible body's representatives (their delegation named in its responsible body), the vice-chair and the chair"
    )]
    NotResponsible,
    #[error("this recommendation holds as many implementation reports as it may ({0})")]
    TooManyEntries(usize),
    #[error("no meeting {0:?}")]
    NoSuchMeeting(String),
    #[error(
        "this meeting's summary is begun: draft it again only to replace what is written there"
    )]
    SummaryBegun,
    #[error("the space holds as many meetings as it may ({0})")]
    TooManyMeetings(usize),
    #[error("the space holds as many points of broad agreement as it may ({0})")]
    TooManyPoints(usize),
    /// A meeting's deadline for proposals on the topic has passed.
    #[error(
        "the deadline for proposals on topic {topic} ({meeting}) passed on {}; the vice-chair can reopen the topic",
        time_in_words(.at)
    )]
    DeadlinePassed {
        topic: String,
        meeting: String,
        at: String,
    },
    #[error("{0:?} is not on the roster")]
    NoSuchPerson(String),
    #[error("the roster holds as many people as it may ({0})")]
    TooManyPeople(usize),
    #[error("only its author may withdraw a suggestion")]
    NotSuggestionAuthor,
    /// Adoption would leave these brackets open; the message lists them.
    #[error("{}", open_brackets_message(.0))]
    OpenBrackets(Vec<Bracket>),
    /// An alternative already reads as the one asked for: the message
    /// names it.
    #[error("{0}")]
    DuplicateAlternative(String),
    /// A diff side names nothing there is.
    #[error("nothing is named {0:?}")]
    NothingNamed(String),
    #[error("{}", draftroom_model::NOT_A_PROPONENT)]
    NotAProponent,
    #[error("{}", draftroom_model::FROZEN)]
    Frozen,
    #[error("the proposal is {0}, no longer open")]
    NotOpen(ProposalStatus),
    /// Another closing step of the proposal holds it: the message says which.
    #[error("{0}")]
    Closing(String),
    #[error("the space already exists")]
    SpaceExists,
    #[error("{0}")]
    BadSpaceId(#[source] InvalidDocName),
    /// A document name built from what the caller sent is not one.
    #[error("{0}")]
    BadDocName(#[source] InvalidDocName),
    /// The request itself is wrong; the message says how.
    #[error("{0}")]
    Invalid(String),
    /// Something written is longer than the server takes; the message
    /// says what and how long it may be.
    #[error("{0}")]
    TooLong(String),
    #[error(
        "you have created as many things as one person may in a minute ({per_minute}); try again in {retry_after} s"
    )]
    TooMany { per_minute: u32, retry_after: u64 },
    #[error("the store is unavailable; try again shortly")]
    Store(#[source] StoreError),
    #[error("the document could not be opened or changed; try again shortly")]
    Room(#[source] RoomError),
    /// Something that should not happen did; the text is for the log.
    #[error("something went wrong on the server")]
    Internal(String),
}

impl OpError {
    /// Whether the fault is the server's (or its store's), not the
    /// caller's: these are logged with their cause.
    pub(crate) fn is_server_fault(&self) -> bool {
        matches!(
            self,
            OpError::Store(_) | OpError::Room(_) | OpError::Internal(_)
        )
    }
}

impl From<ModelError> for OpError {
    fn from(error: ModelError) -> Self {
        match error {
            ModelError::SpaceExists => OpError::SpaceExists,
            ModelError::NoSuchTopic(topic) => OpError::NoSuchTopic(topic),
            ModelError::NoSuchAlternative(id) => OpError::NoSuchAlternative(id),
            missing @ ModelError::NoSuchBracket(_) => OpError::NoSuchBracket(missing.to_string()),
            missing @ ModelError::NoSuchComment(_) => OpError::NoSuchComment(missing.to_string()),
            missing @ ModelError::NoSuchSuggestion(_) => {
                OpError::NoSuchSuggestion(missing.to_string())
            }
            ModelError::NotOpen(status) => OpError::NotOpen(status),
            ModelError::NotAProponent => OpError::NotAProponent,
            ModelError::Invalid(message) => OpError::Invalid(message),
            duplicate @ ModelError::DuplicateAlternative { .. } => {
                OpError::DuplicateAlternative(duplicate.to_string())
            }
        }
    }
}

impl From<RoomError> for OpError {
    fn from(error: RoomError) -> Self {
        OpError::Room(error)
    }
}

impl From<StoreError> for OpError {
    fn from(error: StoreError) -> Self {
        OpError::Store(error)
    }
}

/// An RFC 3339 time as a person reads it: "20 January 2012 at 12:00 UTC".
fn time_in_words(at: &str) -> String {
    match at.get(11..16) {
        Some(time) => format!("{} at {time} UTC", draftroom_model::date_in_words(at)),
        None => draftroom_model::date_in_words(at),
    }
}

/// Why a recommendation with brackets open is not adopted: each bracket,
/// where it is and who holds it.
fn open_brackets_message(brackets: &[Bracket]) -> String {
    let listed: Vec<String> = brackets
        .iter()
        .map(|bracket| {
            let holders = &bracket.record.holders;
            let held = if holders.is_empty() {
                String::new()
            } else {
                format!(", held by {}", holders.join(", "))
            };
            format!(
                "{} in {} ({}{held})",
                bracket.passage,
                bracket.text_name,
                bracket.record.state_text()
            )
        })
        .collect();
    format!(
        "{} not cleared: {}. Clear them first, or adopt with a reason for overriding them",
        match brackets.len() {
            1 => "1 bracket is".to_owned(),
            n => format!("{n} brackets are"),
        },
        listed.join("; ")
    )
}
