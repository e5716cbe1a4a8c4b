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
use crate::config::Config;
use crate::ops::Actor;

/// What the names of the cookies the web app keeps its tokens in start
/// with: one cookie per space (`draftroom_token.{space}`), so a browser can
/// be signed in to several spaces at once, as a delegate who sits in two
/// working groups is. Behind https the name starts `__Host-`, which a
/// browser lets no other origin set, not even another port of the host.
pub const TOKEN_COOKIE: &str = "draftroom_token";

/// The name of the cookie that keeps the browser's session in `space`.
pub(crate) fn session_cookie(config: &Config, space: &str) -> String {
    let host_only = if served_over_https(config) {
        "__Host-"
    } else {
        ""
    };
    format!("{host_only}{TOKEN_COOKIE}.{space}")
}

/// Whether browsers reach the server over https (its public URL says so).
pub(crate) fn served_over_https(config: &Config) -> bool {
    config
        .public_url
        .as_deref()
        .is_some_and(|url| url.starts_with("https://"))
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
    config: &Config,
    query: &'a HashMap<String, String>,
    headers: &'a HeaderMap,
    space: &str,
) -> Result<Option<(&'a str, Source)>, ApiError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if let Some(token) = bearer.or(query.get("token").map(String::as_str)) {
        return Ok(Some((token.trim(), Source::Handed)));
    }
    Ok(session_token(config, headers, space)?.map(|token| (token, Source::Cookie)))
}

/// The token of the browser's session in `space`, if it has one. A
/// browser that sends two (a page on another port of the host can set a
/// cookie of the same name for a narrower path, which the browser sends
/// first) has neither taken: which is the person's own cannot be told.
pub(crate) fn session_token<'a>(
    config: &Config,
    headers: &'a HeaderMap,
    space: &str,
) -> Result<Option<&'a str>, ApiError> {
    let name = session_cookie(config, space);
    let mut sent = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .filter(|(cookie, _)| *cookie == name)
        .map(|(_, value)| value);
    let first = sent.next();
    if sent.next().is_some() {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "two-sessions",
            "this browser sent two sessions for this space, and neither is taken: one may have been planted by a page of another site",
        ));
    }
    Ok(first)
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
    let (token, source) =
        token(&state.config, &query, &parts.headers, space)?.ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "no-token",
                "a token is required (Authorization: Bearer TOKEN, or the query parameter `token`)",
            )
        })?;
    if source == Source::Cookie && acts(parts) {
        origin::check(&state.config, &parts.headers)?;
    }
    verified(state, token, space).await
}

/// The claims of `token` if it holds in `space`: signed by this server,
/// unexpired, and its user's access not revoked since it was issued.
pub(crate) async fn verified(
    state: &AppState,
    token: &str,
    space: &str,
) -> Result<Claims, ApiError> {
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
