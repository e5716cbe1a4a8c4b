//! A room's decisions, without IO: it owns the document and takes clients'
//! edits, the server's own edits and other nodes' stored updates, and says
//! what to store, whom to tell, and what to refuse. The actor around it
//! does the storing and telling.
//!
//! The drafting rules it applies (which documents refuse edits now, which
//! parts only the server may change) are the model's [`EditPolicy`]; this
//! adds what protects the process itself: the cap on shared types, updates
//! that do not apply, and pending updates.

use std::panic::{AssertUnwindSafe, catch_unwind};

use draftroom_model::{
    EditGuard, EditPolicy, OUTSIDE_TEXT, RecommendationSummary, recommendation_summary,
};
use draftroom_protocol::{Placements, Shape, close_code, inspect_update};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{
    ClientID, Doc, OffsetKind, Options, ReadTxn, StateVector, Transact, TransactionMut, Update,
};

use super::messages::{ClientEdit, ConnectionId, Recipients};

/// yrs panicked while changing the document: it can no longer be trusted,
/// and the room must start again from the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Panicked;

/// What changed when a batch of clients' edits applied.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Applied {
    /// The change as yrs applied it, never a client's bytes: to store,
    /// then send to `to`. Empty when nothing changed.
    pub(crate) update: Vec<u8>,
    pub(crate) to: Recipients,
    /// Senders whose edits were refused, and why: they are closed.
    pub(crate) refused: Vec<(ConnectionId, Refusal)>,
    /// Senders whose edits changed texts they may not change (an adopted
    /// recommendation's, another member's alternative): what they changed
    /// was put back, and they are told why.
    pub(crate) put_back: Vec<(ConnectionId, &'static str)>,
    /// Senders whose edits applied, in order, each once.
    pub(crate) origins: Vec<ConnectionId>,
    /// Parts only the server may change were put back.
    pub(crate) restored: bool,
    /// Some edit depends on edits the server has not seen; yrs holds it as
    /// pending, which must not linger.
    pub(crate) pending: bool,
}

/// Why an edit was refused, and the close code its sender gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) code: u16,
    pub(crate) reason: String,
}

impl Refusal {
    fn invalid(reason: String) -> Refusal {
        Refusal {
            code: close_code::INVALID_PAYLOAD,
            reason,
        }
    }
}

/// One open document and what it holds.
pub(crate) struct RoomCore {
    doc: Doc,
    policy: EditPolicy,
    /// Shared types the document holds; capped by `max_shared_types`.
    shared_types: u32,
    max_shared_types: u32,
    /// Where the items lie, for a document that takes text only in its
    /// texts: learned from every update it applies.
    placements: Option<Placements>,
}

/// A new, empty document as the server keeps them.
pub(crate) fn new_doc() -> Doc {
    // Offsets in UTF-16 code units, as Yjs counts them in the browser.
    // The server writes under a 32-bit client id, as browsers do: clients
    // that keep ids in 32 bits (y-py) would rewrite a larger one and send
    // the content back as new.
    Doc::with_options(Options {
        offset_kind: OffsetKind::Utf16,
        client_id: ClientID::new(u64::from(rand::random::<u32>())),
        ..Options::default()
    })
}

/// Decodes an update (v1) and applies it in `txn`.
pub(crate) fn apply_in(txn: &mut TransactionMut, update: &[u8]) -> Result<(), String> {
    let update = Update::decode_v1(update).map_err(|e| e.to_string())?;
    txn.apply_update(update).map_err(|e| e.to_string())
}

/// Whether an encoded update changes nothing.
pub(crate) fn is_empty_update(update: &[u8]) -> bool {
    inspect_update(update).is_ok_and(|summary| summary.is_empty())
}

impl RoomCore {
    /// An empty document named `doc` under its space.
    pub(crate) fn new(doc: &str, max_shared_types: u32) -> RoomCore {
        let policy = EditPolicy::of(doc);
        RoomCore {
            doc: new_doc(),
            policy,
            shared_types: 0,
            max_shared_types,
            placements: policy.text_roots().map(Placements::new),
        }
    }

