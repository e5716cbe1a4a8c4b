//! Brackets: who holds each, why, and where it stands, and clearing one.

use draftroom_auth::Role;
use draftroom_model::{
    AuditAction, Bracket, BracketChange, BracketState, bracket_reason, change_bracket,
};
use serde_json::json;

use super::recommendations::WhenAdopted;
use super::{Actor, OpError, Operations};
use crate::clock::now_rfc3339;

/// The most holders one bracket lists.
const MAX_HOLDERS: usize = 50;

impl Operations {
    /// Every bracket of a recommendation: those its texts hold, then those
    /// cleared (anyone who reads the space).
    pub(crate) async fn brackets(&self, actor: &Actor, id: &str) -> Result<Vec<Bracket>, OpError> {
        Ok(self.recommendation(actor, id).await?.brackets)
    }

    /// Changes a bracket. A member holds or releases it for themselves
    /// (with a reason, when holding); the vice-chair and the chair change
    /// anything of it: holders, reason, state, and clearing it, which
    /// edits the text. Adopted text takes no change.
    pub(crate) async fn change_bracket(
        &self,
        actor: &Actor,
        id: &str,
        bracket: &str,
        change: BracketChange,
    ) -> Result<Bracket, OpError> {
        actor.require(Role::Member)?;
        let own = change.hold.is_some()
            && change.holders.is_none()
            && change.state.is_none()
            && change.pending.is_none()
            && (change.reason.is_none() || change.hold == Some(true));
        if !own {
            actor.require(Role::ViceChair)?;
        }
        if change == BracketChange::default() {
            return Err(OpError::Invalid(
                "say what changes: hold, holders, reason, state or pending".into(),
            ));
        }
        if let Some(reason) = &change.reason {
            self.limits.note("the reason", reason)?;
        }
        if let Some(holders) = &change.holders {
            if holders.len() > MAX_HOLDERS {
                return Err(OpError::TooLong(format!(
                    "a bracket lists at most {MAX_HOLDERS} holders"
                )));
            }
            for holder in holders {
                self.limits.title("a holder's name", holder)?;
            }
        }
        if let Some(pending) = &change.pending {
            self.limits.title("the delegation", pending)?;
        }
        let (user, now, key) = (actor.user.clone(), now_rfc3339(), bracket.to_owned());
        let (changed, _) = self
            .change_recommendation(actor, id, WhenAdopted::Refuse, move |txn| {
                // A member who holds it says why only if nobody has: the
                // reason the group gave is the vice-chair's and the chair's.
                if !own || change.reason.is_none() || bracket_reason(txn, &key).is_empty() {
                    return Ok(change_bracket(txn, &key, &change, &user, &now)?);
                }
                Err(OpError::Invalid(
                    "this bracket has a reason already: hold it without one, or ask the vice-chair to change it".into(),
                ))
            })
            .await?;
        let action = if changed.record.state == BracketState::Cleared {
            AuditAction::BracketCleared
        } else {
            AuditAction::BracketChanged
        };
        let record = &changed.record;
        self.record(
            actor,
            action,
            json!({
                "recommendation": id,
                "bracket": changed.id,
                "location": changed.location,
                "passage": changed.passage,
                "state": record.state,
                "holders": record.holders,
                "reason": record.reason,
                "pending": record.pending,
                "kept": record.cleared.as_ref().map(|cleared| &cleared.kept),
            }),
        )
        .await?;
        Ok(changed)
    }
}
