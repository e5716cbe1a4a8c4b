//! The trace workloads: replaying an editing trace from a writer to a
//! reader (throughput and latency), and loading the document it builds.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use draftroom_store::DocName;
use serde::{Deserialize, Serialize};
use tokio::time::sleep_until;
use yrs::ID;

use crate::client::{Client, update_frame};
use crate::measure::{Latencies, LatencySummary};
use crate::server::Running;
use crate::trace::{Evidence, Replay};

#[derive(Serialize, Deserialize)]
pub struct TraceResult {
    pub server: String,
    /// Writer and reader on different nodes when 2.
    pub nodes: usize,
    /// Updates per second the writer was held to (none: as fast as it can).
    pub rate: Option<f64>,
    pub updates: usize,
    /// Updates that reached the reader: all of them, unless the run hit its
    /// time limit first.
    pub delivered: usize,
    pub seconds: f64,
    /// Delivered updates per second.
    pub updates_per_second: f64,
    /// From each update sent until the reader had it.
    pub latency: LatencySummary,
}

/// How a trace is sent.
#[derive(Clone, Copy)]
pub struct Pace {
    /// Updates per second, or (none) as fast as the writer can.
    pub rate: Option<f64>,
    /// Frames the writer queues before each write, when not paced.
    pub batch: usize,
    /// Stop after this long, counting what arrived (a slow server).
    pub limit: Option<Duration>,
}

/// Sends every update of `replay` from a writer to a reader as `pace`
/// says; times the whole and each update. Fails unless the reader ends
/// with the trace's text, or the time limit stopped the run first.
pub async fn replay_trace(
    running: &Running,
    doc: &str,
    nodes: (usize, usize),
    replay: &Replay,
    pace: Pace,
) -> anyhow::Result<TraceResult> {
    let Pace { rate, batch, limit } = pace;
    running.prepare(doc).await?;
    let frames: Vec<_> = replay.updates.iter().map(|u| update_frame(u)).collect();
    let mut writer = Client::connect(&running.url(nodes.0, doc, "writer", true)).await?;
    let mut reader = Client::connect(&running.url(nodes.1, doc, "reader", false)).await?;
    let expected_len = replay.end_content.encode_utf16().count() as u32;
    // The writer and the reader run on this one task, taking turns.
    let sent_cell = RefCell::new(vec![None::<Instant>; frames.len()]);
    let start = Instant::now();
    let paced_start = tokio::time::Instant::now();
    let send = async {
        for (i, frame) in frames.into_iter().enumerate() {
            match rate {
                Some(rate) => {
                    sleep_until(paced_start + Duration::from_secs_f64(i as f64 / rate)).await;
                    sent_cell.borrow_mut()[i] = Some(Instant::now());
                    writer.feed(frame).await?;
                    writer.flush().await?;
                    writer.discard_arrived();
                }
                None => {
                    sent_cell.borrow_mut()[i] = Some(Instant::now());
                    writer.feed(frame).await?;
                    if (i + 1) % batch.max(1) == 0 {
                        writer.flush().await?;
                        writer.discard_arrived();
                    }
                }
            }
        }
        writer.flush().await?;
        anyhow::Ok(())
    };
    let receive = async {
        let mut latencies = Latencies::default();
        let mut next = 0;
        // The text grows and shrinks; it is done when it matches the end in
        // length and then, checked once, in content.
        loop {
            if limit.is_some_and(|limit| start.elapsed() >= limit) {
                return anyhow::Ok((latencies, next));
            }
            tokio::time::timeout(Duration::from_secs(30), reader.next())
                .await
                .context("the reader heard nothing for 30 s")??;
            let now = Instant::now();
            let arrived = arrived_up_to(replay, &reader, next);
            if let Some(last) = arrived {
                let sent = sent_cell.borrow();
                for at in sent[next..=last].iter().flatten() {
                    latencies.record(now - *at);
                }
                next = last + 1;
            }
            if reader.text_len() == expected_len && reader.text() == replay.end_content {
                return anyhow::Ok((latencies, replay.updates.len()));
            }
        }
    };
    // The reader decides when the run ends: the writer may still be
    // sending when a time limit stops it.
    let mut send = Box::pin(send);
    let mut receive = Box::pin(receive);
    let mut sending = true;
    let received = loop {
        tokio::select! {
            received = &mut receive => break received,
            sent = &mut send, if sending => {
                sent?;
                sending = false;
            }
        }
    };
    let seconds = start.elapsed().as_secs_f64();
    let (latencies, delivered) = received?;
    drop((send, receive));
    writer.close().await;
    reader.close().await;
    Ok(TraceResult {
        server: running.name(),
        nodes: if nodes.0 == nodes.1 { 1 } else { 2 },
        rate,
        updates: replay.updates.len(),
        delivered,
        seconds,
        updates_per_second: delivered as f64 / seconds,
        latency: latencies.summary(),
    })
}

