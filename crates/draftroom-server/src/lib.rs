//! Draftroom's server: websocket rooms where stock Yjs clients co-edit
//! documents, and HTTP beside them.
//!
//! The pieces, from the outside in:
//! - [`Server`] binds, serves, and shuts down in order: stop accepting,
//!   close every connection, let every document flush, then return.
//! - `http`: routes; tokens are checked before a websocket is upgraded.
//! - `connection`: one task per websocket; frames are checked by
//!   `draftroom-protocol` before anything else sees them.
//! - `room`: one actor per open document, the only owner of its `yrs::Doc`;
//!   it stores every edit before broadcasting it.

mod api;
mod config;
mod connection;
mod demo;
mod http;
mod metrics;
mod room;
mod web;
mod workflow;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use axum::serve::ListenerExt;
use draftroom_auth::Secret;
use draftroom_store::Store;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{info, warn};

pub use config::Config;
pub use demo::DEMO_SPACE;
pub use http::TOKEN_COOKIE;

/// yrs walks nested shared types recursively; a generous stack per worker
/// thread (only the pages touched use memory) leaves headroom far beyond the
/// nesting that [`Config::max_shared_types`] allows.
pub const WORKER_STACK_SIZE: usize = 64 * 1024 * 1024;

/// The runtime a server runs on: multi-threaded, with [`WORKER_STACK_SIZE`]
/// stacks for the threads that run yrs.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK_SIZE)
        .build()
}

/// How long shutdown waits for connections and documents to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Exports a space straight from a store (no server needed): `format` is
/// `akn`, `md` or `html`. For the embedded store, the server must not be
/// running (it holds the store's file); Redis can be read any time.
pub async fn export_from_store(
    store: Arc<dyn Store>,
    space: &str,
    format: &str,
) -> Result<String, String> {
    let format: draftroom_model::Format = format
        .parse()
        .map_err(|e: draftroom_model::ModelError| e.to_string())?;
    let gathered = api::gather_export(space, |name| {
        let store = store.clone();
        async move {
            let stored = store.load(&name).await.map_err(|error| error.to_string())?;
            let doc = yrs::Doc::new();
            room::merge_stored(&doc, &name, &stored);
            Ok::<_, String>(doc)
        }
    })
    .await?
    .ok_or_else(|| format!("no space {space:?} in this store"))?;
    Ok(draftroom_model::export(&gathered, format))
}

/// A bound, not yet running, server.
pub struct Server {
    listener: TcpListener,
    state: http::AppState,
}

impl Server {
    /// Binds `config.listen`; serving starts with [`Server::run`].
    pub async fn bind(
        config: Config,
        store: Arc<dyn Store>,
        secret: Secret,
    ) -> std::io::Result<Server> {
        let listener = TcpListener::bind(config.listen).await?;
        let config = Arc::new(config);
        let shutdown = CancellationToken::new();
        let tasks = TaskTracker::new();
        let metrics = Arc::new(metrics::Metrics::default());
        let rooms = room::Rooms::new(
            store.clone(),
            config.clone(),
            metrics.clone(),
            shutdown.clone(),
            tasks.clone(),
        );
        let state = http::AppState {
            config,
            secret,
            store,
            rooms,
            metrics,
            shutdown,
            tasks,
            next_connection: Arc::new(AtomicU64::new(1)),
            store_ok_at: Arc::new(AtomicU64::new(0)),
        };
        Ok(Server { listener, state })
    }

    /// Creates the demo space (the seed's working group) unless it exists.
    /// Returns whether it did.
    pub async fn seed_demo(&self) -> Result<bool, String> {
        demo::seed(&self.state.rooms)
            .await
            .map_err(|error| error.to_string())
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `stop` is cancelled, then shuts down in order and returns.
    pub async fn run(self, stop: CancellationToken) -> std::io::Result<()> {
        let state = self.state.clone();
        let shutdown = state.shutdown.clone();
        // Upgraded websockets are not part of axum's graceful shutdown: they
        // hear of it through `shutdown` and close with 1001 "going away",
        // while their documents write a last snapshot.
        // Small frames go out at once: Nagle's algorithm would hold an edit
        // back until the previous one is acknowledged (up to 40 ms with
        // delayed ACKs).
        let listener = self.listener.tap_io(|stream| {
            if let Err(error) = stream.set_nodelay(true) {
                warn!(%error, "could not set TCP_NODELAY on a connection");
            }
        });
        // A make-service hands each connection the same routes; a bare
        // Router would rebuild its route table for every connection.
        let result = axum::serve(listener, http::router(self.state).into_make_service())
            .with_graceful_shutdown(async move {
                stop.cancelled().await;
                info!("shutting down: closing connections and flushing documents");
                shutdown.cancel();
            })
            .await;
        state.shutdown.cancel();
        state.tasks.close();
        if tokio::time::timeout(SHUTDOWN_GRACE, state.tasks.wait())
            .await
            .is_err()
        {
            warn!(
                loaded = state.rooms.loaded(),
                "some connections or documents did not finish within {SHUTDOWN_GRACE:?}"
            );
        }
        result
    }
}
