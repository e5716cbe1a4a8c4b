//! The messages of y-protocols (sync and awareness) as they travel in
//! websocket frames, one message per frame.
//!
//! Decoding checks everything a client sent before any of it reaches yrs;
//! encoding writes the server's replies.

use bytes::Bytes;

use crate::awareness::{AwarenessLimits, AwarenessUpdate};
use crate::error::ProtocolError;
use crate::reader::{Reader, write_buf, write_var_u64};
use crate::update::{UpdateSummary, inspect_state_vector, inspect_update};

const MESSAGE_SYNC: u64 = 0;
const MESSAGE_AWARENESS: u64 = 1;
/// Only the server sends auth messages; from a client it is an unknown type.
const MESSAGE_AUTH: u64 = 2;
const MESSAGE_QUERY_AWARENESS: u64 = 3;

const SYNC_STEP_1: u64 = 0;
const SYNC_STEP_2: u64 = 1;
const SYNC_UPDATE: u64 = 2;

const AUTH_PERMISSION_DENIED: u64 = 0;

/// A checked message from a client. Updates are slices of the frame that
/// carried them, so nothing is copied until the server keeps them.
#[derive(Debug, PartialEq, Eq)]
pub enum ClientMessage<'a> {
    /// "Here is what I have; send me what I lack."
    SyncStep1 {
        state_vector: &'a [u8],
    },
    /// The answer to the server's sync step 1: what the server lacks.
    SyncStep2 {
        update: &'a [u8],
        summary: UpdateSummary,
    },
    /// A live edit.
    Update {
        update: &'a [u8],
        summary: UpdateSummary,
    },
    Awareness(AwarenessUpdate),
    QueryAwareness,
}

impl ClientMessage<'_> {
    /// The update a sync step 2 or update message carries, if any.
    pub fn update(&self) -> Option<(&[u8], &UpdateSummary)> {
        match self {
            ClientMessage::SyncStep2 { update, summary }
            | ClientMessage::Update { update, summary } => Some((update, summary)),
            _ => None,
        }
    }
}

/// Decodes one frame from a client, refusing anything over `max_size` bytes,
/// not well formed, or carrying an awareness state outside `awareness`.
pub fn decode_client_message<'a>(
    frame: &'a [u8],
    max_size: usize,
    awareness: &AwarenessLimits,
) -> Result<ClientMessage<'a>, ProtocolError> {
    if frame.len() > max_size {
        return Err(ProtocolError::TooLarge {
            size: frame.len(),
            limit: max_size,
        });
    }
    let mut reader = Reader::new(frame);
    let header = ProtocolError::malformed("message header");
    let message = match reader.read_var_u64().map_err(header)? {
        MESSAGE_SYNC => {
            let sync_type = reader
                .read_var_u64()
                .map_err(ProtocolError::malformed("sync message"))?;
            let payload = reader
                .read_buf()
                .map_err(ProtocolError::malformed("sync message"))?;
            match sync_type {
                SYNC_STEP_1 => {
                    inspect_state_vector(payload)
                        .map_err(ProtocolError::malformed("state vector"))?;
                    ClientMessage::SyncStep1 {
                        state_vector: payload,
                    }
                }
                SYNC_STEP_2 | SYNC_UPDATE => {
                    let summary =
                        inspect_update(payload).map_err(ProtocolError::malformed("update"))?;
                    if sync_type == SYNC_STEP_2 {
                        ClientMessage::SyncStep2 {
                            update: payload,
                            summary,
                        }
                    } else {
                        ClientMessage::Update {
                            update: payload,
                            summary,
                        }
                    }
                }
                other => return Err(ProtocolError::UnknownSyncMessageType(other)),
            }
        }
        MESSAGE_AWARENESS => {
            let payload = reader
                .read_buf()
                .map_err(ProtocolError::malformed("awareness message"))?;
            ClientMessage::Awareness(
                AwarenessUpdate::decode(payload, awareness)
                    .map_err(ProtocolError::malformed("awareness update"))?,
            )
        }
        MESSAGE_QUERY_AWARENESS => ClientMessage::QueryAwareness,
        other => return Err(ProtocolError::UnknownMessageType(other)),
    };
    reader
        .expect_end()
        .map_err(ProtocolError::malformed("message"))?;
    Ok(message)
}

fn sync_message(sync_type: u64, payload: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(payload.len() + 8);
    write_var_u64(&mut out, MESSAGE_SYNC);
    write_var_u64(&mut out, sync_type);
    write_buf(&mut out, payload);
    out.into()
}

/// Sync step 1 carrying the server's state vector.
pub fn encode_sync_step1(state_vector: &[u8]) -> Bytes {
    sync_message(SYNC_STEP_1, state_vector)
}

/// Sync step 2 carrying what the client lacks.
pub fn encode_sync_step2(update: &[u8]) -> Bytes {
    sync_message(SYNC_STEP_2, update)
}

/// A live update, as broadcast to every client of a document.
pub fn encode_update(update: &[u8]) -> Bytes {
    sync_message(SYNC_UPDATE, update)
}

/// An awareness message around an encoded awareness update.
pub fn encode_awareness(update: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(update.len() + 6);
    write_var_u64(&mut out, MESSAGE_AWARENESS);
    write_buf(&mut out, update);
    out.into()
}

