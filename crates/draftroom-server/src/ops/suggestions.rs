//! Suggestions: members suggest insertions, deletions and replacements;
//! their authors withdraw them; the vice-chair and the chair accept them
//! (an edit of the text) or reject them, one by one or all of one
//! author's at once.

use draftroom_auth::Role;
use draftroom_model::{
    AuditAction, Passage, Suggestion, SuggestionStatus, add_suggestion, check_decision,
    decide_suggestion, pending_of, suggestion_count, suggestion_record,
};
use serde_json::json;

use super::recommendations::WhenAdopted;
use super::{Actor, OpError, Operations, random_id};
use crate::clock::now_rfc3339;

/// Which suggestions a decision is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Which {
    One(String),
    /// Every pending suggestion of this author.
    AllOf(String),
}

impl Operations {
    /// Every suggestion on a recommendation, oldest first (anyone who
    /// reads the space).
    pub(crate) async fn suggestions(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<Vec<Suggestion>, OpError> {
        Ok(self.recommendation(actor, id).await?.suggestions)
    }

    /// Suggests `text` in place of `passage` (member or above).
    pub(crate) async fn add_suggestion(
        &self,
        actor: &Actor,
        id: &str,
        passage: Passage,
        text: &str,
    ) -> Result<Suggestion, OpError> {
        actor.require(Role::Member)?;
        self.limits.text("the suggested text", text)?;
        self.creations.take(actor)?;
        let (key, user, now, text) = (
            random_id("s-"),
            actor.user.clone(),
            now_rfc3339(),
            text.to_owned(),
        );
        let limit = self.rooms.config.max_suggestions_per_recommendation;
        let (added, _) = self
            .change_recommendation(actor, id, WhenAdopted::Refuse, move |txn| {
                if suggestion_count(txn) >= limit {
                    return Err(OpError::TooManySuggestions(limit));
                }
                Ok(add_suggestion(txn, &key, &passage, &text, &user, &now)?)
            })
            .await?;
        self.record(
            actor,
            AuditAction::SuggestionAdded,
            audit_details(id, &added),
        )
        .await?;
        Ok(added)
    }

    /// Accepts or rejects suggestions (the vice-chair and the chair), or
    /// withdraws one (its author). Accepting edits the text. Returns the
    /// suggestions decided.
    pub(crate) async fn decide_suggestions(
        &self,
        actor: &Actor,
        id: &str,
        which: Which,
        status: SuggestionStatus,
    ) -> Result<Vec<Suggestion>, OpError> {
        actor.require(Role::Member)?;
        match status {
            SuggestionStatus::Accepted | SuggestionStatus::Rejected => {
                actor.require(Role::ViceChair)?;
            }
            SuggestionStatus::Withdrawn if matches!(which, Which::One(_)) => {}
            _ => {
                return Err(OpError::Invalid(
                    "a suggestion is accepted, rejected or withdrawn".into(),
                ));
            }
        }
        let (user, now) = (actor.user.clone(), now_rfc3339());
        let (decided, _) = self
            .change_recommendation(actor, id, WhenAdopted::Refuse, move |txn| {
                let ids = match which {
                    Which::One(key) => {
                        let record = suggestion_record(txn, &key)?;
                        if status == SuggestionStatus::Withdrawn && record.author != user {
                            return Err(OpError::NotSuggestionAuthor);
                        }
                        vec![key]
                    }
                    Which::AllOf(author) => pending_of(txn, &author),
                };
                // Every one is checked before any changes, so that a refusal
                // leaves them all as they were.
                for key in &ids {
                    check_decision(txn, key, status)?;
                }
                ids.iter()
                    .map(|key| Ok(decide_suggestion(txn, key, status, &user, &now)?))
                    .collect::<Result<Vec<_>, OpError>>()
            })
            .await?;
        let action = match status {
            SuggestionStatus::Accepted => AuditAction::SuggestionAccepted,
            SuggestionStatus::Rejected => AuditAction::SuggestionRejected,
            _ => AuditAction::SuggestionWithdrawn,
        };
        for suggestion in &decided {
            self.record(actor, action, audit_details(id, suggestion))
                .await?;
        }
        Ok(decided)
    }
}

/// What the audit log keeps of a suggestion: whose it is, and what it
/// changes where.
fn audit_details(id: &str, suggestion: &Suggestion) -> serde_json::Value {
    let record = &suggestion.record;
    json!({
        "recommendation": id,
        "suggestion": record.id,
        "author": record.author,
        "kind": record.kind,
        "location": record.location,
        "quote": record.quote,
        "text": record.text,
    })
}
