//! One websocket connection: frames in, checked and handed to the room;
//! the room's broadcasts out.
//!
//! The handler is generic over the socket's `Stream` and `Sink`, so tests can
//! drive it with channels as well as with real sockets.

use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes};
use bytes::Bytes;
use draftroom_auth::Role;
use draftroom_protocol::{
    ClientMessage, ProtocolError, Speaker, UpdateSummary, close_code, decode_client_message,
    encode_keepalive, encode_permission_denied,
};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::clock::now_secs;
use crate::config::Config;
use crate::ops::access::{REVOKED, Watched, is_revoked};
use crate::rooms::{ClientEdit, ConnectionId, Delivery, Membership, Request, private_channel};

/// Who is on the other end, as their token says.
#[derive(Debug, Clone)]
pub(crate) struct Peer {
    pub(crate) connection: ConnectionId,
    pub(crate) user: Arc<str>,
    pub(crate) role: Role,
    /// Why this connection may not change the document, if it may not.
    pub(crate) read_only: Option<&'static str>,
    /// When the token was issued and when it expires (seconds since the
    /// Unix epoch): the connection closes once it expires or its user's
    /// access is revoked.
    pub(crate) issued_at: u64,
    pub(crate) expires_at: u64,
}

impl Peer {
    /// Ends the connection if its token no longer holds: expired, or its
    /// user's access revoked since it was issued.
    fn still_signed_in(&self, access: &Watched) -> Result<(), Ending> {
        let reason = if now_secs() >= self.expires_at {
            EXPIRED
        } else if is_revoked(&access.borrow(), &self.user, self.issued_at) {
            REVOKED
        } else {
            return Ok(());
        };
        Err(Ending::Refused {
            code: close_code::SIGNED_OUT,
            reason: reason.into(),
        })
    }
}

/// What a connection hears when its token expires.
const EXPIRED: &str = "your sign-in expired: open your sign-in link again";

/// How a connection ended, for the log.
#[derive(Debug)]
pub(crate) enum Ending {
    ClientClosed,
    ClientGone,
    /// The client stopped reading: a send did not complete in time.
    Stuck,
    Refused {
        code: u16,
        reason: String,
    },
    Shutdown,
}

impl std::fmt::Display for Ending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ending::ClientClosed => f.write_str("client closed"),
            Ending::ClientGone => f.write_str("connection lost"),
            Ending::Stuck => f.write_str("client stopped reading"),
            Ending::Refused { code, reason } => write!(f, "closed by server ({code}): {reason}"),
            Ending::Shutdown => f.write_str("server shutting down"),
        }
    }
}

