//! The vice-chair's workflow over HTTP: the proposals inbox and merging,
//! named versions, word diffs, and the audit log every governance action
//! is recorded in.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bytes::Bytes;
use draftroom_auth::{Claims, Role};
use draftroom_model::{
    MergeRecord, PROPOSALS_DOC, Progress, Proposal, ProposalStatus, Protected, Run, VERSIONS_DOC,
    Version, add_alternative, branch_doc, diff_html, list_proposals, list_versions, put_proposal,
    put_version, read_proposal, read_recommendation, read_version, recommendation_doc, version_doc,
    word_diff,
};
use draftroom_store::{AuditEntry, verify_audit};
use serde::{Deserialize, Serialize};
use serde_json::json;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{GetString, ReadTxn, StateVector, Text, WriteTxn};

use crate::api::{
    Body, add_recommendation, caller, change_recommendation, doc_name, load_space,
    no_such_recommendation, now, require,
};
use crate::http::{ApiError, AppState};
use crate::room::apply_in;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/spaces/{space}/proposals", post(submit).get(proposals))
        .route("/api/spaces/{space}/proposals/{id}", get(proposal))
        .route(
            "/api/spaces/{space}/proposals/{id}/categorize",
            post(categorize),
        )
        .route("/api/spaces/{space}/proposals/{id}/merge", post(merge))
        .route("/api/spaces/{space}/proposals/{id}/reject", post(reject))
        .route(
            "/api/spaces/{space}/proposals/{id}/withdraw",
            post(withdraw),
        )
        .route(
            "/api/spaces/{space}/versions",
            post(name_version).get(versions),
        )
        .route("/api/spaces/{space}/diff", get(diff))
        .route("/api/spaces/{space}/audit", get(audit))
}

/// Appends a governance action to the space's audit log.
pub(crate) async fn record(
    state: &AppState,
    space: &str,
    actor: &str,
    action: &str,
    details: serde_json::Value,
) -> Result<AuditEntry, ApiError> {
    let body = json!({ "at": now(), "actor": actor, "action": action, "details": details });
    state
        .store
        .append_audit(space, Bytes::from(body.to_string()))
        .await
        .map_err(|error| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store-unavailable",
                error.to_string(),
            )
        })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect()
}

fn no_such_proposal(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no-such-proposal",
        format!("no proposal {id:?}"),
    )
}

fn conflict(error: draftroom_model::ModelError) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "not-open", error.to_string())
}

/// Reads a proposal, or 404.
async fn load_proposal(state: &AppState, space: &str, id: &str) -> Result<Proposal, ApiError> {
    let id_ = id.to_owned();
    state
        .rooms
        .read(&doc_name(space, PROPOSALS_DOC)?, move |txn| {
            read_proposal(txn, &id_)
        })
        .await?
        .ok_or_else(|| no_such_proposal(id))
}

/// Changes a proposal in the proposals document with `change`, which sees
/// it as it stands there (so two changes at once do not lose either).
async fn update_proposal(
    state: &AppState,
    space: &str,
    id: &str,
    change: impl FnOnce(&mut Proposal) -> Result<(), ApiError> + Send + 'static,
) -> Result<Proposal, ApiError> {
    let missing = no_such_proposal(id);
    let id = id.to_owned();
    state
        .rooms
        .edit(&doc_name(space, PROPOSALS_DOC)?, move |txn| {
            let mut proposal = read_proposal(txn, &id).ok_or(missing)?;
            change(&mut proposal)?;
            put_proposal(txn, &proposal);
            Ok(proposal)
        })
        .await?
}

