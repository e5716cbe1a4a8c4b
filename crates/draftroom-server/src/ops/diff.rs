//! Word diffs between named texts: versions, the live texts, alternatives
//! and proposals.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use draftroom_model::{DocPath, Markup, Run, diff_html, read_recommendation, word_diff};

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

/// How one recommendation's text differs between the two sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecommendationDiff {
    pub(crate) recommendation: String,
    pub(crate) runs: Vec<Run>,
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
        let pairs: Vec<(String, &str, &str)> = if old.len() == 1 && new.len() == 1 {
            let (key, old) = old
                .iter()
                .next()
                .map(|(k, v)| (k.clone(), v.as_str()))
                .unwrap_or_default();
            let new = new.values().next().map_or("", String::as_str);
            vec![(key, old, new)]
        } else {
            let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
            keys.into_iter()
                .map(|key| {
                    (
                        key.clone(),
                        old.get(key).map_or("", String::as_str),
                        new.get(key).map_or("", String::as_str),
                    )
                })
                .collect()
        };
        Ok(pairs
            .into_iter()
            .map(|(recommendation, old, new)| RecommendationDiff {
                recommendation,
                runs: word_diff(old, new),
            })
            .collect())
    }

    /// The texts one side of a diff names, by recommendation, as the actor
    /// may see them.
    async fn side(&self, actor: &Actor, name: &str) -> Result<BTreeMap<String, String>, OpError> {
        let unknown = || OpError::NothingNamed(name.to_owned());
        match name.parse::<DiffSide>()? {
            DiffSide::Live => {
                let space = self.space(actor).await?;
                let mut texts = BTreeMap::new();
                for summary in space.topics.iter().flat_map(|t| &t.recommendations) {
                    if let Some(text) = self.text_of(actor, &summary.doc, None).await? {
                        texts.insert(summary.id.clone(), text);
                    }
                }
                Ok(texts)
            }
            DiffSide::Recommendation(rec) => {
                let doc = DocPath::Recommendation(&rec).to_string();
                let text = self.text_of(actor, &doc, None).await?.ok_or_else(unknown)?;
                Ok(BTreeMap::from([(rec, text)]))
            }
            DiffSide::Alternative {
                recommendation,
                alternative,
            } => {
                let doc = DocPath::Recommendation(&recommendation).to_string();
                let text = self
                    .text_of(actor, &doc, Some(alternative))
                    .await?
                    .ok_or_else(unknown)?;
                Ok(BTreeMap::from([(recommendation, text)]))
            }
            DiffSide::Proposal(id) => {
                let proposal = self.proposal(actor, &id).await?;
                let text = self.offered_text(actor, &proposal).await?;
                let key = proposal
                    .branch_of
                    .unwrap_or_else(|| format!("proposal {id}"));
                Ok(BTreeMap::from([(key, text)]))
            }
            DiffSide::Version(id) => {
                let version = self.version(actor, &id).await?.ok_or_else(unknown)?;
                let mut texts = BTreeMap::new();
                for rec in &version.recommendations {
                    let copy = DocPath::VersionCopy {
                        version: &version.id,
                        recommendation: rec,
                    };
                    if let Some(text) = self.text_of(actor, &copy.to_string(), None).await? {
                        texts.insert(rec.clone(), text);
                    }
                }
                Ok(texts)
            }
        }
    }

    /// The majority text of the recommendation in `doc`, or one of its
    /// alternatives' texts; `None` if there is no such text.
    async fn text_of(
        &self,
        actor: &Actor,
        doc: &str,
        alternative: Option<String>,
    ) -> Result<Option<String>, OpError> {
        Ok(self
            .rooms
            .read(&actor.doc(doc)?, move |txn| {
                read_recommendation(txn).and_then(|rec| match alternative {
                    None => Some(rec.text),
                    Some(alt) => rec
                        .alternatives
                        .into_iter()
                        .find(|a| a.id == alt)
                        .map(|a| a.text),
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
