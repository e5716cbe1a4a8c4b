//! Writers and observers at a fixed rate: one writer per document, each
//! update appending a numbered marker (`~` and 8 hex digits) to the text,
//! and observers that find the markers in the bytes they receive. A marker
//! names the update, so latency is measured per update and per observer
//! without decoding anything, whatever the server does to batch updates:
//! their text always travels as UTF-8 in the frame.
//!
//! `fanout` is one document with many observers; `docs` is many documents
//! with a writer and an observer each.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use tokio::time::sleep_until;
use yrs::sync::{Message as YMessage, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::{Doc, GetString, Options, Text, Transact, Update};

use crate::client::{Client, LightClient, open_all, update_frame, yjs_client_id};
use crate::measure::{CpuMeter, Latencies, LatencySummary};
use crate::server::Running;

/// At most this many connections are being opened at once.
const CONNECTING_AT_ONCE: usize = 128;

/// Send times of one writer's updates, in nanoseconds after `base` (0:
/// not sent yet), shared with the observers that time their arrival.
struct Stamps {
    base: Instant,
    sent: Vec<AtomicU64>,
}

impl Stamps {
    fn new(base: Instant, count: usize) -> Stamps {
        Stamps {
            base,
            sent: (0..count).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    fn stamp(&self, seq: usize) {
        let nanos = self.base.elapsed().as_nanos() as u64 + 1;
        self.sent[seq].store(nanos, Ordering::Relaxed);
    }

    /// How long ago update `seq` was sent, if it was.
    fn since(&self, seq: usize, now: Instant) -> Option<Duration> {
        let nanos = self.sent.get(seq)?.load(Ordering::Relaxed);
        (nanos != 0).then(|| now - (self.base + Duration::from_nanos(nanos - 1)))
    }
}

const MARKER: u8 = b'~';
const MARKER_DIGITS: usize = 8;

fn marker(seq: usize) -> String {
    format!("~{seq:08x}")
}

/// Every marker in `bytes`, in order.
fn markers(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(offset) = bytes[at..].iter().position(|&b| b == MARKER) {
            let start = at + offset + 1;
            at = start;
            let digits = bytes.get(start..start + MARKER_DIGITS)?;
            if let Some(seq) = std::str::from_utf8(digits)
                .ok()
                .and_then(|hex| usize::from_str_radix(hex, 16).ok())
            {
                at = start + MARKER_DIGITS;
                return Some(seq);
            }
        }
        None
    })
}

#[derive(Clone, Copy)]
pub struct Plan {
    pub docs: usize,
    pub observers_per_doc: usize,
    /// Updates per second, all writers together.
    pub rate: f64,
    pub seconds: f64,
    /// Observers apply what they receive to a Yjs document of their own
    /// (and must end with the writer's text), or only find the markers.
    pub apply: bool,
}

impl Plan {
    /// One document, `observers` watching it; they only find the markers.
    pub fn fanout(observers: usize, rate: f64, seconds: f64) -> Plan {
        Plan {
            docs: 1,
            observers_per_doc: observers,
            rate,
            seconds,
            apply: false,
        }
    }

    /// `docs` documents with an observer each that applies every update.
    pub fn docs(docs: usize, rate: f64, seconds: f64) -> Plan {
        Plan {
            docs,
            observers_per_doc: 1,
            rate,
            seconds,
            apply: true,
        }
    }
}

#[derive(Serialize, Deserialize)]
pub struct ChannelsResult {
    pub docs: usize,
    pub observers: usize,
    pub rate: f64,
    pub seconds: f64,
    pub updates_sent: usize,
    /// Updates received, over all observers.
    pub deliveries: u64,
    pub deliveries_expected: u64,
    pub deliveries_per_second: f64,
    pub latency: LatencySummary,
    /// Server CPU while the writers wrote, in percent of one core.
    pub server_cpu_percent: Option<f64>,
    /// Every observer ended with its writer's text (observers that apply).
    pub converged: Option<bool>,
}

struct Observed {
    latencies: Latencies,
    deliveries: u64,
    text: Option<String>,
}

/// Runs `plan` against the server's node 0 on documents named
/// `{prefix}-{i}`.
pub async fn run(running: &Running, prefix: &str, plan: Plan) -> anyhow::Result<ChannelsResult> {
    let per_writer = ((plan.rate * plan.seconds) / plan.docs as f64).ceil() as usize;
    if per_writer == 0 {
        bail!("the rate and time leave nothing to send");
    }
    let names: Vec<String> = (0..plan.docs).map(|d| format!("{prefix}-{d}")).collect();
    for name in &names {
        running.prepare(name).await?;
    }
    let base = Instant::now();
    let stamps: Vec<Arc<Stamps>> = (0..plan.docs)
        .map(|_| Arc::new(Stamps::new(base, per_writer)))
        .collect();

    // Everyone connects and syncs before anything is written.
    let observers: Vec<(usize, String)> = (0..plan.docs)
        .flat_map(|d| (0..plan.observers_per_doc).map(move |o| (d, o)))
        .map(|(d, o)| {
            (
                d,
                running.url(0, &names[d], &format!("observer-{d}-{o}"), false),
            )
        })
        .collect();
    let connected = open_all(observers, CONNECTING_AT_ONCE, |(d, url)| async move {
        let mut client = LightClient::connect(&url).await?;
        // The server's sync step 2 answers ours: then we are in.
        client.next_content().await?;
        anyhow::Ok((d, client))
    })
    .await?;
    let mut writers = Vec::new();
    for name in &names {
        writers.push(Client::connect(&running.url(0, name, "writer", true)).await?);
    }

    let deadline = tokio::time::Instant::now() + Duration::from_secs_f64(plan.seconds + 15.0);
    let observing: Vec<_> = connected
        .into_iter()
        .map(|(d, client)| {
            let stamps = stamps[d].clone();
            tokio::spawn(observe(client, stamps, per_writer, plan.apply, deadline))
        })
        .collect();
    let cpu = CpuMeter::start(running.pid(0))?;
    let start = tokio::time::Instant::now();
    let writer_rate = plan.rate / plan.docs as f64;
    let writing: Vec<_> = writers
        .into_iter()
        .zip(&stamps)
        .map(|(writer, stamps)| {
            let stamps = stamps.clone();
            tokio::spawn(write(writer, stamps, per_writer, writer_rate, start))
        })
        .collect();
    let mut texts = Vec::new();
    for writer in writing {
        texts.push(writer.await??);
    }
    let mut latencies = Latencies::default();
    let mut deliveries = 0;
    let mut converged = plan.apply.then_some(true);
    for (i, observer) in observing.into_iter().enumerate() {
        let observed = observer.await??;
        latencies.add(&observed.latencies);
        deliveries += observed.deliveries;
        if let (Some(text), Some(ok)) = (&observed.text, &mut converged) {
            *ok &= *text == texts[i / plan.observers_per_doc];
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let server_cpu_percent = cpu.percent_of_core()?;
    let observers = plan.docs * plan.observers_per_doc;
    Ok(ChannelsResult {
        docs: plan.docs,
        observers,
        rate: plan.rate,
        seconds: elapsed,
        updates_sent: per_writer * plan.docs,
        deliveries,
        deliveries_expected: (per_writer * observers) as u64,
        deliveries_per_second: deliveries as f64 / elapsed,
        latency: latencies.summary(),
        server_cpu_percent,
        converged,
    })
}

/// Appends `count` markers at `rate` per second, each its own update sent
/// at once; returns the text written.
async fn write(
    mut writer: Client,
    stamps: Arc<Stamps>,
    count: usize,
    rate: f64,
    start: tokio::time::Instant,
) -> anyhow::Result<String> {
    let doc = Doc::with_options(Options::with_client_id(yjs_client_id()));
    let text = doc.get_or_insert_text("text");
    for seq in 0..count {
        sleep_until(start + Duration::from_secs_f64(seq as f64 / rate)).await;
        let update = {
            let mut txn = doc.transact_mut();
            let end = text.len(&txn);
            text.insert(&mut txn, end, &marker(seq));
            txn.encode_update_v1()
        };
        stamps.stamp(seq);
        writer.feed(update_frame(&update)).await?;
        writer.flush().await?;
        writer.discard_arrived();
    }
    // Keep the connection until the observers are done: some servers drop
    // what a closing client sent last.
    let written = text.get_string(&doc.transact());
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(20)).await;
        writer.close().await;
    });
    Ok(written)
}