/// Copies recommendation document `from` into document `to` (its whole
/// state, so the copy shares its history). Returns the state vector copied,
/// or `None` if `from` is not a recommendation.
async fn copy_recommendation(
    state: &AppState,
    space: &str,
    from: &str,
    to: &str,
) -> Result<Option<Vec<u8>>, ApiError> {
    let copied = state
        .rooms
        .read(&doc_name(space, from)?, |txn| {
            read_recommendation(txn).map(|_| {
                (
                    txn.encode_state_as_update_v1(&StateVector::default()),
                    txn.state_vector().encode_v1(),
                )
            })
        })
        .await?;
    let Some((whole, state_vector)) = copied else {
        return Ok(None);
    };
    state
        .rooms
        .edit(&doc_name(space, to)?, move |txn| apply_in(txn, &whole))
        .await?
        .map_err(|reason| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", reason))?;
    Ok(Some(state_vector))
}

#[derive(Deserialize)]
struct Submission {
    title: String,
    text: Option<String>,
    topic: Option<String>,
    branch_of: Option<String>,
}

#[derive(Serialize)]
struct Submitted {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    doc: Option<String>,
}

async fn submit(
    State(state): State<AppState>,
    Path(space): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Body(body): Body<Submission>,
) -> Result<Response, ApiError> {
    let claims = caller(&state, &space, &query, &headers, Role::Member)?;
    require(&body.title, "a proposal needs a title")?;
    let exists = load_space(&state.rooms, &space).await?;
    if let Some(topic) = &body.topic
        && !exists.topics.iter().any(|t| &t.letter == topic)
    {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "no-such-topic",
            format!("no topic {topic:?}"),
        ));
    }
    let id = format!("p-{:08x}", rand::random::<u32>());
    let mut proposal = Proposal {
        id: id.clone(),
        title: body.title,
        text: body.text,
        topic: body.topic,
        branch_of: None,
        doc: None,
        fork_state: None,
        author: claims.user.clone(),
        created_at: now(),
        status: ProposalStatus::Submitted,
        history: Vec::new(),
        merged_into: Vec::new(),
    };
    if let Some(recommendation) = body.branch_of {
        // The branch starts as a copy of the recommendation, sharing its
        // history, so that merging it back is a CRDT merge.
        let doc = branch_doc(&id);
        let fork_state =
            copy_recommendation(&state, &space, &recommendation_doc(&recommendation), &doc)
                .await?
                .ok_or_else(|| no_such_recommendation(&recommendation))?;
        if proposal.topic.is_none() {
            proposal.topic = recommendation
                .split('-')
                .next()
                .map(str::to_ascii_uppercase);
        }
        proposal.branch_of = Some(recommendation);
        proposal.doc = Some(doc);
        proposal.fork_state = Some(hex(&fork_state));
    }
    let at = proposal.created_at.clone();
    proposal.record(ProposalStatus::Submitted, &claims.user, &at, None);
    let stored = proposal.clone();
    state
        .rooms
        .edit(&doc_name(&space, PROPOSALS_DOC)?, move |txn| {
            put_proposal(txn, &stored)
        })
        .await?;
    record(
        &state,
        &space,
        &claims.user,
        "proposal.submitted",
        json!({ "proposal": id, "title": proposal.title, "branch_of": proposal.branch_of }),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(Submitted {
            id,
            doc: proposal.doc,
        }),
    )
        .into_response())
}

/// Vice-chairs and chairs see every proposal; others see their own.
fn may_see(claims: &Claims, proposal: &Proposal) -> bool {
    claims.role >= Role::ViceChair || proposal.author == claims.user
}

