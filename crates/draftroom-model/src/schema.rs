//! The document schema, written once.
//!
//! Every name a client and the server must agree on lives here: the root
//! types of a recommendation document and the keys inside them, the
//! structured fields and their titles, the statuses and consensus levels,
//! the documents the server keeps for a space, and the paths documents take
//! under `/ws/{space}/`. The web app's copy (`web/src/schema.js`, with its
//! types in `schema.d.ts`) is generated from these and checked by a test,
//! so the two cannot drift apart.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The root types of a recommendation document.
pub mod root {
    /// A map: see [`super::meta`].
    pub const META: &str = "meta";
    /// A text: the majority text.
    pub const TEXT: &str = "text";
    /// A map of alternative id to a map: see [`super::alternative`].
    pub const ALTERNATIVES: &str = "alternatives";
    /// A map of user id to a [`super::SupportChoice`].
    pub const SUPPORT: &str = "support";
    /// A map of bracket id (the Yjs id of its `[`, `{client}-{clock}`) to
    /// what the group says about it: `state`, `holders`, `reason`,
    /// `pending`, `changed_by`, `changed_at`, `cleared`.
    pub const BRACKETS: &str = "brackets";
    /// A map of comment id to a comment: its passage (`location`, `start`
    /// and `end`, Yjs relative positions in base64), `quote`, `author`,
    /// `at`, `body`, `replies`, `resolved`.
    pub const COMMENTS: &str = "comments";
    /// A map of suggestion id to a suggestion: its passage (`location`,
    /// `start`, `end`), `kind`, `quote`, `text`, `author`, `at`, `status`,
    /// `decided_by`, `decided_at`.
    pub const SUGGESTIONS: &str = "suggestions";
    /// A map of entry id to a report on the recommendation's
    /// implementation: `status`, `note`, `evidence`, `as_of`, `by`, `at`
    /// (not the `implementation` field, a text of its own).
    pub const IMPLEMENTATION_REPORTS: &str = "implementation-reports";
}

/// The keys of a recommendation's `meta` map.
pub mod meta {
    pub const ID: &str = "id";
    pub const TITLE: &str = "title";
    pub const TOPIC: &str = "topic";
    pub const NUMBER: &str = "number";
    pub const STATUS: &str = "status";
    pub const CONSENSUS: &str = "consensus";
    /// A branch's only: the user whose proposal it is.
    pub const AUTHOR: &str = "author";
    /// A branch's only, once its proposal is merged, rejected or
    /// withdrawn: that status. A closed branch's texts no longer change.
    pub const CLOSED: &str = "closed";
}

/// The keys of one alternative's map.
pub mod alternative {
    pub const LABEL: &str = "label";
    /// A text, co-edited like the majority text.
    pub const TEXT: &str = "text";
    /// An array of user ids.
    pub const PROPONENTS: &str = "proponents";
    /// The majority text as it stood when the alternative was written.
    pub const BASED_ON: &str = "based_on";
    pub const CREATED_BY: &str = "created_by";
    pub const CREATED_AT: &str = "created_at";
}

/// The root types of a space's index document.
pub mod index {
    /// A map: the space's `title`, `created_by`, `created_at`, and
    /// `report`, the header of its report (see `ReportHeader`).
    pub const SPACE: &str = "space";
    /// An array of `{ letter, title }`, in order.
    pub const TOPICS: &str = "topics";
    /// A map of recommendation id to its summary.
    pub const RECOMMENDATIONS: &str = "recommendations";
    /// A map of user id to a person on the roster: `user`, `name`,
    /// `delegation`, `role`.
    pub const PEOPLE: &str = "people";
}

names!(
    /// Where a recommendation stands: `draft` → `bracketed` → `agreed` →
    /// `adopted`. Adopted text is frozen until the chair moves it back.
    #[derive(Default)]
    Status, "status",
    #[default]
    Draft => "draft",
    Bracketed => "bracketed",
    Agreed => "agreed",
    Adopted => "adopted",
);

names!(
    /// How much the group agrees (the ICANN GNSO levels).
    Consensus, "consensus level",
    Full => "full",
    Consensus => "consensus",
    StrongSupport => "strong-support",
    Divergence => "divergence",
);

