// Generated from Draftroom's Rust schema (crates/draftroom-model/src/schema.rs
// and the server's names). Do not edit: change the Rust, then run
//   DRAFTROOM_BLESS=1 cargo test -p draftroom-server --test web_schema

/** The root types of a recommendation document. */
export const ROOT = Object.freeze({ meta: "meta", text: "text", alternatives: "alternatives", support: "support", brackets: "brackets", comments: "comments", suggestions: "suggestions", implementationReports: "implementation-reports" })

/** The keys of a recommendation's `meta` map. */
export const META = Object.freeze({ id: "id", title: "title", topic: "topic", number: "number", status: "status", consensus: "consensus", author: "author", closed: "closed" })

/** The keys of one alternative's map. */
export const ALTERNATIVE = Object.freeze({ label: "label", text: "text", proponents: "proponents", basedOn: "based_on", createdBy: "created_by", createdAt: "created_at" })

/** The root types of a space's index document. */
export const INDEX = Object.freeze({ space: "space", topics: "topics", recommendations: "recommendations", people: "people" })

/** The root maps of a space's meetings document: the meetings, and the points of broad agreement; and the one text of a meeting's Chair's summary document. */
export const MEETINGS = Object.freeze({ meetings: "meetings", points: "points", summary: "summary" })

/** The documents the server keeps for a space, each with a root map of its own name (the index's roots are INDEX, the meetings document's MEETINGS). */
export const DOCS = Object.freeze({ index: "index", proposals: "proposals", versions: "versions", meetings: "meetings" })

/** The structured fields, each a root text, in the order a reader expects them. */
export const FIELDS = Object.freeze([Object.freeze({ key: "tasks", title: "Tasks" }), Object.freeze({ key: "implementation", title: "Implementation" }), Object.freeze({ key: "responsible", title: "Responsible body" }), Object.freeze({ key: "timeline", title: "Timeline" }), Object.freeze({ key: "monitoring", title: "Monitoring and evaluation" })])

/** Where a recommendation stands, in order. */
export const STATUSES = Object.freeze(["draft", "bracketed", "agreed", "adopted"])

/** How much the group agrees (the ICANN GNSO levels). */
export const CONSENSUS_LEVELS = Object.freeze(["full", "consensus", "strong-support", "divergence"])

/** Where a proposal stands. */
export const PROPOSAL_STATUSES = Object.freeze(["submitted", "categorized", "merged", "partially-merged", "rejected", "withdrawn"])

/** The statuses of proposals still open for the vice-chair's action. */
export const OPEN_PROPOSAL_STATUSES = Object.freeze(["submitted", "categorized"])

/** Where a bracket stands: open, agreed ad referendum, pending one delegation, cleared. */
export const BRACKET_STATES = Object.freeze(["open", "ad-referendum", "pending", "cleared"])

/** Where a suggestion stands: pending until accepted, rejected or withdrawn. */
export const SUGGESTION_STATUSES = Object.freeze(["pending", "accepted", "rejected", "withdrawn"])

/** How a proposal is merged. */
export const MERGE_KINDS = Object.freeze(["majority", "alternative", "new"])

/** The support choice that backs the majority text (otherwise, an alternative's id). */
export const MAJORITY = "majority"

/** The id of the element in which a page the server answers in place of another carries why (the API's error JSON). */
export const PROBLEM_ELEMENT = "draftroom-problem"

/** The id of the element in which a sign-in page carries a link that would switch the browser to another person (current, offered, token): the app asks first. */
export const SWITCH_ELEMENT = "draftroom-switch"

/** Roles in a space, from the most trusted to the least. */
export const ROLES = Object.freeze(["chair", "vice-chair", "member", "observer"])

/** The governance actions the audit log records. */
export const AUDIT_ACTIONS = Object.freeze({ spaceCreated: "space.created", recommendationCreated: "recommendation.created", recommendationStatus: "recommendation.status", alternativeAdded: "alternative.added", alternativeRelabelled: "alternative.relabelled", alternativeCosponsored: "alternative.cosponsored", alternativeLeft: "alternative.left", supportGiven: "support.given", supportWithdrawn: "support.withdrawn", proposalSubmitted: "proposal.submitted", proposalCategorized: "proposal.categorized", proposalMerged: "proposal.merged", proposalRejected: "proposal.rejected", proposalWithdrawn: "proposal.withdrawn", versionNamed: "version.named", linkMinted: "link.minted", accessRevoked: "access.revoked", meetingCreated: "meeting.created", meetingChanged: "meeting.changed", meetingReopened: "meeting.reopened", pointAdded: "point.added", summaryDrafted: "summary.drafted", implementationReported: "implementation.reported", personAdded: "person.added", personChanged: "person.changed", personRemoved: "person.removed", reportChanged: "report.changed", bracketChanged: "bracket.changed", bracketCleared: "bracket.cleared", commentAdded: "comment.added", commentReplied: "comment.replied", commentResolved: "comment.resolved", commentReopened: "comment.reopened", suggestionAdded: "suggestion.added", suggestionAccepted: "suggestion.accepted", suggestionRejected: "suggestion.rejected", suggestionWithdrawn: "suggestion.withdrawn" })

/** What a space exports to. */
export const EXPORT_FORMATS = Object.freeze([Object.freeze({ key: "akn", title: "Akoma Ntoso" }), Object.freeze({ key: "md", title: "Markdown" }), Object.freeze({ key: "html", title: "HTML" }), Object.freeze({ key: "docx", title: "Word" })])

/** How far an adopted recommendation's implementation has come. */
export const IMPLEMENTATION_STATUSES = Object.freeze(["not-started", "in-progress", "implemented", "superseded"])

/** How a report numbers recommendations: within each topic (C.7), or 1 to N through the report. */
export const NUMBERINGS = Object.freeze(["per-topic", "continuous"])

/** The document of a recommendation, under /ws/{space}/. */
export function recommendationDoc (id) { return "r/" + [id].join('/') }

/** The document of a meeting's Chair's summary, under /ws/{space}/. */
export function summaryDoc (meeting) { return "summaries/" + [meeting].join('/') }

/** The document of a branch proposal, under /ws/{space}/. */
export function branchDoc (proposal) { return "p/" + [proposal].join('/') }

/** The document holding a recommendation as a named version holds it, under /ws/{space}/. */
export function versionDoc (version, recommendation) { return "v/" + [version, recommendation].join('/') }
