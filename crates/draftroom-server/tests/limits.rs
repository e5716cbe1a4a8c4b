//! What a client can make the server hold is bounded: connections that say
//! nothing are closed, the number served at once is capped, and a full
//! server still answers its health checks.

mod common;

use std::time::Duration;

use common::{TestServer, http_get, run};
use draftroom_server::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

fn quick_timeouts() -> Config {
    Config {
        header_read_timeout: Duration::from_millis(500),
        ..Config::default()
    }
}

/// Waits until the server closes `stream`; returns how long that took.
async fn closed_by_server(stream: &mut TcpStream) -> Duration {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return start.elapsed(),
            Ok(Ok(_)) => {}
            Err(_) => panic!("the connection was still open after 5 s"),
        }
    }
}

#[test]
fn a_connection_that_sends_nothing_is_closed() {
    run(async {
        let server = TestServer::start(quick_timeouts()).await;
        let mut silent = TcpStream::connect(server.addr).await.expect("connects");
        assert!(closed_by_server(&mut silent).await < Duration::from_secs(2));
    });
}

#[test]
fn headers_sent_a_line_at_a_time_do_not_keep_a_connection() {
    run(async {
        let server = TestServer::start(quick_timeouts()).await;
        let mut slow = TcpStream::connect(server.addr).await.expect("connects");
        slow.write_all(b"GET /healthz HTTP/1.1\r\n")
            .await
            .expect("writes");
        let start = Instant::now();
        // A header line every 100 ms, for ever: only the deadline ends it.
        let mut closed = false;
        for i in 0..40 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if slow
                .write_all(format!("X-Slow-{i}: yes\r\n").as_bytes())
                .await
                .is_err()
            {
                closed = true;
                break;
            }
        }
        if !closed {
            closed_by_server(&mut slow).await;
        }
        assert!(start.elapsed() < Duration::from_secs(3));
    });
}

#[test]
fn a_kept_alive_connection_without_a_next_request_is_closed() {
    run(async {
        let server = TestServer::start(quick_timeouts()).await;
        let mut stream = TcpStream::connect(server.addr).await.expect("connects");
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .expect("writes");
        let mut buf = [0u8; 256];
        let read = stream.read(&mut buf).await.expect("reads");
        assert!(buf[..read].starts_with(b"HTTP/1.1 200"));
        assert!(closed_by_server(&mut stream).await < Duration::from_secs(2));
    });
}

#[test]
fn beyond_the_cap_connections_are_refused_fast_and_health_still_answers() {
    run(async {
        let server = TestServer::start(Config {
            max_connections: 20,
            header_read_timeout: Duration::from_secs(30),
            ..Config::default()
        })
        .await;
        let mut silent = Vec::new();
        for _ in 0..200 {
            silent.push(TcpStream::connect(server.addr).await.expect("connects"));
        }
        // The server has accepted them all by the time it answers this one.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let started = Instant::now();
        let (status, body) = http_get(server.addr, "/healthz").await;
        assert_eq!((status, body.as_str()), (200, "ok\n"));
        assert!(started.elapsed() < Duration::from_secs(1));
        let (status, body) = http_get(server.addr, "/api/spaces/wgigf").await;
        assert_eq!(status, 503, "{body}");
        assert!(body.contains("too-many-connections"), "{body}");
        // Once the silent ones go, everyone is served again.
        silent.clear();
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(http_get(server.addr, "/api/spaces/wgigf").await.0, 401);
        assert!(
            server
                .metric("draftroom_connections_over_capacity_total")
                .await
                >= 180
        );
    });
}

/// A GET with a bearer token; the status only.
async fn get_status(addr: std::net::SocketAddr, path: &str, token: &str) -> u16 {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("reads");
    response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("status line")
}

#[test]
fn reading_documents_that_do_not_exist_loads_nothing() {
    run(async {
        let server = TestServer::start(Config::default()).await;
        let observer = common::token("olga", draftroom_auth::Role::Observer);
        for i in 0..300 {
            let path = format!("/api/spaces/wgigf/recommendations/x-{i}");
            assert_eq!(get_status(server.addr, &path, &observer).await, 404);
        }
        let member = common::token("ana", draftroom_auth::Role::Member);
        for i in 0..50 {
            let path = format!("/api/spaces/wgigf/recommendations/x-{i}/support");
            let mut stream = TcpStream::connect(server.addr).await.expect("connects");
            let body = r#"{"for":"majority"}"#;
            let request = format!(
                "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {member}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(request.as_bytes()).await.expect("writes");
            let mut response = String::new();
            stream.read_to_string(&mut response).await.expect("reads");
            assert!(response.starts_with("HTTP/1.1 404"), "{response}");
        }
        assert_eq!(server.metric("draftroom_documents_loaded").await, 0);
    });
}

#[test]
fn open_documents_are_capped_and_the_least_recently_used_unload_first() {
    run(async {
        let server = TestServer::start(Config {
            max_open_documents: 5,
            ..Config::default()
        })
        .await;
        for i in 0..12 {
            let mut writer = server
                .client(&format!("notes-{i}"), "ana", draftroom_auth::Role::Member)
                .await;
            writer.sync().await;
            writer.type_text(0, &format!("note {i}")).await;
            // Its echo to a second reader shows the edit is stored.
            let mut reader = server
                .client(&format!("notes-{i}"), "ben", draftroom_auth::Role::Member)
                .await;
            reader.sync().await;
            reader.until_text(&format!("note {i}")).await;
            drop((writer, reader));
            all_closed(&server).await;
            assert!(server.metric("draftroom_documents_loaded").await <= 5);
        }
        assert!(
            server
                .metric("draftroom_documents_unloaded_for_room_total")
                .await
                >= 7
        );
        // Every unloaded document kept its text.
        for i in 0..12 {
            let mut reader = server
                .client(&format!("notes-{i}"), "chen", draftroom_auth::Role::Member)
                .await;
            reader.sync().await;
            reader.until_text(&format!("note {i}")).await;
            drop(reader);
            all_closed(&server).await;
        }
        // With every open document in use, one more is refused, and told why.
        let mut held = Vec::new();
        for i in 0..5 {
            let mut client = server
                .client(&format!("held-{i}"), "ana", draftroom_auth::Role::Member)
                .await;
            client.sync().await;
            held.push(client);
        }
        let mut refused = server
            .client("one-too-many", "ana", draftroom_auth::Role::Member)
            .await;
        let close = refused.closed().await;
        assert_eq!(u16::from(close.code), 1013);
        assert!(close.reason.contains("open documents"), "{close:?}");
    });
}

/// Waits until the server has seen every websocket close.
async fn all_closed(server: &TestServer) {
    let start = Instant::now();
    while server.metric("draftroom_connections_open").await > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "connections stay open"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
