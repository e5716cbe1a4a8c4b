//! Clients co-editing through a real server, over real websockets.

mod common;

use std::time::Duration;

use common::*;
use draftroom_auth::Role;
use draftroom_server::Config;
use draftroom_store::{DocName, EmbeddedStore, Store};
use yrs::sync::Message as YMessage;

#[test]
fn edits_reach_the_other_client_and_late_joiners() {
    run(async {
        let server = TestServer::start(Config::default()).await;
        let mut ana = server.client("rec-1", "ana", Role::Member).await;
        let mut bo = server.client("rec-1", "bo", Role::Member).await;
        ana.sync().await;
        bo.sync().await;
        ana.type_text(0, "Funding of the IGF").await;
        bo.until_text("Funding of the IGF").await;
        bo.type_text(0, "C. ").await;
        ana.until_text("C. Funding of the IGF").await;

        let mut late = server.client("rec-1", "chen", Role::Observer).await;
        late.sync().await;
        assert_eq!(late.text(), "C. Funding of the IGF");
    });
}

#[test]
fn silent_clients_still_hear_from_the_server() {
    run(async {
        let config = Config {
            keepalive_interval: Duration::from_millis(200),
            ..Config::default()
        };
        let server = TestServer::start(config).await;
        let mut ana = server.client("rec-1", "ana", Role::Member).await;
        ana.sync().await;
        // Nothing else happens in the document, yet messages keep coming.
        for _ in 0..3 {
            ana.until("keepalive", |heard| {
                matches!(heard, Heard::Message(YMessage::Awareness(_)))
            })
            .await;
        }
    });
}