pub(crate) async fn serve_connection<S, E>(
    mut socket: S,
    peer: Peer,
    mut access: Watched,
    mut room: Membership,
    config: &Config,
    shutdown: CancellationToken,
) -> Ending
where
    S: Stream<Item = Result<Message, E>> + Sink<Message> + Unpin,
    E: std::error::Error + Send + Sync + 'static,
{
    let connection = peer.connection;
    let speaker = Speaker {
        connection,
        user: peer.user.clone(),
    };
    let mut told_read_only = false;
    // Set if the space's revocations stop being sent, so that the branch
    // that waits for them does not spin.
    let mut access_gone = false;
    let mut allowance = Allowance::new(config.max_update_bytes_per_second, config.max_message_size);
    // Checked three times per interval, so that no silence outlasts it.
    let check_every = config.keepalive_interval / 3;
    let mut keepalive = tokio::time::interval(check_every);
    let mut last_sent = Instant::now();
    let mut last_heard = Instant::now();

    let (private, mut for_me) = private_channel();
    let joined = room
        .requests
        .send(Request::Join {
            connection,
            private,
        })
        .await;
    let ending = if joined.is_err() {
        Ending::Refused {
            code: close_code::TRY_AGAIN_LATER,
            reason: "the document is closing; reconnect".into(),
        }
    } else {
        loop {
            let step = tokio::select! {
                outgoing = room.outgoing.recv() => match outgoing {
                    Ok(outgoing) if outgoing.to.includes(connection) => {
                        deliver(&mut socket, outgoing.delivery, &mut last_sent, config).await
                    }
                    Ok(_) => Ok(()),
                    Err(RecvError::Lagged(_)) => Err(Ending::Refused {
                        code: close_code::TRY_AGAIN_LATER,
                        reason: "too slow to keep up with the document; reconnect to resync".into(),
                    }),
                    Err(RecvError::Closed) => Err(document_closed()),
                },
                delivery = for_me.next() => match delivery {
                    Some(delivery) => deliver(&mut socket, delivery, &mut last_sent, config).await,
                    None => Err(document_closed()),
                },
                changed = access.changed(), if !access_gone => match changed {
                    Ok(()) => peer.still_signed_in(&access),
                    Err(_) => {
                        access_gone = true;
                        Ok(())
                    }
                },
                incoming = socket.next() => {
                    last_heard = Instant::now();
                    match incoming {
                        Some(Ok(Message::Binary(frame))) => {
                            // Nothing is taken from a token that no longer holds.
                            if let Err(ending) = peer.still_signed_in(&access) {
                                break ending;
                            }
                            let size = frame.len();
                            // Boxed: its state is held only while a frame is
                            // handled, not by every idle connection.
                            let handled = Box::pin(handle_frame(frame, &peer, &speaker, &mut room, config, &mut told_read_only, &mut socket)).await;
                            // A client that sends faster than its allowance
                            // is read more slowly: its own TCP window fills,
                            // and nobody else waits.
                            if handled.is_ok() && let Some(wait) = allowance.spend(size) {
                                tokio::time::sleep(wait).await;
                            }
                            handled
                        }
                        Some(Ok(Message::Text(_))) => Err(Ending::Refused {
                            code: close_code::UNSUPPORTED_DATA,
                            reason: "text frames are not part of the Yjs protocol".into(),
                        }),
                        Some(Ok(Message::Ping(_) | Message::Pong(_))) => Ok(()),
                        Some(Ok(Message::Close(_))) => Err(Ending::ClientClosed),
                        Some(Err(error)) => Err(read_error(&error, config)),
                        None => Err(Ending::ClientGone),
                    }
                }
                _ = keepalive.tick() => {
                    if let Err(ending) = peer.still_signed_in(&access) {
                        Err(ending)
                    } else if last_heard.elapsed() >= config.client_timeout {
                        Err(Ending::Refused {
                            code: close_code::GOING_AWAY,
                            reason: "no message from the client for too long".into(),
                        })
                    } else if last_sent.elapsed() + check_every >= config.keepalive_interval {
                        last_sent = Instant::now();
                        // A ping for peers that only answer pings, a message
                        // for stock clients that only count messages.
                        match send(&mut socket, Message::Ping(Bytes::new()), config.send_timeout).await {
                            Ok(()) => send(&mut socket, Message::Binary(encode_keepalive()), config.send_timeout).await,
                            Err(ending) => Err(ending),
                        }
                    } else {
                        Ok(())
                    }
                }
                () = shutdown.cancelled() => Err(Ending::Shutdown),
            };
            if let Err(ending) = step {
                break ending;
            }
        }
    };

    let close = match &ending {
        Ending::Refused { code, reason } => Some((*code, reason.as_str())),
        Ending::Shutdown => Some((close_code::GOING_AWAY, "server shutting down")),
        Ending::ClientClosed | Ending::ClientGone | Ending::Stuck => None,
    };
    // The room may be gone already; then there is nothing to leave.
    let _ = room.requests.send(Request::Leave(connection)).await;
    drop(room);
    if let Some((code, reason)) = close {
        close_with(&mut socket, code, reason, config.send_timeout).await;
    }
    ending
}

