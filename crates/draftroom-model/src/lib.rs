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
//! | `meta` | map | `title`, `topic`, `number`, `status`, `consensus` |
//! | `text` | text | the majority text |
//! | `tasks`, `implementation`, `responsible`, `timeline`, `monitoring` | text | the structured fields |
//! | `alternatives` | map | id → map: `label`, `text` (text), `proponents` (array of user ids), `based_on`, `created_by`, `created_at` |
//! | `support` | map | user id → `majority` or an alternative id |
//!
//! `based_on` is the majority text as it stood when the alternative was
//! written: an alternative is stale once the majority differs from it.
//!
//! Everything here takes and returns plain values and yrs transactions:
//! no sockets, no storage, no clock (times are passed in).

mod brackets;
mod diff;
mod error;
mod export;
mod proposals;
mod recommendation;
mod space;
mod values;
mod versions;

pub use brackets::open_brackets;
pub use diff::{Op, Run, diff_html, word_diff};
pub use error::ModelError;
pub use export::{Format, SpaceExport, export};
pub use proposals::{
    MergeRecord, PROPOSALS_DOC, Proposal, ProposalEvent, ProposalStatus, branch_doc,
    list_proposals, proposal_id_of, put_proposal, read_proposal,
};
pub use recommendation::{
    Alternative, FIELDS, Protected, Recommendation, add_alternative, create_recommendation,
    is_frozen, read_recommendation, recommendation_summary, set_status, set_support, set_text,
};
pub use space::{
    INDEX_DOC, RecommendationSummary, SpaceView, Topic, TopicView, add_summary, create_space,
    next_number, read_space, recommendation_doc, recommendation_id_of, update_summary,
};
pub use values::{Consensus, Status};
pub use versions::{
    Progress, VERSIONS_DOC, Version, is_version_doc, list_versions, put_version, read_version,
    version_doc,
};
