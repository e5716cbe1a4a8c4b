//! Monitoring of implementation: once a recommendation is adopted, the
//! responsible body's representatives (people on the roster whose
//! delegation its "responsible body" field names), the vice-chair and the
//! chair report how its implementation goes. Entries are appended, never
//! rewritten; the text stays frozen.

use draftroom_auth::Role;
use draftroom_model::{
    AuditAction, Entry, Field, ImplementationStatus, Recommendation, ReportHeader, Status,
    add_entry, read_recommendation,
};
use serde::Serialize;
use serde_json::json;

use super::meetings::check_link;
use super::recommendations::WhenAdopted;
use super::{Actor, OpError, Operations, random_id};
use crate::clock::now_rfc3339;

/// A report on a recommendation's implementation, as its author gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Report {
    pub(crate) status: ImplementationStatus,
    pub(crate) note: String,
    pub(crate) evidence: String,
    /// The date it describes, `YYYY-MM-DD`.
    pub(crate) as_of: String,
}

/// Whether `delegation` is named in the recommendation's responsible body.
fn responsible(rec: &Recommendation, delegation: &str) -> bool {
    let body = rec
        .fields
        .get(&Field::Responsible)
        .map(|text| text.to_lowercase())
        .unwrap_or_default();
    !delegation.trim().is_empty() && body.contains(&delegation.trim().to_lowercase())
}

/// An adopted recommendation and how its implementation goes.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Implemented {
    pub(crate) id: String,
    pub(crate) topic: String,
    pub(crate) number: u32,
    pub(crate) title: String,
    /// Its responsible body, as its field says.
    pub(crate) responsible: String,
    /// Every report, in the order given.
    pub(crate) entries: Vec<Entry>,
}

impl Operations {
    /// Every adopted recommendation, in the report's order, with its
    /// responsible body and its reports (anyone in the space).
    pub(crate) async fn implementation(&self, actor: &Actor) -> Result<Vec<Implemented>, OpError> {
        let space = self.space(actor).await?;
        let mut adopted = Vec::new();
        for summary in space.topics.iter().flat_map(|topic| &topic.recommendations) {
            if summary.status != Status::Adopted {
                continue;
            }
            let rec = self.recommendation(actor, &summary.id).await?;
            adopted.push(Implemented {
                responsible: rec
                    .fields
                    .get(&Field::Responsible)
                    .map(|body| body.trim().to_owned())
                    .unwrap_or_default(),
                id: rec.id,
                topic: rec.topic,
                number: rec.number,
                title: rec.title,
                entries: rec.implementation,
            });
        }
        Ok(adopted)
    }

    /// Appends a report on the implementation of adopted recommendation
    /// `id`: by its responsible body's representatives, the vice-chair or
    /// the chair.
    pub(crate) async fn report_implementation(
        &self,
        actor: &Actor,
        id: &str,
        report: Report,
    ) -> Result<Entry, OpError> {
        actor.require(Role::Member)?;
        if !ReportHeader::is_date(&report.as_of) {
            return Err(OpError::Invalid(format!(
                "a report describes a date, YYYY-MM-DD, not {:?}",
                report.as_of
            )));
        }
        self.limits.note("the note", &report.note)?;
        if !report.evidence.trim().is_empty() {
            check_link(&report.evidence)?;
        }
        self.creations.take(actor)?;
        let delegation = self
            .roster(&actor.space)
            .await?
            .get(&actor.user)
            .map(|person| person.delegation.clone())
            .unwrap_or_default();
        let oversees = actor.role >= Role::ViceChair;
        let limit = self.rooms.config.max_implementation_entries;
        let entry = Entry {
            id: random_id("i-"),
            status: report.status,
            note: report.note.trim().to_owned(),
            evidence: report.evidence.trim().to_owned(),
            as_of: report.as_of,
            by: actor.user.clone(),
            at: now_rfc3339(),
        };
        let added = entry.clone();
        self.change_recommendation(actor, id, WhenAdopted::Proceed, move |txn| {
            let rec = read_recommendation(txn)
                .ok_or_else(|| OpError::Internal("a recommendation that reads as none".into()))?;
            if rec.status != Status::Adopted {
                return Err(OpError::NotAdopted);
            }
            if !oversees && !responsible(&rec, &delegation) {
                return Err(OpError::NotResponsible);
            }
            if rec.implementation.len() >= limit {
                return Err(OpError::TooManyEntries(limit));
            }
            add_entry(txn, &added);
            Ok(())
        })
        .await?;
        self.record(
            actor,
            AuditAction::ImplementationReported,
            json!({ "recommendation": id, "entry": entry }),
        )
        .await?;
        Ok(entry)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use draftroom_model::{Field, Recommendation, Status};

    use super::responsible;

    #[test]
    fn a_delegation_is_responsible_when_the_responsible_body_names_it() {
        let rec = Recommendation {
            id: "c-1".into(),
            title: String::new(),
            topic: "C".into(),
            number: 1,
            status: Status::Adopted,
            consensus: None,
            text: String::new(),
            fields: BTreeMap::from([(
                Field::Responsible,
                "UN DESA and the IGF Secretariat.".into(),
            )]),
            alternatives: Vec::new(),
            support: BTreeMap::new(),
            open_brackets: 0,
            brackets: Vec::new(),
            comments: Vec::new(),
            suggestions: Vec::new(),
            implementation: Vec::new(),
        };
        assert!(responsible(&rec, "IGF Secretariat"));
        assert!(responsible(&rec, "un desa"));
        assert!(!responsible(&rec, "Brazil"));
        assert!(!responsible(&rec, " "));
    }
}
