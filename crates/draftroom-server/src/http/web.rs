//! The web app, served by the server itself: the built files of `web/`,
//! and the sign-in links `/s/{space}?token=…`, which keep the token in a
//! cookie (so the app's websockets and API calls carry it) and drop it from
//! the address bar.

use std::collections::HashMap;
use std::path::Path;

use axum::Router;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get_service};
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use draftroom_auth::{Claims, Role};
use serde::Serialize;

use super::caller::{
    Body, authenticate, served_over_https, session_cookie, session_token, verified,
};
use super::error::ApiError;
use super::wire::NewSession;
use super::{AppState, origin};
use crate::clock::now_secs;

/// The web app's pages under a space; each is the app, which reads the
/// address to know which page to draw.
pub(crate) const PAGES: [&str; 9] = [
    "/s/{space}",
    "/s/{space}/r/{recommendation}",
    "/s/{space}/p/{proposal}",
    "/s/{space}/proposals",
    "/s/{space}/versions",
    "/s/{space}/meetings",
    "/s/{space}/v/{version}/{recommendation}",
    "/s/{space}/people",
    "/s/{space}/implementation",
];

/// The id of the element in which a page carries, for the app to show,
/// why it is not the page asked for (the API's error JSON).
pub(crate) const PROBLEM_ELEMENT: &str = "draftroom-problem";

/// The id of the element in which a page carries a sign-in link that
/// would replace the browser's session in the space with another
/// person's: the app asks before it does.
pub(crate) const SWITCH_ELEMENT: &str = "draftroom-switch";

/// What the app's pages may load and run: its own scripts, styles and
/// connections only (the editors set colours and positions in inline
/// styles), in no frame of another site.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Headers on every answer: the policy above; no `Referer` (sign-in
/// addresses carry tokens); no guessing of types; no framing.
pub(crate) fn secured<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let headers = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    headers.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ))
    })
}

/// Assets are named by their content's hash: a browser keeps them a year.
const ASSETS_CACHE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
/// A page names the assets of the build it belongs to: always asked anew.
const PAGE_CACHE: HeaderValue = HeaderValue::from_static("no-cache");
/// A page that holds a token: kept by no cache.
const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");

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
    app_page(&state, Some(Carried::Problem(no_such_page()))).await
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
        return app_page(state, problem.map(Carried::Problem)).await;
    };
    // A link that does not sign in still opens the app, which says why
    // and what to do.
    let offered = match authenticate(state, space, parts).await {
        Ok(offered) => offered,
        Err(refused) => return app_page(state, Some(Carried::Problem(refused))).await,
    };
    // A link for someone else than the browser is signed in as may have
    // been planted by another site, to have the victim work as its
    // owner: the app asks first, and a same-origin request switches.
    if let Some(current) = current_session(state, space, &parts.headers).await
        && current.user != offered.user
    {
        let switch = Switch {
            space,
            current: Person::of(&current),
            offered: Person::of(&offered),
            token,
        };
        return app_page(state, Some(Carried::Switch(switch))).await;
    }
    (
        [(
            header::SET_COOKIE,
            session_cookie_header(state, space, token, &offered),
        )],
        Redirect::to(parts.uri.path()),
    )
        .into_response()
}

/// Starts a session with a sign-in link's token, in place of the
/// browser's current one in the space: what the app sends once its user
/// has said yes. Only a page of the server's own origin may ask.
pub(crate) async fn new_session(
    State(state): State<AppState>,
    UrlPath(params): UrlPath<HashMap<String, String>>,
    parts: Parts,
    Body(body): Body<NewSession>,
) -> Result<Response, ApiError> {
    origin::check(&state.config, &parts.headers)?;
    let space = params.get("space").map(String::as_str).unwrap_or_default();
    let claims = verified(&state, &body.token, space).await?;
    let cookie = session_cookie_header(&state, space, &body.token, &claims);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// Who the browser's session in `space` is, if it has a session that
/// still holds.
async fn current_session(state: &AppState, space: &str, headers: &HeaderMap) -> Option<Claims> {
    let token = session_token(&state.config, headers, space).ok()??;
    verified(state, token, space).await.ok()
}

/// The `Set-Cookie` that keeps `token` as the browser's session in
/// `space`, for as long as the token holds; `Secure` when the server's
/// public address is https.
fn session_cookie_header(state: &AppState, space: &str, token: &str, claims: &Claims) -> String {
    let name = session_cookie(&state.config, space);
    let max_age = claims.exp.saturating_sub(now_secs());
    let secure = if served_over_https(&state.config) {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

/// What a page carries for the app in place of the page asked for.
enum Carried<'a> {
    /// Why the page cannot be shown.
    Problem(ApiError),
    /// A sign-in link that would switch the browser to another person.
    Switch(Switch<'a>),
}

#[derive(Serialize)]
struct Switch<'a> {
    space: &'a str,
    current: Person,
    offered: Person,
    token: &'a str,
}

#[derive(Serialize)]
struct Person {
    user: String,
    role: Role,
}

impl Person {
    fn of(claims: &Claims) -> Person {
        Person {
            user: claims.user.clone(),
            role: claims.role,
        }
    }
}

/// The app's entry page; with something `carried` (a problem, a switch
/// of person), the page holds it for the app to show in place of the page
/// asked for, under the problem's status.
async fn app_page(state: &AppState, carried: Option<Carried<'_>>) -> Response {
    let page = match &state.config.web_dir {
        Some(dir) => tokio::fs::read_to_string(dir.join("index.html")).await.ok(),
        None => None,
    };
    let Some(page) = page else {
        return not_built().await.into_response();
    };
    let cache = [(header::CACHE_CONTROL, PAGE_CACHE)];
    match carried {
        None => (cache, Html(page)).into_response(),
        Some(Carried::Problem(problem)) => {
            let (status, json) = problem.for_page();
            (status, cache, Html(carry(&page, PROBLEM_ELEMENT, &json))).into_response()
        }
        Some(Carried::Switch(switch)) => {
            // It holds a token: no cache keeps it.
            let json = serde_json::to_string(&switch).unwrap_or_default();
            let page = carry(&page, SWITCH_ELEMENT, &json);
            ([(header::CACHE_CONTROL, NO_STORE)], Html(page)).into_response()
        }
    }
}

/// The app's page with `json` in the element `element`, for the app to read.
fn carry(page: &str, element: &str, json: &str) -> String {
    // JSON inside a script element must not close it.
    let json = json.replace('<', "\\u003c");
    let carried =
        format!(r#"<script id="{element}" type="application/json">{json}</script></head>"#);
    page.replacen("</head>", &carried, 1)
}