/// Sends what the room sent this connection, or ends it as told.
async fn deliver<S: Sink<Message> + Unpin>(
    socket: &mut S,
    delivery: Delivery,
    last_sent: &mut Instant,
    config: &Config,
) -> Result<(), Ending> {
    match delivery {
        Delivery::Frame(frame) => {
            *last_sent = Instant::now();
            send(socket, Message::Binary(frame), config.send_timeout).await
        }
        Delivery::Close { code, reason } => Err(Ending::Refused {
            code,
            reason: reason.to_string(),
        }),
    }
}

async fn handle_frame<S>(
    frame: Bytes,
    peer: &Peer,
    speaker: &Speaker,
    room: &mut Membership,
    config: &Config,
    told_read_only: &mut bool,
    socket: &mut S,
) -> Result<(), Ending>
where
    S: Sink<Message> + Unpin,
{
    let message = decode_client_message(&frame, config.max_message_size, &config.awareness)
        .map_err(refusal)?;
    let request = match message {
        ClientMessage::SyncStep1 { state_vector } => Request::SyncStep1 {
            from: peer.connection,
            state_vector: frame.slice_ref(state_vector),
        },
        ClientMessage::SyncStep2 { update, summary } => {
            // A read-only client answers sync step 1 like any other, with
            // every deletion it knows of (all of which the server has):
            // only items it made itself are an attempt to change something.
            let attempted = summary.blocks > 0;
            match edit(peer, &frame, update, summary) {
                Some(request) => request,
                None => {
                    return refuse_read_only(peer, attempted, told_read_only, socket, config).await;
                }
            }
        }
        ClientMessage::Update { update, summary } => {
            let attempted = !summary.is_empty();
            match edit(peer, &frame, update, summary) {
                Some(request) => request,
                None => {
                    return refuse_read_only(peer, attempted, told_read_only, socket, config).await;
                }
            }
        }
        ClientMessage::Awareness(update) => Request::Awareness {
            from: speaker.clone(),
            update,
        },
        ClientMessage::QueryAwareness => Request::QueryAwareness(peer.connection),
    };
    room.requests
        .send(request)
        .await
        .map_err(|_| document_closed())
}

/// The request for a client's edit, or `None` if this connection may not
/// edit. An update that changes nothing goes nowhere either way.
fn edit(peer: &Peer, frame: &Bytes, update: &[u8], summary: UpdateSummary) -> Option<Request> {
    (peer.read_only.is_none() && !summary.is_empty()).then(|| {
        Request::Update(ClientEdit {
            from: peer.connection,
            user: peer.user.clone(),
            oversees: peer.role >= Role::ViceChair,
            update: frame.slice_ref(update),
            summary,
        })
    })
}

/// Drops a read-only connection's edit, telling it why the first time it
/// tries to change something.
async fn refuse_read_only<S>(
    peer: &Peer,
    attempted: bool,
    told_read_only: &mut bool,
    socket: &mut S,
    config: &Config,
) -> Result<(), Ending>
where
    S: Sink<Message> + Unpin,
{
    if let Some(reason) = peer.read_only
        && attempted
        && !*told_read_only
    {
        *told_read_only = true;
        send(
            socket,
            Message::Binary(encode_permission_denied(reason)),
            config.send_timeout,
        )
        .await?;
    }
    Ok(())
}

/// The room this connection is in has stopped: the client should come back.
fn document_closed() -> Ending {
    Ending::Refused {
        code: close_code::TRY_AGAIN_LATER,
        reason: "the document closed; reconnect".into(),
    }
}

fn refusal(error: ProtocolError) -> Ending {
    Ending::Refused {
        code: error.close_code(),
        reason: error.to_string(),
    }
}

