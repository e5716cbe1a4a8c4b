//! The drafting model of a working group, without IO.
//!
//! A **space** is one group's drafting; its index document (`index`) holds
//! the space's title, its ordered topics and a summary of each
//! recommendation, so that a dashboard follows it live. A **recommendation**
//! is a document of its own (`r/{id}`) whose root types every client and the
//! server agree on:
//!
//! | root | type | what |
//! |---|---|---|
//! | `meta` | map | `id`, `title`, `topic`, `number`, `status`, `consensus` |
//! | `text` | text | the majority text |
//! | `tasks`, `implementation`, `responsible`, `timeline`, `monitoring` | text | the structured fields |
//! | `alternatives` | map | id → map: `label`, `text` (text), `proponents` (array of user ids), `based_on`, `created_by`, `created_at` |
//! | `support` | map | user id → `majority` or an alternative id |
//! | `comments` | map | comment id → a comment on a passage, anchored by Yjs relative positions (see [`read_comments`]) |
//! | `suggestions` | map | suggestion id → an insertion, deletion or replacement a member suggests, anchored as comments are (see [`read_suggestions`]) |
//! | `brackets` | map | bracket id (its `[`'s Yjs id) → what the group says of it (see [`brackets`](crate::read_brackets)) |
//! | `implementation-reports` | map | entry id → a report on its implementation once adopted (see [`read_entries`]) |
//!
//! `based_on` is the majority text as it stood when the alternative was
//! written: an alternative is stale once the majority differs from it.
//!
//! The names in that table, and every other name clients share with the
//! server, are written once, in [`schema`]; [`EditPolicy`] is the one place
//! that says what clients may change in which document.
//!
//! Everything here takes and returns plain values and yrs transactions:
//! no sockets, no storage, no clock (times are passed in).

#[macro_use]
mod names;

mod anchors;
mod brackets;
mod comments;
mod compare;
mod diff;
mod error;
mod export;
mod history;
mod implementation;
mod markup;
mod meetings;
mod people;
mod policy;
mod proposals;
mod recommendation;
mod records;
pub mod schema;
mod space;
mod suggestions;
mod summary;
#[cfg(test)]
mod testing;
mod versions;

pub use brackets::{
    Bracket, BracketChange, BracketRecord, BracketState, Cleared, Keep, bracket_reason,
    change_bracket, open_brackets, read_brackets, uncleared_brackets,
};
pub use comments::{
    Comment, CommentChange, CommentRecord, Passage, Reply, Resolved, add_comment, change_comment,
    comment_count, comment_record, read_comments,
};
pub use compare::{AlternativeChange, Change, Changes, FieldChange, Presence, compare};
pub use diff::{Hunk, Op, Run, diff_html, hunks, with_hunks, word_diff};
pub use error::ModelError;
pub use export::{Contents, Format, Since, SpaceExport, date_in_words, export};
pub use history::{AlternativeStep, Happening, Records, What, between, lineage};
pub use implementation::{Entry, ImplementationStatus, add_entry, read_entries};
pub use markup::Markup;
pub use meetings::{
    AgendaItem, Meeting, MeetingDocument, Point, Reopened, closed_for, list_meetings, list_points,
    put_meeting, put_point, read_meeting,
};
pub use people::{Person, Roster, put_person, remove_person};
pub use policy::{
    BRANCH_CLOSED, CHAIRS_SUMMARY, EditGuard, EditPolicy, Editor, FROZEN, Guarded, NOT_A_PROPONENT,
    NOT_CREATED, NOT_YOUR_BRANCH, ONLY_TEXT, OUTSIDE_TEXT, SERVER_KEPT, SERVER_ONLY, SUMMARY_TEXT,
};
pub use proposals::{
    MergeRecord, Proposal, ProposalEvent, ProposalSummary, list_proposals, put_proposal,
    put_proposal_summary, read_proposal,
};
pub use recommendation::{
    Alternative, Protected, Recommendation, TextPlace, add_alternative, apply_hunks, close_branch,
    cosponsor, create_recommendation, insert_into_majority, is_frozen, mark_branch,
    read_recommendation, recommendation_summary, relabel_alternative, set_field, set_status,
    set_support, withdraw_support,
};
pub use schema::{
    AuditAction, Consensus, DocPath, Field, INDEX_DOC, MEETINGS_DOC, MergeKind,
    PROPOSAL_RECORDS_DOC, PROPOSALS_DOC, ProposalStatus, Status, SupportChoice, VERSIONS_DOC,
};
pub use space::{
    Numbering, RecommendationSummary, ReportHeader, SpaceView, Topic, TopicView, add_summary,
    create_space, next_number, read_space, set_report_header, update_summary,
};
pub use suggestions::{
    Suggestion, SuggestionKind, SuggestionRecord, SuggestionStatus, add_suggestion, check_decision,
    decide_suggestion, pending_of, read_suggestions, suggestion_count, suggestion_record,
};
pub use summary::summary_draft;
pub use versions::{Progress, Version, list_versions, put_version, read_version};
