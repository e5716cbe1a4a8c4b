//! The web app's copy of the schema: every name the browser shares with
//! the server (document roots and keys, fields and their titles, statuses,
//! consensus levels, document paths, roles, merge kinds, audit actions,
//! export formats), generated from the Rust that defines them as an ES
//! module (`web/src/schema.js`) with its types (`web/src/schema.d.ts`).
//! Both are checked in; a test regenerates them and fails if they differ,
//! so the app and the end-to-end tests import names instead of restating
//! them. (A plain module with a declaration file, rather than TypeScript
//! source, so that the end-to-end tests in Node import it as it is.)

use std::fmt::Write as _;

use draftroom_auth::Role;
use draftroom_model::schema::{
    self, AuditAction, Consensus, Field, MergeKind, ProposalStatus, Status, alternative, index,
    meta, root,
};
use draftroom_model::{BracketState, Format, ImplementationStatus, Numbering, SuggestionStatus};

/// The generated module and its declarations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSchema {
    /// `web/src/schema.js`.
    pub module: String,
    /// `web/src/schema.d.ts`.
    pub declarations: String,
}

const HEADER: &str = "// Generated from Draftroom's Rust schema (crates/draftroom-model/src/schema.rs\n\
// and the server's names). Do not edit: change the Rust, then run\n\
//   DRAFTROOM_BLESS=1 cargo test -p draftroom-server --test web_schema\n";

