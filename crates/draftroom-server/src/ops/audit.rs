//! The space's audit log: every governance action, appended once it has
//! happened, each entry chained by hash to the one before.

use bytes::Bytes;
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

    /// The actor's space's log, for anyone in the space.
    pub(crate) async fn audit(&self, actor: &Actor) -> Result<AuditReport, OpError> {
        audit_report(&*self.rooms.store, &actor.space).await
    }
}

/// A space's log straight from a store, verified (no server needed).
pub(crate) async fn audit_report(store: &dyn Store, space: &str) -> Result<AuditReport, OpError> {
    let log = store.read_audit(space).await?;
    let verdict = verify_audit(&log);
    Ok(AuditReport { log, verdict })
}
