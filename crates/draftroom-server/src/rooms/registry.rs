//! Every loaded document, by name: joining a room loads its document if
//! nobody has it open, and the server's own reads and edits go through the
//! same rooms as clients' edits.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use draftroom_store::{DocName, Store};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use yrs::{Transact, Transaction, TransactionMut};

use super::actor::Room;
use super::core::new_doc;
use super::messages::{Outgoing, Request, ServerEdit, ServerRead};
use crate::config::Config;
use crate::metrics::Metrics;

/// Why the server could not edit or read a document.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RoomError {
    #[error("the document could not be opened (is the store up?)")]
    Unavailable,
    #[error("the change could not be stored: {0}")]
    Failed(String),
    #[error("the server holds as many open documents as it may, all in use; try again shortly")]
    Full,
}

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

/// One of a room's broadcast channels, made when the first connection
/// that hears it joins: a room only observers follow holds no ring for
/// editors, and one only editors follow none for observers.
pub(crate) type Channel = Arc<OnceLock<broadcast::Sender<Outgoing>>>;

/// The registry's entry for one room: how to reach its actor.
#[derive(Clone)]
pub(crate) struct RoomHandle {
    pub(crate) id: u64,
    pub(crate) requests: mpsc::Sender<Request>,
    /// What the room sends its connections that may edit.
    pub(crate) editing: Channel,
    /// What it sends its read-only connections: the same, but the
    /// document's updates merged per `watch_window`. A channel of their
    /// own, so an update to editors wakes no watcher.
    pub(crate) watching: Channel,
    /// Live memberships. Only ever raised under the registry lock, so a room
    /// that sees zero under that lock knows nobody can be joining it.
    pub(crate) connections: Arc<AtomicUsize>,
    /// When the room was last joined, as a count of joins: the least
    /// recently used unload first when too many are open.
    last_used: Arc<AtomicU64>,
    /// Cancelled when the room is unloaded to make room for another; its
    /// actor then stops as if idle (a last snapshot, then gone).
    pub(crate) evicted: CancellationToken,
}

/// What every room shares: where documents are stored, how rooms behave,
/// and the server's shutdown and task tracking. Cloning is cheap.
#[derive(Clone)]
pub(crate) struct Rooms {
    /// Held only to look up, insert or remove, never across an `.await`, so
    /// a std mutex is right here. An entry lives from the first join until
    /// its actor removes it on stopping.
    registry: Arc<Mutex<HashMap<DocName, RoomHandle>>>,
    next_id: Arc<AtomicU64>,
    /// Joins so far: a room's last join is when it was last used.
    joins: Arc<AtomicU64>,
    pub(crate) store: Arc<dyn Store>,
    pub(crate) config: Arc<Config>,
    pub(crate) metrics: Arc<Metrics>,
    /// Cancelled when the server shuts down: every actor writes a last
    /// snapshot and stops.
    pub(crate) shutdown: CancellationToken,
    /// Every actor and background write, so shutdown can wait for them.
    pub(crate) tasks: TaskTracker,
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
            joins: Arc::new(AtomicU64::new(0)),
            store,
            config,
            metrics,
            shutdown,
            tasks,
        }
    }

    /// Joins the room of `name`, loading the document if nobody has it open,
    /// as a connection that may edit or, `watches`, one that only reads.
    /// At most `max_open_documents` are open: to open one more, the least
    /// recently used that nobody holds is unloaded; if every one is held,
    /// the join is refused.
    pub(crate) fn join(&self, name: &DocName, watches: bool) -> Result<Membership, RoomError> {
        let mut registry = self
            .registry
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if !registry.contains_key(name) && registry.len() >= self.config.max_open_documents {
            let unused = registry
                .iter()
                .filter(|(_, handle)| handle.connections.load(Ordering::Acquire) == 0)
                .min_by_key(|(_, handle)| handle.last_used.load(Ordering::Relaxed))
                .map(|(name, _)| name.clone());
            let evicted = unused
                .and_then(|name| registry.remove(&name))
                .ok_or(RoomError::Full)?;
            evicted.evicted.cancel();
            Metrics::add(&self.metrics.documents_unloaded_for_room_total);
        }
        let handle = registry
            .entry(name.clone())
            .or_insert_with(|| self.open(name.clone()));
        handle.connections.fetch_add(1, Ordering::AcqRel);
        handle.last_used.store(
            self.joins.fetch_add(1, Ordering::Relaxed),
            Ordering::Relaxed,
        );
        Ok(Membership {
            requests: handle.requests.clone(),
            outgoing: {
                let channel = if watches {
                    &handle.watching
                } else {
                    &handle.editing
                };
                let queue = self.config.outgoing_queue;
                channel
                    .get_or_init(|| broadcast::channel(queue).0)
                    .subscribe()
            },
            connections: handle.connections.clone(),
        })
    }

    /// Whether `name` is open here or stored: what is neither is empty, and
    /// needs no loading to be read.
    pub(crate) async fn exists(&self, name: &DocName) -> Result<bool, RoomError> {
        let open = self
            .registry
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .contains_key(name);
        Ok(open
            || self
                .store
                .exists(name)
                .await
                .map_err(|_| RoomError::Unavailable)?)
    }

    /// Makes a change to a document (loading it if needed) and returns
    /// `f`'s answer once the change is stored and broadcast.
    pub(crate) async fn edit<T: Send + 'static>(
        &self,
        name: &DocName,
        f: impl FnOnce(&mut TransactionMut) -> T + Send + 'static,
    ) -> Result<T, RoomError> {
        let membership = self.join(name, false)?;
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

    /// Reads a document (loading it if needed) with `f`. A document never
    /// stored is read as empty, without loading it.
    pub(crate) async fn read<T: Send + 'static>(
        &self,
        name: &DocName,
        f: impl FnOnce(&Transaction) -> T + Send + 'static,
    ) -> Result<T, RoomError> {
        if !self.exists(name).await? {
            // Nothing stored: read an empty document rather than load one,
            // so asking after documents that do not exist costs nothing.
            return Ok(f(&new_doc().transact()));
        }
        let membership = self.join(name, false)?;
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
        let handle = RoomHandle {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            requests,
            editing: Arc::default(),
            watching: Arc::default(),
            connections: Arc::new(AtomicUsize::new(0)),
            last_used: Arc::new(AtomicU64::new(0)),
            evicted: CancellationToken::new(),
        };
        let room = Room::new(name, handle.clone(), self.clone());
        self.tasks.spawn(room.run(inbox));
        handle
    }

    /// Removes the room if nobody holds it. Returns whether it is gone from
    /// the registry.
    pub(crate) fn close_if_unused(&self, name: &DocName, room_id: u64) -> bool {
        self.remove_if(name, room_id, |handle| {
            handle.connections.load(Ordering::Acquire) == 0
        })
    }

    /// Removes the room whatever holds it: its actor is stopping.
    pub(crate) fn unregister(&self, name: &DocName, room_id: u64) {
        self.remove_if(name, room_id, |_| true);
    }

    /// Removes room `room_id` of `name` if `unused` says so. A newer room of
    /// the same name is left alone. Returns whether the room is gone.
    fn remove_if(
        &self,
        name: &DocName,
        room_id: u64,
        unused: impl Fn(&RoomHandle) -> bool,
    ) -> bool {
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
        if unused(handle) {
            registry.remove(name);
            true
        } else {
            false
        }
    }
}
