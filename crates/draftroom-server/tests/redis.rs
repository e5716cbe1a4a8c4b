//! Several servers on one Redis serve the same documents.

mod common;

use std::time::Duration;

use common::*;
use draftroom_auth::Role;
use draftroom_server::Config;
use draftroom_store::DocName;
use draftroom_testkit::{RedisCluster, RedisOptions, RedisServer};
use yrs::updates::decoder::Decode;
use yrs::{Doc, ReadTxn, Transact, Update};

async fn converge_across(store: &str) {
    let a = TestServer::start_on(store, Config::default()).await;
    let b = TestServer::start_on(store, Config::default()).await;
    let mut on_a = a.client("rec-1", "ana", Role::Member).await;
    let mut on_b = b.client("rec-1", "bo", Role::Member).await;
    on_a.sync().await;
    on_b.sync().await;
    on_a.type_text(0, "written on A").await;
    on_b.until_text("written on A").await;
    on_b.type_text(0, "B: ").await;
    on_a.until_text("B: written on A").await;
    // A newcomer on either node gets everything.
    let mut late = b.client("rec-1", "chen", Role::Observer).await;
    late.sync().await;
    assert_eq!(late.text(), "B: written on A");
}

#[test]
fn clients_on_two_nodes_converge() {
    run(async {
        let redis = RedisServer::start(RedisOptions::default());
        converge_across(&redis.url()).await;
    });
}

#[test]
fn clients_on_two_nodes_of_a_cluster_converge() {
    run(async {
        let cluster = RedisCluster::start(3);
        converge_across(&cluster.url()).await;
    });
}

#[test]
fn a_compacted_document_loads_identical_to_what_clients_hold() {
    run(async {
        let redis = RedisServer::start(RedisOptions::default());
        let config = Config {
            compact_after_updates: 7,
            ..Config::default()
        };
        let a = TestServer::start_on(&redis.url(), config.clone()).await;
        let b = TestServer::start_on(&redis.url(), config).await;
        let mut on_a = a.client("rec-c", "ana", Role::Member).await;
        let mut on_b = b.client("rec-c", "bo", Role::Member).await;
        on_a.sync().await;
        on_b.sync().await;
        // Both nodes write, so both compact, racing each other.
        for i in 0..60u32 {
            on_a.type_text(0, "a").await;
            on_b.type_text(0, "b").await;
            if i % 20 == 0 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        let mut watcher = a.client("rec-c", "chen", Role::Observer).await;
        watcher.sync().await;
        while watcher.text().len() < 120 {
            watcher.next().await;
        }
        let expected_text = watcher.text();
        let expected_state = watcher.doc.transact().state_vector();
        drop((on_a, on_b, watcher));
        a.stop().await;
        b.stop().await;

        let store = draftroom_store::open(&redis.url()).expect("opens");
        let stored = store
            .load(&DocName::new(SPACE, "rec-c").expect("valid"))
            .await
            .expect("loads");
        assert!(stored.snapshot.is_some(), "compacted");
        assert!(
            stored.updates.len() < 7,
            "{} updates after the snapshot",
            stored.updates.len()
        );
        let loaded = Doc::new();
        {
            let mut txn = loaded.transact_mut();
            for part in stored
                .snapshot
                .iter()
                .map(|s| &s.state)
                .chain(&stored.updates)
            {
                txn.apply_update(Update::decode_v1(part).expect("decodes"))
                    .expect("applies");
            }
        }
        let text = loaded.get_or_insert_text("text");
        let text = yrs::GetString::get_string(&text, &loaded.transact());
        assert_eq!(text, expected_text);
        assert_eq!(loaded.transact().state_vector(), expected_state);
        assert_eq!(text.matches('a').count(), 60);
        let log_len = redis.command("XLEN draftroom:{wgigf/rec-c}:log");
        let log_len: usize = log_len
            .trim_start_matches(':')
            .trim()
            .parse()
            .expect("a number");
        assert!(log_len <= 256 + 7, "the log stays bounded: {log_len}");
    });
}

#[test]
fn redis_down_refuses_connections_with_the_reason_then_recovers() {
    run(async {
        let mut redis = RedisServer::start(RedisOptions::default());
        redis.kill();
        let server = TestServer::start_on(&redis.url(), Config::default()).await;
        let (status, body) = http_get(server.addr, "/readyz").await;
        assert_eq!(status, 503);
        assert!(body.contains("store unavailable"), "{body}");
        let refused = TestClient::connect(server.addr, "rec-1", &token("ana", Role::Member)).await;
        match refused {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 503)
            }
            other => panic!("expected a 503 refusal, got {:?}", other.map(|_| ())),
        }
        redis.restart();
        let mut waited = Duration::ZERO;
        while http_get(server.addr, "/readyz").await.0 != 200 {
            assert!(waited < WAIT, "never became ready");
            tokio::time::sleep(Duration::from_millis(100)).await;
            waited += Duration::from_millis(100);
        }
        let mut ana = server.client("rec-1", "ana", Role::Member).await;
        ana.sync().await;
    });
}
