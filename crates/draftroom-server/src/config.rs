//! Everything a server can be tuned by, with the defaults `draftroom
//! serve` runs with.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

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
            send_timeout: Duration::from_secs(10),
            max_shared_types: 10_000,
            read_buffer_size: 1024,
            web_dir: None,
        }
    }
}
