//! The embedded backend: one redb file, for one machine and no setup.
//!
//! Tables:
//! - `updates`: `(doc, seq)` → update bytes.
//! - `snapshots`: `doc` → `(covers, state)`.
//! - `audit`: `(space, seq)` → audit entry; `audit_heads`: `space` → head.
//! - `registers`: `(space, register, key)` → value (claims, numbers,
//!   revocations).
//!
//! Writes go through one writer thread that commits everything queued since
//! its last commit in one durable transaction (group commit): a commit costs
//! an fsync, and one fsync for many updates is what lets many clients write
//! at once. Reads run on tokio's blocking pool; redb lets them proceed beside
//! the writer.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread;

use async_trait::async_trait;
use bytes::Bytes;
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, WriteTransaction};
use tokio::sync::oneshot;

use crate::registers::{self, Register};
use crate::{
    AuditEntry, AuditHead, AuditLog, DocName, RegisterAnswer, RegisterChange, Revocations, Seq,
    Snapshot, Store, StoreError, StoredDoc,
};

const UPDATES: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("updates");
const SNAPSHOTS: TableDefinition<&str, (u64, &[u8])> = TableDefinition::new("snapshots");
const AUDIT: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("audit");
const AUDIT_HEADS: TableDefinition<&str, &str> = TableDefinition::new("audit_heads");
const REGISTERS: TableDefinition<(&str, &str, &str), &str> = TableDefinition::new("registers");

/// How many writes one commit takes at most, so that a flood of writes
/// still gets answered in bounded batches.
const MAX_BATCH: usize = 4096;

pub struct EmbeddedStore {
    db: Arc<Database>,
    /// Feeds the writer thread. The thread ends when this sender (the only
    /// one) is dropped, after committing what was queued.
    writes: mpsc::Sender<Write>,
    /// Joined on drop, so that once the store is dropped the file is closed
    /// and another store (or process) can open it.
    writer: Option<thread::JoinHandle<()>>,
}

impl Drop for EmbeddedStore {
    fn drop(&mut self) {
        let (disconnected, _) = mpsc::channel();
        drop(std::mem::replace(&mut self.writes, disconnected));
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

enum Write {
    Append {
        doc: DocName,
        update: Bytes,
        done: oneshot::Sender<Result<Seq, StoreError>>,
    },
    Compact {
        doc: DocName,
        snapshot: Snapshot,
        done: oneshot::Sender<Result<bool, StoreError>>,
    },
    Audit {
        space: String,
        body: Bytes,
        done: oneshot::Sender<Result<AuditEntry, StoreError>>,
    },
    Register {
        space: String,
        change: RegisterChange,
        done: oneshot::Sender<Result<RegisterAnswer, StoreError>>,
    },
}

impl EmbeddedStore {
    /// Opens (or creates) the store in `dir`. Fails if another process has it open.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::from(redb::Error::Io(e)))?;
        let db = Arc::new(Database::create(dir.join("draftroom.redb"))?);
        let txn = db.begin_write()?;
        txn.open_table(UPDATES)?;
        txn.open_table(SNAPSHOTS)?;
        txn.open_table(AUDIT)?;
        txn.open_table(AUDIT_HEADS)?;
        txn.open_table(REGISTERS)?;
        txn.commit()?;
        let (writes, queue) = mpsc::channel();
        let writer_db = db.clone();
        let writer = thread::Builder::new()
            .name("draftroom-store-writer".into())
            .spawn(move || write_loop(&writer_db, &queue))
            .map_err(|e| StoreError::from(redb::Error::Io(e)))?;
        Ok(EmbeddedStore {
            db,
            writes,
            writer: Some(writer),
        })
    }

    async fn read<T: Send + 'static>(
        &self,
        read: impl FnOnce(&Database) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || read(&db))
            .await
            .map_err(|_| StoreError::Closed)?
    }

    async fn write<T>(
        &self,
        write: Write,
        done: oneshot::Receiver<Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        self.writes.send(write).map_err(|_| StoreError::Closed)?;
        done.await.map_err(|_| StoreError::Closed)?
    }
}

fn write_loop(db: &Database, queue: &mpsc::Receiver<Write>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(write) => batch.push(write),
                Err(_) => break,
            }
        }
        commit_batch(db, batch);
    }
}

