//! Named versions: immutable states of one recommendation or of a whole
//! space ("After the 4th meeting"). The list lives in the space's
//! `versions` document; each recommendation's state in a version is a
//! document of its own (`v/{version}/{recommendation}`) that nobody edits.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use yrs::{ReadTxn, TransactionMut};

use crate::records::{oldest_first, put_record, read_record};
use crate::schema::VERSIONS_DOC;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    pub id: String,
    pub name: String,
    /// The recommendation named, or `None` for the whole space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
    /// The recommendations the version holds.
    pub recommendations: Vec<String>,
    /// Open brackets and alternatives in all it holds at the time.
    #[serde(default)]
    pub open_brackets: usize,
    #[serde(default)]
    pub alternatives: usize,
    /// The same by topic letter, for the dashboard's progress chart.
    #[serde(default)]
    pub topics: BTreeMap<String, Progress>,
    pub created_by: String,
    pub created_at: String,
}

/// How far a topic (or a whole version) is from agreed text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub open_brackets: usize,
    pub alternatives: usize,
}

pub fn put_version(txn: &mut TransactionMut, version: &Version) {
    put_record(txn, VERSIONS_DOC, &version.id, version);
}

pub fn read_version<T: ReadTxn>(txn: &T, id: &str) -> Option<Version> {
    read_record(txn, VERSIONS_DOC, id)
}

/// Every version, oldest first.
pub fn list_versions<T: ReadTxn>(txn: &T) -> Vec<Version> {
    oldest_first(txn, VERSIONS_DOC, |version: &Version| {
        (&version.created_at, &version.id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::{Doc, Transact};

    fn version(id: &str, at: &str) -> Version {
        Version {
            id: id.into(),
            name: format!("After {id}"),
            recommendation: None,
            recommendations: vec!["c-1".into()],
            open_brackets: 2,
            alternatives: 1,
            topics: BTreeMap::from([(
                "C".into(),
                Progress {
                    open_brackets: 2,
                    alternatives: 1,
                },
            )]),
            created_by: "vic".into(),
            created_at: at.into(),
        }
    }

    #[test]
    fn named_versions_read_back_whole_and_are_listed_oldest_first() {
        let doc = Doc::new();
        for version in [version("v-2", "t2"), version("v-1", "t1")] {
            put_version(&mut doc.transact_mut(), &version);
        }
        assert_eq!(
            read_version(&doc.transact(), "v-2"),
            Some(version("v-2", "t2"))
        );
        assert_eq!(read_version(&doc.transact(), "v-9"), None);
        let listed: Vec<String> = list_versions(&doc.transact())
            .into_iter()
            .map(|version| version.id)
            .collect();
        assert_eq!(listed, ["v-1", "v-2"]);
    }
}
