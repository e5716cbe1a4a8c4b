//! `draftroom-bench`: a load generator for Yjs websocket servers.
//!
//! Workloads speak the plain Yjs protocol, so the same numbers can be taken
//! from Draftroom and from any other server. Each prints one JSON line and a
//! short human summary.

mod client;
mod server;
mod trace;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use serde::Serialize;

use crate::client::{Client, update_frame};

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
}

#[derive(clap::Args)]
struct TraceArgs {
    #[command(flatten)]
    target: server::Target,
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

#[derive(Serialize)]
struct TraceResult {
    workload: &'static str,
    server: String,
    updates: usize,
    seconds: f64,
    updates_per_second: f64,
    text_matches: bool,
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
        }
    })
}

async fn trace_workload(args: TraceArgs) -> anyhow::Result<()> {
    let replay = trace::load(&args.trace, args.limit)?;
    let frames: Vec<Vec<u8>> = replay.updates.iter().map(|u| update_frame(u)).collect();
    let target = args.target.start().await?;
    let doc = format!("trace-{}", std::process::id());
    let mut writer = Client::connect(&target.url(&doc, "writer")).await?;
    let mut reader = Client::connect(&target.url(&doc, "reader")).await?;
    let expected_len = replay.end_content.encode_utf16().count() as u32;

    let start = Instant::now();
    let send = async move {
        for chunk in frames.chunks(args.batch.max(1)) {
            for frame in chunk {
                writer.feed(frame.clone()).await?;
            }
            writer.flush().await?;
        }
        anyhow::Ok(writer)
    };
    let receive = async {
        // The trace's text grows and shrinks; it is done when it matches
        // the end in length and, checked once, in content.
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
    let result = TraceResult {
        workload: "trace",
        server: target.name(),
        updates: replay.updates.len(),
        seconds,
        updates_per_second: replay.updates.len() as f64 / seconds,
        text_matches: reader.text() == replay.end_content,
    };
    writer.close().await;
    reader.close().await;
    println!("{}", serde_json::to_string(&result)?);
    eprintln!(
        "trace  {:<28} {:>8} updates  {:>7.3} s  {:>10.0} updates/s  text matches: {}",
        result.server,
        result.updates,
        result.seconds,
        result.updates_per_second,
        result.text_matches
    );
    target.stop().await;
    if !result.text_matches {
        bail!("the reader's text differs from the trace's end");
    }
    Ok(())
}
