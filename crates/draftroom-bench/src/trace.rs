//! Editing traces (josephg/editing-traces, CC BY 4.0) turned into Yjs updates.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use anyhow::Context;
use flate2::read::GzDecoder;
use serde::Deserialize;
use yrs::updates::decoder::Decode;
use yrs::{ClientID, Doc, OffsetKind, Options, ReadTxn, Text, Transact, Update};

use crate::client::yjs_client_id;

/// The trace the workloads replay unless told otherwise: the automerge-paper
/// trace kept in this repository (`bench/traces/`, with its credit).
pub const DEFAULT_TRACE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../bench/traces/automerge-paper.json.gz"
);

#[derive(Deserialize)]
struct SequentialTrace {
    #[serde(rename = "endContent")]
    end_content: String,
    txns: Vec<Transaction>,
}

#[derive(Deserialize)]
struct Transaction {
    patches: Vec<(u32, u32, String)>,
}

/// A trace replayed by one writer: one encoded Yjs update per patch, and
/// the text they add up to.
pub struct Replay {
    pub updates: Vec<Vec<u8>>,
    pub end_content: String,
    /// The writer's client id: every update's items are its.
    pub client: ClientID,
    /// How a reader tells that each update has arrived.
    pub evidence: Vec<Evidence>,
}

/// What shows that an update has reached a reader: the reader's clock for
/// the writer reaching the update's end (it inserted something), or the
/// update's first deleted item being in what the reader just applied (it
/// only deleted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    Clock(u32),
    Deleted(u32),
}

/// Loads a sequential trace and encodes each patch as its own update, as
/// an editor would send it keystroke by keystroke. `limit` keeps only the
/// first patches (the expected text is then what they produce).
pub fn load(path: &Path, limit: Option<usize>) -> anyhow::Result<Replay> {
    let file = File::open(path).with_context(|| format!("could not open {}", path.display()))?;
    let trace: SequentialTrace = serde_json::from_reader(BufReader::new(GzDecoder::new(file)))
        .with_context(|| format!("{} is not a sequential editing trace", path.display()))?;
    // Trace positions count code points, Yjs offsets count UTF-16 units: a
    // shadow copy of the text, as chars, converts one to the other.
    let doc = Doc::with_options(Options {
        offset_kind: OffsetKind::Utf16,
        ..Options::with_client_id(yjs_client_id())
    });
    let text = doc.get_or_insert_text("text");
    let mut shadow: Vec<char> = Vec::new();
    let mut updates = Vec::new();
    let mut evidence = Vec::new();
    let client = doc.client_id();
    let patches = trace.txns.iter().flat_map(|txn| &txn.patches);
    for (position, deleted, inserted) in patches.take(limit.unwrap_or(usize::MAX)) {
        let at = *position as usize;
        let utf16_at = utf16_len(&shadow[..at]);
        let end = at + *deleted as usize;
        let utf16_deleted = utf16_len(&shadow[at..end]);
        let mut txn = doc.transact_mut();
        if utf16_deleted > 0 {
            text.remove_range(&mut txn, utf16_at, utf16_deleted);
        }
        if !inserted.is_empty() {
            text.insert(&mut txn, utf16_at, inserted);
        }
        let update = txn.encode_update_v1();
        let clock = txn.state_vector().get(&client);
        drop(txn);
        evidence.push(if inserted.is_empty() {
            let first_deleted = Update::decode_v1(&update)?
                .delete_set()
                .get(&client)
                .and_then(|range| range.iter().next().map(|(r, ())| r.start))
                .context("a deletion deletes something")?;
            Evidence::Deleted(first_deleted)
        } else {
            Evidence::Clock(clock)
        });
        updates.push(update);
        shadow.splice(at..end, inserted.chars());
    }
    let end_content = if limit.is_some_and(|limit| limit < updates.len() + 1) {
        shadow.iter().collect()
    } else {
        trace.end_content
    };
    Ok(Replay {
        updates,
        end_content,
        client,
        evidence,
    })
}

fn utf16_len(chars: &[char]) -> u32 {
    chars.iter().map(|c| c.len_utf16() as u32).sum()
}