    /// The document, for loading into it and encoding it whole off the
    /// actor's thread.
    pub(crate) fn doc(&self) -> &Doc {
        &self.doc
    }

    /// Counts the shared types a stored or encoded update brought in.
    pub(crate) fn count_types(&mut self, added: u32) {
        self.shared_types = self.shared_types.saturating_add(added);
    }

    /// Counts the shared types of an update this document applied, and
    /// learns where its items lie.
    fn took_in(&mut self, update: &[u8]) {
        if let Ok(summary) = inspect_update(update) {
            self.count_types(summary.type_items);
            self.learn(&summary.shape);
        }
    }

    /// Learns where the items of an update this document applied lie, if
    /// the document keeps track.
    fn learn(&mut self, shape: &Shape) {
        if let Some(placements) = &mut self.placements {
            placements.learn(shape);
        }
    }

    /// Learns where the items of the whole document lie, once it is
    /// loaded from the store (its shared types are counted as it loads).
    pub(crate) fn loaded(&mut self) {
        if self.placements.is_none() {
            return;
        }
        let state = self
            .doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        if let Ok(summary) = inspect_update(&state) {
            self.learn(&summary.shape);
        }
    }

    /// Applies a batch of clients' edits in one transaction. Each run of
    /// edits from one connection is guarded by the policy for its editor.
    /// The document may grow by `room` bytes at most: an edit that would
    /// take it past is refused.
    pub(crate) fn apply_client_edits(
        &mut self,
        edits: &[ClientEdit],
        room: usize,
    ) -> Result<Applied, Panicked> {
        let (max_types, shared_types, policy) =
            (self.max_shared_types, self.shared_types, self.policy);
        let placements = &self.placements;
        let mut refused = Vec::new();
        let mut put_back = Vec::new();
        let mut origins = Vec::new();
        let mut restored = false;
        let mut pending = false;
        let applied = catch_unwind(AssertUnwindSafe(|| {
            let mut txn = self.doc.transact_mut();
            // What only the server may change, or this editor may not, is
            // put back in the same transaction, so nobody ever sees it
            // changed.
            let mut settle = |txn: &mut TransactionMut, from, guard: EditGuard| {
                let guarded = guard.finish(txn);
                restored |= guarded.restored;
                if let Some(reason) = guarded.refused {
                    put_back.push((from, reason));
                }
            };
            let mut run: Option<(ConnectionId, EditGuard)> = None;
            // What the document holds, per client, as the batch applies.
            let mut has = txn.state_vector();
            let mut room = room;
            for edit in edits {
                if run.as_ref().map(|(from, _)| *from) != Some(edit.from) {
                    if let Some((from, guard)) = run.take() {
                        settle(&mut txn, from, guard);
                    }
                    run = Some((edit.from, policy.guard(&txn, edit.editor())));
                }
                if shared_types.saturating_add(edit.summary.type_items) > max_types {
                    refused.push((
                        edit.from,
                        Refusal::invalid(format!(
                            "the document may hold at most {max_types} shared types"
                        )),
                    ));
                    continue;
                }
                let held = |client| has.get(&ClientID::new(client));
                let shape = &edit.summary.shape;
                let misplaced = placements.as_ref().is_some_and(|placements| {
                    shape
                        .new_anchors(held)
                        .any(|anchor| !placements.allows(anchor))
                });
                if let Some(reason) = policy
                    .refuses_shape(shape.new_roots(held), shape.new_non_text(held))
                    .or_else(|| misplaced.then(|| OUTSIDE_TEXT.to_owned()))
                {
                    refused.push((
                        edit.from,
                        Refusal {
                            code: close_code::UNPROCESSABLE,
                            reason,
                        },
                    ));
                    continue;
                }
                let Some(left) = room.checked_sub(edit.update.len()) else {
                    refused.push((
                        edit.from,
                        Refusal {
                            code: close_code::DOCUMENT_FULL,
                            reason: "the document is as large as it may grow; \
                                     this edit was not saved"
                                .into(),
                        },
                    ));
                    continue;
                };
                // yrs would hold such an edit aside as pending, and the
                // room would have to start again from the store, closing
                // everyone. Only its sender is refused; a client that
                // legitimately ran ahead of this node (it heard an edit
                // from another node first) reconnects and finds it here.
                if let Some((client, clock)) =
                    edit.summary.reach.missing(|c| has.get(&ClientID::new(c)))
                {
                    refused.push((
                        edit.from,
                        Refusal {
                            code: close_code::TRY_AGAIN_LATER,
                            reason: format!(
                                "the edit depends on edits this server has not seen \
                                 (client {client} up to {clock}); reconnect to resync"
                            ),
                        },
                    ));
                    continue;
                }
                match apply_in(&mut txn, &edit.update) {
                    Ok(()) => {
                        room = left;
                        for (client, clock) in edit.summary.reach.brings() {
                            has.set_max(ClientID::new(client), clock);
                        }
                        origins.push(edit.from)
                    }
                    Err(reason) => refused.push((
                        edit.from,
                        Refusal::invalid(format!("update could not be applied: {reason}")),
                    )),
                }
            }
            if let Some((from, guard)) = run.take() {
                settle(&mut txn, from, guard);
            }
            // An update that depends on edits the server has not seen is
            // held by yrs as pending: neither applied, stored nor sent.
            pending = txn.store().pending_update().is_some() || txn.store().pending_ds().is_some();
            txn.encode_update_v1()
        }));
        let update = applied.map_err(|_| Panicked)?;
        self.took_in(&update);
        origins.dedup();
        let to = match origins.as_slice() {
            // The sender has its own edit already, unless some of it was undone.
            [only] if !restored => Recipients::AllBut(*only),
            _ => Recipients::All,
        };
        let update = if is_empty_update(&update) {
            Vec::new()
        } else {
            update
        };
        Ok(Applied {
            update,
            to,
            refused,
            put_back,
            origins,
            restored,
            pending,
        })
    }

