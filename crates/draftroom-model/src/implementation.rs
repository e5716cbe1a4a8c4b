//! Monitoring of implementation: once a recommendation is adopted its text
//! stays frozen, and how its implementation goes is recorded beside it, in
//! its own document: entries with a status, a note, a link to evidence and
//! the date each describes, appended and never rewritten, in the root map
//! `implementation`, which only the server writes.

use serde::{Deserialize, Serialize};
use yrs::{ReadTxn, TransactionMut};

use crate::records::{oldest_first, put_record};
use crate::schema::root::IMPLEMENTATION_REPORTS;

names!(
    /// How far a recommendation's implementation has come.
    ImplementationStatus, "implementation status",
    NotStarted => "not-started",
    InProgress => "in-progress",
    Implemented => "implemented",
    Superseded => "superseded",
);

impl ImplementationStatus {
    /// As a report says it.
    pub fn in_words(self) -> &'static str {
        match self {
            ImplementationStatus::NotStarted => "not started",
            ImplementationStatus::InProgress => "in progress",
            ImplementationStatus::Implemented => "implemented",
            ImplementationStatus::Superseded => "superseded",
        }
    }
}

/// One report on a recommendation's implementation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub status: ImplementationStatus,
    #[serde(default)]
    pub note: String,
    /// A link to what shows it; empty if none.
    #[serde(default)]
    pub evidence: String,
    /// The date it describes, `YYYY-MM-DD`.
    pub as_of: String,
    /// Who reported it.
    pub by: String,
    /// When it was recorded (RFC 3339).
    pub at: String,
}

/// Appends an entry.
pub fn add_entry(txn: &mut TransactionMut, entry: &Entry) {
    put_record(txn, IMPLEMENTATION_REPORTS, &entry.id, entry);
}

/// Every entry, in the order of the dates they describe (then of their
/// recording).
pub fn read_entries<T: ReadTxn>(txn: &T) -> Vec<Entry> {
    let mut entries = oldest_first(txn, IMPLEMENTATION_REPORTS, |entry: &Entry| {
        (&entry.at, &entry.id)
    });
    entries.sort_by(|a, b| a.as_of.cmp(&b.as_of));
    entries
}

#[cfg(test)]
mod tests {
    use yrs::{Doc, Transact};

    use super::*;

    fn entry(id: &str, status: ImplementationStatus, as_of: &str, at: &str) -> Entry {
        Entry {
            id: id.into(),
            status,
            note: String::new(),
            evidence: String::new(),
            as_of: as_of.into(),
            by: "desa".into(),
            at: at.into(),
        }
    }

    #[test]
    fn entries_are_read_by_the_date_they_describe() {
        let doc = Doc::new();
        for e in [
            entry("i-3", ImplementationStatus::Implemented, "2013-03-01", "t3"),
            entry("i-1", ImplementationStatus::NotStarted, "2012-06-01", "t1"),
            entry("i-2", ImplementationStatus::InProgress, "2012-10-01", "t4"),
        ] {
            add_entry(&mut doc.transact_mut(), &e);
        }
        let entries = read_entries(&doc.transact());
        let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["i-1", "i-2", "i-3"]);
    }
}
