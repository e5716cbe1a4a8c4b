//! Rooms: one loaded document and everyone connected to it.
//!
//! Each room is an actor, a task that alone owns the document. Connections
//! send it requests over a bounded channel and hear back over one broadcast
//! channel, on which every frame is encoded once and shared by all.
//!
//! The actor takes requests in batches: everything queued while it was busy
//! is applied in one transaction, stored with one write, then broadcast as one
//! update. So the store is written before anyone hears of an edit, and a slow
//! store write makes the next batch larger rather than the queue longer.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use draftroom_model::{
    INDEX_DOC, PROPOSALS_DOC, Protected, RecommendationSummary, VERSIONS_DOC, is_frozen,
    is_version_doc, proposal_id_of, recommendation_id_of, recommendation_summary, update_summary,
};
use draftroom_protocol::{
    AwarenessTable, AwarenessUpdate, Speaker, UpdateSummary, close_code, encode_awareness,
    encode_permission_denied, encode_sync_step1, encode_sync_step2, encode_update, inspect_update,
};
use draftroom_store::{DocName, Followed, Seq, Snapshot, Store, StoreError, StoredDoc};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{debug, error, info, warn};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{
    Doc, OffsetKind, Options, ReadTxn, StateVector, Transact, Transaction, TransactionMut, Update,
};

use crate::config::Config;
use crate::metrics::Metrics;

/// Identifies one websocket connection for the life of the process.
pub(crate) type ConnectionId = u64;

/// Who hears an outgoing message.
#[derive(Debug, Clone, Copy)]
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
    Update {
        from: ConnectionId,
        update: Bytes,
        summary: UpdateSummary,
    },
    Awareness {
        from: Speaker,
        update: AwarenessUpdate,
    },
    QueryAwareness(ConnectionId),
    Leave(ConnectionId),
    /// A change the server makes (for the HTTP API, where roles were checked).
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
            Request::Update { from, .. } => write!(f, "Update({from})"),
            Request::Awareness { from, .. } => write!(f, "Awareness({})", from.connection),
            Request::QueryAwareness(c) => write!(f, "QueryAwareness({c})"),
            Request::Leave(c) => write!(f, "Leave({c})"),
            Request::Edit(_) => f.write_str("Edit"),
            Request::Read(_) => f.write_str("Read"),
        }
    }
}

/// Why the server could not edit or read a document.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RoomError {
    #[error("the document could not be opened (is the store up?)")]
    Unavailable,
    #[error("{0}")]
    Failed(String),
}

/// What a document is, from its name; it decides who may change what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocKind {
    /// Only the server writes it: a space's index, proposals and versions
    /// lists, and the recommendations' states in named versions.
    ServerOnly,
    /// A recommendation: clients co-edit its texts; the rest only the
    /// server changes, and nothing changes while it is adopted.
    Recommendation,
    /// A branch proposal: a copy of a recommendation, its texts co-edited
    /// like the recommendation's.
    Branch,
    /// Any other document: clients edit it freely.
    Other,
}

impl DocKind {
    pub(crate) fn of(name: &DocName) -> DocKind {
        let doc = name.doc();
        if [INDEX_DOC, PROPOSALS_DOC, VERSIONS_DOC].contains(&doc) || is_version_doc(doc) {
            DocKind::ServerOnly
        } else if recommendation_id_of(doc).is_some() {
            DocKind::Recommendation
        } else if proposal_id_of(doc).is_some() {
            DocKind::Branch
        } else {
            DocKind::Other
        }
    }

    /// Whether some parts of the document are the server's alone.
    fn protects(self) -> bool {
        matches!(self, DocKind::Recommendation | DocKind::Branch)
    }
}

/// How long a recommendation waits after a change before refreshing its
/// summary in the index, so a burst of typing costs one refresh.
const SUMMARY_DELAY: Duration = Duration::from_millis(200);

/// Why a room stopped after yrs panicked; its clients reconnect and resync.
const RELOADED: &str = "the document hit an internal error and was reloaded; reconnect";

