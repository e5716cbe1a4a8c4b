//! Named versions: immutable states of one recommendation or of the whole
//! space. Each recommendation's state is copied into a document of the
//! version's own, which nobody edits after.

use std::collections::BTreeMap;

use draftroom_auth::Role;
use draftroom_model::{
    AuditAction, DocPath, Progress, VERSIONS_DOC, Version, list_versions, put_version, read_version,
};
use serde_json::json;

use super::{Actor, OpError, Operations, random_id, require_text};
use crate::clock::now_rfc3339;

impl Operations {
    /// Names the state of the space, or of one recommendation (vice-chair
    /// or chair). Returns the version's id.
    pub(crate) async fn name_version(
        &self,
        actor: &Actor,
        name: &str,
        recommendation: Option<String>,
    ) -> Result<String, OpError> {
        actor.require(Role::ViceChair)?;
        require_text(name, "a version needs a name")?;
        self.limits.title("the name", name)?;
        self.creations.take(actor)?;
        let space = self.space(actor).await?;
        let summaries: Vec<_> = space
            .topics
            .iter()
            .flat_map(|topic| topic.recommendations.iter().cloned())
            .filter(|summary| {
                recommendation
                    .as_ref()
                    .is_none_or(|only| &summary.id == only)
            })
            .collect();
        if let Some(only) = &recommendation
            && summaries.is_empty()
        {
            return Err(OpError::NoSuchRecommendation(only.clone()));
        }
        let id = random_id("v-");
        for summary in &summaries {
            let copy = DocPath::VersionCopy {
                version: &id,
                recommendation: &summary.id,
            };
            self.copy_recommendation(actor, &summary.doc, &copy.to_string())
                .await?;
        }
        let mut topics: BTreeMap<String, Progress> = BTreeMap::new();
        for summary in &summaries {
            let progress = topics.entry(summary.topic.clone()).or_default();
            progress.open_brackets += summary.open_brackets;
            progress.alternatives += summary.alternatives;
        }
        let version = Version {
            id: id.clone(),
            name: name.to_owned(),
            recommendation,
            recommendations: summaries.iter().map(|s| s.id.clone()).collect(),
            open_brackets: topics.values().map(|p| p.open_brackets).sum(),
            alternatives: topics.values().map(|p| p.alternatives).sum(),
            topics,
            created_by: actor.user.clone(),
            created_at: now_rfc3339(),
        };
        let details = json!({ "version": id, "name": version.name, "recommendation": version.recommendation });
        self.rooms
            .edit(&actor.doc(VERSIONS_DOC)?, move |txn| {
                put_version(txn, &version)
            })
            .await?;
        self.record(actor, AuditAction::VersionNamed, details)
            .await?;
        Ok(id)
    }

    /// Every version, oldest first.
    pub(crate) async fn versions(&self, actor: &Actor) -> Result<Vec<Version>, OpError> {
        Ok(self
            .rooms
            .read(&actor.doc(VERSIONS_DOC)?, |txn| list_versions(txn))
            .await?)
    }

    /// One version, if there is one by that id.
    pub(crate) async fn version(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<Option<Version>, OpError> {
        let id = id.to_owned();
        Ok(self
            .rooms
            .read(&actor.doc(VERSIONS_DOC)?, move |txn| read_version(txn, &id))
            .await?)
    }
}