async fn proposals(
    State(state): State<AppState>,
    Path(space): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Json<Vec<Proposal>>, ApiError> {
    let claims = caller(&state, &space, &query, &headers, Role::Observer)?;
    let all = state
        .rooms
        .read(&doc_name(&space, PROPOSALS_DOC)?, |txn| list_proposals(txn))
        .await?;
    Ok(Json(
        all.into_iter().filter(|p| may_see(&claims, p)).collect(),
    ))
}

async fn proposal(
    State(state): State<AppState>,
    Path((space, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Json<Proposal>, ApiError> {
    let claims = caller(&state, &space, &query, &headers, Role::Observer)?;
    let proposal = load_proposal(&state, &space, &id).await?;
    if !may_see(&claims, &proposal) {
        return Err(no_such_proposal(&id));
    }
    Ok(Json(proposal))
}

#[derive(Deserialize)]
struct Categorize {
    topic: String,
}

async fn categorize(
    State(state): State<AppState>,
    Path((space, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Body(body): Body<Categorize>,
) -> Result<Json<Proposal>, ApiError> {
    let claims = caller(&state, &space, &query, &headers, Role::ViceChair)?;
    let topics = load_space(&state.rooms, &space).await?.topics;
    if !topics.iter().any(|t| t.letter == body.topic) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "no-such-topic",
            format!("no topic {:?}", body.topic),
        ));
    }
    let (user, at, topic) = (claims.user.clone(), now(), body.topic.clone());
    let proposal = update_proposal(&state, &space, &id, move |proposal| {
        proposal.check_open().map_err(conflict)?;
        proposal.topic = Some(topic);
        proposal.record(ProposalStatus::Categorized, &user, &at, None);
        Ok(())
    })
    .await?;
    record(
        &state,
        &space,
        &claims.user,
        "proposal.categorized",
        json!({ "proposal": id, "topic": body.topic }),
    )
    .await?;
    Ok(Json(proposal))
}

#[derive(Deserialize)]
struct Merge {
    into: Option<String>,
    #[serde(rename = "as")]
    merge_as: String,
    /// For free text into the majority: where, in characters (default: the end).
    position: Option<usize>,
    /// For `as: "new"`: the topic of the new recommendation.
    topic: Option<String>,
    /// Only part of the proposal was taken.
    #[serde(default)]
    partial: bool,
}

/// The texts a proposal offers: a branch's majority text (and its state
/// since the fork, for a CRDT merge), or its free text.
struct Offered {
    text: String,
    branch_update: Option<Vec<u8>>,
}

async fn offered(state: &AppState, space: &str, proposal: &Proposal) -> Result<Offered, ApiError> {
    match (&proposal.doc, &proposal.fork_state) {
        (Some(doc), Some(fork)) => {
            let fork = unhex(fork)
                .and_then(|bytes| StateVector::decode_v1(&bytes).ok())
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "internal",
                        "bad fork state",
                    )
                })?;
            let (text, update) = state
                .rooms
                .read(&doc_name(space, doc)?, move |txn| {
                    let text = txn
                        .get_text("text")
                        .map(|t| t.get_string(txn))
                        .unwrap_or_default();
                    (text, txn.encode_state_as_update_v1(&fork))
                })
                .await?;
            Ok(Offered {
                text,
                branch_update: Some(update),
            })
        }
        _ => Ok(Offered {
            text: proposal.text.clone().unwrap_or_default(),
            branch_update: None,
        }),
    }
}

