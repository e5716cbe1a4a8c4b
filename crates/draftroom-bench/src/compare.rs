//! `compare`: every workload against Draftroom (embedded store, and Redis
//! with `appendfsync always`) and the reference servers, in one run, written
//! out as a Markdown report with each server side by side.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use draftroom_testkit::{RedisOptions, RedisServer};
use serde::{Deserialize, Serialize};

use crate::channels::{self, ChannelsResult, Plan};
use crate::idle::{self, IdleResult};
use crate::measure::LatencySummary;
use crate::replay::{self, LoadResult, Pace, TraceResult};
use crate::server::{self, Running, Target, describe, output_of};
use crate::trace::{self, Replay};

#[derive(clap::Args)]
pub struct CompareArgs {
    /// The draftroom binary (a release build).
    #[arg(long, required_unless_present = "render")]
    draftroom: Option<PathBuf>,
    /// The directory holding `node_modules/@y/websocket-server` (see
    /// `bench/`); without it, that server is left out.
    #[arg(long)]
    y_websocket: Option<PathBuf>,
    /// The y-sweet binary; without it, y-sweet is left out.
    #[arg(long)]
    y_sweet: Option<PathBuf>,
    #[arg(long, default_value = crate::trace::DEFAULT_TRACE)]
    trace: PathBuf,
    /// Where to write the report (none: only the JSON lines on stdout).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Small counts and short runs: checks that everything works, in
    /// seconds; its figures mean nothing.
    #[arg(long)]
    quick: bool,
    /// Measure nothing: write the report again from the results an earlier
    /// run kept beside it (`--out X.md` keeps them in `X.json`).
    #[arg(long, conflicts_with_all = ["draftroom", "y_websocket", "y_sweet", "quick"])]
    render: Option<PathBuf>,
}

/// Everything a run measured, kept so that the report can be written again.
#[derive(Serialize, Deserialize)]
struct Results {
    quick: bool,
    /// The day the run was made (UTC).
    date: String,
    redis_version: String,
    columns: Vec<Column>,
}

/// The sizes of one comparison run.
struct Sizes {
    trace_limit: Option<usize>,
    paced_seconds: f64,
    observers: usize,
    channel_seconds: f64,
    idle: usize,
    docs: usize,
    docs_rates: [f64; 2],
}

const FULL: Sizes = Sizes {
    trace_limit: None,
    paced_seconds: 10.0,
    observers: 1000,
    channel_seconds: 10.0,
    idle: 10_000,
    docs: 100,
    docs_rates: [5_000.0, 50_000.0],
};

const QUICK: Sizes = Sizes {
    trace_limit: Some(2_000),
    paced_seconds: 0.5,
    observers: 20,
    channel_seconds: 1.0,
    idle: 200,
    docs: 10,
    docs_rates: [500.0, 5_000.0],
};

const FANOUT_RATES: [f64; 2] = [100.0, 1_000.0];

/// A trace run stops here, counting what arrived: some servers slow down
/// as the document grows, and would take most of an hour.
const TRACE_LIMIT: Duration = Duration::from_secs(120);
const PACED_RATES: [f64; 2] = [1_000.0, 10_000.0];

/// One server's results, workload by workload (an error as its message).
#[derive(Serialize, Deserialize, Default)]
struct Column {
    server: String,
    version: String,
    trace: Option<Result<TraceResult, String>>,
    paced: Vec<Result<TraceResult, String>>,
    fanout: Vec<Result<ChannelsResult, String>>,
    idle: Option<Result<IdleResult, String>>,
    docs: Vec<Result<ChannelsResult, String>>,
    load: Option<Result<LoadResult, String>>,
}

