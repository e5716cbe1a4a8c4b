//! The drafting rules a document's room applies to clients' edits, asked
//! in one place: which documents take client edits at all, which texts an
//! editor may change (an adopted recommendation's none; an alternative's
//! its proponents; a branch's its author; a closed branch's nobody), which
//! parts only the server may change, and which documents keep a summary in
//! the space's index.
//!
//! An edit that changes what its editor may not is applied and put back in
//! the same transaction, never left out: what a client sent stays in the
//! document's history, deleted, so a client that keeps its document and
//! sends it again on reconnect changes nothing, on any node, after any
//! restart. Leaving it out would leave the client's copy ahead of the
//! server's for good, and its words would arrive the day the rule no
//! longer held (the text moved back from adopted, say).

use yrs::{GetString, ReadTxn, TransactionMut};

use crate::anchors::Anchors;
use crate::recommendation::{
    Protected, TextPlace, branch_state, every_alternative, every_text, is_created, is_frozen,
    others_alternatives, put_back_text, text_at,
};
use crate::schema::meetings::SUMMARY;
use crate::schema::root::TEXT;
use crate::schema::{DocPath, Field};

/// What a client hears when it edits a document only the server writes.
pub const SERVER_KEPT: &str = "this document is kept by the server: edits are not applied";

/// What a client hears when it edits an adopted recommendation.
pub const FROZEN: &str =
    "this recommendation is adopted: its text is frozen until the chair moves it back";

/// What a client hears when it edits a recommendation or a branch before
/// the server has created it.
pub const NOT_CREATED: &str =
    "this document does not exist yet: edits are taken once it has been created";

/// What a client hears when it edits an alternative it does not propose.
pub const NOT_A_PROPONENT: &str =
    "only an alternative's proponents, the vice-chair and the chair change its text";

/// What a client hears when it edits someone else's branch.
pub const NOT_YOUR_BRANCH: &str =
    "only the branch's author, the vice-chair and the chair change this branch";

/// What a client hears when it asks for a document only the server reads.
pub const SERVER_ONLY: &str = "this document is the server's own: read it through the API, which shows each person what they may see";

/// What a client hears when it edits a branch whose proposal is closed.
pub const BRANCH_CLOSED: &str =
    "this branch's proposal was merged, rejected or withdrawn: its text no longer changes";

/// What a client hears when its edit puts anything but text and its
/// formatting into a recommendation: the app's editors cannot read it, the
/// exports would drop it, and everything else there is the server's.
pub const ONLY_TEXT: &str = "a recommendation takes only text from its editors: this edit holds other content and was not applied";

/// What a client hears when its edit puts text where a recommendation
/// holds none: in a list of proponents, say, or as a map's entry. yrs
/// counts such text with lengths that disagree, and the next walk of that
/// list never ends.
pub const OUTSIDE_TEXT: &str = "a recommendation takes text only in its texts: this edit puts some elsewhere and was not applied";

/// What a client below the chair hears when it edits a Chair's summary.
pub const CHAIRS_SUMMARY: &str = "only the chair writes the Chair's summary: edits are not applied";

/// What a client hears when its edit puts anything into a Chair's summary
/// but text in its one text.
pub const SUMMARY_TEXT: &str =
    "a Chair's summary takes text in its one text only: this edit was not applied";

/// What a document is, as far as clients' edits go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Only the server writes it: a space's index, proposals and versions
    /// lists, and the recommendations' states in named versions.
    ServerOnly,
    /// Only the server reads it, too: the proposals in full, which the API
    /// shows each person as far as they may see them.
    Private,
    /// A recommendation: clients co-edit its texts; the rest only the
    /// server changes, and nothing changes while it is adopted.
    Recommendation,
    /// A branch proposal: a copy of a recommendation, its texts edited by
    /// its author (and those who merge), until its proposal closes.
    Branch,
    /// A meeting's Chair's summary: the chair writes its one text.
    ChairsSummary,
    /// Any other document: clients edit it freely.
    Other,
}

/// The rules for one document, decided from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditPolicy {
    kind: Kind,
}

/// Who makes an edit, as far as the drafting rules go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Editor<'a> {
    pub user: &'a str,
    /// The chair or the vice-chair, who change any text that is not frozen.
    pub oversees: bool,
}

