use std::sync::Arc;

use thiserror::Error;

/// Why the store could not do what was asked. Cloneable because one failed
/// group commit fails every write in it.
#[derive(Debug, Clone, Error)]
pub enum StoreError {
    #[error("embedded store failed: {0}")]
    Embedded(#[source] Arc<redb::Error>),
    #[error("the store has shut down")]
    Closed,
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
