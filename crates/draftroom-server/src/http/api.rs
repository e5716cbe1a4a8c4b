//! The HTTP API: each handler turns a request into one operation and its
//! answer into a response. Who may do what is the operations' to decide;
//! handlers only say who is calling ([`Caller`]) and what they sent.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use draftroom_model::{
    Alternative, Bracket, Comment, CommentChange, DocPath, Entry, Format, Meeting, Person, Point,
    ReportHeader, Suggestion,
};
use serde::Deserialize;

use super::AppState;
use super::caller::{Body, Caller, Params, authenticate};
use super::error::ApiError;
use super::wire::{
    AuditBody, AuthorsSuggestions, BracketChangeBody, BracketsBody, Categorize, CommentsBody,
    Created, Decision, DiffBody, DiffFormat, DiffQuery, DraftSummary, DraftedSummary, ExportQuery,
    ImplementationBody, ImplementationReportQuery, LineageBody, LinkBody, Me, MeetingBody, Merge,
    MergePreviewBody, MintLink, NameVersion, NewAlternative, NewComment, NewPerson, NewProposal,
    NewRecommendation, NewReply, NewSpace, NewSuggestion, PersonBody, PointBody, ProposalBody,
    RecommendationBody, Reject, Relabel, Reopen, Revoke, RevokedBody, SpaceBody, StatusChange,
    SuggestionsBody, SummaryQuery, Support, SupportBody, VersionBody,
};
use crate::clock::now_rfc3339;
use crate::ops::Actor;
use crate::ops::access::proposals_doc_of;
use crate::ops::diff::diffs_html;
use crate::ops::export::{ExportRequest, Requested, statuses};
use crate::ops::history::Activity;
use crate::ops::implementation::Implemented;
use crate::ops::recommendations::NewAlternative as NewAlternativeOp;
use crate::ops::spaces::check_space_id;
use crate::ops::suggestions::Which;

/// The `{id}` of a route under a space.
#[derive(Deserialize)]
pub(crate) struct Id {
    id: String,
}

#[derive(Deserialize)]
pub(crate) struct PersonPath {
    user: String,
}

type Answer<T> = Result<Json<T>, ApiError>;

fn created(body: impl serde::Serialize) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}

// Spaces and recommendations.

/// Creates a space: the token must be the chair's of that very space.
pub(crate) async fn new_space(
    State(state): State<AppState>,
    parts: axum::http::request::Parts,
    Body(body): Body<NewSpace>,
) -> Result<Response, ApiError> {
    check_space_id(&body.id)?;
    let actor = Actor::from(authenticate(&state, &body.id, &parts).await?);
    let view = state
        .ops
        .create_space(&actor, &body.title, body.topics)
        .await?;
    Ok(created(SpaceBody::new(&body.id, view)))
}

