//! Hostile input: each bad message closes only its own connection, with a
//! code and a reason, and the document and every other client carry on.

mod common;

use common::*;
use draftroom_auth::Role;
use draftroom_server::{AwarenessLimits, Config};
use std::collections::HashMap;

use yrs::sync::awareness::{AwarenessUpdate, AwarenessUpdateEntry};
use yrs::sync::{Message as YMessage, SyncMessage};
use yrs::updates::encoder::Encode;
use yrs::{ClientID, Doc, Map, MapPrelim, MapRef, Transact};

const LIMIT: usize = 256 * 1024;

/// Two members on one document, then an attacker who sends `frame`: the
/// attacker is closed with `code`, the members go on editing.
async fn refused(server: &TestServer, doc: &str, frame: Vec<u8>, code: u16) -> String {
    let mut ana = server.client(doc, "ana", Role::Member).await;
    let mut bo = server.client(doc, "bo", Role::Member).await;
    ana.sync().await;
    bo.sync().await;
    ana.type_text(0, "before").await;
    bo.until_text("before").await;

    let mut attacker = server.client(doc, "mallory", Role::Member).await;
    attacker.sync().await;
    attacker.send_raw(frame).await;
    let close = attacker.closed().await;
    assert_eq!(u16::from(close.code), code, "close frame {close:?}");
    assert!(!close.reason.is_empty(), "a reason is given");

    bo.type_text(6, " and after").await;
    ana.until_text("before and after").await;
    let mut late = server.client(doc, "chen", Role::Observer).await;
    late.sync().await;
    assert_eq!(late.text(), "before and after");
    close.reason.to_string()
}

async fn server() -> TestServer {
    TestServer::start(Config {
        max_message_size: LIMIT,
        max_shared_types: 1_000,
        ..Config::default()
    })
    .await
}

fn update_message(update: Vec<u8>) -> Vec<u8> {
    YMessage::Sync(SyncMessage::Update(update)).encode_v1()
}

#[test]
fn garbage_bytes() {
    run(async {
        let server = server().await;
        let reason = refused(&server, "garbage", vec![0xff; 32], 1007).await;
        assert!(reason.contains("header"), "{reason}");
    });
}

#[test]
fn truncated_update() {
    run(async {
        let server = server().await;
        let doc = Doc::new();
        let text = doc.get_or_insert_text("text");
        let update = {
            let mut txn = doc.transact_mut();
            yrs::Text::insert(&text, &mut txn, 0, "a perfectly good edit");
            txn.encode_update_v1()
        };
        let mut frame = update_message(update);
        frame.truncate(frame.len() - 4);
        refused(&server, "truncated", frame, 1007).await;
    });
}

#[test]
fn update_with_its_tail_cut_but_length_fixed() {
    run(async {
        let server = server().await;
        let doc = Doc::new();
        let text = doc.get_or_insert_text("text");
        let mut update = {
            let mut txn = doc.transact_mut();
            yrs::Text::insert(&text, &mut txn, 0, "a perfectly good edit");
            txn.encode_update_v1()
        };
        update.truncate(update.len() - 3);
        let reason = refused(&server, "cut", update_message(update), 1007).await;
        assert!(reason.contains("update"), "{reason}");
    });
}

#[test]
fn oversize_message() {
    run(async {
        let server = server().await;
        let reason = refused(&server, "oversize", vec![0u8; LIMIT + 1024], 1009).await;
        assert!(reason.contains("limit"), "{reason}");
    });
}

#[test]
fn unknown_message_types() {
    run(async {
        let server = server().await;
        refused(&server, "unknown", vec![9, 0], 1003).await;
        refused(&server, "unknown-sync", vec![0, 7, 0], 1003).await;
        refused(&server, "auth-from-client", vec![2, 0, 0], 1003).await;
    });
}

#[test]
fn bad_state_vector() {
    run(async {
        let server = server().await;
        refused(&server, "state-vector", vec![0, 0, 3, 5, 1, 2], 1007).await;
    });
}