#[test]
fn awareness_cannot_be_set_for_another_client() {
    run(async {
        let server = TestServer::start(Config::default()).await;
        let mut ana = server.client("rec-aw", "ana", Role::Member).await;
        let mut mallory = server.client("rec-aw", "mallory", Role::Member).await;
        let mut bo = server.client("rec-aw", "bo", Role::Member).await;
        for client in [&mut ana, &mut mallory, &mut bo] {
            client.sync().await;
        }
        let says = |client: u64, clock: u64, state: &str| {
            let mut update = vec![1u8];
            for value in [client, clock] {
                let mut v = value;
                while v >= 0x80 {
                    update.push((v as u8 & 0x7f) | 0x80);
                    v >>= 7;
                }
                update.push(v as u8);
            }
            update.push(state.len() as u8);
            update.extend_from_slice(state.as_bytes());
            let mut frame = vec![1u8, update.len() as u8];
            frame.extend_from_slice(&update);
            frame
        };
        ana.send_raw(says(ana.client_id, 1, r#"{"user":"Ana"}"#))
            .await;
        bo.until("ana's awareness", |heard| {
            heard_state(heard, r#"{"user":"Ana"}"#)
        })
        .await;

        // Mallory claims Ana's client id; then sets her own.
        mallory
            .send_raw(says(ana.client_id, 2, r#"{"user":"fake"}"#))
            .await;
        mallory
            .send_raw(says(mallory.client_id, 1, r#"{"user":"Mallory"}"#))
            .await;
        let heard = bo
            .until("mallory's own awareness", |heard| {
                heard_state(heard, r#"{"user":"Mallory"}"#)
                    || heard_state(heard, r#"{"user":"fake"}"#)
            })
            .await;
        assert!(
            heard_state(&heard, r#"{"user":"Mallory"}"#),
            "the claim on Ana's id went nowhere"
        );

        // Ana leaving is heard as her removal.
        let ana_id = ana.client_id;
        drop(ana);
        bo.until("ana's removal", |heard| heard_state(heard, "null"))
            .await;

        // Her id stays hers once she left.
        mallory
            .send_raw(says(ana_id, 9, r#"{"user":"fake"}"#))
            .await;
        mallory
            .send_raw(says(mallory.client_id, 2, r#"{"user":"Mallory again"}"#))
            .await;
        let heard = bo
            .until("mallory's own awareness again", |heard| {
                heard_state(heard, r#"{"user":"Mallory again"}"#)
                    || heard_state(heard, r#"{"user":"fake"}"#)
            })
            .await;
        assert!(
            heard_state(&heard, r#"{"user":"Mallory again"}"#),
            "the claim on the id ana left went nowhere"
        );
    });
}

fn heard_state(heard: &Heard, state: &str) -> bool {
    match heard {
        Heard::Message(YMessage::Awareness(update)) => update
            .clients
            .values()
            .any(|entry| entry.json.as_ref() == state),
        _ => false,
    }
}

#[test]
fn idle_documents_are_unloaded_and_compacted() {
    run(async {
        let config = Config {
            room_idle_timeout: Duration::from_millis(100),
            keepalive_interval: Duration::from_millis(150),
            compact_after_updates: 5,
            ..Config::default()
        };
        let server = TestServer::start(config).await;
        let mut ana = server.client("rec-idle", "ana", Role::Member).await;
        let mut bo = server.client("rec-idle", "bo", Role::Member).await;
        ana.sync().await;
        bo.sync().await;
        for i in 0..12 {
            ana.type_text(i, "x").await;
        }
        bo.until_text(&"x".repeat(12)).await;
        assert_eq!(server.metric("draftroom_documents_loaded").await, 1);
        drop(ana);
        drop(bo);
        let mut waited = Duration::ZERO;
        while server.metric("draftroom_documents_loaded").await > 0 {
            assert!(waited < WAIT, "the document stayed loaded");
            tokio::time::sleep(Duration::from_millis(50)).await;
            waited += Duration::from_millis(50);
        }
        let dir = server.stop().await;

        // Everything is in one snapshot now, and reloads the same.
        let store = EmbeddedStore::open(dir.path()).expect("opens");
        let stored = store
            .load(&DocName::new(SPACE, "rec-idle").expect("valid"))
            .await
            .expect("loads");
        assert!(stored.snapshot.is_some());
        assert!(
            stored.updates.is_empty(),
            "{} updates after the snapshot",
            stored.updates.len()
        );
        drop(store);

        let server = TestServer::start_in(dir, Config::default()).await;
        let mut chen = server.client("rec-idle", "chen", Role::Member).await;
        chen.sync().await;
        assert_eq!(chen.text(), "x".repeat(12));
    });
}

#[test]
fn shutdown_closes_connections_with_going_away() {
    run(async {
        let server = TestServer::start(Config::default()).await;
        let mut ana = server.client("rec-1", "ana", Role::Member).await;
        ana.sync().await;
        ana.type_text(0, "kept").await;
        // Wait for the edit to be stored: a second client sees it.
        let mut bo = server.client("rec-1", "bo", Role::Member).await;
        bo.sync().await;
        // Ana's edit and Bo's sync travel on different connections: Bo
        // may sync first, then hear the edit.
        bo.until_text("kept").await;
        let stopping = tokio::spawn(server.stop());
        let frame = ana.closed().await;
        assert_eq!(u16::from(frame.code), 1001);
        let dir = stopping.await.expect("stops");
        let store = EmbeddedStore::open(dir.path()).expect("store was released");
        let stored = store
            .load(&DocName::new(SPACE, "rec-1").expect("valid"))
            .await
            .expect("loads");
        assert!(stored.snapshot.is_some() || !stored.updates.is_empty());
    });
}

#[test]
fn health_and_readiness() {
    run(async {
        let server = TestServer::start(Config::default()).await;
        assert_eq!(http_get(server.addr, "/healthz").await.0, 200);
        assert_eq!(http_get(server.addr, "/readyz").await.0, 200);
        let (status, body) = http_get(server.addr, "/nowhere").await;
        assert_eq!(status, 404);
        assert!(body.contains(r#""code":"not-found""#), "{body}");
    });
}
