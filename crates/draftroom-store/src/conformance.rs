//! The behaviour every [`Store`] backend must show, run against each.

use std::sync::Arc;

use bytes::Bytes;

use crate::{DocName, Snapshot, Store};

pub(crate) async fn run_all(store: Arc<dyn Store>) {
    store.check().await.expect("a fresh store is usable");
    unknown_documents_are_empty(&*store).await;
    appends_are_numbered_and_read_back_in_order(&*store).await;
    documents_are_kept_apart(&*store).await;
    compaction_replaces_covered_updates(&*store).await;
    older_snapshots_never_win(&*store).await;
    concurrent_appends_all_land(store.clone()).await;
    concurrent_compactions_keep_the_newest(store.clone()).await;
    audit_logs_chain_and_verify(store.clone()).await;
    an_audit_log_read_while_others_append_verifies(store.clone()).await;
    one_of_many_claims_wins(store.clone()).await;
    numbers_are_never_given_twice(store.clone()).await;
    revocations_are_kept_per_space(&*store).await;
}

async fn an_audit_log_read_while_others_append_verifies(store: Arc<dyn Store>) {
    let appender = {
        let store = store.clone();
        tokio::spawn(async move {
            for i in 0..300 {
                store
                    .append_audit("busy", bytes(&format!("{{\"n\":{i}}}")))
                    .await
                    .expect("appends");
            }
        })
    };
    let mut reads = 0;
    while !appender.is_finished() {
        let log = store.read_audit("busy").await.expect("reads");
        assert_eq!(
            crate::verify_audit(&log),
            Ok(log.entries.len()),
            "a log read while another server appends is whole"
        );
        reads += 1;
    }
    appender.await.expect("joins");
    assert!(reads > 1, "the log was read while it grew");
}

async fn one_of_many_claims_wins(store: Arc<dyn Store>) {
    let claims: Vec<_> = (0..10)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .claim("claimed", "merge/p-1", &format!("node-{i}"))
                    .await
            })
        })
        .collect();
    let mut winners = Vec::new();
    let mut told = Vec::new();
    for (i, claim) in claims.into_iter().enumerate() {
        match claim.await.expect("joins").expect("claims") {
            None => winners.push(format!("node-{i}")),
            Some(holder) => told.push(holder),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one claim wins");
    assert!(
        told.iter().all(|holder| holder == &winners[0]),
        "the others are told who won"
    );
    // Only the holder lets go; then the key is free again. Spaces are
    // apart.
    let winner = winners[0].clone();
    for (letting_go, space, held) in [
        ("someone-else", "claimed", Some(winner.clone())),
        (winner.as_str(), "claimed", None),
        ("nobody", "other", None),
    ] {
        store
            .release("claimed", "merge/p-1", letting_go)
            .await
            .expect("releases");
        let claimed = store.claim(space, "merge/p-1", "late").await;
        assert_eq!(claimed.expect("claims"), held, "{letting_go} let go");
    }
}

async fn numbers_are_never_given_twice(store: Arc<dyn Store>) {
    let takers: Vec<_> = (0..12)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.next_number("numbered", "topic-a", 0).await })
        })
        .collect();
    let mut numbers = Vec::new();
    for taker in takers {
        numbers.push(taker.await.expect("joins").expect("numbers"));
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=12).collect::<Vec<_>>());
    // A series starts past what exists already, and never goes back.
    for (space, series, at_least, given) in [
        ("numbered", "topic-b", 7, 8),
        ("numbered", "topic-b", 3, 9),
        ("numbered", "topic-a", 20, 21),
        ("elsewhere", "topic-a", 0, 1),
    ] {
        let number = store.next_number(space, series, at_least).await;
        assert_eq!(
            number.expect("numbers"),
            given,
            "{space} {series} {at_least}"
        );
    }
}

async fn revocations_are_kept_per_space(store: &dyn Store) {
    assert!(
        store
            .revocations("revoking")
            .await
            .expect("reads")
            .is_empty()
    );
    store.revoke("revoking", "mia", 100).await.expect("revokes");
    store
        .revoke("revoking", "omar", 150)
        .await
        .expect("revokes");
    store.revoke("revoking", "mia", 200).await.expect("revokes");
    // A node whose clock is behind does not shorten it.
    store.revoke("revoking", "mia", 180).await.expect("revokes");
    store
        .revoke("revoking-too", "zed", 5)
        .await
        .expect("revokes");
    let revoked = store.revocations("revoking").await.expect("reads");
    assert_eq!(
        revoked.into_iter().collect::<Vec<_>>(),
        [("mia".to_owned(), 200), ("omar".to_owned(), 150)]
    );
}

async fn audit_logs_chain_and_verify(store: Arc<dyn Store>) {
    assert_eq!(
        store.read_audit("quiet").await.expect("reads"),
        Default::default()
    );
    let appends: Vec<_> = (0..20)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .append_audit("audited", bytes(&format!("{{\"n\":{i}}}")))
                    .await
            })
        })
        .collect();
    for append in appends {
        append.await.expect("joins").expect("appends");
    }
    store
        .append_audit("other", bytes("{}"))
        .await
        .expect("appends");
    let log = store.read_audit("audited").await.expect("reads");
    assert_eq!(log.entries.len(), 20);
    assert_eq!(crate::verify_audit(&log), Ok(20));
    assert_eq!(
        store
            .read_audit("other")
            .await
            .expect("reads")
            .entries
            .len(),
        1
    );
}

