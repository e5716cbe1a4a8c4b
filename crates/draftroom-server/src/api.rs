//! The HTTP API for what needs authority: creating spaces and
//! recommendations, statuses, alternatives, support, export. Roles are
//! checked here, on the server; every change goes through the document's
//! room, so it is stored and broadcast like any live edit.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::time::SystemTime;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use draftroom_auth::{Claims, Role};
use draftroom_model::{
    Consensus, Format, INDEX_DOC, ModelError, Recommendation, RecommendationSummary, SpaceExport,
    SpaceView, Status, Topic, add_alternative, add_summary, create_recommendation, create_space,
    export, is_frozen, next_number, open_brackets, read_recommendation, read_space,
    recommendation_doc, recommendation_summary, set_status, set_support, update_summary,
};
use draftroom_store::{DocName, check_space};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use yrs::updates::decoder::Decode;
use yrs::{Doc, ReadTxn, StateVector, Transact, Update};

use crate::http::{ApiError, AppState, authenticate};
use crate::room::{RoomError, Rooms};
use crate::workflow::record;
use serde_json::json;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/spaces", post(new_space))
        .route("/api/spaces/{space}", get(space))
        .route(
            "/api/spaces/{space}/recommendations",
            post(new_recommendation),
        )
        .route(
            "/api/spaces/{space}/recommendations/{id}",
            get(recommendation),
        )
        .route(
            "/api/spaces/{space}/recommendations/{id}/status",
            put(status),
        )
        .route(
            "/api/spaces/{space}/recommendations/{id}/alternatives",
            post(new_alternative),
        )
        .route(
            "/api/spaces/{space}/recommendations/{id}/support",
            post(support),
        )
        .route("/api/spaces/{space}/export", get(export_space))
        .merge(crate::workflow::routes())
}

/// A JSON body whose rejection is an [`ApiError`] like every other error.
pub(crate) struct Body<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Body(value)),
            Err(rejection) => Err(bad_body(&rejection)),
        }
    }
}

fn bad_body(rejection: &JsonRejection) -> ApiError {
    ApiError::bad_request(rejection.body_text())
}

impl From<ModelError> for ApiError {
    fn from(error: ModelError) -> Self {
        let (status, code) = match &error {
            ModelError::SpaceExists => (StatusCode::CONFLICT, "space-exists"),
            ModelError::NoSuchTopic(_) => (StatusCode::BAD_REQUEST, "no-such-topic"),
            ModelError::NoSuchAlternative(_) => (StatusCode::NOT_FOUND, "no-such-alternative"),
            ModelError::Invalid(_) => (StatusCode::BAD_REQUEST, "bad-request"),
        };
        ApiError::new(status, code, error.to_string())
    }
}

impl From<RoomError> for ApiError {
    fn from(error: RoomError) -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "store-unavailable",
            error.to_string(),
        )
    }
}

/// Who is calling, checked against `space`, and allowed at least `least`.
pub(crate) fn caller(
    state: &AppState,
    space: &str,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
    least: Role,
) -> Result<Claims, ApiError> {
    let claims = authenticate(&state.secret, space, query, headers)?;
    if claims.role < least {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "this needs the {least} role or above; you are {}",
                claims.role
            ),
        ));
    }
    Ok(claims)
}

pub(crate) fn doc_name(space: &str, doc: &str) -> Result<DocName, ApiError> {
    DocName::new(space, doc)
        .map_err(|error| ApiError::new(StatusCode::NOT_FOUND, "not-found", error.to_string()))
}

pub(crate) fn now() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}

/// Refuses a blank required text with "{what} needs {needs}".
pub(crate) fn require(value: &str, message: &'static str) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        Err(ApiError::bad_request(message))
    } else {
        Ok(())
    }
}

/// The space as its index holds it, or 404.
pub(crate) async fn load_space(rooms: &Rooms, space: &str) -> Result<SpaceView, ApiError> {
    rooms
        .read(&doc_name(space, INDEX_DOC)?, |txn| read_space(txn))
        .await?
        .ok_or_else(|| no_such_space(space))
}