impl Consensus {
    /// The level as a report says it (the ICANN GNSO's wording).
    pub fn in_words(self) -> &'static str {
        match self {
            Consensus::Full => "full consensus",
            Consensus::Consensus => "consensus",
            Consensus::StrongSupport => "strong support but significant opposition",
            Consensus::Divergence => "divergence",
        }
    }
}

names!(
    /// The structured fields of a recommendation, each a root text of its
    /// own (so two clients that create one at once merge, not overwrite),
    /// in the order a reader expects them.
    Field, "field",
    Tasks => "tasks",
    Implementation => "implementation",
    Responsible => "responsible",
    Timeline => "timeline",
    Monitoring => "monitoring",
);

impl Field {
    /// The heading a reader sees.
    pub fn title(self) -> &'static str {
        match self {
            Field::Tasks => "Tasks",
            Field::Implementation => "Implementation",
            Field::Responsible => "Responsible body",
            Field::Timeline => "Timeline",
            Field::Monitoring => "Monitoring and evaluation",
        }
    }
}

names!(
    /// Where a proposal stands. Submitted and categorized proposals are
    /// open for the vice-chair's action; the rest are closed for good.
    ProposalStatus, "proposal status",
    Submitted => "submitted",
    Categorized => "categorized",
    Merged => "merged",
    PartiallyMerged => "partially-merged",
    Rejected => "rejected",
    Withdrawn => "withdrawn",
);

impl ProposalStatus {
    /// Whether the proposal is still open for the vice-chair's action.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ProposalStatus::Submitted | ProposalStatus::Categorized
        )
    }
}

names!(
    /// How a proposal is merged: into a recommendation's majority text, as
    /// a new alternative beside it, or as a new recommendation.
    MergeKind, "merge kind",
    Majority => "majority",
    Alternative => "alternative",
    New => "new",
);

names!(
    /// A governance action, as the space's audit log records it.
    AuditAction, "audit action",
    SpaceCreated => "space.created",
    RecommendationCreated => "recommendation.created",
    RecommendationStatus => "recommendation.status",
    AlternativeAdded => "alternative.added",
    AlternativeRelabelled => "alternative.relabelled",
    AlternativeCosponsored => "alternative.cosponsored",
    AlternativeLeft => "alternative.left",
    SupportGiven => "support.given",
    SupportWithdrawn => "support.withdrawn",
    ProposalSubmitted => "proposal.submitted",
    ProposalCategorized => "proposal.categorized",
    ProposalMerged => "proposal.merged",
    ProposalRejected => "proposal.rejected",
    ProposalWithdrawn => "proposal.withdrawn",
    VersionNamed => "version.named",
    LinkMinted => "link.minted",
    AccessRevoked => "access.revoked",
    MeetingCreated => "meeting.created",
    MeetingChanged => "meeting.changed",
    DeadlineReopened => "meeting.reopened",
    PointAdded => "point.added",
    SummaryDrafted => "summary.drafted",
    ImplementationReported => "implementation.reported",
    PersonAdded => "person.added",
    PersonChanged => "person.changed",
    PersonRemoved => "person.removed",
    ReportChanged => "report.changed",
    BracketChanged => "bracket.changed",
    BracketCleared => "bracket.cleared",
    CommentAdded => "comment.added",
    CommentReplied => "comment.replied",
    CommentResolved => "comment.resolved",
    CommentReopened => "comment.reopened",
    SuggestionAdded => "suggestion.added",
    SuggestionAccepted => "suggestion.accepted",
    SuggestionRejected => "suggestion.rejected",
    SuggestionWithdrawn => "suggestion.withdrawn",
);

/// The support choice that backs the majority text.
pub const MAJORITY: &str = "majority";

/// What a member supports: the majority text or one alternative. On the
/// wire and in the document, `majority` or the alternative's id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SupportChoice {
    Majority,
    Alternative(String),
}

impl SupportChoice {
    pub fn as_str(&self) -> &str {
        match self {
            SupportChoice::Majority => MAJORITY,
            SupportChoice::Alternative(id) => id,
        }
    }
}

impl From<&str> for SupportChoice {
    fn from(choice: &str) -> Self {
        if choice == MAJORITY {
            SupportChoice::Majority
        } else {
            SupportChoice::Alternative(choice.to_owned())
        }
    }
}

impl fmt::Display for SupportChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for SupportChoice {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SupportChoice {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let choice = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(SupportChoice::from(choice.as_ref()))
    }
}