fn quote(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// `space.created` → `spaceCreated`, `based_on` → `basedOn`.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if matches!(c, '.' | '-' | '_') {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes the module and declarations as it goes.
#[derive(Default)]
struct Writer {
    module: String,
    declarations: String,
}

impl Writer {
    fn doc(&mut self, doc: &str) {
        let line = format!("\n/** {doc} */\n");
        self.module.push_str(&line);
        self.declarations.push_str(&line);
    }

    /// A frozen object of names, keyed by their camel-cased selves.
    fn names(&mut self, constant: &str, doc: &str, values: &[&str]) {
        self.doc(doc);
        let entries = |value: fn(&str) -> String| {
            values
                .iter()
                .map(|v| format!("{}: {}", camel(v), value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            self.module,
            "export const {constant} = Object.freeze({{ {} }})",
            entries(quote)
        );
        let _ = writeln!(
            self.declarations,
            "export declare const {constant}: {{ {} }}",
            values
                .iter()
                .map(|v| format!("readonly {}: {}", camel(v), quote(v)))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }

    /// A frozen list of names, and the type of one of them.
    fn list(&mut self, constant: &str, type_name: &str, doc: &str, values: &[&str]) {
        self.doc(doc);
        let quoted: Vec<String> = values.iter().map(|v| quote(v)).collect();
        let _ = writeln!(
            self.module,
            "export const {constant} = Object.freeze([{}])",
            quoted.join(", ")
        );
        let _ = writeln!(
            self.declarations,
            "export type {type_name} = {}\nexport declare const {constant}: readonly {type_name}[]",
            quoted.join(" | ")
        );
    }

    /// A frozen list of `{ key, title }`, the keys of a type of their own.
    fn titled(&mut self, constant: &str, type_name: &str, doc: &str, values: &[(&str, &str)]) {
        self.doc(doc);
        let entries: Vec<String> = values
            .iter()
            .map(|(key, title)| {
                format!(
                    "Object.freeze({{ key: {}, title: {} }})",
                    quote(key),
                    quote(title)
                )
            })
            .collect();
        let _ = writeln!(
            self.module,
            "export const {constant} = Object.freeze([{}])",
            entries.join(", ")
        );
        let keys: Vec<String> = values.iter().map(|(key, _)| quote(key)).collect();
        let _ = writeln!(
            self.declarations,
            "export type {type_name} = {}\nexport declare const {constant}: ReadonlyArray<{{ readonly key: {type_name}; readonly title: string }}>",
            keys.join(" | ")
        );
    }

    /// One name.
    fn constant(&mut self, constant: &str, doc: &str, value: &str) {
        self.doc(doc);
        let _ = writeln!(self.module, "export const {constant} = {}", quote(value));
        let _ = writeln!(
            self.declarations,
            "export declare const {constant}: {}",
            quote(value)
        );
    }

    /// A document path made of a prefix and parts joined by `/`.
    fn path(&mut self, function: &str, doc: &str, prefix: &str, parts: &[&str]) {
        self.doc(doc);
        let _ = writeln!(
            self.module,
            "export function {function} ({}) {{ return {} + [{}].join('/') }}",
            parts.join(", "),
            quote(prefix),
            parts.join(", ")
        );
        let _ = writeln!(
            self.declarations,
            "export declare function {function} ({}): string",
            parts
                .iter()
                .map(|part| format!("{part}: string"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

fn names_of<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|value| name(*value)).collect()
}

/// Generates the web app's schema module and its declarations.
pub fn web_schema() -> WebSchema {
    let mut w = Writer::default();
    w.names(
        "ROOT",
        "The root types of a recommendation document.",
        &[
            root::META,
            root::TEXT,
            root::ALTERNATIVES,
            root::SUPPORT,
            root::BRACKETS,
            root::COMMENTS,
            root::SUGGESTIONS,
            root::IMPLEMENTATION_REPORTS,
        ],
    );
    w.names(
        "META",
        "The keys of a recommendation's `meta` map.",
        &[
            meta::ID,
            meta::TITLE,
            meta::TOPIC,
            meta::NUMBER,
            meta::STATUS,
            meta::CONSENSUS,
            meta::AUTHOR,
            meta::CLOSED,
        ],
    );
    w.names(
        "ALTERNATIVE",
        "The keys of one alternative's map.",
        &[
            alternative::LABEL,
            alternative::TEXT,
            alternative::PROPONENTS,
            alternative::BASED_ON,
            alternative::CREATED_BY,
            alternative::CREATED_AT,
        ],
    );
    w.names(
        "INDEX",
        "The root types of a space's index document.",
        &[
            index::SPACE,
            index::TOPICS,
            index::RECOMMENDATIONS,
            index::PEOPLE,
        ],
    );
    w.names(
        "MEETINGS",
        "The root maps of a space's meetings document: the meetings, and the points of broad agreement; and the one text of a meeting's Chair's summary document.",
        &[
            schema::meetings::MEETINGS,
            schema::meetings::POINTS,
            schema::meetings::SUMMARY,
        ],
    );
    w.names(
        "DOCS",
        "The documents the server keeps for a space, each with a root map of its own name (the index's roots are INDEX, the meetings document's MEETINGS).",
        &[
            schema::INDEX_DOC,
            schema::PROPOSALS_DOC,
            schema::VERSIONS_DOC,
            schema::MEETINGS_DOC,
        ],
    );
    let fields: Vec<(&str, &str)> = Field::ALL.iter().map(|f| (f.as_str(), f.title())).collect();
    w.titled(
        "FIELDS",
        "FieldKey",
        "The structured fields, each a root text, in the order a reader expects them.",
        &fields,
    );
    w.list(
        "STATUSES",
        "Status",
        "Where a recommendation stands, in order.",
        &names_of(Status::ALL, Status::as_str),
    );
    w.list(
        "CONSENSUS_LEVELS",
        "ConsensusLevel",
        "How much the group agrees (the ICANN GNSO levels).",
        &names_of(Consensus::ALL, Consensus::as_str),
    );
    w.list(
        "PROPOSAL_STATUSES",
        "ProposalStatus",
        "Where a proposal stands.",
        &names_of(ProposalStatus::ALL, ProposalStatus::as_str),
    );
    let open: Vec<&str> = ProposalStatus::ALL
        .iter()
        .filter(|status| status.is_open())
        .map(|status| status.as_str())
        .collect();
    w.list(
        "OPEN_PROPOSAL_STATUSES",
        "OpenProposalStatus",
        "The statuses of proposals still open for the vice-chair's action.",
        &open,
    );
    w.list(
        "BRACKET_STATES",
        "BracketState",
        "Where a bracket stands: open, agreed ad referendum, pending one delegation, cleared.",
        &names_of(BracketState::ALL, BracketState::as_str),
    );
    w.list(
        "SUGGESTION_STATUSES",
        "SuggestionStatus",
        "Where a suggestion stands: pending until accepted, rejected or withdrawn.",
        &names_of(SuggestionStatus::ALL, SuggestionStatus::as_str),
    );
    w.list(
        "MERGE_KINDS",
        "MergeKind",
        "How a proposal is merged.",
        &names_of(MergeKind::ALL, MergeKind::as_str),
    );
    w.constant(
        "MAJORITY",
        "The support choice that backs the majority text (otherwise, an alternative's id).",
        schema::MAJORITY,
    );
    w.constant(
        "PROBLEM_ELEMENT",
        "The id of the element in which a page the server answers in place of another carries why (the API's error JSON).",
        super::web::PROBLEM_ELEMENT,
    );
    w.constant(
        "SWITCH_ELEMENT",
        "The id of the element in which a sign-in page carries a link that would switch the browser to another person (current, offered, token): the app asks first.",
        super::web::SWITCH_ELEMENT,
    );
    w.list(
        "ROLES",
        "Role",
        "Roles in a space, from the most trusted to the least.",
        &names_of(&Role::ALL, Role::as_str),
    );
    w.names(
        "AUDIT_ACTIONS",
        "The governance actions the audit log records.",
        &names_of(AuditAction::ALL, AuditAction::as_str),
    );
    let formats: Vec<(&str, &str)> = Format::ALL
        .iter()
        .map(|f| (f.as_str(), f.title()))
        .collect();
    w.titled(
        "EXPORT_FORMATS",
        "ExportFormat",
        "What a space exports to.",
        &formats,
    );
    w.list(
        "IMPLEMENTATION_STATUSES",
        "ImplementationStatus",
        "How far an adopted recommendation's implementation has come.",
        &names_of(ImplementationStatus::ALL, ImplementationStatus::as_str),
    );
    w.list(
        "NUMBERINGS",
        "Numbering",
        "How a report numbers recommendations: within each topic (C.7), or 1 to N through the report.",
        &names_of(Numbering::ALL, Numbering::as_str),
    );
    w.path(
        "recommendationDoc",
        "The document of a recommendation, under /ws/{space}/.",
        schema::RECOMMENDATION_PREFIX,
        &["id"],
    );
    w.path(
        "summaryDoc",
        "The document of a meeting's Chair's summary, under /ws/{space}/.",
        schema::SUMMARY_PREFIX,
        &["meeting"],
    );
    w.path(
        "branchDoc",
        "The document of a branch proposal, under /ws/{space}/.",
        schema::BRANCH_PREFIX,
        &["proposal"],
    );
    w.path(
        "versionDoc",
        "The document holding a recommendation as a named version holds it, under /ws/{space}/.",
        schema::VERSION_PREFIX,
        &["version", "recommendation"],
    );
    WebSchema {
        module: format!("{HEADER}{}", w.module),
        declarations: format!("{HEADER}{}", w.declarations),
    }
}

#[cfg(test)]
mod tests {
    use super::camel;

    #[test]
    fn names_become_camel_case_keys() {
        assert_eq!(camel("space.created"), "spaceCreated");
        assert_eq!(camel("based_on"), "basedOn");
        assert_eq!(camel("vice-chair"), "viceChair");
        assert_eq!(camel("text"), "text");
    }
}
