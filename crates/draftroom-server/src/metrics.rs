//! Counters for `/metrics`, in Prometheus' text format.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

/// Shared by every connection and room; plain atomics, so updating one is
/// a single instruction on the hot path.
#[derive(Debug, Default)]
pub(crate) struct Metrics {
    pub(crate) connections_open: AtomicU64,
    pub(crate) connections_total: AtomicU64,
    pub(crate) connections_refused_total: AtomicU64,
    pub(crate) updates_stored_total: AtomicU64,
    pub(crate) edits_refused_total: AtomicU64,
    pub(crate) edits_put_back_total: AtomicU64,
    pub(crate) connections_over_capacity_total: AtomicU64,
    pub(crate) documents_unloaded_for_room_total: AtomicU64,
}

impl Metrics {
    pub(crate) fn add(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn render(&self, documents_loaded: usize) -> String {
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, value: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
            );
        };
        let read = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        metric(
            "draftroom_documents_loaded",
            "gauge",
            "Documents loaded in memory.",
            documents_loaded as u64,
        );
        metric(
            "draftroom_connections_open",
            "gauge",
            "Open websocket connections.",
            read(&self.connections_open),
        );
        metric(
            "draftroom_connections_total",
            "counter",
            "Websocket connections accepted.",
            read(&self.connections_total),
        );
        metric(
            "draftroom_connections_refused_total",
            "counter",
            "Connections the server closed for what the client sent or how slowly it read.",
            read(&self.connections_refused_total),
        );
        metric(
            "draftroom_updates_stored_total",
            "counter",
            "Batches of edits stored and broadcast.",
            read(&self.updates_stored_total),
        );
        metric(
            "draftroom_edits_refused_total",
            "counter",
            "Edits that were well formed but could not be applied.",
            read(&self.edits_refused_total),
        );
        metric(
            "draftroom_edits_put_back_total",
            "counter",
            "Edits that changed a text their editor may not change, and were put back.",
            read(&self.edits_put_back_total),
        );
        metric(
            "draftroom_connections_over_capacity_total",
            "counter",
            "TCP connections refused because the server held as many as it may.",
            read(&self.connections_over_capacity_total),
        );
        metric(
            "draftroom_documents_unloaded_for_room_total",
            "counter",
            "Documents unloaded before their idle time to keep within --max-open-documents.",
            read(&self.documents_unloaded_for_room_total),
        );
        out
    }
}