pub async fn run(args: CompareArgs) -> anyhow::Result<()> {
    let results = match &args.render {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("could not read {}", path.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("{} holds no comparison results", path.display()))?
        }
        None => measure_all(&args).await?,
    };
    let report = render(&results);
    match &args.out {
        Some(path) => {
            std::fs::write(path, report)
                .with_context(|| format!("could not write {}", path.display()))?;
            if args.render.is_none() {
                let kept = path.with_extension("json");
                std::fs::write(&kept, serde_json::to_string_pretty(&results)?)
                    .with_context(|| format!("could not write {}", kept.display()))?;
            }
            eprintln!("wrote {}", path.display());
        }
        None => eprintln!("{report}"),
    }
    let columns = &results.columns;
    // The reference servers' failures are theirs to report; Draftroom's
    // are bugs, and fail the run (so the smoke run in the tests catches them).
    let faults: Vec<String> = columns
        .iter()
        .filter(|c| c.server.starts_with("draftroom"))
        .flat_map(Column::faults)
        .collect();
    if !faults.is_empty() {
        bail!("draftroom failed:\n{}", faults.join("\n"));
    }
    Ok(())
}

impl Column {
    /// What went wrong in this column: failed workloads, and channels that
    /// did not deliver everything or converge.
    fn faults(&self) -> Vec<String> {
        let mut faults = Vec::new();
        let mut check = |what: &str, failed: Option<&String>| {
            if let Some(error) = failed {
                faults.push(format!("{}: {what}: {error}", self.server));
            }
        };
        check("trace", self.trace.as_ref().and_then(|r| r.as_ref().err()));
        for r in &self.paced {
            check("paced trace", r.as_ref().err());
        }
        check("idle", self.idle.as_ref().and_then(|r| r.as_ref().err()));
        check("load", self.load.as_ref().and_then(|r| r.as_ref().err()));
        for (what, results) in [("fanout", &self.fanout), ("docs", &self.docs)] {
            for r in results {
                match r {
                    Err(error) => check(what, Some(error)),
                    Ok(r) if r.deliveries < r.deliveries_expected || r.converged == Some(false) => {
                        let short = format!(
                            "at {} updates/s, {} of {} delivered, converged {:?}",
                            r.rate, r.deliveries, r.deliveries_expected, r.converged
                        );
                        check(what, Some(&short));
                    }
                    Ok(_) => {}
                }
            }
        }
        faults
    }
}