/// What a client hears when it edits an adopted recommendation.
const FROZEN: &str =
    "this recommendation is adopted: its text is frozen until the chair moves it back";

/// A connection's hold on a room. While any exists, the room stays loaded.
pub(crate) struct Membership {
    pub(crate) requests: mpsc::Sender<Request>,
    pub(crate) outgoing: broadcast::Receiver<Outgoing>,
    connections: Arc<AtomicUsize>,
}

impl Drop for Membership {
    fn drop(&mut self) {
        self.connections.fetch_sub(1, Ordering::AcqRel);
    }
}

#[derive(Clone)]
struct RoomHandle {
    id: u64,
    requests: mpsc::Sender<Request>,
    outgoing: broadcast::Sender<Outgoing>,
    /// Live memberships. Only ever raised under the registry lock, so a room
    /// that sees zero under that lock knows nobody can be joining it.
    connections: Arc<AtomicUsize>,
}

/// Every loaded document, by name.
#[derive(Clone)]
pub(crate) struct Rooms {
    /// Held only to look up, insert or remove, never across an `.await`, so
    /// a std mutex is right here.
    registry: Arc<Mutex<HashMap<DocName, RoomHandle>>>,
    next_id: Arc<AtomicU64>,
    store: Arc<dyn Store>,
    config: Arc<Config>,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
    tasks: TaskTracker,
}

impl Rooms {
    pub(crate) fn new(
        store: Arc<dyn Store>,
        config: Arc<Config>,
        metrics: Arc<Metrics>,
        shutdown: CancellationToken,
        tasks: TaskTracker,
    ) -> Self {
        Rooms {
            registry: Arc::default(),
            next_id: Arc::new(AtomicU64::new(1)),
            store,
            config,
            metrics,
            shutdown,
            tasks,
        }
    }

    /// Joins the room of `name`, loading the document if nobody has it open.
    pub(crate) fn join(&self, name: &DocName) -> Membership {
        let mut registry = self
            .registry
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let handle = registry
            .entry(name.clone())
            .or_insert_with(|| self.open(name.clone()));
        handle.connections.fetch_add(1, Ordering::AcqRel);
        Membership {
            requests: handle.requests.clone(),
            outgoing: handle.outgoing.subscribe(),
            connections: handle.connections.clone(),
        }
    }

    /// Makes a change to a document (loading it if needed) and returns
    /// `f`'s answer once the change is stored and broadcast.
    pub(crate) async fn edit<T: Send + 'static>(
        &self,
        name: &DocName,
        f: impl FnOnce(&mut TransactionMut) -> T + Send + 'static,
    ) -> Result<T, RoomError> {
        let membership = self.join(name);
        let (answer, answered) = oneshot::channel();
        let edit: ServerEdit = Box::new(move |txn| {
            let value = f(txn);
            Box::new(move |stored: Result<(), String>| {
                // The caller may have given up; then nobody needs the answer.
                let _ = answer.send(stored.map(|()| value));
            })
        });
        membership
            .requests
            .send(Request::Edit(edit))
            .await
            .map_err(|_| RoomError::Unavailable)?;
        answered
            .await
            .map_err(|_| RoomError::Unavailable)?
            .map_err(RoomError::Failed)
    }

    /// Reads a document (loading it if needed) with `f`.
    pub(crate) async fn read<T: Send + 'static>(
        &self,
        name: &DocName,
        f: impl FnOnce(&Transaction) -> T + Send + 'static,
    ) -> Result<T, RoomError> {
        let membership = self.join(name);
        let (answer, answered) = oneshot::channel();
        let read: ServerRead = Box::new(move |txn| {
            let _ = answer.send(f(txn));
        });
        membership
            .requests
            .send(Request::Read(read))
            .await
            .map_err(|_| RoomError::Unavailable)?;
        answered.await.map_err(|_| RoomError::Unavailable)
    }

    /// Number of loaded documents.
    pub(crate) fn loaded(&self) -> usize {
        self.registry
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .len()
    }

    fn open(&self, name: DocName) -> RoomHandle {
        let (requests, inbox) = mpsc::channel(self.config.outgoing_queue);
        let (outgoing, _) = broadcast::channel(self.config.outgoing_queue);
        let handle = RoomHandle {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            requests,
            outgoing,
            connections: Arc::new(AtomicUsize::new(0)),
        };
        let actor = Room {
            name: name.clone(),
            doc: new_doc(),
            awareness: AwarenessTable::default(),
            shared_types: 0,
            last_seq: 0,
            follower: None,
            own_entries: VecDeque::new(),
            since_snapshot: Backlog::default(),
            idle_since: Some(Instant::now()),
            damaged: false,
            kind: DocKind::of(&name),
            summary_due: None,
            last_summary: None,
            private: RefCell::default(),
            handle: handle.clone(),
            rooms: self.clone(),
        };
        self.tasks.spawn(actor.run(inbox));
        handle
    }

    /// Removes the room if nobody holds it. Returns whether it was removed.
    fn close_if_unused(&self, name: &DocName, room_id: u64, force: bool) -> bool {
        let mut registry = self
            .registry
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let Some(handle) = registry.get(name) else {
            return true;
        };
        if handle.id != room_id {
            return true;
        }
        if force || handle.connections.load(Ordering::Acquire) == 0 {
            registry.remove(name);
            true
        } else {
            false
        }
    }
}

