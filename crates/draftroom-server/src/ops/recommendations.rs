//! Recommendations: creating them, reading them, and what only the server
//! changes in them (status, alternatives, support).

use std::collections::BTreeMap;

use draftroom_auth::Role;
use draftroom_model::{
    Alternative, AuditAction, Consensus, DocPath, EditPolicy, Field, INDEX_DOC, ModelError,
    Recommendation, RecommendationSummary, Status, SupportChoice, add_alternative, add_summary,
    cosponsor, create_recommendation, is_frozen, next_number, open_brackets, read_recommendation,
    read_space, recommendation_summary, relabel_alternative, set_field, set_status, set_support,
    uncleared_brackets, update_summary, withdraw_support,
};
use serde_json::json;
use yrs::updates::encoder::Encode;
use yrs::{ReadTxn, StateVector, TransactionMut};

use super::{Actor, OpError, Operations, random_id, require_text};
use crate::clock::now_rfc3339;
use crate::rooms::apply_in;

/// A recommendation to create.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewRecommendation {
    pub(crate) topic: String,
    pub(crate) title: String,
    /// The majority text to start from.
    pub(crate) text: String,
    /// Structured fields to start from; those left out start empty.
    pub(crate) fields: BTreeMap<Field, String>,
}

/// A recommendation just created: its id and its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Created {
    pub(crate) id: String,
    pub(crate) doc: String,
}

/// An alternative to add beside a recommendation's majority text.
#[derive(Debug, Clone)]
pub(crate) struct NewAlternative {
    /// Its id: [`NewAlternative::fresh_id`] unless one is given (the demo
    /// names its own, so links to it are stable).
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) text: String,
}

impl NewAlternative {
    pub(crate) fn fresh_id() -> String {
        random_id("alt-")
    }
}

/// A recommendation's state copied into a document of its own.
#[derive(Debug, Clone)]
pub(crate) struct Copied {
    /// The state vector (v1) the copy holds.
    pub(crate) state_vector: Vec<u8>,
    /// The recommendation's topic.
    pub(crate) topic: String,
}

/// A recommendation's new status.
#[derive(Debug, Clone)]
pub(crate) struct StatusChange {
    pub(crate) status: Status,
    pub(crate) consensus: Option<Consensus>,
    /// Why it is adopted with brackets not cleared, if it is.
    pub(crate) overriding: Option<String>,
}

/// Whether a change goes ahead on an adopted, and so frozen,
/// recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WhenAdopted {
    /// Refuse it, as a websocket edit is refused.
    Refuse,
    /// Go ahead: moving the status back is how adopted text thaws.
    Proceed,
}

impl Operations {
    /// Creates a recommendation under a topic and lists it in the index
    /// (chair only).
    pub(crate) async fn create_recommendation(
        &self,
        actor: &Actor,
        new: NewRecommendation,
    ) -> Result<Created, OpError> {
        actor.require(Role::Chair)?;
        require_text(&new.title, "a recommendation needs a title")?;
        self.limits.title("the title", &new.title)?;
        self.limits.text("the text", &new.text)?;
        for (field, text) in &new.fields {
            self.limits.text(field.title(), text)?;
        }
        self.creations.take(actor)?;
        let (topic, title) = (new.topic.clone(), new.title.clone());
        let created = self.add_recommendation(actor, new).await?;
        let details = json!({ "recommendation": created.id, "topic": topic, "title": title });
        self.record(actor, AuditAction::RecommendationCreated, details)
            .await?;
        Ok(created)
    }

