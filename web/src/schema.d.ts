// Generated from Draftroom's Rust schema (crates/draftroom-model/src/schema.rs
// and the server's names). Do not edit: change the Rust, then run
//   DRAFTROOM_BLESS=1 cargo test -p draftroom-server --test web_schema

/** The root types of a recommendation document. */
export declare const ROOT: { readonly meta: "meta"; readonly text: "text"; readonly alternatives: "alternatives"; readonly support: "support"; readonly brackets: "brackets"; readonly comments: "comments"; readonly suggestions: "suggestions"; readonly implementationReports: "implementation-reports" }

/** The keys of a recommendation's `meta` map. */
export declare const META: { readonly id: "id"; readonly title: "title"; readonly topic: "topic"; readonly number: "number"; readonly status: "status"; readonly consensus: "consensus"; readonly author: "author"; readonly closed: "closed" }

/** The keys of one alternative's map. */
export declare const ALTERNATIVE: { readonly label: "label"; readonly text: "text"; readonly proponents: "proponents"; readonly basedOn: "based_on"; readonly createdBy: "created_by"; readonly createdAt: "created_at" }

/** The root types of a space's index document. */
export declare const INDEX: { readonly space: "space"; readonly topics: "topics"; readonly recommendations: "recommendations"; readonly people: "people" }

/** The root maps of a space's meetings document: the meetings, and the points of broad agreement; and the one text of a meeting's Chair's summary document. */
export declare const MEETINGS: { readonly meetings: "meetings"; readonly points: "points"; readonly summary: "summary" }

/** The documents the server keeps for a space, each with a root map of its own name (the index's roots are INDEX, the meetings document's MEETINGS). */
export declare const DOCS: { readonly index: "index"; readonly proposals: "proposals"; readonly versions: "versions"; readonly meetings: "meetings" }

/** The structured fields, each a root text, in the order a reader expects them. */
export type FieldKey = "tasks" | "implementation" | "responsible" | "timeline" | "monitoring"
export declare const FIELDS: ReadonlyArray<{ readonly key: FieldKey; readonly title: string }>

/** Where a recommendation stands, in order. */
export type Status = "draft" | "bracketed" | "agreed" | "adopted"
export declare const STATUSES: readonly Status[]

/** How much the group agrees (the ICANN GNSO levels). */
export type ConsensusLevel = "full" | "consensus" | "strong-support" | "divergence"
export declare const CONSENSUS_LEVELS: readonly ConsensusLevel[]

/** Where a proposal stands. */
export type ProposalStatus = "submitted" | "categorized" | "merged" | "partially-merged" | "rejected" | "withdrawn"
export declare const PROPOSAL_STATUSES: readonly ProposalStatus[]

/** The statuses of proposals still open for the vice-chair's action. */
export type OpenProposalStatus = "submitted" | "categorized"
export declare const OPEN_PROPOSAL_STATUSES: readonly OpenProposalStatus[]

/** Where a bracket stands: open, agreed ad referendum, pending one delegation, cleared. */
export type BracketState = "open" | "ad-referendum" | "pending" | "cleared"
export declare const BRACKET_STATES: readonly BracketState[]

/** Where a suggestion stands: pending until accepted, rejected or withdrawn. */
export type SuggestionStatus = "pending" | "accepted" | "rejected" | "withdrawn"
export declare const SUGGESTION_STATUSES: readonly SuggestionStatus[]

/** How a proposal is merged. */
export type MergeKind = "majority" | "alternative" | "new"
export declare const MERGE_KINDS: readonly MergeKind[]

/** The support choice that backs the majority text (otherwise, an alternative's id). */
export declare const MAJORITY: "majority"

/** The id of the element in which a page the server answers in place of another carries why (the API's error JSON). */
export declare const PROBLEM_ELEMENT: "draftroom-problem"

/** The id of the element in which a sign-in page carries a link that would switch the browser to another person (current, offered, token): the app asks first. */
export declare const SWITCH_ELEMENT: "draftroom-switch"

/** Roles in a space, from the most trusted to the least. */
export type Role = "chair" | "vice-chair" | "member" | "observer"
export declare const ROLES: readonly Role[]

/** The governance actions the audit log records. */
export declare const AUDIT_ACTIONS: { readonly spaceCreated: "space.created"; readonly recommendationCreated: "recommendation.created"; readonly recommendationStatus: "recommendation.status"; readonly alternativeAdded: "alternative.added"; readonly alternativeRelabelled: "alternative.relabelled"; readonly alternativeCosponsored: "alternative.cosponsored"; readonly alternativeLeft: "alternative.left"; readonly supportGiven: "support.given"; readonly supportWithdrawn: "support.withdrawn"; readonly proposalSubmitted: "proposal.submitted"; readonly proposalCategorized: "proposal.categorized"; readonly proposalMerged: "proposal.merged"; readonly proposalRejected: "proposal.rejected"; readonly proposalWithdrawn: "proposal.withdrawn"; readonly versionNamed: "version.named"; readonly linkMinted: "link.minted"; readonly accessRevoked: "access.revoked"; readonly meetingCreated: "meeting.created"; readonly meetingChanged: "meeting.changed"; readonly meetingReopened: "meeting.reopened"; readonly pointAdded: "point.added"; readonly summaryDrafted: "summary.drafted"; readonly implementationReported: "implementation.reported"; readonly personAdded: "person.added"; readonly personChanged: "person.changed"; readonly personRemoved: "person.removed"; readonly reportChanged: "report.changed"; readonly bracketChanged: "bracket.changed"; readonly bracketCleared: "bracket.cleared"; readonly commentAdded: "comment.added"; readonly commentReplied: "comment.replied"; readonly commentResolved: "comment.resolved"; readonly commentReopened: "comment.reopened"; readonly suggestionAdded: "suggestion.added"; readonly suggestionAccepted: "suggestion.accepted"; readonly suggestionRejected: "suggestion.rejected"; readonly suggestionWithdrawn: "suggestion.withdrawn" }

/** What a space exports to. */
export type ExportFormat = "akn" | "md" | "html" | "docx"
export declare const EXPORT_FORMATS: ReadonlyArray<{ readonly key: ExportFormat; readonly title: string }>

/** How far an adopted recommendation's implementation has come. */
export type ImplementationStatus = "not-started" | "in-progress" | "implemented" | "superseded"
export declare const IMPLEMENTATION_STATUSES: readonly ImplementationStatus[]

/** How a report numbers recommendations: within each topic (C.7), or 1 to N through the report. */
export type Numbering = "per-topic" | "continuous"
export declare const NUMBERINGS: readonly Numbering[]

/** The document of a recommendation, under /ws/{space}/. */
export declare function recommendationDoc (id: string): string

/** The document of a meeting's Chair's summary, under /ws/{space}/. */
export declare function summaryDoc (meeting: string): string

/** The document of a branch proposal, under /ws/{space}/. */
export declare function branchDoc (proposal: string): string

/** The document holding a recommendation as a named version holds it, under /ws/{space}/. */
export declare function versionDoc (version: string, recommendation: string): string
