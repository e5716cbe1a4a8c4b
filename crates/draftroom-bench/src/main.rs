//! `draftroom-bench`: a load generator for Yjs websocket servers.
//!
//! Workloads speak the plain Yjs protocol, so the same numbers can be taken
//! from Draftroom and from any other server. Each prints one JSON line on
//! stdout and a short human summary on stderr.

mod client;
mod server;
mod trace;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use draftroom_store::DocName;
use serde::Serialize;

use crate::client::{Client, update_frame};
use crate::trace::Replay;

#[derive(Parser)]
#[command(
    name = "draftroom-bench",
    about = "Load generator for Yjs websocket servers."
)]
struct Cli {
    #[command(subcommand)]
    workload: Workload,
}

#[derive(Subcommand)]
enum Workload {
    /// Replay an editing trace, one update per keystroke, from one writer to
    /// one reader; report end-to-end updates per second.
    Trace(TraceArgs),
    /// Time from connect to synced for a document with a whole trace's
    /// history, from the raw log and after compaction (started draftroom only).
    Load(LoadArgs),
}

#[derive(clap::Args)]
struct TraceArgs {
    #[command(flatten)]
    target: server::Target,
    #[command(flatten)]
    replay: ReplayArgs,
    /// Writer on one node, reader on another (a shared store only).
    #[arg(long, default_value_t = 1)]
    nodes: usize,
}

#[derive(clap::Args)]
struct LoadArgs {
    #[command(flatten)]
    target: server::Target,
    #[command(flatten)]
    replay: ReplayArgs,
}

#[derive(clap::Args)]
struct ReplayArgs {
    /// A sequential trace (json.gz) from josephg/editing-traces.
    #[arg(long, default_value = "../shared/traces/automerge-paper.json.gz")]
    trace: PathBuf,
    /// Replay only the first N edits (a quick smoke run).
    #[arg(long)]
    limit: Option<usize>,
    /// Frames the writer queues before each flush.
    #[arg(long, default_value_t = 64)]
    batch: usize,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        match cli.workload {
            Workload::Trace(args) => trace_workload(args).await,
            Workload::Load(args) => load_workload(args).await,
        }
    })
}

fn report<T: Serialize>(result: &T, summary: String) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string(result)?);
    eprintln!("{summary}");
    Ok(())
}

#[derive(Serialize)]
struct TraceResult {
    workload: &'static str,
    server: String,
    /// Writer and reader on different nodes when 2.
    nodes: usize,
    updates: usize,
    seconds: f64,
    updates_per_second: f64,
}

async fn trace_workload(args: TraceArgs) -> anyhow::Result<()> {
    let replay = trace::load(&args.replay.trace, args.replay.limit)?;
    let running = args.target.start(args.nodes, &[]).await?;
    let doc = format!("trace-{}", std::process::id());
    let reader_node = args.nodes.saturating_sub(1);
    let seconds = replay_trace(
        &running.url(0, &doc, "writer"),
        &running.url(reader_node, &doc, "reader"),
        &replay,
        args.replay.batch,
    )
    .await?;
    let result = TraceResult {
        workload: "trace",
        server: running.name(),
        nodes: args.nodes,
        updates: replay.updates.len(),
        seconds,
        updates_per_second: replay.updates.len() as f64 / seconds,
    };
    running.stop().await;
    report(
        &result,
        format!(
            "trace  {:<24} {} node(s) {:>8} updates  {:>7.3} s  {:>10.0} updates/s",
            result.server, result.nodes, result.updates, result.seconds, result.updates_per_second
        ),
    )
}

/// Sends every update of `replay` from a writer to a reader; returns the
/// seconds from the first send until the reader holds the trace's final
/// text. Fails if it never does.
async fn replay_trace(
    writer_url: &str,
    reader_url: &str,
    replay: &Replay,
    batch: usize,
) -> anyhow::Result<f64> {
    let frames: Vec<Vec<u8>> = replay.updates.iter().map(|u| update_frame(u)).collect();
    let mut writer = Client::connect(writer_url).await?;
    let mut reader = Client::connect(reader_url).await?;
    let expected_len = replay.end_content.encode_utf16().count() as u32;
    let start = Instant::now();
    let send = async move {
        for chunk in frames.chunks(batch.max(1)) {
            for frame in chunk {
                writer.feed(frame.clone()).await?;
            }
            writer.flush().await?;
        }
        anyhow::Ok(writer)
    };
    let receive = async {
        // The text grows and shrinks; it is done when it matches the end in
        // length and then, checked once, in content.
        loop {
            tokio::time::timeout(Duration::from_secs(30), reader.next())
                .await
                .context("the reader heard nothing for 30 s")??;
            if reader.text_len() == expected_len && reader.text() == replay.end_content {
                return anyhow::Ok(());
            }
        }
    };
    let (writer, received) = tokio::join!(send, receive);
    let seconds = start.elapsed().as_secs_f64();
    let writer = writer?;
    received?;
    writer.close().await;
    reader.close().await;
    Ok(seconds)
}

#[derive(Serialize)]
struct LoadResult {
    workload: &'static str,
    server: String,
    updates: usize,
    raw_log_entries: usize,
    raw_sync_ms: f64,
    compacted_log_entries: usize,
    compacted_sync_ms: f64,
}

/// Builds a document from a whole trace, then times how long a newcomer
/// takes from connecting to holding it, first from the raw log (the server
/// that wrote it killed, so it wrote no snapshot), then after compaction.
async fn load_workload(args: LoadArgs) -> anyhow::Result<()> {
    let replay = trace::load(&args.replay.trace, args.replay.limit)?;
    let never_compact = ["--compact-after-updates", "0"];
    let mut running = args.target.start(1, &never_compact).await?;
    let doc = format!("load-{}", std::process::id());
    replay_trace(
        &running.url(0, &doc, "writer"),
        &running.url(0, &doc, "reader"),
        &replay,
        args.replay.batch,
    )
    .await?;
    running.kill(0).await;
    let raw_log_entries = log_entries(running.store(), &doc).await?;

    let node = running.start_node(&never_compact).await?;
    let raw_sync_ms = time_to_synced(&running.url(node, &doc, "newcomer"), &replay).await?;
    // A clean stop writes the snapshot and trims the log.
    running.terminate(node).await?;
    let compacted_log_entries = log_entries(running.store(), &doc).await?;
    let node = running.start_node(&[]).await?;
    let compacted_sync_ms = time_to_synced(&running.url(node, &doc, "newcomer"), &replay).await?;
    let result = LoadResult {
        workload: "load",
        server: running.name(),
        updates: replay.updates.len(),
        raw_log_entries,
        raw_sync_ms,
        compacted_log_entries,
        compacted_sync_ms,
    };
    running.stop().await;
    report(
        &result,
        format!(
            "load   {:<28} {} updates: raw log of {} entries synced in {:.1} ms; compacted ({} entries after the snapshot) in {:.1} ms",
            result.server,
            result.updates,
            result.raw_log_entries,
            result.raw_sync_ms,
            result.compacted_log_entries,
            result.compacted_sync_ms
        ),
    )
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
