//! The proposals inbox: members submit proposals (free text, or a branch
//! of a recommendation edited live); the vice-chair categorizes, merges or
//! rejects them; the author may withdraw. Nothing is deleted: a proposal
//! keeps every change of status and where it was merged.
//!
//! A proposal is kept in full in `proposal-records`, which only the server
//! reads: that is where each step is checked and taken. After each, its
//! summary is written to the live `proposals` document, which the inbox
//! follows as its sign to read again.

use draftroom_auth::Role;
use std::collections::BTreeMap;

use draftroom_model::{
    AuditAction, DocPath, EditPolicy, Field, Hunk, MergeKind, MergeRecord, PROPOSAL_RECORDS_DOC,
    PROPOSALS_DOC, Proposal, ProposalStatus, Recommendation, Run, add_alternative, apply_hunks,
    close_branch, hunks, insert_into_majority, list_proposals, mark_branch, put_proposal,
    put_proposal_summary, read_proposal, read_recommendation, schema, word_diff,
};
use serde_json::json;
use yrs::updates::decoder::Decode;
use yrs::{GetString, ReadTxn, StateVector, Transact, TransactionMut};

use super::access::authors_proposals_doc;
use super::recommendations::{NewAlternative, NewRecommendation, WhenAdopted};
use super::{Actor, OpError, Operations, random_id, require_text, to_completion};
use crate::clock::now_rfc3339;
use crate::rooms::{apply_in, new_doc};

/// A proposal to submit.
#[derive(Debug, Clone, Default)]
pub(crate) struct Submission {
    pub(crate) title: String,
    pub(crate) text: Option<String>,
    pub(crate) topic: Option<String>,
    /// Make it a branch: a copy of this recommendation, edited live.
    pub(crate) branch_of: Option<String>,
}

/// Where a merge puts a proposal's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MergeTarget {
    /// Into a recommendation's majority text: a branch's edits since its
    /// fork, or free text at `position` (in characters; the end unless
    /// given).
    Majority {
        into: String,
        position: Option<usize>,
    },
    /// As a new alternative beside a recommendation's majority text, its
    /// author the proponent.
    Alternative { into: String },
    /// As a new recommendation, under `topic` (the proposal's own unless
    /// given).
    New { topic: Option<String> },
}

/// How much of a proposal a merge took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MergeExtent {
    Whole,
    /// Part of it, as the vice-chair says (a free text taken in part).
    Partial,
    /// Into the majority: only these of the hunks the preview showed
    /// (all of them is the whole proposal).
    Hunks(Vec<Hunk>),
}

/// The text a proposal offers: a branch's majority text (and its state
/// since the fork, for a CRDT merge), or its free text.
struct Offered {
    text: String,
    branch_update: Option<Vec<u8>>,
}

impl Offered {
    /// Puts the offer into a recommendation: a branch's edits since its
    /// fork as one update, so that edits made meanwhile to the
    /// recommendation survive, of which only the majority text and the
    /// structured fields are taken (the alternatives are their
    /// proponents', the rest the server's); free text into the majority
    /// text at `position`.
    fn merge_into_majority(
        &self,
        txn: &mut TransactionMut,
        position: Option<usize>,
        policy: EditPolicy,
    ) -> Result<(), OpError> {
        match &self.branch_update {
            Some(update) => {
                let guard = policy.branch_merge_guard(txn);
                apply_in(txn, update).map_err(OpError::Internal)?;
                guard.finish(txn);
            }
            None => insert_into_majority(txn, position, &self.text)?,
        }
        Ok(())
    }

    /// The recommendation in `txn` as it stood, and as the whole merge
    /// would leave it (merged into a copy: `txn` does not change).
    fn before_and_after<T: ReadTxn>(
        &self,
        txn: &T,
        position: Option<usize>,
        policy: EditPolicy,
        missing: OpError,
    ) -> Result<(Recommendation, Recommendation), OpError> {
        let before = read_recommendation(txn).ok_or(missing)?;
        let copy = new_doc();
        let whole = txn.encode_state_as_update_v1(&StateVector::default());
        let mut copied = copy.transact_mut();
        apply_in(&mut copied, &whole).map_err(OpError::Internal)?;
        self.merge_into_majority(&mut copied, position, policy)?;
        let after = read_recommendation(&copied).unwrap_or_else(|| before.clone());
        Ok((before, after))
    }

