//! The actor that owns one open document: its select loop, and the IO
//! around the room's core (store, broadcast, follow, compact).
//!
//! The actor takes requests in batches: everything queued while it was busy
//! is applied in one transaction, stored with one write, then broadcast as
//! one update. So the store is written before anyone hears of an edit, and a
//! slow store write makes the next batch larger rather than the queue longer.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use bytes::Bytes;
use draftroom_model::{INDEX_DOC, RecommendationSummary, update_summary};
use draftroom_protocol::{
    AwarenessRefusal, AwarenessTable, AwarenessUpdate, close_code, encode_awareness,
    encode_permission_denied, encode_sync_step1, encode_sync_step2, encode_update, inspect_update,
};
use draftroom_store::{DocName, Followed, Seq, Snapshot, StoreError, StoredDoc};
use tokio::sync::mpsc;
use tracing::{debug, error, info, warn};
use yrs::{ReadTxn, StateVector, Transact};

use super::core::{Panicked, RoomCore, is_empty_update};
use super::load::merge_stored;
use super::messages::{
    ClientEdit, ConnectionId, Delivery, Outgoing, PrivateSender, Recipients, Request, ServerEdit,
};
use super::registry::{RoomHandle, Rooms};
use crate::metrics::Metrics;

/// How long a recommendation waits after a change before refreshing its
/// summary in the index, so a burst of typing costs one refresh.
const SUMMARY_DELAY: Duration = Duration::from_millis(200);

/// Why a room stopped after yrs panicked; its clients reconnect and resync.
const RELOADED: &str = "the document hit an internal error and was reloaded; reconnect";

/// A state vector that names no client, encoded (v1): a newcomer's.
const EMPTY_STATE_VECTOR: &[u8] = &[0];

/// Requests one batch takes at most, so that replies are not held back
/// behind an endless stream of edits.
const MAX_BATCH: usize = 512;

impl From<Panicked> for String {
    fn from(_: Panicked) -> String {
        RELOADED.into()
    }
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
pub(crate) struct Room {
    name: DocName,
    core: RoomCore,
    awareness: AwarenessTable,
    /// The last log entry the document holds together with every entry
    /// before it: what a snapshot of it may claim to cover.
    last_seq: Seq,
    /// The log as other servers append to it, where the store is shared.
    follower: Option<mpsc::Receiver<Result<Followed, StoreError>>>,
    /// Entries this room appended that the follower has not passed yet;
    /// they are already in the document, so the follower skips them.
    own_entries: VecDeque<Seq>,
    since_snapshot: Backlog,
    /// The size of the last snapshot: with the backlog, what the document
    /// takes in the store, which `max_document_bytes` bounds.
    snapshot_bytes: usize,
    /// When the last connection left, while nobody is connected.
    idle_since: Option<Instant>,
    /// Some stored part did not apply: compaction would drop it from the
    /// store for good, so this room never compacts.
    damaged: bool,
    /// When to refresh the summary in the space index, if a change awaits it.
    summary_due: Option<tokio::time::Instant>,
    /// The summary last sent to the index.
    last_summary: Option<RecommendationSummary>,
    /// The sync step 2 a newcomer (an empty state vector) is sent: the
    /// whole document, encoded once until it changes rather than once for
    /// each of a crowd joining. Loaded as the snapshot where nothing
    /// follows it.
    whole: Option<Bytes>,
    /// Updates applied since the read-only connections last heard, and
    /// when they are sent them, merged (see `Config::watch_window`).
    watched: Vec<Bytes>,
    watch_due: Option<tokio::time::Instant>,
    /// Each connection's own channel (see [`PrivateSender`]). In a cell
    /// because sending needs `&mut`, and the room sends from `&self`.
    private: RefCell<HashMap<ConnectionId, PrivateSender>>,
    handle: RoomHandle,
    rooms: Rooms,
}

/// When a room writes a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compaction {
    /// Once enough updates have piled up since the last snapshot; written
    /// in the background.
    IfDue,
    /// Now, as the room unloads, if anything is new; waited for.
    Final,
}

/// Why a room stopped.
enum Stop {
    Idle,
    Shutdown,
    Failed(String),
}