impl Editor<'_> {
    /// Whether the editor may change an alternative proposed by
    /// `proponents` (its text over the websocket, its label over HTTP).
    pub(crate) fn changes_alternative(self, proponents: &[String]) -> bool {
        self.oversees || proponents.iter().any(|p| p == self.user)
    }
}

/// Taken before one editor's edits and finished after them, in the same
/// transaction, so that nobody ever sees a part changed that the editor
/// may not change.
#[derive(Debug, Default)]
pub struct EditGuard {
    protected: Option<Protected>,
    /// The texts the editor may not change, as they were, with where what
    /// is anchored in them stood, and why.
    kept: Vec<(TextPlace, String, Anchors)>,
    reason: Option<&'static str>,
}

/// What finishing a guard came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Guarded {
    /// Something had to be put back: the editor's copy differs from the
    /// server's until it hears the change.
    pub restored: bool,
    /// The editor changed a text it may not, and was put right: why.
    pub refused: Option<&'static str>,
}

impl EditGuard {
    /// Puts back what the editor may not change.
    pub fn finish(self, txn: &mut TransactionMut) -> Guarded {
        let mut restored = self
            .protected
            .is_some_and(|protected| protected.restore(txn));
        let mut refused = None;
        for (place, was, anchors) in &self.kept {
            if let Some(text) = text_at(txn, place)
                && put_back_text(txn, &text, was)
            {
                // Words put back are new characters: what was anchored to
                // the ones deleted is anchored to them.
                anchors.restore(txn, &text);
                restored = true;
                refused = self.reason;
            }
        }
        Guarded { restored, refused }
    }
}

impl EditPolicy {
    /// The rules for the document named `doc` under its space.
    pub fn of(doc: &str) -> EditPolicy {
        let kind = match DocPath::parse(doc) {
            DocPath::Index
            | DocPath::Proposals
            | DocPath::AuthorsProposals(_)
            | DocPath::Versions
            | DocPath::Meetings
            | DocPath::VersionCopy { .. } => Kind::ServerOnly,
            DocPath::ProposalRecords => Kind::Private,
            DocPath::Recommendation(_) => Kind::Recommendation,
            DocPath::Branch(_) => Kind::Branch,
            DocPath::Summary(_) => Kind::ChairsSummary,
            DocPath::Other(_) => Kind::Other,
        };
        EditPolicy { kind }
    }

