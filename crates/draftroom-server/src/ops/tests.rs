//! The operations against a real embedded store in a temporary directory:
//! the drafting model, proposals and merges, versions, diffs, the audit log
//! and the demo, without sockets or a release build.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use draftroom_auth::{Role, Secret};
use draftroom_model::{
    AuditAction, BracketChange, BracketState, CommentChange, Consensus, DocPath, Field, Format,
    Keep, MergeKind, Op, PROPOSALS_DOC, Passage, Proposal, ProposalStatus, Run, Status,
    SupportChoice, Topic, list_proposals, put_proposal, schema,
};
use draftroom_store::EmbeddedStore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use yrs::{GetString, Map, ReadTxn, Text, WriteTxn};

use super::proposals::{MergeExtent, MergeTarget, Submission};
use super::recommendations::{NewAlternative, NewRecommendation, StatusChange};
use super::{Actor, OpError, Operations, doc_name};
use crate::config::Config;
use crate::metrics::Metrics;
use crate::rooms::Rooms;

const SPACE: &str = "wg";

/// Runs a test on the server's runtime (whose stacks are sized for yrs)
/// with operations over a fresh embedded store.
fn with_ops<F, Fut>(test: F)
where
    F: FnOnce(Operations) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    with_config(Config::default(), test);
}

/// As [`with_ops`], with the server's settings as `config` says.
fn with_config<F, Fut>(config: Config, test: F)
where
    F: FnOnce(Operations) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let runtime = crate::runtime().expect("runtime");
    let outcome = runtime.block_on(runtime.spawn(async move {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Arc::new(EmbeddedStore::open(dir.path()).expect("store opens"));
        let rooms = Rooms::new(
            store,
            Arc::new(config),
            Arc::new(Metrics::default()),
            CancellationToken::new(),
            TaskTracker::new(),
        );
        let secret = Secret::new("operations-test-secret").expect("long enough");
        test(Operations::new(rooms.clone(), secret)).await;
        rooms.shutdown.cancel();
        rooms.tasks.close();
        rooms.tasks.wait().await;
    }));
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}

/// Mia's branch of C.1, titled `title`.
async fn submit_branch(ops: &Operations, title: &str) -> Proposal {
    let submission = Submission {
        title: title.into(),
        branch_of: Some("c-1".into()),
        ..Submission::default()
    };
    ops.submit(&member("mia"), submission)
        .await
        .expect("submits")
}

/// The live space, whole, as `format`.
fn live_export(format: Format) -> super::export::ExportRequest {
    super::export::ExportRequest {
        format,
        comments: false,
        annex: false,
        contents: super::export::Requested::Report,
        version: None,
        statuses: Vec::new(),
    }
}

/// Whether the operation was refused for the actor's role.
fn forbidden<T>(result: Result<T, OpError>) -> bool {
    matches!(result, Err(OpError::Forbidden { .. }))
}

/// A move to `status` (and `consensus`), overriding nothing.
fn status(status: Status, consensus: Option<Consensus>) -> StatusChange {
    StatusChange {
        status,
        consensus,
        overriding: None,
    }
}

fn actor(user: &str, role: Role) -> Actor {
    Actor {
        space: SPACE.into(),
        user: user.into(),
        role,
    }
}

fn chair() -> Actor {
    actor("carla", Role::Chair)
}

fn vice() -> Actor {
    actor("victor", Role::ViceChair)
}

fn member(user: &str) -> Actor {
    actor(user, Role::Member)
}

/// The text a diff's runs lead to.
fn after_runs(runs: &[Run]) -> String {
    runs.iter()
        .filter(|run| run.op != Op::Delete)
        .map(|run| run.text.as_str())
        .collect()
}

fn observer() -> Actor {
    actor("olga", Role::Observer)
}

/// A space with topics C and D and recommendation c-1 holding `text`.
async fn space_with(ops: &Operations, text: &str) {
    let topics = ["C", "D"]
        .map(|letter| Topic {
            letter: letter.into(),
            title: format!("Topic {letter}"),
        })
        .to_vec();
    ops.create_space(&chair(), "Working group", topics)
        .await
        .expect("creates the space");
    let created = ops
        .create_recommendation(
            &chair(),
            NewRecommendation {
                topic: "C".into(),
                title: "Funding".into(),
                text: text.into(),
                ..NewRecommendation::default()
            },
        )
        .await
        .expect("creates the recommendation");
    assert_eq!(created.id, "c-1");
    assert_eq!(created.doc, "r/c-1");
}

/// Edits a document's majority text as a client would, through its room.
async fn type_into(ops: &Operations, doc: &str, at: u32, words: &'static str) {
    ops.rooms
        .edit(&doc_name(SPACE, doc).expect("a name"), move |txn| {
            txn.get_or_insert_text(schema::root::TEXT)
                .insert(txn, at, words)
        })
        .await
        .expect("stored");
}

async fn majority_of(ops: &Operations, id: &str) -> String {
    ops.recommendation(&observer(), id)
        .await
        .expect("reads")
        .text
}

#[test]
fn each_operation_needs_its_role() {
    with_ops(|ops| async move {
        space_with(&ops, "Text.").await;
        let new = NewRecommendation {
            topic: "C".into(),
            title: "x".into(),
            ..NewRecommendation::default()
        };
        assert!(forbidden(
            ops.create_recommendation(&vice(), new).await.map(|_| ())
        ));
        assert!(forbidden(
            ops.set_status(&vice(), "c-1", status(Status::Agreed, None))
                .await
                .map(|_| ())
        ));
        let alternative = NewAlternative {
            id: NewAlternative::fresh_id(),
            label: "B".into(),
            text: "b".into(),
        };
        assert!(forbidden(
            ops.add_alternative(&observer(), "c-1", alternative)
                .await
                .map(|_| ())
        ));
        assert!(forbidden(
            ops.support(&observer(), "c-1", SupportChoice::Majority)
                .await
                .map(|_| ())
        ));
        let submission = Submission {
            title: "P".into(),
            ..Submission::default()
        };
        assert!(forbidden(
            ops.submit(&observer(), submission).await.map(|_| ())
        ));
        assert!(forbidden(
            ops.name_version(&member("mia"), "v", None)
                .await
                .map(|_| ())
        ));
        assert!(forbidden(
            ops.mint_link(&vice(), "x", Some(Role::Chair), 30)
                .await
                .map(|_| ())
        ));
    });
}

#[test]
fn drafting_fields_alternatives_support_and_adoption() {
    with_ops(|ops| async move {
        space_with(&ops, "Fund the IGF.").await;
        let d1 = ops
            .create_recommendation(
                &chair(),
                NewRecommendation {
                    topic: "D".into(),
                    title: "Participation".into(),
                    text: "[Remote] hubs.".into(),
                    fields: BTreeMap::from([(Field::Responsible, "UN DESA".to_owned())]),
                },
            )
            .await
            .expect("creates");
        let read = ops
            .recommendation(&observer(), &d1.id)
            .await
            .expect("reads");
        assert_eq!(read.fields[&Field::Responsible], "UN DESA");
        assert_eq!(read.fields[&Field::Tasks], "");
        assert_eq!(read.open_brackets, 1);
        let space = ops.space(&observer()).await.expect("reads the space");
        assert_eq!(space.topics[1].recommendations[0].open_brackets, 1);

        let alternative = ops
            .add_alternative(
                &member("mia"),
                "c-1",
                NewAlternative {
                    id: "alt-1".into(),
                    label: "Voluntary only".into(),
                    text: "Voluntary funding.".into(),
                },
            )
            .await
            .expect("adds");
        assert_eq!(alternative.proponents, vec!["mia".to_owned()]);
        // Its proponents, the vice-chair and the chair rename it; no one else.
        assert!(matches!(
            ops.relabel_alternative(&member("ben"), "c-1", "alt-1", "Ben's")
                .await,
            Err(OpError::NotAProponent)
        ));
        for (who, label) in [
            (member("mia"), "Voluntary"),
            (vice(), "Voluntary funding only"),
        ] {
            let renamed = ops
                .relabel_alternative(&who, "c-1", "alt-1", label)
                .await
                .expect("renames");
            assert_eq!(renamed.label, label);
        }
        let support = ops
            .support(&member("ben"), "c-1", SupportChoice::from("alt-1"))
            .await
            .expect("supports");
        assert_eq!(support["ben"], SupportChoice::Alternative("alt-1".into()));
        assert!(matches!(
            ops.support(&member("ben"), "c-1", SupportChoice::from("alt-9"))
                .await,
            Err(OpError::NoSuchAlternative(_))
        ));

        // Adopted text is frozen for the API as for websockets, until the
        // chair moves it back.
        ops.set_status(
            &chair(),
            "c-1",
            status(Status::Adopted, Some(Consensus::Full)),
        )
        .await
        .expect("adopts");
        assert!(matches!(
            ops.support(&member("ben"), "c-1", SupportChoice::Majority)
                .await,
            Err(OpError::Frozen)
        ));
        let thawed = ops
            .set_status(&chair(), "c-1", status(Status::Agreed, None))
            .await
            .expect("thaws");
        assert_eq!(thawed.status, Status::Agreed);
        assert_eq!(thawed.consensus, Some(Consensus::Full));
        assert!(matches!(
            ops.recommendation(&observer(), "z-9").await,
            Err(OpError::NoSuchRecommendation(_))
        ));
    });
}

