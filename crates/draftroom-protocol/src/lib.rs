//! The Yjs wire protocol as Draftroom speaks it, without IO.
//!
//! Bytes go in, checked messages and encoded replies come out. Nothing here
//! knows of sockets, tasks or storage, so every rule about what a client may
//! send is testable with plain byte slices:
//!
//! - [`decode_client_message`] reads one websocket frame and checks it
//!   completely (size, structure, nesting) before anything reaches yrs.
//! - [`inspect_update`] is that check for a Yjs update on its own.
//! - [`AwarenessTable`] keeps one document's awareness within its
//!   [`AwarenessLimits`] and decides who may speak for which client.
//! - [`Placements`] knows which of a document's items lie outside its
//!   texts, for a document that takes text only there.

mod awareness;
mod error;
mod message;
mod placement;
mod reader;
mod update;

pub use awareness::{
    AWARENESS_TIMEOUT, AwarenessApplied, AwarenessEntry, AwarenessLimits, AwarenessRefusal,
    AwarenessTable, AwarenessUpdate, MAX_CLIENTS_PER_CONNECTION, Speaker,
};
pub use error::{Malformed, ProtocolError, StateRefusal, close_code};
pub use message::{
    ClientMessage, decode_client_message, encode_awareness, encode_keepalive,
    encode_permission_denied, encode_sync_step1, encode_sync_step2, encode_update,
};
pub use placement::Placements;
pub use update::{
    Anchor, MAX_VALUE_DEPTH, Reach, Shape, UpdateSummary, inspect_state_vector, inspect_update,
};
