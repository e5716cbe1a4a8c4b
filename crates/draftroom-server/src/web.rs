//! The web app, served by the server itself: the built files of `web/`,
//! and the sign-in links `/s/{space}?token=…`, which keep the token in a
//! cookie (so the app's websockets and API calls carry it) and drop it from
//! the address bar.

use std::collections::HashMap;
use std::path::Path;

use axum::Router;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::StatusCode;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use draftroom_auth::{Claims, Role};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tower_http::services::{ServeDir, ServeFile};

use crate::api::{Body, caller, require};
use crate::http::{ApiError, AppState, TOKEN_COOKIE, authenticate, now_secs};
use crate::workflow::record;

pub(crate) fn routes(web_dir: Option<&Path>) -> Router<AppState> {
    let router = Router::new()
        .route("/api/spaces/{space}/me", get(me))
        .route("/api/spaces/{space}/links", post(mint_link))
        .route("/s/{space}", get(sign_in))
        .route("/s/{space}/r/{recommendation}", get(sign_in))
        .route("/s/{space}/p/{proposal}", get(sign_in))
        .route("/s/{space}/proposals", get(sign_in))
        .route("/s/{space}/versions", get(sign_in))
        .route("/s/{space}/v/{version}/{recommendation}", get(sign_in))
        .route("/s/{space}/people", get(sign_in));
    match web_dir {
        Some(dir) if dir.join("index.html").is_file() => router
            .route_service("/", ServeFile::new(dir.join("index.html")))
            .nest_service("/assets", ServeDir::new(dir.join("assets"))),
        _ => router.route("/", get(not_built)),
    }
}

async fn not_built() -> Html<&'static str> {
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
async fn sign_in(
    State(state): State<AppState>,
    UrlPath(params): UrlPath<HashMap<String, String>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Result<Response, ApiError> {
    let space = params.get("space").cloned().unwrap_or_default();
    let Some(token) = query.get("token") else {
        return Ok(app_page(&state).await);
    };
    authenticate(&state.secret, &space, &query, &headers)?;
    let cookie = format!("{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax");
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(uri.path())).into_response())
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

#[derive(Serialize)]
struct Me {
    space: String,
    user: String,
    role: Role,
}

/// Who the browser is signed in as, in this space.
async fn me(
    State(state): State<AppState>,
    UrlPath(space): UrlPath<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<axum::Json<Me>, ApiError> {
    let claims = caller(&state, &space, &query, &headers, Role::Observer)?;
    Ok(axum::Json(Me {
        space: claims.space,
        user: claims.user,
        role: claims.role,
    }))
}

#[derive(Deserialize)]
struct MintLink {
    user: String,
    role: Role,
    /// How many days the link works; 30 unless said.
    #[serde(default = "default_days")]
    days: u64,
}

fn default_days() -> u64 {
    30
}

#[derive(Serialize)]
struct Link {
    user: String,
    role: Role,
    /// Seconds since the Unix epoch.
    expires_at: u64,
    /// The sign-in path, relative to this server: `/s/{space}?token=…`.
    path: String,
    token: String,
}

/// The longest a minted link may work: a year.
const MAX_LINK_DAYS: u64 = 366;

/// Mints a sign-in link for someone else (chair only). Links are not
/// stored: a link is its signed token, so the audit log records who minted
/// which user and role, never the token.
async fn mint_link(
    State(state): State<AppState>,
    UrlPath(space): UrlPath<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Body(body): Body<MintLink>,
) -> Result<(StatusCode, axum::Json<Link>), ApiError> {
    let claims = caller(&state, &space, &query, &headers, Role::Chair)?;
    let user = body.user.trim().to_owned();
    require(&user, "a link needs the user's name")?;
    if user.chars().count() > 64 || user.chars().any(char::is_control) {
        return Err(ApiError::bad_request(
            "a user's name is at most 64 characters, without control characters",
        ));
    }
    if !(1..=MAX_LINK_DAYS).contains(&body.days) {
        return Err(ApiError::bad_request(format!(
            "a link works for 1 to {MAX_LINK_DAYS} days"
        )));
    }
    let expires_at = now_secs() + body.days * 24 * 3600;
    let token = state.secret.sign(&Claims {
        space: space.clone(),
        user: user.clone(),
        role: body.role,
        exp: expires_at,
    });
    record(
        &state,
        &space,
        &claims.user,
        "link.minted",
        json!({ "user": user, "role": body.role, "expires_at": expires_at }),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Link {
            path: format!("/s/{space}?token={token}"),
            user,
            role: body.role,
            expires_at,
            token,
        }),
    ))
}