/// Commits a batch in one transaction and answers each write. If the commit
/// fails, every write in it fails: none of them is durable.
fn commit_batch(db: &Database, batch: Vec<Write>) {
    let txn = match db.begin_write() {
        Ok(txn) => txn,
        Err(error) => {
            let error = StoreError::from(error);
            for write in batch {
                write.answer(Err(&error)).send(None);
            }
            return;
        }
    };
    let answers: Vec<Answer> = batch
        .into_iter()
        .map(|write| write.answer(Ok(&txn)))
        .collect();
    let commit = txn.commit().map_err(StoreError::from);
    for answer in answers {
        answer.send(commit.as_ref().err());
    }
}

impl Write {
    /// Does the write inside `txn` (or fails it with the transaction's error).
    fn answer(self, txn: Result<&WriteTransaction, &StoreError>) -> Answer {
        let txn = txn.map_err(StoreError::clone);
        match self {
            Write::Append { doc, update, done } => Answer::Append(Pending {
                done,
                result: txn.and_then(|txn| append_in(txn, &doc, &update)),
            }),
            Write::Compact {
                doc,
                snapshot,
                done,
            } => Answer::Compact(Pending {
                done,
                result: txn.and_then(|txn| compact_in(txn, &doc, &snapshot)),
            }),
            Write::Audit { space, body, done } => Answer::Audit(Pending {
                done,
                result: txn.and_then(|txn| audit_in(txn, &space, body)),
            }),
            Write::Register {
                space,
                change,
                done,
            } => Answer::Register(Pending {
                done,
                result: txn.and_then(|txn| register_in(txn, &space, &change)),
            }),
        }
    }
}

struct Pending<T> {
    done: oneshot::Sender<Result<T, StoreError>>,
    result: Result<T, StoreError>,
}

impl<T> Pending<T> {
    fn send(self, commit_error: Option<&StoreError>) {
        let result = match commit_error {
            Some(error) => Err(error.clone()),
            None => self.result,
        };
        // A dropped receiver means the caller stopped waiting; nothing to tell.
        let _ = self.done.send(result);
    }
}

enum Answer {
    Append(Pending<Seq>),
    Compact(Pending<bool>),
    Audit(Pending<AuditEntry>),
    Register(Pending<RegisterAnswer>),
}

impl Answer {
    fn send(self, commit_error: Option<&StoreError>) {
        match self {
            Answer::Append(pending) => pending.send(commit_error),
            Answer::Compact(pending) => pending.send(commit_error),
            Answer::Audit(pending) => pending.send(commit_error),
            Answer::Register(pending) => pending.send(commit_error),
        }
    }
}

fn last_seq_in(txn: &WriteTransaction, doc: &DocName) -> Result<Seq, StoreError> {
    let updates = txn.open_table(UPDATES)?;
    let last_update = updates
        .range((doc.as_str(), 0)..=(doc.as_str(), u64::MAX))?
        .next_back()
        .transpose()?
        .map_or(0, |(key, _)| key.value().1);
    let snapshots = txn.open_table(SNAPSHOTS)?;
    let covered = snapshots
        .get(doc.as_str())?
        .map_or(0, |snapshot| snapshot.value().0);
    Ok(last_update.max(covered))
}

fn append_in(txn: &WriteTransaction, doc: &DocName, update: &[u8]) -> Result<Seq, StoreError> {
    let seq = last_seq_in(txn, doc)? + 1;
    txn.open_table(UPDATES)?
        .insert((doc.as_str(), seq), update)?;
    Ok(seq)
}

fn compact_in(
    txn: &WriteTransaction,
    doc: &DocName,
    snapshot: &Snapshot,
) -> Result<bool, StoreError> {
    let mut snapshots = txn.open_table(SNAPSHOTS)?;
    let stored_covers = snapshots.get(doc.as_str())?.map_or(0, |s| s.value().0);
    if snapshot.covers <= stored_covers {
        return Ok(false);
    }
    snapshots.insert(doc.as_str(), (snapshot.covers, &snapshot.state[..]))?;
    txn.open_table(UPDATES)?.retain_in(
        (doc.as_str(), 0)..=(doc.as_str(), snapshot.covers),
        |_, _| false,
    )?;
    Ok(true)
}

