//! A space exported for the Chair's report, from the live rooms or
//! straight from a store.

use std::collections::BTreeMap;

use draftroom_model::schema::meetings::SUMMARY;
use draftroom_model::{
    Contents, DocPath, Format, INDEX_DOC, MEETINGS_DOC, PROPOSAL_RECORDS_DOC, Recommendation,
    ReportHeader, Roster, Since, SpaceExport, SpaceView, Status, VERSIONS_DOC, export,
    list_proposals, read_meeting, read_recommendation, read_space, read_version,
};
use draftroom_store::{DocName, Store};
use yrs::{Doc, GetString, ReadTxn, StateVector, Transact};

use super::{Actor, OpError, Operations, doc_name};
use crate::clock::now_rfc3339;
use crate::rooms::{Rooms, apply_in, merge_stored, new_doc};

/// Where an export reads its documents.
pub(crate) enum Source<'a> {
    /// The live rooms: what every client sees now.
    Rooms(&'a Rooms),
    /// A store, with no server running (for the embedded store, none may
    /// be: the server holds its file); Redis can be read any time.
    Store(&'a dyn Store),
}

impl Source<'_> {
    async fn load(&self, name: &DocName) -> Result<Doc, OpError> {
        let doc = new_doc();
        match self {
            Source::Rooms(rooms) => {
                let state = rooms
                    .read(name, |txn| {
                        txn.encode_state_as_update_v1(&StateVector::default())
                    })
                    .await?;
                apply_in(&mut doc.transact_mut(), &state).map_err(OpError::Internal)?;
            }
            Source::Store(store) => {
                let stored = store.load(name).await?;
                merge_stored(&doc, name, &stored);
            }
        }
        Ok(doc)
    }
}

/// What an export holds, and in what format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExportRequest {
    pub(crate) format: Format,
    /// Each recommendation's comments too.
    pub(crate) comments: bool,
    /// A named version's state (of the space, or of one recommendation),
    /// not the live text.
    pub(crate) version: Option<String>,
    /// Only the recommendations with one of these statuses (all if none).
    pub(crate) statuses: Vec<Status>,
    /// What it reports on the space.
    pub(crate) contents: Requested,
    /// An annex of who proposed what.
    pub(crate) annex: bool,
}

/// What an export reports on the space.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum Requested {
    /// The report: every recommendation with its texts.
    #[default]
    Report,
    /// What changed since a named version (its id), to `version` or now.
    ChangesSince(String),
    /// How implementation stood on a date, `YYYY-MM-DD`.
    Implementation { as_of: String },
}

/// Exports `space` as `request` says, reading its documents from `source`:
/// its report, or the report of what changed since a named version.
/// A named version exports its texts as they were named, under the
/// report's header and the roster as they are: the same bytes on every
/// call and every node while those stay as they are.
pub(crate) async fn export_space(
    source: Source<'_>,
    space: &str,
    request: &ExportRequest,
) -> Result<Vec<u8>, OpError> {
    let (view, roster) = read_index(&source, space).await?;
    let state = State::read(&source, space, &view, request.version.as_deref(), request).await?;
    let contents = match &request.contents {
        Requested::Report => Contents::Report,
        Requested::ChangesSince(id) => {
            let earlier = State::read(&source, space, &view, Some(id), request).await?;
            Contents::Changes(Since {
                from: earlier.name,
                to: state.name.clone(),
                recommendations: earlier.recommendations,
            })
        }
        Requested::Implementation { as_of } => {
            if !ReportHeader::is_date(as_of) {
                return Err(OpError::Invalid(format!(
                    "a report on implementation is as of a date, YYYY-MM-DD, not {as_of:?}"
                )));
            }
            Contents::Implementation {
                as_of: as_of.clone(),
            }
        }
    };
    let (recommendations, generated_at) = (state.recommendations, state.at);
    let annex = if request.annex {
        let records = source.load(&doc_name(space, PROPOSAL_RECORDS_DOC)?).await?;
        let mut merged = list_proposals(&records.transact());
        // What was merged by the time exported: a version's annex stays
        // as it was named.
        for proposal in &mut merged {
            proposal
                .merged_into
                .retain(|merge| merge.at.as_str() <= generated_at.as_str());
        }
        merged.retain(|proposal| !proposal.merged_into.is_empty());
        Some(merged)
    } else {
        None
    };
    let gathered = SpaceExport {
        id: space.to_owned(),
        space: view,
        recommendations,
        generated_at,
        roster,
        annex,
        contents,
    };
    Ok(export(&gathered, request.format))
}

