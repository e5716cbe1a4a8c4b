//! What the fuzz targets in `fuzz/` run (feature `fuzzing`): a client's
//! frames and request bodies through the code the server runs on them,
//! without sockets, tasks or a store, so a fuzzer can try millions.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::Json;
use axum::response::IntoResponse;
use bytes::Bytes;
use draftroom_model::{add_alternative, create_recommendation};
use draftroom_protocol::{
    AwarenessTable, ClientMessage, Speaker, UpdateSummary, decode_client_message, inspect_update,
};
use serde::de::DeserializeOwned;
use yrs::updates::encoder::Encode;
use yrs::{Doc, ReadTxn, StateVector, Transact};

use super::error::ApiError;
use super::wire;
use crate::config::Config;
use crate::ops::proposals::Submission;
use crate::ops::recommendations::NewRecommendation;
use crate::ops::spaces::check_space_id;
use crate::rooms::{ClientEdit, RoomCore, apply_in};

/// The connection every frame comes from: a member's.
const CONNECTION: u64 = 1;

/// A recommendation with an alternative, as the operations make one,
/// written under client id 1: the server writes under a random id, and
/// the same input must meet the same document on every run.
fn recommendation_state() -> &'static [u8] {
    static STATE: OnceLock<Vec<u8>> = OnceLock::new();
    STATE.get_or_init(|| {
        let doc = Doc::with_client_id(1);
        let mut txn = doc.transact_mut();
        create_recommendation(&mut txn, "c-1", "C", 1, "Funding", "Fund the IGF.");
        add_alternative(&mut txn, "alt-1", "B", "Voluntary only.", "ana", "t")
            .expect("a recommendation takes alternatives");
        drop(txn);
        doc.transact()
            .encode_state_as_update_v1(&StateVector::default())
    })
}

/// One open recommendation and its awareness, as a room holds them, with
/// a member connected.
pub struct Room {
    core: RoomCore,
    awareness: AwarenessTable,
    speaker: Speaker,
    config: Config,
}

impl Room {
    pub fn recommendation() -> Room {
        let config = Config::default();
        let mut core = RoomCore::new("r/c-1", config.max_shared_types);
        let state = recommendation_state();
        let types = inspect_update(state).expect("the server's own state is well formed");
        core.count_types(types.type_items);
        core.apply_stored(state, &types.shape)
            .expect("no panic")
            .expect("the server's own state applies");
        Room {
            core,
            awareness: AwarenessTable::new(config.awareness.clone()),
            speaker: Speaker {
                connection: CONNECTION,
                user: Arc::from("member-1"),
            },
            config,
        }
    }

    /// The document as a client that joined would hold it.
    pub fn replica(&self) -> Doc {
        let doc = Doc::new();
        let state = self
            .core
            .doc()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        apply_in(&mut doc.transact_mut(), &state).expect("the room's state applies");
        doc
    }

    /// The document's state vector, as the room sends it on join.
    pub fn state_vector(&self) -> Vec<u8> {
        self.core.doc().transact().state_vector().encode_v1()
    }

    /// Handles one frame as the member's connection and the room do.
    /// `Ok` carries what the room would store and broadcast (empty if
    /// nothing changed); `Err` says why the frame or edit was refused.
    pub fn frame(&mut self, frame: &[u8]) -> Result<Vec<u8>, String> {
        let message =
            decode_client_message(frame, self.config.max_message_size, &self.config.awareness)
                .map_err(|error| error.to_string())?;
        match message {
            ClientMessage::SyncStep1 { state_vector } => {
                self.core.missing_since(state_vector)?;
                Ok(Vec::new())
            }
            ClientMessage::SyncStep2 { update, summary }
            | ClientMessage::Update { update, summary } => self.edit(update, summary),
            ClientMessage::Awareness(update) => {
                self.awareness.apply(&self.speaker, update, Instant::now());
                Ok(Vec::new())
            }
            ClientMessage::QueryAwareness => {
                self.awareness.snapshot().encode();
                Ok(Vec::new())
            }
        }
    }

    /// Applies a checked update as the room applies a batch of one edit.
    fn edit(&mut self, update: &[u8], summary: UpdateSummary) -> Result<Vec<u8>, String> {
        // The connection sends an update that changes nothing nowhere.
        if summary.is_empty() {
            return Ok(Vec::new());
        }
        let edit = ClientEdit {
            from: CONNECTION,
            user: self.speaker.user.clone(),
            oversees: false,
            update: Bytes::copy_from_slice(update),
            summary,
        };
        let applied = self
            .core
            .apply_client_edits(&[edit], self.config.max_document_bytes)
            // With the fuzzer's panic hook this is never reached; without
            // it (a regression test), it must still fail loudly.
            .unwrap_or_else(|_| panic!("yrs panicked on an update the protocol check accepted"));
        // yrs holds what it cannot place as pending, and the room then
        // starts again from the store, closing every connection: the
        // protocol check refuses every update that would.
        assert!(!applied.pending, "an accepted update left pending data");
        match applied.refused.into_iter().next() {
            Some((_, refusal)) => Err(refusal.reason),
            None => Ok(applied.update),
        }
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    Ok(Json::<T>::from_bytes(body)?.0)
}

/// Parses `body` as the JSON body of the route `route` names (modulo the
/// number of routes that take one), as its handler does, and turns what
/// the handler would refuse into the response it would send.
pub fn request_body(route: u8, body: &[u8]) -> Result<(), String> {
    let parsed: Result<(), ApiError> = (|| {
        match route % 12 {
            0 => check_space_id(&parse::<wire::NewSpace>(body)?.id)?,
            1 => drop(NewRecommendation::from(parse::<wire::NewRecommendation>(
                body,
            )?)),
            2 => {
                let _: wire::StatusChange = parse(body)?;
            }
            3 => drop(parse::<wire::NewAlternative>(body)?),
            4 => drop(parse::<wire::Relabel>(body)?),
            5 => {
                let _: wire::Support = parse(body)?;
            }
            6 => drop(Submission::from(parse::<wire::NewProposal>(body)?)),
            7 => drop(parse::<wire::Categorize>(body)?),
            8 => drop(parse::<wire::Merge>(body)?.into_target()?),
            9 => drop(parse::<wire::Reject>(body)?),
            10 => drop(parse::<wire::NameVersion>(body)?),
            _ => drop(parse::<wire::MintLink>(body)?),
        }
        Ok(())
    })();
    parsed.map_err(|error| {
        let message = error.message().to_owned();
        drop(error.into_response());
        message
    })
}