    /// Creates a recommendation and lists it in the index, for whoever the
    /// caller checked may.
    pub(crate) async fn add_recommendation(
        &self,
        actor: &Actor,
        new: NewRecommendation,
    ) -> Result<Created, OpError> {
        // The number comes from the store, which gives each number once
        // however many nodes ask at once; it starts past the highest number
        // the index lists, so a space made before the store kept count goes
        // on from there. Then the recommendation is listed in the index.
        let index = actor.doc(INDEX_DOC)?;
        let (missing, letter) = (OpError::NoSuchSpace(actor.space.clone()), new.topic.clone());
        let listed = self
            .rooms
            .read(&index, move |txn| {
                read_space(txn).ok_or(missing)?;
                Ok::<_, OpError>(next_number(txn, &letter)? - 1)
            })
            .await??;
        let series = format!("recommendations/{}", new.topic);
        let number = self
            .rooms
            .store
            .next_number(&actor.space, &series, u64::from(listed))
            .await?;
        let number = u32::try_from(number).map_err(|_| {
            OpError::Invalid("the topic has as many recommendations as it may".into())
        })?;
        let brackets = open_brackets(&new.text);
        let (topic, title) = (new.topic.clone(), new.title.clone());
        let summary = self
            .rooms
            .edit(&index, move |txn| {
                let id = format!("{}-{number}", topic.to_ascii_lowercase());
                let summary = RecommendationSummary {
                    doc: DocPath::Recommendation(&id).to_string(),
                    id,
                    topic,
                    number,
                    title,
                    status: Status::Draft,
                    consensus: None,
                    alternatives: 0,
                    open_brackets: brackets,
                    bracket_holders: Vec::new(),
                    open_comments: 0,
                    pending_suggestions: 0,
                    stale_alternatives: 0,
                    support: BTreeMap::new(),
                };
                add_summary(txn, &summary);
                summary
            })
            .await?;
        let (id, number) = (summary.id.clone(), summary.number);
        self.rooms
            .edit(&actor.doc(&summary.doc)?, move |txn| {
                create_recommendation(txn, &id, &new.topic, number, &new.title, &new.text);
                for (field, value) in &new.fields {
                    set_field(txn, *field, value)?;
                }
                Ok::<_, OpError>(())
            })
            .await??;
        Ok(Created {
            id: summary.id,
            doc: summary.doc,
        })
    }