/// The last update, from `next` on, that the reader's latest message shows
/// has arrived (and so, one writer's updates arriving in order, every one
/// before it): the reader's clock for the writer covers it, or (a pure
/// deletion) the message deleted its first item.
fn arrived_up_to(replay: &Replay, reader: &Client, next: usize) -> Option<usize> {
    let clock = reader.clock_of(replay.client);
    let mut last = None;
    for (i, evidence) in replay.evidence.iter().enumerate().skip(next) {
        match *evidence {
            Evidence::Clock(end) if end <= clock => last = Some(i),
            // Clocks only grow: nothing later can have arrived.
            Evidence::Clock(_) => break,
            Evidence::Deleted(at) => {
                if reader.just_deleted(&ID::new(replay.client, at)) {
                    last = Some(i);
                }
            }
        }
    }
    last
}

#[derive(Serialize, Deserialize)]
pub struct LoadResult {
    pub server: String,
    pub updates: usize,
    pub raw_log_entries: usize,
    pub raw_sync_ms: f64,
    pub compacted_log_entries: usize,
    pub compacted_sync_ms: f64,
}

/// Builds a document from a whole trace, then times how long a newcomer
/// takes from connecting to holding it, first from the raw log (the server
/// that wrote it killed, so it wrote no snapshot), then after compaction.
/// Needs a draftroom the bench started.
pub async fn load(
    mut running: Running,
    replay: &Replay,
    batch: usize,
) -> anyhow::Result<LoadResult> {
    let never_compact = ["--compact-after-updates", "0"];
    let store = running
        .store()
        .context("load measures draftroom's stores: start it with --draftroom")?
        .to_owned();
    let doc = format!("load-{}", std::process::id());
    let pace = Pace {
        rate: None,
        batch,
        limit: None,
    };
    replay_trace(&running, &doc, (0, 0), replay, pace).await?;
    running.kill(0).await;
    let raw_log_entries = log_entries(&store, &doc).await?;

    let node = running.start_node(&never_compact).await?;
    let raw_sync_ms = time_to_synced(&running.url(node, &doc, "newcomer", false), replay).await?;
    // A clean stop writes the snapshot and trims the log.
    running.terminate(node).await?;
    let compacted_log_entries = log_entries(&store, &doc).await?;
    let node = running.start_node(&[]).await?;
    let compacted_sync_ms =
        time_to_synced(&running.url(node, &doc, "newcomer", false), replay).await?;
    let result = LoadResult {
        server: running.name(),
        updates: replay.updates.len(),
        raw_log_entries,
        raw_sync_ms,
        compacted_log_entries,
        compacted_sync_ms,
    };
    running.stop().await;
    Ok(result)
}

/// Milliseconds from opening a connection until the client holds the
/// trace's final text.
async fn time_to_synced(url: &str, replay: &Replay) -> anyhow::Result<f64> {
    let start = Instant::now();
    let client = Client::connect(url).await?;
    let elapsed = start.elapsed().as_secs_f64() * 1000.0;
    if client.text() != replay.end_content {
        bail!("the newcomer's text differs from the trace's end");
    }
    client.close().await;
    Ok(elapsed)
}

/// Log entries stored after the snapshot, read straight from the store.
async fn log_entries(store: &str, doc: &str) -> anyhow::Result<usize> {
    let store = draftroom_store::open(store)?;
    let name = DocName::new("bench", doc)?;
    Ok(store.load(&name).await?.updates.len())
}