async fn merge(
    State(state): State<AppState>,
    Path((space, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Body(body): Body<Merge>,
) -> Result<Json<Proposal>, ApiError> {
    let claims = caller(&state, &space, &query, &headers, Role::ViceChair)?;
    let proposal = load_proposal(&state, &space, &id).await?;
    proposal.check_open().map_err(conflict)?;
    let offered = offered(&state, &space, &proposal).await?;
    let at = now();
    let record_of =
        |recommendation: String, merged_as: &str, alternative: Option<String>| MergeRecord {
            recommendation,
            merged_as: merged_as.to_owned(),
            alternative,
            by: claims.user.clone(),
            at: at.clone(),
        };
    if body.merge_as == "majority"
        && let (Some(branch_of), Some(into)) = (&proposal.branch_of, &body.into)
        && branch_of != into
    {
        return Err(ApiError::bad_request(format!(
            "a branch of {branch_of} merges into {branch_of}'s majority text, not {into}'s"
        )));
    }
    let merged = match (body.merge_as.as_str(), body.into.clone()) {
        ("majority", Some(into)) => {
            let position = body.position;
            change_recommendation(&state.rooms, &space, &into, false, move |txn| {
                match offered.branch_update {
                    // The branch's edits since the fork, as one update: edits
                    // made meanwhile to the recommendation survive. Only texts
                    // are taken; what only the server changes stays as it is.
                    Some(update) => {
                        let protected = Protected::capture(txn);
                        apply_in(txn, &update).map_err(|reason| {
                            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", reason)
                        })?;
                        protected.restore(txn);
                    }
                    None => {
                        let majority = txn.get_or_insert_text("text");
                        let current = majority.get_string(txn);
                        let chars = current.chars().count();
                        let at_char = position.unwrap_or(chars).min(chars);
                        let at_utf16: u32 = current
                            .chars()
                            .take(at_char)
                            .map(|c| c.len_utf16() as u32)
                            .sum();
                        majority.insert(txn, at_utf16, &offered.text);
                    }
                }
                Ok(())
            })
            .await?;
            record_of(into, "majority", None)
        }
        ("alternative", Some(into)) => {
            let alternative = format!("alt-{:08x}", rand::random::<u32>());
            let (alt, label, author, when) = (
                alternative.clone(),
                proposal.title.clone(),
                proposal.author.clone(),
                at.clone(),
            );
            change_recommendation(&state.rooms, &space, &into, false, move |txn| {
                Ok(add_alternative(
                    txn,
                    &alt,
                    &label,
                    &offered.text,
                    &author,
                    &when,
                )?)
            })
            .await?;
            record_of(into, "alternative", Some(alternative))
        }
        ("new", _) => {
            let topic = body
                .topic
                .clone()
                .or_else(|| proposal.topic.clone())
                .ok_or_else(|| ApiError::bad_request("name a topic for the new recommendation"))?;
            let created =
                add_recommendation(&state.rooms, &space, &topic, &proposal.title, &offered.text)
                    .await?;
            record_of(created.id, "new", None)
        }
        _ => {
            return Err(ApiError::bad_request(
                "merge takes { \"into\": RECOMMENDATION_ID, \"as\": \"majority\" | \"alternative\" }, or { \"as\": \"new\", \"topic\"? }",
            ));
        }
    };
    let status = if body.partial {
        ProposalStatus::PartiallyMerged
    } else {
        ProposalStatus::Merged
    };
    let (user, when, entry) = (claims.user.clone(), at.clone(), merged.clone());
    let proposal = update_proposal(&state, &space, &id, move |proposal| {
        // Checked again here, where the record is changed: a concurrent
        // merge, rejection or withdrawal may have come first.
        proposal.check_open().map_err(conflict)?;
        proposal.merged_into.push(entry);
        proposal.record(status, &user, &when, None);
        Ok(())
    })
    .await?;
    record(
        &state,
        &space,
        &claims.user,
        "proposal.merged",
        json!({ "proposal": id, "into": merged.recommendation, "as": merged.merged_as, "alternative": merged.alternative, "partial": body.partial }),
    )
    .await?;
    Ok(Json(proposal))
}

#[derive(Deserialize)]
struct Reject {
    reason: String,
}

async fn reject(
    State(state): State<AppState>,
    Path((space, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Body(body): Body<Reject>,
) -> Result<Json<Proposal>, ApiError> {
    let claims = caller(&state, &space, &query, &headers, Role::ViceChair)?;
    require(&body.reason, "a rejection needs a reason")?;
    let (user, at, reason) = (claims.user.clone(), now(), body.reason.clone());
    let proposal = update_proposal(&state, &space, &id, move |proposal| {
        proposal.check_open().map_err(conflict)?;
        proposal.record(ProposalStatus::Rejected, &user, &at, Some(reason));
        Ok(())
    })
    .await?;
    record(
        &state,
        &space,
        &claims.user,
        "proposal.rejected",
        json!({ "proposal": id, "reason": body.reason }),
    )
    .await?;
    Ok(Json(proposal))
}

async fn withdraw(
    State(state): State<AppState>,
    Path((space, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Json<Proposal>, ApiError> {
    let claims = caller(&state, &space, &query, &headers, Role::Member)?;
    let (user, at) = (claims.user.clone(), now());
    let proposal = update_proposal(&state, &space, &id, move |proposal| {
        if proposal.author != user {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "only its author may withdraw a proposal",
            ));
        }
        proposal.check_open().map_err(conflict)?;
        proposal.record(ProposalStatus::Withdrawn, &user, &at, None);
        Ok(())
    })
    .await?;
    record(
        &state,
        &space,
        &claims.user,
        "proposal.withdrawn",
        json!({ "proposal": id }),
    )
    .await?;
    Ok(Json(proposal))
}

#[derive(Deserialize)]
struct NameVersion {
    name: String,
    recommendation: Option<String>,
}

#[derive(Serialize)]
struct Named {
    id: String,
}

async fn name_version(
    State(state): State<AppState>,
    Path(space): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Body(body): Body<NameVersion>,
) -> Result<Response, ApiError> {
    let claims = caller(&state, &space, &query, &headers, Role::ViceChair)?;
    require(&body.name, "a version needs a name")?;
    let view = load_space(&state.rooms, &space).await?;
    let summaries: Vec<_> = view
        .topics
        .iter()
        .flat_map(|topic| topic.recommendations.iter().cloned())
        .filter(|summary| {
            body.recommendation
                .as_ref()
                .is_none_or(|only| &summary.id == only)
        })
        .collect();
    if let Some(only) = &body.recommendation
        && summaries.is_empty()
    {
        return Err(no_such_recommendation(only));
    }
    let id = format!("v-{:08x}", rand::random::<u32>());
    // Each recommendation's state is copied into a document of the
    // version's own, which nobody edits after.
    for summary in &summaries {
        copy_recommendation(&state, &space, &summary.doc, &version_doc(&id, &summary.id)).await?;
    }
    let mut topics: BTreeMap<String, Progress> = BTreeMap::new();
    for summary in &summaries {
        let progress = topics.entry(summary.topic.clone()).or_default();
        progress.open_brackets += summary.open_brackets;
        progress.alternatives += summary.alternatives;
    }
    let version = Version {
        id: id.clone(),
        name: body.name,
        recommendation: body.recommendation,
        recommendations: summaries.iter().map(|s| s.id.clone()).collect(),
        open_brackets: topics.values().map(|p| p.open_brackets).sum(),
        alternatives: topics.values().map(|p| p.alternatives).sum(),
        topics,
        created_by: claims.user.clone(),
        created_at: now(),
    };
    let stored = version.clone();
    state
        .rooms
        .edit(&doc_name(&space, VERSIONS_DOC)?, move |txn| {
            put_version(txn, &stored)
        })
        .await?;
    record(
        &state,
        &space,
        &claims.user,
        "version.named",
        json!({ "version": id, "name": version.name, "recommendation": version.recommendation }),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Named { id })).into_response())
}

async fn versions(
    State(state): State<AppState>,
    Path(space): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Json<Vec<Version>>, ApiError> {
    caller(&state, &space, &query, &headers, Role::Observer)?;
    Ok(Json(
        state
            .rooms
            .read(&doc_name(&space, VERSIONS_DOC)?, |txn| list_versions(txn))
            .await?,
    ))
}

/// The texts one side of a diff names, by recommendation, as `claims`
/// may see them.
async fn side(
    state: &AppState,
    space: &str,
    name: &str,
    claims: &Claims,
) -> Result<BTreeMap<String, String>, ApiError> {
    let read_text = |doc: String, alternative: Option<String>| async move {
        state
            .rooms
            .read(&doc_name(space, &doc)?, move |txn| {
                read_recommendation(txn).and_then(|rec| match alternative {
                    None => Some(rec.text),
                    Some(alt) => rec
                        .alternatives
                        .into_iter()
                        .find(|a| a.id == alt)
                        .map(|a| a.text),
                })
            })
            .await
            .map_err(ApiError::from)
    };
    let unknown = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("nothing is named {name:?}"),
        )
    };
    let mut parts = name.split(':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("live"), None, None) => {
            let view = load_space(&state.rooms, space).await?;
            let mut texts = BTreeMap::new();
            for summary in view.topics.iter().flat_map(|t| &t.recommendations) {
                if let Some(text) = read_text(summary.doc.clone(), None).await? {
                    texts.insert(summary.id.clone(), text);
                }
            }
            Ok(texts)
        }
        (Some("live"), Some(rec), None) => {
            let text = read_text(recommendation_doc(rec), None)
                .await?
                .ok_or_else(unknown)?;
            Ok(BTreeMap::from([(rec.to_owned(), text)]))
        }
        (Some("alt"), Some(rec), Some(alt)) => {
            let text = read_text(recommendation_doc(rec), Some(alt.to_owned()))
                .await?
                .ok_or_else(unknown)?;
            Ok(BTreeMap::from([(rec.to_owned(), text)]))
        }
        (Some("proposal"), Some(id), None) => {
            let proposal = load_proposal(state, space, id).await?;
            if !may_see(claims, &proposal) {
                return Err(no_such_proposal(id));
            }
            let text = offered(state, space, &proposal).await?.text;
            let key = proposal
                .branch_of
                .unwrap_or_else(|| format!("proposal {id}"));
            Ok(BTreeMap::from([(key, text)]))
        }
        (Some(version), None, None) => {
            let id = version.to_owned();
            let version = state
                .rooms
                .read(&doc_name(space, VERSIONS_DOC)?, move |txn| {
                    read_version(txn, &id)
                })
                .await?
                .ok_or_else(unknown)?;
            let mut texts = BTreeMap::new();
            for rec in &version.recommendations {
                if let Some(text) = read_text(version_doc(&version.id, rec), None).await? {
                    texts.insert(rec.clone(), text);
                }
            }
            Ok(texts)
        }
        _ => Err(unknown()),
    }
}

#[derive(Serialize)]
struct RecommendationDiff {
    recommendation: String,
    runs: Vec<Run>,
}

#[derive(Serialize)]
struct DiffBody {
    from: String,
    to: String,
    /// The runs of the first (often the only) recommendation compared.
    runs: Vec<Run>,
    diffs: Vec<RecommendationDiff>,
}

async fn diff(
    State(state): State<AppState>,
    Path(space): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let claims = caller(&state, &space, &query, &headers, Role::Observer)?;
    let name = |key: &str| {
        query
            .get(key)
            .cloned()
            .ok_or_else(|| ApiError::bad_request(format!("name the `{key}` side")))
    };
    let (from_name, to_name) = (name("from")?, name("to")?);
    let from = side(&state, &space, &from_name, &claims).await?;
    let to = side(&state, &space, &to_name, &claims).await?;
    // One text against one is compared whatever they are called; several
    // are paired by recommendation.
    let pairs: Vec<(String, &str, &str)> = if from.len() == 1 && to.len() == 1 {
        let (key, old) = from
            .iter()
            .next()
            .map(|(k, v)| (k.clone(), v.as_str()))
            .unwrap_or_default();
        let new = to.values().next().map_or("", String::as_str);
        vec![(key, old, new)]
    } else {
        let keys: std::collections::BTreeSet<&String> = from.keys().chain(to.keys()).collect();
        keys.into_iter()
            .map(|key| {
                (
                    key.clone(),
                    from.get(key).map_or("", String::as_str),
                    to.get(key).map_or("", String::as_str),
                )
            })
            .collect()
    };
    let diffs: Vec<RecommendationDiff> = pairs
        .into_iter()
        .map(|(recommendation, old, new)| RecommendationDiff {
            recommendation,
            runs: word_diff(old, new),
        })
        .collect();
    if query.get("format").map(String::as_str) == Some("html") {
        let mut html = String::from("<div class=\"diffs\">\n");
        for diff in &diffs {
            html.push_str(&format!(
                "<section class=\"diff\" data-recommendation=\"{}\"><p>{}</p></section>\n",
                diff.recommendation.replace('"', ""),
                diff_html(&diff.runs)
            ));
        }
        html.push_str("</div>\n");
        return Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response());
    }
    Ok(Json(DiffBody {
        from: from_name,
        to: to_name,
        runs: diffs.first().map(|d| d.runs.clone()).unwrap_or_default(),
        diffs,
    })
    .into_response())
}

async fn audit(
    State(state): State<AppState>,
    Path(space): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    caller(&state, &space, &query, &headers, Role::Observer)?;
    let log = state.store.read_audit(&space).await.map_err(|error| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "store-unavailable",
            error.to_string(),
        )
    })?;
    let entries: Vec<serde_json::Value> = log
        .entries
        .iter()
        .map(|entry| {
            let body: serde_json::Value =
                serde_json::from_slice(&entry.body).unwrap_or(serde_json::Value::Null);
            json!({ "seq": entry.seq, "prev": entry.prev, "hash": entry.hash, "entry": body })
        })
        .collect();
    let verdict = verify_audit(&log);
    Ok(Json(json!({
        "entries": entries,
        "intact": verdict.is_ok(),
        "fault": verdict.err().map(|fault| fault.to_string()),
    })))
}
