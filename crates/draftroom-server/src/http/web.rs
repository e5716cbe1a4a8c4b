//! The web app, served by the server itself: the built files of `web/`,
//! and the sign-in links `/s/{space}?token=…`, which keep the token in a
//! cookie (so the app's websockets and API calls carry it) and drop it from
//! the address bar.

use std::collections::HashMap;
use std::path::Path;

use axum::Router;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get_service};
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

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

/// The id of the element in which a page carries, for the app to show,
/// why it is not the page asked for (the API's error JSON).
pub(crate) const PROBLEM_ELEMENT: &str = "draftroom-problem";

/// Assets are named by their content's hash: a browser keeps them a year.
const ASSETS_CACHE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
/// A page names the assets of the build it belongs to: always asked anew.
const PAGE_CACHE: HeaderValue = HeaderValue::from_static("no-cache");

/// The built app's entry page and its assets (compressed, cached for good),
/// if `web_dir` holds a build.
pub(crate) fn files(web_dir: Option<&Path>) -> Option<(MethodRouter<AppState>, Router<AppState>)> {
    let dir = web_dir?;
    dir.join("index.html").is_file().then(|| {
        let index = get_service(ServeFile::new(dir.join("index.html"))).layer(
            SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, PAGE_CACHE),
        );
        let assets = Router::new()
            .fallback_service(ServeDir::new(dir.join("assets")))
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                // Not a missing file's answer: the file may come.
                |response: &Response| response.status().is_success().then_some(ASSETS_CACHE),
            ))
            .layer(CompressionLayer::new());
        (index, assets)
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
    parts: Parts,
) -> Response {
    page(&state, &params, &parts, None).await
}

/// An address under a space that names none of its pages: signs in like
/// any page (a link may be mistyped after its token), then says so.
pub(crate) async fn no_such_page_in_space(
    State(state): State<AppState>,
    UrlPath(params): UrlPath<HashMap<String, String>>,
    parts: Parts,
) -> Response {
    page(&state, &params, &parts, Some(no_such_page())).await
}

/// What answers an address no route takes: the API's JSON error under
/// `/api/` and `/ws/`; otherwise the app, which says there is no such page
/// and offers the way back.
pub(crate) async fn no_such_route(State(state): State<AppState>, uri: Uri) -> Response {
    let path = uri.path();
    let for_programs = ["/api/", "/ws/"]
        .iter()
        .any(|prefix| path.starts_with(prefix));
    if for_programs || state.config.web_dir.is_none() {
        return ApiError::not_found().into_response();
    }
    app_page(&state, Some(no_such_page())).await
}

fn no_such_page() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no-such-page",
        "there is no such page",
    )
}

async fn page(
    state: &AppState,
    params: &HashMap<String, String>,
    parts: &Parts,
    problem: Option<ApiError>,
) -> Response {
    let space = params.get("space").map(String::as_str).unwrap_or_default();
    let query = Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
        .map(|Query(query)| query)
        .unwrap_or_default();
    let Some(token) = query.get("token") else {
        return app_page(state, problem).await;
    };
    // A link that does not sign in still opens the app, which says why
    // and what to do.
    if let Err(refused) = authenticate(&state.secret, space, parts) {
        return app_page(state, Some(refused)).await;
    }
    let cookie = format!("{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax");
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to(parts.uri.path()),
    )
        .into_response()
}

/// The app's entry page; with `problem`, the page carries it for the app to
/// show in place of the page asked for, under the problem's status.
async fn app_page(state: &AppState, problem: Option<ApiError>) -> Response {
    let page = match &state.config.web_dir {
        Some(dir) => tokio::fs::read_to_string(dir.join("index.html")).await.ok(),
        None => None,
    };
    let Some(page) = page else {
        return not_built().await.into_response();
    };
    let cache = [(header::CACHE_CONTROL, PAGE_CACHE)];
    match problem {
        None => (cache, Html(page)).into_response(),
        Some(problem) => {
            let (status, json) = problem.for_page();
            // JSON inside a script element must not close it.
            let json = json.replace('<', "\\u003c");
            let carried = format!(
                r#"<script id="{PROBLEM_ELEMENT}" type="application/json">{json}</script></head>"#
            );
            (status, cache, Html(page.replacen("</head>", &carried, 1))).into_response()
        }
    }
}