#[test]
fn a_branch_merges_with_the_edits_made_meanwhile() {
    with_ops(|ops| async move {
        space_with(&ops, "The IGF should be funded.").await;
        let branch = submit_branch(&ops, "Name the donors").await;
        assert_eq!(
            branch.topic.as_deref(),
            Some("C"),
            "a branch takes its topic"
        );
        let doc = branch.doc.clone().expect("a branch has a document");
        assert_eq!(doc, DocPath::Branch(&branch.id).to_string());
        let at = "The IGF should be funded".len() as u32;
        type_into(&ops, &doc, at, " by all donors, named publicly").await;
        type_into(&ops, "r/c-1", 0, "Agreed: ").await;

        // A branch merges into its own recommendation only.
        let elsewhere = MergeTarget::Majority {
            into: "d-1".into(),
            position: None,
        };
        assert!(matches!(
            ops.merge(&vice(), &branch.id, elsewhere, MergeExtent::Whole)
                .await,
            Err(OpError::Invalid(_))
        ));
        let target = MergeTarget::Majority {
            into: "c-1".into(),
            position: None,
        };
        let preview = ops
            .preview_merge(&vice(), &branch.id, target.clone())
            .await
            .expect("previews");
        let merged = ops
            .merge(&vice(), &branch.id, target.clone(), MergeExtent::Whole)
            .await
            .expect("merges");
        assert_eq!(merged.status, ProposalStatus::Merged);
        assert_eq!(merged.merged_into[0].merged_as, MergeKind::Majority);
        let event = merged.history.last().expect("a history");
        assert_eq!(merged.merged_into[0].at, event.at, "one time for one merge");
        assert_eq!(
            majority_of(&ops, "c-1").await,
            "Agreed: The IGF should be funded by all donors, named publicly."
        );
        // The preview showed what the merge did: the branch's words added,
        // the edit made meanwhile kept.
        assert_eq!(after_runs(&preview.runs), majority_of(&ops, "c-1").await);
        assert!(preview.runs.iter().all(
            |run| run.op != Op::Delete && (run.op == Op::Equal) != run.text.contains("donors")
        ));
        // Merged once, it is closed.
        assert!(matches!(
            ops.merge(&vice(), &branch.id, target, MergeExtent::Whole)
                .await,
            Err(OpError::NotOpen(ProposalStatus::Merged))
        ));
    });
}

#[test]
fn free_text_merges_as_an_alternative_into_the_majority_or_as_new() {
    with_ops(|ops| async move {
        space_with(&ops, "Fund the IGF.").await;
        let propose = |user: &'static str, title: &'static str, text: &'static str| {
            let ops = ops.clone();
            async move {
                ops.submit(
                    &member(user),
                    Submission {
                        title: title.into(),
                        text: Some(text.into()),
                        ..Submission::default()
                    },
                )
                .await
                .expect("submits")
                .id
            }
        };
        let as_alt = propose("mia", "Voluntary only", "Only voluntary contributions.").await;
        let categorized = ops.categorize(&vice(), &as_alt, "C").await.expect("files");
        assert_eq!(categorized.status, ProposalStatus::Categorized);
        assert!(matches!(
            ops.categorize(&vice(), &as_alt, "Z").await,
            Err(OpError::NoSuchTopic(_))
        ));
        let merged = ops
            .merge(
                &vice(),
                &as_alt,
                MergeTarget::Alternative { into: "c-1".into() },
                MergeExtent::Whole,
            )
            .await
            .expect("merges");
        let alternative_id = merged.merged_into[0].alternative.clone().expect("an id");
        let rec = ops.recommendation(&observer(), "c-1").await.expect("reads");
        let alternative = rec
            .alternatives
            .iter()
            .find(|alt| alt.id == alternative_id)
            .expect("the new alternative");
        assert_eq!(alternative.proponents, vec!["mia".to_owned()]);

        let into_majority = propose("ben", "Add a deadline", "By 2013.").await;
        let preview = ops
            .preview_merge(
                &vice(),
                &into_majority,
                MergeTarget::Majority {
                    into: "c-1".into(),
                    position: None,
                },
            )
            .await
            .expect("previews");
        assert_eq!(after_runs(&preview.runs), "Fund the IGF. By 2013.");
        assert_eq!(
            majority_of(&ops, "c-1").await,
            "Fund the IGF.",
            "a preview changes nothing"
        );
        let partial = ops
            .merge(
                &vice(),
                &into_majority,
                MergeTarget::Majority {
                    into: "c-1".into(),
                    position: None,
                },
                MergeExtent::Partial,
            )
            .await
            .expect("merges");
        assert_eq!(partial.status, ProposalStatus::PartiallyMerged);
        assert_eq!(majority_of(&ops, "c-1").await, "Fund the IGF. By 2013.");

        let at_start = propose("ben", "Preamble", "Agreed: ").await;
        ops.merge(
            &vice(),
            &at_start,
            MergeTarget::Majority {
                into: "c-1".into(),
                position: Some(0),
            },
            MergeExtent::Whole,
        )
        .await
        .expect("merges");
        assert!(majority_of(&ops, "c-1").await.starts_with("Agreed: Fund"));

        let as_new = propose("mia", "Remote hubs", "Support remote hubs.").await;
        let created = ops
            .merge(
                &vice(),
                &as_new,
                MergeTarget::New {
                    topic: Some("D".into()),
                },
                MergeExtent::Whole,
            )
            .await
            .expect("merges");
        assert_eq!(created.merged_into[0].recommendation, "d-1");
        assert_eq!(majority_of(&ops, "d-1").await, "Support remote hubs.");
    });
}

#[test]
fn members_see_and_withdraw_only_their_own_proposals() {
    with_ops(|ops| async move {
        space_with(&ops, "Text.").await;
        let submission = Submission {
            title: "Mine".into(),
            text: Some("y".into()),
            ..Submission::default()
        };
        let mine = ops
            .submit(&member("mia"), submission)
            .await
            .expect("submits")
            .id;
        assert!(
            ops.proposals(&member("ben"))
                .await
                .expect("lists")
                .is_empty()
        );
        assert_eq!(ops.proposals(&vice()).await.expect("lists").len(), 1);
        assert!(matches!(
            ops.proposal(&member("ben"), &mine).await,
            Err(OpError::NoSuchProposal(_))
        ));
        for other in [member("ben"), vice()] {
            assert!(matches!(
                ops.withdraw(&other, &mine).await,
                Err(OpError::NotAuthor)
            ));
        }
        let withdrawn = ops
            .withdraw(&member("mia"), &mine)
            .await
            .expect("withdraws");
        assert_eq!(withdrawn.status, ProposalStatus::Withdrawn);
        assert!(matches!(
            ops.reject(&vice(), &mine, "late").await,
            Err(OpError::NotOpen(ProposalStatus::Withdrawn))
        ));
        assert!(matches!(
            ops.reject(&vice(), &mine, " ").await,
            Err(OpError::Invalid(_))
        ));
    });
}