fn new_doc() -> Doc {
    // Offsets in UTF-16 code units, as Yjs counts them in the browser.
    Doc::with_options(Options {
        offset_kind: OffsetKind::Utf16,
        ..Options::default()
    })
}

/// Updates stored since the last snapshot.
#[derive(Debug, Default)]
struct Backlog {
    updates: u64,
    bytes: usize,
}

/// The actor that owns one document. It lives from the first connection
/// until it has been idle for `room_idle_timeout`, the server shuts down,
/// or it fails; in every case it unregisters itself before it ends.
struct Room {
    name: DocName,
    doc: Doc,
    awareness: AwarenessTable,
    /// Shared types the document holds; capped by `max_shared_types`.
    shared_types: u32,
    /// The last log entry the document holds together with every entry
    /// before it: what a snapshot of it may claim to cover.
    last_seq: Seq,
    /// The log as other servers append to it, where the store is shared.
    follower: Option<mpsc::Receiver<Result<Followed, StoreError>>>,
    /// Entries this room appended that the follower has not passed yet;
    /// they are already in the document, so the follower skips them.
    own_entries: VecDeque<Seq>,
    since_snapshot: Backlog,
    /// When the last connection left, while nobody is connected.
    idle_since: Option<Instant>,
    /// Some stored part did not apply: compaction would drop it from the
    /// store for good, so this room never compacts.
    damaged: bool,
    kind: DocKind,
    /// When to refresh the summary in the space index, if a change awaits it.
    summary_due: Option<tokio::time::Instant>,
    /// The summary last sent to the index.
    last_summary: Option<RecommendationSummary>,
    /// Each connection's own channel (see [`PrivateSender`]). In a cell
    /// because sending needs `&mut`, and the room sends from `&self`.
    private: RefCell<HashMap<ConnectionId, PrivateSender>>,
    handle: RoomHandle,
    rooms: Rooms,
}

/// Why a room stopped.
enum Stop {
    Idle,
    Shutdown,
    Failed(String),
}

/// Requests one batch takes at most, so that replies are not held back
/// behind an endless stream of edits.
const MAX_BATCH: usize = 512;

impl Room {
    async fn run(mut self, mut inbox: mpsc::Receiver<Request>) {
        let stop = match self.load().await {
            Ok(()) => self.serve(&mut inbox).await,
            Err(error) => Stop::Failed(format!("could not load the document: {error}")),
        };
        let reason = match &stop {
            Stop::Idle => "idle",
            Stop::Shutdown => "shutdown",
            Stop::Failed(reason) => reason,
        };
        if let Stop::Failed(reason) = &stop {
            error!(doc = %self.name, %reason, "document closed after a failure");
            self.send(
                Recipients::All,
                Delivery::Close {
                    code: close_code::INTERNAL,
                    reason: Arc::from(reason.as_str()),
                },
            );
        }
        self.rooms.close_if_unused(&self.name, self.handle.id, true);
        if !matches!(stop, Stop::Failed(_)) {
            self.compact(true).await;
        }
        debug!(doc = %self.name, reason, "document unloaded");
    }

