//! The audit log of a space: governance actions, append-only, each entry
//! carrying the hash of the one before, so that altering or removing an
//! entry (even directly in the store) is detectable.
//!
//! An entry is stored as `PREV\nHASH\nBODY`: the previous entry's hash (hex
//! SHA-256; 64 zeros for the first), this entry's hash, and the body (JSON
//! made by the server). `HASH = sha256(PREV "\n" SEQ "\n" BODY)`. Beside
//! the entries each store keeps the head (last sequence number and hash), so
//! that removing the newest entries is detected too.

use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::{Seq, StoreError};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: Seq,
    pub prev: String,
    pub hash: String,
    pub body: Bytes,
}

/// A space's log as stored: its entries in order, and its recorded head.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditLog {
    pub entries: Vec<AuditEntry>,
    pub head: Option<AuditHead>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    pub seq: Seq,
    pub hash: String,
}

impl AuditHead {
    pub(crate) fn encode(&self) -> String {
        format!("{} {}", self.seq, self.hash)
    }

    pub(crate) fn decode(text: &str) -> Result<AuditHead, StoreError> {
        let (seq, hash) = text
            .split_once(' ')
            .ok_or_else(|| StoreError::Corrupt("malformed audit head".into()))?;
        let seq = seq
            .parse()
            .map_err(|_| StoreError::Corrupt("malformed audit head".into()))?;
        Ok(AuditHead {
            seq,
            hash: hash.to_owned(),
        })
    }
}

fn hash(prev: &str, seq: Seq, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev.as_bytes());
    hasher.update(format!("\n{seq}\n").as_bytes());
    hasher.update(body);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl AuditEntry {
    /// The entry that follows `head` (none for the first).
    pub(crate) fn after(head: Option<&AuditHead>, body: Bytes) -> AuditEntry {
        let (seq, prev) = match head {
            Some(head) => (head.seq + 1, head.hash.clone()),
            None => (1, GENESIS.to_owned()),
        };
        AuditEntry {
            hash: hash(&prev, seq, &body),
            seq,
            prev,
            body,
        }
    }

    pub(crate) fn head(&self) -> AuditHead {
        AuditHead {
            seq: self.seq,
            hash: self.hash.clone(),
        }
    }

    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(130 + self.body.len());
        out.extend_from_slice(self.prev.as_bytes());
        out.push(b'\n');
        out.extend_from_slice(self.hash.as_bytes());
        out.push(b'\n');
        out.extend_from_slice(&self.body);
        out
    }

    pub(crate) fn decode(seq: Seq, stored: &[u8]) -> Result<AuditEntry, StoreError> {
        let corrupt = || StoreError::Corrupt(format!("audit entry {seq} is malformed"));
        let mut parts = stored.splitn(3, |&b| b == b'\n');
        let prev = parts.next().ok_or_else(corrupt)?;
        let hash = parts.next().ok_or_else(corrupt)?;
        let body = parts.next().ok_or_else(corrupt)?;
        Ok(AuditEntry {
            seq,
            prev: String::from_utf8_lossy(prev).into_owned(),
            hash: String::from_utf8_lossy(hash).into_owned(),
            body: Bytes::copy_from_slice(body),
        })
    }
}

/// The first entry that breaks the chain, and how.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit entry {seq}: {reason}")]
pub struct AuditFault {
    pub seq: Seq,
    pub reason: String,
}

/// Checks a log: numbering without gaps, every entry's hash, every link to
/// the entry before, and the recorded head. Returns the number of entries.
pub fn verify(log: &AuditLog) -> Result<usize, AuditFault> {
    let mut expected = AuditHead {
        seq: 0,
        hash: GENESIS.to_owned(),
    };
    for entry in &log.entries {
        let fault = |reason: &str| AuditFault {
            seq: entry.seq,
            reason: reason.to_owned(),
        };
        if entry.seq != expected.seq + 1 {
            return Err(AuditFault {
                seq: expected.seq + 1,
                reason: format!("is missing (the next entry is {})", entry.seq),
            });
        }
        if entry.prev != expected.hash {
            return Err(fault(
                "does not follow the entry before it (an entry was altered or removed)",
            ));
        }
        if hash(&entry.prev, entry.seq, &entry.body) != entry.hash {
            return Err(fault("was altered (its hash does not match its content)"));
        }
        expected = entry.head();
    }
    match &log.head {
        Some(head) if *head != expected => Err(AuditFault {
            seq: expected.seq + 1,
            reason: format!("is missing: the log's head names entry {}", head.seq),
        }),
        None if expected.seq > 0 => Err(AuditFault {
            seq: expected.seq,
            reason: "the log's head is missing".into(),
        }),
        _ => Ok(log.entries.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(bodies: &[&str]) -> AuditLog {
        let mut log = AuditLog::default();
        for body in bodies {
            let entry =
                AuditEntry::after(log.head.as_ref(), Bytes::copy_from_slice(body.as_bytes()));
            log.head = Some(entry.head());
            log.entries.push(entry);
        }
        log
    }

    #[test]
    fn an_untouched_log_verifies() {
        assert_eq!(verify(&log(&["a", "b", "c"])), Ok(3));
        assert_eq!(verify(&AuditLog::default()), Ok(0));
        let entry = &log(&["a"]).entries[0];
        assert_eq!(
            &AuditEntry::decode(1, &entry.encode()).expect("decodes"),
            entry
        );
    }

    #[test]
    fn altered_removed_and_truncated_logs_fail_at_the_first_bad_entry() {
        let mut altered = log(&["a", "b", "c"]);
        altered.entries[1].body = Bytes::from_static(b"B");
        assert_eq!(verify(&altered).map_err(|f| f.seq), Err(2));

        let mut removed = log(&["a", "b", "c"]);
        removed.entries.remove(1);
        assert_eq!(verify(&removed).map_err(|f| f.seq), Err(2));

        let mut truncated = log(&["a", "b", "c"]);
        truncated.entries.pop();
        assert_eq!(verify(&truncated).map_err(|f| f.seq), Err(3));

        // Rewriting an entry with a fresh hash still breaks the next link.
        let mut rewritten = log(&["a", "b", "c"]);
        let forged =
            AuditEntry::after(Some(&rewritten.entries[0].head()), Bytes::from_static(b"B"));
        rewritten.entries[1] = forged;
        assert_eq!(verify(&rewritten).map_err(|f| f.seq), Err(3));
    }
}