#[test]
fn deeply_nested_values() {
    run(async {
        let server = server().await;
        // One map entry whose value is an array nested 50,000 deep.
        let depth = 50_000;
        let mut update = vec![1, 1, 7, 0, 0b0010_1000, 1, 1, b'm', 1, b'k', 1];
        update.extend([117u8, 1].repeat(depth));
        update.extend([126, 0]);
        let reason = refused(&server, "deep-values", update_message(update), 1007).await;
        assert!(reason.contains("nested"), "{reason}");
    });
}

fn nested_maps(depth: u32) -> Vec<u8> {
    let doc = Doc::new();
    let root = doc.get_or_insert_map("meta");
    let mut txn = doc.transact_mut();
    let mut current: MapRef = root.insert(&mut txn, "m", MapPrelim::default());
    for _ in 1..depth {
        current = current.insert(&mut txn, "m", MapPrelim::default());
    }
    txn.encode_update_v1()
}

#[test]
fn deeply_nested_shared_types() {
    run(async {
        let server = server().await;
        let reason = refused(
            &server,
            "deep-types",
            update_message(nested_maps(5_000)),
            1007,
        )
        .await;
        assert!(reason.contains("shared types"), "{reason}");
    });
}

#[test]
fn nesting_up_to_the_cap_is_served_safely() {
    run(async {
        // The production cap, with the production stack.
        let server = TestServer::start(Config::default()).await;
        let depth = Config::default().max_shared_types;
        let mut ana = server.client("deep-ok", "ana", Role::Member).await;
        ana.sync().await;
        ana.send_raw(update_message(nested_maps(depth))).await;
        let mut late = server.client("deep-ok", "bo", Role::Member).await;
        late.sync().await;
        // The chain reaches the newcomer in its sync or right after it.
        while late.doc.get_or_insert_map("meta").len(&late.doc.transact()) != 1 {
            late.next().await;
        }
        // Deleting the chain walks all of it.
        let delete = {
            let meta = late.doc.get_or_insert_map("meta");
            let mut txn = late.doc.transact_mut();
            meta.remove(&mut txn, "m");
            txn.encode_update_v1()
        };
        late.send_raw(update_message(delete)).await;
        ana.type_text(0, "still here").await;
        late.until_text("still here").await;
    });
}

#[test]
fn text_frames() {
    run(async {
        let server = server().await;
        let mut attacker = server.client("text", "mallory", Role::Member).await;
        attacker
            .ws
            .send(tokio_tungstenite::tungstenite::Message::Text(
                "hello".into(),
            ))
            .await
            .expect("sends");
        assert_eq!(u16::from(attacker.closed().await.code), 1003);
    });
}

use futures_util::SinkExt;

#[test]
fn a_reader_that_stops_reading_is_closed_not_buffered() {
    run(async {
        let server = TestServer::start(Config {
            outgoing_queue: 16,
            send_timeout: std::time::Duration::from_millis(500),
            ..Config::default()
        })
        .await;
        let mut writer = server.client("slow", "ana", Role::Member).await;
        let mut reader = server.client("slow", "bo", Role::Member).await;
        let mut stuck = server.client("slow", "chen", Role::Observer).await;
        writer.sync().await;
        reader.sync().await;
        stuck.sync().await;
        // The stuck client reads nothing from here on, while far more is
        // written than socket buffers hold: each round replaces the text.
        const CHUNK: u32 = 64 * 1024;
        let mut last = String::new();
        for i in 0..400u32 {
            last = char::from(b'a' + (i % 26) as u8)
                .to_string()
                .repeat(CHUNK as usize);
            writer.type_text(0, &last).await;
            writer
                .delete_text(CHUNK, if i == 0 { 0 } else { CHUNK })
                .await;
            if i % 50 == 0 {
                reader.until_text(&last).await;
            }
        }
        reader.until_text(&last).await;
        let mut waited = std::time::Duration::ZERO;
        while server.metric("draftroom_connections_refused_total").await == 0 {
            assert!(waited < WAIT, "the stuck client was never closed");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            waited += std::time::Duration::from_millis(50);
        }
        assert_eq!(server.metric("draftroom_connections_open").await, 2);
    });
}