/// Turns a websocket read error into an ending; an over-long message is
/// the client's fault and is said so.
fn read_error<E: std::error::Error + Send + Sync + 'static>(error: &E, config: &Config) -> Ending {
    use tokio_tungstenite::tungstenite::Error as WsError;
    use tokio_tungstenite::tungstenite::error::CapacityError;
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if let Some(WsError::Capacity(CapacityError::MessageTooLong { size, .. })) =
            current.downcast_ref::<WsError>()
        {
            return refusal(ProtocolError::TooLarge {
                size: *size,
                limit: config.max_message_size,
            });
        }
        source = current.source();
    }
    Ending::ClientGone
}

/// What a connection may still send: bytes refilled at a steady rate up to
/// a burst (a token bucket).
struct Allowance {
    bytes: f64,
    at: Instant,
    per_second: f64,
    burst: f64,
}

impl Allowance {
    fn new(per_second: usize, burst: usize) -> Allowance {
        Allowance {
            bytes: burst as f64,
            at: Instant::now(),
            per_second: per_second.max(1) as f64,
            burst: burst as f64,
        }
    }

    /// Spends `size` bytes; if that overdraws the allowance, how long the
    /// connection must wait until it is even.
    fn spend(&mut self, size: usize) -> Option<Duration> {
        let now = Instant::now();
        let refill = now.duration_since(self.at).as_secs_f64() * self.per_second;
        self.at = now;
        self.bytes = (self.bytes + refill).min(self.burst) - size as f64;
        (self.bytes < 0.0).then(|| Duration::from_secs_f64(-self.bytes / self.per_second))
    }
}

/// How long a closing connection waits for the client's own close frame.
const CLOSE_LINGER: Duration = Duration::from_secs(2);

/// Closes the websocket with `code` and `reason`, then reads and discards
/// what the client still sends until its own close frame (or
/// [`CLOSE_LINGER`]). Dropping the socket at once would answer frames
/// still in flight with a TCP reset, which can overtake the close frame:
/// the client would never learn why it was closed.
pub(crate) async fn close_with<S, E>(socket: &mut S, code: u16, reason: &str, timeout: Duration)
where
    S: Stream<Item = Result<Message, E>> + Sink<Message> + Unpin,
{
    let frame = CloseFrame {
        code,
        reason: Utf8Bytes::from(close_reason(reason)),
    };
    if send(socket, Message::Close(Some(frame)), timeout)
        .await
        .is_err()
    {
        return;
    }
    let _ = tokio::time::timeout(CLOSE_LINGER, async {
        while let Some(Ok(message)) = socket.next().await {
            if matches!(message, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
}

async fn send<S: Sink<Message> + Unpin>(
    socket: &mut S,
    message: Message,
    timeout: Duration,
) -> Result<(), Ending> {
    let mut sending = std::pin::pin!(socket.send(message));
    // Nearly every send completes at once; only one that must wait for the
    // peer to read needs a timer (arming one per frame costs a fan-out to
    // thousands of connections dearly).
    let sent = match futures_util::poll!(sending.as_mut()) {
        Poll::Ready(sent) => sent,
        Poll::Pending => match tokio::time::timeout(timeout, sending).await {
            Ok(sent) => sent,
            Err(_) => return Err(Ending::Stuck),
        },
    };
    sent.map_err(|_| Ending::ClientGone)
}

/// A close reason must fit a control frame (123 bytes after the code).
fn close_reason(reason: &str) -> String {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    reason[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::{Allowance, close_reason};
    use std::time::Duration;

    #[test]
    fn a_connection_may_burst_then_waits_for_its_rate() {
        let mut allowance = Allowance::new(1000, 4000);
        assert_eq!(allowance.spend(4000), None, "a burst is free");
        let wait = allowance.spend(500).expect("overdrawn");
        assert!(
            wait > Duration::from_millis(450) && wait <= Duration::from_millis(500),
            "500 bytes at 1000/s: {wait:?}"
        );
    }

    #[test]
    fn close_reasons_fit_a_control_frame() {
        assert_eq!(close_reason("short"), "short");
        let long = "é".repeat(100);
        let cut = close_reason(&long);
        assert!(cut.len() <= 123);
        assert!(long.starts_with(&cut));
    }
}