#[test]
fn proposals_a_store_kept_whole_in_the_live_document_move_to_the_records_on_first_read() {
    with_ops(|ops| async move {
        space_with(&ops, "Text.").await;
        // As stores written before summaries hold them: in full, live.
        let old = Proposal::new(
            "p-old",
            "Before summaries",
            Some("An old, long text. ".repeat(500)),
            None,
            "mia",
            "2026-01-01T00:00:00Z",
        );
        let live = doc_name(SPACE, PROPOSALS_DOC).expect("name");
        let kept = old.clone();
        ops.rooms
            .edit(&live, move |txn| put_proposal(txn, &kept))
            .await
            .expect("written");

        assert_eq!(
            ops.proposals(&member("mia")).await.expect("lists"),
            vec![old.clone()]
        );
        let (summary, whole, held) = ops
            .rooms
            .read(&live, |txn| {
                let map = txn.get_map(PROPOSALS_DOC).expect("the list");
                let summary = map.get(txn, "p-old").map(|value| value.to_string(txn));
                let held = txn.encode_state_as_update_v1(&yrs::StateVector::default());
                (summary, list_proposals(txn), held.len())
            })
            .await
            .expect("read");
        assert!(whole.is_empty(), "the live document holds summaries only");
        assert!(summary.is_some_and(|s| s.contains("submitted")));
        assert!(held < 1000, "the old text left the live document: {held}");

        // Its next step is taken on the record, and summed up live.
        let withdrawn = ops
            .withdraw(&member("mia"), "p-old")
            .await
            .expect("withdraws");
        assert_eq!(withdrawn.history.len(), 2);
        assert_eq!(
            ops.proposal(&vice(), "p-old").await.expect("reads").status,
            ProposalStatus::Withdrawn
        );
    });
}

#[test]
fn versions_never_change_and_diffs_compare_what_they_name() {
    with_ops(|ops| async move {
        space_with(&ops, "The IGF should be funded by donors.").await;
        let v1 = ops
            .name_version(&vice(), "After the 3rd meeting", Some("c-1".into()))
            .await
            .expect("names");
        type_into(&ops, "r/c-1", 0, "Agreed: ").await;
        let diffs = ops.diff(&observer(), &v1, "live:c-1").await.expect("diffs");
        assert_eq!(diffs.len(), 1);
        let inserted: Vec<&str> = diffs[0]
            .runs
            .iter()
            .filter(|run| run.op == draftroom_model::Op::Insert)
            .map(|run| run.text.as_str())
            .collect();
        assert_eq!(inserted, vec!["Agreed: "]);
        // The version's own copy still reads as it was.
        let copy = DocPath::VersionCopy {
            version: &v1,
            recommendation: "c-1",
        };
        let kept = ops
            .rooms
            .read(
                &doc_name(SPACE, &copy.to_string()).expect("a name"),
                |txn| {
                    txn.get_text(schema::root::TEXT)
                        .map(|text| text.get_string(txn))
                },
            )
            .await
            .expect("reads");
        assert_eq!(kept.as_deref(), Some("The IGF should be funded by donors."));
        let versions = ops.versions(&observer()).await.expect("lists");
        assert_eq!(versions.len(), 1);
        assert_eq!(versions[0].recommendations, vec!["c-1".to_owned()]);
        for nothing in ["v-none", "live:z-9", "alt:c-1:alt-9", "nonsense:a:b:c"] {
            assert!(
                matches!(
                    ops.diff(&observer(), nothing, "live").await,
                    Err(OpError::NothingNamed(_))
                ),
                "{nothing}"
            );
        }
    });
}

#[test]
fn governance_actions_are_audited_in_order_and_the_chain_verifies() {
    with_ops(|ops| async move {
        space_with(&ops, "Text.").await;
        let submission = Submission {
            title: "P".into(),
            text: Some("q".into()),
            ..Submission::default()
        };
        let id = ops
            .submit(&member("mia"), submission)
            .await
            .expect("submits")
            .id;
        ops.reject(&vice(), &id, "no").await.expect("rejects");
        ops.set_status(
            &chair(),
            "c-1",
            status(Status::Agreed, Some(Consensus::Full)),
        )
        .await
        .expect("moves");
        let link = ops
            .mint_link(&chair(), " Nadia ", Some(Role::Member), 2)
            .await
            .expect("mints");
        assert_eq!(link.user, "Nadia");
        assert!(link.path(SPACE).starts_with("/s/wg?token="));
        let report = ops.audit(&observer()).await.expect("reads");
        assert_eq!(report.verdict, Ok(7));
        let actions: Vec<String> = report
            .log
            .entries
            .iter()
            .map(|entry| {
                let body: serde_json::Value = serde_json::from_slice(&entry.body).expect("JSON");
                body["action"].as_str().unwrap_or_default().to_owned()
            })
            .collect();
        let expected = [
            AuditAction::SpaceCreated,
            AuditAction::RecommendationCreated,
            AuditAction::ProposalSubmitted,
            AuditAction::ProposalRejected,
            AuditAction::RecommendationStatus,
            AuditAction::PersonAdded,
            AuditAction::LinkMinted,
        ]
        .map(|action| action.as_str().to_owned());
        assert_eq!(actions, expected);
        assert!(
            !String::from_utf8_lossy(&report.log.entries[6].body).contains(&link.token),
            "the audit log never holds a token"
        );
        for (user, days) in [("", 30), ("a\nb", 30), ("x", 0), ("x", 367)] {
            assert!(matches!(
                ops.mint_link(&chair(), user, Some(Role::Member), days)
                    .await,
                Err(OpError::Invalid(_))
            ));
        }
    });
}

#[test]
fn the_demo_space_is_made_once_and_exports() {
    with_ops(|ops| async move {
        assert!(ops.seed_demo().await.expect("seeds"));
        assert!(!ops.seed_demo().await.expect("seeds"), "only once");
        let reader = Actor {
            space: super::demo::DEMO_SPACE.into(),
            user: "olga".into(),
            role: Role::Observer,
        };
        let space = ops.space(&reader).await.expect("reads");
        assert_eq!(space.topics.len(), 5);
        let funding = ops.recommendation(&reader, "c-1").await.expect("reads");
        assert_eq!(funding.alternatives[0].id, "alt-voluntary");
        assert_eq!(funding.status, Status::Bracketed);
        assert!(!funding.fields[&Field::Tasks].is_empty());
        let html = String::from_utf8(
            ops.export(&reader, &live_export(Format::Html))
                .await
                .expect("exports"),
        )
        .expect("text");
        assert!(html.contains("Voluntary contributions only"));
        let markdown = String::from_utf8(
            super::export::export_space(
                super::export::Source::Store(&*ops.rooms.store),
                super::demo::DEMO_SPACE,
                &live_export(Format::Markdown),
            )
            .await
            .expect("exports from the store"),
        )
        .expect("text");
        assert!(markdown.contains("Stable and predictable funding"));
        assert!(matches!(
            ops.export(&actor("x", Role::Observer), &live_export(Format::Akn))
                .await,
            Err(OpError::NoSuchSpace(_))
        ));
    });
}

#[test]
fn the_whole_demo_is_made_whatever_limits_people_are_held_to() {
    // The demo is the server's own text: one creation a minute, and texts
    // and titles of a few bytes, hold people back, not the server.
    let config = Config {
        creations_per_minute: 1,
        max_text_bytes: 8,
        max_title_chars: 4,
        ..Config::default()
    };
    with_config(config, |ops| async move {
        assert!(ops.seed_demo().await.expect("seeds"));
        let reader = Actor {
            space: super::demo::DEMO_SPACE.into(),
            user: "olga".into(),
            role: Role::Observer,
        };
        let space = ops.space(&reader).await.expect("reads");
        let made: usize = space.topics.iter().map(|t| t.recommendations.len()).sum();
        assert_eq!(made, 5, "every one of the demo's recommendations");
        let funding = ops.recommendation(&reader, "c-1").await.expect("reads");
        assert_eq!(funding.alternatives[0].id, "alt-voluntary");
        assert_eq!(funding.support.len(), 7);
        assert_eq!(ops.people(&reader).await.expect("reads").len(), 10);
        let mag = ops.recommendation(&reader, "b-1").await.expect("reads");
        assert_eq!(mag.status, Status::Adopted);
        assert_eq!(mag.implementation.len(), 2, "a sample history");
        let meetings: Vec<String> = ops
            .meetings(&reader)
            .await
            .expect("reads")
            .into_iter()
            .map(|m| format!("{} {}", m.title, m.starts))
            .collect();
        assert_eq!(
            meetings,
            [
                "3rd meeting 2011-10-31",
                "4th meeting 2012-01-25",
                "5th meeting 2012-02-20"
            ]
        );
        assert_eq!(ops.points(&reader).await.expect("reads").len(), 3);
        // People are still held to them.
        let member = Actor {
            role: Role::Member,
            ..reader
        };
        let submission = Submission {
            title: "Long".into(),
            text: Some("A text longer than eight bytes.".into()),
            ..Submission::default()
        };
        assert!(matches!(
            ops.submit(&member, submission).await,
            Err(OpError::TooLong(_))
        ));
    });
}

