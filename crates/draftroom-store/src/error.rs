//! Why a store could not do what was asked.

use std::sync::Arc;

use thiserror::Error;

/// Why the store could not do what was asked. Cloneable because one failed
/// group commit fails every write in it.
#[derive(Debug, Clone, Error)]
pub enum StoreError {
    #[error("embedded store failed: {0}")]
    Embedded(#[source] Arc<redb::Error>),
    #[error("Redis failed: {0}")]
    Redis(#[source] Arc<redis::RedisError>),
    #[error("{0}")]
    Refused(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("the store has shut down")]
    Closed,
}

impl From<redis::RedisError> for StoreError {
    fn from(error: redis::RedisError) -> Self {
        StoreError::Redis(Arc::new(error))
    }
}

macro_rules! from_redb {
    ($($error:ty),*) => {$(
        impl From<$error> for StoreError {
            fn from(error: $error) -> Self {
                StoreError::Embedded(Arc::new(error.into()))
            }
        }
    )*};
}

from_redb!(
    redb::Error,
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);
