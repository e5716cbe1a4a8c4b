//! What the HTTP API takes and gives, as its own types: requests are
//! typed (enums where a field takes one of a few names) and turned into
//! the operations' inputs here; responses are built from what operations
//! return, and carry nothing the server keeps for itself (a branch's fork
//! state never leaves it). The model's read views (a recommendation, a
//! space's summaries) hold nothing internal and are sent as they are.

use std::collections::BTreeMap;

use draftroom_auth::Role;
use draftroom_model::{
    AgendaItem, Bracket, BracketChange, BracketState, Comment, Consensus, Field, Format, Happening,
    Hunk, ImplementationStatus, Keep, MeetingDocument, MergeKind, MergeRecord, Passage, Progress,
    Proposal, ProposalEvent, ProposalStatus, Recommendation, RecommendationSummary, SpaceView,
    Status, Suggestion, SuggestionStatus, SupportChoice, Topic, Version,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::ApiError;
use crate::ops;
use crate::ops::audit::AuditReport;
use crate::ops::diff::RecommendationDiff;
use crate::ops::implementation::Report as ImplementationReport;
use crate::ops::links::{DEFAULT_LINK_DAYS, Link};
use crate::ops::meetings::{MeetingDraft, NewPoint};
use crate::ops::people::PersonChange;
use crate::ops::proposals::{MergeExtent, MergePreview, MergeTarget, Submission};
use crate::ops::recommendations::NewRecommendation as NewRecommendationOp;

// Requests.

#[derive(Deserialize)]
pub(crate) struct NewSpace {
    pub(crate) id: String,
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) topics: Vec<Topic>,
}

#[derive(Deserialize)]
pub(crate) struct NewRecommendation {
    topic: String,
    title: String,
    #[serde(default)]
    text: String,
    /// Structured fields to start from, by key.
    #[serde(default)]
    fields: BTreeMap<Field, String>,
}

impl From<NewRecommendation> for NewRecommendationOp {
    fn from(new: NewRecommendation) -> Self {
        NewRecommendationOp {
            topic: new.topic,
            title: new.title,
            text: new.text,
            fields: new.fields,
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct StatusChange {
    pub(crate) status: Status,
    pub(crate) consensus: Option<Consensus>,
    /// Why the recommendation is adopted with brackets not cleared.
    #[serde(rename = "override")]
    pub(crate) overriding: Option<String>,
}

impl From<StatusChange> for ops::recommendations::StatusChange {
    fn from(body: StatusChange) -> Self {
        ops::recommendations::StatusChange {
            status: body.status,
            consensus: body.consensus,
            overriding: body.overriding,
        }
    }
}

/// A change to a bracket: `hold` is the caller's own (hold or release);
/// the rest is the vice-chair's and the chair's. Clearing (`state:
/// "cleared"`) keeps option `keep` (counted from 0; a bracket of one option
/// keeps it), or nothing with `remove: true`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BracketChangeBody {
    hold: Option<bool>,
    holders: Option<Vec<String>>,
    reason: Option<String>,
    state: Option<BracketState>,
    pending: Option<String>,
    keep: Option<usize>,
    #[serde(default)]
    remove: bool,
}

impl From<BracketChangeBody> for BracketChange {
    fn from(body: BracketChangeBody) -> Self {
        BracketChange {
            hold: body.hold,
            holders: body.holders,
            reason: body.reason,
            state: body.state,
            pending: body.pending,
            keep: match (body.remove, body.keep) {
                (true, _) => Keep::Nothing,
                (false, Some(option)) => Keep::Option(option),
                (false, None) => Keep::Only,
            },
        }
    }
}

/// A passage of a recommendation's text: offsets `from`..`to` in the text
/// at `location` (`text`, a field, `alternatives/{id}`), counted in UTF-16
/// code units as Yjs and JavaScript count; `quote`, what the caller saw
/// there, finds the passage if the text moved since.
#[derive(Deserialize)]
pub(crate) struct PassageBody {
    location: String,
    from: u32,
    to: u32,
    quote: Option<String>,
}

impl From<PassageBody> for Passage {
    fn from(body: PassageBody) -> Self {
        Passage {
            location: body.location,
            from: body.from,
            to: body.to,
            quote: body.quote,
        }
    }
}

/// A comment on a passage.
#[derive(Deserialize)]
pub(crate) struct NewComment {
    #[serde(flatten)]
    pub(crate) passage: PassageBody,
    pub(crate) body: String,
}

/// A suggestion: `text` in place of the passage (`from` = `to` inserts
/// it there; an empty `text` deletes the passage).
#[derive(Deserialize)]
pub(crate) struct NewSuggestion {
    #[serde(flatten)]
    pub(crate) passage: PassageBody,
    #[serde(default)]
    pub(crate) text: String,
}

/// What becomes of a suggestion, as a route names it.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Decision {
    Accept,
    Reject,
    Withdraw,
}

impl From<Decision> for SuggestionStatus {
    fn from(decision: Decision) -> Self {
        match decision {
            Decision::Accept => SuggestionStatus::Accepted,
            Decision::Reject => SuggestionStatus::Rejected,
            Decision::Withdraw => SuggestionStatus::Withdrawn,
        }
    }
}

/// Whose pending suggestions a decision takes, all at once.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuthorsSuggestions {
    pub(crate) author: String,
}