fn audit_in(txn: &WriteTransaction, space: &str, body: Bytes) -> Result<AuditEntry, StoreError> {
    let mut heads = txn.open_table(AUDIT_HEADS)?;
    let head = heads
        .get(space)?
        .map(|head| AuditHead::decode(head.value()))
        .transpose()?;
    let entry = AuditEntry::after(head.as_ref(), body);
    txn.open_table(AUDIT)?
        .insert((space, entry.seq), entry.encode().as_slice())?;
    heads.insert(space, entry.head().encode().as_str())?;
    Ok(entry)
}

fn register_in(
    txn: &WriteTransaction,
    space: &str,
    change: &RegisterChange,
) -> Result<RegisterAnswer, StoreError> {
    let mut registers = txn.open_table(REGISTERS)?;
    let (register, key) = change.place();
    let place = (space, register.name(), key);
    let held = registers.get(place)?.map(|held| held.value().to_owned());
    let (value, answer) = change.apply(held.as_deref());
    match value {
        Some(value) => registers.insert(place, value.as_str())?,
        None => registers.remove(place)?,
    };
    Ok(answer)
}

#[async_trait]
impl Store for EmbeddedStore {
    async fn load(&self, doc: &DocName) -> Result<StoredDoc, StoreError> {
        let doc = doc.clone();
        self.read(move |db| {
            let txn = db.begin_read()?;
            let snapshot = txn.open_table(SNAPSHOTS)?.get(doc.as_str())?.map(|stored| {
                let (covers, state) = stored.value();
                Snapshot {
                    state: Bytes::copy_from_slice(state),
                    covers,
                }
            });
            let covers = snapshot.as_ref().map_or(0, |s| s.covers);
            let mut stored = StoredDoc {
                last_seq: covers,
                snapshot,
                updates: Vec::new(),
            };
            let updates = txn.open_table(UPDATES)?;
            for entry in updates.range((doc.as_str(), covers + 1)..=(doc.as_str(), u64::MAX))? {
                let (key, update) = entry?;
                stored.last_seq = key.value().1;
                stored.updates.push(Bytes::copy_from_slice(update.value()));
            }
            Ok(stored)
        })
        .await
    }

    async fn exists(&self, doc: &DocName) -> Result<bool, StoreError> {
        let doc = doc.clone();
        self.read(move |db| {
            let txn = db.begin_read()?;
            if txn.open_table(SNAPSHOTS)?.get(doc.as_str())?.is_some() {
                return Ok(true);
            }
            let updates = txn.open_table(UPDATES)?;
            let mut range = updates.range((doc.as_str(), 0)..=(doc.as_str(), u64::MAX))?;
            Ok(range.next().transpose()?.is_some())
        })
        .await
    }

    async fn append(&self, doc: &DocName, update: Bytes) -> Result<Seq, StoreError> {
        let (done, answer) = oneshot::channel();
        let write = Write::Append {
            doc: doc.clone(),
            update,
            done,
        };
        self.write(write, answer).await
    }

    async fn compact(&self, doc: &DocName, snapshot: Snapshot) -> Result<bool, StoreError> {
        let (done, answer) = oneshot::channel();
        let write = Write::Compact {
            doc: doc.clone(),
            snapshot,
            done,
        };
        self.write(write, answer).await
    }

    async fn append_audit(&self, space: &str, body: Bytes) -> Result<AuditEntry, StoreError> {
        let (done, answer) = oneshot::channel();
        let write = Write::Audit {
            space: space.to_owned(),
            body,
            done,
        };
        self.write(write, answer).await
    }

    async fn read_audit(&self, space: &str) -> Result<AuditLog, StoreError> {
        let space = space.to_owned();
        self.read(move |db| {
            let txn = db.begin_read()?;
            let head = txn
                .open_table(AUDIT_HEADS)?
                .get(space.as_str())?
                .map(|head| AuditHead::decode(head.value()))
                .transpose()?;
            let mut entries = Vec::new();
            for entry in txn
                .open_table(AUDIT)?
                .range((space.as_str(), 0)..=(space.as_str(), u64::MAX))?
            {
                let (key, stored) = entry?;
                entries.push(AuditEntry::decode(key.value().1, stored.value())?);
            }
            Ok(AuditLog { entries, head })
        })
        .await
    }