pub(crate) fn no_such_space(space: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no-such-space",
        format!("no space {space:?}"),
    )
}

pub(crate) fn no_such_recommendation(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no-such-recommendation",
        format!("no recommendation {id:?}"),
    )
}

fn frozen() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "frozen",
        "the recommendation is adopted: it is frozen until the chair moves it back",
    )
}

#[derive(Deserialize)]
struct NewSpace {
    id: String,
    title: String,
    #[serde(default)]
    topics: Vec<Topic>,
}

#[derive(Serialize)]
struct SpaceBody {
    id: String,
    #[serde(flatten)]
    space: SpaceView,
    /// Every recommendation, topic by topic, in one list.
    recommendations: Vec<RecommendationSummary>,
}

impl SpaceBody {
    fn new(id: &str, space: SpaceView) -> Self {
        let recommendations = space
            .topics
            .iter()
            .flat_map(|topic| topic.recommendations.iter().cloned())
            .collect();
        SpaceBody {
            id: id.to_owned(),
            space,
            recommendations,
        }
    }
}

async fn new_space(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Body(body): Body<NewSpace>,
) -> Result<Response, ApiError> {
    check_space(&body.id).map_err(|error| {
        ApiError::new(StatusCode::BAD_REQUEST, "bad-space-id", error.to_string())
    })?;
    let claims = caller(&state, &body.id, &query, &headers, Role::Chair)?;
    require(&body.title, "a space needs a title")?;
    let topics = serde_json::to_value(&body.topics).unwrap_or_default();
    let view = add_space(
        &state.rooms,
        &body.id,
        &body.title,
        body.topics,
        &claims.user,
    )
    .await?;
    record(
        &state,
        &body.id,
        &claims.user,
        "space.created",
        json!({ "title": body.title, "topics": topics }),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(SpaceBody::new(&body.id, view))).into_response())
}

/// Creates a space with its topics.
pub(crate) async fn add_space(
    rooms: &Rooms,
    space: &str,
    title: &str,
    topics: Vec<Topic>,
    user: &str,
) -> Result<SpaceView, ApiError> {
    let (title, user, now) = (title.to_owned(), user.to_owned(), now());
    let view = rooms
        .edit(&doc_name(space, INDEX_DOC)?, move |txn| {
            create_space(txn, &title, &topics, &user, &now)?;
            read_space(txn).ok_or_else(|| ModelError::Invalid("the space was not created".into()))
        })
        .await??;
    Ok(view)
}

