//! The space's audit log: every governance action, appended once it has
//! happened, each entry chained by hash to the one before.

use std::collections::HashSet;

use bytes::Bytes;
use draftroom_auth::Role;
use draftroom_model::AuditAction;
use draftroom_store::{AuditFault, AuditLog, Store, verify_audit};
use serde::Serialize;
use serde_json::Value;

use super::{Actor, OpError, Operations};
use crate::clock::now_rfc3339;

/// An entry's body as stored: when, who, what, and the action's details.
#[derive(Debug, Serialize)]
struct EntryBody<'a> {
    at: String,
    actor: &'a str,
    action: AuditAction,
    details: Value,
}

/// A space's audit log as read, and whether its chain is intact.
#[derive(Debug)]
pub(crate) struct AuditReport {
    pub(crate) log: AuditLog,
    pub(crate) verdict: Result<usize, AuditFault>,
}

impl Operations {
    /// Appends a governance action `actor` took to their space's log.
    pub(crate) async fn record(
        &self,
        actor: &Actor,
        action: AuditAction,
        details: Value,
    ) -> Result<(), OpError> {
        let body = EntryBody {
            at: now_rfc3339(),
            actor: &actor.user,
            action,
            details,
        };
        let body =
            serde_json::to_vec(&body).map_err(|error| OpError::Internal(error.to_string()))?;
        self.rooms
            .store
            .append_audit(&actor.space, Bytes::from(body))
            .await?;
        Ok(())
    }

    /// The actor's space's log, for anyone in the space, verified whole.
    /// Of a proposal the actor may not see, an entry says only that it
    /// happened (its action, who, when and the proposal's id): the title,
    /// text and reason stay with those who see the proposal, as the API
    /// keeps them.
    pub(crate) async fn audit(&self, actor: &Actor) -> Result<AuditReport, OpError> {
        let mut report = audit_report(&*self.rooms.store, &actor.space).await?;
        if actor.role < Role::ViceChair {
            let seen: HashSet<String> = self
                .proposals(actor)
                .await?
                .into_iter()
                .map(|proposal| proposal.id)
                .collect();
            for entry in &mut report.log.entries {
                if let Some(redacted) = redacted(&entry.body, &seen) {
                    entry.body = redacted;
                }
            }
        }
        Ok(report)
    }
}

/// An entry about a proposal not in `seen`, with its details cut down to
/// the proposal's id and marked `redacted`; `None` for any other entry.
fn redacted(body: &[u8], seen: &HashSet<String>) -> Option<Bytes> {
    let mut entry: Value = serde_json::from_slice(body).ok()?;
    let proposal = entry.pointer("/details/proposal")?.as_str()?.to_owned();
    if seen.contains(&proposal) {
        return None;
    }
    let fields = entry.as_object_mut()?;
    fields.insert(
        "details".into(),
        serde_json::json!({ "proposal": proposal }),
    );
    fields.insert("redacted".into(), Value::Bool(true));
    serde_json::to_vec(&entry).ok().map(Bytes::from)
}

/// A space's log straight from a store, verified (no server needed).
pub(crate) async fn audit_report(store: &dyn Store, space: &str) -> Result<AuditReport, OpError> {
    let log = store.read_audit(space).await?;
    let verdict = verify_audit(&log);
    Ok(AuditReport { log, verdict })
}