    async fn change_register(
        &self,
        space: &str,
        change: RegisterChange,
    ) -> Result<RegisterAnswer, StoreError> {
        let (done, answer) = oneshot::channel();
        let write = Write::Register {
            space: space.to_owned(),
            change,
            done,
        };
        self.write(write, answer).await
    }

    async fn revocations(&self, space: &str) -> Result<Revocations, StoreError> {
        let space = space.to_owned();
        self.read(move |db| {
            let txn = db.begin_read()?;
            let registers = txn.open_table(REGISTERS)?;
            let revoked = Register::Revoked.name();
            let mut stored = Vec::new();
            for entry in registers.range((space.as_str(), revoked, "")..)? {
                let (key, value) = entry?;
                let (at_space, register, user) = key.value();
                if at_space != space || register != revoked {
                    break;
                }
                stored.push((user.to_owned(), value.value().to_owned()));
            }
            registers::revocations(stored)
        })
        .await
    }

    async fn check(&self) -> Result<(), StoreError> {
        self.read(|db| {
            db.begin_read()?.open_table(SNAPSHOTS)?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn conforms() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Arc::new(EmbeddedStore::open(dir.path()).expect("opens"));
        conformance::run_all(store).await;
    }

    #[tokio::test]
    async fn keeps_data_across_reopening() {
        let dir = tempfile::tempdir().expect("temp dir");
        let doc = DocName::new("s", "d").expect("valid");
        {
            let store = EmbeddedStore::open(dir.path()).expect("opens");
            store
                .append(&doc, Bytes::from_static(b"one"))
                .await
                .expect("appends");
        }
        let store = EmbeddedStore::open(dir.path()).expect("the dropped store let go of the file");
        let loaded = store.load(&doc).await.expect("loads");
        assert_eq!(loaded.updates, vec![Bytes::from_static(b"one")]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_audit_log_altered_or_cut_in_the_file_fails_verification() {
        let dir = tempfile::tempdir().expect("temp dir");
        {
            let store = EmbeddedStore::open(dir.path()).expect("opens");
            for action in ["created", "merged", "rejected"] {
                let body = Bytes::from(format!("{{\"action\":\"{action}\"}}"));
                store.append_audit("wg", body).await.expect("appends");
            }
            assert_eq!(
                crate::verify_audit(&store.read_audit("wg").await.expect("reads")),
                Ok(3)
            );
        }
        type AuditTable<'t> = redb::Table<'t, (&'static str, u64), &'static [u8]>;
        let tamper = |change: &dyn Fn(&mut AuditTable)| {
            let db = Database::create(dir.path().join("draftroom.redb")).expect("opens the file");
            let txn = db.begin_write().expect("writes");
            change(&mut txn.open_table(AUDIT).expect("table"));
            txn.commit().expect("commits");
        };
        // Alter the middle entry's body, keeping its stored hashes.
        tamper(&|table| {
            let stored = table
                .get(("wg", 2))
                .expect("reads")
                .expect("present")
                .value()
                .to_vec();
            let altered = String::from_utf8(stored)
                .expect("text")
                .replace("merged", "MERGED");
            table.insert(("wg", 2), altered.as_bytes()).expect("writes");
        });
        let store = EmbeddedStore::open(dir.path()).expect("opens");
        let fault = crate::verify_audit(&store.read_audit("wg").await.expect("reads"))
            .expect_err("altered");
        assert_eq!(fault.seq, 2);
        drop(store);
        // Remove it altogether.
        tamper(&|table| {
            table.remove(("wg", 2)).expect("removes");
        });
        let store = EmbeddedStore::open(dir.path()).expect("opens");
        let fault = crate::verify_audit(&store.read_audit("wg").await.expect("reads"))
            .expect_err("removed");
        assert_eq!(fault.seq, 2);
    }

    #[test]
    fn a_second_process_cannot_open_the_same_store() {
        let dir = tempfile::tempdir().expect("temp dir");
        let _first = EmbeddedStore::open(dir.path()).expect("opens");
        assert!(EmbeddedStore::open(dir.path()).is_err());
    }
}
