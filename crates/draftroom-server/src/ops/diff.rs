//! Diffs between named states: versions, the live texts, alternatives and
//! proposals. Word by word for the texts; and where both sides hold whole
//! recommendations (versions, the live space, one live recommendation),
//! part by part: title, status, consensus, fields, alternatives, support.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use draftroom_model::{
    Changes, DocPath, Markup, Recommendation, Run, compare, diff_html, read_recommendation,
    word_diff,
};

use super::{Actor, OpError, Operations};

/// One side of a diff, by the name a client gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DiffSide {
    /// `live`: every recommendation as it stands.
    Live,
    /// `live:RECOMMENDATION`: one recommendation's majority text.
    Recommendation(String),
    /// `alt:RECOMMENDATION:ALTERNATIVE`: one alternative's text.
    Alternative {
        recommendation: String,
        alternative: String,
    },
    /// `proposal:ID`: the text a proposal offers (a branch's majority text).
    Proposal(String),
    /// A version's id: every recommendation it holds.
    Version(String),
}

impl FromStr for DiffSide {
    type Err = OpError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let mut parts = name.split(':');
        let owned = |part: &str| part.to_owned();
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("live"), None, None, None) => Ok(DiffSide::Live),
            (Some("live"), Some(rec), None, None) => Ok(DiffSide::Recommendation(owned(rec))),
            (Some("alt"), Some(rec), Some(alt), None) => Ok(DiffSide::Alternative {
                recommendation: owned(rec),
                alternative: owned(alt),
            }),
            (Some("proposal"), Some(id), None, None) => Ok(DiffSide::Proposal(owned(id))),
            (Some(version), None, None, None) if !version.is_empty() => {
                Ok(DiffSide::Version(owned(version)))
            }
            _ => Err(OpError::NothingNamed(name.to_owned())),
        }
    }
}

/// How one recommendation differs between the two sides: its text, and
/// every part where both sides hold the whole recommendation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RecommendationDiff {
    pub(crate) recommendation: String,
    pub(crate) runs: Vec<Run>,
    pub(crate) parts: Option<Changes>,
}

/// What one side holds of a recommendation: all of it, or one text (an
/// alternative's, a proposal's).
enum Held {
    Whole(Box<Recommendation>),
    Text(String),
}

impl Held {
    fn text(&self) -> &str {
        match self {
            Held::Whole(rec) => &rec.text,
            Held::Text(text) => text,
        }
    }

    fn whole(held: Option<&Held>) -> Option<Option<&Recommendation>> {
        match held {
            None => Some(None),
            Some(Held::Whole(rec)) => Some(Some(rec)),
            Some(Held::Text(_)) => None,
        }
    }
}

/// The diff of what `old` and `new` hold of one recommendation.
fn diff_of(recommendation: String, old: Option<&Held>, new: Option<&Held>) -> RecommendationDiff {
    let parts = match (Held::whole(old), Held::whole(new)) {
        (Some(old), Some(new)) => Some(compare(old, new)),
        _ => None,
    };
    RecommendationDiff {
        recommendation,
        runs: word_diff(old.map_or("", Held::text), new.map_or("", Held::text)),
        parts,
    }
}

impl Operations {
    /// The word diffs from the texts `from` names to those `to` names. One
    /// text against one is compared whatever they are called; several are
    /// paired by recommendation.
    pub(crate) async fn diff(
        &self,
        actor: &Actor,
        from: &str,
        to: &str,
    ) -> Result<Vec<RecommendationDiff>, OpError> {
        let old = self.side(actor, from).await?;
        let new = self.side(actor, to).await?;
        if old.len() == 1 && new.len() == 1 {
            // One against one, whatever each is called.
            let (key, old) = old.iter().next().map(|(k, v)| (k.clone(), v)).unzip();
            let new = new.values().next();
            return Ok(vec![diff_of(key.unwrap_or_default(), old, new)]);
        }
        let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        Ok(keys
            .into_iter()
            .map(|key| diff_of(key.clone(), old.get(key), new.get(key)))
            .collect())
    }