    async fn load(&mut self) -> Result<(), StoreError> {
        let stored = self.rooms.store.load(&self.name).await?;
        self.last_seq = stored.last_seq;
        self.since_snapshot = Backlog {
            updates: stored.updates.len() as u64,
            bytes: stored.updates.iter().map(Bytes::len).sum(),
        };
        self.follower = self.rooms.store.follow(&self.name, stored.last_seq);
        self.shared_types = self.apply_stored(stored).await?;
        Ok(())
    }

    /// Applies a stored document in the blocking pool (a long log is CPU
    /// work); returns how many shared types it holds.
    async fn apply_stored(&mut self, stored: StoredDoc) -> Result<u32, StoreError> {
        let doc = self.doc.clone();
        let name = self.name.clone();
        let merged = tokio::task::spawn_blocking(move || merge_stored(&doc, &name, &stored))
            .await
            .map_err(|_| StoreError::Corrupt("applying the stored document failed".into()))?;
        self.damaged |= merged.damaged;
        Ok(merged.shared_types)
    }

    /// Catches up after the follower missed entries that a compaction
    /// removed: merges the stored document into this one and sends clients
    /// whatever that changed.
    async fn reload(&mut self) -> Result<(), StoreError> {
        let stored = self.rooms.store.load(&self.name).await?;
        let before = self.doc.transact().state_vector();
        self.last_seq = self.last_seq.max(stored.last_seq);
        self.shared_types = self.apply_stored(stored).await?;
        let missed = self.doc.transact().encode_state_as_update_v1(&before);
        if !is_empty_update(&missed) {
            self.send(Recipients::All, Delivery::Frame(encode_update(&missed)));
            self.changed();
        }
        warn!(doc = %self.name, seq = self.last_seq, "reloaded after falling behind the log");
        Ok(())
    }

    async fn serve(&mut self, inbox: &mut mpsc::Receiver<Request>) -> Stop {
        let mut tick = tokio::time::interval(self.rooms.config.keepalive_interval / 3);
        let mut batch = Vec::with_capacity(MAX_BATCH);
        let stop = loop {
            tokio::select! {
                received = inbox.recv_many(&mut batch, MAX_BATCH) => {
                    if received == 0 {
                        break Stop::Idle;
                    }
                    if let Err(reason) = self.handle_batch(batch.drain(..)).await {
                        return Stop::Failed(reason);
                    }
                }
                _ = tick.tick() => {
                    let removed = self.awareness.expire(Instant::now());
                    self.broadcast_awareness(Recipients::All, &removed);
                    // Once nobody holds the room, nothing new can be queued;
                    // what is queued already is served before it unloads.
                    if self.is_idle()
                        && inbox.is_empty()
                        && self.rooms.close_if_unused(&self.name, self.handle.id, false)
                    {
                        break Stop::Idle;
                    }
                }
                () = summary_timer(self.summary_due) => self.refresh_summary(),
                followed = next_followed(&mut self.follower) => {
                    if let Err(reason) = self.handle_followed(followed).await {
                        return Stop::Failed(reason);
                    }
                }
                () = self.rooms.shutdown.cancelled() => break Stop::Shutdown,
            }
        };
        // Edits may still be queued (a client that sent and left at once, or
        // one mid-burst at shutdown): apply and store them before stopping.
        inbox.close();
        while inbox.recv_many(&mut batch, MAX_BATCH).await > 0 {
            if let Err(reason) = self.handle_batch(batch.drain(..)).await {
                return Stop::Failed(reason);
            }
        }
        stop
    }

