use std::fmt;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use yrs::{Any, Map, Out, ReadTxn, TransactionMut, WriteTxn};

use crate::ModelError;

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

/// Where a recommendation stands: `draft` → `bracketed` → `agreed` →
/// `adopted`. Adopted text is frozen until the chair moves it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Draft,
    Bracketed,
    Agreed,
    Adopted,
}

/// How much the group agrees (the ICANN GNSO levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Consensus {
    Full,
    Consensus,
    StrongSupport,
    Divergence,
}

macro_rules! names {
    ($type:ident, $what:literal, $($variant:ident => $name:literal),*) => {
        impl $type {
            pub const ALL: &'static [$type] = &[$($type::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($type::$variant => $name),*
                }
            }
        }

        impl FromStr for $type {
            type Err = ModelError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok($type::$variant),)*
                    other => Err(ModelError::Invalid(format!(
                        concat!("unknown ", $what, " {:?} (expected {})"),
                        other,
                        [$($name),*].join(", ")
                    ))),
                }
            }
        }

        impl fmt::Display for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

names!(Status, "status", Draft => "draft", Bracketed => "bracketed", Agreed => "agreed", Adopted => "adopted");
names!(Consensus, "consensus level", Full => "full", Consensus => "consensus", StrongSupport => "strong-support", Divergence => "divergence");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>(), Ok(*status));
        }
        for level in Consensus::ALL {
            assert_eq!(level.as_str().parse::<Consensus>(), Ok(*level));
        }
        assert!("final".parse::<Status>().is_err());
        assert_eq!(
            serde_json::to_string(&Consensus::StrongSupport).expect("serializes"),
            "\"strong-support\""
        );
    }
}
