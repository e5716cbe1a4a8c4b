//! Proposals: members' suggested changes, in the space's `proposals`
//! document, which the server alone writes so that the vice-chair's inbox
//! follows it live. Nothing is ever removed: a proposal keeps every change
//! of status, who made it and when, and where it was merged.

use serde::{Deserialize, Serialize};
use yrs::{ReadTxn, TransactionMut};

use crate::ModelError;
use crate::values::{put_record, read_record, records};

/// The name of a space's proposals document, under the space.
pub const PROPOSALS_DOC: &str = "proposals";

const PROPOSALS: &str = "proposals";

/// The document of a branch proposal, as it follows `/ws/{space}/`.
pub fn branch_doc(id: &str) -> String {
    format!("p/{id}")
}

/// The proposal id a document name stands for, if it is a branch.
pub fn proposal_id_of(doc: &str) -> Option<&str> {
    doc.strip_prefix("p/")
        .filter(|id| !id.is_empty() && !id.contains('/'))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProposalStatus {
    Submitted,
    Categorized,
    Merged,
    PartiallyMerged,
    Rejected,
    Withdrawn,
}

impl ProposalStatus {
    /// Whether the proposal is still open for the vice-chair's action.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ProposalStatus::Submitted | ProposalStatus::Categorized
        )
    }
}

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
    /// `majority`, `alternative` or `new` (a new recommendation).
    #[serde(rename = "as")]
    pub merged_as: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative: Option<String>,
    pub by: String,
    pub at: String,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fork_state: Option<String>,
    pub author: String,
    pub created_at: String,
    pub status: ProposalStatus,
    pub history: Vec<ProposalEvent>,
    #[serde(default)]
    pub merged_into: Vec<MergeRecord>,
}

impl Proposal {
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
            Err(ModelError::Invalid(format!(
                "the proposal is {}, no longer open",
                serde_json::to_value(self.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            )))
        }
    }
}

/// Stores a proposal (new or changed).
pub fn put_proposal(txn: &mut TransactionMut, proposal: &Proposal) {
    put_record(txn, PROPOSALS, &proposal.id, proposal);
}

pub fn read_proposal<T: ReadTxn>(txn: &T, id: &str) -> Option<Proposal> {
    read_record(txn, PROPOSALS, id)
}

/// Every proposal, oldest first.
pub fn list_proposals<T: ReadTxn>(txn: &T) -> Vec<Proposal> {
    let mut proposals: Vec<Proposal> = records(txn, PROPOSALS);
    proposals.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
    proposals
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::{Doc, Transact};

    #[test]
    fn keeps_every_change() {
        let doc = Doc::new();
        let mut proposal = Proposal {
            id: "p1".into(),
            title: "Fund it".into(),
            text: Some("Use the Trust Fund.".into()),
            topic: None,
            branch_of: None,
            doc: None,
            fork_state: None,
            author: "mia".into(),
            created_at: "t1".into(),
            status: ProposalStatus::Submitted,
            history: vec![],
            merged_into: vec![],
        };
        proposal.record(ProposalStatus::Submitted, "mia", "t1", None);
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
        assert!(listed[0].check_open().is_err());
        assert_eq!(branch_doc("p1"), "p/p1");
        assert_eq!(proposal_id_of("p/p1"), Some("p1"));
    }
}