    /// Makes one change of the server's own in a transaction of its own.
    /// Returns `edit`'s answer and what changed (empty if nothing did).
    pub(crate) fn apply_server_edit<T>(
        &mut self,
        edit: impl FnOnce(&mut TransactionMut) -> T,
    ) -> Result<(T, Vec<u8>), Panicked> {
        let (answer, update) = catch_unwind(AssertUnwindSafe(|| {
            let mut txn = self.doc.transact_mut();
            let answer = edit(&mut txn);
            (answer, txn.encode_update_v1())
        }))
        .map_err(|_| Panicked)?;
        self.took_in(&update);
        let update = if is_empty_update(&update) {
            Vec::new()
        } else {
            update
        };
        Ok((answer, update))
    }

    /// Applies an update another node stored (already checked), in a
    /// transaction of its own: yrs takes time quadratic in the number of
    /// large updates applied in one transaction.
    /// `shape` is the update's, as the caller's check found it.
    pub(crate) fn apply_stored(
        &mut self,
        update: &[u8],
        shape: &Shape,
    ) -> Result<Result<(), String>, Panicked> {
        let applied = catch_unwind(AssertUnwindSafe(|| {
            apply_in(&mut self.doc.transact_mut(), update)
        }))
        .map_err(|_| Panicked)?;
        if applied.is_ok() {
            self.learn(shape);
        }
        Ok(applied)
    }

    /// The document's state vector (v1), for sync step 1.
    pub(crate) fn state_vector(&self) -> Vec<u8> {
        self.doc.transact().state_vector().encode_v1()
    }

    /// Everything the document holds that a peer with `state_vector` lacks,
    /// for sync step 2.
    pub(crate) fn missing_since(&self, state_vector: &[u8]) -> Result<Vec<u8>, String> {
        let state_vector = StateVector::decode_v1(state_vector)
            .map_err(|error| format!("bad state vector: {error}"))?;
        Ok(self.doc.transact().encode_state_as_update_v1(&state_vector))
    }