#[test]
fn the_server_writes_under_32_bit_client_ids() {
    // Clients that keep client ids in 32 bits (y-py among them) rewrite
    // larger ones and send the content back as new: the text doubles.
    with_ops(|ops| async move {
        ops.seed_demo().await.expect("seeds");
        for doc in ["index", "r/c-1", "r/a-1"] {
            let name = doc_name(super::demo::DEMO_SPACE, doc).expect("a name");
            let state = ops
                .rooms
                .read(&name, |txn| txn.state_vector())
                .await
                .expect("reads");
            assert!(!state.is_empty(), "{doc} holds something");
            for (client, _) in state.iter() {
                assert!(
                    client.get() <= u64::from(u32::MAX),
                    "{doc}: client {client}"
                );
            }
        }
    });
}

#[test]
fn what_people_write_is_bounded_on_every_operation_that_keeps_it() {
    with_ops(|ops| async move {
        space_with(&ops, "Fund the IGF.").await;
        let limits = ops.limits;
        let long_title = "t".repeat(limits.max_title_chars + 1);
        let long_text = "x".repeat(limits.max_text_bytes + 1);
        let too_long = |outcome: Result<_, OpError>, what: &str| match outcome {
            Err(OpError::TooLong(message)) => assert!(message.starts_with(what), "{message}"),
            Err(other) => panic!("{what}: refused otherwise: {other}"),
            Ok(_) => panic!("{what}: taken"),
        };
        let new = |title: &str, text: &str| NewRecommendation {
            topic: "C".into(),
            title: title.into(),
            text: text.into(),
            ..NewRecommendation::default()
        };
        too_long(
            ops.create_recommendation(&chair(), new(&long_title, ""))
                .await
                .map(drop),
            "the title",
        );
        too_long(
            ops.create_recommendation(&chair(), new("Fine", &long_text))
                .await
                .map(drop),
            "the text",
        );
        let alternative = |label: &str, text: &str| NewAlternative {
            id: "alt-x".into(),
            label: label.into(),
            text: text.into(),
        };
        too_long(
            ops.add_alternative(&member("ana"), "c-1", alternative(&long_title, ""))
                .await
                .map(drop),
            "the label",
        );
        too_long(
            ops.add_alternative(&member("ana"), "c-1", alternative("Fine", &long_text))
                .await
                .map(drop),
            "the text",
        );
        let submission = |title: &str, text: &str| Submission {
            title: title.into(),
            text: Some(text.into()),
            topic: None,
            branch_of: None,
        };
        too_long(
            ops.submit(&member("ana"), submission(&long_title, ""))
                .await
                .map(drop),
            "the title",
        );
        too_long(
            ops.submit(&member("ana"), submission("Fine", &long_text))
                .await
                .map(drop),
            "the text",
        );
        let proposal = ops
            .submit(&member("ana"), submission("Fine", "Short."))
            .await
            .expect("within the limits");
        let long_reason = "r".repeat(limits.max_note_chars + 1);
        too_long(
            ops.reject(&vice(), &proposal.id, &long_reason)
                .await
                .map(drop),
            "the reason",
        );
        too_long(
            ops.name_version(&vice(), &long_title, None).await.map(drop),
            "the name",
        );
        let exactly = "t".repeat(limits.max_title_chars);
        ops.name_version(&vice(), &exactly, None)
            .await
            .expect("a name exactly at the limit is taken");
    });
}

#[test]
fn one_person_creates_at_most_their_allowance_a_minute_and_others_keep_theirs() {
    with_ops(|ops| async move {
        space_with(&ops, "Fund the IGF.").await;
        let per_minute = ops.rooms.config.creations_per_minute;
        let submission = || Submission {
            title: "Again".into(),
            text: Some("Spam.".into()),
            topic: None,
            branch_of: None,
        };
        for _ in 0..per_minute {
            ops.submit(&member("spam"), submission())
                .await
                .expect("within the allowance");
        }
        match ops.submit(&member("spam"), submission()).await {
            Err(OpError::TooMany { retry_after, .. }) => assert!(retry_after >= 1),
            other => panic!("one more is refused: {other:?}"),
        }
        ops.submit(&member("ana"), submission())
            .await
            .expect("another member still proposes");
        let listed = ops.proposals(&vice()).await.expect("lists");
        assert_eq!(listed.len(), per_minute as usize + 1);
    });
}

#[test]
fn a_proposal_closes_once_however_many_merge_or_reject_it_at_once() {
    with_ops(|ops| async move {
        space_with(&ops, "Fund it.").await;
        let submission = Submission {
            title: "More".into(),
            text: Some("Words once.".into()),
            ..Submission::default()
        };
        let proposal = ops
            .submit(&member("mia"), submission)
            .await
            .expect("submits");
        let attempts: Vec<_> = (0..6)
            .map(|i| {
                let (ops, id) = (ops.clone(), proposal.id.clone());
                tokio::spawn(async move {
                    if i % 3 == 2 {
                        ops.reject(&vice(), &id, "No").await
                    } else {
                        let target = MergeTarget::Majority {
                            into: "c-1".into(),
                            position: None,
                        };
                        ops.merge(&vice(), &id, target, MergeExtent::Whole).await
                    }
                })
            })
            .collect();
        let mut done = Vec::new();
        for attempt in attempts {
            match attempt.await.expect("joins") {
                Ok(closed) => done.push(closed.status),
                Err(OpError::Closing(_) | OpError::NotOpen(_)) => {}
                Err(other) => panic!("unexpected refusal: {other}"),
            }
        }
        assert_eq!(done.len(), 1, "one closing step: {done:?}");
        let text = ops
            .recommendation(&vice(), "c-1")
            .await
            .expect("reads")
            .text;
        let merged = usize::from(done[0] == ProposalStatus::Merged);
        assert_eq!(text.matches("Words once.").count(), merged, "{text}");
        let audit = ops.audit(&chair()).await.expect("reads");
        let closings = audit
            .log
            .entries
            .iter()
            .filter(|entry| {
                let body = String::from_utf8_lossy(&entry.body);
                body.contains("proposal.merged") || body.contains("proposal.rejected")
            })
            .count();
        assert_eq!(closings, 1);
    });
}

#[test]
fn recommendations_made_at_once_get_numbers_no_other_has() {
    with_ops(|ops| async move {
        space_with(&ops, "First.").await;
        let made: Vec<_> = (0..8)
            .map(|i| {
                let ops = ops.clone();
                tokio::spawn(async move {
                    let new = NewRecommendation {
                        topic: "C".into(),
                        title: format!("Rec {i}"),
                        text: format!("Text {i}."),
                        ..NewRecommendation::default()
                    };
                    ops.create_recommendation(&chair(), new).await
                })
            })
            .collect();
        let mut ids = Vec::new();
        for made in made {
            ids.push(made.await.expect("joins").expect("creates").id);
        }
        ids.sort_by_key(|id| id[2..].parse::<u32>().expect("numbered"));
        let expected: Vec<String> = (2..=9).map(|n| format!("c-{n}")).collect();
        assert_eq!(ids, expected, "c-1 was there first");
    });
}