pub(crate) async fn space(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> Answer<SpaceBody> {
    let view = state.ops.space(&actor).await?;
    Ok(Json(SpaceBody::new(&actor.space, view)))
}

pub(crate) async fn new_recommendation(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Body(body): Body<NewRecommendation>,
) -> Result<Response, ApiError> {
    let made = state.ops.create_recommendation(&actor, body.into()).await?;
    Ok(created(Created {
        id: made.id,
        doc: Some(made.doc),
    }))
}

pub(crate) async fn recommendation(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
) -> Answer<RecommendationBody> {
    let recommendation = state.ops.recommendation(&actor, &id).await?;
    Ok(Json(RecommendationBody {
        doc: DocPath::Recommendation(&id).to_string(),
        recommendation,
    }))
}

pub(crate) async fn status(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
    Body(body): Body<StatusChange>,
) -> Answer<draftroom_model::Recommendation> {
    let recommendation = state.ops.set_status(&actor, &id, body.into()).await?;
    Ok(Json(recommendation))
}

pub(crate) async fn brackets(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
) -> Answer<BracketsBody> {
    let brackets = state.ops.brackets(&actor, &id).await?;
    Ok(Json(BracketsBody { brackets }))
}

/// Where a recommendation's text came from and where it went, from the
/// audit log (anyone in the space).
pub(crate) async fn lineage(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
) -> Answer<LineageBody> {
    let steps = state.ops.lineage(&actor, &id).await?;
    Ok(Json(LineageBody {
        recommendation: id,
        steps,
    }))
}

/// Every adopted recommendation with its responsible body and its
/// implementation reports (anyone in the space).
pub(crate) async fn space_implementation(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> Answer<Vec<Implemented>> {
    Ok(Json(state.ops.implementation(&actor).await?))
}

/// A recommendation's implementation reports (anyone in the space).
pub(crate) async fn implementation(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
) -> Answer<Vec<Entry>> {
    Ok(Json(
        state.ops.recommendation(&actor, &id).await?.implementation,
    ))
}

/// Reports on an adopted recommendation's implementation (its responsible
/// body's representatives, the vice-chair and the chair).
pub(crate) async fn report_implementation(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
    Body(body): Body<ImplementationBody>,
) -> Result<Response, ApiError> {
    Ok(created(
        state
            .ops
            .report_implementation(&actor, &id, body.into())
            .await?,
    ))
}

pub(crate) async fn comments(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
) -> Answer<CommentsBody> {
    let comments = state.ops.comments(&actor, &id).await?;
    Ok(Json(CommentsBody { comments }))
}

pub(crate) async fn new_comment(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
    Body(body): Body<NewComment>,
) -> Result<Response, ApiError> {
    let comment = state
        .ops
        .add_comment(&actor, &id, body.passage.into(), &body.body)
        .await?;
    Ok(created(comment))
}

/// A comment on a recommendation, by their ids.
#[derive(Deserialize)]
pub(crate) struct CommentId {
    id: String,
    comment: String,
}

pub(crate) async fn reply(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(CommentId { id, comment }): Path<CommentId>,
    Body(body): Body<NewReply>,
) -> Result<Response, ApiError> {
    let change = CommentChange::Reply(body.body);
    let replied = state
        .ops
        .change_comment(&actor, &id, &comment, change)
        .await?;
    Ok(created(replied))
}

pub(crate) async fn resolve_comment(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(CommentId { id, comment }): Path<CommentId>,
) -> Answer<Comment> {
    let change = CommentChange::Resolve;
    Ok(Json(
        state
            .ops
            .change_comment(&actor, &id, &comment, change)
            .await?,
    ))
}

pub(crate) async fn reopen_comment(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(CommentId { id, comment }): Path<CommentId>,
) -> Answer<Comment> {
    let change = CommentChange::Reopen;
    Ok(Json(
        state
            .ops
            .change_comment(&actor, &id, &comment, change)
            .await?,
    ))
}

pub(crate) async fn suggestions(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
) -> Answer<SuggestionsBody> {
    let suggestions = state.ops.suggestions(&actor, &id).await?;
    Ok(Json(SuggestionsBody { suggestions }))
}

pub(crate) async fn new_suggestion(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
    Body(body): Body<NewSuggestion>,
) -> Result<Response, ApiError> {
    let suggestion = state
        .ops
        .add_suggestion(&actor, &id, body.passage.into(), &body.text)
        .await?;
    Ok(created(suggestion))
}

/// A suggestion on a recommendation, and what becomes of it.
#[derive(Deserialize)]
pub(crate) struct SuggestionDecision {
    id: String,
    suggestion: String,
    decision: Decision,
}

/// Accepts, rejects or withdraws one suggestion.
pub(crate) async fn decide_suggestion(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(SuggestionDecision {
        id,
        suggestion,
        decision,
    }): Path<SuggestionDecision>,
) -> Answer<Suggestion> {
    let which = Which::One(suggestion);
    let decided = state
        .ops
        .decide_suggestions(&actor, &id, which, decision.into())
        .await?;
    decided
        .into_iter()
        .next()
        .map(Json)
        .ok_or_else(|| ApiError::bad_request("nothing was decided"))
}

/// A recommendation, and what becomes of one author's pending suggestions.
#[derive(Deserialize)]
pub(crate) struct AuthorsDecision {
    id: String,
    decision: Decision,
}

/// Accepts or rejects every pending suggestion of one author.
pub(crate) async fn decide_authors_suggestions(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(AuthorsDecision { id, decision }): Path<AuthorsDecision>,
    Body(body): Body<AuthorsSuggestions>,
) -> Answer<SuggestionsBody> {
    let which = Which::AllOf(body.author);
    let suggestions = state
        .ops
        .decide_suggestions(&actor, &id, which, decision.into())
        .await?;
    Ok(Json(SuggestionsBody { suggestions }))
}

/// A bracket of a recommendation, by their ids.
#[derive(Deserialize)]
pub(crate) struct BracketId {
    id: String,
    bracket: String,
}

pub(crate) async fn change_bracket(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(BracketId { id, bracket }): Path<BracketId>,
    Body(body): Body<BracketChangeBody>,
) -> Answer<Bracket> {
    let changed = state
        .ops
        .change_bracket(&actor, &id, &bracket, body.into())
        .await?;
    Ok(Json(changed))
}

pub(crate) async fn new_alternative(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
    Body(body): Body<NewAlternative>,
) -> Result<Response, ApiError> {
    let new = NewAlternativeOp {
        id: NewAlternativeOp::fresh_id(),
        label: body.label,
        text: body.text,
    };
    let alternative = state.ops.add_alternative(&actor, &id, new).await?;
    Ok(created(alternative))
}

/// An alternative of a recommendation, by their ids.
#[derive(Deserialize)]
pub(crate) struct AlternativeId {
    id: String,
    alternative: String,
}

pub(crate) async fn relabel_alternative(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(AlternativeId { id, alternative }): Path<AlternativeId>,
    Body(body): Body<Relabel>,
) -> Answer<Alternative> {
    Ok(Json(
        state
            .ops
            .relabel_alternative(&actor, &id, &alternative, &body.label)
            .await?,
    ))
}

/// Joins an alternative's proponents (a co-sponsor).
pub(crate) async fn join_proponents(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(AlternativeId { id, alternative }): Path<AlternativeId>,
) -> Answer<Alternative> {
    let joined = state.ops.cosponsor(&actor, &id, &alternative, true).await?;
    Ok(Json(joined))
}

/// Leaves an alternative's proponents.
pub(crate) async fn leave_proponents(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(AlternativeId { id, alternative }): Path<AlternativeId>,
) -> Answer<Alternative> {
    let left = state
        .ops
        .cosponsor(&actor, &id, &alternative, false)
        .await?;
    Ok(Json(left))
}

pub(crate) async fn support(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
    Body(body): Body<Support>,
) -> Answer<SupportBody> {
    let support = state.ops.support(&actor, &id, body.choice).await?;
    Ok(Json(SupportBody { support }))
}

/// Withdraws the caller's support.
pub(crate) async fn withdraw_support(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
) -> Answer<SupportBody> {
    let support = state.ops.withdraw_support(&actor, &id).await?;
    Ok(Json(SupportBody { support }))
}

pub(crate) async fn export(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Params(query): Params<ExportQuery>,
) -> Result<Response, ApiError> {
    let format = query.format.unwrap_or(Format::Html);
    let request = ExportRequest {
        format,
        comments: query.comments,
        annex: query.annex,
        contents: query
            .since
            .map_or(Requested::Report, Requested::ChangesSince),
        version: query.version,
        statuses: statuses(query.status.as_deref())?,
    };
    let document = state.ops.export(&actor, &request).await?;
    Ok(attachment(&actor.space, format, document))
}

/// The report on implementation as of a date (today unless said), in any
/// export format (anyone in the space).
pub(crate) async fn implementation_report(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Params(query): Params<ImplementationReportQuery>,
) -> Result<Response, ApiError> {
    let format = query.format.unwrap_or(Format::Html);
    let as_of = query
        .as_of
        .unwrap_or_else(|| now_rfc3339().chars().take(10).collect());
    let request = ExportRequest {
        format,
        comments: false,
        annex: false,
        version: None,
        statuses: Vec::new(),
        contents: Requested::Implementation { as_of },
    };
    let document = state.ops.export(&actor, &request).await?;
    Ok(attachment(
        &format!("{}-implementation", actor.space),
        format,
        document,
    ))
}

/// A document to download as `{name}.{extension}`.
fn attachment(name: &str, format: Format, document: Vec<u8>) -> Response {
    let disposition = format!(
        "attachment; filename=\"{name}.{}\"",
        format.file_extension()
    );
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        document,
    )
        .into_response()
}

// Proposals.

pub(crate) async fn submit(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Body(body): Body<NewProposal>,
) -> Result<Response, ApiError> {
    let proposal = state.ops.submit(&actor, body.into()).await?;
    Ok(created(Created {
        id: proposal.id,
        doc: proposal.doc,
    }))
}

pub(crate) async fn proposals(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> Answer<Vec<ProposalBody>> {
    let proposals = state.ops.proposals(&actor).await?;
    Ok(Json(
        proposals.into_iter().map(ProposalBody::from).collect(),
    ))
}

pub(crate) async fn proposal(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
) -> Answer<ProposalBody> {
    Ok(Json(state.ops.proposal(&actor, &id).await?.into()))
}

pub(crate) async fn categorize(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
    Body(body): Body<Categorize>,
) -> Answer<ProposalBody> {
    Ok(Json(
        state.ops.categorize(&actor, &id, &body.topic).await?.into(),
    ))
}

pub(crate) async fn merge(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
    Body(body): Body<Merge>,
) -> Answer<ProposalBody> {
    let (target, extent) = body.into_target()?;
    Ok(Json(
        state.ops.merge(&actor, &id, target, extent).await?.into(),
    ))
}

/// What merging would do, changing nothing; takes the merge's own body.
pub(crate) async fn preview_merge(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
    Body(body): Body<Merge>,
) -> Answer<MergePreviewBody> {
    let (target, _) = body.into_target()?;
    Ok(Json(
        state.ops.preview_merge(&actor, &id, target).await?.into(),
    ))
}

pub(crate) async fn reject(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
    Body(body): Body<Reject>,
) -> Answer<ProposalBody> {
    Ok(Json(
        state.ops.reject(&actor, &id, &body.reason).await?.into(),
    ))
}

pub(crate) async fn withdraw(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(Id { id }): Path<Id>,
) -> Answer<ProposalBody> {
    Ok(Json(state.ops.withdraw(&actor, &id).await?.into()))
}

// Versions, diffs, the audit log.

pub(crate) async fn name_version(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Body(body): Body<NameVersion>,
) -> Result<Response, ApiError> {
    let id = state
        .ops
        .name_version(&actor, &body.name, body.recommendation)
        .await?;
    Ok(created(Created { id, doc: None }))
}

pub(crate) async fn versions(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> Answer<Vec<VersionBody>> {
    let versions = state.ops.versions(&actor).await?;
    Ok(Json(versions.into_iter().map(VersionBody::from).collect()))
}

pub(crate) async fn diff(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Params(query): Params<DiffQuery>,
) -> Result<Response, ApiError> {
    let side = |name: Option<String>, key: &str| {
        name.ok_or_else(|| ApiError::bad_request(format!("name the `{key}` side")))
    };
    let (from, to) = (side(query.from, "from")?, side(query.to, "to")?);
    let diffs = state.ops.diff(&actor, &from, &to).await?;
    Ok(match query.format {
        DiffFormat::Html => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            diffs_html(&diffs),
        )
            .into_response(),
        DiffFormat::Json => Json(DiffBody::new(from, to, diffs)).into_response(),
    })
}

pub(crate) async fn audit(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> Answer<AuditBody> {
    Ok(Json(state.ops.audit(&actor).await?.into()))
}

// People.

/// Who the browser is signed in as, in this space.
pub(crate) async fn me(State(state): State<AppState>, Caller(actor): Caller) -> Answer<Me> {
    let proposals_doc = proposals_doc_of(&actor);
    let roster = state.ops.roster(&actor.space).await?;
    let (name, delegation) = roster.get(&actor.user).map_or_else(
        || (actor.user.clone(), String::new()),
        |person| (person.name.clone(), person.delegation.clone()),
    );
    Ok(Json(Me {
        space: actor.space,
        user: actor.user,
        name,
        delegation,
        role: actor.role,
        proposals_doc,
    }))
}

/// Everyone on the roster, by name (anyone in the space).
pub(crate) async fn people(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> Answer<Vec<Person>> {
    Ok(Json(state.ops.people(&actor).await?))
}

/// Puts someone on the roster (chair only).
pub(crate) async fn add_person(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Body(body): Body<NewPerson>,
) -> Result<Response, ApiError> {
    let person = state
        .ops
        .add_person(
            &actor,
            body.user.as_deref(),
            &body.name,
            &body.delegation,
            body.role,
        )
        .await?;
    Ok(created(person))
}

/// Changes what the roster says of someone (chair only).
pub(crate) async fn change_person(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(PersonPath { user }): Path<PersonPath>,
    Body(body): Body<PersonBody>,
) -> Answer<Person> {
    Ok(Json(
        state.ops.set_person(&actor, &user, body.into()).await?,
    ))
}

/// Takes someone off the roster, ending their access (chair only).
pub(crate) async fn remove_person(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(PersonPath { user }): Path<PersonPath>,
) -> Result<StatusCode, ApiError> {
    state.ops.remove_person(&actor, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

// Meetings.

#[derive(Deserialize)]
pub(crate) struct MeetingPath {
    meeting: String,
}

/// Every meeting, by number (anyone in the space).
pub(crate) async fn meetings(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> Answer<Vec<Meeting>> {
    Ok(Json(state.ops.meetings(&actor).await?))
}

/// Creates a meeting (chair only).
pub(crate) async fn new_meeting(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Body(body): Body<MeetingBody>,
) -> Result<Response, ApiError> {
    Ok(created(
        state.ops.create_meeting(&actor, body.into()).await?,
    ))
}

/// What happened in a meeting's days, from the audit log, and its points
/// of broad agreement (anyone in the space).
pub(crate) async fn activity(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(MeetingPath { meeting }): Path<MeetingPath>,
) -> Answer<Activity> {
    Ok(Json(state.ops.activity(&actor, &meeting).await?))
}

/// A meeting's Chair's summary as written so far, in any export format
/// (anyone in the space).
pub(crate) async fn summary(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(MeetingPath { meeting }): Path<MeetingPath>,
    Params(query): Params<SummaryQuery>,
) -> Result<Response, ApiError> {
    let format = query.format.unwrap_or(Format::Html);
    let document = state.ops.summary(&actor, &meeting, format).await?;
    Ok(attachment(
        &format!("{}-{meeting}-summary", actor.space),
        format,
        document,
    ))
}

/// Drafts a meeting's Chair's summary from what happened in its days into
/// its document, where the chair finishes it (chair only).
pub(crate) async fn draft_summary(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(MeetingPath { meeting }): Path<MeetingPath>,
    Body(body): Body<DraftSummary>,
) -> Answer<DraftedSummary> {
    let text = state
        .ops
        .draft_summary(&actor, &meeting, body.replace)
        .await?;
    Ok(Json(DraftedSummary {
        doc: DocPath::Summary(&meeting).to_string(),
        text,
    }))
}

/// Changes a meeting (chair only).
pub(crate) async fn change_meeting(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(MeetingPath { meeting }): Path<MeetingPath>,
    Body(body): Body<MeetingBody>,
) -> Answer<Meeting> {
    Ok(Json(
        state
            .ops
            .change_meeting(&actor, &meeting, body.into())
            .await?,
    ))
}

/// Reopens a topic for proposals after a meeting's deadline (vice-chair
/// or chair).
pub(crate) async fn reopen(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(MeetingPath { meeting }): Path<MeetingPath>,
    Body(body): Body<Reopen>,
) -> Answer<Meeting> {
    Ok(Json(state.ops.reopen(&actor, &meeting, &body.topic).await?))
}

/// A meeting's points of broad agreement, oldest first (anyone in the
/// space).
pub(crate) async fn points(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(MeetingPath { meeting }): Path<MeetingPath>,
) -> Answer<Vec<Point>> {
    let points = state.ops.points(&actor).await?;
    Ok(Json(
        points
            .into_iter()
            .filter(|p| p.meeting == meeting)
            .collect(),
    ))
}

/// Adds a point of broad agreement (vice-chair or chair).
pub(crate) async fn add_point(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(MeetingPath { meeting }): Path<MeetingPath>,
    Body(body): Body<PointBody>,
) -> Result<Response, ApiError> {
    Ok(created(
        state.ops.add_point(&actor, &meeting, body.into()).await?,
    ))
}

/// Sets what heads the space's report (chair only).
pub(crate) async fn report_header(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Body(header): Body<ReportHeader>,
) -> Answer<ReportHeader> {
    Ok(Json(state.ops.set_report_header(&actor, header).await?))
}

/// Revokes a person's access (chair only): their links stop working and
/// their open websockets close, on every node.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Body(body): Body<Revoke>,
) -> Answer<Vec<RevokedBody>> {
    state.ops.revoke(&actor, &body.user).await?;
    revocations(State(state), Caller(actor)).await
}

/// Everyone whose access was revoked, and when (chair only).
pub(crate) async fn revocations(
    State(state): State<AppState>,
    Caller(actor): Caller,
) -> Answer<Vec<RevokedBody>> {
    let revoked = state.ops.revocations(&actor).await?;
    Ok(Json(
        revoked
            .into_iter()
            .map(|(user, at)| RevokedBody { user, at })
            .collect(),
    ))
}

/// Mints a sign-in link for someone else (chair only).
pub(crate) async fn mint_link(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Body(body): Body<MintLink>,
) -> Result<Response, ApiError> {
    let link = state
        .ops
        .mint_link(&actor, &body.user, body.role, body.days)
        .await?;
    Ok(created(LinkBody::new(&actor.space, link)))
}
