//! Spaces: one working group's drafting, its topics, and the index that
//! lists every recommendation.

use draftroom_auth::Role;
use draftroom_model::{
    AuditAction, INDEX_DOC, Person, ReportHeader, SpaceView, Topic, create_space, put_person,
    read_space, set_report_header,
};
use serde_json::json;

use super::{Actor, OpError, Operations, require_text};
use crate::clock::now_rfc3339;

/// Whether `space` can name a space at all: checked before a token is
/// checked against it.
pub(crate) fn check_space_id(space: &str) -> Result<(), OpError> {
    draftroom_store::check_space(space).map_err(OpError::BadSpaceId)
}

impl Operations {
    /// Creates the actor's space with its topics (chair only), its chair
    /// the first on its roster.
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
                put_person(
                    txn,
                    &Person {
                        name: user.clone(),
                        user,
                        delegation: String::new(),
                        role: Role::Chair,
                    },
                );
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

    /// Sets what heads the space's report (chair).
    pub(crate) async fn set_report_header(
        &self,
        actor: &Actor,
        header: ReportHeader,
    ) -> Result<ReportHeader, OpError> {
        actor.require(Role::Chair)?;
        let mut header = header;
        for (what, value) in [
            ("the body", &mut header.body),
            ("the symbol", &mut header.symbol),
            ("the session", &mut header.session),
            ("the title", &mut header.title),
            ("the distribution", &mut header.distribution),
            ("the date", &mut header.date),
        ] {
            *value = value.trim().to_owned();
            self.limits.title(what, value)?;
        }
        if !header.date.is_empty() && !ReportHeader::is_date(&header.date) {
            return Err(OpError::Invalid(format!(
                "the report's date is a calendar date, YYYY-MM-DD, not {:?}",
                header.date
            )));
        }
        let set = header.clone();
        self.rooms
            .edit(&actor.doc(INDEX_DOC)?, move |txn| {
                if read_space(txn).is_none() {
                    return Err(OpError::NoSuchSpace(String::new()));
                }
                set_report_header(txn, &set);
                Ok(())
            })
            .await?
            .map_err(|_| OpError::NoSuchSpace(actor.space.clone()))?;
        self.record(
            actor,
            AuditAction::ReportChanged,
            serde_json::to_value(&header).unwrap_or_default(),
        )
        .await?;
        Ok(header)
    }

    /// Whether the actor's space exists.
    pub(crate) async fn space_exists(&self, actor: &Actor) -> Result<bool, OpError> {
        Ok(self
            .rooms
            .read(&actor.doc(INDEX_DOC)?, |txn| read_space(txn).is_some())
            .await?)
    }
}