#[test]
fn a_revoked_person_is_refused_until_given_a_new_link() {
    with_ops(|ops| async move {
        space_with(&ops, "Text.").await;
        let old = draftroom_auth::Claims::issued(SPACE, "eve", Role::Member, 1, 1 << 40)
            .expect("in time");
        ops.access.check(&old).await.expect("not revoked yet");
        assert!(matches!(
            ops.revoke(&vice(), "eve").await,
            Err(OpError::Forbidden { .. })
        ));
        assert!(matches!(
            ops.revoke(&chair(), "carla").await,
            Err(OpError::Invalid(_))
        ));
        ops.revoke(&chair(), "eve").await.expect("revokes");
        assert!(matches!(
            ops.access.check(&old).await,
            Err(OpError::Revoked)
        ));
        let revoked = ops.revocations(&chair()).await.expect("lists");
        assert_eq!(revoked.keys().collect::<Vec<_>>(), ["eve"]);
        // A link minted now is issued after the revocation, even within
        // the same second.
        let link = ops
            .mint_link(&chair(), "eve", Some(Role::Member), 1)
            .await
            .expect("mints");
        let claims = ops.secret.verify(&link.token, SPACE, 2).expect("verifies");
        ops.access.check(&claims).await.expect("works again");
        let audit = ops.audit(&chair()).await.expect("reads");
        assert!(audit.log.entries.iter().any(|entry| {
            String::from_utf8_lossy(&entry.body).contains(AuditAction::AccessRevoked.as_str())
        }));
    });
}

#[test]
fn who_may_open_which_document() {
    with_ops(|ops| async move {
        space_with(&ops, "Text.").await;
        let branch = submit_branch(&ops, "Branch").await;
        let doc = branch.doc.clone().expect("a branch");
        let mias = super::access::authors_proposals_doc("mia");
        for (who, path, allowed) in [
            (observer(), PROPOSALS_DOC, false),
            (member("mia"), PROPOSALS_DOC, false),
            (vice(), PROPOSALS_DOC, true),
            (member("mia"), mias.as_str(), true),
            (member("ben"), mias.as_str(), false),
            (member("mia"), doc.as_str(), true),
            (member("ben"), doc.as_str(), false),
            (observer(), doc.as_str(), false),
            (vice(), doc.as_str(), true),
            (chair(), doc.as_str(), true),
            (observer(), "r/c-1", true),
            (observer(), "index", true),
        ] {
            assert_eq!(
                ops.may_open(&who, path).await.is_ok(),
                allowed,
                "{} opening {path}",
                who.user
            );
        }
    });
}

#[test]
fn members_co_sponsor_alternatives_and_withdraw_support() {
    with_ops(|ops| async move {
        space_with(&ops, "Fund it.").await;
        let new = NewAlternative {
            id: "alt-1".into(),
            label: "Ana's".into(),
            text: "Voluntary only.".into(),
        };
        ops.add_alternative(&member("ana"), "c-1", new)
            .await
            .expect("adds");
        let joined = ops
            .cosponsor(&member("bo"), "c-1", "alt-1", true)
            .await
            .expect("joins");
        assert_eq!(joined.proponents, ["ana", "bo"]);
        assert!(matches!(
            ops.cosponsor(&observer(), "c-1", "alt-1", true).await,
            Err(OpError::Forbidden { .. })
        ));
        let same = NewAlternative {
            id: "alt-2".into(),
            label: "Bo's".into(),
            text: "Voluntary only.".into(),
        };
        assert!(matches!(
            ops.add_alternative(&member("bo"), "c-1", same).await,
            Err(OpError::DuplicateAlternative(_))
        ));
        let choice = SupportChoice::Alternative("alt-1".into());
        ops.support(&member("cy"), "c-1", choice)
            .await
            .expect("supports");
        let left = ops
            .withdraw_support(&member("cy"), "c-1")
            .await
            .expect("withdraws");
        assert!(left.is_empty());
    });
}

#[test]
fn brackets_are_held_changed_cleared_and_hold_adoption_back() {
    with_ops(|ops| async move {
        space_with(&ops, "States [shall/should] fund the IGF.").await;
        let brackets = ops.brackets(&observer(), "c-1").await.expect("lists");
        let [bracket] = brackets.as_slice() else {
            panic!("one bracket: {brackets:?}")
        };
        assert_eq!(bracket.options, ["shall", "should"]);
        let hold = BracketChange {
            hold: Some(true),
            reason: Some("capital".into()),
            ..BracketChange::default()
        };
        assert!(forbidden(
            ops.change_bracket(&observer(), "c-1", &bracket.id, hold.clone())
                .await
                .map(|_| ())
        ));
        let held = ops
            .change_bracket(&member("mia"), "c-1", &bracket.id, hold.clone())
            .await
            .expect("a member holds for themselves");
        assert_eq!(held.record.holders, ["mia"]);
        // Another member holds it too, but does not replace its reason.
        assert!(matches!(
            ops.change_bracket(&member("ben"), "c-1", &bracket.id, hold)
                .await,
            Err(OpError::Invalid(_))
        ));
        // Others' holders and states are the vice-chair's and the chair's.
        let ad_ref = BracketChange {
            state: Some(BracketState::AdReferendum),
            ..BracketChange::default()
        };
        assert!(forbidden(
            ops.change_bracket(&member("mia"), "c-1", &bracket.id, ad_ref.clone())
                .await
                .map(|_| ())
        ));
        ops.change_bracket(&vice(), "c-1", &bracket.id, ad_ref)
            .await
            .expect("the vice-chair changes its state");
        let space = ops.space(&observer()).await.expect("reads");
        let summary = &space.topics[0].recommendations[0];
        assert_eq!(
            (summary.open_brackets, summary.bracket_holders.as_slice()),
            (1, ["mia".to_owned()].as_slice())
        );

        // Adoption waits for every bracket, unless the chair overrides it.
        let refused = ops
            .set_status(&chair(), "c-1", status(Status::Adopted, None))
            .await
            .expect_err("a bracket is open");
        assert!(matches!(&refused, OpError::OpenBrackets(open) if open.len() == 1));
        assert!(
            refused
                .to_string()
                .contains("[shall/should] in the majority text"),
            "{refused}"
        );
        let overridden = StatusChange {
            overriding: Some("Agreed in plenary; the bracket is editorial".into()),
            ..status(Status::Adopted, None)
        };
        ops.set_status(&chair(), "c-1", overridden)
            .await
            .expect("adopts over the bracket");
        let entry = last_audit_entry(&ops).await;
        assert_eq!(entry["action"], AuditAction::RecommendationStatus.as_str());
        assert_eq!(
            entry["details"]["override"],
            "Agreed in plenary; the bracket is editorial"
        );
        assert_eq!(entry["details"]["open_brackets"][0]["holders"][0], "mia");
        ops.set_status(&chair(), "c-1", status(Status::Agreed, None))
            .await
            .expect("thaws");

        // Clearing keeps the chosen option and is audited.
        let clear = BracketChange {
            state: Some(BracketState::Cleared),
            keep: Keep::Option(1),
            ..BracketChange::default()
        };
        ops.change_bracket(&vice(), "c-1", &bracket.id, clear)
            .await
            .expect("clears");
        let read = ops.recommendation(&observer(), "c-1").await.expect("reads");
        assert_eq!(read.text, "States should fund the IGF.");
        assert_eq!(read.open_brackets, 0);
        let entry = last_audit_entry(&ops).await;
        assert_eq!(entry["action"], AuditAction::BracketCleared.as_str());
        assert_eq!(entry["details"]["kept"], "should");
        ops.set_status(&chair(), "c-1", status(Status::Adopted, None))
            .await
            .expect("adopts once cleared");
    });
}

/// The space's last audit entry, as JSON.
async fn last_audit_entry(ops: &Operations) -> serde_json::Value {
    let report = ops.audit(&observer()).await.expect("reads");
    let entry = report.log.entries.last().expect("an entry");
    serde_json::from_slice(&entry.body).expect("JSON")
}