    /// A recommendation as it stands, with its document's name.
    pub(crate) async fn recommendation(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<Recommendation, OpError> {
        self.rooms
            .read(&recommendation_doc(actor, id)?, |txn| {
                read_recommendation(txn)
            })
            .await?
            .ok_or_else(|| OpError::NoSuchRecommendation(id.to_owned()))
    }

    /// Moves a recommendation to `status`, and sets its consensus level if
    /// given (chair only). Moving an adopted recommendation back thaws it.
    /// A recommendation with brackets not cleared is adopted only with an
    /// `overriding` reason, which the audit log keeps with the brackets.
    pub(crate) async fn set_status(
        &self,
        actor: &Actor,
        id: &str,
        change: StatusChange,
    ) -> Result<Recommendation, OpError> {
        actor.require(Role::Chair)?;
        let overriding = change
            .overriding
            .as_deref()
            .map(str::trim)
            .filter(|reason| !reason.is_empty())
            .map(str::to_owned);
        if let Some(reason) = &overriding {
            self.limits.note("the reason for overriding", reason)?;
        }
        let StatusChange {
            status, consensus, ..
        } = change;
        let may_override = overriding.is_some();
        let (overridden, recommendation) = self
            .change_recommendation(actor, id, WhenAdopted::Proceed, move |txn| {
                let adopting = status == Status::Adopted && !is_frozen(txn);
                let open = if adopting {
                    uncleared_brackets(txn)
                } else {
                    Vec::new()
                };
                if !open.is_empty() && !may_override {
                    return Err(OpError::OpenBrackets(open));
                }
                set_status(txn, status, consensus)?;
                Ok(open)
            })
            .await?;
        let mut details = json!({ "recommendation": id, "status": status, "consensus": consensus });
        if !overridden.is_empty() {
            details["override"] = json!(overriding);
            details["open_brackets"] = overridden
                .iter()
                .map(|bracket| {
                    json!({
                        "bracket": bracket.id,
                        "location": bracket.location,
                        "passage": bracket.passage,
                        "holders": bracket.record.holders,
                    })
                })
                .collect();
        }
        self.record(actor, AuditAction::RecommendationStatus, details)
            .await?;
        Ok(recommendation)
    }

    /// Adds an alternative the actor proposes, and makes them its first
    /// proponent (member or above).
    pub(crate) async fn add_alternative(
        &self,
        actor: &Actor,
        id: &str,
        new: NewAlternative,
    ) -> Result<Alternative, OpError> {
        actor.require(Role::Member)?;
        require_text(&new.label, "an alternative needs a label")?;
        self.limits.title("the label", &new.label)?;
        self.limits.text("the text", &new.text)?;
        self.creations.take(actor)?;
        let details = json!({ "recommendation": id, "alternative": new.id, "label": new.label });
        let (user, now, alternative) = (actor.user.clone(), now_rfc3339(), new.id.clone());
        let change = move |txn: &mut TransactionMut| {
            add_alternative(txn, &new.id, &new.label, &new.text, &user, &now)
        };
        self.change_alternative(
            actor,
            id,
            &alternative,
            AuditAction::AlternativeAdded,
            details,
            change,
        )
        .await
    }

    /// Gives an alternative a new label (its proponents, the vice-chair or
    /// the chair).
    pub(crate) async fn relabel_alternative(
        &self,
        actor: &Actor,
        id: &str,
        alternative: &str,
        label: &str,
    ) -> Result<Alternative, OpError> {
        actor.require(Role::Member)?;
        require_text(label, "an alternative needs a label")?;
        self.limits.title("the label", label)?;
        let details = json!({ "recommendation": id, "alternative": alternative, "label": label });
        let (editor, alt, new) = (actor.clone(), alternative.to_owned(), label.to_owned());
        let change =
            move |txn: &mut TransactionMut| relabel_alternative(txn, &alt, &new, editor.editor());
        self.change_alternative(
            actor,
            id,
            alternative,
            AuditAction::AlternativeRelabelled,
            details,
            change,
        )
        .await
    }

    /// Makes the actor a proponent (a co-sponsor) of an alternative, or no
    /// longer one (member or above).
    pub(crate) async fn cosponsor(
        &self,
        actor: &Actor,
        id: &str,
        alternative: &str,
        joins: bool,
    ) -> Result<Alternative, OpError> {
        actor.require(Role::Member)?;
        let (user, alt) = (actor.user.clone(), alternative.to_owned());
        let (action, details) = (
            if joins {
                AuditAction::AlternativeCosponsored
            } else {
                AuditAction::AlternativeLeft
            },
            json!({ "recommendation": id, "alternative": alternative }),
        );
        let change = move |txn: &mut TransactionMut| cosponsor(txn, &alt, &user, joins);
        self.change_alternative(actor, id, alternative, action, details, change)
            .await
    }

    /// Changes alternative `alternative` of recommendation `id` with
    /// `change`, audits it as `action`, and returns it as it then stands.
    async fn change_alternative(
        &self,
        actor: &Actor,
        id: &str,
        alternative: &str,
        action: AuditAction,
        details: serde_json::Value,
        change: impl FnOnce(&mut TransactionMut) -> Result<(), ModelError> + Send + 'static,
    ) -> Result<Alternative, OpError> {
        let ((), recommendation) = self
            .change_recommendation(actor, id, WhenAdopted::Refuse, move |txn| Ok(change(txn)?))
            .await?;
        self.record(actor, action, details).await?;
        recommendation
            .alternatives
            .into_iter()
            .find(|alt| alt.id == alternative)
            .ok_or_else(|| OpError::NoSuchAlternative(alternative.to_owned()))
    }

    /// Records what the actor supports (member or above); returns everyone's
    /// support.
    pub(crate) async fn support(
        &self,
        actor: &Actor,
        id: &str,
        choice: SupportChoice,
    ) -> Result<BTreeMap<String, SupportChoice>, OpError> {
        actor.require(Role::Member)?;
        self.allow_support_change(actor, id).await?;
        let (user, details) = (
            actor.user.clone(),
            json!({ "recommendation": id, "for": choice }),
        );
        let ((), recommendation) = self
            .change_recommendation(actor, id, WhenAdopted::Refuse, move |txn| {
                Ok(set_support(txn, &user, &choice)?)
            })
            .await?;
        self.record(actor, AuditAction::SupportGiven, details)
            .await?;
        Ok(recommendation.support)
    }

    /// Withdraws the actor's support (member or above); returns everyone's.
    pub(crate) async fn withdraw_support(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<BTreeMap<String, SupportChoice>, OpError> {
        actor.require(Role::Member)?;
        self.allow_support_change(actor, id).await?;
        let user = actor.user.clone();
        let ((), recommendation) = self
            .change_recommendation(actor, id, WhenAdopted::Refuse, move |txn| {
                Ok(withdraw_support(txn, &user)?)
            })
            .await?;
        self.record(
            actor,
            AuditAction::SupportWithdrawn,
            json!({ "recommendation": id }),
        )
        .await?;
        Ok(recommendation.support)
    }

    /// Refuses a change of support to a recommendation there is not, or
    /// past the actor's allowance: each change is in the audit log (a
    /// lineage tells who supports which text), so one person's changes are
    /// bounded as their creations are. A recommendation there is not
    /// spends nothing.
    async fn allow_support_change(&self, actor: &Actor, id: &str) -> Result<(), OpError> {
        if !self.rooms.exists(&recommendation_doc(actor, id)?).await? {
            return Err(OpError::NoSuchRecommendation(id.to_owned()));
        }
        self.creations.take(actor)
    }

    /// Changes a recommendation with `change` and returns it as it then
    /// stands. The space index's summary is refreshed before this returns,
    /// so the next look at the space shows the change.
    pub(crate) async fn change_recommendation<T: Send + 'static>(
        &self,
        actor: &Actor,
        id: &str,
        when_adopted: WhenAdopted,
        change: impl FnOnce(&mut TransactionMut) -> Result<T, OpError> + Send + 'static,
    ) -> Result<(T, Recommendation), OpError> {
        let name = recommendation_doc(actor, id)?;
        // A change to a recommendation that was never made loads nothing.
        if !self.rooms.exists(&name).await? {
            return Err(OpError::NoSuchRecommendation(id.to_owned()));
        }
        let missing = OpError::NoSuchRecommendation(id.to_owned());
        // The rule that freezes adopted text for websocket edits holds here too.
        let policy = EditPolicy::of(name.doc());
        let (value, recommendation, summary) = self
            .rooms
            .edit(&name, move |txn| {
                if read_recommendation(txn).is_none() {
                    return Err(missing);
                }
                if when_adopted == WhenAdopted::Refuse && policy.refusal(txn).is_some() {
                    return Err(OpError::Frozen);
                }
                let value = change(txn)?;
                match (read_recommendation(txn), recommendation_summary(txn)) {
                    (Some(recommendation), Some(summary)) => Ok((value, recommendation, summary)),
                    _ => Err(OpError::Internal("the recommendation vanished".into())),
                }
            })
            .await??;
        self.rooms
            .edit(&actor.doc(INDEX_DOC)?, move |txn| {
                update_summary(txn, &summary)
            })
            .await?;
        Ok((value, recommendation))
    }

    /// Copies recommendation document `from` into document `to` (its whole
    /// state, so the copy shares its history). `None` if `from` is not a
    /// recommendation.
    pub(crate) async fn copy_recommendation(
        &self,
        actor: &Actor,
        from: &str,
        to: &str,
    ) -> Result<Option<Copied>, OpError> {
        let copied = self
            .rooms
            .read(&actor.doc(from)?, |txn| {
                read_recommendation(txn).map(|recommendation| {
                    (
                        txn.encode_state_as_update_v1(&StateVector::default()),
                        Copied {
                            state_vector: txn.state_vector().encode_v1(),
                            topic: recommendation.topic,
                        },
                    )
                })
            })
            .await?;
        let Some((whole, copied)) = copied else {
            return Ok(None);
        };
        self.rooms
            .edit(&actor.doc(to)?, move |txn| apply_in(txn, &whole))
            .await?
            .map_err(OpError::Internal)?;
        Ok(Some(copied))
    }
}

/// The document of recommendation `id` in the actor's space.
fn recommendation_doc(actor: &Actor, id: &str) -> Result<draftroom_store::DocName, OpError> {
    actor.doc(&DocPath::Recommendation(id).to_string())
}
