//! What connections and the server ask of a room, and what a room sends
//! back.

use std::sync::Arc;

use bytes::Bytes;
use draftroom_model::Editor;
use draftroom_protocol::{AwarenessUpdate, Speaker, UpdateSummary};
use yrs::{Transaction, TransactionMut};

/// Identifies one websocket connection for the life of the process.
pub(crate) type ConnectionId = u64;

/// Who hears an outgoing message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recipients {
    All,
    AllBut(ConnectionId),
    Only(ConnectionId),
}

impl Recipients {
    pub(crate) fn includes(self, connection: ConnectionId) -> bool {
        match self {
            Recipients::All => true,
            Recipients::AllBut(excluded) => excluded != connection,
            Recipients::Only(only) => only == connection,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Delivery {
    Frame(Bytes),
    Close { code: u16, reason: Arc<str> },
}

/// A message on a room's broadcast channel, encoded once and shared by
/// every connection that hears it.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub(crate) to: Recipients,
    pub(crate) delivery: Delivery,
}

/// Where a room sends what is for one connection alone (sync replies,
/// awareness snapshots, refusals). Through the broadcast channel, every
/// connection of the room would wake for each: a thousand joining a room
/// would make a million wakeups.
pub(crate) type PrivateSender = futures_channel::mpsc::Sender<Delivery>;
pub(crate) type PrivateReceiver = futures_channel::mpsc::Receiver<Delivery>;

/// Messages for one connection that may wait unread; a client that lets
/// more pile up is closed. (This channel allocates per message, so an idle
/// connection holds no buffer for it.)
const PRIVATE_QUEUE: usize = 64;

pub(crate) fn private_channel() -> (PrivateSender, PrivateReceiver) {
    futures_channel::mpsc::channel(PRIVATE_QUEUE)
}

/// One client's edit, already checked by the protocol decoder.
#[derive(Debug)]
pub(crate) struct ClientEdit {
    pub(crate) from: ConnectionId,
    /// Who signed in on the connection.
    pub(crate) user: Arc<str>,
    /// Whether they are the chair or the vice-chair.
    pub(crate) oversees: bool,
    pub(crate) update: Bytes,
    pub(crate) summary: UpdateSummary,
}

/// What a connection asks of its room. Everything in it was already checked
/// by the protocol decoder.
pub(crate) enum Request {
    Join {
        connection: ConnectionId,
        private: PrivateSender,
    },
    SyncStep1 {
        from: ConnectionId,
        state_vector: Bytes,
    },
    Update(ClientEdit),
    Awareness {
        from: Speaker,
        update: AwarenessUpdate,
    },
    QueryAwareness(ConnectionId),
    Leave(ConnectionId),
    /// A change the server makes (for the operations layer, where roles
    /// were checked).
    Edit(ServerEdit),
    /// A look at the document as stored.
    Read(ServerRead),
}

/// Makes a change in a transaction and returns how to answer once the
/// change is stored (or failed to be).
pub(crate) type ServerEdit =
    Box<dyn FnOnce(&mut TransactionMut) -> Box<dyn FnOnce(Result<(), String>) + Send> + Send>;
pub(crate) type ServerRead = Box<dyn FnOnce(&Transaction) + Send>;

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Request::Join { connection, .. } => write!(f, "Join({connection})"),
            Request::SyncStep1 { from, .. } => write!(f, "SyncStep1({from})"),
            Request::Update(edit) => write!(f, "Update({})", edit.from),
            Request::Awareness { from, .. } => write!(f, "Awareness({})", from.connection),
            Request::QueryAwareness(c) => write!(f, "QueryAwareness({c})"),
            Request::Leave(c) => write!(f, "Leave({c})"),
            Request::Edit(_) => f.write_str("Edit"),
            Request::Read(_) => f.write_str("Read"),
        }
    }
}

impl ClientEdit {
    /// The editor, as the drafting rules see them.
    pub(crate) fn editor(&self) -> Editor<'_> {
        Editor {
            user: &self.user,
            oversees: self.oversees,
        }
    }
}