    /// Puts into the majority only the `accepted` hunks of the merge (all
    /// of them: the whole merge). Refused if one is not among the hunks
    /// the merge has now (the texts changed since the preview). Answers
    /// the hunks taken when not all were.
    fn merge_hunks(
        &self,
        txn: &mut TransactionMut,
        position: Option<usize>,
        policy: EditPolicy,
        accepted: &[Hunk],
        missing: OpError,
    ) -> Result<Vec<Hunk>, OpError> {
        let mut accepted = accepted.to_vec();
        accepted.sort_by(|a, b| a.id.cmp(&b.id));
        accepted.dedup_by(|a, b| a.id == b.id);
        if accepted.is_empty() {
            return Err(OpError::Invalid(
                "take at least one change, or reject the proposal".into(),
            ));
        }
        let (before, after) = self.before_and_after(txn, position, policy, missing)?;
        let all = every_hunk(&before, &after);
        // Each is taken as the merge makes it now: where it stands may have
        // moved since the preview (someone typed before it), what it
        // changes may not.
        let same =
            |a: &Hunk, b: &Hunk| a.id == b.id && a.deleted == b.deleted && a.inserted == b.inserted;
        let mut now = Vec::with_capacity(accepted.len());
        for hunk in &accepted {
            let Some(found) = all.iter().find(|made| same(made, hunk)) else {
                return Err(OpError::Invalid(format!(
                    "the change {} is not one this merge makes now (the texts changed since the preview): preview it again",
                    hunk.id
                )));
            };
            now.push(found.clone());
        }
        let accepted = now;
        if accepted.len() == all.len() {
            self.merge_into_majority(txn, position, policy)?;
            return Ok(Vec::new());
        }
        let mut by_text: BTreeMap<&str, Vec<&Hunk>> = BTreeMap::new();
        for hunk in &accepted {
            let location = hunk.id.split_once('#').map_or("", |(location, _)| location);
            by_text.entry(location).or_default().push(hunk);
        }
        // Each hunk's text is the majority or a field: there is one to write in.
        for (location, hunks) in by_text {
            apply_hunks(txn, location, &hunks)?;
        }
        Ok(accepted)
    }
}

/// The hunks a merge makes, text by text: the majority text's, then each
/// structured field's.
fn every_hunk(before: &Recommendation, after: &Recommendation) -> Vec<Hunk> {
    let empty = String::new();
    let mut all = hunks(schema::root::TEXT, &before.text, &after.text);
    for field in Field::ALL {
        let (was, is) = (before.fields.get(field), after.fields.get(field));
        all.extend(hunks(
            field.as_str(),
            was.unwrap_or(&empty),
            is.unwrap_or(&empty),
        ));
    }
    all
}

/// What a merge would change: the target's majority text before and
/// after, as a word diff (all of it new for a new alternative or
/// recommendation), and each structured field the merge changes. A merge
/// changes nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MergePreview {
    pub(crate) recommendation: Option<String>,
    pub(crate) title: String,
    pub(crate) runs: Vec<Run>,
    pub(crate) fields: Vec<(Field, Vec<Run>)>,
    /// Into the majority: the changes the merge makes, each of which may
    /// be taken alone.
    pub(crate) hunks: Vec<Hunk>,
}

impl MergePreview {
    /// A merge whose text stands as a whole new one.
    fn all_new(recommendation: Option<String>, title: String, text: &str) -> MergePreview {
        MergePreview {
            recommendation,
            title,
            runs: word_diff("", text),
            fields: Vec::new(),
            hunks: Vec::new(),
        }
    }
}

/// A step a proposal takes: its new status, when, why, and what the audit
/// log says of it.
struct Step {
    status: ProposalStatus,
    /// When the step is taken, as the proposal's history records it.
    at: String,
    note: Option<String>,
    action: AuditAction,
    details: serde_json::Value,
}

/// The steps that close a proposal: only one of them is ever taken.
#[derive(Debug, Clone, Copy)]
enum Closing {
    Merge,
    Reject,
    Withdraw,
}

impl Closing {
    fn as_str(self) -> &'static str {
        match self {
            Closing::Merge => "merged",
            Closing::Reject => "rejected",
            Closing::Withdraw => "withdrawn",
        }
    }
}

/// Whether a closing step done twice would change the text twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Again {
    /// Once closed, a proposal refuses a second step; a branch's edits
    /// applied twice are applied once.
    Harmless,
    /// Free text, a new alternative or recommendation would go in twice.
    Duplicates,
}

