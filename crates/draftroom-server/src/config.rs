//! Everything a server can be tuned by, with the defaults `draftroom
//! serve` runs with.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use draftroom_protocol::AwarenessLimits;

/// Everything a server can be tuned by. [`Config::default`] is what
/// `draftroom serve` runs with unless told otherwise.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// The largest websocket message a client may send. Checked before any
    /// decoding; a larger message closes that connection.
    pub max_message_size: usize,
    /// How long a document stays loaded after its last connection leaves.
    pub room_idle_timeout: Duration,
    /// The longest a client goes without hearing from the server. Stock Yjs
    /// clients drop a connection after 30 s of silence.
    pub keepalive_interval: Duration,
    /// A connection that sends nothing (not even a pong) for this long is
    /// taken for dead and closed.
    pub client_timeout: Duration,
    /// Compact a document once this many updates follow its snapshot...
    pub compact_after_updates: u64,
    /// ...or once they add up to this many bytes.
    pub compact_after_bytes: usize,
    /// Messages a connection may fall behind its document by before it is
    /// closed as too slow (it resyncs when it reconnects). This bounds the
    /// memory a slow reader can pin.
    pub outgoing_queue: usize,
    /// How long a document's updates wait before going to its read-only
    /// connections (observers; anyone on a document only the server
    /// writes) together, as one merged update in one frame; zero sends
    /// each at once. Editors hear each update at once whatever it says.
    /// A person cannot tell 20 ms from none, and at 100 updates/s to a
    /// thousand observers it halves the frames sent.
    pub watch_window: Duration,
    /// How long one send to a client may take before the client is taken
    /// for stuck and closed, so that a peer that stops reading cannot hold
    /// its connection forever.
    pub send_timeout: Duration,
    /// The most shared types (maps, arrays, texts) one document may hold.
    /// Types nest, and yrs walks nesting recursively, so this bounds the
    /// stack depth any client can make the server use.
    pub max_shared_types: u32,
    /// The websocket read buffer of each connection. tungstenite's default
    /// (128 KiB) would dominate the memory of idle connections.
    pub read_buffer_size: usize,
    /// The built web app (`web/dist`), served at `/`; none to serve no app.
    pub web_dir: Option<PathBuf>,
    /// The most TCP connections served at once, websockets included.
    /// Beyond it a few more are answered 503 (health checks still answer)
    /// and the rest are dropped at once. Each takes a file descriptor:
    /// the server raises its soft limit to the hard one at start, and
    /// serves fewer if that is still too low.
    pub max_connections: usize,
    /// How long a request's headers may take to arrive, and how long a
    /// kept-alive connection may wait for its next request, before the
    /// connection is closed.
    pub header_read_timeout: Duration,
    /// The most bytes one document may take in the store (its snapshot and
    /// the updates since). An edit that would take it past is refused and
    /// its sender closed (4413) with the reason.
    pub max_document_bytes: usize,
    /// The most bytes of edits one connection may send per second, on
    /// average; a connection that sends faster is read more slowly (up to
    /// one `max_message_size` at once).
    pub max_update_bytes_per_second: usize,
    /// The most documents loaded at once. To load one more, the least
    /// recently used one that nobody is connected to unloads (with its
    /// snapshot); if all are in use, the connection or request is refused.
    pub max_open_documents: usize,
    /// How long an HTTP request may take, its body included, before it is
    /// answered 408. Websockets are not bound by it once upgraded.
    pub request_timeout: Duration,
    /// The longest title, alternative label, version name or user name
    /// taken, in characters.
    pub max_title_chars: usize,
    /// The longest reason or note taken (a rejection's), in characters.
    pub max_note_chars: usize,
    /// The largest text handed over whole (a recommendation's first text,
    /// an alternative's, a proposal's), in bytes. Texts typed live are
    /// bound by `max_document_bytes`.
    pub max_text_bytes: usize,
    /// How many things (spaces, recommendations, alternatives, proposals,
    /// versions, sign-in links) one person may create per minute on one
    /// node.
    pub creations_per_minute: u32,
    /// The most comments and replies one recommendation holds: each is
    /// kept for good and sent to everyone who opens it.
    pub max_comments_per_recommendation: usize,
    /// The most suggestions one recommendation holds, whatever became of
    /// them: each is kept for the record.
    pub max_suggestions_per_recommendation: usize,
    /// The most people a space's roster holds: it is sent to everyone in
    /// the space.
    pub max_people_per_space: usize,
    /// The most meetings a space holds, and points of broad agreement: each
    /// is kept for good and sent to everyone who opens the meetings page.
    pub max_meetings_per_space: usize,
    pub max_points_per_space: usize,
    /// The most implementation reports one recommendation holds.
    pub max_implementation_entries: usize,
    /// What awareness (presence: a name, a cursor) clients may make the
    /// server hold: one client's state (a larger one, one nested too
    /// deeply or one that is not a JSON object closes its connection with
    /// 4422 and the reason, and is passed on to nobody), one connection's
    /// total (past it, closed with 4422), one document's total (once full,
    /// new and larger states are not shown; nobody is closed and the
    /// states held stay), and the client ids a loaded document remembers,
    /// each with the user who first spoke for it.
    pub awareness: AwarenessLimits,
    /// The address browsers reach the server at (`https://drafts.example`),
    /// when it differs from what they send as `Host` (behind a proxy that
    /// rewrites it). An `https` address also marks the session cookie
    /// `Secure`.
    pub public_url: Option<String>,
    /// Other origins whose pages may use a browser's session here (its
    /// cookie): websockets and changes from any other page are refused.
    /// Calls that carry their token themselves are not affected.
    pub allowed_origins: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8787)),
            max_message_size: 2 * 1024 * 1024,
            room_idle_timeout: Duration::from_secs(30),
            keepalive_interval: Duration::from_secs(15),
            client_timeout: Duration::from_secs(60),
            compact_after_updates: 1000,
            compact_after_bytes: 4 * 1024 * 1024,
            outgoing_queue: 1024,
            watch_window: Duration::from_millis(20),
            send_timeout: Duration::from_secs(10),
            max_shared_types: 10_000,
            read_buffer_size: 1024,
            web_dir: None,
            max_connections: 16_384,
            max_open_documents: 10_000,
            max_document_bytes: 32 * 1024 * 1024,
            max_update_bytes_per_second: 1024 * 1024,
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_title_chars: 300,
            max_note_chars: 4000,
            max_text_bytes: 256 * 1024,
            creations_per_minute: 30,
            max_comments_per_recommendation: 2000,
            max_suggestions_per_recommendation: 2000,
            max_people_per_space: 2000,
            max_meetings_per_space: 200,
            max_points_per_space: 2000,
            max_implementation_entries: 500,
            awareness: AwarenessLimits {
                max_state_bytes: 64 * 1024,
                max_depth: 32,
                max_connection_bytes: 256 * 1024,
                max_document_bytes: 4 * 1024 * 1024,
                max_clients: 10_000,
            },
            public_url: None,
            allowed_origins: Vec::new(),
        }
    }
}