    /// The document's summary for its space's index, if it keeps one there.
    pub(crate) fn summary(&self) -> Option<RecommendationSummary> {
        if self.policy.summarized() {
            recommendation_summary(&self.doc.transact())
        } else {
            None
        }
    }

    /// Whether a change to the document is reflected in the space index.
    pub(crate) fn summarized(&self) -> bool {
        self.policy.summarized()
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use std::sync::Arc;

    use draftroom_model::{
        Consensus, FROZEN, NOT_A_PROPONENT, ONLY_TEXT, Status, add_alternative,
        create_recommendation, read_recommendation, set_status,
    };
    use yrs::{GetString, Map, MapPrelim, Text, WriteTxn};

    use super::*;

    /// A client's copy of a document that the core holds too.
    fn client_of(core: &RoomCore) -> Doc {
        let client = Doc::new();
        let state = core
            .doc()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        apply_in(&mut client.transact_mut(), &state).expect("applies");
        client
    }

    /// What `client` changed by `change`, as the bytes it would send.
    fn edit_by(
        client: &Doc,
        from: ConnectionId,
        change: impl FnOnce(&mut TransactionMut),
    ) -> ClientEdit {
        let before = client.transact().state_vector();
        change(&mut client.transact_mut());
        let update = client.transact().encode_state_as_update_v1(&before);
        let summary = inspect_update(&update).expect("a well-formed update");
        ClientEdit {
            from,
            user: Arc::from(format!("member-{from}")),
            oversees: false,
            update: Bytes::from(update),
            summary,
        }
    }

    /// Room enough for any test's edits.
    const ROOMY: usize = usize::MAX;

    fn recommendation() -> RoomCore {
        let mut core = RoomCore::new("r/c-1", 100);
        core.apply_server_edit(|txn| {
            create_recommendation(txn, "c-1", "C", 1, "Funding", "Fund the IGF.");
            add_alternative(txn, "alt-1", "B", "Voluntary only.", "ana", "t").expect("adds");
        })
        .expect("applies");
        core
    }

    fn text_of(core: &RoomCore) -> String {
        read_recommendation(&core.doc().transact())
            .expect("a recommendation")
            .text
    }

    #[test]
    fn an_edit_is_applied_and_sent_to_everyone_but_its_sender() {
        let mut core = recommendation();
        let client = client_of(&core);
        let peer = client_of(&core);
        let edit = edit_by(&client, 7, |txn| {
            txn.get_or_insert_text("text").insert(txn, 0, "Agreed: ");
        });
        let applied = core.apply_client_edits(&[edit], ROOMY).expect("no panic");
        assert_eq!(applied.to, Recipients::AllBut(7));
        assert_eq!(applied.origins, vec![7]);
        assert!(applied.refused.is_empty() && !applied.restored && !applied.pending);
        assert_eq!(text_of(&core), "Agreed: Fund the IGF.");

        // What is sent is what the core applied: another copy of the
        // document reaches the same text from it.
        apply_in(&mut peer.transact_mut(), &applied.update).expect("applies");
        assert_eq!(
            peer.get_or_insert_text("text").get_string(&peer.transact()),
            "Agreed: Fund the IGF."
        );
    }

    #[test]
    fn protected_parts_are_put_back_and_everyone_hears_it() {
        let mut core = recommendation();
        let client = client_of(&core);
        let edit = edit_by(&client, 3, |txn| {
            txn.get_or_insert_map("meta").remove(txn, "status");
            txn.get_or_insert_map("alternatives").remove(txn, "alt-1");
            txn.get_or_insert_text("text").insert(txn, 0, "Honest. ");
        });
        let applied = core.apply_client_edits(&[edit], ROOMY).expect("no panic");
        assert!(applied.restored);
        assert_eq!(
            applied.to,
            Recipients::All,
            "the sender must hear it was put back"
        );
        let rec = read_recommendation(&core.doc().transact()).expect("reads");
        assert_eq!(rec.status, Status::Draft);
        assert_eq!(rec.alternatives.len(), 1);
        assert_eq!(rec.text, "Honest. Fund the IGF.");
    }

    #[test]
    fn an_edit_past_the_documents_room_is_refused_and_smaller_ones_still_fit() {
        let mut core = recommendation();
        let big = edit_by(&client_of(&core), 1, |txn| {
            txn.get_or_insert_text("text")
                .insert(txn, 0, &"x".repeat(400));
        });
        let small = edit_by(&client_of(&core), 2, |txn| {
            txn.get_or_insert_text("text").insert(txn, 0, "Small. ");
        });
        let room = small.update.len() + 100;
        assert!(big.update.len() > room);
        let applied = core
            .apply_client_edits(&[big, small], room)
            .expect("no panic");
        assert_eq!(applied.refused.len(), 1);
        let (from, refusal) = &applied.refused[0];
        assert_eq!((*from, refusal.code), (1, close_code::DOCUMENT_FULL));
        assert!(refusal.reason.contains("not saved"), "{}", refusal.reason);
        assert_eq!(applied.origins, vec![2]);
        assert_eq!(text_of(&core), "Small. Fund the IGF.");
    }

    #[test]
    fn a_recommendation_takes_only_text_in_the_roots_of_its_schema() {
        let mut core = recommendation();
        let client = client_of(&core);
        let paragraph = edit_by(&client, 1, |txn| {
            let text = txn.get_or_insert_text("text");
            text.insert_embed(txn, 0, yrs::XmlElementPrelim::empty("p"));
        });
        let meta = edit_by(&client_of(&core), 2, |txn| {
            txn.get_or_insert_map("meta")
                .insert(txn, "status", "adopted");
        });
        let stray = edit_by(&client_of(&core), 3, |txn| {
            txn.get_or_insert_text("paragraphs")
                .insert(txn, 0, "Hidden.");
        });
        let typing = edit_by(&client_of(&core), 4, |txn| {
            txn.get_or_insert_text("text").insert(txn, 0, "Typed. ");
        });
        let applied = core
            .apply_client_edits(&[paragraph, meta, stray, typing], ROOMY)
            .expect("no panic");
        let refused: Vec<_> = applied
            .refused
            .iter()
            .map(|(from, refusal)| (*from, refusal.code, refusal.reason.as_str()))
            .collect();
        assert_eq!(
            refused[..2],
            [
                (1, close_code::UNPROCESSABLE, ONLY_TEXT),
                (2, close_code::UNPROCESSABLE, ONLY_TEXT)
            ]
        );
        assert_eq!(refused[2].0, 3);
        assert!(refused[2].2.contains("\"paragraphs\""), "{}", refused[2].2);
        assert_eq!(applied.origins, vec![4]);
        assert_eq!(text_of(&core), "Typed. Fund the IGF.");
        let txn = core.doc().transact();
        assert!(txn.get_text("paragraphs").is_none(), "no root was made");
        let majority = txn.get_text("text").expect("a majority text");
        assert_eq!(
            majority.len(&txn) as usize,
            "Typed. Fund the IGF.".len(),
            "nothing but text in it"
        );
        let rec = read_recommendation(&txn).expect("reads");
        assert_eq!(rec.status, Status::Draft);
    }

    #[test]
    fn an_edit_to_an_adopted_text_is_put_back_and_its_sender_told_why() {
        let mut core = recommendation();
        core.apply_server_edit(|txn| set_status(txn, Status::Adopted, Some(Consensus::Full)))
            .expect("applies")
            .0
            .expect("sets");
        let client = client_of(&core);
        let edit = edit_by(&client, 1, |txn| {
            txn.get_or_insert_text("text").insert(txn, 0, "Late. ");
        });
        let applied = core.apply_client_edits(&[edit], ROOMY).expect("no panic");
        assert_eq!(applied.put_back, vec![(1, FROZEN)]);
        assert_eq!(applied.to, Recipients::All, "the sender hears it put back");
        assert_eq!(text_of(&core), "Fund the IGF.");

        // The client keeps its document, the text moves back, and the
        // client sends all it has again (as on every reconnect): the words
        // the server refused stay out.
        apply_in(&mut client.transact_mut(), &applied.update).expect("applies");
        core.apply_server_edit(|txn| set_status(txn, Status::Agreed, None))
            .expect("applies")
            .0
            .expect("sets");
        let everything = client
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let again = ClientEdit {
            update: Bytes::from(everything.clone()),
            summary: inspect_update(&everything).expect("well formed"),
            ..edit_by(&client, 1, |_| {})
        };
        let applied = core.apply_client_edits(&[again], ROOMY).expect("no panic");
        assert!(applied.put_back.is_empty());
        assert_eq!(text_of(&core), "Fund the IGF.");
    }

    #[test]
    fn a_member_changes_an_alternative_only_if_they_propose_it() {
        let mut core = recommendation();
        let client = client_of(&core);
        let alternative = |txn: &mut TransactionMut| {
            let alt = match txn.get_or_insert_map("alternatives").get(txn, "alt-1") {
                Some(yrs::Out::YMap(alt)) => alt,
                other => panic!("no alternative: {other:?}"),
            };
            match alt.get(txn, "text") {
                Some(yrs::Out::YText(text)) => text,
                other => panic!("no text: {other:?}"),
            }
        };
        let intruder = edit_by(&client, 1, |txn| {
            txn.get_or_insert_text("text").insert(txn, 0, "Fine: ");
            alternative(txn).insert(txn, 0, "Not mine. ");
        });
        let proponent = ClientEdit {
            user: Arc::from("ana"),
            ..edit_by(&client, 2, |txn| alternative(txn).push(txn, " Ana's."))
        };
        let applied = core
            .apply_client_edits(&[intruder, proponent], ROOMY)
            .expect("no panic");
        assert_eq!(applied.put_back, vec![(1, NOT_A_PROPONENT)]);
        let rec = read_recommendation(&core.doc().transact()).expect("reads");
        assert_eq!(rec.text, "Fine: Fund the IGF.");
        assert_eq!(rec.alternatives[0].text, "Voluntary only. Ana's.");
    }

    #[test]
    fn an_edit_past_the_shared_type_cap_is_refused_and_the_rest_of_the_batch_applies() {
        let mut core = RoomCore::new("notes", 3);
        let greedy = Doc::new();
        let over = edit_by(&greedy, 1, |txn| {
            let root = txn.get_or_insert_map("m");
            for key in ["a", "b", "c", "d"] {
                root.insert(txn, key, MapPrelim::default());
            }
        });
        let modest = Doc::new();
        let within = edit_by(&modest, 2, |txn| {
            txn.get_or_insert_text("text").insert(txn, 0, "hello");
        });
        let applied = core
            .apply_client_edits(&[over, within], ROOMY)
            .expect("no panic");
        assert_eq!(applied.refused.len(), 1);
        assert_eq!(applied.refused[0].0, 1);
        assert!(
            applied.refused[0]
                .1
                .reason
                .contains("at most 3 shared types")
        );
        assert_eq!(applied.origins, vec![2]);
        assert_eq!(
            core.doc()
                .get_or_insert_text("text")
                .get_string(&core.doc().transact()),
            "hello"
        );
    }

    #[test]
    fn bytes_that_do_not_apply_are_refused() {
        let mut core = RoomCore::new("notes", 100);
        let garbage = ClientEdit {
            update: Bytes::from_static(&[1, 1, 200, 1, 0, 4]),
            summary: Default::default(),
            ..edit_by(&Doc::new(), 9, |_| {})
        };
        let applied = core
            .apply_client_edits(&[garbage], ROOMY)
            .expect("no panic");
        assert_eq!(applied.refused.len(), 1);
        assert!(
            applied.refused[0]
                .1
                .reason
                .starts_with("update could not be applied")
        );
        assert!(applied.update.is_empty(), "nothing to store");
    }

    #[test]
    fn an_edit_that_depends_on_unseen_edits_closes_its_sender_alone() {
        let mut core = RoomCore::new("notes", 100);
        let client = Doc::new();
        // The server never hears the first edit; the second builds on it.
        edit_by(&client, 1, |txn| {
            txn.get_or_insert_text("text").insert(txn, 0, "first");
        });
        let second = edit_by(&client, 1, |txn| {
            txn.get_or_insert_text("text").insert(txn, 5, " second");
        });
        let other = Doc::new();
        let bystander = edit_by(&other, 2, |txn| {
            txn.get_or_insert_text("other").insert(txn, 0, "mine");
        });
        let applied = core
            .apply_client_edits(&[second, bystander], ROOMY)
            .expect("no panic");
        assert!(!applied.pending, "nothing is held aside: the room goes on");
        assert_eq!(applied.refused.len(), 1);
        assert_eq!(applied.refused[0].0, 1);
        assert_eq!(applied.refused[0].1.code, close_code::TRY_AGAIN_LATER);
        assert_eq!(applied.origins, vec![2], "the other client's edit applies");
        let txn = core.doc().transact();
        assert_eq!(txn.get_text("text").map(|t| t.get_string(&txn)), None);
        assert_eq!(
            txn.get_text("other").map(|t| t.get_string(&txn)).as_deref(),
            Some("mine")
        );
    }

    #[test]
    fn a_deletion_of_unseen_items_is_refused_too() {
        let mut core = RoomCore::new("notes", 100);
        let client = Doc::new();
        edit_by(&client, 1, |txn| {
            txn.get_or_insert_text("text").insert(txn, 0, "unseen");
        });
        let deletion = edit_by(&client, 1, |txn| {
            txn.get_or_insert_text("text").remove_range(txn, 0, 3);
        });
        assert_eq!(deletion.summary.blocks, 0, "a deletion alone");
        let applied = core
            .apply_client_edits(&[deletion], ROOMY)
            .expect("no panic");
        assert!(!applied.pending);
        assert_eq!(applied.refused.len(), 1);
    }

    #[test]
    fn edits_in_one_batch_may_build_on_each_other() {
        let mut core = RoomCore::new("notes", 100);
        let client = Doc::new();
        let first = edit_by(&client, 1, |txn| {
            txn.get_or_insert_text("text").insert(txn, 0, "first");
        });
        let second = edit_by(&client, 1, |txn| {
            txn.get_or_insert_text("text").insert(txn, 5, " second");
        });
        let third = edit_by(&client, 1, |txn| {
            txn.get_or_insert_text("text").remove_range(txn, 0, 6);
        });
        let applied = core
            .apply_client_edits(&[first, second, third], ROOMY)
            .expect("no panic");
        assert!(applied.refused.is_empty() && !applied.pending);
        let txn = core.doc().transact();
        assert_eq!(
            txn.get_text("text").map(|t| t.get_string(&txn)).as_deref(),
            Some("second")
        );
    }

    #[test]
    fn sync_step_two_holds_what_the_peer_lacks() {
        let core = recommendation();
        let peer = Doc::new();
        let empty = peer.transact().state_vector().encode_v1();
        let missing = core.missing_since(&empty).expect("a state vector");
        apply_in(&mut peer.transact_mut(), &missing).expect("applies");
        assert_eq!(
            read_recommendation(&peer.transact()).expect("reads").title,
            "Funding"
        );
        assert!(core.missing_since(&[0xff]).is_err());
        let whole = core.state_vector();
        assert!(is_empty_update(&core.missing_since(&whole).expect("reads")));
    }

    #[test]
    fn only_recommendations_keep_a_summary() {
        assert!(recommendation().summary().is_some());
        let mut branch = RoomCore::new("p/p-1", 100);
        branch
            .apply_server_edit(|txn| create_recommendation(txn, "c-1", "C", 1, "T", ""))
            .expect("applies");
        assert!(branch.summary().is_none());
        assert!(!branch.summarized());
    }
}