/// How a closing step stopped short.
enum Cut {
    /// Before it changed anything.
    Untouched(OpError),
    /// After it may have applied a text, before it was recorded.
    Halfway(OpError),
}

impl Cut {
    /// A failure to apply: a refusal changed nothing; a fault of the
    /// server or the store may have left the change made.
    fn applying(error: OpError) -> Cut {
        if error.is_server_fault() {
            Cut::Halfway(error)
        } else {
            Cut::Untouched(error)
        }
    }
}

/// Vice-chairs and chairs see every proposal; others see their own.
fn may_see(actor: &Actor, proposal: &Proposal) -> bool {
    actor.role >= Role::ViceChair || proposal.author == actor.user
}

impl Operations {
    /// Submits a proposal (member or above). A branch starts as a copy of
    /// its recommendation, sharing its history, so that merging it back is
    /// a CRDT merge.
    pub(crate) async fn submit(
        &self,
        actor: &Actor,
        submission: Submission,
    ) -> Result<Proposal, OpError> {
        actor.require(Role::Member)?;
        require_text(&submission.title, "a proposal needs a title")?;
        self.limits.title("the title", &submission.title)?;
        if let Some(text) = &submission.text {
            self.limits.text("the text", text)?;
        }
        let space = self.space(actor).await?;
        if let Some(topic) = &submission.topic
            && !space.topics.iter().any(|t| &t.letter == topic)
        {
            return Err(OpError::NoSuchTopic(topic.clone()));
        }
        // A branch is on its recommendation's topic.
        let topic = submission.topic.clone().or_else(|| {
            let branched = submission.branch_of.as_ref()?;
            space
                .topics
                .iter()
                .flat_map(|t| &t.recommendations)
                .find(|summary| &summary.id == branched)
                .map(|summary| summary.topic.clone())
        });
        if let Some(topic) = &topic {
            self.check_deadline(actor, topic).await?;
        }
        self.creations.take(actor)?;
        let id = random_id("p-");
        let mut proposal = Proposal::new(
            &id,
            &submission.title,
            submission.text,
            submission.topic,
            &actor.user,
            &now_rfc3339(),
        );
        if let Some(recommendation) = &submission.branch_of {
            let doc = DocPath::Branch(&id).to_string();
            let copied = self
                .copy_recommendation(
                    actor,
                    &DocPath::Recommendation(recommendation).to_string(),
                    &doc,
                )
                .await?
                .ok_or_else(|| OpError::NoSuchRecommendation(recommendation.clone()))?;
            proposal.topic.get_or_insert(copied.topic);
            proposal.branch(recommendation, &doc, &copied.state_vector);
            let author = actor.user.clone();
            self.rooms
                .edit(&actor.doc(&doc)?, move |txn| mark_branch(txn, &author))
                .await??;
        }
        let stored = proposal.clone();
        self.rooms
            .edit(&actor.doc(PROPOSAL_RECORDS_DOC)?, move |txn| {
                put_proposal(txn, &stored)
            })
            .await?;
        self.publish(actor, &proposal).await?;
        self.record(
            actor,
            AuditAction::ProposalSubmitted,
            json!({ "proposal": id, "title": proposal.title, "branch_of": proposal.branch_of }),
        )
        .await?;
        Ok(proposal)
    }

    /// Every proposal the actor may see, oldest first.
    pub(crate) async fn proposals(&self, actor: &Actor) -> Result<Vec<Proposal>, OpError> {
        self.settle_proposals(actor).await?;
        let all = self
            .rooms
            .read(&actor.doc(PROPOSAL_RECORDS_DOC)?, |txn| list_proposals(txn))
            .await?;
        Ok(all.into_iter().filter(|p| may_see(actor, p)).collect())
    }

    /// One proposal, if the actor may see it.
    pub(crate) async fn proposal(&self, actor: &Actor, id: &str) -> Result<Proposal, OpError> {
        Some(self.record_of(actor, id).await?)
            .filter(|proposal| may_see(actor, proposal))
            .ok_or_else(|| OpError::NoSuchProposal(id.to_owned()))
    }