async fn measure_all(args: &CompareArgs) -> anyhow::Result<Results> {
    let draftroom = args
        .draftroom
        .clone()
        .context("--draftroom names the binary to measure")?;
    let sizes = if args.quick { QUICK } else { FULL };
    let full = trace::load(&args.trace, sizes.trace_limit)?;
    // The paced runs send the trace's first seconds' worth, the same for
    // every server.
    let paced = PACED_RATES
        .iter()
        .map(|&rate| {
            let limit = ((rate * sizes.paced_seconds) as usize).min(full.updates.len());
            Ok((rate, trace::load(&args.trace, Some(limit))?))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let redis = RedisServer::start(RedisOptions::default());
    let mut targets = vec![
        Target {
            draftroom: Some(draftroom.clone()),
            ..Target::default()
        },
        Target {
            draftroom: Some(draftroom),
            store: Some(redis.url()),
            ..Target::default()
        },
    ];
    if let Some(dir) = &args.y_websocket {
        targets.push(Target {
            y_websocket: Some(dir.clone()),
            ..Target::default()
        });
    }
    if let Some(binary) = &args.y_sweet {
        targets.push(Target {
            y_sweet: Some(binary.clone()),
            ..Target::default()
        });
    }
    let mut columns = Vec::new();
    for (i, target) in targets.iter().enumerate() {
        let column = measure(target, &sizes, &full, &paced, i).await?;
        println!("{}", serde_json::to_string(&column)?);
        columns.push(column);
    }
    Ok(Results {
        quick: args.quick,
        date: output_of("date", &["-u", "+%Y-%m-%d"]),
        redis_version: output_of("redis-server", &["--version"]),
        columns,
    })
}

/// Runs every workload against one server, each on a freshly started
/// process, and keeps each outcome, failures included.
async fn measure(
    target: &Target,
    sizes: &Sizes,
    full: &Replay,
    paced: &[(f64, Replay)],
    index: usize,
) -> anyhow::Result<Column> {
    let mut column = Column {
        server: target.name(),
        version: describe(target),
        ..Column::default()
    };
    eprintln!("== {}", column.server);
    let doc = |what: &str| format!("{what}-{}-{index}", std::process::id());

    column.trace = Some(
        on_fresh(target, async |running| {
            let pace = Pace {
                rate: None,
                batch: 64,
                limit: Some(TRACE_LIMIT),
            };
            replay::replay_trace(running, &doc("trace"), (0, 0), full, pace).await
        })
        .await,
    );
    for (rate, paced) in paced {
        let rate = *rate;
        let doc = doc(&format!("paced{rate}"));
        column.paced.push(
            on_fresh(target, async |running| {
                let pace = Pace {
                    rate: Some(rate),
                    batch: 1,
                    limit: Some(TRACE_LIMIT),
                };
                replay::replay_trace(running, &doc, (0, 0), paced, pace).await
            })
            .await,
        );
    }
    for rate in FANOUT_RATES {
        let plan = Plan::fanout(sizes.observers, rate, sizes.channel_seconds);
        let prefix = doc(&format!("fanout{rate}"));
        column.fanout.push(
            on_fresh(target, async |running| {
                channels::run(running, &prefix, plan).await
            })
            .await,
        );
    }
    column.idle = Some(
        on_fresh(target, async |running| {
            idle::run(running, sizes.idle, 100, Duration::ZERO).await
        })
        .await,
    );
    for rate in sizes.docs_rates {
        let plan = Plan::docs(sizes.docs, rate, sizes.channel_seconds);
        let prefix = doc(&format!("docs{rate}"));
        column.docs.push(
            on_fresh(target, async |running| {
                channels::run(running, &prefix, plan).await
            })
            .await,
        );
    }
    if target.draftroom.is_some() {
        column.load = Some(match target.start(1, &[]).await {
            Ok(running) => replay::load(running, full, 64)
                .await
                .map_err(|error| format!("{error:#}")),
            Err(error) => Err(format!("{error:#}")),
        });
    }
    Ok(column)
}

/// Runs `work` on a freshly started server; a failure becomes its
/// message, so one server's failing workload does not end the comparison.
async fn on_fresh<T>(
    target: &Target,
    work: impl AsyncFnOnce(&Running) -> anyhow::Result<T>,
) -> Result<T, String> {
    let result = server::on(target, 1, work)
        .await
        .map_err(|e| format!("{e:#}"));
    if let Err(error) = &result {
        eprintln!("   failed: {error}");
    }
    result
}

fn cell<T>(result: Option<&Result<T, String>>, show: impl Fn(&T) -> String) -> String {
    match result {
        Some(Ok(value)) => show(value),
        Some(Err(error)) => format!(
            "failed: {}",
            error.replace('|', "/").lines().next().unwrap_or("")
        ),
        None => "n/a".into(),
    }
}

fn per_second(n: f64) -> String {
    let n = n.round() as u64;
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn trace_rate(r: &TraceResult) -> String {
    if r.delivered == r.updates {
        per_second(r.updates_per_second)
    } else {
        format!(
            "{} (stopped after {:.0} s, {} of {} delivered)",
            per_second(r.updates_per_second),
            r.seconds,
            per_second(r.delivered as f64),
            per_second(r.updates as f64)
        )
    }
}

fn latency(l: &LatencySummary) -> String {
    format!("{:.2} / {:.2} ms", l.p50_ms, l.p99_ms)
}

fn cpu(percent: Option<f64>) -> String {
    percent.map_or("?".into(), |p| format!("{p:.1}%"))
}

fn delivered(r: &ChannelsResult) -> String {
    if r.deliveries == r.deliveries_expected {
        per_second(r.deliveries_per_second)
    } else {
        format!(
            "{} ({} of {} delivered)",
            per_second(r.deliveries_per_second),
            r.deliveries,
            r.deliveries_expected
        )
    }
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or("unknown CPU".into(), |(_, name)| name.trim().to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        })
        .map_or("?".into(), |kb| {
            format!("{:.0} GiB", kb as f64 / 1024.0 / 1024.0)
        });
    format!("{model}, {cores} cores, {memory}")
}

fn render(results: &Results) -> String {
    let sizes = if results.quick { QUICK } else { FULL };
    let columns = &results.columns;
    let redis_version = &results.redis_version;
    let mut out = String::new();
    let date = &results.date;
    let _ = writeln!(out, "# Benchmarks\n");
    let _ = writeln!(
        out,
        "Every figure below comes from one run of `draftroom-bench compare`{} on {date}, on this machine: {}. The load generator ran on the same machine, over loopback, with 2 worker threads; each workload ran against a freshly started server process.\n",
        if results.quick {
            " --quick (smoke sizes: these figures mean nothing)"
        } else {
            ""
        },
        machine()
    );
    let _ = writeln!(out, "```sh\n./bench/compare\n```\n");
    let _ = writeln!(
        out,
        "`bench/compare` builds the release binaries, installs the reference servers into `bench/` if missing (`npm ci` for `@y/websocket-server`, `cargo install y-sweet`), and runs `draftroom-bench compare --draftroom target/release/draftroom --y-websocket bench --y-sweet bench/.tools/bin/y-sweet --out docs/benchmarks.md`.\n"
    );
    let _ = writeln!(out, "## Servers\n");
    let _ = writeln!(out, "| column | what ran |\n|---|---|");
    for column in columns {
        let what = match column.server.as_str() {
            "draftroom (embedded)" => format!(
                "{}, embedded store (redb) with an fsync per group commit",
                column.version
            ),
            "draftroom (redis)" => format!(
                "{}, on {redis_version} with `appendonly yes`, `appendfsync always` (every acknowledged update on disk)",
                column.version
            ),
            "@y/websocket-server" => format!(
                "{}, the reference server of the y-websocket project; keeps documents in memory only",
                column.version
            ),
            "y-sweet" => format!(
                "{}, in memory (no store directory), no auth",
                column.version
            ),
            _ => column.version.clone(),
        };
        let _ = writeln!(out, "| {} | {what} |", column.server);
    }
    out.push('\n');

    let header = |out: &mut String, title: &str, prose: String| {
        let _ = writeln!(out, "## {title}\n\n{prose}\n");
        let _ = write!(out, "| |");
        for column in columns {
            let _ = write!(out, " {} |", column.server);
        }
        let _ = write!(out, "\n|---|");
        for _ in columns {
            let _ = write!(out, "---|");
        }
        out.push('\n');
    };
    let row = |out: &mut String, label: &str, value: &dyn Fn(&Column) -> String| {
        let _ = write!(out, "| {label} |");
        for column in columns {
            let _ = write!(out, " {} |", value(column));
        }
        out.push('\n');
    };

    let updates = columns
        .first()
        .and_then(|c| c.trace.as_ref())
        .and_then(|r| r.as_ref().ok())
        .map_or(0, |r| r.updates);
    header(
        &mut out,
        "Trace: one writer to one reader",
        format!(
            "The automerge-paper editing trace ({} edits), each edit its own Yjs update message, from a writer connection to a reader connection of one document. Unpaced, the writer sends as fast as it can (64 frames per write); paced, it sends each update in its own write at a fixed rate for {} s. Latency runs from an update's send to the reader holding it; the run fails unless the reader ends with the trace's final text.",
            per_second(updates as f64),
            sizes.paced_seconds
        ),
    );
    row(&mut out, "updates/s, unpaced", &|c| {
        cell(c.trace.as_ref(), trace_rate)
    });
    row(&mut out, "latency p50 / p99, unpaced", &|c| {
        cell(c.trace.as_ref(), |r| latency(&r.latency))
    });
    for (i, rate) in PACED_RATES.iter().enumerate() {
        row(
            &mut out,
            &format!("latency p50 / p99, {} updates/s", per_second(*rate)),
            &|c| cell(c.paced.get(i), |r| latency(&r.latency)),
        );
    }
    out.push('\n');

    header(
        &mut out,
        "Fan-out: one writer, many observers",
        format!(
            "One writer appends a numbered marker per update at a fixed rate for {} s; {} observers of the same document find the markers in what they receive. Deliveries are updates received, over all observers, per second; latency is per update and observer; CPU is the server process's, in percent of one core, while the writer wrote.",
            sizes.channel_seconds,
            per_second(sizes.observers as f64)
        ),
    );
    for (i, rate) in FANOUT_RATES.iter().enumerate() {
        let rate = per_second(*rate);
        row(&mut out, &format!("{rate} updates/s: deliveries/s"), &|c| {
            cell(c.fanout.get(i), delivered)
        });
        row(
            &mut out,
            &format!("{rate} updates/s: latency p50 / p99"),
            &|c| cell(c.fanout.get(i), |r| latency(&r.latency)),
        );
        row(&mut out, &format!("{rate} updates/s: server CPU"), &|c| {
            cell(c.fanout.get(i), |r| cpu(r.server_cpu_percent))
        });
    }
    out.push('\n');

    header(
        &mut out,
        "Idle connections",
        format!(
            "{} connections over 100 documents, from 8 loopback source addresses, 256 opening at once, each synced and then idle. Memory is the growth of the server's resident set, two seconds after the last connection synced, divided by the connections.",
            per_second(sizes.idle as f64)
        ),
    );
    row(&mut out, "memory per connection", &|c| {
        cell(c.idle.as_ref(), |r| {
            r.bytes_per_connection
                .map_or("?".into(), |b| format!("{:.1} KB", b / 1000.0))
        })
    });
    row(&mut out, "time to connect and sync all", &|c| {
        cell(c.idle.as_ref(), |r| format!("{:.2} s", r.connect_seconds))
    });
    out.push('\n');

    header(
        &mut out,
        "Many documents",
        format!(
            "{} documents, each with a writer appending markers and an observer applying every update to a Yjs document of its own, at a fixed total rate for {} s. Converged: every observer ended with its writer's text.",
            sizes.docs, sizes.channel_seconds
        ),
    );
    for (i, rate) in sizes.docs_rates.iter().enumerate() {
        let rate = per_second(*rate);
        row(&mut out, &format!("{rate} updates/s: server CPU"), &|c| {
            cell(c.docs.get(i), |r| cpu(r.server_cpu_percent))
        });
        row(
            &mut out,
            &format!("{rate} updates/s: latency p50 / p99"),
            &|c| cell(c.docs.get(i), |r| latency(&r.latency)),
        );
        row(
            &mut out,
            &format!("{rate} updates/s: deliveries/s, converged"),
            &|c| {
                cell(c.docs.get(i), |r| {
                    format!(
                        "{}, {}",
                        delivered(r),
                        if r.converged == Some(true) {
                            "yes"
                        } else {
                            "NO"
                        }
                    )
                })
            },
        );
    }
    out.push('\n');

    header(
        &mut out,
        "Loading a document with a whole trace's history",
        "The document built from the whole trace (each edit sent as its own update) on a server that never compacts, which is then killed (so it writes no snapshot); a newcomer's time from opening its connection to holding the final text on a fresh server reading the raw log, and again after a clean stop wrote a snapshot. Draftroom only: the reference servers keep nothing."
            .to_string(),
    );
    row(&mut out, "raw log: entries, connect to synced", &|c| {
        cell(c.load.as_ref(), |r| {
            format!("{} entries, {:.1} ms", r.raw_log_entries, r.raw_sync_ms)
        })
    });
    row(
        &mut out,
        "compacted: entries after the snapshot, connect to synced",
        &|c| {
            cell(c.load.as_ref(), |r| {
                format!(
                    "{} entries, {:.1} ms",
                    r.compacted_log_entries, r.compacted_sync_ms
                )
            })
        },
    );
    out.push('\n');

    if !results.quick {
        out.push_str(&targets(columns));
    }
    let _ = writeln!(out, "## Credits\n");
    let _ = writeln!(
        out,
        "The trace is `automerge-paper` from Joseph Gentle's `josephg/editing-traces` collection, used under CC BY 4.0 (recorded by Martin Kleppmann while writing a paper, from the automerge-perf repository)."
    );
    out
}

/// The issue's targets for Draftroom, each against what this run measured.
fn targets(columns: &[Column]) -> String {
    let draftroom: Vec<&Column> = columns
        .iter()
        .filter(|c| c.server.starts_with("draftroom"))
        .collect();
    let mut out = String::from(
        "## Draftroom against its targets\n\nRelease build, this machine, the load generator beside it. A target missed is reported as measured; the notes below the table say where the time goes.\n\n| target |",
    );
    for column in &draftroom {
        let _ = write!(out, " {} |", column.server);
    }
    out.push_str("\n|---|");
    for _ in &draftroom {
        out.push_str("---|");
    }
    out.push('\n');
    let mut row = |target: &str, value: &dyn Fn(&Column) -> String| {
        let _ = write!(out, "| {target} |");
        for column in &draftroom {
            let _ = write!(out, " {} |", value(column));
        }
        out.push('\n');
    };
    let mark = |met: bool| if met { "met" } else { "missed" };
    row(
        "trace: at least 150,000 updates/s end to end (with Redis persistence)",
        &|c| {
            cell(c.trace.as_ref(), |r| {
                format!(
                    "{} updates/s ({})",
                    per_second(r.updates_per_second),
                    mark(r.updates_per_second >= 150_000.0)
                )
            })
        },
    );
    row("trace: p99 under 2 ms at 10,000 updates/s", &|c| {
        cell(c.paced.get(1), |r| {
            against(r.latency.p99_ms, 2, "ms", r.latency.p99_ms < 2.0)
        })
    });
    // The reference server's p99 in this same run, which Draftroom's is
    // held to.
    let reference_p99 = columns
        .iter()
        .find(|c| c.server == "@y/websocket-server")
        .and_then(|c| c.fanout.first())
        .and_then(|r| r.as_ref().ok())
        .map(|r| r.latency.p99_ms);
    row(
        "fan-out: 100 updates/s to 1,000 observers at p99 below the reference server's in the same run",
        &|c| {
            cell(c.fanout.first(), |r| match reference_p99 {
                Some(reference) => format!(
                    "{:.2} ms against {reference:.2} ms ({})",
                    r.latency.p99_ms,
                    mark(r.latency.p99_ms < reference)
                ),
                None => format!("{:.2} ms (no reference in this run)", r.latency.p99_ms),
            })
        },
    );
    row(
        "fan-out: 100 updates/s to 1,000 observers at 25% of a core or less",
        &|c| {
            cell(c.fanout.first(), |r| {
                let cpu_percent = r.server_cpu_percent.unwrap_or(f64::INFINITY);
                format!("{cpu_percent:.1}% ({})", mark(cpu_percent <= 25.0))
            })
        },
    );
    row(
        "fan-out: 1,000 updates/s to 1,000 observers (1M deliveries/s) at p99 under 50 ms",
        &|c| {
            cell(c.fanout.get(1), |r| {
                let met = r.latency.p99_ms < 50.0
                    && r.deliveries == r.deliveries_expected
                    && r.deliveries_per_second >= 900_000.0;
                format!(
                    "{} deliveries/s, p99 {:.2} ms ({})",
                    per_second(r.deliveries_per_second),
                    r.latency.p99_ms,
                    mark(met)
                )
            })
        },
    );
    row("idle: 10,000 connections at 4 KB or less each", &|c| {
        cell(c.idle.as_ref(), |r| {
            let bytes = r.bytes_per_connection.unwrap_or(f64::INFINITY);
            format!("{:.1} KB ({})", bytes / 1000.0, mark(bytes <= 4000.0))
        })
    });
    row("idle: all connected within 2 s", &|c| {
        cell(c.idle.as_ref(), |r| {
            against(r.connect_seconds, 2, "s", r.connect_seconds <= 2.0)
        })
    });
    row("load: compacted trace document synced within 10 ms", &|c| {
        cell(c.load.as_ref(), |r| {
            against(r.compacted_sync_ms, 1, "ms", r.compacted_sync_ms <= 10.0)
        })
    });
    row("load: raw 259,778-update log within 300 ms", &|c| {
        cell(c.load.as_ref(), |r| {
            against(r.raw_sync_ms, 1, "ms", r.raw_sync_ms <= 300.0)
        })
    });
    row(
        "docs: 5,000 updates/s in total at 10% of a core or less",
        &|c| {
            cell(c.docs.first(), |r| {
                let cpu_percent = r.server_cpu_percent.unwrap_or(f64::INFINITY);
                format!("{cpu_percent:.1}% ({})", mark(cpu_percent <= 10.0))
            })
        },
    );
    row(
        "docs: 50,000 updates/s in total sustained, every document converged",
        &|c| {
            cell(c.docs.get(1), |r| {
                let met = r.converged == Some(true)
                    && r.deliveries == r.deliveries_expected
                    && r.deliveries_per_second >= 45_000.0;
                format!(
                    "{} delivered/s, converged: {} ({})",
                    per_second(r.deliveries_per_second),
                    if r.converged == Some(true) {
                        "yes"
                    } else {
                        "no"
                    },
                    mark(met)
                )
            })
        },
    );
    out.push('\n');
    out.push_str(WHERE_THE_TIME_GOES);
    out
}

/// What profiles of the missed targets showed (taken with `perf record`
/// and `heaptrack` on this machine, against the same workloads).
const WHERE_THE_TIME_GOES: &str = "### Where the time goes

- **Fan-out.** At 100 updates/s to 1,000 observers the server sent 100,000 frames/s, one `sendto` per observer per update (frames bound for different sockets cannot be merged). `perf record -g -p PID` on the server: 66% of its CPU is the kernel's TCP send path, which on loopback also runs the receiving side (`net_rx_action`, `tcp_v4_rcv`); the rest is spread thin over tokio's wakeups and tungstenite's framing. The 1,000 observers of the load generator cost as much again (`recv`, and the ACKs they send), so on 2 cores both processes queue, and the latency measured is mostly that queueing. Each broadcast frame is encoded once and shared (`Bytes`), sockets set TCP_NODELAY, and a send arms a timer only when it cannot complete at once. Fewer sends, then: read-only connections have a broadcast channel of their own, and the updates of each `--watch-window` reach them merged into one update in one frame, while editors still hear each update at once. On 2026-12-02, `draftroom-bench fanout --draftroom target/release/draftroom --observers 1000 --rate 100 --seconds 10 --serve-arg=--watch-window --serve-arg=W` (embedded store) gave, for W = 0 (each update at once) / 10 / 20 (the default) / 30 / 50 ms, server CPU 108.7 / 62.7 / 42.1-45.3 / 38.0 / 27.3% of a core, latency p99 46 / 44 / 46-151 / 59 / 76 ms (p50 18 / 21 / 26 / 33 / 41 ms); at 1,000 updates/s with 20 ms, 60.2% (110% before) and p99 51 ms. The p99 varies from run to run by as much as the window: the observers' merged frames arrive together, and the load generator's 1,000 sockets queue behind each other on the same 2 cores.
- **Trace latency at 10,000 updates/s.** Every update is stored before it is broadcast, so an update waits for the write in flight and then its own. This disk's `fsync` takes 0.24 ms at the median and 4 ms at p99 (500 calls of a Python loop); on a tmpfs store the same run gives p50 0.6 ms, p99 2.6-5.8 ms, the rest being the two cores shared with the load generator.
- **Idle memory.** `heaptrack` with 4,000 idle connections (before each connection had its own reply channel, which added about 0.3 KB of resident memory: 5.7 to 6.0 KB per connection, and saved 0.4 s of connect time over 10,000 connections): about 4.5 KB of live heap per connection, of which the connection's task about 2 KB (its state boxed, so the task does not keep a second copy of the socket), tungstenite's read buffer 1 KiB (the default, 128 KiB, is zeroed before every read), tokio's I/O registration 256 B and the keepalive timer 112 B. Each open document adds a 1,024-slot broadcast ring (73 KB), shared by its connections. Resident memory per connection is above the live heap by malloc's own overhead.
- **Many documents at 5,000 updates/s.** 40% of the server's CPU is the embedded store's writer thread: redb's commit (21%, of which `fdatasync` 10%) and its table inserts (17%). At 50 updates/s per document most commits carry a few updates; the rest is two socket operations and one yrs transaction per update.
- **Loading the compacted document.** The time counts the websocket handshake, reading the snapshot, applying it to a fresh `yrs::Doc`, encoding the 355 KB state for the newcomer and the newcomer applying it; it was not profiled further.

";

/// A measured figure, and whether it met its target.
fn against(value: f64, decimals: usize, unit: &str, met: bool) -> String {
    format!(
        "{value:.decimals$} {unit} ({})",
        if met { "met" } else { "missed" }
    )
}
