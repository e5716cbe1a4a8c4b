//! A real server on 127.0.0.1:0 and real websocket clients that speak the
//! Yjs protocol with yrs, for the integration tests.
#![allow(dead_code)] // Each test file uses its own part of these helpers.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use draftroom_auth::{Claims, Role, Secret};
use draftroom_server::{Config, Server};
use draftroom_store::{EmbeddedStore, Store};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tokio_util::sync::CancellationToken;
use yrs::sync::{Message as YMessage, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, GetString, ReadTxn, StateVector, Text, Transact, Update};

pub const SPACE: &str = "wgigf";
pub const WAIT: Duration = Duration::from_secs(10);

/// Runs a test on the runtime the server uses in production, on one of its
/// worker threads, whose stacks are sized for yrs (a test thread's is not).
pub fn run<F: Future<Output = ()> + Send + 'static>(test: F) {
    let runtime = draftroom_server::runtime().expect("runtime");
    if let Err(error) = runtime.block_on(runtime.spawn(test)) {
        std::panic::resume_unwind(error.into_panic());
    }
}

pub fn secret() -> Secret {
    Secret::new("integration-test-secret").expect("long enough")
}

pub fn token(user: &str, role: Role) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    secret().sign(&Claims::issued(SPACE, user, role, now, 3600).expect("in time"))
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub dir: Arc<tempfile::TempDir>,
    stop: CancellationToken,
    task: JoinHandle<std::io::Result<()>>,
}

impl TestServer {
    pub async fn start(config: Config) -> TestServer {
        Self::start_in(Arc::new(tempfile::tempdir().expect("temp dir")), config).await
    }

    pub async fn start_in(dir: Arc<tempfile::TempDir>, config: Config) -> TestServer {
        let store = Arc::new(EmbeddedStore::open(dir.path()).expect("store opens"));
        Self::start_with(dir, store, config).await
    }

    /// A server on `store` (e.g. a Redis several servers share).
    pub async fn start_on(store: &str, config: Config) -> TestServer {
        let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
        let store = draftroom_store::open(store).expect("store opens");
        Self::start_with(dir, store, config).await
    }

    async fn start_with(
        dir: Arc<tempfile::TempDir>,
        store: Arc<dyn Store>,
        config: Config,
    ) -> TestServer {
        let config = Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            ..config
        };
        let server = Server::bind(config, store, secret()).await.expect("binds");
        let addr = server.local_addr().expect("address");
        let stop = CancellationToken::new();
        let task = tokio::spawn(server.run(stop.clone()));
        TestServer {
            addr,
            dir,
            stop,
            task,
        }
    }

    /// Shuts down gracefully and waits until the store is released.
    pub async fn stop(self) -> Arc<tempfile::TempDir> {
        self.stop.cancel();
        self.task.await.expect("joins").expect("runs");
        self.dir
    }

    pub async fn metric(&self, name: &str) -> u64 {
        let body = http_get(self.addr, "/metrics").await.1;
        body.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("no metric {name} in {body}"))
    }

    pub async fn client(&self, doc: &str, user: &str, role: Role) -> TestClient {
        TestClient::connect(self.addr, doc, &token(user, role))
            .await
            .expect("connects")
    }
}