/// The space as its index holds it, and its roster.
async fn read_index(source: &Source<'_>, space: &str) -> Result<(SpaceView, Roster), OpError> {
    let index = source.load(&doc_name(space, INDEX_DOC)?).await?;
    let txn = index.transact();
    let view = read_space(&txn).ok_or_else(|| OpError::NoSuchSpace(space.to_owned()))?;
    Ok((view, Roster::read(&txn)))
}

/// Meeting `meeting`'s Chair's summary as the chair has written it so far,
/// under the report's header, in `format`; refused for a meeting there is
/// not, or one whose summary is not begun.
async fn export_summary(
    source: Source<'_>,
    space: &str,
    meeting: &str,
    format: Format,
) -> Result<Vec<u8>, OpError> {
    let (view, roster) = read_index(&source, space).await?;
    let text = summary_text(&source, space, meeting).await?;
    let gathered = SpaceExport {
        id: space.to_owned(),
        space: view,
        recommendations: BTreeMap::new(),
        generated_at: now_rfc3339(),
        roster,
        annex: None,
        contents: Contents::Summary { text },
    };
    Ok(export(&gathered, format))
}

async fn summary_text(source: &Source<'_>, space: &str, meeting: &str) -> Result<String, OpError> {
    let meetings = source.load(&doc_name(space, MEETINGS_DOC)?).await?;
    if read_meeting(&meetings.transact(), meeting).is_none() {
        return Err(OpError::NoSuchMeeting(meeting.to_owned()));
    }
    let doc = source
        .load(&doc_name(space, &DocPath::Summary(meeting).to_string())?)
        .await?;
    let text = doc.get_or_insert_text(SUMMARY).get_string(&doc.transact());
    if text.trim().is_empty() {
        return Err(OpError::NothingNamed(format!(
            "the summary of meeting {meeting}: the chair has not begun it"
        )));
    }
    Ok(text)
}

/// The recommendations of one state of the space (a named version, or
/// now), as the request wants them, with that state's name and time.
struct State {
    name: String,
    at: String,
    recommendations: BTreeMap<String, Recommendation>,
}

impl State {
    async fn read(
        source: &Source<'_>,
        space: &str,
        view: &SpaceView,
        version: Option<&str>,
        request: &ExportRequest,
    ) -> Result<State, OpError> {
        // Which documents hold it, by recommendation id.
        let (docs, name, at): (Vec<(String, String)>, String, String) = match version {
            None => (
                view.topics
                    .iter()
                    .flat_map(|topic| &topic.recommendations)
                    .map(|summary| (summary.id.clone(), summary.doc.clone()))
                    .collect(),
                "now".to_owned(),
                now_rfc3339(),
            ),
            Some(id) => {
                let versions = source.load(&doc_name(space, VERSIONS_DOC)?).await?;
                let version = read_version(&versions.transact(), id)
                    .ok_or_else(|| OpError::NothingNamed(id.to_owned()))?;
                let docs = version
                    .recommendations
                    .iter()
                    .map(|recommendation| {
                        let copy = DocPath::VersionCopy {
                            version: &version.id,
                            recommendation,
                        };
                        (recommendation.clone(), copy.to_string())
                    })
                    .collect();
                (docs, version.name, version.created_at)
            }
        };
        let mut recommendations = BTreeMap::new();
        for (id, doc) in docs {
            let doc = source.load(&doc_name(space, &doc)?).await?;
            let Some(mut recommendation) = read_recommendation(&doc.transact()) else {
                continue;
            };
            if !request.statuses.is_empty() && !request.statuses.contains(&recommendation.status) {
                continue;
            }
            if !request.comments {
                recommendation.comments.clear();
            }
            recommendations.insert(id, recommendation);
        }
        Ok(State {
            name,
            at,
            recommendations,
        })
    }
}

impl Operations {
    /// The actor's space as `request` says (anyone in the space).
    pub(crate) async fn export(
        &self,
        actor: &Actor,
        request: &ExportRequest,
    ) -> Result<Vec<u8>, OpError> {
        export_space(Source::Rooms(&self.rooms), &actor.space, request).await
    }

    /// Meeting `meeting`'s Chair's summary in `format` (anyone in the space).
    pub(crate) async fn summary(
        &self,
        actor: &Actor,
        meeting: &str,
        format: Format,
    ) -> Result<Vec<u8>, OpError> {
        export_summary(Source::Rooms(&self.rooms), &actor.space, meeting, format).await
    }
}

/// The statuses a comma list names (`agreed,adopted`); none for none.
pub(crate) fn statuses(list: Option<&str>) -> Result<Vec<Status>, OpError> {
    list.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| name.parse().map_err(OpError::from))
        .collect()
}