impl Room {
    pub(crate) fn new(name: DocName, handle: RoomHandle, rooms: Rooms) -> Room {
        Room {
            core: RoomCore::new(name.doc(), rooms.config.max_shared_types),
            name,
            awareness: AwarenessTable::new(rooms.config.awareness.clone()),
            last_seq: 0,
            follower: None,
            own_entries: VecDeque::new(),
            since_snapshot: Backlog::default(),
            snapshot_bytes: 0,
            idle_since: Some(Instant::now()),
            damaged: false,
            summary_due: None,
            last_summary: None,
            whole: None,
            watched: Vec::new(),
            watch_due: None,
            private: RefCell::default(),
            handle,
            rooms,
        }
    }

    pub(crate) async fn run(mut self, mut inbox: mpsc::Receiver<Request>) {
        let stop = match self.load().await {
            Ok(()) => self.serve(&mut inbox).await,
            Err(error) => Stop::Failed(format!("could not load the document: {error}")),
        };
        let reason = match &stop {
            Stop::Idle => "idle",
            Stop::Shutdown => "shutdown",
            Stop::Failed(reason) => reason,
        };
        // Read-only connections hear every update before the room goes.
        self.send_watched();
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
        self.rooms.unregister(&self.name, self.handle.id);
        if !matches!(stop, Stop::Failed(_)) {
            self.compact(Compaction::Final).await;
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
        self.snapshot_bytes = stored.snapshot.as_ref().map_or(0, |s| s.state.len());
        self.follower = self.rooms.store.follow(&self.name, stored.last_seq);
        let whole = match (&stored.snapshot, stored.updates.is_empty()) {
            (Some(snapshot), true) => Some(encode_sync_step2(&snapshot.state)),
            _ => None,
        };
        self.apply_stored(stored).await?;
        // What did not apply is not in the document either.
        self.whole = whole.filter(|_| !self.damaged);
        Ok(())
    }

    /// Applies a stored document in the blocking pool (a long log is CPU
    /// work).
    async fn apply_stored(&mut self, stored: StoredDoc) -> Result<(), StoreError> {
        let doc = self.core.doc().clone();
        let name = self.name.clone();
        let merged = tokio::task::spawn_blocking(move || merge_stored(&doc, &name, &stored))
            .await
            .map_err(|_| StoreError::Corrupt("applying the stored document failed".into()))?;
        self.damaged |= merged.damaged;
        self.core.count_types(merged.shared_types);
        self.core.loaded();
        Ok(())
    }

    /// Catches up after the follower missed entries that a compaction
    /// removed: merges the stored document into this one and sends clients
    /// whatever that changed.
    async fn reload(&mut self) -> Result<(), StoreError> {
        let stored = self.rooms.store.load(&self.name).await?;
        let before = self.core.doc().transact().state_vector();
        self.last_seq = self.last_seq.max(stored.last_seq);
        self.apply_stored(stored).await?;
        let missed = self
            .core
            .doc()
            .transact()
            .encode_state_as_update_v1(&before);
        if !is_empty_update(&missed) {
            self.send_update(Recipients::All, Bytes::from(missed));
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
                        && self.rooms.close_if_unused(&self.name, self.handle.id)
                    {
                        break Stop::Idle;
                    }
                }
                () = until(self.summary_due) => self.refresh_summary(),
                () = until(self.watch_due) => self.send_watched(),
                followed = next_followed(&mut self.follower) => {
                    if let Err(reason) = self.handle_followed(followed).await {
                        return Stop::Failed(reason);
                    }
                }
                () = self.handle.evicted.cancelled() => break Stop::Idle,
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
        // A summary still due is sent now: the index would otherwise show
        // stale counts until the recommendation next changes.
        if self.summary_due.is_some() {
            self.refresh_summary();
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
                    self.core.count_types(summary.type_items);
                    remote.push((update, summary.shape));
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
        self.since_snapshot.bytes += remote.iter().map(|(update, _)| update.len()).sum::<usize>();
        // Each entry is what another server applied and stored: pass it on
        // as it is, once applied here.
        for (update, shape) in remote {
            match self.core.apply_stored(&update, &shape)? {
                Ok(()) => {
                    self.send_update(Recipients::All, update);
                    self.changed();
                }
                Err(error) => {
                    error!(doc = %self.name, %error, "skipped a stored update that does not apply")
                }
            }
        }
        self.compact(Compaction::IfDue).await;
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
                Request::Update(edit) => edits.push(edit),
                Request::Join { .. }
                | Request::SyncStep1 { .. }
                | Request::QueryAwareness(_)
                | Request::Read(_) => replies.push(request),
                Request::Edit(edit) => server_edits.push(edit),
                Request::Awareness { from, update } => {
                    let applied = self.awareness.apply(&from, update, now);
                    self.broadcast_awareness(Recipients::AllBut(from.connection), &applied.changed);
                    if let Some(refusal) = applied.refused {
                        self.refuse_awareness(from.connection, &refusal);
                    }
                }
                Request::Leave(connection) => {
                    self.private.get_mut().remove(&connection);
                    let removed = self.awareness.remove_connection(connection, now);
                    self.broadcast_awareness(Recipients::All, &removed);
                }
            }
        }
        if !edits.is_empty() {
            self.apply_client_edits(&edits).await?;
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

    /// Applies the batch's edits, stores what changed, then broadcasts it.
    async fn apply_client_edits(&mut self, edits: &[ClientEdit]) -> Result<(), String> {
        let size = self.snapshot_bytes + self.since_snapshot.bytes;
        let room = self.rooms.config.max_document_bytes.saturating_sub(size);
        let applied = self.core.apply_client_edits(edits, room)?;
        for (connection, reason) in &applied.put_back {
            Metrics::add(&self.rooms.metrics.edits_put_back_total);
            info!(doc = %self.name, connection, %reason, "edit put back");
            self.send(
                Recipients::Only(*connection),
                Delivery::Frame(encode_permission_denied(reason)),
            );
        }
        for (connection, refusal) in &applied.refused {
            let connection = *connection;
            Metrics::add(&self.rooms.metrics.edits_refused_total);
            warn!(doc = %self.name, connection, reason = %refusal.reason, "edit refused");
            self.close(connection, refusal.code, &refusal.reason);
        }
        if applied.restored {
            warn!(doc = %self.name, connections = ?applied.origins, "put back parts only the server may change");
        }
        self.store_and_broadcast(applied.update, applied.to).await?;
        if applied.pending {
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
    /// is stored or sent for an update that changed nothing.
    async fn store_and_broadcast(&mut self, update: Vec<u8>, to: Recipients) -> Result<(), String> {
        if update.is_empty() {
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
        self.send_update(to, update);
        self.changed();
        self.compact(Compaction::IfDue).await;
        Ok(())
    }

    /// Applies the server's own edits, each in its own transaction, stores
    /// and broadcasts them, then tells each caller.
    async fn apply_server_edits(&mut self, edits: Vec<ServerEdit>) -> Result<(), String> {
        for edit in edits {
            let (deliver, update) = self.core.apply_server_edit(edit)?;
            let stored = self.store_and_broadcast(update, Recipients::All).await;
            deliver(stored.clone());
            stored?;
        }
        Ok(())
    }

    /// Notes that the document changed: what a newcomer is sent is encoded
    /// anew, and a recommendation's summary in its space's index is
    /// refreshed shortly after (once for a burst of edits).
    fn changed(&mut self) {
        self.whole = None;
        if self.core.summarized() && self.summary_due.is_none() {
            self.summary_due = Some(tokio::time::Instant::now() + SUMMARY_DELAY);
        }
    }

    /// Sends the recommendation's summary to the space index if it changed.
    fn refresh_summary(&mut self) {
        self.summary_due = None;
        let Some(summary) = self.core.summary() else {
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
                let state_vector = self.core.state_vector();
                self.send(
                    Recipients::Only(connection),
                    Delivery::Frame(encode_sync_step1(&state_vector)),
                );
                let everyone = self.awareness.snapshot();
                self.broadcast_awareness(Recipients::Only(connection), &everyone);
            }
            Request::SyncStep1 { from, state_vector } => {
                let newcomer = state_vector.as_ref() == EMPTY_STATE_VECTOR;
                if newcomer && let Some(whole) = &self.whole {
                    self.send(Recipients::Only(from), Delivery::Frame(whole.clone()));
                    return;
                }
                match self.core.missing_since(&state_vector) {
                    Ok(missing) => {
                        let frame = encode_sync_step2(&missing);
                        if newcomer {
                            self.whole = Some(frame.clone());
                        }
                        self.send(Recipients::Only(from), Delivery::Frame(frame));
                    }
                    Err(reason) => self.close(from, close_code::INVALID_PAYLOAD, &reason),
                }
            }
            Request::QueryAwareness(connection) => {
                let everyone = self.awareness.snapshot();
                self.broadcast_awareness(Recipients::Only(connection), &everyone);
            }
            Request::Read(read) => read(&self.core.doc().transact()),
            Request::Update(_)
            | Request::Awareness { .. }
            | Request::Leave(_)
            | Request::Edit(_) => {}
        }
    }

    /// Writes a snapshot, so the next load reads little.
    async fn compact(&mut self, when: Compaction) {
        let config = &self.rooms.config;
        let due = match when {
            // Each compaction writes the whole document, so a large one
            // waits until the updates since add up to its size: the cost
            // of compacting stays proportional to what was written,
            // however large the document.
            Compaction::IfDue => {
                self.since_snapshot.updates >= config.compact_after_updates
                    || self.since_snapshot.bytes
                        >= config.compact_after_bytes.max(self.snapshot_bytes)
            }
            Compaction::Final => true,
        };
        if self.damaged || self.since_snapshot.updates == 0 || !due {
            return;
        }
        let doc = self.core.doc().clone();
        let encoded = tokio::task::spawn_blocking(move || {
            doc.transact()
                .encode_state_as_update_v1(&StateVector::default())
        })
        .await;
        let Ok(state) = encoded else {
            return;
        };
        self.snapshot_bytes = state.len();
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
        match when {
            Compaction::Final => write.await,
            Compaction::IfDue => {
                self.rooms.tasks.spawn(write);
            }
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

    /// A connection that would hold too much awareness is closed. A state
    /// refused because the document holds all the presence it may is
    /// only not shown: its sender stays, as does everyone else, and is not
    /// told, since the one message that could say so (permission denied)
    /// reads to clients, the web app among them, as a refused edit.
    fn refuse_awareness(&self, connection: ConnectionId, refusal: &AwarenessRefusal) {
        let reason = refusal.to_string();
        warn!(doc = %self.name, connection, %reason, "awareness refused");
        if let AwarenessRefusal::ConnectionFull { .. } = refusal {
            self.close(connection, close_code::UNPROCESSABLE, &reason);
        }
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
                    self.broadcast(Outgoing {
                        to,
                        delivery: close,
                    });
                    return;
                }
            }
        }
        self.broadcast(Outgoing { to, delivery });
    }

    /// Sends on both of the room's channels, those that exist.
    fn broadcast(&self, outgoing: Outgoing) {
        for channel in [&self.handle.editing, &self.handle.watching] {
            // No receivers just means nobody is connected right now.
            if let Some(channel) = channel.get() {
                let _ = channel.send(outgoing.clone());
            }
        }
    }

    /// Sends an update the document applied: to editors at once, to
    /// read-only connections with the others of its window (at once if
    /// the window is zero).
    fn send_update(&mut self, to: Recipients, update: Bytes) {
        if let Some(editing) = self.handle.editing.get() {
            let _ = editing.send(Outgoing {
                to,
                delivery: Delivery::Frame(encode_update(&update)),
            });
        }
        if self.handle.watching.get().is_none() {
            return;
        }
        self.watched.push(update);
        let window = self.rooms.config.watch_window;
        if window.is_zero() {
            self.send_watched();
        } else if self.watch_due.is_none() {
            self.watch_due = Some(tokio::time::Instant::now() + window);
        }
    }

    /// Sends the read-only connections the updates of the window, merged
    /// into one (each on its own should they not merge), in the order
    /// applied. An update comes from an editor, never from one of them, so
    /// all of them hear it.
    fn send_watched(&mut self) {
        self.watch_due = None;
        let (Some(watching), false) = (self.handle.watching.get(), self.watched.is_empty()) else {
            return;
        };
        let updates = std::mem::take(&mut self.watched);
        let merged = match updates.as_slice() {
            [one] => Ok(vec![one.clone()]),
            many => yrs::merge_updates_v1(many.iter().map(|update| update.as_ref()))
                .map(|merged| vec![Bytes::from(merged)]),
        };
        let frames = merged.unwrap_or_else(|error| {
            warn!(doc = %self.name, %error, "updates for read-only connections did not merge; sent one by one");
            updates
        });
        for update in frames {
            let _ = watching.send(Outgoing {
                to: Recipients::All,
                delivery: Delivery::Frame(encode_update(&update)),
            });
        }
    }
}

/// Waits until `due`; forever while nothing is due.
async fn until(due: Option<tokio::time::Instant>) {
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