#[derive(Serialize)]
pub(crate) struct SuggestionsBody {
    pub(crate) suggestions: Vec<Suggestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewReply {
    pub(crate) body: String,
}

#[derive(Serialize)]
pub(crate) struct CommentsBody {
    pub(crate) comments: Vec<Comment>,
}

#[derive(Serialize)]
pub(crate) struct BracketsBody {
    pub(crate) brackets: Vec<Bracket>,
}

#[derive(Deserialize)]
pub(crate) struct NewAlternative {
    pub(crate) label: String,
    #[serde(default)]
    pub(crate) text: String,
}

#[derive(Deserialize)]
pub(crate) struct Relabel {
    pub(crate) label: String,
}

#[derive(Deserialize)]
pub(crate) struct Support {
    #[serde(rename = "for")]
    pub(crate) choice: SupportChoice,
}

#[derive(Deserialize)]
pub(crate) struct NewProposal {
    title: String,
    text: Option<String>,
    topic: Option<String>,
    branch_of: Option<String>,
}

impl From<NewProposal> for Submission {
    fn from(new: NewProposal) -> Self {
        Submission {
            title: new.title,
            text: new.text,
            topic: new.topic,
            branch_of: new.branch_of,
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct Categorize {
    pub(crate) topic: String,
}

/// `{ "into", "as": "majority" | "alternative", "position"?, "partial"? }`
/// or `{ "as": "new", "topic"?, "partial"? }`.
#[derive(Deserialize)]
pub(crate) struct Merge {
    into: Option<String>,
    #[serde(rename = "as")]
    kind: MergeKind,
    /// For free text into the majority: where, in characters (default: the end).
    position: Option<usize>,
    /// For `as: "new"`: the topic of the new recommendation.
    topic: Option<String>,
    /// Only part of the proposal was taken.
    #[serde(default)]
    partial: bool,
    /// Into the majority: only these of the hunks the preview gave.
    hunks: Option<Vec<Hunk>>,
}

impl Merge {
    pub(crate) fn into_target(self) -> Result<(MergeTarget, MergeExtent), ApiError> {
        let target = match (self.kind, self.into) {
            (MergeKind::Majority, Some(into)) => MergeTarget::Majority {
                into,
                position: self.position,
            },
            (MergeKind::Alternative, Some(into)) => MergeTarget::Alternative { into },
            (MergeKind::New, _) => MergeTarget::New { topic: self.topic },
            (MergeKind::Majority | MergeKind::Alternative, None) => {
                return Err(ApiError::bad_request(
                    "merge takes { \"into\": RECOMMENDATION_ID, \"as\": \"majority\" | \"alternative\" }, or { \"as\": \"new\", \"topic\"? }",
                ));
            }
        };
        let extent = match (self.hunks, &target) {
            (Some(hunks), MergeTarget::Majority { .. }) => MergeExtent::Hunks(hunks),
            (Some(_), _) => {
                return Err(ApiError::bad_request(
                    "hunks are taken one by one only into a majority text",
                ));
            }
            (None, _) if self.partial => MergeExtent::Partial,
            (None, _) => MergeExtent::Whole,
        };
        Ok((target, extent))
    }
}

#[derive(Deserialize)]
pub(crate) struct Reject {
    pub(crate) reason: String,
}

#[derive(Deserialize)]
pub(crate) struct NameVersion {
    pub(crate) name: String,
    pub(crate) recommendation: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct MintLink {
    pub(crate) user: String,
    /// Their role on the roster unless said (a member, for someone new).
    #[serde(default)]
    pub(crate) role: Option<Role>,
    /// How many days the link works; 30 unless said.
    #[serde(default = "default_days")]
    pub(crate) days: u64,
}

fn default_days() -> u64 {
    DEFAULT_LINK_DAYS
}

#[derive(Deserialize)]
pub(crate) struct ExportQuery {
    pub(crate) format: Option<Format>,
    /// Whether each recommendation's comments are included (not by
    /// default: a report shows the texts).
    #[serde(default)]
    pub(crate) comments: bool,
    /// Whether an annex says who proposed what.
    #[serde(default)]
    pub(crate) annex: bool,
    /// A named version's id: report what changed since it.
    pub(crate) since: Option<String>,
    /// A named version's id: export it, not the live text.
    pub(crate) version: Option<String>,
    /// Only recommendations with these statuses: a comma list.
    pub(crate) status: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct SummaryQuery {
    pub(crate) format: Option<Format>,
}

/// The chair's request for a first draft of a meeting's summary.
#[derive(Deserialize)]
pub(crate) struct DraftSummary {
    /// Whether to replace a summary already begun.
    #[serde(default)]
    pub(crate) replace: bool,
}

/// A first draft of a meeting's summary, as written into its document.
#[derive(Serialize)]
pub(crate) struct DraftedSummary {
    pub(crate) doc: String,
    pub(crate) text: String,
}

/// A recommendation's lineage.
#[derive(Serialize)]
pub(crate) struct LineageBody {
    pub(crate) recommendation: String,
    pub(crate) steps: Vec<Happening>,
}

#[derive(Deserialize)]
pub(crate) struct ImplementationReportQuery {
    pub(crate) format: Option<Format>,
    /// The date the report describes, `YYYY-MM-DD`; today unless said.
    pub(crate) as_of: Option<String>,
}

/// How a diff is sent: JSON runs, or HTML with `<del>` and `<ins>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum DiffFormat {
    #[default]
    Json,
    Html,
}

#[derive(Deserialize)]
pub(crate) struct DiffQuery {
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    #[serde(default)]
    pub(crate) format: DiffFormat,
}

// Responses.

#[derive(Serialize)]
pub(crate) struct SpaceBody {
    id: String,
    #[serde(flatten)]
    space: SpaceView,
    /// Every recommendation, topic by topic, in one list.
    recommendations: Vec<RecommendationSummary>,
}

impl SpaceBody {
    pub(crate) fn new(id: &str, space: SpaceView) -> Self {
        let recommendations = space
            .topics
            .iter()
            .flat_map(|topic| topic.recommendations.iter().cloned())
            .collect();
        SpaceBody {
            id: id.to_owned(),
            space,
            recommendations,
        }
    }
}

/// A document just made: its id and its name under `/ws/{space}/`.
#[derive(Serialize)]
pub(crate) struct Created {
    pub(crate) id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) doc: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct RecommendationBody {
    pub(crate) doc: String,
    #[serde(flatten)]
    pub(crate) recommendation: Recommendation,
}

#[derive(Serialize)]
pub(crate) struct SupportBody {
    pub(crate) support: BTreeMap<String, SupportChoice>,
}

/// A proposal as its readers see it.
#[derive(Serialize)]
pub(crate) struct ProposalBody {
    id: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    topic: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    branch_of: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    doc: Option<String>,
    author: String,
    created_at: String,
    status: ProposalStatus,
    history: Vec<ProposalEvent>,
    merged_into: Vec<MergeRecord>,
}

impl From<Proposal> for ProposalBody {
    fn from(proposal: Proposal) -> Self {
        ProposalBody {
            id: proposal.id,
            title: proposal.title,
            text: proposal.text,
            topic: proposal.topic,
            branch_of: proposal.branch_of,
            doc: proposal.doc,
            author: proposal.author,
            created_at: proposal.created_at,
            status: proposal.status,
            history: proposal.history,
            merged_into: proposal.merged_into,
        }
    }
}

/// A named version as its readers see it.
#[derive(Serialize)]
pub(crate) struct VersionBody {
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    recommendation: Option<String>,
    recommendations: Vec<String>,
    open_brackets: usize,
    alternatives: usize,
    topics: BTreeMap<String, Progress>,
    created_by: String,
    created_at: String,
}

impl From<Version> for VersionBody {
    fn from(version: Version) -> Self {
        VersionBody {
            id: version.id,
            name: version.name,
            recommendation: version.recommendation,
            recommendations: version.recommendations,
            open_brackets: version.open_brackets,
            alternatives: version.alternatives,
            topics: version.topics,
            created_by: version.created_by,
            created_at: version.created_at,
        }
    }
}

#[derive(Serialize)]
pub(crate) struct DiffEntry {
    recommendation: String,
    runs: Vec<draftroom_model::Run>,
    /// Every part that changed, where both sides hold whole
    /// recommendations (versions, the live space, a live recommendation).
    #[serde(skip_serializing_if = "Option::is_none")]
    parts: Option<draftroom_model::Changes>,
}

#[derive(Serialize)]
pub(crate) struct DiffBody {
    from: String,
    to: String,
    /// The runs of the first (often the only) recommendation compared.
    runs: Vec<draftroom_model::Run>,
    diffs: Vec<DiffEntry>,
}

impl DiffBody {
    pub(crate) fn new(from: String, to: String, diffs: Vec<RecommendationDiff>) -> Self {
        let diffs: Vec<DiffEntry> = diffs
            .into_iter()
            .map(|diff| DiffEntry {
                recommendation: diff.recommendation,
                runs: diff.runs,
                parts: diff.parts,
            })
            .collect();
        DiffBody {
            from,
            to,
            runs: diffs.first().map(|d| d.runs.clone()).unwrap_or_default(),
            diffs,
        }
    }
}

/// What a merge would change, as word diffs: of the target's majority
/// text, and of each structured field it changes (nothing else changes).
#[derive(Serialize)]
pub(crate) struct MergePreviewBody {
    /// The recommendation merged into; none for a new one.
    recommendation: Option<String>,
    title: String,
    runs: Vec<draftroom_model::Run>,
    fields: Vec<FieldDiff>,
    /// Into the majority: each change the merge makes, to take or leave.
    hunks: Vec<Hunk>,
}

#[derive(Serialize)]
pub(crate) struct FieldDiff {
    field: Field,
    title: &'static str,
    runs: Vec<draftroom_model::Run>,
}

impl From<MergePreview> for MergePreviewBody {
    fn from(preview: MergePreview) -> Self {
        MergePreviewBody {
            recommendation: preview.recommendation,
            title: preview.title,
            runs: preview.runs,
            fields: preview
                .fields
                .into_iter()
                .map(|(field, runs)| FieldDiff {
                    field,
                    title: field.title(),
                    runs,
                })
                .collect(),
            hunks: preview.hunks,
        }
    }
}

#[derive(Serialize)]
pub(crate) struct AuditEntryBody {
    seq: u64,
    prev: String,
    hash: String,
    /// The entry as recorded: `at`, `actor`, `action`, `details`.
    entry: Value,
}

#[derive(Serialize)]
pub(crate) struct AuditBody {
    entries: Vec<AuditEntryBody>,
    /// Whether the chain of hashes is unbroken.
    intact: bool,
    /// The first fault in the chain, if any.
    fault: Option<String>,
}

impl From<AuditReport> for AuditBody {
    fn from(report: AuditReport) -> Self {
        let entries = report
            .log
            .entries
            .into_iter()
            .map(|entry| AuditEntryBody {
                seq: entry.seq,
                entry: serde_json::from_slice(&entry.body).unwrap_or(Value::Null),
                prev: entry.prev,
                hash: entry.hash,
            })
            .collect();
        AuditBody {
            entries,
            intact: report.verdict.is_ok(),
            fault: report.verdict.err().map(|fault| fault.to_string()),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct Me {
    pub(crate) space: String,
    pub(crate) user: String,
    /// Their name and delegation on the roster (their id and none if it
    /// does not list them).
    pub(crate) name: String,
    pub(crate) delegation: String,
    pub(crate) role: Role,
    /// The live document to follow for the proposals this person sees
    /// (none for an observer, who sees none).
    pub(crate) proposals_doc: Option<String>,
}

/// What the chair says of a person on the roster: each part unsaid is
/// left as it is.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PersonBody {
    pub(crate) name: Option<String>,
    pub(crate) delegation: Option<String>,
    pub(crate) role: Option<Role>,
}

impl From<PersonBody> for PersonChange {
    fn from(body: PersonBody) -> Self {
        PersonChange {
            name: body.name,
            delegation: body.delegation,
            role: body.role,
        }
    }
}

/// Someone to put on the roster.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewPerson {
    /// The id their links carry: made from their name unless said.
    pub(crate) user: Option<String>,
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) delegation: String,
    #[serde(default)]
    pub(crate) role: Option<Role>,
}

/// What the chair says of a meeting.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MeetingBody {
    pub(crate) number: Option<u32>,
    pub(crate) title: String,
    pub(crate) starts: String,
    pub(crate) ends: String,
    #[serde(default)]
    pub(crate) venue: String,
    #[serde(default)]
    pub(crate) agenda: Vec<AgendaItemBody>,
    #[serde(default)]
    pub(crate) documents: Vec<MeetingDocument>,
    pub(crate) deadline: Option<String>,
}

/// An agenda item: a topic of the space (its title unless another is
/// given), or another item by its title.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AgendaItemBody {
    pub(crate) topic: Option<String>,
    #[serde(default)]
    pub(crate) title: String,
}

impl From<MeetingBody> for MeetingDraft {
    fn from(body: MeetingBody) -> Self {
        MeetingDraft {
            number: body.number,
            title: body.title,
            starts: body.starts,
            ends: body.ends,
            venue: body.venue,
            agenda: body
                .agenda
                .into_iter()
                .map(|item| AgendaItem {
                    topic: item.topic,
                    title: item.title,
                })
                .collect(),
            documents: body.documents,
            deadline: body.deadline,
        }
    }
}

/// A report on an adopted recommendation's implementation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImplementationBody {
    pub(crate) status: ImplementationStatus,
    #[serde(default)]
    pub(crate) note: String,
    #[serde(default)]
    pub(crate) evidence: String,
    pub(crate) as_of: String,
}

impl From<ImplementationBody> for ImplementationReport {
    fn from(body: ImplementationBody) -> Self {
        ImplementationReport {
            status: body.status,
            note: body.note,
            evidence: body.evidence,
            as_of: body.as_of,
        }
    }
}

/// A topic to reopen for proposals.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Reopen {
    pub(crate) topic: String,
}

/// A point of broad agreement.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PointBody {
    pub(crate) topic: String,
    pub(crate) text: String,
    #[serde(default)]
    pub(crate) attribution: String,
}

impl From<PointBody> for NewPoint {
    fn from(body: PointBody) -> Self {
        NewPoint {
            topic: body.topic,
            text: body.text,
            attribution: body.attribution,
        }
    }
}

/// Whose access to revoke.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Revoke {
    pub(crate) user: String,
}

/// One person whose access was revoked.
#[derive(Serialize)]
pub(crate) struct RevokedBody {
    pub(crate) user: String,
    /// Seconds since the Unix epoch: links issued until then no longer work.
    pub(crate) at: u64,
}

/// A sign-in link's token, to start a session with in place of the
/// browser's current one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewSession {
    pub(crate) token: String,
}

#[derive(Serialize)]
pub(crate) struct LinkBody {
    user: String,
    role: Role,
    /// Seconds since the Unix epoch.
    expires_at: u64,
    /// The sign-in path, relative to this server: `/s/{space}?token=…`.
    path: String,
    token: String,
}

impl LinkBody {
    pub(crate) fn new(space: &str, link: Link) -> Self {
        LinkBody {
            path: link.path(space),
            user: link.user,
            role: link.role,
            expires_at: link.expires_at,
            token: link.token,
        }
    }
}
