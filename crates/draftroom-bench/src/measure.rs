//! What the workloads measure besides throughput: latency distributions,
//! and a server process's CPU time and memory, read from `/proc`.

use std::time::{Duration, Instant};

use anyhow::Context;
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

/// Latencies in microseconds, from 1 µs to 10 minutes at 3 significant
/// digits.
pub struct Latencies(Histogram<u64>);

impl Default for Latencies {
    fn default() -> Self {
        Latencies(Histogram::new_with_bounds(1, 600_000_000, 3).expect("the bounds are valid"))
    }
}

impl Latencies {
    pub fn record(&mut self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.0.saturating_record(micros.max(1));
    }

    pub fn add(&mut self, other: &Latencies) {
        // Both have the same bounds, so adding cannot fail.
        let _ = self.0.add(&other.0);
    }

    pub fn summary(&self) -> LatencySummary {
        let ms = |q: f64| self.0.value_at_quantile(q) as f64 / 1000.0;
        LatencySummary {
            p50_ms: ms(0.5),
            p99_ms: ms(0.99),
            max_ms: self.0.max() as f64 / 1000.0,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct LatencySummary {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl std::fmt::Display for LatencySummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            self.p50_ms, self.p99_ms, self.max_ms
        )
    }
}

/// Linux reports CPU times in /proc in units of USER_HZ, which is 100 on
/// every architecture.
const TICKS_PER_SECOND: f64 = 100.0;

/// A process's CPU time (user and system) so far.
pub fn cpu_seconds(pid: u32) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("could not read /proc/{pid}/stat"))?;
    // The command name may hold spaces; the fields after its ')' are fixed.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    // utime and stime are fields 14 and 15 of the whole line, so 12 and 13
    // after the state (field 3).
    let ticks = |i: usize| -> anyhow::Result<f64> {
        Ok(fields
            .get(i)
            .context("/proc/PID/stat is shorter than expected")?
            .parse::<f64>()?)
    };
    Ok((ticks(11)? + ticks(12)?) / TICKS_PER_SECOND)
}

/// A process's resident memory, in bytes.
pub fn rss_bytes(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("could not read /proc/{pid}/status"))?;
    let kb = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .context("no VmRSS in /proc/PID/status")?
        .parse::<u64>()?;
    Ok(kb * 1024)
}

/// Measures the share of one core a process uses over a stretch of time.
pub struct CpuMeter {
    pid: Option<u32>,
    cpu: f64,
    at: Instant,
}

impl CpuMeter {
    /// Starts measuring `pid` (no process: measures nothing).
    pub fn start(pid: Option<u32>) -> anyhow::Result<CpuMeter> {
        let cpu = pid.map(cpu_seconds).transpose()?.unwrap_or(0.0);
        Ok(CpuMeter {
            pid,
            cpu,
            at: Instant::now(),
        })
    }

    /// Percent of one core used since the start, if there is a process.
    pub fn percent_of_core(&self) -> anyhow::Result<Option<f64>> {
        let Some(pid) = self.pid else { return Ok(None) };
        let used = cpu_seconds(pid)? - self.cpu;
        Ok(Some(100.0 * used / self.at.elapsed().as_secs_f64()))
    }
}