    /// What one side of a diff names, by recommendation, as the actor may
    /// see it.
    async fn side(&self, actor: &Actor, name: &str) -> Result<BTreeMap<String, Held>, OpError> {
        let unknown = || OpError::NothingNamed(name.to_owned());
        match name.parse::<DiffSide>()? {
            DiffSide::Live => {
                let space = self.space(actor).await?;
                let mut held = BTreeMap::new();
                for summary in space.topics.iter().flat_map(|t| &t.recommendations) {
                    if let Some(rec) = self.recommendation_in(actor, &summary.doc).await? {
                        held.insert(summary.id.clone(), Held::Whole(Box::new(rec)));
                    }
                }
                Ok(held)
            }
            DiffSide::Recommendation(rec) => {
                let doc = DocPath::Recommendation(&rec).to_string();
                let whole = self
                    .recommendation_in(actor, &doc)
                    .await?
                    .ok_or_else(unknown)?;
                Ok(BTreeMap::from([(rec, Held::Whole(Box::new(whole)))]))
            }
            DiffSide::Alternative {
                recommendation,
                alternative,
            } => {
                let doc = DocPath::Recommendation(&recommendation).to_string();
                let text = self
                    .recommendation_in(actor, &doc)
                    .await?
                    .and_then(|rec| rec.alternatives.into_iter().find(|a| a.id == alternative))
                    .ok_or_else(unknown)?
                    .text;
                Ok(BTreeMap::from([(recommendation, Held::Text(text))]))
            }
            DiffSide::Proposal(id) => {
                let proposal = self.proposal(actor, &id).await?;
                let text = self.offered_text(actor, &proposal).await?;
                let key = proposal
                    .branch_of
                    .unwrap_or_else(|| format!("proposal {id}"));
                Ok(BTreeMap::from([(key, Held::Text(text))]))
            }
            DiffSide::Version(id) => {
                let version = self.version(actor, &id).await?.ok_or_else(unknown)?;
                let mut held = BTreeMap::new();
                for rec in &version.recommendations {
                    let copy = DocPath::VersionCopy {
                        version: &version.id,
                        recommendation: rec,
                    };
                    if let Some(whole) = self.recommendation_in(actor, &copy.to_string()).await? {
                        held.insert(rec.clone(), Held::Whole(Box::new(whole)));
                    }
                }
                Ok(held)
            }
        }
    }

    /// The recommendation in `doc`, if there is one, without its comments
    /// (a diff compares what the group drafted).
    async fn recommendation_in(
        &self,
        actor: &Actor,
        doc: &str,
    ) -> Result<Option<Recommendation>, OpError> {
        Ok(self
            .rooms
            .read(&actor.doc(doc)?, |txn| {
                read_recommendation(txn).map(|mut rec| {
                    rec.comments.clear();
                    rec
                })
            })
            .await?)
    }
}

/// Diffs as HTML: a section per recommendation, deletions in `<del>`,
/// insertions in `<ins>`.
pub(crate) fn diffs_html(diffs: &[RecommendationDiff]) -> String {
    let mut html = String::from("<div class=\"diffs\">\n");
    for diff in diffs {
        html.push_str(&format!(
            "<section class=\"diff\" data-recommendation=\"{}\"><p>{}</p></section>\n",
            Markup::Html.escape(&diff.recommendation),
            diff_html(&diff.runs)
        ));
    }
    html.push_str("</div>\n");
    html
}

#[cfg(test)]
mod tests {
    use draftroom_model::word_diff;

    use super::{DiffSide, RecommendationDiff, diffs_html};

    #[test]
    fn a_diff_names_its_recommendation_in_an_attribute_that_reads_back_as_it_is() {
        // A free-text proposal's side is named after the proposal, and
        // recommendation names come from the request.
        let html = diffs_html(&[RecommendationDiff {
            recommendation: "proposal a\"b&quot;<c>'\u{1}".into(),
            runs: word_diff("old", "new"),
            parts: None,
        }]);
        assert!(
            html.contains(r#"data-recommendation="proposal a&quot;b&amp;quot;&lt;c&gt;&apos;">"#),
            "{html}"
        );
    }

    #[test]
    fn diff_sides_parse_from_their_names() {
        assert_eq!("live".parse::<DiffSide>().ok(), Some(DiffSide::Live));
        assert_eq!(
            "live:c-1".parse::<DiffSide>().ok(),
            Some(DiffSide::Recommendation("c-1".into()))
        );
        assert_eq!(
            "alt:c-1:alt-2".parse::<DiffSide>().ok(),
            Some(DiffSide::Alternative {
                recommendation: "c-1".into(),
                alternative: "alt-2".into()
            })
        );
        assert_eq!(
            "proposal:p-1".parse::<DiffSide>().ok(),
            Some(DiffSide::Proposal("p-1".into()))
        );
        assert_eq!(
            "v-1".parse::<DiffSide>().ok(),
            Some(DiffSide::Version("v-1".into()))
        );
        for nothing in ["", "alt:c-1", "live:a:b", "proposal:p:q"] {
            assert!(nothing.parse::<DiffSide>().is_err(), "{nothing}");
        }
    }
}
