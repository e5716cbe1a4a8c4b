//! Awareness (who is here, where their cursor is) for one document, kept by
//! the server so that late joiners see everyone at once.
//!
//! The rules are y-protocols' own, with one addition a server must make: a
//! client id belongs to the user who first spoke for it, so nobody can speak
//! in awareness for somebody else. A reconnecting user takes over their own
//! ids from a connection the server has not yet seen die. Entries go when
//! their connection closes, or when they are not renewed in time.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::Malformed;
use crate::reader::{Reader, write_buf, write_var_u64};

/// How long an entry lives without being renewed (y-protocols' `outdatedTimeout`).
pub const AWARENESS_TIMEOUT: Duration = Duration::from_secs(30);

/// How many client ids one connection may speak for, counting those it
/// left (kept a while as tombstones). A stock client uses one; a client
/// that changes its id (Yjs does so when it detects a clash) needs a few
/// more over its life.
pub const MAX_CLIENTS_PER_CONNECTION: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwarenessEntry {
    pub client: u64,
    pub clock: u64,
    /// The state as JSON text, or `None` when the client left.
    pub state: Option<Arc<str>>,
}

/// A decoded awareness update: what each listed client now says of itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwarenessUpdate {
    pub entries: Vec<AwarenessEntry>,
}

impl AwarenessUpdate {
    pub fn decode(bytes: &[u8]) -> Result<Self, Malformed> {
        let mut reader = Reader::new(bytes);
        let count = reader.read_var_u32()?;
        let mut entries = Vec::new();
        for _ in 0..count {
            let client = reader.read_var_u64()?;
            let clock = reader.read_var_u64()?;
            let json = reader.read_string()?;
            // Every other client will `JSON.parse` this text, so it must parse.
            serde_json::from_str::<serde::de::IgnoredAny>(json)
                .map_err(|_| Malformed::InvalidJson)?;
            let state = (json != "null").then(|| Arc::from(json));
            entries.push(AwarenessEntry {
                client,
                clock,
                state,
            });
        }
        reader.expect_end()?;
        Ok(AwarenessUpdate { entries })
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        write_var_u64(&mut out, self.entries.len() as u64);
        for entry in &self.entries {
            write_var_u64(&mut out, entry.client);
            write_var_u64(&mut out, entry.clock);
            write_buf(
                &mut out,
                entry.state.as_deref().unwrap_or("null").as_bytes(),
            );
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Who speaks for an awareness client: a connection, and the user it signed in as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    pub connection: u64,
    pub user: Arc<str>,
}

#[derive(Debug)]
struct Entry {
    clock: u64,
    state: Option<Arc<str>>,
    speaker: Speaker,
    renewed: Instant,
}

/// The awareness of one document. Entries of clients that left are kept for
/// a while as tombstones so their clocks still order late messages.
#[derive(Debug, Default)]
pub struct AwarenessTable {
    entries: HashMap<u64, Entry>,
    /// Entries (live or tombstones) per connection that made them, so the
    /// cap costs a lookup, not a scan, and tombstones count against it.
    per_connection: HashMap<u64, usize>,
}

impl AwarenessTable {
    /// Applies what `speaker` says and returns the entries that changed, to
    /// be sent to everyone else.
    ///
    /// Entries that are not the speaker's to set are passed over without
    /// complaint: stock clients relay every awareness change they hear,
    /// so other users' entries arrive from every connection.
    pub fn apply(
        &mut self,
        speaker: &Speaker,
        update: AwarenessUpdate,
        now: Instant,
    ) -> AwarenessUpdate {
        let mut changed = AwarenessUpdate::default();
        for entry in update.entries {
            let applies = match self.entries.get(&entry.client) {
                // Someone else's client: a relay, or an attempt to speak for them.
                Some(existing) if existing.speaker.user != speaker.user => false,
                Some(existing) => {
                    existing.clock < entry.clock
                        || (existing.clock == entry.clock
                            && entry.state.is_none()
                            && existing.state.is_some())
                }
                None => {
                    entry.state.is_some()
                        && self
                            .per_connection
                            .get(&speaker.connection)
                            .copied()
                            .unwrap_or(0)
                            < MAX_CLIENTS_PER_CONNECTION
                }
            };
            if !applies {
                continue;
            }
            let previous = self.entries.insert(
                entry.client,
                Entry {
                    clock: entry.clock,
                    state: entry.state.clone(),
                    speaker: speaker.clone(),
                    renewed: now,
                },
            );
            if previous.as_ref().map(|p| p.speaker.connection) != Some(speaker.connection) {
                if let Some(previous) = previous {
                    self.forget_one(previous.speaker.connection);
                }
                *self.per_connection.entry(speaker.connection).or_default() += 1;
            }
            changed.entries.push(entry);
        }
        changed
    }

    fn forget_one(&mut self, connection: u64) {
        if let Some(count) = self.per_connection.get_mut(&connection) {
            *count -= 1;
            if *count == 0 {
                self.per_connection.remove(&connection);
            }
        }
    }

    /// Removes what a closed connection spoke for; returns the removals to send.
    pub fn remove_connection(&mut self, connection: u64, now: Instant) -> AwarenessUpdate {
        self.remove_where(now, |entry| entry.speaker.connection == connection)
    }

    /// Removes entries not renewed within [`AWARENESS_TIMEOUT`] and forgets
    /// old tombstones; returns the removals to send.
    pub fn expire(&mut self, now: Instant) -> AwarenessUpdate {
        self.entries.retain(|_, entry| {
            entry.state.is_some()
                || now.saturating_duration_since(entry.renewed) < AWARENESS_TIMEOUT * 2
        });
        self.remove_where(now, |entry| {
            now.saturating_duration_since(entry.renewed) >= AWARENESS_TIMEOUT
        })
    }

    fn remove_where(
        &mut self,
        now: Instant,
        mut gone: impl FnMut(&Entry) -> bool,
    ) -> AwarenessUpdate {
        let mut removed = AwarenessUpdate::default();
        for (&client, entry) in self.entries.iter_mut() {
            if entry.state.is_some() && gone(entry) {
                // The same clock with a null state: y-protocols' removal.
                entry.state = None;
                entry.renewed = now;
                removed.entries.push(AwarenessEntry {
                    client,
                    clock: entry.clock,
                    state: None,
                });
            }
        }
        removed
    }

    /// Every present client, for a newcomer or a query.
    pub fn snapshot(&self) -> AwarenessUpdate {
        AwarenessUpdate {
            entries: self
                .entries
                .iter()
                .filter_map(|(&client, entry)| {
                    entry.state.as_ref().map(|state| AwarenessEntry {
                        client,
                        clock: entry.clock,
                        state: Some(state.clone()),
                    })
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speaker(connection: u64, user: &str) -> Speaker {
        Speaker {
            connection,
            user: user.into(),
        }
    }

    fn says(client: u64, clock: u64, state: Option<&str>) -> AwarenessUpdate {
        AwarenessUpdate {
            entries: vec![AwarenessEntry {
                client,
                clock,
                state: state.map(Arc::from),
            }],
        }
    }

    #[test]
    fn encodes_and_decodes() {
        let update = says(42, 3, Some(r#"{"user":{"name":"Ana"}}"#));
        assert_eq!(AwarenessUpdate::decode(&update.encode()), Ok(update));
        let gone = says(42, 4, None);
        assert_eq!(AwarenessUpdate::decode(&gone.encode()), Ok(gone));
    }

    #[test]
    fn refuses_state_that_is_not_json() {
        let mut bytes = vec![1, 42, 1];
        write_buf(&mut bytes, b"{not json");
        assert_eq!(AwarenessUpdate::decode(&bytes), Err(Malformed::InvalidJson));
    }

    fn count(update: AwarenessUpdate) -> usize {
        update.entries.len()
    }

    #[test]
    fn newer_clocks_win_and_stale_ones_are_dropped() {
        let now = Instant::now();
        let mut table = AwarenessTable::default();
        let ana = speaker(1, "ana");
        assert_eq!(count(table.apply(&ana, says(7, 2, Some("{}")), now)), 1);
        assert_eq!(count(table.apply(&ana, says(7, 1, Some("{}")), now)), 0);
        assert_eq!(count(table.apply(&ana, says(7, 2, None), now)), 1);
        assert!(table.snapshot().is_empty());
    }

    #[test]
    fn nobody_speaks_for_another_user() {
        let now = Instant::now();
        let mut table = AwarenessTable::default();
        table.apply(&speaker(1, "ana"), says(7, 1, Some(r#"{"n":"ana"}"#)), now);
        assert_eq!(
            count(table.apply(&speaker(2, "bo"), says(7, 2, Some(r#"{"n":"bo"}"#)), now)),
            0
        );
        assert_eq!(
            count(table.apply(&speaker(2, "bo"), says(7, 1, None), now)),
            0
        );
        assert_eq!(table.snapshot(), says(7, 1, Some(r#"{"n":"ana"}"#)));
        // Ana reconnecting takes her id over; closing the old connection
        // then removes nothing.
        assert_eq!(
            count(table.apply(&speaker(3, "ana"), says(7, 2, Some("{}")), now)),
            1
        );
        assert!(table.remove_connection(1, now).is_empty());
        assert_eq!(table.remove_connection(3, now).entries.len(), 1);
        // Her tombstone is still hers.
        assert_eq!(
            count(table.apply(&speaker(2, "bo"), says(7, 9, Some("{}")), now)),
            0
        );
    }

    #[test]
    fn one_connection_speaks_for_few_clients() {
        let now = Instant::now();
        let mut table = AwarenessTable::default();
        let ana = speaker(1, "ana");
        for client in 0..MAX_CLIENTS_PER_CONNECTION as u64 {
            assert_eq!(
                count(table.apply(&ana, says(client, 1, Some("{}")), now)),
                1
            );
        }
        assert_eq!(count(table.apply(&ana, says(99, 1, Some("{}")), now)), 0);
    }

    #[test]
    fn silent_clients_expire() {
        let start = Instant::now();
        let mut table = AwarenessTable::default();
        table.apply(&speaker(1, "ana"), says(7, 1, Some("{}")), start);
        assert!(table.expire(start + Duration::from_secs(10)).is_empty());
        let removed = table.expire(start + AWARENESS_TIMEOUT);
        assert_eq!(removed, says(7, 1, None));
        assert!(table.snapshot().is_empty());
    }
}
