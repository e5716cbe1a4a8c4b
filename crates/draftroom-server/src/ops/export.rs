//! A space exported for the Chair's report, from the live rooms or
//! straight from a store.

use std::collections::BTreeMap;

use draftroom_model::{Format, INDEX_DOC, SpaceExport, export, read_recommendation, read_space};
use draftroom_store::{DocName, Store};
use yrs::{Doc, ReadTxn, StateVector, Transact};

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

/// Exports `space` as `format`, reading its documents from `source`, with
/// each recommendation's comments if `comments` says so.
pub(crate) async fn export_space(
    source: Source<'_>,
    space: &str,
    format: Format,
    comments: bool,
) -> Result<String, OpError> {
    let index = source.load(&doc_name(space, INDEX_DOC)?).await?;
    let view =
        read_space(&index.transact()).ok_or_else(|| OpError::NoSuchSpace(space.to_owned()))?;
    let mut recommendations = BTreeMap::new();
    for summary in view.topics.iter().flat_map(|topic| &topic.recommendations) {
        let doc = source.load(&doc_name(space, &summary.doc)?).await?;
        if let Some(mut recommendation) = read_recommendation(&doc.transact()) {
            if !comments {
                recommendation.comments.clear();
            }
            recommendations.insert(summary.id.clone(), recommendation);
        }
    }
    let gathered = SpaceExport {
        id: space.to_owned(),
        space: view,
        recommendations,
        generated_at: now_rfc3339(),
    };
    Ok(export(&gathered, format))
}

impl Operations {
    /// The actor's space as `format`, as it stands now, with comments or
    /// without.
    pub(crate) async fn export(
        &self,
        actor: &Actor,
        format: Format,
        comments: bool,
    ) -> Result<String, OpError> {
        export_space(Source::Rooms(&self.rooms), &actor.space, format, comments).await
    }
}