    /// Applies what other servers stored, skipping this room's own entries.
    async fn handle_followed(
        &mut self,
        followed: Option<Result<Followed, StoreError>>,
    ) -> Result<(), String> {
        let entries = match followed {
            Some(Ok(Followed::Updates(entries))) => entries,
            Some(Ok(Followed::Gap)) => {
                return self
                    .reload()
                    .await
                    .map_err(|error| format!("could not reload the document: {error}"));
            }
            Some(Err(error)) => return Err(format!("lost the document's log: {error}")),
            None => return Err("lost the document's log".into()),
        };
        let mut remote = Vec::new();
        for (seq, update) in entries {
            self.last_seq = seq;
            while self.own_entries.front().is_some_and(|&own| own < seq) {
                self.own_entries.pop_front();
            }
            if self.own_entries.front() == Some(&seq) {
                self.own_entries.pop_front();
                continue;
            }
            match inspect_update(&update) {
                Ok(summary) => {
                    self.shared_types = self.shared_types.saturating_add(summary.type_items);
                    remote.push(update);
                }
                Err(error) => {
                    error!(doc = %self.name, seq, %error, "skipped a malformed stored update")
                }
            }
        }
        if remote.is_empty() {
            return Ok(());
        }
        self.since_snapshot.updates += remote.len() as u64;
        self.since_snapshot.bytes += remote.iter().map(Bytes::len).sum::<usize>();
        // Each entry is what another server applied and stored: pass it on
        // as it is, once applied here.
        for update in remote {
            let applied = catch_unwind(AssertUnwindSafe(|| apply_one(&self.doc, &update)));
            match applied {
                Ok(Ok(())) => {
                    self.send(Recipients::All, Delivery::Frame(encode_update(&update)));
                    self.changed();
                }
                Ok(Err(error)) => {
                    error!(doc = %self.name, %error, "skipped a stored update that does not apply")
                }
                Err(_) => {
                    return Err(RELOADED.into());
                }
            }
        }
        self.compact(false).await;
        Ok(())
    }

    fn is_idle(&mut self) -> bool {
        if self.handle.connections.load(Ordering::Acquire) > 0 {
            self.idle_since = None;
            return false;
        }
        let since = *self.idle_since.get_or_insert_with(Instant::now);
        since.elapsed() >= self.rooms.config.room_idle_timeout
    }

    async fn handle_batch(&mut self, batch: impl Iterator<Item = Request>) -> Result<(), String> {
        let mut edits = Vec::new();
        let mut server_edits = Vec::new();
        let mut replies = Vec::new();
        let now = Instant::now();
        for request in batch {
            match request {
                Request::Update {
                    from,
                    update,
                    summary,
                } => edits.push((from, update, summary)),
                Request::Join { .. }
                | Request::SyncStep1 { .. }
                | Request::QueryAwareness(_)
                | Request::Read(_) => replies.push(request),
                Request::Edit(edit) => server_edits.push(edit),
                Request::Awareness { from, update } => {
                    let changed = self.awareness.apply(&from, update, now);
                    self.broadcast_awareness(Recipients::AllBut(from.connection), &changed);
                }
                Request::Leave(connection) => {
                    self.private.get_mut().remove(&connection);
                    let removed = self.awareness.remove_connection(connection, now);
                    self.broadcast_awareness(Recipients::All, &removed);
                }
            }
        }
        if !edits.is_empty() {
            self.apply_edits(edits).await?;
        }
        if !server_edits.is_empty() {
            self.apply_server_edits(server_edits).await?;
        }
        // Replies are made after the batch's edits are stored, so nobody is
        // sent state that a crash could still lose.
        for request in replies {
            self.reply(request);
        }
        Ok(())
    }