#[test]
fn comments_are_bounded_and_resolved_by_their_author_or_those_who_merge() {
    let config = Config {
        max_comments_per_recommendation: 2,
        ..Config::default()
    };
    with_config(config, |ops| async move {
        space_with(&ops, "Fund the IGF.").await;
        let on = |from, to| Passage::at("text", from, to);
        assert!(forbidden(
            ops.add_comment(&observer(), "c-1", on(0, 4), "?").await
        ));
        assert!(matches!(
            ops.add_comment(&member("mia"), "c-1", on(0, 4), "  ").await,
            Err(OpError::Invalid(_))
        ));
        let comment = ops
            .add_comment(&member("mia"), "c-1", on(5, 8), "Which?")
            .await
            .expect("comments");
        assert_eq!(comment.passage, "the");
        let id = comment.record.id;
        assert!(matches!(
            ops.change_comment(&member("ben"), "c-1", &id, CommentChange::Resolve)
                .await,
            Err(OpError::NotCommentAuthor)
        ));
        ops.change_comment(&vice(), "c-1", &id, CommentChange::Resolve)
            .await
            .expect("the vice-chair resolves it");
        let reply = CommentChange::Reply("This.".into());
        ops.change_comment(&member("ben"), "c-1", &id, reply.clone())
            .await
            .expect("replies");
        // Two held: a third is refused, comment or reply.
        assert!(matches!(
            ops.change_comment(&member("ben"), "c-1", &id, reply).await,
            Err(OpError::TooManyComments(2))
        ));
        assert!(matches!(
            ops.add_comment(&member("mia"), "c-1", on(0, 4), "More")
                .await,
            Err(OpError::TooManyComments(2))
        ));
        let space = ops.space(&observer()).await.expect("reads");
        assert_eq!(space.topics[0].recommendations[0].open_comments, 0);
    });
}

#[test]
fn a_branch_merged_in_part_takes_only_the_accepted_hunks() {
    with_ops(|ops| async move {
        space_with(&ops, "The IGF should be funded by donors.").await;
        let branch = submit_branch(&ops, "Two changes").await;
        let doc = branch.doc.clone().expect("a branch");
        // "should" becomes "must"; " every year" is added at the end.
        type_into(&ops, &doc, 34, " every year").await;
        let at = "The IGF ".len() as u32;
        ops.rooms
            .edit(&doc_name(SPACE, &doc).expect("name"), move |txn| {
                let text = txn.get_or_insert_text(schema::root::TEXT);
                text.remove_range(txn, at, "should".len() as u32);
                text.insert(txn, at, "must");
            })
            .await
            .expect("edits");
        type_into(&ops, "r/c-1", 0, "Agreed: ").await;
        let target = MergeTarget::Majority {
            into: "c-1".into(),
            position: None,
        };
        let preview = ops
            .preview_merge(&vice(), &branch.id, target.clone())
            .await
            .expect("previews");
        let changes: Vec<(&str, &str)> = preview
            .hunks
            .iter()
            .map(|h| (h.deleted.as_str(), h.inserted.as_str()))
            .collect();
        assert_eq!(changes, [("should", "must"), ("", " every year")]);
        // A hunk the merge does not make now is refused.
        let mut forged = preview.hunks[0].clone();
        forged.inserted = "may".into();
        assert!(matches!(
            ops.merge(
                &vice(),
                &branch.id,
                target.clone(),
                MergeExtent::Hunks(vec![forged])
            )
            .await,
            Err(OpError::Invalid(_))
        ));
        assert!(matches!(
            ops.merge(
                &vice(),
                &branch.id,
                target.clone(),
                MergeExtent::Hunks(Vec::new())
            )
            .await,
            Err(OpError::Invalid(_))
        ));
        // Words typed before the changes since the preview move them; they
        // are taken where they stand now.
        type_into(&ops, "r/c-1", 0, "Now ").await;
        // One change named twice is taken once, and is not the whole.
        let accepted = &preview.hunks[1];
        let twice = vec![preview.hunks[1].clone(), preview.hunks[1].clone()];
        let merged = ops
            .merge(&vice(), &branch.id, target, MergeExtent::Hunks(twice))
            .await
            .expect("merges in part");
        assert_eq!(merged.status, ProposalStatus::PartiallyMerged);
        let taken = &merged.merged_into[0].hunks;
        assert_eq!(taken.len(), 1);
        assert_eq!(
            (taken[0].at, taken[0].inserted.as_str()),
            (accepted.at + 4, " every year")
        );
        let read = ops.recommendation(&observer(), "c-1").await.expect("reads");
        assert_eq!(
            read.text,
            "Now Agreed: The IGF should be funded by donors every year."
        );
    });
}

#[test]
fn suggestions_are_accepted_or_rejected_by_those_who_merge_and_withdrawn_by_their_author() {
    with_ops(|ops| async move {
        space_with(&ops, "Fund the IGF now.").await;
        let on = |from, to| Passage::at("text", from, to);
        assert!(forbidden(
            ops.add_suggestion(&observer(), "c-1", on(0, 4), "Finance")
                .await
        ));
        let mia = member("mia");
        let first = ops
            .add_suggestion(&mia, "c-1", on(0, 4), "Finance")
            .await
            .expect("suggests");
        let second = ops
            .add_suggestion(&mia, "c-1", on(13, 16), "")
            .await
            .expect("suggests a deletion");
        let ben = ops
            .add_suggestion(&member("ben"), "c-1", on(17, 17), " Agreed.")
            .await
            .expect("suggests an insertion");
        use super::suggestions::Which;
        use draftroom_model::SuggestionStatus::{Accepted, Rejected, Withdrawn};
        assert!(forbidden(
            ops.decide_suggestions(&mia, "c-1", Which::One(first.record.id.clone()), Accepted)
                .await
        ));
        assert!(matches!(
            ops.decide_suggestions(&mia, "c-1", Which::One(ben.record.id.clone()), Withdrawn)
                .await,
            Err(OpError::NotSuggestionAuthor)
        ));
        let decided = ops
            .decide_suggestions(&vice(), "c-1", Which::AllOf("mia".into()), Accepted)
            .await
            .expect("accepts all of mia's");
        assert_eq!(decided.len(), 2);
        ops.decide_suggestions(&vice(), "c-1", Which::One(ben.record.id.clone()), Rejected)
            .await
            .expect("rejects");
        let read = ops.recommendation(&observer(), "c-1").await.expect("reads");
        assert_eq!(read.text, "Finance the IGF .");
        assert_eq!(second.record.kind, draftroom_model::SuggestionKind::Delete);
        let report = ops.audit(&observer()).await.expect("reads");
        assert_eq!(report.verdict, Ok(report.log.entries.len()));
        let entry = last_audit_entry(&ops).await;
        assert_eq!(entry["action"], AuditAction::SuggestionRejected.as_str());
        assert_eq!(entry["details"]["author"], "ben");
    });
}