/// An awareness message with no entries. Clients drop connections that stay
/// silent for 30 s; this is the cheapest message that counts as traffic and
/// changes nothing.
pub fn encode_keepalive() -> Bytes {
    Bytes::from_static(&[MESSAGE_AWARENESS as u8, 1, 0])
}

/// y-protocols' "permission denied" auth message: stock clients log the
/// reason, so a refused edit is not silent.
pub fn encode_permission_denied(reason: &str) -> Bytes {
    let mut out = Vec::with_capacity(reason.len() + 8);
    write_var_u64(&mut out, MESSAGE_AUTH);
    write_var_u64(&mut out, AUTH_PERMISSION_DENIED);
    write_buf(&mut out, reason.as_bytes());
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Malformed, close_code};

    const LIMIT: usize = 1 << 20;
    const AWARENESS: AwarenessLimits = AwarenessLimits {
        max_state_bytes: 1024,
        max_depth: 8,
        max_connection_bytes: 4096,
        max_document_bytes: 8192,
        max_clients: 100,
    };

    #[test]
    fn decodes_sync_messages() {
        let step1 = encode_sync_step1(&[0]);
        assert_eq!(
            decode_client_message(&step1, LIMIT, &AWARENESS),
            Ok(ClientMessage::SyncStep1 { state_vector: &[0] })
        );
        let update = encode_update(&[0, 0]);
        let decoded = decode_client_message(&update, LIMIT, &AWARENESS).expect("well formed");
        let (payload, summary) = decoded.update().expect("an update");
        assert_eq!(payload, &[0, 0]);
        assert!(summary.is_empty());
        assert!(matches!(
            decode_client_message(&encode_sync_step2(&[0, 0]), LIMIT, &AWARENESS),
            Ok(ClientMessage::SyncStep2 { .. })
        ));
        assert_eq!(
            decode_client_message(&[3], LIMIT, &AWARENESS),
            Ok(ClientMessage::QueryAwareness)
        );
    }

    #[test]
    fn refuses_bad_frames() {
        assert_eq!(
            decode_client_message(&[0; 16], 8, &AWARENESS),
            Err(ProtocolError::TooLarge { size: 16, limit: 8 })
        );
        assert_eq!(
            decode_client_message(&[9], LIMIT, &AWARENESS),
            Err(ProtocolError::UnknownMessageType(9))
        );
        assert_eq!(
            decode_client_message(&[2, 0], LIMIT, &AWARENESS),
            Err(ProtocolError::UnknownMessageType(2))
        );
        assert_eq!(
            decode_client_message(&[0, 7, 0], LIMIT, &AWARENESS),
            Err(ProtocolError::UnknownSyncMessageType(7))
        );
        assert_eq!(
            decode_client_message(&[], LIMIT, &AWARENESS),
            Err(ProtocolError::Malformed {
                part: "message header",
                source: Malformed::UnexpectedEnd
            })
        );
        // A truncated update: the length says 5 bytes, 2 follow.
        assert!(matches!(
            decode_client_message(&[0, 2, 5, 1, 1], LIMIT, &AWARENESS),
            Err(ProtocolError::Malformed { .. })
        ));
        // Two messages in one frame.
        let mut two = encode_update(&[0, 0]).to_vec();
        two.extend_from_slice(&encode_update(&[0, 0]));
        assert!(matches!(
            decode_client_message(&two, LIMIT, &AWARENESS),
            Err(ProtocolError::Malformed {
                source: Malformed::TrailingBytes,
                ..
            })
        ));
    }

    #[test]
    fn a_refused_awareness_state_closes_its_sender_with_the_reason() {
        let mut update = vec![1, 42, 1];
        write_buf(&mut update, b"[1]");
        let refused = decode_client_message(&encode_awareness(&update), LIMIT, &AWARENESS)
            .expect_err("refused");
        assert_eq!(refused.close_code(), close_code::UNPROCESSABLE);
        assert_eq!(
            refused.to_string(),
            "awareness update has a state that is not a JSON object"
        );
        // A frame that is not well formed is another matter.
        let truncated = decode_client_message(&[1, 5, 1], LIMIT, &AWARENESS).expect_err("refused");
        assert_eq!(truncated.close_code(), close_code::INVALID_PAYLOAD);
    }

    #[test]
    fn a_frame_may_be_as_large_as_the_limit_and_no_larger() {
        let frame = encode_update(&[0, 0]);
        assert!(decode_client_message(&frame, frame.len(), &AWARENESS).is_ok());
        assert_eq!(
            decode_client_message(&frame, frame.len() - 1, &AWARENESS),
            Err(ProtocolError::TooLarge {
                size: frame.len(),
                limit: frame.len() - 1
            })
        );
    }

    #[test]
    fn permission_denied_is_the_auth_message_yjs_reads() {
        use yrs::sync::Message;
        use yrs::updates::decoder::Decode;
        match Message::decode_v1(&encode_permission_denied("read only")) {
            Ok(Message::Auth(Some(reason))) => assert_eq!(reason, "read only"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn keepalive_is_an_empty_awareness_update() {
        match decode_client_message(&encode_keepalive(), LIMIT, &AWARENESS) {
            Ok(ClientMessage::Awareness(update)) => assert!(update.entries.is_empty()),
            other => panic!("unexpected {other:?}"),
        }
    }
}