/// The documents of a space, by their name under `/ws/{space}/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocPath<'a> {
    /// `index`: the space's title, topics and recommendation summaries.
    Index,
    /// `proposals`: the proposals inbox, live (root map `proposals`): a
    /// small summary of each proposal, which followers read as a sign to
    /// ask the API again. Only those who see every proposal (the
    /// vice-chair and the chair) open it.
    Proposals,
    /// `proposals/{key}`: the summaries of one author's proposals, which
    /// that author follows; `key` stands for the author (the server says
    /// which is whose). Every name under `proposals/` is one of these.
    AuthorsProposals(&'a str),
    /// `proposal-records`: every proposal in full (root map `proposals`),
    /// which only the server reads: the API shows each person the
    /// proposals they may see.
    ProposalRecords,
    /// `versions`: the named versions (root map `versions`).
    Versions,
    /// `meetings`: the meetings and their points of broad agreement (see
    /// [`meetings`]).
    Meetings,
    /// `summaries/{meeting}`: the Chair's summary of a meeting, one text
    /// (root `summary`) the chair writes and everyone reads.
    Summary(&'a str),
    /// `r/{id}`: a recommendation.
    Recommendation(&'a str),
    /// `p/{id}`: a branch proposal's copy of a recommendation.
    Branch(&'a str),
    /// `v/{version}/{recommendation}`: a recommendation as a named version
    /// holds it. Every name under `v/` belongs to versions, so a malformed
    /// one is still this (with what could be read of it).
    VersionCopy {
        version: &'a str,
        recommendation: &'a str,
    },
    /// Any other name: a document clients use as they like.
    Other(&'a str),
}

/// The prefix of recommendation documents.
pub const RECOMMENDATION_PREFIX: &str = "r/";
/// The prefix of branch proposals' documents.
pub const BRANCH_PREFIX: &str = "p/";
/// The prefix of the documents named versions hold.
pub const VERSION_PREFIX: &str = "v/";
/// The name of a space's index document.
pub const INDEX_DOC: &str = "index";
/// The name of a space's proposals document, and of its root map.
pub const PROPOSALS_DOC: &str = "proposals";
/// The prefix of each author's proposals document.
pub const AUTHORS_PROPOSALS_PREFIX: &str = "proposals/";
/// The name of the document that holds a space's proposals in full.
pub const PROPOSAL_RECORDS_DOC: &str = "proposal-records";
/// The name of a space's versions document, and of its root map.
pub const VERSIONS_DOC: &str = "versions";
/// The name of a space's meetings document.
pub const MEETINGS_DOC: &str = "meetings";

/// The prefix of the Chair's summaries of meetings.
pub const SUMMARY_PREFIX: &str = "summaries/";

/// The root maps of the meetings document, each of records by id.
pub mod meetings {
    /// Each meeting: `number`, `title`, `starts`, `ends`, `venue`,
    /// `agenda`, `documents`, `deadline`, `reopened`.
    pub const MEETINGS: &str = "meetings";
    /// Each point of broad agreement: `meeting`, `topic`, `text`,
    /// `attribution`, `by`, `at`.
    pub const POINTS: &str = "points";
    /// The one text of a meeting's Chair's summary document.
    pub const SUMMARY: &str = "summary";
}

impl<'a> DocPath<'a> {
    /// What the document named `doc` is.
    pub fn parse(doc: &'a str) -> DocPath<'a> {
        let one_segment = |id: &'a str| (!id.is_empty() && !id.contains('/')).then_some(id);
        if doc == INDEX_DOC {
            DocPath::Index
        } else if doc == PROPOSALS_DOC {
            DocPath::Proposals
        } else if doc == PROPOSAL_RECORDS_DOC {
            DocPath::ProposalRecords
        } else if doc == VERSIONS_DOC {
            DocPath::Versions
        } else if doc == MEETINGS_DOC {
            DocPath::Meetings
        } else if let Some(meeting) = doc.strip_prefix(SUMMARY_PREFIX).and_then(one_segment) {
            DocPath::Summary(meeting)
        } else if let Some(id) = doc
            .strip_prefix(RECOMMENDATION_PREFIX)
            .and_then(one_segment)
        {
            DocPath::Recommendation(id)
        } else if let Some(key) = doc.strip_prefix(AUTHORS_PROPOSALS_PREFIX) {
            DocPath::AuthorsProposals(key)
        } else if let Some(id) = doc.strip_prefix(BRANCH_PREFIX).and_then(one_segment) {
            DocPath::Branch(id)
        } else if let Some(rest) = doc.strip_prefix(VERSION_PREFIX) {
            let (version, recommendation) = rest.split_once('/').unwrap_or((rest, ""));
            DocPath::VersionCopy {
                version,
                recommendation,
            }
        } else {
            DocPath::Other(doc)
        }
    }
}

impl fmt::Display for DocPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocPath::Index => f.write_str(INDEX_DOC),
            DocPath::Proposals => f.write_str(PROPOSALS_DOC),
            DocPath::AuthorsProposals(key) => write!(f, "{AUTHORS_PROPOSALS_PREFIX}{key}"),
            DocPath::ProposalRecords => f.write_str(PROPOSAL_RECORDS_DOC),
            DocPath::Versions => f.write_str(VERSIONS_DOC),
            DocPath::Meetings => f.write_str(MEETINGS_DOC),
            DocPath::Summary(meeting) => write!(f, "{SUMMARY_PREFIX}{meeting}"),
            DocPath::Recommendation(id) => write!(f, "{RECOMMENDATION_PREFIX}{id}"),
            DocPath::Branch(id) => write!(f, "{BRANCH_PREFIX}{id}"),
            DocPath::VersionCopy {
                version,
                recommendation,
            } => write!(f, "{VERSION_PREFIX}{version}/{recommendation}"),
            DocPath::Other(doc) => f.write_str(doc),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>(), Ok(*status));
        }
        for level in Consensus::ALL {
            assert_eq!(level.as_str().parse::<Consensus>(), Ok(*level));
        }
        assert!("final".parse::<Status>().is_err());
        assert_eq!(
            serde_json::to_string(&Consensus::StrongSupport).expect("serializes"),
            "\"strong-support\""
        );
        let refused = serde_json::from_str::<Status>("\"final\"").expect_err("unknown");
        assert!(refused.to_string().contains("unknown status"), "{refused}");
        assert_eq!(
            serde_json::from_str::<ProposalStatus>("\"partially-merged\"").expect("parses"),
            ProposalStatus::PartiallyMerged
        );
    }

    #[test]
    fn support_choices_are_majority_or_an_alternative() {
        assert_eq!(SupportChoice::from("majority"), SupportChoice::Majority);
        let alt = SupportChoice::from("alt-1");
        assert_eq!(alt, SupportChoice::Alternative("alt-1".into()));
        assert_eq!(
            serde_json::to_string(&alt).expect("serializes"),
            "\"alt-1\""
        );
        assert_eq!(alt.to_string(), "alt-1");
        assert_eq!(SupportChoice::Majority.to_string(), "majority");
        assert_eq!(
            serde_json::from_str::<SupportChoice>("\"majority\"").expect("parses"),
            SupportChoice::Majority
        );
    }

    #[test]
    fn document_paths_parse_and_print_back() {
        for (name, path) in [
            ("index", DocPath::Index),
            ("proposals", DocPath::Proposals),
            ("proposal-records", DocPath::ProposalRecords),
            ("versions", DocPath::Versions),
            ("meetings", DocPath::Meetings),
            ("summaries/m-3", DocPath::Summary("m-3")),
            ("r/c-1", DocPath::Recommendation("c-1")),
            ("p/p-1", DocPath::Branch("p-1")),
            ("proposals/9f86d0", DocPath::AuthorsProposals("9f86d0")),
            (
                "v/v-1/c-1",
                DocPath::VersionCopy {
                    version: "v-1",
                    recommendation: "c-1",
                },
            ),
            ("topic-c/rec-1", DocPath::Other("topic-c/rec-1")),
        ] {
            assert_eq!(DocPath::parse(name), path, "{name}");
            assert_eq!(path.to_string(), name);
        }
        assert_eq!(DocPath::parse("r/c-1/x"), DocPath::Other("r/c-1/x"));
        assert_eq!(DocPath::parse("r/"), DocPath::Other("r/"));
        assert_eq!(
            DocPath::parse("proposals/a/b"),
            DocPath::AuthorsProposals("a/b")
        );
        assert!(matches!(
            DocPath::parse("v/odd"),
            DocPath::VersionCopy { .. }
        ));
    }
}
