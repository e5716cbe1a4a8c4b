//! Loading a stored document: its snapshot and the updates after it,
//! merged into a document with every part checked first.

use draftroom_protocol::inspect_update;
use draftroom_store::{DocName, StoredDoc};
use tracing::{error, info};
use yrs::{Doc, Transact};

use super::core::apply_in;

/// What merging a stored document found.
pub(crate) struct Merged {
    /// How many shared types the stored document holds.
    pub(crate) shared_types: u32,
    /// Some stored part did not apply (and was skipped).
    pub(crate) damaged: bool,
}

/// Merges a stored document into `doc` (empty, or a reload's catch-up).
/// Each part applies in a transaction of its own: yrs takes time quadratic
/// in the number of large updates applied in one transaction (measured:
/// 510 stored batches of a trace, 3 s in one, 0.14 s apart).
pub(crate) fn merge_stored(doc: &Doc, name: &DocName, stored: &StoredDoc) -> Merged {
    let mut shared_types = 0u32;
    let mut damaged = false;
    let parts = stored
        .snapshot
        .iter()
        .map(|s| &s.state)
        .chain(&stored.updates);
    for bytes in parts {
        let applied = inspect_update(bytes)
            .map_err(|e| e.to_string())
            .and_then(|summary| {
                shared_types = shared_types.saturating_add(summary.type_items);
                apply_in(&mut doc.transact_mut(), bytes)
            });
        if let Err(error) = applied {
            damaged = true;
            error!(doc = %name, %error, "skipped a stored update that does not apply; the document will not be compacted");
        }
    }
    info!(doc = %name, seq = stored.last_seq, updates = stored.updates.len(), "document loaded");
    Merged {
        shared_types,
        damaged,
    }
}
