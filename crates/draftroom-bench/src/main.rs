//! `draftroom-bench`: a load generator for Yjs websocket servers.
//!
//! Workloads speak the plain Yjs protocol, so the same numbers can be taken
//! from Draftroom and from any other server. Each prints one JSON line on
//! stdout and a short human summary on stderr; `compare` runs them all
//! against several servers and writes a Markdown report.

mod channels;
mod client;
mod compare;
mod idle;
mod measure;
mod replay;
mod server;
mod trace;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};
use serde::Serialize;

use crate::server::Target;

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
    /// one reader: updates per second end to end, and each update's latency.
    Trace(TraceArgs),
    /// One writer, many observers of the same document: deliveries per
    /// second, latency, server CPU.
    Fanout(FanoutArgs),
    /// Many idle connections: server memory per connection, time to open.
    Idle(IdleArgs),
    /// Time from connect to synced for a document with a whole trace's
    /// history, from the raw log and after compaction (draftroom only).
    Load(LoadArgs),
    /// Many documents, each with a writer and an observer, at a fixed total
    /// rate: server CPU, latency, and every document converged.
    Docs(DocsArgs),
    /// Run every workload against draftroom and the reference servers and
    /// write the side-by-side report.
    Compare(compare::CompareArgs),
}

#[derive(clap::Args)]
struct TraceArgs {
    #[command(flatten)]
    target: Target,
    #[command(flatten)]
    replay: ReplayArgs,
    /// Writer on one node, reader on another (a shared store only).
    #[arg(long, default_value_t = 1)]
    nodes: usize,
    /// Send at this many updates per second (default: as fast as possible).
    #[arg(long)]
    rate: Option<f64>,
    /// Stop after this many seconds, reporting what arrived.
    #[arg(long)]
    max_seconds: Option<f64>,
}

#[derive(clap::Args)]
struct LoadArgs {
    #[command(flatten)]
    target: Target,
    #[command(flatten)]
    replay: ReplayArgs,
}

#[derive(clap::Args)]
pub struct ReplayArgs {
    /// A sequential trace (json.gz) from josephg/editing-traces.
    #[arg(long, default_value = crate::trace::DEFAULT_TRACE)]
    trace: PathBuf,
    /// Replay only the first N edits (a quick smoke run).
    #[arg(long)]
    limit: Option<usize>,
    /// Frames the writer queues before each write, when not paced.
    #[arg(long, default_value_t = 64)]
    batch: usize,
}

#[derive(clap::Args)]
struct FanoutArgs {
    #[command(flatten)]
    target: Target,
    #[arg(long, default_value_t = 1000)]
    observers: usize,
    /// Updates per second from the writer.
    #[arg(long, default_value_t = 100.0)]
    rate: f64,
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
}

#[derive(clap::Args)]
struct IdleArgs {
    #[command(flatten)]
    target: Target,
    #[arg(long, default_value_t = 10_000)]
    connections: usize,
    /// Documents the connections are spread over.
    #[arg(long, default_value_t = 100)]
    docs: usize,
    /// Seconds to keep the connections open after measuring.
    #[arg(long, default_value_t = 0.0)]
    hold: f64,
}

#[derive(clap::Args)]
struct DocsArgs {
    #[command(flatten)]
    target: Target,
    #[arg(long, default_value_t = 100)]
    docs: usize,
    /// Updates per second, all writers together.
    #[arg(long, default_value_t = 5000.0)]
    rate: f64,
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        match cli.workload {
            Workload::Trace(args) => {
                let replay = trace::load(&args.replay.trace, args.replay.limit)?;
                let doc = format!("trace-{}", std::process::id());
                let nodes = (0, args.nodes.saturating_sub(1));
                let pace = replay::Pace {
                    rate: args.rate,
                    batch: args.replay.batch,
                    limit: args.max_seconds.map(Duration::from_secs_f64),
                };
                let result = server::on(&args.target, args.nodes, async |running| {
                    replay::replay_trace(running, &doc, nodes, &replay, pace).await
                })
                .await?;
                report("trace", &result, trace_line(&result))
            }
            Workload::Load(args) => {
                let replay = trace::load(&args.replay.trace, args.replay.limit)?;
                let running = args.target.start(1, &[]).await?;
                let result = replay::load(running, &replay, args.replay.batch).await?;
                report("load", &result, load_line(&result))
            }
            Workload::Fanout(args) => {
                let plan = channels::Plan::fanout(args.observers, args.rate, args.seconds);
                let result = server::on(&args.target, 1, async |running| {
                    channels::run(running, "fanout", plan).await
                })
                .await?;
                report("fanout", &result, channels_line("fanout", &result))
            }
            Workload::Idle(args) => {
                let hold = Duration::from_secs_f64(args.hold);
                let result = server::on(&args.target, 1, async |running| {
                    idle::run(running, args.connections, args.docs, hold).await
                })
                .await?;
                report("idle", &result, idle_line(&result))
            }
            Workload::Docs(args) => {
                let plan = channels::Plan::docs(args.docs, args.rate, args.seconds);
                let result = server::on(&args.target, 1, async |running| {
                    channels::run(running, "docs", plan).await
                })
                .await?;
                report("docs", &result, channels_line("docs", &result))
            }
            Workload::Compare(args) => compare::run(args).await,
        }
    })
}

/// Prints a workload's JSON line (with the workload's name) and its summary.
fn report<T: Serialize>(workload: &str, result: &T, summary: String) -> anyhow::Result<()> {
    let mut json = serde_json::to_value(result)?;
    json["workload"] = workload.into();
    println!("{json}");
    eprintln!("{summary}");
    Ok(())
}

fn trace_line(r: &replay::TraceResult) -> String {
    let rate = r
        .rate
        .map_or("unpaced".into(), |rate| format!("{rate:.0}/s paced"));
    format!(
        "trace  {:<24} {} node(s) {rate:>12} {:>8} of {} updates {:>7.3} s {:>10.0} updates/s  latency {}",
        r.server, r.nodes, r.delivered, r.updates, r.seconds, r.updates_per_second, r.latency
    )
}

fn load_line(r: &replay::LoadResult) -> String {
    format!(
        "load   {:<24} {} updates: raw log of {} entries synced in {:.1} ms; compacted ({} entries after the snapshot) in {:.1} ms",
        r.server,
        r.updates,
        r.raw_log_entries,
        r.raw_sync_ms,
        r.compacted_log_entries,
        r.compacted_sync_ms
    )
}

fn channels_line(workload: &str, r: &channels::ChannelsResult) -> String {
    format!(
        "{workload:<6} {} doc(s), {} observer(s), {:.0} updates/s for {:.1} s: {}/{} delivered ({:.0}/s), latency {}, server CPU {}{}",
        r.docs,
        r.observers,
        r.rate,
        r.seconds,
        r.deliveries,
        r.deliveries_expected,
        r.deliveries_per_second,
        r.latency,
        r.server_cpu_percent
            .map_or("?".into(), |cpu| format!("{cpu:.1}% of a core")),
        match r.converged {
            Some(true) => ", all converged",
            Some(false) => ", NOT all converged",
            None => "",
        }
    )
}

fn idle_line(r: &idle::IdleResult) -> String {
    format!(
        "idle   {} connections over {} documents: all synced in {:.2} s, {} per connection",
        r.connections,
        r.docs,
        r.connect_seconds,
        r.bytes_per_connection
            .map_or("?".into(), |b| format!("{:.1} KB", b / 1000.0))
    )
}
