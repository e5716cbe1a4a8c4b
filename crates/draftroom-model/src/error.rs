use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ModelError {
    #[error("the space already exists")]
    SpaceExists,
    #[error("no such topic: {0}")]
    NoSuchTopic(String),
    #[error("no such alternative: {0}")]
    NoSuchAlternative(String),
    #[error("{0}")]
    Invalid(String),
}
