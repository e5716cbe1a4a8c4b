//! The HTTP layer: the one route table, who is calling, the wire types,
//! and the one error mapping. The websocket endpoint, health and metrics,
//! the web app's files and sign-in live here too.
//!
//! - [`api`]: the HTTP API, one thin handler per operation.
//! - [`caller`]: the token and the [`caller::Caller`] extractor; JSON
//!   bodies and query parameters whose rejections are errors like any other.
//! - [`wire`]: what the API takes and gives.
//! - [`error`]: every error as `{ "error": { "code", "message" } }`; server
//!   faults logged with their cause.
//! - [`websocket`] and [`connection`]: the upgrade, and one task per
//!   websocket.
//! - [`health`]: `/healthz`, `/readyz`, `/metrics`.
//! - [`listen`]: accepting connections, within the connection cap and
//!   header timeout.
//! - [`origin`]: which pages may use a browser's session.
//! - [`web`]: the web app's files and sign-in links.
//! - [`web_schema`]: the web app's copy of the schema, generated.

mod api;
mod caller;
mod connection;
mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod health;
pub(crate) mod listen;
pub(crate) mod origin;
mod web;
pub(crate) mod web_schema;
mod websocket;
mod wire;

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, patch, post, put};
use draftroom_auth::Secret;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower_http::timeout::TimeoutLayer;

pub use caller::TOKEN_COOKIE;

use crate::config::Config;
use crate::metrics::Metrics;
use crate::ops::Operations;

/// State every handler shares. Cloning is cheap: all of it is behind `Arc`s.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) config: Arc<Config>,
    pub(crate) secret: Secret,
    pub(crate) ops: Operations,
    pub(crate) metrics: Arc<Metrics>,
    /// Cancelled when the server shuts down: upgrades are refused, and
    /// every connection closes with 1001.
    pub(crate) shutdown: CancellationToken,
    /// Every connection's task, so shutdown can wait for them.
    pub(crate) tasks: TaskTracker,
    pub(crate) next_connection: Arc<AtomicU64>,
    /// When the store last answered a check, in milliseconds since the
    /// Unix epoch (0: never).
    pub(crate) store_ok_at: Arc<AtomicU64>,
}

/// Every route the server answers, in one table.
pub(crate) fn router(state: AppState) -> Router {
    let space = "/api/spaces/{space}";
    let recommendation = "/api/spaces/{space}/recommendations/{id}";
    let proposal = "/api/spaces/{space}/proposals/{id}";
    let mut router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/ws/{space}/{*doc}", get(websocket::websocket))
        .route("/api/spaces", post(api::new_space))
        .route(space, get(api::space))
        .route(&format!("{space}/me"), get(api::me))
        .route(&format!("{space}/links"), post(api::mint_link))
        .route(
            &format!("{space}/people"),
            get(api::people).post(api::add_person),
        )
        .route(
            &format!("{space}/people/{{user}}"),
            patch(api::change_person).delete(api::remove_person),
        )
        .route(&format!("{space}/report"), put(api::report_header))
        .route(
            &format!("{space}/meetings"),
            get(api::meetings).post(api::new_meeting),
        )
        .route(
            &format!("{space}/meetings/{{meeting}}"),
            put(api::change_meeting),
        )
        .route(
            &format!("{space}/meetings/{{meeting}}/reopen"),
            post(api::reopen),
        )
        .route(
            &format!("{space}/meetings/{{meeting}}/points"),
            get(api::points).post(api::add_point),
        )
        .route(
            &format!("{space}/meetings/{{meeting}}/activity"),
            get(api::activity),
        )
        .route(
            &format!("{space}/meetings/{{meeting}}/summary"),
            get(api::summary).post(api::draft_summary),
        )
        .route(
            &format!("{space}/revocations"),
            post(api::revoke).get(api::revocations),
        )
        .route(&format!("{space}/session"), post(web::new_session))
        .route(&format!("{space}/export"), get(api::export))
        .route(
            &format!("{space}/implementation"),
            get(api::space_implementation),
        )
        .route(
            &format!("{space}/implementation-report"),
            get(api::implementation_report),
        )
        .route(
            &format!("{space}/recommendations"),
            post(api::new_recommendation),
        )
        .route(recommendation, get(api::recommendation))
        .route(&format!("{recommendation}/status"), put(api::status))
        .route(
            &format!("{recommendation}/suggestions"),
            get(api::suggestions).post(api::new_suggestion),
        )
        .route(
            &format!("{recommendation}/suggestions/{{decision}}"),
            post(api::decide_authors_suggestions),
        )
        .route(
            &format!("{recommendation}/suggestions/{{suggestion}}/{{decision}}"),
            post(api::decide_suggestion),
        )
        .route(&format!("{recommendation}/brackets"), get(api::brackets))
        .route(&format!("{recommendation}/lineage"), get(api::lineage))
        .route(
            &format!("{recommendation}/implementation"),
            get(api::implementation).post(api::report_implementation),
        )
        .route(
            &format!("{recommendation}/comments"),
            get(api::comments).post(api::new_comment),
        )
        .route(
            &format!("{recommendation}/comments/{{comment}}/replies"),
            post(api::reply),
        )
        .route(
            &format!("{recommendation}/comments/{{comment}}/resolve"),
            post(api::resolve_comment),
        )
        .route(
            &format!("{recommendation}/comments/{{comment}}/reopen"),
            post(api::reopen_comment),
        )
        .route(
            &format!("{recommendation}/brackets/{{bracket}}"),
            patch(api::change_bracket),
        )
        .route(
            &format!("{recommendation}/alternatives"),
            post(api::new_alternative),
        )
        .route(
            &format!("{recommendation}/alternatives/{{alternative}}"),
            put(api::relabel_alternative),
        )
        .route(
            &format!("{recommendation}/alternatives/{{alternative}}/proponents"),
            post(api::join_proponents).delete(api::leave_proponents),
        )
        .route(
            &format!("{recommendation}/support"),
            post(api::support).delete(api::withdraw_support),
        )
        .route(
            &format!("{space}/proposals"),
            post(api::submit).get(api::proposals),
        )
        .route(proposal, get(api::proposal))
        .route(&format!("{proposal}/categorize"), post(api::categorize))
        .route(&format!("{proposal}/merge"), post(api::merge))
        .route(&format!("{proposal}/preview"), post(api::preview_merge))
        .route(&format!("{proposal}/reject"), post(api::reject))
        .route(&format!("{proposal}/withdraw"), post(api::withdraw))
        .route(
            &format!("{space}/versions"),
            post(api::name_version).get(api::versions),
        )
        .route(&format!("{space}/diff"), get(api::diff))
        .route(&format!("{space}/audit"), get(api::audit));
    for page in web::PAGES {
        router = router.route(page, get(web::sign_in));
    }
    router = router.route("/s/{space}/{*rest}", get(web::no_such_page_in_space));
    router = match web::files(state.config.web_dir.as_deref()) {
        Some((index, assets)) => router.route("/", index).nest("/assets", assets),
        None => router.route("/", get(web::not_built)),
    };
    let request_timeout = state.config.request_timeout;
    let router = router
        .fallback(web::no_such_route)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ));
    web::secured(router).with_state(state)
}

/// What a connection beyond the cap is answered: its health, so a load
/// balancer can still tell the node is alive, and 503 for the rest.
pub(crate) fn at_capacity(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .fallback(health::at_capacity)
        .with_state(state)
}
