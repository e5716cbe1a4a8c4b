//! A Yjs websocket client that speaks only the plain protocol (sync and
//! awareness messages, one per binary frame), so it can drive any server.

use std::net::{IpAddr, SocketAddr};

use anyhow::{Context, bail};
use futures_util::{FutureExt, SinkExt, StreamExt, TryStreamExt, stream};
use tokio::net::{TcpSocket, TcpStream, lookup_host};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Bytes, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use yrs::sync::{Message as YMessage, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{
    ClientID, Doc, GetString, ID, IdSet, OffsetKind, Options, ReadTxn, Text, Transact, Update,
};

/// The first bytes of a sync step 1 (`[0, 0, …]`) and of a sync step 2 or
/// update carrying document content (`[0, 1 | 2, …]`).
const SYNC: u8 = 0;
const STEP1: u8 = 0;
const STEP2: u8 = 1;
const UPDATE: u8 = 2;

pub struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub doc: Doc,
    /// What the last update applied deleted, for telling which sent
    /// updates have arrived.
    pub last_deletes: IdSet,
}

impl Client {
    /// Connects, then syncs: sends sync step 1 and applies what arrives
    /// until the server's step 2.
    pub async fn connect(url: &str) -> anyhow::Result<Client> {
        Self::connect_from(url, None).await
    }

    /// Connects from the local address `local` (any port), so that more
    /// connections can be opened than one address has ephemeral ports.
    pub async fn connect_from(url: &str, local: Option<IpAddr>) -> anyhow::Result<Client> {
        let ws = open(url, local).await?;
        let doc = Doc::with_options(Options {
            offset_kind: OffsetKind::Utf16,
            ..Options::default()
        });
        let mut client = Client {
            ws,
            doc,
            last_deletes: IdSet::new(),
        };
        client.sync().await?;
        Ok(client)
    }

    async fn sync(&mut self) -> anyhow::Result<()> {
        let state_vector = self.doc.transact().state_vector();
        let step1 = YMessage::Sync(SyncMessage::SyncStep1(state_vector)).encode_v1();
        self.ws.send(Message::Binary(step1.into())).await?;
        loop {
            if let YMessage::Sync(SyncMessage::SyncStep2(_)) = self.next().await? {
                return Ok(());
            }
        }
    }

    /// Queues a frame without flushing, so that many go out in few writes.
    pub async fn feed(&mut self, frame: Bytes) -> anyhow::Result<()> {
        self.ws.feed(Message::Binary(frame)).await?;
        Ok(())
    }

    pub async fn flush(&mut self) -> anyhow::Result<()> {
        self.ws.flush().await?;
        Ok(())
    }

    /// Reads and drops whatever has arrived, without waiting. A writer
    /// calls it between sends: servers that echo a writer's updates back
    /// would otherwise fill its socket and stall, or queue without bound.
    pub fn discard_arrived(&mut self) {
        while let Some(Some(Ok(_))) = self.ws.next().now_or_never() {}
    }

    /// Reads the next protocol message, applying updates and answering
    /// the server's sync step 1 as a stock client does.
    pub async fn next(&mut self) -> anyhow::Result<YMessage> {
        let bytes = next_binary(&mut self.ws).await?;
        let message = YMessage::decode_v1(&bytes)?;
        match &message {
            YMessage::Sync(SyncMessage::SyncStep2(update) | SyncMessage::Update(update)) => {
                let update = Update::decode_v1(update)?;
                self.last_deletes = update.delete_set().clone();
                self.doc.transact_mut().apply_update(update)?;
            }
            YMessage::Sync(SyncMessage::SyncStep1(state_vector)) => {
                let missing = self.doc.transact().encode_diff_v1(state_vector);
                let step2 = YMessage::Sync(SyncMessage::SyncStep2(missing)).encode_v1();
                self.ws.send(Message::Binary(step2.into())).await?;
            }
            _ => {}
        }
        Ok(message)
    }

    /// How many items of `client` this document holds (its clock).
    pub fn clock_of(&self, client: ClientID) -> u32 {
        self.doc.transact().state_vector().get(&client)
    }

    /// Whether the last update applied deleted item `id`.
    pub fn just_deleted(&self, id: &ID) -> bool {
        self.last_deletes.contains(id)
    }