#[test]
fn the_chair_keeps_the_roster_and_what_it_says_holds() {
    with_ops(|ops| async move {
        space_with(&ops, "Text.").await;
        let people = ops.people(&observer()).await.expect("reads");
        assert_eq!(
            people
                .iter()
                .map(|p| (p.user.as_str(), p.role))
                .collect::<Vec<_>>(),
            [("carla", Role::Chair)],
            "the space's maker is on it"
        );
        assert!(forbidden(
            ops.add_person(&vice(), None, "Ana Silva", "Brazil", None)
                .await
        ));
        let ana = ops
            .add_person(&chair(), None, " Ana Silva ", "Brazil", None)
            .await
            .expect("adds");
        assert_eq!(
            (ana.user.as_str(), ana.name.as_str(), ana.role),
            ("ana-silva", "Ana Silva", Role::Member)
        );
        let namesake = ops
            .add_person(&chair(), None, "Ana Silva", "Portugal", None)
            .await
            .expect("adds");
        assert_eq!(namesake.user, "ana-silva-2");
        assert!(matches!(
            ops.add_person(&chair(), Some("ana-silva"), "Someone", "", None)
                .await,
            Err(OpError::Invalid(_))
        ));
        // A link carries the role the roster gives; a new role ends the
        // links given before.
        let link = ops
            .mint_link(&chair(), "ana-silva", None, 5)
            .await
            .expect("mints");
        assert_eq!(link.role, Role::Member);
        let claims = ops.secret.verify(&link.token, SPACE, 2).expect("verifies");
        ops.access.check(&claims).await.expect("works");
        let change = super::people::PersonChange {
            delegation: Some("Brazil (G77)".into()),
            ..Default::default()
        };
        ops.set_person(&chair(), "ana-silva", change)
            .await
            .expect("changes");
        ops.access
            .check(&claims)
            .await
            .expect("the same role: still works");
        let change = super::people::PersonChange {
            role: Some(Role::ViceChair),
            ..Default::default()
        };
        let promoted = ops
            .set_person(&chair(), "ana-silva", change)
            .await
            .expect("changes");
        assert_eq!(
            (promoted.role, promoted.delegation.as_str()),
            (Role::ViceChair, "Brazil (G77)")
        );
        assert!(matches!(
            ops.access.check(&claims).await,
            Err(OpError::Revoked)
        ));
        let link = ops
            .mint_link(&chair(), "ana-silva", None, 5)
            .await
            .expect("mints");
        assert_eq!(link.role, Role::ViceChair);
        // Someone new gets a link, and a place on the roster.
        ops.mint_link(&chair(), "ola", Some(Role::Observer), 5)
            .await
            .expect("mints");
        let ola = ops.roster(SPACE).await.expect("reads");
        assert_eq!(
            ola.get("ola").map(|p| (p.name.as_str(), p.role)),
            Some(("ola", Role::Observer))
        );
        // Off the roster, out of the space.
        let claims = ops.secret.verify(&link.token, SPACE, 2).expect("verifies");
        ops.remove_person(&chair(), "ana-silva")
            .await
            .expect("removes");
        assert!(matches!(
            ops.access.check(&claims).await,
            Err(OpError::Revoked)
        ));
        assert!(matches!(
            ops.remove_person(&chair(), "ana-silva").await,
            Err(OpError::NoSuchPerson(_))
        ));
        assert!(matches!(
            ops.remove_person(&chair(), "carla").await,
            Err(OpError::Invalid(_))
        ));
        let actions: Vec<String> = ops
            .audit(&chair())
            .await
            .expect("reads")
            .log
            .entries
            .iter()
            .map(|entry| String::from_utf8_lossy(&entry.body).into_owned())
            .collect();
        for action in [
            AuditAction::PersonAdded,
            AuditAction::PersonChanged,
            AuditAction::PersonRemoved,
        ] {
            assert!(
                actions.iter().any(|body| body.contains(action.as_str())),
                "{action}"
            );
        }
    });
}

#[test]
fn the_roster_holds_as_many_people_as_it_may() {
    let config = Config {
        max_people_per_space: 2,
        ..Config::default()
    };
    with_config(config, |ops| async move {
        space_with(&ops, "Text.").await;
        ops.add_person(&chair(), None, "Ana", "", None)
            .await
            .expect("the second");
        assert!(matches!(
            ops.add_person(&chair(), None, "Bo", "", None).await,
            Err(OpError::TooManyPeople(2))
        ));
        assert!(matches!(
            ops.mint_link(&chair(), "bo", None, 5).await,
            Err(OpError::TooManyPeople(2))
        ));
        ops.mint_link(&chair(), "ana", None, 5)
            .await
            .expect("one on it");
    });
}

#[test]
fn the_chair_sets_the_reports_header_and_exports_name_people_by_the_roster() {
    with_ops(|ops| async move {
        space_with(&ops, "Fund the IGF.").await;
        let header = draftroom_model::ReportHeader {
            symbol: " E/CN.16/2012/CRP.2 ".into(),
            date: "2012-05-21".into(),
            numbering: draftroom_model::Numbering::Continuous,
            ..Default::default()
        };
        assert!(forbidden(
            ops.set_report_header(&vice(), header.clone()).await
        ));
        let bad = draftroom_model::ReportHeader {
            date: "21 May".into(),
            ..Default::default()
        };
        assert!(matches!(
            ops.set_report_header(&chair(), bad).await,
            Err(OpError::Invalid(_))
        ));
        let set = ops.set_report_header(&chair(), header).await.expect("sets");
        assert_eq!(set.symbol, "E/CN.16/2012/CRP.2");
        assert_eq!(ops.space(&observer()).await.expect("reads").report, set);
        ops.add_person(&chair(), Some("mia"), "Mia Berg", "Norway", None)
            .await
            .expect("adds");
        let alternative = NewAlternative {
            id: NewAlternative::fresh_id(),
            label: "Voluntary".into(),
            text: "Voluntary funding.".into(),
        };
        ops.add_alternative(&member("mia"), "c-1", alternative)
            .await
            .expect("adds");
        let request = super::export::ExportRequest {
            annex: true,
            ..live_export(Format::Markdown)
        };
        let md = String::from_utf8(ops.export(&observer(), &request).await.expect("exports"))
            .expect("text");
        assert!(md.contains("E/CN.16/2012/CRP.2  \n21 May 2012  \n"), "{md}");
        assert!(md.contains("### 1 "), "continuous numbering: {md}");
        assert!(md.contains("*Proposed by Norway.*"), "{md}");
        assert!(
            md.contains("proposed by Mia Berg (Norway)."),
            "the annex: {md}"
        );
        assert!(!md.contains("mia"), "no user id: {md}");
    });
}

/// A meeting on topic C (and another item), with `deadline`.
fn fourth_meeting(deadline: Option<&str>) -> super::meetings::MeetingDraft {
    super::meetings::MeetingDraft {
        number: Some(4),
        title: "4th meeting".into(),
        starts: "2012-01-25".into(),
        ends: "2012-01-27".into(),
        venue: "Geneva".into(),
        agenda: vec![
            draftroom_model::AgendaItem {
                topic: Some("C".into()),
                title: String::new(),
            },
            draftroom_model::AgendaItem {
                topic: None,
                title: "Schedule".into(),
            },
        ],
        documents: vec![draftroom_model::MeetingDocument {
            title: "Summary of the 3rd meeting".into(),
            link: "https://unctad.org/meetings/wgigf-3".into(),
        }],
        deadline: deadline.map(Into::into),
    }
}

#[test]
fn a_meetings_deadline_refuses_late_proposals_on_its_topics_until_the_vice_chair_reopens_them() {
    with_ops(|ops| async move {
        space_with(&ops, "Text.").await;
        assert!(forbidden(
            ops.create_meeting(&vice(), fourth_meeting(None)).await
        ));
        let meeting = ops
            .create_meeting(&chair(), fourth_meeting(Some("2012-01-20T12:00:00Z")))
            .await
            .expect("creates");
        assert_eq!(
            meeting.agenda[0].title, "Topic C",
            "a topic's item takes its title"
        );
        assert_eq!(
            meeting.deadline.as_deref(),
            Some("2012-01-20T12:00:00.000Z")
        );
        let late = |topic: Option<&str>, branch_of: Option<&str>| Submission {
            title: "Late".into(),
            text: branch_of.is_none().then(|| "Late text.".into()),
            topic: topic.map(Into::into),
            branch_of: branch_of.map(Into::into),
        };
        for (topic, branch_of) in [(Some("C"), None), (None, Some("c-1"))] {
            assert!(
                matches!(
                    ops.submit(&member("mia"), late(topic, branch_of)).await,
                    Err(OpError::DeadlinePassed { ref topic, .. }) if topic == "C"
                ),
                "{topic:?} {branch_of:?}"
            );
        }
        ops.submit(&member("mia"), late(Some("D"), None))
            .await
            .expect("topic D is not on its agenda");
        assert!(forbidden(
            ops.reopen(&member("mia"), &meeting.id, "C").await
        ));
        assert!(matches!(
            ops.reopen(&vice(), &meeting.id, "D").await,
            Err(OpError::Invalid(_))
        ));
        ops.reopen(&vice(), &meeting.id, "C")
            .await
            .expect("reopens");
        ops.submit(&member("mia"), late(Some("C"), None))
            .await
            .expect("reopened");
        // A deadline to come refuses nothing yet.
        let later = ops
            .create_meeting(
                &chair(),
                super::meetings::MeetingDraft {
                    number: None,
                    ..fourth_meeting(Some("2999-01-01T00:00:00Z"))
                },
            )
            .await
            .expect("creates");
        assert_eq!(later.number, 5, "the one after the last");
        ops.submit(&member("mia"), late(None, Some("c-1")))
            .await
            .expect("not yet");
        for bad in [
            super::meetings::MeetingDraft {
                starts: "25 January".into(),
                ..fourth_meeting(None)
            },
            super::meetings::MeetingDraft {
                ends: "2012-01-24".into(),
                ..fourth_meeting(None)
            },
            super::meetings::MeetingDraft {
                deadline: Some("soon".into()),
                ..fourth_meeting(None)
            },
            super::meetings::MeetingDraft {
                documents: vec![draftroom_model::MeetingDocument {
                    title: "x".into(),
                    link: "javascript:alert(1)".into(),
                }],
                ..fourth_meeting(None)
            },
        ] {
            assert!(matches!(
                ops.create_meeting(&chair(), bad).await,
                Err(OpError::Invalid(_))
            ));
        }
        let unknown = super::meetings::MeetingDraft {
            agenda: vec![draftroom_model::AgendaItem {
                topic: Some("Z".into()),
                title: String::new(),
            }],
            ..fourth_meeting(None)
        };
        assert!(matches!(
            ops.create_meeting(&chair(), unknown).await,
            Err(OpError::NoSuchTopic(_))
        ));
    });
}