    /// Applies the batch's edits in one transaction, stores what changed,
    /// then broadcasts it.
    async fn apply_edits(
        &mut self,
        edits: Vec<(ConnectionId, Bytes, UpdateSummary)>,
    ) -> Result<(), String> {
        if self.kind == DocKind::Recommendation && is_frozen(&self.doc.transact()) {
            for (connection, _, _) in &edits {
                self.send(
                    Recipients::Only(*connection),
                    Delivery::Frame(encode_permission_denied(FROZEN)),
                );
            }
            return Ok(());
        }
        let max_types = self.rooms.config.max_shared_types;
        let kind = self.kind;
        let mut refused = Vec::new();
        let mut origins = Vec::new();
        let mut restored = false;
        let mut pending = false;
        let applied = catch_unwind(AssertUnwindSafe(|| {
            let mut txn = self.doc.transact_mut();
            let protected = kind.protects().then(|| Protected::capture(&txn));
            for (from, bytes, summary) in &edits {
                if self.shared_types.saturating_add(summary.type_items) > max_types {
                    refused.push((
                        *from,
                        format!("the document may hold at most {max_types} shared types"),
                    ));
                    continue;
                }
                match apply_in(&mut txn, bytes) {
                    Ok(()) => origins.push(*from),
                    Err(reason) => {
                        refused.push((*from, format!("update could not be applied: {reason}")))
                    }
                }
            }
            // An update that depends on edits the server has not seen is
            // held by yrs as pending: neither applied, stored nor sent.
            pending = txn.store().pending_update().is_some() || txn.store().pending_ds().is_some();
            // What only the server may change is put back in the same
            // transaction, so nobody ever sees it changed.
            restored = protected.is_some_and(|protected| protected.restore(&mut txn));
            txn.encode_update_v1()
        }));
        for (connection, reason) in refused {
            Metrics::add(&self.rooms.metrics.edits_refused_total);
            warn!(doc = %self.name, connection, %reason, "edit refused");
            self.close(connection, close_code::INVALID_PAYLOAD, &reason);
        }
        let Ok(update) = applied else {
            return Err(RELOADED.into());
        };
        if let Ok(summary) = inspect_update(&update) {
            self.shared_types = self.shared_types.saturating_add(summary.type_items);
        }
        origins.dedup();
        if restored {
            warn!(doc = %self.name, connections = ?origins, "put back parts only the server may change");
        }
        let to = match origins.as_slice() {
            // The sender has its own edit already, unless some of it was undone.
            [only] if !restored => Recipients::AllBut(*only),
            _ => Recipients::All,
        };
        self.store_and_broadcast(update, to).await?;
        if pending {
            // Pending data must not linger (it would grow, and reach
            // newcomers unchecked): start again from the store, where only
            // what was applied went. Clients resync and resend what is
            // missing, in order.
            return Err(
                "an edit arrived before the edits it depends on; reconnect to resync".into(),
            );
        }
        Ok(())
    }

    /// Stores an update this room applied, then sends it to `to`. Nothing
    /// is sent for an update that changed nothing.
    async fn store_and_broadcast(&mut self, update: Vec<u8>, to: Recipients) -> Result<(), String> {
        if is_empty_update(&update) {
            return Ok(());
        }
        let update = Bytes::from(update);
        let seq = self
            .rooms
            .store
            .append(&self.name, update.clone())
            .await
            .map_err(|error| format!("could not store an edit: {error}"))?;
        if self.follower.is_some() {
            self.own_entries.push_back(seq);
        } else {
            self.last_seq = seq;
        }
        Metrics::add(&self.rooms.metrics.updates_stored_total);
        self.since_snapshot.updates += 1;
        self.since_snapshot.bytes += update.len();
        self.send(to, Delivery::Frame(encode_update(&update)));
        self.changed();
        self.compact(false).await;
        Ok(())
    }

    /// Applies the server's own edits (from the HTTP API), each in its own
    /// transaction, stores and broadcasts them, then tells each caller.
    async fn apply_server_edits(&mut self, edits: Vec<ServerEdit>) -> Result<(), String> {
        for edit in edits {
            let applied = catch_unwind(AssertUnwindSafe(|| {
                let mut txn = self.doc.transact_mut();
                let deliver = edit(&mut txn);
                (deliver, txn.encode_update_v1())
            }));
            let Ok((deliver, update)) = applied else {
                return Err(RELOADED.into());
            };
            if let Ok(summary) = inspect_update(&update) {
                self.shared_types = self.shared_types.saturating_add(summary.type_items);
            }
            let stored = self.store_and_broadcast(update, Recipients::All).await;
            deliver(stored.clone());
            stored?;
        }
        Ok(())
    }

