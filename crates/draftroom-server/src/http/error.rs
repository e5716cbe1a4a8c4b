//! The one error mapping of the HTTP side: every refusal and failure
//! becomes `{ "error": { "code", "message" } }` with a status; a client is
//! told only what it may know, and every server fault is logged with its
//! cause.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use draftroom_auth::TokenError;
use serde::Serialize;
use tracing::error;

use crate::ops::OpError;
use crate::rooms::RoomError;

/// An error as clients see it: a status, a stable code and a plain
/// message; and, for the log only, the cause of a server fault.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    cause: Option<String>,
    /// Seconds until the same request may succeed (`Retry-After`).
    retry_after: Option<u64>,
    /// The brackets an adoption would leave open, as a list beside the
    /// message.
    brackets: Option<serde_json::Value>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            cause: None,
            retry_after: None,
            brackets: None,
        }
    }

    /// The request itself is wrong; `message` says how.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad-request", message)
    }

    pub(crate) fn not_found() -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not-found", "no such route")
    }

    /// How a websocket refused for this error is closed, after the upgrade:
    /// 4400-4499 mirror the 4xx statuses, and stock Yjs clients (y-websocket
    /// 3) stop reconnecting on them. A refusal before the upgrade would be
    /// retried forever: a browser's websocket never sees the status. `None`
    /// for errors worth retrying (the store or the server is unavailable),
    /// which stay HTTP answers.
    pub(crate) fn close_code(&self) -> Option<u16> {
        self.status
            .is_client_error()
            .then(|| 4000 + self.status.as_u16())
    }

    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// The status, and the error as the API's JSON, for a page of the web
    /// app to say what happened.
    pub(crate) fn for_page(&self) -> (StatusCode, String) {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: &self.message,
                brackets: self.brackets.as_ref(),
            },
        };
        (
            self.status,
            serde_json::to_string(&body).unwrap_or_default(),
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    brackets: Option<&'a serde_json::Value>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            error!(
                status = self.status.as_u16(),
                code = self.code,
                cause = self.cause.as_deref().unwrap_or(&self.message),
                "request failed"
            );
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: &self.message,
                brackets: self.brackets.as_ref(),
            },
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// An error and every source under it, for the log.
fn with_sources(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl From<OpError> for ApiError {
    fn from(error: OpError) -> Self {
        let (status, code) = match &error {
            OpError::Forbidden { .. }
            | OpError::NotAuthor
            | OpError::NotCommentAuthor
            | OpError::NotSuggestionAuthor
            | OpError::NotAProponent
            | OpError::NotYours => (StatusCode::FORBIDDEN, "forbidden"),
            OpError::Revoked => (StatusCode::UNAUTHORIZED, "revoked"),
            OpError::NoSuchSpace(_) => (StatusCode::NOT_FOUND, "no-such-space"),
            OpError::NoSuchRecommendation(_) => (StatusCode::NOT_FOUND, "no-such-recommendation"),
            OpError::NoSuchProposal(_) => (StatusCode::NOT_FOUND, "no-such-proposal"),
            OpError::NoSuchAlternative(_) => (StatusCode::NOT_FOUND, "no-such-alternative"),
            OpError::NoSuchBracket(_) => (StatusCode::NOT_FOUND, "no-such-bracket"),
            OpError::NoSuchComment(_) => (StatusCode::NOT_FOUND, "no-such-comment"),
            OpError::TooManyComments(_) => (StatusCode::CONFLICT, "too-many-comments"),
            OpError::NoSuchPerson(_) => (StatusCode::NOT_FOUND, "no-such-person"),
            OpError::NoSuchMeeting(_) => (StatusCode::NOT_FOUND, "no-such-meeting"),
            OpError::NotAdopted => (StatusCode::CONFLICT, "not_adopted"),
            OpError::NotResponsible => (StatusCode::FORBIDDEN, "not-responsible"),
            OpError::TooManyEntries(_) => (StatusCode::CONFLICT, "too-many-entries"),
            OpError::TooManyMeetings(_) => (StatusCode::CONFLICT, "too-many-meetings"),
            OpError::SummaryBegun => (StatusCode::CONFLICT, "summary-begun"),
            OpError::TooManyPoints(_) => (StatusCode::CONFLICT, "too-many-points"),
            OpError::DeadlinePassed { .. } => (StatusCode::CONFLICT, "deadline_passed"),
            OpError::TooManyPeople(_) => (StatusCode::CONFLICT, "too-many-people"),
            OpError::NoSuchSuggestion(_) => (StatusCode::NOT_FOUND, "no-such-suggestion"),
            OpError::TooManySuggestions(_) => (StatusCode::CONFLICT, "too-many-suggestions"),
            OpError::OpenBrackets(_) => (StatusCode::CONFLICT, "open_brackets"),
            OpError::NothingNamed(_) | OpError::BadDocName(_) => {
                (StatusCode::NOT_FOUND, "not-found")
            }
            OpError::NoSuchTopic(_) => (StatusCode::BAD_REQUEST, "no-such-topic"),
            OpError::BadSpaceId(_) => (StatusCode::BAD_REQUEST, "bad-space-id"),
            OpError::Invalid(_) => (StatusCode::BAD_REQUEST, "bad-request"),
            OpError::TooLong(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too-long"),
            OpError::TooMany { .. } => (StatusCode::TOO_MANY_REQUESTS, "too-many-creations"),
            OpError::Frozen => (StatusCode::CONFLICT, "frozen"),
            OpError::NotOpen(_) | OpError::Closing(_) => (StatusCode::CONFLICT, "not-open"),
            OpError::SpaceExists => (StatusCode::CONFLICT, "space-exists"),
            OpError::DuplicateAlternative(_) => (StatusCode::CONFLICT, "duplicate-alternative"),
            OpError::Room(RoomError::Full) => {
                (StatusCode::SERVICE_UNAVAILABLE, "too-many-open-documents")
            }
            OpError::Store(_) | OpError::Room(_) => {
                (StatusCode::SERVICE_UNAVAILABLE, "store-unavailable")
            }
            OpError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        let cause = match &error {
            OpError::Internal(cause) => Some(cause.clone()),
            other if other.is_server_fault() => Some(with_sources(other)),
            _ => None,
        };
        let brackets = match &error {
            OpError::OpenBrackets(open) => serde_json::to_value(open).ok(),
            _ => None,
        };
        ApiError {
            status,
            code,
            message: error.to_string(),
            cause,
            brackets,
            retry_after: match error {
                OpError::TooMany { retry_after, .. } => Some(retry_after),
                _ => None,
            },
        }
    }
}

impl From<TokenError> for ApiError {
    fn from(error: TokenError) -> Self {
        let (status, code) = match &error {
            TokenError::OtherSpace { .. } => (StatusCode::FORBIDDEN, "wrong-space"),
            TokenError::Expired => (StatusCode::UNAUTHORIZED, "token-expired"),
            TokenError::Malformed | TokenError::BadSignature => {
                (StatusCode::UNAUTHORIZED, "bad-token")
            }
        };
        ApiError::new(status, code, error.to_string())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        ApiError::bad_request(rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::bad_request(rejection.body_text())
    }
}
