//! Where Draftroom keeps its documents.
//!
//! A document is stored as an append-only log of Yjs updates, each with a
//! sequence number, plus at most one snapshot: the whole document encoded as
//! one update, recording the last sequence number it covers. Loading reads the
//! snapshot and the updates after it. Compaction writes a newer snapshot and
//! drops the updates it covers, so loading stays fast however long a document
//! has been edited.
//!
//! [`Store`] is the whole contract, kept small so that each backend is easy to
//! get right; document logic (merging, deciding when to compact) lives above
//! it, written once. Every backend passes the same conformance suite.
//!
//! - [`EmbeddedStore`]: one file on one machine (redb), no setup.

mod doc_name;
mod embedded;
mod error;

#[cfg(test)]
mod conformance;

use async_trait::async_trait;
use bytes::Bytes;

pub use doc_name::{DocName, InvalidDocName, check_space};
pub use embedded::EmbeddedStore;
pub use error::StoreError;

/// A position in a document's update log. The first update is 1; 0 means
/// "nothing yet".
pub type Seq = u64;

/// A document as stored: apply the snapshot, then the updates, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredDoc {
    pub snapshot: Option<Snapshot>,
    /// Updates after the snapshot, in order.
    pub updates: Vec<Bytes>,
    /// The sequence number of the last update, whether or not a snapshot covers it.
    pub last_seq: Seq,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The whole document, encoded as one Yjs update (v1).
    pub state: Bytes,
    /// The last update this snapshot includes.
    pub covers: Seq,
}

/// The storage contract every backend keeps.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Reads a document; an unknown document is empty.
    async fn load(&self, doc: &DocName) -> Result<StoredDoc, StoreError>;

    /// Appends one update and returns its sequence number. When this returns,
    /// the update survives the process being killed.
    async fn append(&self, doc: &DocName, update: Bytes) -> Result<Seq, StoreError>;

    /// Stores `snapshot` if it covers more than the stored one, then drops
    /// the updates it covers. Returns whether it was stored. Safe to call
    /// concurrently for one document: the newest snapshot wins.
    async fn compact(&self, doc: &DocName, snapshot: Snapshot) -> Result<bool, StoreError>;

    /// Whether the store can be used now; the reason if not.
    async fn check(&self) -> Result<(), StoreError>;
}