    /// Notes that the document changed: a recommendation's summary in its
    /// space's index is refreshed shortly after (once for a burst of edits).
    fn changed(&mut self) {
        if self.kind == DocKind::Recommendation && self.summary_due.is_none() {
            self.summary_due = Some(tokio::time::Instant::now() + SUMMARY_DELAY);
        }
    }

    /// Sends the recommendation's summary to the space index if it changed.
    fn refresh_summary(&mut self) {
        self.summary_due = None;
        let Some(summary) = recommendation_summary(&self.doc.transact()) else {
            return;
        };
        if self.last_summary.as_ref() == Some(&summary) {
            return;
        }
        self.last_summary = Some(summary.clone());
        let Ok(index) = DocName::new(self.name.space(), INDEX_DOC) else {
            return;
        };
        let rooms = self.rooms.clone();
        self.rooms.tasks.spawn(async move {
            if let Err(error) = rooms
                .edit(&index, move |txn| update_summary(txn, &summary))
                .await
            {
                warn!(doc = %index, %error, "could not refresh a summary in the space index");
            }
        });
    }

    fn reply(&mut self, request: Request) {
        match request {
            Request::Join {
                connection,
                private,
            } => {
                self.private.get_mut().insert(connection, private);
                let state_vector = self.doc.transact().state_vector().encode_v1();
                self.send(
                    Recipients::Only(connection),
                    Delivery::Frame(encode_sync_step1(&state_vector)),
                );
                let everyone = self.awareness.snapshot();
                self.broadcast_awareness(Recipients::Only(connection), &everyone);
            }
            Request::SyncStep1 { from, state_vector } => {
                match StateVector::decode_v1(&state_vector) {
                    Ok(state_vector) => {
                        let missing = self.doc.transact().encode_state_as_update_v1(&state_vector);
                        self.send(
                            Recipients::Only(from),
                            Delivery::Frame(encode_sync_step2(&missing)),
                        );
                    }
                    Err(error) => self.close(
                        from,
                        close_code::INVALID_PAYLOAD,
                        &format!("bad state vector: {error}"),
                    ),
                }
            }
            Request::QueryAwareness(connection) => {
                let everyone = self.awareness.snapshot();
                self.broadcast_awareness(Recipients::Only(connection), &everyone);
            }
            Request::Read(read) => read(&self.doc.transact()),
            Request::Update { .. }
            | Request::Awareness { .. }
            | Request::Leave(_)
            | Request::Edit(_) => {}
        }
    }

    /// Writes a snapshot once enough updates have piled up since the last
    /// one (or at all, when `always`), so the next load reads little.
    async fn compact(&mut self, always: bool) {
        let config = &self.rooms.config;
        let due = self.since_snapshot.updates >= config.compact_after_updates
            || self.since_snapshot.bytes >= config.compact_after_bytes;
        if self.damaged || self.since_snapshot.updates == 0 || !(due || always) {
            return;
        }
        let doc = self.doc.clone();
        let encoded = tokio::task::spawn_blocking(move || {
            doc.transact()
                .encode_state_as_update_v1(&StateVector::default())
        })
        .await;
        let Ok(state) = encoded else {
            return;
        };
        let snapshot = Snapshot {
            state: state.into(),
            covers: self.last_seq,
        };
        self.since_snapshot = Backlog::default();
        let store = self.rooms.store.clone();
        let name = self.name.clone();
        // Compaction is an optimisation: the log already holds everything,
        // so the room need not wait for it, and a failure loses nothing.
        let write = async move {
            match store.compact(&name, snapshot).await {
                Ok(_) => debug!(doc = %name, "compacted"),
                Err(error) => warn!(doc = %name, %error, "compaction failed"),
            }
        };
        if always {
            write.await;
        } else {
            self.rooms.tasks.spawn(write);
        }
    }