    /// One proposal's record, whoever asks: for the server's own checks.
    async fn record_of(&self, actor: &Actor, id: &str) -> Result<Proposal, OpError> {
        self.settle_proposals(actor).await?;
        let id_ = id.to_owned();
        self.rooms
            .read(&actor.doc(PROPOSAL_RECORDS_DOC)?, move |txn| {
                read_proposal(txn, &id_)
            })
            .await?
            .ok_or_else(|| OpError::NoSuchProposal(id.to_owned()))
    }

    /// Files a proposal under a topic (vice-chair or chair).
    pub(crate) async fn categorize(
        &self,
        actor: &Actor,
        id: &str,
        topic: &str,
    ) -> Result<Proposal, OpError> {
        actor.require(Role::ViceChair)?;
        let topics = self.space(actor).await?.topics;
        if !topics.iter().any(|t| t.letter == topic) {
            return Err(OpError::NoSuchTopic(topic.to_owned()));
        }
        let chosen = topic.to_owned();
        let step = Step {
            status: ProposalStatus::Categorized,
            at: now_rfc3339(),
            note: None,
            action: AuditAction::ProposalCategorized,
            details: json!({ "proposal": id, "topic": topic }),
        };
        self.move_proposal(actor, id, step, move |proposal| {
            proposal.topic = Some(chosen);
            Ok(())
        })
        .await
    }

    /// Merges a proposal (vice-chair or chair), once: however many merges
    /// of it are asked at once, on however many nodes, one goes ahead
    /// ([`Operations::close_once`]); then where it went is recorded.
    pub(crate) async fn merge(
        &self,
        actor: &Actor,
        id: &str,
        target: MergeTarget,
        extent: MergeExtent,
    ) -> Result<Proposal, OpError> {
        // Who asks and what, checked before the proposal is claimed, so that
        // nobody who may not merge it holds it even for a moment.
        let (proposal, offered) = self.mergeable(actor, id, &target).await?;
        // A branch's edits applied twice are applied once; free text, or
        // some of a branch's changes, are not.
        let again = if offered.branch_update.is_some() && !matches!(extent, MergeExtent::Hunks(_)) {
            Again::Harmless
        } else {
            Again::Duplicates
        };
        let (ops, actor, id) = (self.clone(), actor.clone(), id.to_owned());
        to_completion(async move {
            let merging = ops.merge_now(&actor, proposal, offered, target, extent);
            ops.close_once(&actor, &id, (Closing::Merge, again), merging)
                .await
        })
        .await
    }

    /// Applies a merge, then records it: what stops it after it applied
    /// is [`Cut::Halfway`].
    async fn merge_now(
        &self,
        actor: &Actor,
        proposal: Proposal,
        offered: Offered,
        target: MergeTarget,
        extent: MergeExtent,
    ) -> Result<Proposal, Cut> {
        // The merge record, the history event and a new alternative carry
        // the same time.
        let at = now_rfc3339();
        let partial_label = extent == MergeExtent::Partial;
        let applied = self
            .apply_merge(actor, &proposal, offered, target, extent, &at)
            .await;
        let (recommendation, merged_as, alternative, hunks) = applied.map_err(Cut::applying)?;
        let partial = partial_label || !hunks.is_empty();
        let entry = MergeRecord {
            recommendation,
            merged_as,
            alternative,
            by: actor.user.clone(),
            at: at.clone(),
            hunks,
        };
        let status = if partial {
            ProposalStatus::PartiallyMerged
        } else {
            ProposalStatus::Merged
        };
        let step = Step {
            status,
            at,
            note: None,
            action: AuditAction::ProposalMerged,
            details: json!({
                "proposal": proposal.id,
                "into": entry.recommendation,
                "as": entry.merged_as,
                "alternative": entry.alternative,
                "partial": partial,
                "hunks": entry.hunks,
            }),
        };
        let recorded = self
            .move_proposal(actor, &proposal.id, step, move |proposal| {
                proposal.merged_into.push(entry);
                Ok(())
            })
            .await;
        recorded.map_err(Cut::Halfway)
    }