    /// Why a client may not edit this document, if it may not: its
    /// connections drop edits without passing them on. `chair`: whether
    /// the client is the space's chair.
    pub fn read_only(self, chair: bool) -> Option<&'static str> {
        match self.kind {
            Kind::ServerOnly | Kind::Private => Some(SERVER_KEPT),
            Kind::ChairsSummary if !chair => Some(CHAIRS_SUMMARY),
            _ => None,
        }
    }

    /// Why no client may open this document at all, if none may.
    pub fn closed_to_clients(self) -> Option<&'static str> {
        (self.kind == Kind::Private).then_some(SERVER_ONLY)
    }

    /// Why the document refuses every edit as it stands now, if it does:
    /// one not created yet, an adopted recommendation, a closed branch.
    pub fn refusal<T: ReadTxn>(self, txn: &T) -> Option<&'static str> {
        let created = || is_created(txn);
        match self.kind {
            Kind::Recommendation | Kind::Branch if !created() => Some(NOT_CREATED),
            Kind::Recommendation => is_frozen(txn).then_some(FROZEN),
            Kind::Branch => branch_state(txn).closed.then_some(BRANCH_CLOSED),
            Kind::ServerOnly | Kind::Private | Kind::ChairsSummary | Kind::Other => None,
        }
    }

    /// Why an edit is refused outright, before it applies, from the shape
    /// of what it adds: the root types its new items name, and whether any
    /// is not text. A recommendation or a branch takes text, formatting and
    /// deletions in the roots of its schema from its editors, nothing else;
    /// a Chair's summary in its one text.
    pub fn refuses_shape<'a>(
        self,
        mut roots: impl Iterator<Item = &'a str>,
        non_text: bool,
    ) -> Option<String> {
        let is_text = self.text_roots()?;
        if self.kind == Kind::ChairsSummary {
            return (non_text || roots.any(|root| !is_text(root))).then(|| SUMMARY_TEXT.to_owned());
        }
        if non_text {
            return Some(ONLY_TEXT.to_owned());
        }
        // Every item left is text, in a list, which only a text may be.
        roots.find(|root| !is_text(root)).map(|root| {
            format!("a recommendation has no text named {root:?}: this edit was not applied")
        })
    }

    /// For a document that takes its editors' text only in its texts (a
    /// recommendation, a branch, a Chair's summary), which of its roots are
    /// texts: an edit whose new items go anywhere else is refused with
    /// [`OUTSIDE_TEXT`].
    pub fn text_roots(self) -> Option<fn(&str) -> bool> {
        match self.kind {
            Kind::Recommendation | Kind::Branch => Some(is_recommendation_text),
            Kind::ChairsSummary => Some(|name| name == SUMMARY),
            _ => None,
        }
    }

    /// Captures what `editor` may not change, before their edits apply.
    pub fn guard<T: ReadTxn>(self, txn: &T, editor: Editor) -> EditGuard {
        if !matches!(self.kind, Kind::Recommendation | Kind::Branch) {
            return EditGuard::default();
        }
        match self.kept(txn, editor) {
            Some((reason, places)) => keeping(txn, places, Some(reason)),
            None => keeping(txn, Vec::new(), None),
        }
    }

    /// Captures what merging a branch into this recommendation may not
    /// change: all but its majority text and structured fields. The
    /// alternatives are their proponents' to change, not a branch's, and
    /// the rest is the server's.
    pub fn branch_merge_guard<T: ReadTxn>(self, txn: &T) -> EditGuard {
        if self.kind != Kind::Recommendation {
            return EditGuard::default();
        }
        keeping(txn, every_alternative(txn), None)
    }

    /// The texts `editor` may not change now, and why.
    fn kept<T: ReadTxn>(self, txn: &T, editor: Editor) -> Option<(&'static str, Vec<TextPlace>)> {
        if let Some(reason) = self.refusal(txn) {
            return Some((reason, every_text(txn)));
        }
        if editor.oversees {
            return None;
        }
        if self.kind == Kind::Branch {
            // A branch made before branches recorded their author is open
            // to every member, as it was.
            let author = branch_state(txn).author;
            return author
                .is_some_and(|author| author != editor.user)
                .then(|| (NOT_YOUR_BRANCH, every_text(txn)));
        }
        let theirs = others_alternatives(txn, editor);
        (!theirs.is_empty()).then_some((NOT_A_PROPONENT, theirs))
    }

    /// Whether a change to the document is reflected in the space index's
    /// summary of it.
    pub fn summarized(self) -> bool {
        self.kind == Kind::Recommendation
    }
}

/// A guard that puts back the server's parts and the texts at `places`,
/// saying `reason` if one of those changed. A text the document does not
/// hold yet was empty: one made where it may not be is emptied again.
fn keeping<T: ReadTxn>(txn: &T, places: Vec<TextPlace>, reason: Option<&'static str>) -> EditGuard {
    let anchors = Anchors::note(txn, &places);
    let kept = places
        .into_iter()
        .zip(anchors)
        .map(|(place, anchors)| {
            let was = text_at(txn, &place)
                .map(|text| text.get_string(txn))
                .unwrap_or_default();
            (place, was, anchors)
        })
        .collect();
    EditGuard {
        protected: Some(Protected::capture(txn)),
        kept,
        reason,
    }
}