#[test]
fn the_chair_and_vice_chair_keep_points_of_broad_agreement_on_a_meetings_topics() {
    with_ops(|ops| async move {
        space_with(&ops, "Text.").await;
        let meeting = ops
            .create_meeting(&chair(), fourth_meeting(None))
            .await
            .expect("creates");
        let point = super::meetings::NewPoint {
            topic: "C".into(),
            text: "Funding should be stable and predictable.".into(),
            attribution: "summary of discussions by Portugal".into(),
        };
        assert!(forbidden(
            ops.add_point(&member("mia"), &meeting.id, point.clone())
                .await
        ));
        let added = ops
            .add_point(&vice(), &meeting.id, point.clone())
            .await
            .expect("adds");
        assert_eq!(added.attribution, "summary of discussions by Portugal");
        assert!(matches!(
            ops.add_point(
                &vice(),
                &meeting.id,
                super::meetings::NewPoint {
                    topic: "D".into(),
                    ..point.clone()
                }
            )
            .await,
            Err(OpError::Invalid(_))
        ));
        assert!(matches!(
            ops.add_point(&vice(), "m-none", point).await,
            Err(OpError::NoSuchMeeting(_))
        ));
        let points = ops.points(&observer()).await.expect("reads");
        assert_eq!(points, [added]);
    });
}

#[test]
fn implementation_is_reported_once_adopted_by_the_responsible_body_and_entries_are_only_appended() {
    with_ops(|ops| async move {
        space_with(&ops, "Fund the IGF.").await;
        ops.add_person(&chair(), Some("desa"), "Dana Ek", "UN DESA", None)
            .await
            .expect("adds");
        ops.add_person(&chair(), Some("ben"), "Ben Ode", "Brazil", None)
            .await
            .expect("adds");
        let rooms = ops.rooms.clone();
        let doc = doc_name(SPACE, "r/c-1").expect("a name");
        rooms
            .edit(&doc, |txn| {
                draftroom_model::set_field(
                    txn,
                    Field::Responsible,
                    "UN DESA and the IGF Secretariat.",
                )
            })
            .await
            .expect("edits")
            .expect("sets");
        let report = |status, as_of: &str| super::implementation::Report {
            status,
            note: "Pledges received.".into(),
            evidence: "https://unctad.org/igf-trust-fund".into(),
            as_of: as_of.into(),
        };
        use draftroom_model::ImplementationStatus::{Implemented, InProgress, NotStarted};
        assert!(matches!(
            ops.report_implementation(&member("desa"), "c-1", report(NotStarted, "2012-06-01"))
                .await,
            Err(OpError::NotAdopted)
        ));
        ops.set_status(
            &chair(),
            "c-1",
            status(Status::Adopted, Some(Consensus::Full)),
        )
        .await
        .expect("adopts");
        ops.report_implementation(&member("desa"), "c-1", report(NotStarted, "2012-06-01"))
            .await
            .expect("the responsible body reports");
        assert!(matches!(
            ops.report_implementation(&member("ben"), "c-1", report(InProgress, "2012-09-01"))
                .await,
            Err(OpError::NotResponsible)
        ));
        assert!(forbidden(
            ops.report_implementation(&observer(), "c-1", report(InProgress, "2012-09-01"))
                .await
        ));
        ops.report_implementation(&chair(), "c-1", report(Implemented, "2013-03-01"))
            .await
            .expect("the chair reports");
        for bad in [
            report(InProgress, "soon"),
            super::implementation::Report {
                evidence: "ftp://x".into(),
                ..report(InProgress, "2012-09-01")
            },
        ] {
            assert!(matches!(
                ops.report_implementation(&chair(), "c-1", bad).await,
                Err(OpError::Invalid(_))
            ));
        }
        let rec = ops.recommendation(&observer(), "c-1").await.expect("reads");
        let statuses: Vec<_> = rec
            .implementation
            .iter()
            .map(|e| (e.status, e.by.as_str()))
            .collect();
        assert_eq!(statuses, [(NotStarted, "desa"), (Implemented, "carla")]);
        assert_eq!(rec.text, "Fund the IGF.", "the text stays as adopted");
        // A client's write to the entries is put back.
        let before = rec.implementation.clone();
        let guarded = rooms
            .read(&doc, |txn| draftroom_model::Protected::capture(txn))
            .await
            .expect("reads");
        rooms
            .edit(&doc, move |txn| {
                let entries =
                    txn.get_or_insert_map(draftroom_model::schema::root::IMPLEMENTATION_REPORTS);
                entries.remove(txn, &before[0].id);
                guarded.restore(txn)
            })
            .await
            .expect("edits");
        let after = ops.recommendation(&observer(), "c-1").await.expect("reads");
        assert_eq!(after.implementation.len(), 2, "put back");
    });
}

#[test]
fn a_lineage_and_a_meetings_summary_tell_what_the_audit_log_holds() {
    with_ops(|ops| async move {
        space_with(&ops, "Text.").await;
        let today = crate::clock::now_rfc3339()[..10].to_owned();
        ops.set_status(&chair(), "c-1", status(Status::Agreed, None))
            .await
            .expect("agreed");
        ops.name_version(&vice(), "Draft", None)
            .await
            .expect("names");
        let steps = ops.lineage(&observer(), "c-1").await.expect("a lineage");
        let kinds: Vec<String> = steps
            .iter()
            .map(|step| serde_json::to_value(step).expect("serializes")["kind"].to_string())
            .collect();
        assert_eq!(kinds, ["\"created\"", "\"status\"", "\"version\""]);
        assert!(matches!(
            ops.lineage(&observer(), "c-9").await,
            Err(OpError::NoSuchRecommendation(_))
        ));

        let on = |starts: &str| super::meetings::MeetingDraft {
            number: None,
            starts: starts.to_owned(),
            ends: starts.to_owned(),
            ..fourth_meeting(None)
        };
        let meeting = ops
            .create_meeting(&chair(), on(&today))
            .await
            .expect("today");
        let before = ops
            .create_meeting(&chair(), on("2012-01-25"))
            .await
            .expect("long ago");
        let activity = ops.activity(&observer(), &meeting.id).await.expect("reads");
        assert_eq!(activity.happened.len(), 3, "created, agreed, named");
        assert!(
            ops.activity(&observer(), &before.id)
                .await
                .expect("reads")
                .happened
                .is_empty()
        );

        assert!(forbidden(
            ops.draft_summary(&vice(), &meeting.id, false).await
        ));
        let draft = ops
            .draft_summary(&chair(), &meeting.id, false)
            .await
            .expect("drafts");
        assert!(
            draft.contains("## Status changes\n\n- C.1 “Funding”: agreed."),
            "{draft}"
        );
        assert!(draft.contains("## Versions named\n\n- “Draft”."), "{draft}");
        assert!(matches!(
            ops.draft_summary(&chair(), &meeting.id, false).await,
            Err(OpError::SummaryBegun)
        ));
        ops.draft_summary(&chair(), &meeting.id, true)
            .await
            .expect("replaced when asked");
        let md = ops
            .summary(&observer(), &meeting.id, Format::Markdown)
            .await
            .expect("exports");
        let md = String::from_utf8(md).expect("text");
        assert!(md.contains("# Chair's summary: 4th meeting"), "{md}");
        assert!(matches!(
            ops.summary(&observer(), &before.id, Format::Html).await,
            Err(OpError::NothingNamed(_))
        ));
    });
}
