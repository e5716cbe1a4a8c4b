//! Comments on passages of a recommendation: adding, replying, resolving
//! and reopening them.

use draftroom_auth::Role;
use draftroom_model::{
    AuditAction, Comment, CommentChange, Passage, add_comment, change_comment, comment_count,
    comment_record,
};
use serde_json::json;
use yrs::TransactionMut;

use super::recommendations::WhenAdopted;
use super::{Actor, OpError, Operations, random_id, require_text};
use crate::clock::now_rfc3339;

impl Operations {
    /// Every comment on a recommendation, oldest first (anyone who reads
    /// the space).
    pub(crate) async fn comments(&self, actor: &Actor, id: &str) -> Result<Vec<Comment>, OpError> {
        Ok(self.recommendation(actor, id).await?.comments)
    }

    /// Comments on a passage (member or above). A comment is not an edit
    /// of the text: adopted text takes them too.
    pub(crate) async fn add_comment(
        &self,
        actor: &Actor,
        id: &str,
        passage: Passage,
        body: &str,
    ) -> Result<Comment, OpError> {
        actor.require(Role::Member)?;
        self.check_comment_body(body)?;
        self.creations.take(actor)?;
        let (comment, user, now, body) = (
            random_id("k-"),
            actor.user.clone(),
            now_rfc3339(),
            body.trim().to_owned(),
        );
        let limit = self.rooms.config.max_comments_per_recommendation;
        let (added, _) = self
            .change_recommendation(actor, id, WhenAdopted::Proceed, move |txn| {
                within(txn, limit)?;
                Ok(add_comment(txn, &comment, &passage, &body, &user, &now)?)
            })
            .await?;
        let details = json!({
            "recommendation": id,
            "comment": added.record.id,
            "location": added.record.location,
            "quote": added.record.quote,
        });
        self.record(actor, AuditAction::CommentAdded, details)
            .await?;
        Ok(added)
    }

    /// Replies to a comment (member or above), or resolves or reopens it
    /// (its author, the vice-chair or the chair).
    pub(crate) async fn change_comment(
        &self,
        actor: &Actor,
        id: &str,
        comment: &str,
        change: CommentChange,
    ) -> Result<Comment, OpError> {
        actor.require(Role::Member)?;
        let action = match &change {
            CommentChange::Reply(body) => {
                self.check_comment_body(body)?;
                self.creations.take(actor)?;
                AuditAction::CommentReplied
            }
            CommentChange::Resolve => AuditAction::CommentResolved,
            CommentChange::Reopen => AuditAction::CommentReopened,
        };
        let change = match change {
            CommentChange::Reply(body) => CommentChange::Reply(body.trim().to_owned()),
            other => other,
        };
        let (key, user, now) = (comment.to_owned(), actor.user.clone(), now_rfc3339());
        let oversees = actor.role >= Role::ViceChair;
        let limit = self.rooms.config.max_comments_per_recommendation;
        let (changed, _) = self
            .change_recommendation(actor, id, WhenAdopted::Proceed, move |txn| {
                let record = comment_record(txn, &key)?;
                match change {
                    CommentChange::Reply(_) => within(txn, limit)?,
                    _ if !oversees && record.author != user => {
                        return Err(OpError::NotCommentAuthor);
                    }
                    _ => {}
                }
                Ok(change_comment(txn, &key, &change, &user, &now)?)
            })
            .await?;
        let details = json!({ "recommendation": id, "comment": comment });
        self.record(actor, action, details).await?;
        Ok(changed)
    }

    fn check_comment_body(&self, body: &str) -> Result<(), OpError> {
        require_text(body, "a comment needs some words")?;
        self.limits.note("the comment", body)
    }
}

/// Refuses one more comment or reply past `limit`.
fn within(txn: &TransactionMut, limit: usize) -> Result<(), OpError> {
    if comment_count(txn) >= limit {
        return Err(OpError::TooManyComments(limit));
    }
    Ok(())
}