    /// Puts what a proposal offers where `target` says (of it, what
    /// `extent` says); answers where it went, and the hunks taken when not
    /// all were.
    async fn apply_merge(
        &self,
        actor: &Actor,
        proposal: &Proposal,
        offered: Offered,
        target: MergeTarget,
        extent: MergeExtent,
        at: &str,
    ) -> Result<(String, MergeKind, Option<String>, Vec<Hunk>), OpError> {
        let applied = match target {
            MergeTarget::Majority { into, position } => {
                let policy = EditPolicy::of(&DocPath::Recommendation(&into).to_string());
                let missing = OpError::NoSuchRecommendation(into.clone());
                let (taken, _) = self
                    .change_recommendation(actor, &into, WhenAdopted::Refuse, move |txn| {
                        match extent {
                            MergeExtent::Hunks(accepted) => {
                                offered.merge_hunks(txn, position, policy, &accepted, missing)
                            }
                            _ => offered
                                .merge_into_majority(txn, position, policy)
                                .map(|()| Vec::new()),
                        }
                    })
                    .await?;
                (into, MergeKind::Majority, None, taken)
            }
            MergeTarget::Alternative { into } => {
                let new = NewAlternative {
                    id: NewAlternative::fresh_id(),
                    label: proposal.title.clone(),
                    text: offered.text,
                };
                let (author, when, alternative) =
                    (proposal.author.clone(), at.to_owned(), new.id.clone());
                self.change_recommendation(actor, &into, WhenAdopted::Refuse, move |txn| {
                    Ok(add_alternative(
                        txn, &new.id, &new.label, &new.text, &author, &when,
                    )?)
                })
                .await?;
                (into, MergeKind::Alternative, Some(alternative), Vec::new())
            }
            MergeTarget::New { topic } => {
                let topic = topic.or_else(|| proposal.topic.clone()).ok_or_else(|| {
                    OpError::Invalid("name a topic for the new recommendation".into())
                })?;
                let created = self
                    .add_recommendation(
                        actor,
                        NewRecommendation {
                            topic,
                            title: proposal.title.clone(),
                            text: offered.text,
                            ..NewRecommendation::default()
                        },
                    )
                    .await?;
                (created.id, MergeKind::New, None, Vec::new())
            }
        };
        Ok(applied)
    }

    /// What merging a proposal into `target` would do, computed exactly as
    /// the merge computes it, on a copy of the live document: what the
    /// vice-chair previews is what the merge does. Changes nothing.
    pub(crate) async fn preview_merge(
        &self,
        actor: &Actor,
        id: &str,
        target: MergeTarget,
    ) -> Result<MergePreview, OpError> {
        let (proposal, offered) = self.mergeable(actor, id, &target).await?;
        let (into, position) = match target {
            MergeTarget::Majority { into, position } => (into, position),
            // A new alternative, or a new recommendation: the text as it
            // will stand, all of it new.
            MergeTarget::Alternative { into } => {
                self.recommendation(actor, &into).await?;
                return Ok(MergePreview::all_new(
                    Some(into),
                    proposal.title,
                    &offered.text,
                ));
            }
            MergeTarget::New { .. } => {
                return Ok(MergePreview::all_new(None, proposal.title, &offered.text));
            }
        };
        let name = actor.doc(&DocPath::Recommendation(&into).to_string())?;
        let missing = OpError::NoSuchRecommendation(into.clone());
        let policy = EditPolicy::of(name.doc());
        let (before, after) = self
            .rooms
            .read(&name, move |txn| {
                if read_recommendation(txn).is_some() && policy.refusal(txn).is_some() {
                    return Err(OpError::Frozen);
                }
                offered.before_and_after(txn, position, policy, missing)
            })
            .await??;
        let empty = String::new();
        let fields = Field::ALL
            .iter()
            .filter_map(|field| {
                let (was, is) = (before.fields.get(field), after.fields.get(field));
                (was != is).then(|| {
                    let diff = word_diff(was.unwrap_or(&empty), is.unwrap_or(&empty));
                    (*field, diff)
                })
            })
            .collect();
        Ok(MergePreview {
            recommendation: Some(into),
            title: proposal.title,
            runs: word_diff(&before.text, &after.text),
            fields,
            hunks: every_hunk(&before, &after),
        })
    }

    /// An open proposal the actor may merge into `target`, and what it
    /// offers.
    async fn mergeable(
        &self,
        actor: &Actor,
        id: &str,
        target: &MergeTarget,
    ) -> Result<(Proposal, Offered), OpError> {
        actor.require(Role::ViceChair)?;
        let proposal = self.proposal(actor, id).await?;
        proposal.check_open()?;
        if let (MergeTarget::Majority { into, .. }, Some(branch_of)) = (target, &proposal.branch_of)
            && branch_of != into
        {
            return Err(OpError::Invalid(format!(
                "a branch of {branch_of} merges into {branch_of}'s majority text, not {into}'s"
            )));
        }
        let offered = self.offered(actor, &proposal).await?;
        Ok((proposal, offered))
    }