/// Receives until every marker of the writer arrived or `deadline`.
async fn observe(
    mut client: LightClient,
    stamps: Arc<Stamps>,
    count: usize,
    apply: bool,
    deadline: tokio::time::Instant,
) -> anyhow::Result<Observed> {
    let doc = apply.then(Doc::new);
    let mut latencies = Latencies::default();
    let mut deliveries = 0u64;
    let mut seen = vec![false; count];
    while (deliveries as usize) < count {
        let Ok(frame) = tokio::time::timeout_at(deadline, client.next_content()).await else {
            break;
        };
        let frame = frame?;
        let now = Instant::now();
        for seq in markers(&frame) {
            if seq < count && !seen[seq] {
                seen[seq] = true;
                deliveries += 1;
                if let Some(latency) = stamps.since(seq, now) {
                    latencies.record(latency);
                }
            }
        }
        if let Some(doc) = &doc {
            if let YMessage::Sync(SyncMessage::Update(update) | SyncMessage::SyncStep2(update)) =
                YMessage::decode_v1(&frame)?
            {
                doc.transact_mut()
                    .apply_update(Update::decode_v1(&update)?)
                    .context("an observer could not apply an update")?;
            }
        }
    }
    let text = doc.map(|doc| {
        let text = doc.get_or_insert_text("text");
        let txn = doc.transact();
        text.get_string(&txn)
    });
    client.close().await;
    Ok(Observed {
        latencies,
        deliveries,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_found_in_any_bytes() {
        let bytes = [
            b"\x00\x02~0000000a~0000000b".as_slice(),
            b"~12",
            b"~000000ff",
        ]
        .concat();
        assert_eq!(markers(&bytes).collect::<Vec<_>>(), vec![10, 11, 255]);
        assert_eq!(markers(marker(7).as_bytes()).collect::<Vec<_>>(), vec![7]);
    }
}
