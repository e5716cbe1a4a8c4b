//! What happened, read back from a space's audit log: each entry that
//! says something of the drafting, as a [`Happening`]. A recommendation's
//! lineage and a meeting's activity are both chosen from them, so the two
//! never tell one action differently.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{AuditAction, Consensus, Entry, MergeKind, Proposal, Status, SupportChoice, Version};

/// An audit entry's body, as the server writes it.
#[derive(Debug, Clone, Deserialize)]
struct Body {
    at: String,
    actor: String,
    action: AuditAction,
    #[serde(default)]
    details: Value,
}

/// What the audit log's details are read against: the proposals (for a
/// merged or rejected one's title and author) and the named versions (for
/// which recommendations a version holds).
#[derive(Debug, Default)]
pub struct Records<'a> {
    pub proposals: BTreeMap<&'a str, &'a Proposal>,
    pub versions: BTreeMap<&'a str, &'a Version>,
}

impl<'a> Records<'a> {
    pub fn new(proposals: &'a [Proposal], versions: &'a [Version]) -> Records<'a> {
        Records {
            proposals: proposals.iter().map(|p| (p.id.as_str(), p)).collect(),
            versions: versions.iter().map(|v| (v.id.as_str(), v)).collect(),
        }
    }
}

/// One action on the drafting, as the audit log recorded it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Happening {
    /// Its entry's number in the log.
    pub seq: u64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who: a user id.
    pub by: String,
    #[serde(flatten)]
    pub what: What,
}

/// How an alternative changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AlternativeStep {
    Added,
    Cosponsored,
    Left,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum What {
    /// The chair created a recommendation.
    Created {
        recommendation: String,
        topic: String,
        title: String,
    },
    /// The vice-chair merged a proposal into a recommendation. Its title
    /// and author are public once merged, as the report's annex says.
    Merged {
        recommendation: String,
        proposal: String,
        title: String,
        author: String,
        #[serde(rename = "as")]
        merged_as: Option<MergeKind>,
        partial: bool,
    },
    /// The vice-chair rejected a proposal: its title and the reason (who
    /// proposed it stays with them and those who triage).
    Rejected {
        proposal: String,
        title: String,
        reason: String,
    },
    /// A recommendation's status changed.
    Status {
        recommendation: String,
        status: Status,
        consensus: Option<Consensus>,
    },
    /// A bracket was cleared: the passage it held, and what was kept.
    BracketCleared {
        recommendation: String,
        passage: String,
        kept: Option<String>,
    },
    /// A version was named, holding these recommendations; `status` is,
    /// in a lineage, where the recommendation stood in it.
    Version {
        version: String,
        name: String,
        recommendations: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<Status>,
    },
    /// An alternative was added, or someone joined or left its proponents.
    Alternative {
        recommendation: String,
        alternative: String,
        label: String,
        step: AlternativeStep,
    },
    /// Someone supports a text of the recommendation (`choice`: the
    /// majority text or an alternative, whose `label` a lineage gives),
    /// or no longer supports any (`choice` none).
    Support {
        recommendation: String,
        choice: Option<SupportChoice>,
        #[serde(skip_serializing_if = "String::is_empty")]
        label: String,
    },
    /// A report on implementation.
    Implementation {
        recommendation: String,
        entry: Entry,
    },
}

impl What {
    /// Whether it concerns recommendation `id`.
    fn concerns(&self, id: &str) -> bool {
        match self {
            What::Created { recommendation, .. }
            | What::Merged { recommendation, .. }
            | What::Status { recommendation, .. }
            | What::BracketCleared { recommendation, .. }
            | What::Alternative { recommendation, .. }
            | What::Support { recommendation, .. }
            | What::Implementation { recommendation, .. } => recommendation == id,
            What::Version {
                recommendations, ..
            } => recommendations.iter().any(|r| r == id),
            What::Rejected { .. } => false,
        }
    }

    /// Whether a meeting's summary tells of it.
    fn summarized(&self) -> bool {
        matches!(
            self,
            What::Created { .. }
                | What::Merged { .. }
                | What::Rejected { .. }
                | What::Status { .. }
                | What::BracketCleared { .. }
                | What::Version { .. }
        )
    }
}

fn text(details: &Value, key: &str) -> Option<String> {
    details.get(key)?.as_str().map(str::to_owned)
}

fn parsed<T: for<'de> Deserialize<'de>>(details: &Value, key: &str) -> Option<T> {
    serde_json::from_value(details.get(key)?.clone()).ok()
}