fn name(doc: &str) -> DocName {
    DocName::new("conformance", doc).expect("valid name")
}

fn bytes(text: &str) -> Bytes {
    Bytes::copy_from_slice(text.as_bytes())
}

async fn unknown_documents_are_empty(store: &dyn Store) {
    let loaded = store.load(&name("never-written")).await.expect("loads");
    assert_eq!(loaded, Default::default());
    assert!(!store.exists(&name("never-written")).await.expect("asks"));
}

async fn appends_are_numbered_and_read_back_in_order(store: &dyn Store) {
    let doc = name("ordered");
    for (i, text) in ["a", "b", "c"].into_iter().enumerate() {
        assert_eq!(
            store.append(&doc, bytes(text)).await.expect("appends"),
            i as u64 + 1
        );
    }
    let loaded = store.load(&doc).await.expect("loads");
    assert_eq!(loaded.snapshot, None);
    assert_eq!(loaded.updates, vec![bytes("a"), bytes("b"), bytes("c")]);
    assert!(store.exists(&doc).await.expect("asks"));
    // A name that only begins like a stored one is not stored.
    assert!(!store.exists(&name("order")).await.expect("asks"));
    assert_eq!(loaded.last_seq, 3);
}

async fn documents_are_kept_apart(store: &dyn Store) {
    // One name is a prefix of the other: keys must not bleed into each other.
    let (short, long) = (name("apart"), name("apart/nested"));
    store.append(&short, bytes("short")).await.expect("appends");
    store.append(&long, bytes("long")).await.expect("appends");
    assert_eq!(
        store.load(&short).await.expect("loads").updates,
        vec![bytes("short")]
    );
    assert_eq!(
        store.load(&long).await.expect("loads").updates,
        vec![bytes("long")]
    );
}

async fn compaction_replaces_covered_updates(store: &dyn Store) {
    let doc = name("compacted");
    for text in ["1", "2", "3"] {
        store.append(&doc, bytes(text)).await.expect("appends");
    }
    let snapshot = Snapshot {
        state: bytes("1+2"),
        covers: 2,
    };
    assert!(
        store
            .compact(&doc, snapshot.clone())
            .await
            .expect("compacts")
    );
    let loaded = store.load(&doc).await.expect("loads");
    assert_eq!(loaded.snapshot, Some(snapshot));
    assert_eq!(loaded.updates, vec![bytes("3")]);
    assert_eq!(loaded.last_seq, 3);

    // Numbering goes on after the snapshot, even once every update is covered.
    let all = Snapshot {
        state: bytes("1+2+3"),
        covers: 3,
    };
    assert!(store.compact(&doc, all).await.expect("compacts"));
    assert_eq!(store.load(&doc).await.expect("loads").last_seq, 3);
    assert!(
        store.exists(&doc).await.expect("asks"),
        "a document whose every update a snapshot covers still exists"
    );
    assert_eq!(store.append(&doc, bytes("4")).await.expect("appends"), 4);
}

async fn older_snapshots_never_win(store: &dyn Store) {
    let doc = name("older");
    for text in ["1", "2"] {
        store.append(&doc, bytes(text)).await.expect("appends");
    }
    let newer = Snapshot {
        state: bytes("1+2"),
        covers: 2,
    };
    assert!(store.compact(&doc, newer.clone()).await.expect("compacts"));
    let older = Snapshot {
        state: bytes("1"),
        covers: 1,
    };
    assert!(!store.compact(&doc, older).await.expect("compacts"));
    assert_eq!(store.load(&doc).await.expect("loads").snapshot, Some(newer));
}

async fn concurrent_appends_all_land(store: Arc<dyn Store>) {
    let doc = name("concurrent");
    let writers: Vec<_> = (0..50)
        .map(|i| {
            let store = store.clone();
            let doc = doc.clone();
            tokio::spawn(async move { store.append(&doc, bytes(&i.to_string())).await })
        })
        .collect();
    let mut seqs = Vec::new();
    for writer in writers {
        seqs.push(writer.await.expect("joins").expect("appends"));
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=50).collect::<Vec<_>>());
    assert_eq!(store.load(&doc).await.expect("loads").updates.len(), 50);
}

async fn concurrent_compactions_keep_the_newest(store: Arc<dyn Store>) {
    let doc = name("racing-compactions");
    for i in 0..10 {
        store
            .append(&doc, bytes(&i.to_string()))
            .await
            .expect("appends");
    }
    let racers: Vec<_> = (1..=10u64)
        .map(|covers| {
            let store = store.clone();
            let doc = doc.clone();
            let snapshot = Snapshot {
                state: bytes(&format!("upto-{covers}")),
                covers,
            };
            tokio::spawn(async move { store.compact(&doc, snapshot).await })
        })
        .collect();
    for racer in racers {
        racer.await.expect("joins").expect("compacts");
    }
    let loaded = store.load(&doc).await.expect("loads");
    assert_eq!(loaded.snapshot.map(|s| s.covers), Some(10));
    assert!(loaded.updates.is_empty());
    assert_eq!(loaded.last_seq, 10);
}
