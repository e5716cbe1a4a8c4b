//! A Yjs websocket client that speaks only the plain protocol (sync and
//! awareness messages, one per binary frame), so it can drive any server.

use anyhow::{Context, bail};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use yrs::sync::{Message as YMessage, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, GetString, OffsetKind, Options, ReadTxn, Text, Transact, Update};

pub struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub doc: Doc,
}

impl Client {
    pub async fn connect(url: &str) -> anyhow::Result<Client> {
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .with_context(|| format!("could not connect to {url}"))?;
        let doc = Doc::with_options(Options {
            offset_kind: OffsetKind::Utf16,
            ..Options::default()
        });
        let mut client = Client { ws, doc };
        client.sync().await?;
        Ok(client)
    }

    /// Sends sync step 1 and applies messages until the server's step 2.
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
    pub async fn feed(&mut self, frame: Vec<u8>) -> anyhow::Result<()> {
        self.ws.feed(Message::Binary(frame.into())).await?;
        Ok(())
    }

    pub async fn flush(&mut self) -> anyhow::Result<()> {
        self.ws.flush().await?;
        Ok(())
    }

    /// Reads the next protocol message, applying updates and answering
    /// the server's sync step 1 as a stock client does.
    pub async fn next(&mut self) -> anyhow::Result<YMessage> {
        loop {
            let frame = match self.ws.next().await {
                Some(frame) => frame?,
                None => bail!("the server closed the connection"),
            };
            let bytes = match frame {
                Message::Binary(bytes) => bytes,
                Message::Close(frame) => bail!("the server closed the connection: {frame:?}"),
                _ => continue,
            };
            let message = YMessage::decode_v1(&bytes)?;
            match &message {
                YMessage::Sync(SyncMessage::SyncStep2(update) | SyncMessage::Update(update)) => {
                    self.doc
                        .transact_mut()
                        .apply_update(Update::decode_v1(update)?)?;
                }
                YMessage::Sync(SyncMessage::SyncStep1(state_vector)) => {
                    let missing = self.doc.transact().encode_diff_v1(state_vector);
                    let step2 = YMessage::Sync(SyncMessage::SyncStep2(missing)).encode_v1();
                    self.ws.send(Message::Binary(step2.into())).await?;
                }
                _ => {}
            }
            return Ok(message);
        }
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

/// Wraps an encoded update as a sync update message.
pub fn update_frame(update: &[u8]) -> Vec<u8> {
    YMessage::Sync(SyncMessage::Update(update.to_vec())).encode_v1()
}
