//! Why a client's message was refused, and the close code it earns.

use thiserror::Error;

/// Why some bytes are not a well-formed Yjs message part.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Malformed {
    #[error("ends too early")]
    UnexpectedEnd,
    #[error("has an integer that is too large")]
    VarIntOverflow,
    #[error("has a string that is not valid UTF-8")]
    InvalidUtf8,
    #[error("has trailing bytes")]
    TrailingBytes,
    #[error("has an empty block")]
    EmptyBlock,
    #[error("deletes an empty range")]
    EmptyDeletion,
    #[error("has an item that refers to itself or to a later item of its client")]
    ForwardReference,
    #[error("names a client twice")]
    ClientTwice,
    #[error("has items that refer to each other in a cycle, so none can be placed")]
    Cycle,
    #[error("has a block with unknown info {0:#04x}")]
    UnknownBlock(u8),
    #[error("has unknown content kind {0}")]
    UnknownContent(u8),
    #[error("has unknown type reference {0}")]
    UnknownTypeRef(u8),
    #[error("has unknown value tag {0}")]
    UnknownValueTag(u8),
    #[error("has a clock that overflows")]
    ClockOverflow,
    #[error("has values nested deeper than {0} levels")]
    TooDeep(usize),
    #[error("has {0}, which Draftroom does not accept")]
    Unsupported(&'static str),
    #[error("has a state {0}")]
    State(StateRefusal),
    #[error("has a client id over 53 bits")]
    ClientIdTooLarge,
}

/// Why an awareness state is not taken. The client would send the same
/// state again on every reconnect, so its connection is closed with
/// [`close_code::UNPROCESSABLE`], which stock clients stop on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StateRefusal {
    #[error("that is not valid JSON")]
    InvalidJson,
    #[error("that is not a JSON object")]
    NotAnObject,
    #[error("nested deeper than {0} levels")]
    TooDeep(usize),
    #[error("of {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
}

/// Why a client's message was refused. Each refusal closes that client's
/// connection, with [`ProtocolError::close_code`] and this text as the reason.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProtocolError {
    #[error("message of {size} bytes is over the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("unknown message type {0}")]
    UnknownMessageType(u64),
    #[error("unknown sync message type {0}")]
    UnknownSyncMessageType(u64),
    #[error("{part} {source}")]
    Malformed {
        part: &'static str,
        #[source]
        source: Malformed,
    },
}

/// Websocket close codes (RFC 6455, section 7.4.1), and Draftroom's own
/// from the private range: 4400-4499 mirror HTTP's 4xx and say the server
/// will refuse the same again, which stock y-websocket clients stop on.
pub mod close_code {
    pub const NORMAL: u16 = 1000;
    pub const GOING_AWAY: u16 = 1001;
    pub const UNSUPPORTED_DATA: u16 = 1003;
    pub const INVALID_PAYLOAD: u16 = 1007;
    pub const TOO_BIG: u16 = 1009;
    pub const INTERNAL: u16 = 1011;
    pub const TRY_AGAIN_LATER: u16 = 1013;
    /// The connection's token no longer holds: it expired, or its user's
    /// access was revoked.
    pub const SIGNED_OUT: u16 = 4401;
    /// The document is as large as it may grow.
    pub const DOCUMENT_FULL: u16 = 4413;
    /// The edit or awareness state has a shape or size the server does
    /// not take.
    pub const UNPROCESSABLE: u16 = 4422;
}

impl ProtocolError {
    pub fn close_code(&self) -> u16 {
        match self {
            ProtocolError::TooLarge { .. } => close_code::TOO_BIG,
            ProtocolError::UnknownMessageType(_) | ProtocolError::UnknownSyncMessageType(_) => {
                close_code::UNSUPPORTED_DATA
            }
            ProtocolError::Malformed {
                source: Malformed::State(_),
                ..
            } => close_code::UNPROCESSABLE,
            ProtocolError::Malformed { .. } => close_code::INVALID_PAYLOAD,
        }
    }

    pub(crate) fn malformed(part: &'static str) -> impl FnOnce(Malformed) -> ProtocolError {
        move |source| ProtocolError::Malformed { part, source }
    }
}