    fn close(&self, connection: ConnectionId, code: u16, reason: &str) {
        self.send(
            Recipients::Only(connection),
            Delivery::Close {
                code,
                reason: Arc::from(reason),
            },
        );
    }

    fn broadcast_awareness(&self, to: Recipients, update: &AwarenessUpdate) {
        if !update.is_empty() {
            self.send(to, Delivery::Frame(encode_awareness(&update.encode())));
        }
    }

    fn send(&self, to: Recipients, delivery: Delivery) {
        if let Recipients::Only(connection) = to
            && let Some(private) = self.private.borrow_mut().get_mut(&connection)
        {
            match private.try_send(delivery) {
                // A connection that is gone needs nothing.
                Ok(()) => return,
                Err(error) if error.is_disconnected() => return,
                Err(_) => {
                    // Full: it does not read what it asked for. The close
                    // goes the shared way, which always has room.
                    let close = Delivery::Close {
                        code: close_code::TRY_AGAIN_LATER,
                        reason: Arc::from("too slow to read the server's replies; reconnect"),
                    };
                    let _ = self.handle.outgoing.send(Outgoing {
                        to,
                        delivery: close,
                    });
                    return;
                }
            }
        }
        // No receivers just means nobody is connected right now.
        let _ = self.handle.outgoing.send(Outgoing { to, delivery });
    }
}

/// Decodes an update (v1) and applies it in `txn`.
pub(crate) fn apply_in(txn: &mut TransactionMut, update: &[u8]) -> Result<(), String> {
    let update = Update::decode_v1(update).map_err(|e| e.to_string())?;
    txn.apply_update(update).map_err(|e| e.to_string())
}

/// Applies one update in a transaction of its own: yrs takes time
/// quadratic in the number of large updates applied in one transaction
/// (measured: 510 stored batches of a trace, 3 s in one, 0.14 s apart).
fn apply_one(doc: &Doc, update: &[u8]) -> Result<(), String> {
    apply_in(&mut doc.transact_mut(), update)
}

fn is_empty_update(update: &[u8]) -> bool {
    inspect_update(update).is_ok_and(|summary| summary.is_empty())
}

/// Waits until the summary is due; forever while none is.
async fn summary_timer(due: Option<tokio::time::Instant>) {
    match due {
        Some(due) => tokio::time::sleep_until(due).await,
        None => std::future::pending().await,
    }
}

/// Waits for the follower's next message; forever where there is none.
async fn next_followed(
    follower: &mut Option<mpsc::Receiver<Result<Followed, StoreError>>>,
) -> Option<Result<Followed, StoreError>> {
    match follower {
        Some(follower) => follower.recv().await,
        None => std::future::pending().await,
    }
}

/// What merging a stored document found.
pub(crate) struct Merged {
    /// How many shared types the stored document holds.
    shared_types: u32,
    /// Some stored part did not apply (and was skipped).
    damaged: bool,
}

/// Merges a stored document into `doc` (empty, or a reload's catch-up).
pub(crate) fn merge_stored(doc: &Doc, name: &DocName, stored: &StoredDoc) -> Merged {
    let mut shared_types = 0u32;
    let mut damaged = false;
    let parts = stored
        .snapshot
        .iter()
        .map(|s| &s.state)
        .chain(&stored.updates);
    for bytes in parts {
        let applied = inspect_update(bytes)
            .map_err(|e| e.to_string())
            .and_then(|summary| {
                shared_types = shared_types.saturating_add(summary.type_items);
                apply_one(doc, bytes)
            });
        if let Err(error) = applied {
            damaged = true;
            error!(doc = %name, %error, "skipped a stored update that does not apply; the document will not be compacted");
        }
    }
    info!(doc = %name, seq = stored.last_seq, updates = stored.updates.len(), "document loaded");
    Merged {
        shared_types,
        damaged,
    }
}
