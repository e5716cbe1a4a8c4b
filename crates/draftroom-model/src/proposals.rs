//! Proposals: members' suggested changes. Each is kept in full in the
//! space's `proposal-records` document, which only the server reads (the
//! API shows each person the proposals they may see), and summed up in the
//! `proposals` document, which the inbox follows live as a sign to read
//! again: a summary stays small however long the proposal's text, so the
//! live document does too. Nothing is ever removed: a proposal keeps every
//! change of status, who made it and when, and where it was merged.

use serde::{Deserialize, Serialize};
use yrs::{ReadTxn, TransactionMut};

use crate::records::{oldest_first, put_record, read_record};
use crate::schema::PROPOSALS_DOC;
use crate::{MergeKind, ModelError, ProposalStatus};

/// A change of status: who, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalEvent {
    pub status: ProposalStatus,
    pub by: String,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where a proposal went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeRecord {
    /// The recommendation it was merged into.
    pub recommendation: String,
    #[serde(rename = "as")]
    pub merged_as: MergeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative: Option<String>,
    pub by: String,
    pub at: String,
    /// When only some of its changes were taken: those.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hunks: Vec<crate::Hunk>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub id: String,
    pub title: String,
    /// The proposed text, for a free-text proposal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// For a branch: the recommendation it copies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_of: Option<String>,
    /// For a branch: its document, as it follows `/ws/{space}/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// For a branch: the recommendation's state vector when it was copied
    /// (hex), so a merge applies exactly the branch's edits since then.
    /// The server's alone: see [`Proposal::fork_state`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fork_state: Option<String>,
    pub author: String,
    pub created_at: String,
    pub status: ProposalStatus,
    pub history: Vec<ProposalEvent>,
    #[serde(default)]
    pub merged_into: Vec<MergeRecord>,
}

impl Proposal {
    /// A proposal `author` submits at `at`: free text unless it becomes a
    /// branch ([`Proposal::branch`]).
    pub fn new(
        id: &str,
        title: &str,
        text: Option<String>,
        topic: Option<String>,
        author: &str,
        at: &str,
    ) -> Proposal {
        let mut proposal = Proposal {
            id: id.to_owned(),
            title: title.to_owned(),
            text,
            topic,
            branch_of: None,
            doc: None,
            fork_state: None,
            author: author.to_owned(),
            created_at: at.to_owned(),
            status: ProposalStatus::Submitted,
            history: Vec::new(),
            merged_into: Vec::new(),
        };
        proposal.record(ProposalStatus::Submitted, author, at, None);
        proposal
    }

    /// Makes the proposal a branch of `recommendation`, held in document
    /// `doc`, copied when the recommendation's state vector was
    /// `fork_state` (v1).
    pub fn branch(&mut self, recommendation: &str, doc: &str, fork_state: &[u8]) {
        self.branch_of = Some(recommendation.to_owned());
        self.doc = Some(doc.to_owned());
        self.fork_state = Some(fork_state.iter().map(|b| format!("{b:02x}")).collect());
    }

    /// For a branch, the recommendation's state vector (v1) when it was
    /// copied; `None` for free text, or a stored value that is not hex.
    pub fn fork_state(&self) -> Option<Vec<u8>> {
        let hex = self.fork_state.as_deref()?;
        (0..hex.len())
            .step_by(2)
            .map(|i| {
                hex.get(i..i + 2)
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
            })
            .collect()
    }

    /// Moves the proposal to `status`, recording who, when and why.
    pub fn record(&mut self, status: ProposalStatus, by: &str, at: &str, note: Option<String>) {
        self.status = status;
        self.history.push(ProposalEvent {
            status,
            by: by.to_owned(),
            at: at.to_owned(),
            note,
        });
    }

    /// Refuses an action on a proposal that is no longer open.
    pub fn check_open(&self) -> Result<(), ModelError> {
        if self.status.is_open() {
            Ok(())
        } else {
            Err(ModelError::NotOpen(self.status))
        }
    }
}

/// What the live `proposals` document holds of a proposal: enough to tell
/// that it changed, nothing anyone may not see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalSummary {
    pub id: String,
    pub status: ProposalStatus,
    /// How many changes of status it has been through.
    pub steps: usize,
}

impl From<&Proposal> for ProposalSummary {
    fn from(proposal: &Proposal) -> Self {
        ProposalSummary {
            id: proposal.id.clone(),
            status: proposal.status,
            steps: proposal.history.len(),
        }
    }
}

/// Stores a proposal (new or changed) in full, in `proposal-records`.
pub fn put_proposal(txn: &mut TransactionMut, proposal: &Proposal) {
    put_record(txn, PROPOSALS_DOC, &proposal.id, proposal);
}

