//! Many idle connections: what each costs the server in memory, and how
//! long it takes to open them all.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use anyhow::Context;
use futures_util::{StreamExt, stream};
use serde::{Deserialize, Serialize};

use crate::client::{Client, open_all};
use crate::measure::rss_bytes;
use crate::server::Running;

/// Connections spread over this many loopback source addresses
/// (127.0.0.1, 127.0.0.2, …), each with its own ephemeral ports, so that
/// more connections can be opened than one address has ports.
const SOURCE_ADDRESSES: u8 = 8;

/// At most this many connections are being opened at once.
const CONNECTING_AT_ONCE: usize = 256;

#[derive(Serialize, Deserialize)]
pub struct IdleResult {
    pub connections: usize,
    pub docs: usize,
    /// From the first connection opened until the last one was synced.
    pub connect_seconds: f64,
    pub server_rss_before: Option<u64>,
    pub server_rss_after: Option<u64>,
    pub bytes_per_connection: Option<f64>,
}

/// Opens `connections` connections over `docs` documents, each synced and
/// then idle, and measures the server's resident memory before and after.
pub async fn run(
    running: &Running,
    connections: usize,
    docs: usize,
    hold: Duration,
) -> anyhow::Result<IdleResult> {
    let names: Vec<String> = (0..docs.max(1)).map(|d| format!("idle-{d}")).collect();
    for name in &names {
        running.prepare(name).await?;
    }
    let pid = running.pid(0);
    let server_rss_before = pid.map(rss_bytes).transpose()?;
    let urls: Vec<(String, IpAddr)> = (0..connections)
        .map(|i| {
            let source = IpAddr::V4(Ipv4Addr::new(
                127,
                0,
                0,
                1 + (i % SOURCE_ADDRESSES as usize) as u8,
            ));
            (
                running.url(0, &names[i % names.len()], &format!("idle-{i}"), false),
                source,
            )
        })
        .collect();
    let start = Instant::now();
    let clients = open_all(urls, CONNECTING_AT_ONCE, |(url, source)| async move {
        Client::connect_from(&url, Some(source)).await
    })
    .await
    .context("an idle connection failed")?;
    let connect_seconds = start.elapsed().as_secs_f64();
    // Let the server settle (buffers released after the handshakes).
    tokio::time::sleep(Duration::from_secs(2)).await;
    let server_rss_after = pid.map(rss_bytes).transpose()?;
    let bytes_per_connection = match (server_rss_before, server_rss_after) {
        (Some(before), Some(after)) => {
            Some(after.saturating_sub(before) as f64 / connections as f64)
        }
        _ => None,
    };
    // Held open longer on request, to look at the server meanwhile.
    tokio::time::sleep(hold).await;
    stream::iter(clients)
        .for_each_concurrent(CONNECTING_AT_ONCE, Client::close)
        .await;
    Ok(IdleResult {
        connections,
        docs: names.len(),
        connect_seconds,
        server_rss_before,
        server_rss_after,
        bytes_per_connection,
    })
}