impl Happening {
    /// Entry `seq` of the log, if it tells of the drafting (and reads).
    pub fn read(seq: u64, body: &[u8], records: &Records<'_>) -> Option<Happening> {
        let body: Body = serde_json::from_slice(body).ok()?;
        let d = &body.details;
        let recommendation = || text(d, "recommendation");
        let what = match body.action {
            AuditAction::RecommendationCreated => What::Created {
                recommendation: recommendation()?,
                topic: text(d, "topic").unwrap_or_default(),
                title: text(d, "title").unwrap_or_default(),
            },
            AuditAction::ProposalMerged => {
                let proposal = records.proposals.get(text(d, "proposal")?.as_str())?;
                What::Merged {
                    recommendation: text(d, "into")?,
                    proposal: proposal.id.clone(),
                    title: proposal.title.clone(),
                    author: proposal.author.clone(),
                    merged_as: parsed(d, "as"),
                    partial: d.get("partial").and_then(Value::as_bool).unwrap_or(false),
                }
            }
            AuditAction::ProposalRejected => {
                let proposal = text(d, "proposal")?;
                What::Rejected {
                    title: records
                        .proposals
                        .get(proposal.as_str())
                        .map(|p| p.title.clone())
                        .unwrap_or_default(),
                    proposal,
                    reason: text(d, "reason").unwrap_or_default(),
                }
            }
            AuditAction::RecommendationStatus => What::Status {
                recommendation: recommendation()?,
                status: parsed(d, "status")?,
                consensus: parsed(d, "consensus"),
            },
            AuditAction::BracketCleared => What::BracketCleared {
                recommendation: recommendation()?,
                passage: text(d, "passage").unwrap_or_default(),
                kept: text(d, "kept"),
            },
            AuditAction::VersionNamed => {
                let version = text(d, "version")?;
                What::Version {
                    recommendations: records
                        .versions
                        .get(version.as_str())
                        .map(|v| v.recommendations.clone())
                        .unwrap_or_default(),
                    name: text(d, "name").unwrap_or_default(),
                    version,
                    status: None,
                }
            }
            AuditAction::AlternativeAdded
            | AuditAction::AlternativeCosponsored
            | AuditAction::AlternativeLeft => What::Alternative {
                recommendation: recommendation()?,
                label: text(d, "label").unwrap_or_default(),
                alternative: text(d, "alternative")?,
                step: match body.action {
                    AuditAction::AlternativeAdded => AlternativeStep::Added,
                    AuditAction::AlternativeCosponsored => AlternativeStep::Cosponsored,
                    _ => AlternativeStep::Left,
                },
            },
            AuditAction::SupportGiven | AuditAction::SupportWithdrawn => What::Support {
                recommendation: recommendation()?,
                choice: match body.action {
                    AuditAction::SupportGiven => Some(parsed(d, "for")?),
                    _ => None,
                },
                label: String::new(),
            },
            AuditAction::ImplementationReported => What::Implementation {
                recommendation: recommendation()?,
                entry: parsed(d, "entry")?,
            },
            _ => return None,
        };
        Some(Happening {
            seq,
            at: body.at,
            by: body.actor,
            what,
        })
    }
}

/// Where recommendation `id`'s text came from and where it went, oldest
/// first: its creation, the proposals merged into it, its alternatives and
/// who supports which text, brackets cleared, its statuses, the versions
/// it passed through (each with the status it had then) and the reports on
/// its implementation.
pub fn lineage(happenings: &[Happening], id: &str) -> Vec<Happening> {
    let mut status = Status::default();
    // Each alternative's label as it was named when added: a later step
    // about it that does not say takes it from there.
    let mut labels: HashMap<String, String> = HashMap::new();
    let mut steps = Vec::new();
    for happening in happenings.iter().filter(|h| h.what.concerns(id)) {
        let mut step = happening.clone();
        match &mut step.what {
            What::Status { status: now, .. } => status = *now,
            What::Version { status: then, .. } => *then = Some(status),
            What::Alternative {
                alternative, label, ..
            }
            | What::Support {
                choice: Some(SupportChoice::Alternative(alternative)),
                label,
                ..
            } => {
                if label.is_empty() {
                    if let Some(named) = labels.get(alternative.as_str()) {
                        label.clone_from(named);
                    }
                } else {
                    labels
                        .entry(alternative.clone())
                        .or_insert_with(|| label.clone());
                }
            }
            _ => {}
        }
        steps.push(step);
    }
    steps
}

