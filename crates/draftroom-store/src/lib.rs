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
//! - [`RedisStore`]: one Redis or Redis Cluster shared by many servers; each
//!   follows the logs of the documents it has open to hear the others.

mod audit;
mod doc_name;
mod embedded;
mod error;
mod redis_store;
mod registers;

#[cfg(test)]
mod conformance;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use tokio::sync::mpsc;

pub use audit::{AuditEntry, AuditFault, AuditHead, AuditLog, verify as verify_audit};
pub use doc_name::{DocName, InvalidDocName, check_space};
pub use embedded::EmbeddedStore;
pub use error::StoreError;
pub use redis_store::RedisStore;
pub use registers::{RegisterAnswer, RegisterChange, Revocations};

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

    /// Whether anything was ever stored for a document: a cheap check,
    /// so that asking after a document that does not exist loads nothing.
    async fn exists(&self, doc: &DocName) -> Result<bool, StoreError>;

    /// Appends one update and returns its sequence number. When this returns,
    /// the update survives the process being killed.
    async fn append(&self, doc: &DocName, update: Bytes) -> Result<Seq, StoreError>;

    /// Stores `snapshot` if it covers more than the stored one, then drops
    /// the updates it covers. Returns whether it was stored. Safe to call
    /// concurrently for one document: the newest snapshot wins.
    async fn compact(&self, doc: &DocName, snapshot: Snapshot) -> Result<bool, StoreError>;

    /// Whether the store can be used now; the reason if not.
    async fn check(&self) -> Result<(), StoreError>;

    /// Appends `body` to `space`'s audit log, chained by hash to the entry
    /// before it; returns the entry as stored. Appends from many servers
    /// at once each land once, in some order.
    async fn append_audit(&self, space: &str, body: Bytes) -> Result<AuditEntry, StoreError>;

    /// `space`'s audit log as stored, to show or verify.
    async fn read_audit(&self, space: &str) -> Result<AuditLog, StoreError>;

    /// Makes one atomic change to `space`'s registers: values every
    /// server sharing the store agrees on (claims, numbers, revocations).
    async fn change_register(
        &self,
        space: &str,
        change: RegisterChange,
    ) -> Result<RegisterAnswer, StoreError>;

    /// Every revocation of `space`.
    async fn revocations(&self, space: &str) -> Result<Revocations, StoreError>;

    /// Makes `holder` hold `key` in `space` unless someone does: `None` if
    /// it now does, else who holds it. However many servers ask at once,
    /// one wins.
    async fn claim(
        &self,
        space: &str,
        key: &str,
        holder: &str,
    ) -> Result<Option<String>, StoreError> {
        let change = RegisterChange::Claim {
            key: key.to_owned(),
            holder: holder.to_owned(),
        };
        self.change_register(space, change).await?.claimed()
    }

    /// Lets go of `key` in `space` if `holder` holds it.
    async fn release(&self, space: &str, key: &str, holder: &str) -> Result<(), StoreError> {
        let change = RegisterChange::Release {
            key: key.to_owned(),
            holder: holder.to_owned(),
        };
        self.change_register(space, change).await.map(drop)
    }

    /// The next number of `space`'s `series`: one more than the last one
    /// given or than `at_least`, whichever is higher. No number is given
    /// twice, on any server.
    async fn next_number(
        &self,
        space: &str,
        series: &str,
        at_least: u64,
    ) -> Result<u64, StoreError> {
        let change = RegisterChange::NextNumber {
            series: series.to_owned(),
            at_least,
        };
        self.change_register(space, change).await?.number()
    }

    /// Refuses `user`'s tokens for `space` issued at or before `at`
    /// (seconds since the Unix epoch).
    async fn revoke(&self, space: &str, user: &str, at: u64) -> Result<(), StoreError> {
        let change = RegisterChange::Revoke {
            user: user.to_owned(),
            at,
        };
        self.change_register(space, change).await.map(drop)
    }

    /// What other servers append to `doc` after `after`, in order, for
    /// backends several servers share; `None` where this server is the only
    /// writer. The updates include this server's own. Dropping the receiver
    /// stops the following.
    fn follow(
        &self,
        _doc: &DocName,
        _after: Seq,
    ) -> Option<mpsc::Receiver<Result<Followed, StoreError>>> {
        None
    }
}

/// What following a document's log yields.
#[derive(Debug)]
pub enum Followed {
    /// The next entries, in order, with no gap before them.
    Updates(Vec<(Seq, Bytes)>),
    /// Entries were compacted away before they could be read: reload the
    /// document from the store, then go on.
    Gap,
}

/// Opens the store a `--store` argument names: `redis://…` or
/// `redis+cluster://…` for Redis, anything else a directory for the
/// embedded store.
pub fn open(spec: &str) -> Result<Arc<dyn Store>, StoreError> {
    if spec.starts_with("redis://") || spec.starts_with("redis+cluster://") {
        Ok(Arc::new(RedisStore::new(spec)?))
    } else {
        Ok(Arc::new(EmbeddedStore::open(Path::new(spec))?))
    }
}