    /// Rejects a proposal with a reason (vice-chair or chair).
    pub(crate) async fn reject(
        &self,
        actor: &Actor,
        id: &str,
        reason: &str,
    ) -> Result<Proposal, OpError> {
        actor.require(Role::ViceChair)?;
        require_text(reason, "a rejection needs a reason")?;
        self.limits.note("the reason", reason)?;
        let step = Step {
            status: ProposalStatus::Rejected,
            at: now_rfc3339(),
            note: Some(reason.to_owned()),
            action: AuditAction::ProposalRejected,
            details: json!({ "proposal": id, "reason": reason }),
        };
        let proposal = self.proposal(actor, id).await?;
        proposal.check_open()?;
        self.close_by_moving(actor, proposal.id, Closing::Reject, step)
            .await
    }

    /// Withdraws the actor's own proposal.
    pub(crate) async fn withdraw(&self, actor: &Actor, id: &str) -> Result<Proposal, OpError> {
        actor.require(Role::Member)?;
        let step = Step {
            status: ProposalStatus::Withdrawn,
            at: now_rfc3339(),
            note: None,
            action: AuditAction::ProposalWithdrawn,
            details: json!({ "proposal": id }),
        };
        let proposal = self.record_of(actor, id).await?;
        if proposal.author != actor.user {
            return Err(OpError::NotAuthor);
        }
        proposal.check_open()?;
        self.close_by_moving(actor, proposal.id, Closing::Withdraw, step)
            .await
    }

    /// Takes a closing step that only moves the proposal on (a rejection,
    /// a withdrawal), once, to its end: one change of its record, so done
    /// twice it is refused the second time.
    async fn close_by_moving(
        &self,
        actor: &Actor,
        id: String,
        closing: Closing,
        step: Step,
    ) -> Result<Proposal, OpError> {
        let (ops, actor) = (self.clone(), actor.clone());
        to_completion(async move {
            let moving = ops.move_proposal(&actor, &id, step, |_| Ok(()));
            let moving = async { moving.await.map_err(Cut::Untouched) };
            ops.close_once(&actor, &id, (closing, Again::Harmless), moving)
                .await
        })
        .await
    }

    /// Does `step`, a proposal's closing step, only if no other closing
    /// step of it was taken or is under way, on any node: the store's
    /// claim on the proposal decides, atomically, before anything changes.
    /// A step that fails lets go of the claim, so the proposal can be
    /// closed again, unless it stopped halfway and doing it `again` would
    /// apply a text twice; one that succeeds keeps it for good.
    async fn close_once(
        &self,
        actor: &Actor,
        id: &str,
        (closing, again): (Closing, Again),
        step: impl Future<Output = Result<Proposal, Cut>>,
    ) -> Result<Proposal, OpError> {
        let key = format!("proposal/{id}/closing");
        // The user last: a user's name may hold any character.
        let holder = format!("{} {} {}", closing.as_str(), random_id(""), actor.user);
        let store = &self.rooms.store;
        if let Some(held) = store.claim(&actor.space, &key, &holder).await? {
            // Closed already: say how, as before there were claims.
            let proposal = self.proposal(actor, id).await?;
            proposal.check_open()?;
            let mut parts = held.splitn(3, ' ');
            let action = parts.next().unwrap_or_default();
            let by = parts.nth(1).unwrap_or_default();
            return Err(OpError::Closing(format!(
                "this proposal is being {action} by {by}: it closes once"
            )));
        }
        let error = match step.await {
            Ok(proposal) => return Ok(proposal),
            Err(Cut::Halfway(error)) if again == Again::Duplicates => {
                // Kept claimed: doing it again would apply the text twice.
                tracing::error!(proposal = id, %error, "a merge stopped after it applied; the proposal stays claimed");
                return Err(error);
            }
            Err(Cut::Untouched(error) | Cut::Halfway(error)) => error,
        };
        if let Err(release) = store.release(&actor.space, &key, &holder).await {
            tracing::warn!(proposal = id, error = %release, "could not let go of a failed closing step's claim");
        }
        Err(error)
    }