/// What a meeting's summary tells of, among `happenings`: recommendations
/// created, proposals merged and rejected, statuses changed, brackets
/// cleared and versions named from the start of day `starts` to the end
/// of day `ends` (`YYYY-MM-DD`, UTC), oldest first.
pub fn between(happenings: &[Happening], starts: &str, ends: &str) -> Vec<Happening> {
    // RFC 3339 times in UTC compare as text; a day's last moment sorts
    // before the next day's first.
    let (from, to) = (format!("{starts}T"), format!("{ends}T~"));
    happenings
        .iter()
        .filter(|h| h.what.summarized() && h.at >= from && h.at <= to)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn body(at: &str, action: &str, details: Value) -> Vec<u8> {
        serde_json::to_vec(
            &json!({ "at": at, "actor": "chair", "action": action, "details": details }),
        )
        .expect("serializes")
    }

    fn proposal(id: &str, title: &str) -> Proposal {
        let text = Some("Text.".to_owned());
        Proposal::new(
            id,
            title,
            text,
            Some("C".into()),
            "ana",
            "2012-11-01T00:00:00Z",
        )
    }

    fn log(records: &Records<'_>) -> Vec<Happening> {
        let bodies = [
            body(
                "2012-11-11T23:59:59.999Z",
                "recommendation.created",
                json!({ "recommendation": "c-1", "topic": "C", "title": "Capacity" }),
            ),
            body(
                "2012-11-12T00:00:00.000Z",
                "proposal.merged",
                json!({ "proposal": "p-1", "into": "c-1", "as": "majority", "partial": false }),
            ),
            body(
                "2012-11-12T09:00:00.000Z",
                "comment.added",
                json!({ "recommendation": "c-1" }),
            ),
            body(
                "2012-11-12T10:00:00.000Z",
                "version.named",
                json!({ "version": "v-1", "name": "Draft", "recommendation": null }),
            ),
            body(
                "2012-11-13T10:00:00.000Z",
                "proposal.rejected",
                json!({ "proposal": "p-2", "reason": "Out of scope." }),
            ),
            body(
                "2012-11-13T11:00:00.000Z",
                "recommendation.status",
                json!({ "recommendation": "c-1", "status": "adopted", "consensus": "full" }),
            ),
            body(
                "2012-11-14T00:00:00.000Z",
                "alternative.added",
                json!({ "recommendation": "c-1", "alternative": "alt-1", "label": "Lighter" }),
            ),
            body(
                "2012-11-14T00:00:01.000Z",
                "alternative.cosponsored",
                json!({ "recommendation": "c-1", "alternative": "alt-1" }),
            ),
            b"not json".to_vec(),
        ];
        bodies
            .iter()
            .enumerate()
            .filter_map(|(i, b)| Happening::read(i as u64 + 1, b, records))
            .collect()
    }

    #[test]
    fn a_meeting_holds_exactly_what_happened_on_its_days() {
        let proposals = [proposal("p-1", "Capacity building"), proposal("p-2", "Off")];
        let records = Records::new(&proposals, &[]);
        let happenings = log(&records);
        let on = between(&happenings, "2012-11-12", "2012-11-13");
        let seqs: Vec<u64> = on.iter().map(|h| h.seq).collect();
        // Not the creation a millisecond before, not the comment, not the
        // alternative the next day.
        assert_eq!(seqs, [2, 4, 5, 6]);
        assert!(
            matches!(&on[0].what, What::Merged { title, author, .. } if title == "Capacity building" && author == "ana")
        );
        assert!(
            matches!(&on[2].what, What::Rejected { title, reason, .. } if title == "Off" && reason == "Out of scope.")
        );
        assert!(between(&happenings, "2012-11-15", "2012-11-15").is_empty());
    }

    #[test]
    fn a_lineage_tells_a_recommendation_in_order_with_each_versions_status() {
        let proposals = [proposal("p-1", "Capacity building")];
        let versions = [Version {
            id: "v-1".into(),
            name: "Draft".into(),
            recommendation: None,
            recommendations: vec!["c-1".into()],
            open_brackets: 0,
            alternatives: 0,
            topics: BTreeMap::new(),
            created_by: "chair".into(),
            created_at: "2012-11-12T10:00:00.000Z".into(),
        }];
        let records = Records::new(&proposals, &versions);
        let steps = lineage(&log(&records), "c-1");
        let kinds: Vec<&str> = steps
            .iter()
            .map(|s| match &s.what {
                What::Created { .. } => "created",
                What::Merged { .. } => "merged",
                What::Version { status, .. } => {
                    assert_eq!(*status, Some(Status::Draft));
                    "version"
                }
                What::Status { .. } => "status",
                What::Alternative { label, .. } => {
                    assert_eq!(label, "Lighter");
                    "alternative"
                }
                What::Support { choice, label, .. } => {
                    if choice.is_some() {
                        assert_eq!(label, "Lighter");
                    }
                    "support"
                }
                _ => "other",
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "created",
                "merged",
                "version",
                "status",
                "alternative",
                "alternative"
            ]
        );
        assert!(lineage(&log(&records), "c-2").is_empty());
    }
}