/// A minimal HTTP/1.1 GET, returning the status and body.
pub async fn http_get(addr: SocketAddr, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("reads");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("status line");
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// What a client heard.
#[derive(Debug)]
pub enum Heard {
    Message(YMessage),
    Closed(Option<CloseFrame>),
}

pub struct TestClient {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub doc: Doc,
    pub client_id: u64,
}

impl TestClient {
    pub async fn connect(
        addr: SocketAddr,
        doc: &str,
        token: &str,
    ) -> Result<TestClient, tokio_tungstenite::tungstenite::Error> {
        let url = format!("ws://{addr}/ws/{SPACE}/{doc}?token={token}");
        let (ws, _) = tokio_tungstenite::connect_async(url).await?;
        let doc = Doc::new();
        let client_id = doc.client_id().get();
        Ok(TestClient { ws, doc, client_id })
    }

    pub async fn send_raw(&mut self, frame: Vec<u8>) {
        self.ws
            .send(Message::Binary(frame.into()))
            .await
            .expect("sends");
    }

    pub async fn send(&mut self, message: YMessage) {
        self.send_raw(message.encode_v1()).await;
    }

    /// Asks for the server's state and applies the answer.
    pub async fn sync(&mut self) {
        let state_vector = self.doc.transact().state_vector();
        self.send(YMessage::Sync(SyncMessage::SyncStep1(state_vector)))
            .await;
        self.until("sync step 2", |heard| {
            matches!(
                heard,
                Heard::Message(YMessage::Sync(SyncMessage::SyncStep2(_)))
            )
        })
        .await;
    }

    /// Edits `text` locally and sends the edit as an update.
    pub async fn type_text(&mut self, at: u32, chunk: &str) {
        let text = self.doc.get_or_insert_text("text");
        let update = {
            let mut txn = self.doc.transact_mut();
            text.insert(&mut txn, at, chunk);
            txn.encode_update_v1()
        };
        self.send(YMessage::Sync(SyncMessage::Update(update))).await;
    }

    /// Deletes from `text` locally and sends the edit as an update.
    pub async fn delete_text(&mut self, at: u32, len: u32) {
        if len == 0 {
            return;
        }
        let text = self.doc.get_or_insert_text("text");
        let update = {
            let mut txn = self.doc.transact_mut();
            text.remove_range(&mut txn, at, len);
            txn.encode_update_v1()
        };
        self.send(YMessage::Sync(SyncMessage::Update(update))).await;
    }

    pub fn text(&self) -> String {
        self.doc
            .get_or_insert_text("text")
            .get_string(&self.doc.transact())
    }

    /// Reads the next thing heard, applying document updates as it goes.
    pub async fn next(&mut self) -> Heard {
        loop {
            let frame = match tokio::time::timeout(WAIT, self.ws.next()).await {
                Ok(Some(Ok(frame))) => frame,
                Ok(Some(Err(_)) | None) => return Heard::Closed(None),
                Err(_) => panic!("heard nothing for {WAIT:?}"),
            };
            match frame {
                Message::Binary(bytes) => {
                    let message = YMessage::decode_v1(&bytes).expect("server sends valid messages");
                    if let YMessage::Sync(
                        SyncMessage::SyncStep2(update) | SyncMessage::Update(update),
                    ) = &message
                    {
                        let update = Update::decode_v1(update).expect("valid update");
                        self.doc
                            .transact_mut()
                            .apply_update(update)
                            .expect("applies");
                    }
                    return Heard::Message(message);
                }
                Message::Close(frame) => return Heard::Closed(frame),
                _ => {}
            }
        }
    }

    /// Reads until `done` says so; panics if the connection closes first.
    pub async fn until(&mut self, what: &str, mut done: impl FnMut(&Heard) -> bool) -> Heard {
        loop {
            let heard = self.next().await;
            if done(&heard) {
                return heard;
            }
            if let Heard::Closed(frame) = heard {
                panic!("closed while waiting for {what}: {frame:?}");
            }
        }
    }

    pub async fn until_text(&mut self, expected: &str) {
        while self.text() != expected {
            if let Heard::Closed(frame) = self.next().await {
                panic!("closed while waiting for {expected:?}: {frame:?}");
            }
        }
    }

    /// Reads until the server closes the connection; returns its close frame.
    pub async fn closed(&mut self) -> CloseFrame {
        loop {
            if let Heard::Closed(frame) = self.next().await {
                return frame.expect("a close frame with a code and reason");
            }
        }
    }

    pub fn full_state(&self) -> Vec<u8> {
        self.doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default())
    }
}