/// Sums a proposal up in the live `proposals` document, in place of what
/// was there (a summary, or a full record as stores before summaries
/// held).
pub fn put_proposal_summary(txn: &mut TransactionMut, proposal: &Proposal) {
    put_record(
        txn,
        PROPOSALS_DOC,
        &proposal.id,
        &ProposalSummary::from(proposal),
    );
}

/// The proposal `id` in full: from `proposal-records`, or from the live
/// `proposals` document of a store written before summaries.
pub fn read_proposal<T: ReadTxn>(txn: &T, id: &str) -> Option<Proposal> {
    read_record(txn, PROPOSALS_DOC, id)
}

/// Every proposal held in full, oldest first: all of them in
/// `proposal-records`; in the live `proposals` document, those a store
/// written before summaries still holds whole (summaries are not
/// proposals, and are skipped).
pub fn list_proposals<T: ReadTxn>(txn: &T) -> Vec<Proposal> {
    oldest_first(txn, PROPOSALS_DOC, |proposal: &Proposal| {
        (&proposal.created_at, &proposal.id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::{Doc, Transact};

    #[test]
    fn keeps_every_change() {
        let doc = Doc::new();
        let proposal = Proposal::new(
            "p1",
            "Fund it",
            Some("Use the Trust Fund.".into()),
            None,
            "mia",
            "t1",
        );
        put_proposal(&mut doc.transact_mut(), &proposal);
        let mut stored = read_proposal(&doc.transact(), "p1").expect("stored");
        assert!(stored.check_open().is_ok());
        stored.record(
            ProposalStatus::Rejected,
            "vic",
            "t2",
            Some("out of scope".into()),
        );
        put_proposal(&mut doc.transact_mut(), &stored);
        let listed = list_proposals(&doc.transact());
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].history.len(), 2);
        assert_eq!(
            listed[0].check_open(),
            Err(ModelError::NotOpen(ProposalStatus::Rejected))
        );
    }

    #[test]
    fn a_summary_replaces_the_full_record_and_is_not_read_as_a_proposal() {
        let doc = Doc::new();
        let mut proposal = Proposal::new(
            "p1",
            "Fund it",
            Some("A long text. ".repeat(10_000)),
            None,
            "mia",
            "t1",
        );
        put_proposal(&mut doc.transact_mut(), &proposal);
        assert_eq!(list_proposals(&doc.transact()), vec![proposal.clone()]);
        proposal.record(ProposalStatus::Withdrawn, "mia", "t2", None);
        put_proposal_summary(&mut doc.transact_mut(), &proposal);
        assert_eq!(read_proposal(&doc.transact(), "p1"), None);
        assert_eq!(list_proposals(&doc.transact()), Vec::new());
        let summary: Option<ProposalSummary> = read_record(&doc.transact(), PROPOSALS_DOC, "p1");
        assert_eq!(
            summary,
            Some(ProposalSummary {
                id: "p1".into(),
                status: ProposalStatus::Withdrawn,
                steps: 2
            })
        );
        let held = doc
            .transact()
            .encode_state_as_update_v1(&yrs::StateVector::default());
        assert!(held.len() < 1000, "the long text is gone: {}", held.len());
    }

    #[test]
    fn a_branch_keeps_its_fork_state() {
        let mut proposal = Proposal::new("p2", "Edit", None, None, "mia", "t1");
        assert_eq!(proposal.fork_state(), None);
        proposal.branch("c-1", "p/p2", &[0, 1, 0xab, 0xff]);
        assert_eq!(proposal.fork_state(), Some(vec![0, 1, 0xab, 0xff]));
        let stored = serde_json::to_value(&proposal).expect("serializes");
        assert_eq!(stored["fork_state"], "0001abff");
        let read: Proposal = serde_json::from_value(stored).expect("deserializes");
        assert_eq!(read, proposal);
    }

    #[test]
    fn a_fork_state_that_is_not_hex_reads_as_none() {
        let mut proposal = Proposal::new("p2", "Edit", None, None, "mia", "t1");
        for stored in ["0g", "abc"] {
            proposal.fork_state = Some(stored.into());
            assert_eq!(proposal.fork_state(), None, "{stored}");
        }
    }

    #[test]
    fn proposals_are_listed_oldest_first() {
        let doc = Doc::new();
        for (id, at) in [("p-b", "t2"), ("p-a", "t1"), ("p-c", "t1")] {
            let proposal = Proposal::new(id, "Fund it", None, None, "mia", at);
            put_proposal(&mut doc.transact_mut(), &proposal);
        }
        let listed: Vec<String> = list_proposals(&doc.transact())
            .into_iter()
            .map(|proposal| proposal.id)
            .collect();
        assert_eq!(listed, ["p-a", "p-c", "p-b"]);
        assert_eq!(read_proposal(&doc.transact(), "p-z"), None);
    }
}
