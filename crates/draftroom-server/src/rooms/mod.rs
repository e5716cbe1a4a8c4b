//! Rooms: one loaded document and everyone connected to it.
//!
//! - [`registry`]: every loaded document by name; joining loads it, and
//!   the server's own reads and edits ([`Rooms::read`], [`Rooms::edit`])
//!   go through the same rooms as clients' edits, so they never race.
//! - [`messages`]: what connections and the server ask of a room, and what
//!   it sends back.
//! - [`actor`]: one task per open document, the only owner of its
//!   `yrs::Doc`; it stores every edit before broadcasting it, follows the
//!   log where the store is shared, and compacts.
//! - [`core`]: the room's decisions without IO (what a batch of edits
//!   changes, what is refused, what is put back), unit-tested with bytes.
//! - [`load`]: merging a stored document, each part checked first.

mod actor;
mod core;
mod load;
mod messages;
mod registry;

#[cfg(feature = "fuzzing")]
pub(crate) use self::core::RoomCore;
pub(crate) use self::core::{apply_in, new_doc};
pub(crate) use load::merge_stored;
pub(crate) use messages::{ClientEdit, ConnectionId, Delivery, Request, private_channel};
pub(crate) use registry::{Membership, RoomError, Rooms};