/// Whether `name` is a root text of a recommendation document.
fn is_recommendation_text(name: &str) -> bool {
    name == TEXT || Field::ALL.iter().any(|field| field.as_str() == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::root::{ALTERNATIVES, META, SUPPORT, TEXT};
    use crate::testing::{alternative_text, recommendation};
    use crate::{Consensus, ProposalStatus, Status, close_branch, mark_branch, set_status};
    use yrs::updates::decoder::Decode;
    use yrs::{Doc, ID, Map, ReadTxn, Text, Transact, Update, WriteTxn};

    const MEMBER: Editor = Editor {
        user: "mia",
        oversees: false,
    };
    const VICE_CHAIR: Editor = Editor {
        user: "vic",
        oversees: true,
    };

    /// Applies `edit` as `editor` under the document's policy, as a room does.
    fn edit_as(
        doc: &Doc,
        name: &str,
        editor: Editor,
        edit: impl FnOnce(&mut TransactionMut),
    ) -> Guarded {
        let mut txn = doc.transact_mut();
        let guard = EditPolicy::of(name).guard(&txn, editor);
        edit(&mut txn);
        guard.finish(&mut txn)
    }

    fn texts(doc: &Doc) -> (String, String) {
        let mut txn = doc.transact_mut();
        let majority = txn.get_or_insert_text(TEXT).get_string(&txn);
        let alternative = alternative_text(&mut txn).get_string(&txn);
        (majority, alternative)
    }

    #[test]
    fn server_kept_documents_take_no_client_edits() {
        for doc in [
            "index",
            "proposals",
            "proposals/a1b2",
            "versions",
            "v/v-1/c-1",
            "v/odd",
        ] {
            assert_eq!(
                EditPolicy::of(doc).read_only(true),
                Some(SERVER_KEPT),
                "{doc}"
            );
        }
        for doc in ["r/c-7", "p/p-1", "notes", "r/c-1/x"] {
            assert_eq!(EditPolicy::of(doc).read_only(true), None, "{doc}");
        }
    }

    #[test]
    fn only_the_chair_writes_a_chairs_summary_and_only_in_its_text() {
        let summary = EditPolicy::of("summaries/m-3");
        assert_eq!(summary.read_only(true), None);
        assert_eq!(summary.read_only(false), Some(CHAIRS_SUMMARY));
        assert_eq!(EditPolicy::of("notes").read_only(false), None);
        assert_eq!(summary.refuses_shape(["summary"].into_iter(), false), None);
        for (roots, non_text) in [(["summary"], true), (["text"], false)] {
            assert_eq!(
                summary
                    .refuses_shape(roots.into_iter(), non_text)
                    .as_deref(),
                Some(SUMMARY_TEXT)
            );
        }
        let texts = summary.text_roots().expect("text only");
        assert!(texts("summary") && !texts("text"));
    }

    #[test]
    fn a_branch_merge_takes_the_majority_text_and_fields_but_no_alternative() {
        let doc = recommendation();
        let field = Field::ALL[0].as_str();
        let guarded = {
            let mut txn = doc.transact_mut();
            let guard = EditPolicy::of("r/c-7").branch_merge_guard(&txn);
            txn.get_or_insert_text(TEXT).insert(&mut txn, 0, "Merged. ");
            txn.get_or_insert_text(field).insert(&mut txn, 0, "A task.");
            alternative_text(&mut txn).insert(&mut txn, 0, "Rewritten by a branch. ");
            guard.finish(&mut txn)
        };
        assert!(guarded.restored);
        let (majority, alternative) = texts(&doc);
        assert_eq!(majority, "Merged. Majority – text.");
        assert_eq!(alternative, "Alternative text.");
        let txn = doc.transact();
        assert_eq!(
            txn.get_text(field).expect("made").get_string(&txn),
            "A task."
        );
    }

    #[test]
    fn a_document_the_server_has_not_created_keeps_nothing_a_client_plants() {
        for name in ["r/a-2", "p/p-9"] {
            let doc = Doc::new();
            let policy = EditPolicy::of(name);
            assert_eq!(policy.refusal(&doc.transact()), Some(NOT_CREATED), "{name}");
            let guarded = edit_as(&doc, name, VICE_CHAIR, |txn| {
                txn.get_or_insert_text(TEXT)
                    .insert(txn, 0, "Planted words.");
                let field = Field::ALL[0].as_str();
                txn.get_or_insert_text(field).insert(txn, 0, "Planted too.");
                txn.get_or_insert_map(META)
                    .insert(txn, "title", "Planted title");
            });
            assert_eq!(guarded.refused, Some(NOT_CREATED), "{name}");
            let txn = doc.transact();
            assert_eq!(
                txn.get_text(TEXT).expect("made").get_string(&txn),
                "",
                "{name}"
            );
            let field = txn.get_text(Field::ALL[0].as_str()).expect("made");
            assert_eq!(field.get_string(&txn), "", "{name}");
            assert_eq!(txn.get_map(META).expect("made").len(&txn), 0, "{name}");
        }
        // Once created, the same edit is taken.
        let doc = recommendation();
        let guarded = edit_as(&doc, "r/c-7", MEMBER, |txn| {
            txn.get_or_insert_text(TEXT)
                .insert(txn, 0, "Welcome words. ");
        });
        assert_eq!(guarded.refused, None);
    }

    #[test]
    fn an_adopted_recommendation_puts_back_every_text_and_says_why() {
        let doc = recommendation();
        set_status(
            &mut doc.transact_mut(),
            Status::Adopted,
            Some(Consensus::Full),
        )
        .expect("sets");
        assert_eq!(
            EditPolicy::of("r/c-7").refusal(&doc.transact()),
            Some(FROZEN)
        );
        let guarded = edit_as(&doc, "r/c-7", VICE_CHAIR, |txn| {
            let majority = txn.get_or_insert_text(TEXT);
            majority.insert(txn, 0, "Late words. ");
            majority.remove_range(txn, 20, 3);
            alternative_text(txn).insert(txn, 0, "Also late. ");
        });
        assert_eq!(
            guarded,
            Guarded {
                restored: true,
                refused: Some(FROZEN)
            }
        );
        assert_eq!(
            texts(&doc),
            ("Majority – text.".into(), "Alternative text.".into())
        );
        // A branch is never adopted.
        assert_eq!(EditPolicy::of("p/p-1").refusal(&doc.transact()), None);
    }

    #[test]
    fn an_alternative_changes_only_for_its_proponents_and_those_who_merge() {
        let doc = recommendation();
        let guarded = edit_as(&doc, "r/c-7", MEMBER, |txn| {
            txn.get_or_insert_text(TEXT).push(txn, " Mia's.");
            alternative_text(txn).push(txn, " Not hers.");
        });
        assert_eq!(guarded.refused, Some(NOT_A_PROPONENT));
        assert_eq!(
            texts(&doc),
            ("Majority – text. Mia's.".into(), "Alternative text.".into())
        );
        for editor in [
            Editor {
                user: "ana",
                oversees: false,
            },
            VICE_CHAIR,
        ] {
            let guarded = edit_as(&doc, "r/c-7", editor, |txn| {
                alternative_text(txn).push(txn, "!");
            });
            assert_eq!(guarded, Guarded::default(), "{editor:?}");
        }
        assert_eq!(texts(&doc).1, "Alternative text.!!");
    }

    #[test]
    fn a_branch_changes_for_its_author_until_its_proposal_closes() {
        let doc = recommendation();
        mark_branch(&mut doc.transact_mut(), "mia").expect("marks");
        let push = |txn: &mut TransactionMut| txn.get_or_insert_text(TEXT).push(txn, "+");
        let other = Editor {
            user: "bo",
            oversees: false,
        };
        assert_eq!(
            edit_as(&doc, "p/p-1", other, push).refused,
            Some(NOT_YOUR_BRANCH)
        );
        assert_eq!(edit_as(&doc, "p/p-1", MEMBER, push).refused, None);
        assert_eq!(edit_as(&doc, "p/p-1", VICE_CHAIR, push).refused, None);
        // In a branch, its author edits the alternatives' copies too.
        let alt = |txn: &mut TransactionMut| alternative_text(txn).push(txn, "+");
        assert_eq!(edit_as(&doc, "p/p-1", MEMBER, alt).refused, None);
        close_branch(&mut doc.transact_mut(), ProposalStatus::Withdrawn).expect("closes");
        assert_eq!(
            EditPolicy::of("p/p-1").refusal(&doc.transact()),
            Some(BRANCH_CLOSED)
        );
        assert_eq!(
            edit_as(&doc, "p/p-1", VICE_CHAIR, push).refused,
            Some(BRANCH_CLOSED)
        );
        assert_eq!(
            texts(&doc),
            ("Majority – text.++".into(), "Alternative text.+".into())
        );
    }

    #[test]
    fn putting_back_removes_only_what_the_edit_added() {
        let doc = recommendation();
        set_status(&mut doc.transact_mut(), Status::Adopted, None).expect("sets");
        let before = doc.transact().state_vector();
        let client = doc.client_id();
        // Which of the characters there before are deleted.
        let deleted = |doc: &Doc| -> Vec<u32> {
            let update = doc
                .transact()
                .encode_state_as_update_v1(&Default::default());
            let update = Update::decode_v1(&update).expect("decodes");
            (0..before.get(&client))
                .filter(|clock| update.delete_set().contains(&ID::new(client, *clock)))
                .collect()
        };
        let deleted_before = deleted(&doc);
        edit_as(&doc, "r/c-7", MEMBER, |txn| {
            // After the dash, with a character of two UTF-16 units.
            txn.get_or_insert_text(TEXT).insert(txn, 11, "𝄞 new ");
        });
        assert_eq!(texts(&doc).0, "Majority – text.");
        // Undoing the edit deleted the edit's own characters, none of
        // those that were there before: others' cursors and edits in the
        // text keep their place.
        assert_eq!(deleted(&doc), deleted_before);
    }

    #[test]
    fn the_guard_puts_back_protected_parts_of_drafted_documents_only() {
        for (name, protects) in [("r/c-7", true), ("p/p-1", true), ("notes", false)] {
            let doc = recommendation();
            let guarded = edit_as(&doc, name, VICE_CHAIR, |txn| {
                let meta = txn.get_or_insert_map("meta");
                meta.insert(txn, "status", "adopted");
            });
            assert_eq!(guarded.restored, protects, "{name}");
        }
    }

    #[test]
    fn recommendations_and_branches_take_only_text_in_the_roots_of_their_schema() {
        for name in ["r/c-7", "p/7"] {
            let policy = EditPolicy::of(name);
            let fields = Field::ALL.iter().map(|field| field.as_str());
            let texts = [TEXT].into_iter().chain(fields);
            assert_eq!(policy.refuses_shape(texts, false), None, "{name}");
            for root in ["paragraphs", META, ALTERNATIVES, SUPPORT] {
                let refused = policy
                    .refuses_shape(["text", root].into_iter(), false)
                    .expect("a root that is not a text is refused");
                assert!(refused.contains(&format!("{root:?}")), "{refused}");
            }
            assert_eq!(
                policy.refuses_shape(["text"].into_iter(), true).as_deref(),
                Some(ONLY_TEXT),
                "{name}: what is not text is refused"
            );
        }
    }

    #[test]
    fn recommendations_and_branches_name_their_texts() {
        for name in ["r/c-7", "p/7"] {
            let texts = EditPolicy::of(name).text_roots().expect("text only");
            assert!(texts(TEXT), "{name}");
            assert!(Field::ALL.iter().all(|field| texts(field.as_str())));
            for root in [META, ALTERNATIVES, SUPPORT, "paragraphs"] {
                assert!(!texts(root), "{name}: {root}");
            }
        }
        for name in ["notes", "index", "proposals"] {
            assert!(EditPolicy::of(name).text_roots().is_none(), "{name}");
        }
    }

    #[test]
    fn only_the_full_proposals_are_closed_to_clients() {
        assert_eq!(
            EditPolicy::of("proposal-records").closed_to_clients(),
            Some(SERVER_ONLY)
        );
        assert_eq!(
            EditPolicy::of("proposal-records").read_only(true),
            Some(SERVER_KEPT)
        );
        for name in ["proposals", "index", "versions", "r/c-1", "p/7", "notes"] {
            assert_eq!(EditPolicy::of(name).closed_to_clients(), None, "{name}");
        }
    }

    #[test]
    fn only_a_recommendation_keeps_a_summary_in_the_index() {
        for (name, summarized) in [
            ("r/c-7", true),
            ("p/p-1", false),
            ("index", false),
            ("v/v-1/c-7", false),
            ("notes", false),
        ] {
            assert_eq!(EditPolicy::of(name).summarized(), summarized, "{name}");
        }
    }

    #[test]
    fn other_documents_take_any_shape() {
        for name in ["notes", "index", "proposals"] {
            assert_eq!(
                EditPolicy::of(name).refuses_shape(["anything"].into_iter(), true),
                None,
                "{name}"
            );
        }
    }
}
