//! Who is calling, and what they sent: extractors every handler shares, so
//! none repeats the token check or the error shape of a bad body.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use draftroom_auth::Claims;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::{AppState, origin};
use crate::clock::now_secs;
use crate::ops::Actor;

/// What the names of the cookies the web app keeps its tokens in start
/// with: one cookie per space (`draftroom_token.{space}`), so a browser can
/// be signed in to several spaces at once, as a delegate who sits in two
/// working groups is.
pub const TOKEN_COOKIE: &str = "draftroom_token";

/// The name of the cookie that keeps the browser's session in `space`.
pub(crate) fn session_cookie(space: &str) -> String {
    format!("{TOKEN_COOKIE}.{space}")
}

/// Where a request's token came from. A browser sends a cookie with every
/// request to the server, whichever page makes it, so only a token taken
/// from the cookie needs the page's origin checked; a token a caller
/// hands over itself proves the caller holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Handed,
    Cookie,
}

/// The token from `Authorization: Bearer`, `?token=` or, for the web
/// app, its cookie for `space`.
fn token<'a>(
    query: &'a HashMap<String, String>,
    headers: &'a HeaderMap,
    space: &str,
) -> Option<(&'a str, Source)> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if let Some(token) = bearer.or(query.get("token").map(String::as_str)) {
        return Some((token.trim(), Source::Handed));
    }
    session_token(headers, space).map(|token| (token, Source::Cookie))
}

/// The token of the browser's session in `space`, if it has one.
pub(crate) fn session_token<'a>(headers: &'a HeaderMap, space: &str) -> Option<&'a str> {
    let name = session_cookie(space);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .find_map(|(cookie, value)| (cookie == name).then_some(value))
}

/// The claims of the request's token, checked against `space`. A token
/// from the session cookie is taken for a websocket or a change only from
/// a page of the server's own origin (or one it is told to allow), so a
/// page elsewhere cannot act as whoever is signed in.
pub(crate) async fn authenticate(
    state: &AppState,
    space: &str,
    parts: &Parts,
) -> Result<Claims, ApiError> {
    let query = Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
        .map(|Query(query)| query)
        .unwrap_or_default();
    let (token, source) = token(&query, &parts.headers, space).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "no-token",
            "a token is required (Authorization: Bearer TOKEN, or the query parameter `token`)",
        )
    })?;
    if source == Source::Cookie && acts(parts) {
        origin::check(&state.config, &parts.headers)?;
    }
    let claims = state.secret.verify(token, space, now_secs())?;
    state.ops.access.check(&claims).await?;
    Ok(claims)
}

/// Whether the request changes something or opens a websocket (which
/// can), as opposed to reading: a page elsewhere cannot read the answer to
/// a read, but its changes would happen.
fn acts(parts: &Parts) -> bool {
    !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS)
        || parts.headers.contains_key(header::UPGRADE)
}

/// The caller, as the request's token says, in the space the route names
/// (`{space}`). What they may do there is the operations' to decide.
pub(crate) struct Caller(pub(crate) Actor);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::not_found())?;
        let space = params.get("space").ok_or_else(ApiError::not_found)?;
        let claims = authenticate(state, space, parts).await?;
        Ok(Caller(Actor::from(claims)))
    }
}

/// A JSON body whose rejection is an [`ApiError`] like every other error.
pub(crate) struct Body<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Json(value) = Json::<T>::from_request(req, state).await?;
        Ok(Body(value))
    }
}

/// Query parameters whose rejection is an [`ApiError`] like every other
/// error.
pub(crate) struct Params<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(value) = Query::<T>::from_request_parts(parts, state).await?;
        Ok(Params(value))
    }
}
