//! What happened, from the audit log: a recommendation's lineage, the
//! activity of a meeting's days, and the Chair's summary drafted from it,
//! which the chair then finishes in its own document
//! (`summaries/{meeting}`) and exports.

use draftroom_auth::Role;
use draftroom_model::schema::meetings::SUMMARY;
use draftroom_model::{
    AuditAction, DocPath, Happening, MEETINGS_DOC, Meeting, PROPOSAL_RECORDS_DOC, Point, Records,
    What, between, lineage, list_points, list_proposals, read_meeting, summary_draft,
};
use serde::Serialize;
use serde_json::json;
use yrs::{GetString, Text, WriteTxn};

use super::{Actor, OpError, Operations};

/// What happened in a meeting's days, and its points of broad agreement.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Activity {
    pub(crate) meeting: String,
    pub(crate) happened: Vec<Happening>,
    pub(crate) points: Vec<Point>,
}

impl Operations {
    /// Every action on the drafting the space's log holds, oldest first,
    /// read against its proposals and versions.
    async fn happenings(&self, actor: &Actor) -> Result<Vec<Happening>, OpError> {
        let log = self.rooms.store.read_audit(&actor.space).await?;
        let proposals = self
            .rooms
            .read(&actor.doc(PROPOSAL_RECORDS_DOC)?, |txn| list_proposals(txn))
            .await?;
        let versions = self.versions(actor).await?;
        let records = Records::new(&proposals, &versions);
        Ok(log
            .entries
            .iter()
            .filter_map(|entry| Happening::read(entry.seq, &entry.body, &records))
            .collect())
    }

    /// Where recommendation `id`'s text came from and where it went, oldest
    /// first (anyone in the space).
    pub(crate) async fn lineage(&self, actor: &Actor, id: &str) -> Result<Vec<Happening>, OpError> {
        self.recommendation(actor, id).await?;
        Ok(lineage(&self.happenings(actor).await?, id))
    }

    /// Meeting `id`, what happened in its days (every kind a summary tells
    /// of, unredacted) and its points of broad agreement.
    async fn meeting_days(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(Meeting, Vec<Happening>, Vec<Point>), OpError> {
        let id = id.to_owned();
        let (meeting, points) = self
            .rooms
            .read(&actor.doc(MEETINGS_DOC)?, move |txn| {
                let meeting = read_meeting(txn, &id).ok_or(OpError::NoSuchMeeting(id))?;
                let points = list_points(txn)
                    .into_iter()
                    .filter(|point| point.meeting == meeting.id)
                    .collect();
                Ok::<_, OpError>((meeting, points))
            })
            .await??;
        let happened = between(
            &self.happenings(actor).await?,
            &meeting.starts,
            &meeting.ends,
        );
        Ok((meeting, happened, points))
    }

    /// What happened in meeting `id`'s days, and its points (anyone in the
    /// space). A rejected proposal is told by its title only to those who
    /// triage: to others, as a proposal rejected, with the reason.
    pub(crate) async fn activity(&self, actor: &Actor, id: &str) -> Result<Activity, OpError> {
        let (meeting, mut happened, points) = self.meeting_days(actor, id).await?;
        if actor.role < Role::ViceChair {
            for happening in &mut happened {
                if let What::Rejected { title, .. } = &mut happening.what {
                    title.clear();
                }
            }
        }
        Ok(Activity {
            meeting: meeting.id,
            happened,
            points,
        })
    }

    /// Drafts meeting `id`'s Chair's summary from what happened in its
    /// days into its summary document, where the chair goes on writing it
    /// (chair). A summary begun already is replaced only when `replace`
    /// says so: the chair's words are not overwritten unasked.
    pub(crate) async fn draft_summary(
        &self,
        actor: &Actor,
        id: &str,
        replace: bool,
    ) -> Result<String, OpError> {
        actor.require(Role::Chair)?;
        let (meeting, happened, points) = self.meeting_days(actor, id).await?;
        let roster = self.roster(&actor.space).await?;
        let space = self.space(actor).await?;
        let draft = summary_draft(&meeting, &happened, &points, &roster, &space);
        self.limits.text("the summary", &draft)?;
        let written = draft.clone();
        self.rooms
            .edit(
                &actor.doc(&DocPath::Summary(&meeting.id).to_string())?,
                move |txn| {
                    let text = txn.get_or_insert_text(SUMMARY);
                    if !replace && !text.get_string(txn).trim().is_empty() {
                        return Err(OpError::SummaryBegun);
                    }
                    let length = text.len(txn);
                    text.remove_range(txn, 0, length);
                    text.insert(txn, 0, &written);
                    Ok(())
                },
            )
            .await??;
        self.record(
            actor,
            AuditAction::SummaryDrafted,
            json!({ "meeting": meeting.id, "replaced": replace }),
        )
        .await?;
        Ok(draft)
    }
}
