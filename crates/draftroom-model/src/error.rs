//! Why the model refused a change.

use thiserror::Error;

use crate::ProposalStatus;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ModelError {
    #[error("the space already exists")]
    SpaceExists,
    #[error("no such topic: {0}")]
    NoSuchTopic(String),
    #[error("no such alternative: {0}")]
    NoSuchAlternative(String),
    #[error("{}", crate::NOT_A_PROPONENT)]
    NotAProponent,
    #[error("the proposal is {0}, no longer open")]
    NotOpen(ProposalStatus),
    #[error(
        "an alternative already reads so: “{label}” ({id}); support it, or join its proponents"
    )]
    DuplicateAlternative { id: String, label: String },
    #[error(
        "no bracket {0:?} is open in this recommendation: its “[” was deleted, or it was cleared"
    )]
    NoSuchBracket(String),
    #[error("no comment {0:?} on this recommendation")]
    NoSuchComment(String),
    #[error("no suggestion {0:?} on this recommendation")]
    NoSuchSuggestion(String),
    #[error("{0}")]
    Invalid(String),
}