    /// The text a proposal offers, as the diff and the merge see it.
    pub(crate) async fn offered_text(
        &self,
        actor: &Actor,
        proposal: &Proposal,
    ) -> Result<String, OpError> {
        Ok(self.offered(actor, proposal).await?.text)
    }

    async fn offered(&self, actor: &Actor, proposal: &Proposal) -> Result<Offered, OpError> {
        let (Some(doc), Some(fork)) = (&proposal.doc, proposal.fork_state()) else {
            return Ok(Offered {
                text: proposal.text.clone().unwrap_or_default(),
                branch_update: None,
            });
        };
        let fork = StateVector::decode_v1(&fork)
            .map_err(|error| OpError::Internal(format!("bad fork state: {error}")))?;
        let (text, update) = self
            .rooms
            .read(&actor.doc(doc)?, move |txn| {
                let text = txn
                    .get_text(schema::root::TEXT)
                    .map(|t| t.get_string(txn))
                    .unwrap_or_default();
                (text, txn.encode_state_as_update_v1(&fork))
            })
            .await?;
        Ok(Offered {
            text,
            branch_update: Some(update),
        })
    }

    /// Moves an open proposal a step on: `change` (which may refuse) and
    /// the new status apply to the proposal as it stands in the proposals
    /// document, in one change of it, so two steps at once lose neither
    /// and a proposal closed meanwhile stays closed; then the step is
    /// audited.
    async fn move_proposal(
        &self,
        actor: &Actor,
        id: &str,
        step: Step,
        change: impl FnOnce(&mut Proposal) -> Result<(), OpError> + Send + 'static,
    ) -> Result<Proposal, OpError> {
        let missing = OpError::NoSuchProposal(id.to_owned());
        let (key, user) = (id.to_owned(), actor.user.clone());
        let (status, at, note) = (step.status, step.at, step.note);
        self.settle_proposals(actor).await?;
        let proposal = self
            .rooms
            .edit(&actor.doc(PROPOSAL_RECORDS_DOC)?, move |txn| {
                let mut proposal = read_proposal(txn, &key).ok_or(missing)?;
                change(&mut proposal)?;
                proposal.check_open()?;
                proposal.record(status, &user, &at, note);
                put_proposal(txn, &proposal);
                Ok::<_, OpError>(proposal)
            })
            .await??;
        self.publish(actor, &proposal).await?;
        if !proposal.status.is_open()
            && let Some(doc) = &proposal.doc
        {
            let status = proposal.status;
            self.rooms
                .edit(&actor.doc(doc)?, move |txn| close_branch(txn, status))
                .await??;
        }
        self.record(actor, step.action, step.details).await?;
        Ok(proposal)
    }

    /// Sums `proposal` up in the live `proposals` document (which the
    /// vice-chair and the chair follow) and in its author's, so that those
    /// following either read the proposals again.
    async fn publish(&self, actor: &Actor, proposal: &Proposal) -> Result<(), OpError> {
        for doc in [
            PROPOSALS_DOC.to_owned(),
            authors_proposals_doc(&proposal.author),
        ] {
            let stored = proposal.clone();
            self.rooms
                .edit(&actor.doc(&doc)?, move |txn| {
                    put_proposal_summary(txn, &stored)
                })
                .await?;
        }
        Ok(())
    }

    /// Moves the proposals that a store written before summaries holds in
    /// full in the live `proposals` document into `proposal-records` (where
    /// a proposal already there wins: it is the newer), and sums them up in
    /// their place. Once done, the live document holds only summaries and
    /// this finds nothing to move.
    async fn settle_proposals(&self, actor: &Actor) -> Result<(), OpError> {
        let live = actor.doc(PROPOSALS_DOC)?;
        let whole = self.rooms.read(&live, |txn| list_proposals(txn)).await?;
        if whole.is_empty() {
            return Ok(());
        }
        let held = self
            .rooms
            .edit(&actor.doc(PROPOSAL_RECORDS_DOC)?, move |txn| {
                let held: Vec<Proposal> = whole
                    .into_iter()
                    .map(|proposal| match read_proposal(txn, &proposal.id) {
                        Some(newer) => newer,
                        None => {
                            put_proposal(txn, &proposal);
                            proposal
                        }
                    })
                    .collect();
                held
            })
            .await?;
        self.rooms
            .edit(&live, move |txn| {
                for proposal in &held {
                    put_proposal_summary(txn, proposal);
                }
            })
            .await?;
        Ok(())
    }
}
