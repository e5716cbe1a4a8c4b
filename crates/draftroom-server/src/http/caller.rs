//! Who is calling, and what they sent: extractors every handler shares, so
//! none repeats the token check or the error shape of a bad body.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use draftroom_auth::{Claims, Secret};
use serde::de::DeserializeOwned;

use super::AppState;
use super::error::ApiError;
use crate::clock::now_secs;
use crate::ops::Actor;

/// The name of the cookie the web app keeps its token in.
pub const TOKEN_COOKIE: &str = "draftroom_token";

/// The token from `Authorization: Bearer`, `?token=` or, for the web
/// app, its cookie.
fn token<'a>(query: &'a HashMap<String, String>, headers: &'a HeaderMap) -> Option<&'a str> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if let Some(token) = bearer.or(query.get("token").map(String::as_str)) {
        return Some(token.trim());
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .find_map(|(name, value)| (name == TOKEN_COOKIE).then_some(value))
}

/// The claims of the request's token, checked against `space`.
pub(crate) fn authenticate(
    secret: &Secret,
    space: &str,
    parts: &Parts,
) -> Result<Claims, ApiError> {
    let query = Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
        .map(|Query(query)| query)
        .unwrap_or_default();
    let token = token(&query, &parts.headers).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "no-token",
            "a token is required (Authorization: Bearer TOKEN, or the query parameter `token`)",
        )
    })?;
    Ok(secret.verify(token, space, now_secs())?)
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
        let claims = authenticate(&state.secret, space, parts)?;
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
