//! Spaces: one working group's drafting, its topics, and the index that
//! lists every recommendation.

use draftroom_auth::Role;
use draftroom_model::{AuditAction, INDEX_DOC, SpaceView, Topic, create_space, read_space};
use serde_json::json;

use super::{Actor, OpError, Operations, require_text};
use crate::clock::now_rfc3339;

/// Whether `space` can name a space at all: checked before a token is
/// checked against it.
pub(crate) fn check_space_id(space: &str) -> Result<(), OpError> {
    draftroom_store::check_space(space).map_err(OpError::BadSpaceId)
}

impl Operations {
    /// Creates the actor's space with its topics (chair only).
    pub(crate) async fn create_space(
        &self,
        actor: &Actor,
        title: &str,
        topics: Vec<Topic>,
    ) -> Result<SpaceView, OpError> {
        actor.require(Role::Chair)?;
        require_text(title, "a space needs a title")?;
        self.limits.title("the space's title", title)?;
        for topic in &topics {
            self.limits.title("a topic's title", &topic.title)?;
        }
        self.creations.take(actor)?;
        let details = json!({ "title": title, "topics": topics });
        let (title, user, now) = (title.to_owned(), actor.user.clone(), now_rfc3339());
        let view = self
            .rooms
            .edit(&actor.doc(INDEX_DOC)?, move |txn| {
                create_space(txn, &title, &topics, &user, &now)?;
                read_space(txn).ok_or_else(|| OpError::Internal("the space was not created".into()))
            })
            .await??;
        self.record(actor, AuditAction::SpaceCreated, details)
            .await?;
        Ok(view)
    }

    /// The actor's space as its index holds it.
    pub(crate) async fn space(&self, actor: &Actor) -> Result<SpaceView, OpError> {
        self.rooms
            .read(&actor.doc(INDEX_DOC)?, |txn| read_space(txn))
            .await?
            .ok_or_else(|| OpError::NoSuchSpace(actor.space.clone()))
    }

    /// Whether the actor's space exists.
    pub(crate) async fn space_exists(&self, actor: &Actor) -> Result<bool, OpError> {
        Ok(self
            .rooms
            .read(&actor.doc(INDEX_DOC)?, |txn| read_space(txn).is_some())
            .await?)
    }
}