#[test]
fn an_update_missing_what_it_depends_on_is_never_stored_or_sent() {
    run(async {
        let server = server().await;
        let writer = Doc::new();
        let text = writer.get_or_insert_text("text");
        // Two edits; only the second is sent, so it cannot be applied.
        let _first = {
            let mut txn = writer.transact_mut();
            yrs::Text::insert(&text, &mut txn, 0, "first ");
            txn.encode_update_v1()
        };
        let second = {
            let mut txn = writer.transact_mut();
            yrs::Text::insert(&text, &mut txn, 6, "SECRET");
            txn.encode_update_v1()
        };
        let mut ana = server.client("pending", "ana", Role::Member).await;
        ana.sync().await;
        let mut mallory = server.client("pending", "mallory", Role::Member).await;
        mallory.sync().await;
        mallory.send_raw(update_message(second)).await;
        // Its sender alone is closed, to resync; everyone else carries on.
        let close = mallory.closed().await;
        assert_eq!(u16::from(close.code), 1013, "{close:?}");
        ana.type_text(0, "still here").await;
        let mut late = server.client("pending", "chen", Role::Member).await;
        late.sync().await;
        late.until_text("still here").await;
        late.type_text(10, "!").await;
        ana.until_text("still here!").await;
        let state = late.full_state();
        assert!(
            !String::from_utf8_lossy(&state).contains("SECRET"),
            "pending content never reaches anyone"
        );
    });
}

/// An awareness message in which `client` says `json`.
fn awareness_message(client: u64, clock: u32, json: &str) -> Vec<u8> {
    YMessage::Awareness(AwarenessUpdate {
        clients: HashMap::from([(
            ClientID::new(client),
            AwarenessUpdateEntry {
                clock,
                json: json.into(),
            },
        )]),
    })
    .encode_v1()
}

#[test]
fn awareness_nested_deep_enough_to_crash_clients() {
    run(async {
        let server = server().await;
        let deep = format!(r#"{{"user":{}{}}}"#, "[".repeat(30_000), "]".repeat(30_000));
        let reason = refused(&server, "deep-aw", awareness_message(666, 1, &deep), 4422).await;
        assert!(reason.contains("nested deeper than 32 levels"), "{reason}");
    });
}

#[test]
fn awareness_that_is_not_an_object() {
    run(async {
        let server = server().await;
        let reason = refused(&server, "array-aw", awareness_message(666, 1, "[1]"), 4422).await;
        assert!(reason.contains("not a JSON object"), "{reason}");
    });
}

#[test]
fn a_document_full_of_presence_refuses_new_states_and_closes_nobody() {
    run(async {
        let defaults = Config::default();
        let server = TestServer::start(Config {
            awareness: AwarenessLimits {
                max_document_bytes: 1000,
                ..defaults.awareness.clone()
            },
            ..defaults
        })
        .await;
        let state = format!(r#"{{"n":"{}"}}"#, "x".repeat(392));
        let mut members = Vec::new();
        for user in ["ana", "bo"] {
            let mut member = server.client("full-aw", user, Role::Member).await;
            member.sync().await;
            let id = member.client_id;
            member.send_raw(awareness_message(id, 1, &state)).await;
            // The room answers a connection in order: once it answers
            // this, it holds the state, before cy's arrives.
            member.sync().await;
            members.push(member);
        }
        let mut cy = server.client("full-aw", "cy", Role::Member).await;
        cy.sync().await;
        let id = cy.client_id;
        cy.send_raw(awareness_message(id, 1, &state)).await;
        // Cy is still connected, and nobody heard her state.
        cy.sync().await;
        let mut ana = members.remove(0);
        ana.send_raw(awareness_message(ana.client_id, 2, "{}"))
            .await;
        let mut bo = members.remove(0);
        let (ana_id, cy_id) = (ClientID::new(ana.client_id), ClientID::new(id));
        loop {
            match bo.next().await {
                Heard::Message(YMessage::Awareness(update)) => {
                    assert!(
                        !update.clients.contains_key(&cy_id),
                        "cy's state went nowhere"
                    );
                    if update
                        .clients
                        .get(&ana_id)
                        .is_some_and(|entry| entry.json.as_ref() == "{}")
                    {
                        break;
                    }
                }
                Heard::Closed(frame) => panic!("bo was closed: {frame:?}"),
                Heard::Message(_) => {}
            }
        }
    });
}
