//! Draftroom's server: websocket rooms where stock Yjs clients co-edit
//! documents, and HTTP beside them.
//!
//! Its layers depend downward only:
//! - [`Server`] (here) binds, serves, and shuts down in order: stop
//!   accepting, close every connection, let every document flush, then
//!   return.
//! - `http`: the one route table, the websocket endpoint and connections,
//!   health, the web app's files and sign-in, wire types, error mapping.
//! - `ops`: every operation people do (spaces, recommendations, proposals
//!   and merges, versions, diffs, audit, export, links, the demo), with the
//!   roles each needs; no HTTP in it.
//! - `rooms`: one actor per open document, the only owner of its
//!   `yrs::Doc`; it stores every edit before broadcasting it.
//! - `config`, `metrics`, `clock`: what every layer may use.

mod clock;
mod config;
mod http;
mod metrics;
mod ops;
mod rooms;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use draftroom_auth::Secret;
use draftroom_store::Store;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{info, warn};

pub use config::Config;
// The type of one of the config's settings.
pub use draftroom_protocol::AwarenessLimits;
pub use http::TOKEN_COOKIE;
#[cfg(feature = "fuzzing")]
pub use http::fuzzing;
pub use http::origin::normalize as normalize_origin;
pub use http::web_schema::{WebSchema, web_schema};
pub use ops::demo::DEMO_SPACE;

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

/// An error of the command line's operations, with its cause kept.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// What the command line asks an export for: `format` is `akn`, `md`,
/// `html` or `docx`; `statuses` a comma list (none: all); `version` a
/// named version's id (none: the live text); `annex` adds who proposed
/// what; `since` a named version's id, to report what changed since it.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    pub format: String,
    pub comments: bool,
    pub annex: bool,
    pub since: Option<String>,
    pub version: Option<String>,
    pub statuses: Option<String>,
}

/// Exports a space straight from a store (no server needed). For the
/// embedded store, the server must not be running (it holds the store's
/// file); Redis can be read any time.
pub async fn export_from_store(
    store: &dyn Store,
    space: &str,
    options: &ExportOptions,
) -> Result<Vec<u8>, Error> {
    let request = ops::export::ExportRequest {
        format: options.format.parse()?,
        comments: options.comments,
        annex: options.annex,
        contents: options.since.clone().map_or(
            ops::export::Requested::Report,
            ops::export::Requested::ChangesSince,
        ),
        version: options.version.clone(),
        statuses: ops::export::statuses(options.statuses.as_deref())?,
    };
    let source = ops::export::Source::Store(store);
    Ok(ops::export::export_space(source, space, &request).await?)
}

/// Reads a space's audit log straight from a store and verifies its chain:
/// the number of entries if intact, else the first fault.
pub async fn verify_audit(
    store: &dyn Store,
    space: &str,
) -> Result<Result<usize, draftroom_store::AuditFault>, Error> {
    Ok(ops::audit::audit_report(store, space).await?.verdict)
}

/// File descriptors kept for what is not a client's connection (the
/// store's files and connections, the reserve answered beyond the cap,
/// logs): this many, or a quarter of the limit if that is less.
const FILE_RESERVE: u64 = 1024;

/// How many connections the server can serve at once: `wanted`, unless the
/// process may not open that many files. The soft limit on open files is
/// raised to the hard one first (often 1,024 against 524,288).
fn connection_cap(wanted: usize) -> usize {
    let limit = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(error) => {
            warn!(%error, "could not read or raise the limit on open files");
            return wanted;
        }
    };
    let reserve = FILE_RESERVE.min(limit / 4);
    let possible = usize::try_from(limit - reserve).unwrap_or(usize::MAX);
    if possible < wanted {
        warn!(
            wanted,
            serving = possible,
            open_files = limit,
            "the limit on open files allows fewer connections than asked; raise it (LimitNOFILE, ulimit -n)"
        );
    }
    wanted.min(possible)
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
        let config = Arc::new(Config {
            max_connections: connection_cap(config.max_connections),
            ..config
        });
        let shutdown = CancellationToken::new();
        let tasks = TaskTracker::new();
        let metrics = Arc::new(metrics::Metrics::default());
        let rooms = rooms::Rooms::new(
            store,
            config.clone(),
            metrics.clone(),
            shutdown.clone(),
            tasks.clone(),
        );
        let state = http::AppState {
            config,
            ops: ops::Operations::new(rooms, secret.clone()),
            secret,
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
    pub async fn seed_demo(&self) -> Result<bool, Error> {
        Ok(self.state.ops.seed_demo().await?)
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `stop` is cancelled, then shuts down in order and returns.
    pub async fn run(self, stop: CancellationToken) -> std::io::Result<()> {
        let state = self.state.clone();
        let shutdown = state.shutdown.clone();
        // Upgraded websockets hear of the shutdown through `shutdown` and
        // close with 1001 "going away", while their documents write a last
        // snapshot; other connections finish the request they are on.
        let listen = http::listen::Listen {
            listener: self.listener,
            app: http::router(self.state.clone()),
            at_capacity: http::at_capacity(self.state.clone()),
            max_connections: state.config.max_connections,
            header_read_timeout: state.config.header_read_timeout,
            metrics: state.metrics.clone(),
            tasks: state.tasks.clone(),
        };
        let stopping = async move {
            stop.cancelled().await;
            info!("shutting down: closing connections and flushing documents");
            shutdown.cancel();
        };
        tokio::join!(listen.run(state.shutdown.clone()), stopping);
        state.shutdown.cancel();
        state.tasks.close();
        if tokio::time::timeout(SHUTDOWN_GRACE, state.tasks.wait())
            .await
            .is_err()
        {
            warn!(
                loaded = state.ops.rooms.loaded(),
                "some connections or documents did not finish within {SHUTDOWN_GRACE:?}"
            );
        }
        Ok(())
    }
}
