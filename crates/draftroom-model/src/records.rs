//! Records the server keeps in lists (summaries, proposals, versions),
//! each stored as one plain value in a root map.

use serde::Serialize;
use serde::de::DeserializeOwned;
use yrs::{Any, Map, Out, ReadTxn, TransactionMut, WriteTxn};

/// A record as one plain value (a JSON object to a browser). Records the
/// server keeps in lists (summaries, proposals, versions) are stored this
/// way and replaced whole, so a reader never sees half of a change.
pub(crate) fn to_any<T: Serialize>(record: &T) -> Any {
    serde_json::to_value(record)
        .and_then(serde_json::from_value)
        .unwrap_or(Any::Null)
}

pub(crate) fn from_any<T: DeserializeOwned>(value: &Any) -> Option<T> {
    serde_json::to_value(value)
        .and_then(serde_json::from_value)
        .ok()
}

/// Stores `record` under `key` in the root map `list`.
pub(crate) fn put_record<T: Serialize>(
    txn: &mut TransactionMut,
    list: &str,
    key: &str,
    record: &T,
) {
    let map = txn.get_or_insert_map(list);
    map.insert(txn, key, to_any(record));
}

/// The record under `key` in the root map `list`.
pub(crate) fn read_record<T: DeserializeOwned, Txn: ReadTxn>(
    txn: &Txn,
    list: &str,
    key: &str,
) -> Option<T> {
    match txn.get_map(list)?.get(txn, key) {
        Some(Out::Any(value)) => from_any(&value),
        _ => None,
    }
}

/// Every record in the root map `list` (in no particular order).
pub(crate) fn records<T: DeserializeOwned, Txn: ReadTxn>(txn: &Txn, list: &str) -> Vec<T> {
    txn.get_map(list)
        .map(|map| {
            map.iter(txn)
                .filter_map(|(_, value)| match value {
                    Out::Any(value) => from_any(&value),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every record in the root map `list`, oldest first: by the time and then
/// the id `when` reads from each, so every reader lists them alike.
pub(crate) fn oldest_first<T: DeserializeOwned, Txn: ReadTxn>(
    txn: &Txn,
    list: &str,
    when: impl for<'a> Fn(&'a T) -> (&'a str, &'a str),
) -> Vec<T> {
    let mut found: Vec<T> = records(txn, list);
    found.sort_by(|a, b| when(a).cmp(&when(b)));
    found
}