async fn space(
    State(state): State<AppState>,
    Path(space): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Json<SpaceBody>, ApiError> {
    caller(&state, &space, &query, &headers, Role::Observer)?;
    let view = load_space(&state.rooms, &space).await?;
    Ok(Json(SpaceBody::new(&space, view)))
}

#[derive(Deserialize)]
struct NewRecommendation {
    topic: String,
    title: String,
    #[serde(default)]
    text: String,
}

#[derive(Serialize)]
pub(crate) struct Created {
    pub(crate) id: String,
    pub(crate) doc: String,
}

async fn new_recommendation(
    State(state): State<AppState>,
    Path(space): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Body(body): Body<NewRecommendation>,
) -> Result<Response, ApiError> {
    let claims = caller(&state, &space, &query, &headers, Role::Chair)?;
    require(&body.title, "a recommendation needs a title")?;
    let created =
        add_recommendation(&state.rooms, &space, &body.topic, &body.title, &body.text).await?;
    record(
        &state,
        &space,
        &claims.user,
        "recommendation.created",
        json!({ "recommendation": created.id, "topic": body.topic, "title": body.title }),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Creates a recommendation under `topic` and lists it in the index.
pub(crate) async fn add_recommendation(
    rooms: &Rooms,
    space: &str,
    topic: &str,
    title: &str,
    text: &str,
) -> Result<Created, ApiError> {
    // The number is taken and the recommendation listed in one change of
    // the index, so two created at once never get the same number.
    let (topic, title_, brackets) = (topic.to_owned(), title.to_owned(), open_brackets(text));
    let missing = no_such_space(space);
    let summary = rooms
        .edit(&doc_name(space, INDEX_DOC)?, move |txn| {
            if read_space(txn).is_none() {
                return Err(missing);
            }
            let number = next_number(txn, &topic)?;
            let id = format!("{}-{number}", topic.to_ascii_lowercase());
            let summary = RecommendationSummary {
                doc: recommendation_doc(&id),
                id,
                topic,
                number,
                title: title_,
                status: Status::Draft,
                consensus: None,
                alternatives: 0,
                open_brackets: brackets,
                stale_alternatives: 0,
            };
            add_summary(txn, &summary);
            Ok(summary)
        })
        .await??;
    let (id, topic, number) = (summary.id.clone(), summary.topic.clone(), summary.number);
    let (title, text) = (title.to_owned(), text.to_owned());
    rooms
        .edit(&doc_name(space, &summary.doc)?, move |txn| {
            create_recommendation(txn, &id, &topic, number, &title, &text)
        })
        .await?;
    Ok(Created {
        id: summary.id,
        doc: summary.doc,
    })
}

#[derive(Serialize)]
struct RecommendationBody {
    doc: String,
    #[serde(flatten)]
    recommendation: Recommendation,
}

async fn recommendation(
    State(state): State<AppState>,
    Path((space, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Json<RecommendationBody>, ApiError> {
    caller(&state, &space, &query, &headers, Role::Observer)?;
    let doc = recommendation_doc(&id);
    let recommendation = state
        .rooms
        .read(&doc_name(&space, &doc)?, |txn| read_recommendation(txn))
        .await?
        .ok_or_else(|| no_such_recommendation(&id))?;
    Ok(Json(RecommendationBody {
        doc,
        recommendation,
    }))
}

/// Changes a recommendation with `change` (unless it is frozen and
/// `frozen_too` is false) and returns it as it then stands. The space
/// index's summary is refreshed before this returns, so the next look at
/// the space shows the change.
pub(crate) async fn change_recommendation<T: Send + 'static>(
    rooms: &Rooms,
    space: &str,
    id: &str,
    frozen_too: bool,
    change: impl FnOnce(&mut yrs::TransactionMut) -> Result<T, ApiError> + Send + 'static,
) -> Result<(T, Recommendation), ApiError> {
    let missing = no_such_recommendation(id);
    let (value, recommendation, summary) = rooms
        .edit(&doc_name(space, &recommendation_doc(id))?, move |txn| {
            if read_recommendation(txn).is_none() {
                return Err(missing);
            }
            if !frozen_too && is_frozen(txn) {
                return Err(frozen());
            }
            let value = change(txn)?;
            match (read_recommendation(txn), recommendation_summary(txn)) {
                (Some(recommendation), Some(summary)) => Ok((value, recommendation, summary)),
                _ => Err(ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the recommendation vanished",
                )),
            }
        })
        .await??;
    rooms
        .edit(&doc_name(space, INDEX_DOC)?, move |txn| {
            update_summary(txn, &summary)
        })
        .await?;
    Ok((value, recommendation))
}

#[derive(Deserialize)]
struct StatusChange {
    status: String,
    consensus: Option<String>,
}

async fn status(
    State(state): State<AppState>,
    Path((space, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Body(body): Body<StatusChange>,
) -> Result<Json<Recommendation>, ApiError> {
    let claims = caller(&state, &space, &query, &headers, Role::Chair)?;
    let status: Status = body.status.parse()?;
    let consensus: Option<Consensus> = body.consensus.as_deref().map(str::parse).transpose()?;
    // Moving an adopted recommendation back is how it thaws.
    let ((), recommendation) = change_recommendation(&state.rooms, &space, &id, true, move |txn| {
        Ok(set_status(txn, status, consensus)?)
    })
    .await?;
    record(
        &state,
        &space,
        &claims.user,
        "recommendation.status",
        json!({ "recommendation": id, "status": status.as_str(), "consensus": consensus.map(|c| c.as_str()) }),
    )
    .await?;
    Ok(Json(recommendation))
}

#[derive(Deserialize)]
struct NewAlternative {
    label: String,
    #[serde(default)]
    text: String,
}

async fn new_alternative(
    State(state): State<AppState>,
    Path((space, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Body(body): Body<NewAlternative>,
) -> Result<Response, ApiError> {
    let claims = caller(&state, &space, &query, &headers, Role::Member)?;
    require(&body.label, "an alternative needs a label")?;
    let alternative_id = format!("alt-{:08x}", rand::random::<u32>());
    let now = now();
    let (created, label, user) = (
        alternative_id.clone(),
        body.label.clone(),
        claims.user.clone(),
    );
    let ((), recommendation) =
        change_recommendation(&state.rooms, &space, &id, false, move |txn| {
            Ok(add_alternative(
                txn, &created, &label, &body.text, &user, &now,
            )?)
        })
        .await?;
    record(
        &state,
        &space,
        &claims.user,
        "alternative.added",
        json!({ "recommendation": id, "alternative": alternative_id, "label": body.label }),
    )
    .await?;
    let alternative = recommendation
        .alternatives
        .into_iter()
        .find(|alt| alt.id == alternative_id);
    Ok((StatusCode::CREATED, Json(alternative)).into_response())
}

#[derive(Deserialize)]
struct Support {
    #[serde(rename = "for")]
    choice: String,
}

#[derive(Serialize)]
struct SupportBody {
    support: BTreeMap<String, String>,
}

async fn support(
    State(state): State<AppState>,
    Path((space, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Body(body): Body<Support>,
) -> Result<Json<SupportBody>, ApiError> {
    let claims = caller(&state, &space, &query, &headers, Role::Member)?;
    let ((), recommendation) =
        change_recommendation(&state.rooms, &space, &id, false, move |txn| {
            Ok(set_support(txn, &claims.user, &body.choice)?)
        })
        .await?;
    Ok(Json(SupportBody {
        support: recommendation.support,
    }))
}

async fn export_space(
    State(state): State<AppState>,
    Path(space): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    caller(&state, &space, &query, &headers, Role::Observer)?;
    let format: Format = query.get("format").map_or("html", String::as_str).parse()?;
    let rooms = state.rooms.clone();
    let gathered = gather_export(&space, |name| {
        let rooms = rooms.clone();
        async move {
            let state = rooms
                .read(&name, |txn| {
                    txn.encode_state_as_update_v1(&StateVector::default())
                })
                .await?;
            Ok::<_, ApiError>(doc_from_update(&state))
        }
    })
    .await?
    .ok_or_else(|| no_such_space(&space))?;
    let disposition = format!(
        "attachment; filename=\"{space}.{}\"",
        format.file_extension()
    );
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        export(&gathered, format),
    )
        .into_response())
}

fn doc_from_update(update: &[u8]) -> Doc {
    let doc = Doc::new();
    if let Ok(update) = Update::decode_v1(update) {
        // A state the server encoded itself applies; nothing to report.
        let _ = doc.transact_mut().apply_update(update);
    }
    doc
}

/// Collects a space and its recommendations for export, reading each
/// document with `fetch`. `None` if there is no such space.
pub(crate) async fn gather_export<F, Fut, E>(
    space: &str,
    fetch: F,
) -> Result<Option<SpaceExport>, E>
where
    F: Fn(DocName) -> Fut,
    Fut: Future<Output = Result<Doc, E>>,
    E: From<String>,
{
    let name = |doc: &str| DocName::new(space, doc).map_err(|error| E::from(error.to_string()));
    let index = fetch(name(INDEX_DOC)?).await?;
    let Some(view) = read_space(&index.transact()) else {
        return Ok(None);
    };
    let mut recommendations = BTreeMap::new();
    for summary in view.topics.iter().flat_map(|topic| &topic.recommendations) {
        let doc = fetch(name(&summary.doc)?).await?;
        if let Some(recommendation) = read_recommendation(&doc.transact()) {
            recommendations.insert(summary.id.clone(), recommendation);
        }
    }
    Ok(Some(SpaceExport {
        id: space.to_owned(),
        space: view,
        recommendations,
        generated_at: now(),
    }))
}