    pub fn text_len(&self) -> u32 {
        self.doc
            .get_or_insert_text("text")
            .len(&self.doc.transact())
    }

    pub fn text(&self) -> String {
        self.doc
            .get_or_insert_text("text")
            .get_string(&self.doc.transact())
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

/// A client that never decodes what it receives: it answers the server's
/// sync step 1 with an empty state and hands over the content frames as
/// bytes. Thousands of them fit beside the server on one machine.
pub struct LightClient {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl LightClient {
    /// Connects and sends sync step 1 for an empty document; the server's
    /// step 2 arrives among the frames `next_content` returns.
    pub async fn connect(url: &str) -> anyhow::Result<LightClient> {
        let mut ws = open(url, None).await?;
        // Sync step 1 with an empty state vector.
        ws.send(Message::Binary(Bytes::from_static(&[SYNC, STEP1, 1, 0])))
            .await?;
        Ok(LightClient { ws })
    }

    /// The next frame carrying document content (sync step 2 or update).
    pub async fn next_content(&mut self) -> anyhow::Result<Bytes> {
        loop {
            let bytes = next_binary(&mut self.ws).await?;
            match bytes.get(..2) {
                Some([SYNC, STEP2 | UPDATE]) => return Ok(bytes),
                Some([SYNC, STEP1]) => {
                    // Sync step 2 with an empty update (no structs, no deletes).
                    let empty = Bytes::from_static(&[SYNC, STEP2, 2, 0, 0]);
                    self.ws.send(Message::Binary(empty)).await?;
                }
                _ => {}
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

/// tungstenite zeroes its whole read buffer before each read (128 KiB by
/// default): thousands of clients reading small frames would spend their
/// time in memset and crowd out the server they measure.
const READ_BUFFER: usize = 4 * 1024;

async fn open(
    url: &str,
    local: Option<IpAddr>,
) -> anyhow::Result<WebSocketStream<MaybeTlsStream<TcpStream>>> {
    let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER);
    let connected = match local {
        None => tokio_tungstenite::connect_async_with_config(url, Some(config), true).await,
        Some(local) => {
            let authority = url
                .split_once("://")
                .and_then(|(_, rest)| rest.split('/').next())
                .context("a websocket URL names a host")?;
            let remote: SocketAddr = lookup_host(authority)
                .await?
                .next()
                .context("the host has no address")?;
            let socket = if remote.is_ipv4() {
                TcpSocket::new_v4()?
            } else {
                TcpSocket::new_v6()?
            };
            socket.bind(SocketAddr::new(local, 0))?;
            let stream = socket.connect(remote).await?;
            stream.set_nodelay(true)?;
            tokio_tungstenite::client_async_with_config(
                url,
                MaybeTlsStream::Plain(stream),
                Some(config),
            )
            .await
        }
    };
    let (ws, _) = connected.with_context(|| format!("could not connect to {url}"))?;
    Ok(ws)
}

async fn next_binary(ws: &mut WebSocketStream<MaybeTlsStream<TcpStream>>) -> anyhow::Result<Bytes> {
    loop {
        let frame = match ws.next().await {
            Some(frame) => frame?,
            None => bail!("the server closed the connection"),
        };
        match frame {
            Message::Binary(bytes) => return Ok(bytes),
            Message::Close(frame) => bail!("the server closed the connection: {frame:?}"),
            _ => {}
        }
    }
}

/// Wraps an encoded update as a sync update message.
pub fn update_frame(update: &[u8]) -> Bytes {
    YMessage::Sync(SyncMessage::Update(update.to_vec()))
        .encode_v1()
        .into()
}

/// A client id of 32 bits, as Yjs in the browser makes them: yrs makes 53
/// bits, and some servers keep only 32 (y-sweet 0.9 rewrites them so).
pub fn yjs_client_id() -> ClientID {
    ClientID::new(ClientID::random().get() & u64::from(u32::MAX))
}

/// Runs `open` on every item, `at_once` at a time, and keeps what each
/// opened; fails as soon as one fails.
pub async fn open_all<I, T, F: Future<Output = anyhow::Result<T>>>(
    items: impl IntoIterator<Item = I>,
    at_once: usize,
    open: impl FnMut(I) -> F,
) -> anyhow::Result<Vec<T>> {
    stream::iter(items)
        .map(open)
        .buffer_unordered(at_once)
        .try_collect()
        .await
}
