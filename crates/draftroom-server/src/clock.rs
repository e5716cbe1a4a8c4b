//! The server's clock: the model takes times as values, and this is where
//! they come from.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as RFC 3339 with milliseconds (`2026-11-28T10:00:00.123Z`): how
/// records and the audit log carry times.
pub(crate) fn now_rfc3339() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}

/// Now, in whole seconds since the Unix epoch: how tokens carry times.
pub(crate) fn now_secs() -> u64 {
    now_millis() / 1000
}

/// Now, in milliseconds since the Unix epoch.
pub(crate) fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}
