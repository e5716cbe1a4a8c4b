//! Accepting connections. Each TCP connection is served by hyper (HTTP/1.1,
//! with upgrades for websockets) under three bounds, so that connections
//! that say nothing cannot pile up:
//!
//! - a request's headers must arrive within `header_read_timeout`; the same
//!   timer closes a kept-alive connection that sends no next request;
//! - at most `max_connections` are served at once, websockets included
//!   (the count is held by the socket itself, so it lives on through an
//!   upgrade);
//! - beyond the cap, a small reserve of connections is answered at once,
//!   with 503 for everything but `/healthz` and `/readyz`, and closed. When
//!   the reserve is full the oldest connection in it is dropped for the
//!   newest: connections that say nothing cannot fill it and keep a health
//!   check out. So a full server refuses fast, and its health can still be
//!   asked.

use std::io;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{debug, warn};

use crate::metrics::Metrics;

/// Connections answered beyond the cap (503, or health), each briefly.
const RESERVE: usize = 64;

/// The connections being answered beyond the cap, oldest first; each is
/// cancelled to make room, or by its own task when it ends.
#[derive(Default)]
struct Reserve {
    held: std::sync::Mutex<std::collections::VecDeque<CancellationToken>>,
}

impl Reserve {
    /// Makes room for one more connection, dropping the oldest if need be,
    /// and returns what its task ends on.
    fn admit(&self) -> CancellationToken {
        let mut held = self
            .held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        held.retain(|token| !token.is_cancelled());
        if held.len() >= RESERVE
            && let Some(oldest) = held.pop_front()
        {
            oldest.cancel();
        }
        let token = CancellationToken::new();
        held.push_back(token.clone());
        token
    }
}

/// How long a connection beyond the cap may take to send its request.
const RESERVE_HEADER_TIMEOUT: Duration = Duration::from_secs(2);

/// After an accept fails (out of file descriptors, say), wait this long
/// before the next: retrying at once would spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// What the accept loop serves, and within which bounds.
pub(crate) struct Listen {
    pub(crate) listener: TcpListener,
    /// Everything the server answers.
    pub(crate) app: Router,
    /// What a connection beyond the cap is answered with.
    pub(crate) at_capacity: Router,
    pub(crate) max_connections: usize,
    pub(crate) header_read_timeout: Duration,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) tasks: TaskTracker,
}

impl Listen {
    /// Accepts until `stop` is cancelled, then asks every HTTP connection to
    /// finish the request it is on and close. Upgraded websockets are not
    /// waited for here: they hear of the shutdown from their rooms.
    pub(crate) async fn run(self, stop: CancellationToken) {
        let open = Arc::new(Semaphore::new(self.max_connections));
        let reserve = Reserve::default();
        loop {
            let stream = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    Err(error) => {
                        warn!(%error, "could not accept a connection");
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                        continue;
                    }
                },
                () = stop.cancelled() => break,
            };
            // Small frames go out at once: Nagle's algorithm would hold an
            // edit back until the previous one is acknowledged (up to 40 ms
            // with delayed ACKs).
            if let Err(error) = stream.set_nodelay(true) {
                debug!(%error, "could not set TCP_NODELAY on a connection");
            }
            if let Ok(permit) = open.clone().try_acquire_owned() {
                let socket = Counted {
                    stream,
                    _permit: Some(permit),
                };
                let served = Served {
                    app: self.app.clone(),
                    header_read_timeout: self.header_read_timeout,
                    keep_alive: true,
                    end: stop.clone(),
                    in_reserve: false,
                };
                self.spawn(socket, served);
            } else {
                Metrics::add(&self.metrics.connections_over_capacity_total);
                let socket = Counted {
                    stream,
                    _permit: None,
                };
                let served = Served {
                    app: self.at_capacity.clone(),
                    header_read_timeout: RESERVE_HEADER_TIMEOUT,
                    keep_alive: false,
                    end: reserve.admit(),
                    in_reserve: true,
                };
                self.spawn(socket, served);
            }
        }
    }

    fn spawn(&self, socket: Counted, served: Served) {
        let Served {
            app,
            header_read_timeout,
            keep_alive,
            end,
            in_reserve,
        } = served;
        self.tasks.spawn(async move {
            // A reserve slot frees when its connection ends.
            let _freed = in_reserve.then(|| end.clone().drop_guard());
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_read_timeout)
                .keep_alive(keep_alive);
            let mut connection = pin!(
                builder
                    .serve_connection(TokioIo::new(socket), TowerToHyperService::new(app))
                    .with_upgrades()
            );
            let mut ending = pin!(end.cancelled());
            loop {
                tokio::select! {
                    served = connection.as_mut() => {
                        if let Err(error) = served {
                            debug!(%error, "connection ended with an error");
                        }
                        break;
                    }
                    () = &mut ending => connection.as_mut().graceful_shutdown(),
                }
            }
        });
    }
}

/// How one connection is served, and what ends it: the server's shutdown,
/// or, in the reserve, a newer connection's need for its place.
struct Served {
    app: Router,
    header_read_timeout: Duration,
    keep_alive: bool,
    end: CancellationToken,
    /// `end` is the connection's own, cancelled when it ends to free its
    /// place in the reserve.
    in_reserve: bool,
}

/// A socket that holds its place under the connection cap for as long as
/// it is open, through a websocket upgrade too (hyper hands the socket
/// itself to the upgraded connection).
struct Counted {
    stream: TcpStream,
    /// None in the reserve, which is bounded by eviction instead.
    _permit: Option<OwnedSemaphorePermit>,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}
