//! The web app, served by the server itself: the built files of `web/`,
//! and the sign-in links `/s/{space}?token=…`, which keep the token in a
//! cookie (so the app's websockets and API calls carry it) and drop it from
//! the address bar.

use std::collections::HashMap;
use std::path::Path;

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use tower_http::services::{ServeDir, ServeFile};

use super::AppState;
use super::caller::{TOKEN_COOKIE, authenticate};
use super::error::ApiError;

/// The web app's pages under a space; each is the app, which reads the
/// address to know which page to draw.
pub(crate) const PAGES: [&str; 7] = [
    "/s/{space}",
    "/s/{space}/r/{recommendation}",
    "/s/{space}/p/{proposal}",
    "/s/{space}/proposals",
    "/s/{space}/versions",
    "/s/{space}/v/{version}/{recommendation}",
    "/s/{space}/people",
];

/// The built app's entry page and assets, if `web_dir` holds a build.
pub(crate) fn files(web_dir: Option<&Path>) -> Option<(ServeFile, ServeDir)> {
    let dir = web_dir?;
    dir.join("index.html").is_file().then(|| {
        (
            ServeFile::new(dir.join("index.html")),
            ServeDir::new(dir.join("assets")),
        )
    })
}

pub(crate) async fn not_built() -> Html<&'static str> {
    Html(
        "<!doctype html><title>Draftroom</title><h1>Draftroom</h1>\
         <p>The web app is not built: run <code>./deploy/run-local</code>, or \
         <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code> and start the server with \
         <code>--web web/dist</code>.</p>",
    )
}

/// A sign-in link: checks the token, keeps it in a cookie, and sends the
/// browser to the same page without it. Without a token, serves the app,
/// which signs in with the cookie it already has.
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    UrlPath(params): UrlPath<HashMap<String, String>>,
    Query(query): Query<HashMap<String, String>>,
    parts: Parts,
) -> Result<Response, ApiError> {
    let space = params.get("space").cloned().unwrap_or_default();
    let Some(token) = query.get("token") else {
        return Ok(app_page(&state).await);
    };
    authenticate(&state.secret, &space, &parts)?;
    let cookie = format!("{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax");
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to(parts.uri.path()),
    )
        .into_response())
}

async fn app_page(state: &AppState) -> Response {
    match &state.config.web_dir {
        Some(dir) => match tokio::fs::read_to_string(dir.join("index.html")).await {
            Ok(page) => Html(page).into_response(),
            Err(_) => not_built().await.into_response(),
        },
        None => not_built().await.into_response(),
    }
}
