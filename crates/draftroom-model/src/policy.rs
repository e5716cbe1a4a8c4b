//! The drafting rules a document's room applies to clients' edits, asked
//! in one place: which documents take client edits at all, when a
//! recommendation's text is frozen, which parts only the server may change,
//! and which documents keep a summary in the space's index.

use yrs::{ReadTxn, TransactionMut};

use crate::recommendation::{Protected, is_frozen};
use crate::schema::DocPath;

/// What a client hears when it edits a document only the server writes.
pub const SERVER_KEPT: &str = "this document is kept by the server: edits are not applied";

/// What a client hears when it edits an adopted recommendation.
pub const FROZEN: &str =
    "this recommendation is adopted: its text is frozen until the chair moves it back";

/// What a document is, as far as clients' edits go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Only the server writes it: a space's index, proposals and versions
    /// lists, and the recommendations' states in named versions.
    ServerOnly,
    /// A recommendation: clients co-edit its texts; the rest only the
    /// server changes, and nothing changes while it is adopted.
    Recommendation,
    /// A branch proposal: a copy of a recommendation, its texts co-edited
    /// like the recommendation's (a branch is never adopted).
    Branch,
    /// Any other document: clients edit it freely.
    Other,
}

/// The rules for one document, decided from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditPolicy {
    kind: Kind,
}

/// Taken before a batch of clients' edits and finished after it, in the
/// same transaction, so that nobody ever sees a protected part changed.
#[derive(Debug)]
pub struct EditGuard {
    protected: Option<Protected>,
}

impl EditGuard {
    /// Puts back what clients may not change. Returns whether anything had
    /// to be put back.
    pub fn finish(self, txn: &mut TransactionMut) -> bool {
        self.protected
            .is_some_and(|protected| protected.restore(txn))
    }
}

impl EditPolicy {
    /// The rules for the document named `doc` under its space.
    pub fn of(doc: &str) -> EditPolicy {
        let kind = match DocPath::parse(doc) {
            DocPath::Index
            | DocPath::Proposals
            | DocPath::Versions
            | DocPath::VersionCopy { .. } => Kind::ServerOnly,
            DocPath::Recommendation(_) => Kind::Recommendation,
            DocPath::Branch(_) => Kind::Branch,
            DocPath::Other(_) => Kind::Other,
        };
        EditPolicy { kind }
    }

    /// Why no client may edit this document, if none may: its connections
    /// drop edits without passing them on.
    pub fn read_only(self) -> Option<&'static str> {
        (self.kind == Kind::ServerOnly).then_some(SERVER_KEPT)
    }

    /// Why the document refuses clients' edits as it stands now, if it does.
    pub fn refusal<T: ReadTxn>(self, txn: &T) -> Option<&'static str> {
        (self.kind == Kind::Recommendation && is_frozen(txn)).then_some(FROZEN)
    }

    /// Captures what clients may not change, before their edits apply.
    pub fn guard<T: ReadTxn>(self, txn: &T) -> EditGuard {
        let protects = matches!(self.kind, Kind::Recommendation | Kind::Branch);
        EditGuard {
            protected: protects.then(|| Protected::capture(txn)),
        }
    }

    /// Whether a change to the document is reflected in the space index's
    /// summary of it.
    pub fn summarized(self) -> bool {
        self.kind == Kind::Recommendation
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Consensus, Status, create_recommendation, set_status};
    use yrs::{Doc, Map, Transact, WriteTxn};

    #[test]
    fn server_kept_documents_take_no_client_edits() {
        for doc in ["index", "proposals", "versions", "v/v-1/c-1", "v/odd"] {
            assert_eq!(EditPolicy::of(doc).read_only(), Some(SERVER_KEPT), "{doc}");
        }
        for doc in ["r/c-1", "p/p-1", "notes", "r/c-1/x"] {
            assert_eq!(EditPolicy::of(doc).read_only(), None, "{doc}");
        }
    }

    #[test]
    fn an_adopted_recommendation_refuses_edits_and_a_branch_never_does() {
        let doc = Doc::new();
        create_recommendation(&mut doc.transact_mut(), "c-1", "C", 1, "T", "text");
        let policy = EditPolicy::of("r/c-1");
        assert_eq!(policy.refusal(&doc.transact()), None);
        set_status(
            &mut doc.transact_mut(),
            Status::Adopted,
            Some(Consensus::Full),
        )
        .expect("sets");
        assert_eq!(policy.refusal(&doc.transact()), Some(FROZEN));
        assert_eq!(EditPolicy::of("p/p-1").refusal(&doc.transact()), None);
        assert!(policy.summarized());
        assert!(!EditPolicy::of("p/p-1").summarized());
    }

    #[test]
    fn the_guard_puts_back_protected_parts_of_drafted_documents_only() {
        for (name, protects) in [("r/c-1", true), ("p/p-1", true), ("notes", false)] {
            let doc = Doc::new();
            create_recommendation(&mut doc.transact_mut(), "c-1", "C", 1, "T", "text");
            let mut txn = doc.transact_mut();
            let guard = EditPolicy::of(name).guard(&txn);
            let meta = txn.get_or_insert_map("meta");
            meta.insert(&mut txn, "status", "adopted");
            assert_eq!(guard.finish(&mut txn), protects, "{name}");
        }
    }
}
