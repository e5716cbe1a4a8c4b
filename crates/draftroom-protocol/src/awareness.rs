//! Awareness (who is here, where their cursor is) for one document, kept by
//! the server so that late joiners see everyone at once.
//!
//! The rules are y-protocols' own, with what a server must add:
//!
//! - A state is a JSON object of bounded size and nesting. Every client
//!   `JSON.parse`s each state and compares it with the last one recursively,
//!   so a deeply nested state would crash every client that hears it.
//! - What is passed on is the state as the server parsed and re-encoded it,
//!   never the bytes a client sent.
//! - A client id belongs to the user who first spoke for it, for as long as
//!   the document is open, so nobody can speak in awareness for somebody
//!   else, not even after their entry expired or their connection closed.
//!   A reconnecting user takes over their own ids from a connection the
//!   server has not yet seen die.
//! - What one connection and the whole document hold is bounded, in bytes
//!   of state and in client ids.
//!
//! Entries lose their state when their connection closes, or when they are
//! not renewed in time; the id stays with its owner.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Malformed, StateRefusal};
use crate::reader::{Reader, write_buf, write_var_u64};

/// How long an entry lives without being renewed (y-protocols' `outdatedTimeout`).
pub const AWARENESS_TIMEOUT: Duration = Duration::from_secs(30);

/// How many client ids one connection may speak for over its life. A
/// stock client uses one; a client that changes its id (Yjs does so when
/// it detects a clash) needs a few more.
pub const MAX_CLIENTS_PER_CONNECTION: usize = 8;

/// How much awareness a client may make the server hold. Sizes are of the
/// states as JSON text, as the server keeps them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwarenessLimits {
    /// The largest state one client may have. A larger one closes the
    /// connection that sent it.
    pub max_state_bytes: usize,
    /// How deeply a state's JSON may nest (`{}` is one level). A deeper
    /// one closes the connection that sent it. States are parsed with
    /// serde_json, which refuses anything past 128 levels in any case.
    pub max_depth: usize,
    /// The most state one connection may hold, over every client it speaks
    /// for. A state that would take it past closes that connection.
    pub max_connection_bytes: usize,
    /// The most state the whole document may hold. Once full, new or
    /// larger states are not shown (refused once per connection, for the
    /// log) while the states already held stay and shrink freely: nobody
    /// is closed.
    pub max_document_bytes: usize,
    /// The most client ids the document remembers while it is open (each
    /// with its owner, so ids are never handed over). Once full, new ids
    /// are refused as a full document's states are.
    pub max_clients: usize,
}

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
    /// Decodes an awareness update, checking each state against `limits`
    /// and re-encoding it.
    pub fn decode(bytes: &[u8], limits: &AwarenessLimits) -> Result<Self, Malformed> {
        let mut reader = Reader::new(bytes);
        let count = reader.read_var_u32()?;
        let mut entries = Vec::new();
        for _ in 0..count {
            let client = reader.read_var_u64()?;
            let clock = reader.read_var_u64()?;
            let json = reader.read_string()?;
            // y-protocols writes a removal as the JSON text `null`.
            let state = if json == "null" {
                None
            } else {
                Some(check_state(json, limits).map_err(Malformed::State)?)
            };
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

/// Checks one state and returns it re-encoded: a JSON object within the
/// limits of size and depth. The size is checked before parsing (so a
/// large text is never parsed) and after re-encoding (which can lengthen
/// numbers), since what is kept is the re-encoded text.
fn check_state(json: &str, limits: &AwarenessLimits) -> Result<Arc<str>, StateRefusal> {
    let fits = |size: usize| {
        if size > limits.max_state_bytes {
            Err(StateRefusal::TooLarge {
                size,
                limit: limits.max_state_bytes,
            })
        } else {
            Ok(())
        }
    };
    fits(json.len())?;
    // Counted before parsing: the parser recurses into each level.
    if nesting(json) > limits.max_depth {
        return Err(StateRefusal::TooDeep(limits.max_depth));
    }
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|_| StateRefusal::InvalidJson)?;
    if !value.is_object() {
        return Err(StateRefusal::NotAnObject);
    }
    let encoded = value.to_string();
    fits(encoded.len())?;
    Ok(Arc::from(encoded))
}

/// How deeply a JSON text nests its arrays and objects, counted without
/// recursion. Brackets inside strings do not count; a text that closes more
/// than it opens is left for the parser to refuse.
fn nesting(json: &str) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0;
    let mut in_string = false;
    let mut escaped = false;
    for byte in json.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
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
    /// Who spoke for it last; `speaker.user` owns the id.
    speaker: Speaker,
    renewed: Instant,
}

impl Entry {
    fn bytes(&self) -> usize {
        self.state.as_deref().map_or(0, str::len)
    }
}

/// What one connection speaks for.
#[derive(Debug, Default)]
struct Usage {
    /// Client ids, present or not.
    clients: usize,
    /// Bytes of the present states among them.
    bytes: usize,
    /// Whether a refusal for the document's full awareness was reported
    /// for it: once is enough for the log.
    told_full: bool,
}

/// Why some of what a connection said was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AwarenessRefusal {
    /// The connection would hold more than it may: it is closed.
    #[error("speaks for more awareness state than one connection may hold ({limit} bytes)")]
    ConnectionFull { limit: usize },
    /// The document holds all the awareness it may: the state is not
    /// taken (reported once per connection).
    #[error("your presence is not shown: this document holds as much presence as it may")]
    DocumentFull,
}

/// What became of an awareness update.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct AwarenessApplied {
    /// The entries that changed, as the server keeps them, to be sent to
    /// everyone else.
    pub changed: AwarenessUpdate,
    pub refused: Option<AwarenessRefusal>,
}

/// The awareness of one document. Entries of clients that left are kept,
/// without a state, for as long as the document is open: their clocks
/// still order late messages, and their owners keep their ids.
#[derive(Debug)]
pub struct AwarenessTable {
    limits: AwarenessLimits,
    /// Every client id spoken for since the document opened; at most
    /// `limits.max_clients`.
    entries: HashMap<u64, Entry>,
    /// What each open connection speaks for, so the caps cost a lookup,
    /// not a scan.
    per_connection: HashMap<u64, Usage>,
    /// Bytes of every present state.
    bytes: usize,
}

impl AwarenessTable {
    pub fn new(limits: AwarenessLimits) -> AwarenessTable {
        AwarenessTable {
            limits,
            entries: HashMap::new(),
            per_connection: HashMap::new(),
            bytes: 0,
        }
    }

    /// Applies what `speaker` says and returns the entries that changed, to
    /// be sent to everyone else, and why anything was refused.
    ///
    /// Entries that are not the speaker's to set are passed over without
    /// complaint: stock clients relay every awareness change they hear,
    /// so other users' entries arrive from every connection.
    pub fn apply(
        &mut self,
        speaker: &Speaker,
        update: AwarenessUpdate,
        now: Instant,
    ) -> AwarenessApplied {
        let mut applied = AwarenessApplied::default();
        for entry in update.entries {
            match self.admit(speaker, &entry) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(refusal @ AwarenessRefusal::ConnectionFull { .. }) => {
                    // The connection is closed; the rest of what it said
                    // does not matter.
                    applied.refused = Some(refusal);
                    break;
                }
                Err(refusal) => {
                    let usage = self.per_connection.entry(speaker.connection).or_default();
                    if !usage.told_full {
                        usage.told_full = true;
                        applied.refused = Some(refusal);
                    }
                    continue;
                }
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
            let added = entry.state.as_deref().map_or(0, str::len);
            let removed = previous.as_ref().map_or(0, Entry::bytes);
            self.bytes = self.bytes + added - removed;
            if let Some(previous) = &previous {
                self.release(previous.speaker.connection, removed, true);
            }
            let usage = self.per_connection.entry(speaker.connection).or_default();
            usage.clients += 1;
            usage.bytes += added;
            applied.changed.entries.push(entry);
        }
        applied
    }

    /// Whether `speaker` may set `entry`: `Ok(false)` to pass it over
    /// quietly, a refusal when a limit stands in the way.
    fn admit(&self, speaker: &Speaker, entry: &AwarenessEntry) -> Result<bool, AwarenessRefusal> {
        let existing = self.entries.get(&entry.client);
        let newer = match existing {
            // Someone else's client: a relay, or an attempt to speak for them.
            Some(existing) if existing.speaker.user != speaker.user => false,
            Some(existing) => {
                existing.clock < entry.clock
                    || (existing.clock == entry.clock
                        && entry.state.is_none()
                        && existing.state.is_some())
            }
            None => entry.state.is_some(),
        };
        if !newer {
            return Ok(false);
        }
        let usage = self.per_connection.get(&speaker.connection);
        let own = existing.filter(|e| e.speaker.connection == speaker.connection);
        if own.is_none() && usage.map_or(0, |u| u.clients) >= MAX_CLIENTS_PER_CONNECTION {
            return Ok(false);
        }
        if existing.is_none() && self.entries.len() >= self.limits.max_clients {
            return Err(AwarenessRefusal::DocumentFull);
        }
        let added = entry.state.as_deref().map_or(0, str::len);
        let connection = usage.map_or(0, |u| u.bytes) - own.map_or(0, Entry::bytes) + added;
        if connection > self.limits.max_connection_bytes {
            return Err(AwarenessRefusal::ConnectionFull {
                limit: self.limits.max_connection_bytes,
            });
        }
        if self.bytes - existing.map_or(0, Entry::bytes) + added > self.limits.max_document_bytes {
            return Err(AwarenessRefusal::DocumentFull);
        }
        Ok(true)
    }

    /// Takes from a connection's usage a state it no longer holds (and, if
    /// the entry moved away from it, the client id).
    fn release(&mut self, connection: u64, bytes: usize, client: bool) {
        if let Some(usage) = self.per_connection.get_mut(&connection) {
            usage.bytes -= bytes;
            usage.clients -= usize::from(client);
        }
    }

    /// Removes what a closed connection spoke for; returns the removals to send.
    pub fn remove_connection(&mut self, connection: u64, now: Instant) -> AwarenessUpdate {
        let removed = self.remove_where(now, |entry| entry.speaker.connection == connection);
        self.per_connection.remove(&connection);
        removed
    }

    /// Removes the states not renewed within [`AWARENESS_TIMEOUT`]; returns
    /// the removals to send.
    pub fn expire(&mut self, now: Instant) -> AwarenessUpdate {
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
        let mut released = Vec::new();
        for (&client, entry) in self.entries.iter_mut() {
            if entry.state.is_some() && gone(entry) {
                released.push((entry.speaker.connection, entry.bytes()));
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
        for (connection, bytes) in released {
            self.bytes -= bytes;
            self.release(connection, bytes, false);
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

    /// Small limits, so each test reaches them with a few bytes.
    fn limits() -> AwarenessLimits {
        AwarenessLimits {
            max_state_bytes: 64,
            max_depth: 4,
            max_connection_bytes: 200,
            max_document_bytes: 300,
            max_clients: 20,
        }
    }

    fn table() -> AwarenessTable {
        AwarenessTable::new(limits())
    }

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

    /// A JSON object of exactly `size` bytes.
    fn state_of(size: usize) -> String {
        format!(r#"{{"n":"{}"}}"#, "x".repeat(size - 8))
    }

    fn decode_state(json: &str, limits: &AwarenessLimits) -> Result<Option<Arc<str>>, Malformed> {
        let mut bytes = vec![1, 42, 1];
        write_buf(&mut bytes, json.as_bytes());
        AwarenessUpdate::decode(&bytes, limits).map(|mut update| update.entries.remove(0).state)
    }

    fn refusal(json: &str) -> Option<StateRefusal> {
        match decode_state(json, &limits()) {
            Err(Malformed::State(refusal)) => Some(refusal),
            Ok(_) => None,
            Err(other) => panic!("not a state refusal: {other:?}"),
        }
    }

    fn count(applied: AwarenessApplied) -> usize {
        assert_eq!(applied.refused, None);
        applied.changed.entries.len()
    }

    #[test]
    fn encodes_and_decodes() {
        let update = says(42, 3, Some(r#"{"user":{"name":"Ana"}}"#));
        assert_eq!(
            AwarenessUpdate::decode(&update.encode(), &limits()),
            Ok(update)
        );
        let gone = says(42, 4, None);
        assert_eq!(AwarenessUpdate::decode(&gone.encode(), &limits()), Ok(gone));
    }

    #[test]
    fn a_state_the_server_re_encodes_reads_back_the_same() {
        // Found by fuzzing: a number that a fast float parser reads one
        // unit off, so that each re-encoding gave another text.
        for json in [
            r#"{"s":    40200E025}"#,
            r#"{"n":0.1,"m":1e-300,"k":123456789012345678901234}"#,
        ] {
            let once = check_state(json, &limits()).expect("a state");
            let twice = check_state(&once, &limits()).expect("a state");
            assert_eq!(once, twice, "{json}");
        }
    }

    #[test]
    fn an_update_without_entries_is_empty() {
        assert!(AwarenessUpdate::default().is_empty());
        assert!(!says(1, 1, None).is_empty());
    }

    #[test]
    fn what_is_kept_and_passed_on_is_the_state_as_parsed_not_the_bytes_sent() {
        assert_eq!(
            decode_state(" { \"a\" : [ 1 , \"\\u0041\" ] } ", &limits()),
            Ok(Some(Arc::from(r#"{"a":[1,"A"]}"#)))
        );
    }

    #[test]
    fn a_state_must_be_a_json_object() {
        assert_eq!(refusal("{not json"), Some(StateRefusal::InvalidJson));
        for not_an_object in ["[1]", "\"ana\"", "1", "true", " null"] {
            assert_eq!(
                refusal(not_an_object),
                Some(StateRefusal::NotAnObject),
                "{not_an_object}"
            );
        }
        assert_eq!(decode_state("null", &limits()), Ok(None), "a removal");
    }

    #[test]
    fn a_state_may_nest_as_deep_as_the_limit_and_no_deeper() {
        // Maps and arrays each count a level.
        assert_eq!(refusal(r#"{"a":{"b":[{}]}}"#), None);
        assert_eq!(refusal(r#"{"a":{"b":[{"c":1}]}}"#), None);
        assert_eq!(refusal(r#"{"a":{"b":{"c":{}}}}"#), None);
        assert_eq!(
            refusal(r#"{"a":{"b":{"c":{"d":{}}}}}"#),
            Some(StateRefusal::TooDeep(4))
        );
        assert_eq!(refusal(r#"{"a":[[[[]]]]}"#), Some(StateRefusal::TooDeep(4)));
        // Closed levels no longer count: siblings do not add up.
        assert_eq!(refusal(r#"{"a":{},"b":[],"c":{},"d":[],"e":{}}"#), None);
    }

    #[test]
    fn brackets_in_strings_do_not_nest_but_an_escaped_backslash_ends_no_string() {
        assert_eq!(refusal(r#"{"a":"[[[[{{{{"}"#), None);
        assert_eq!(refusal(r#"{"a":"\"[[[[{{{{"}"#), None);
        // The string ends after `\\`: what follows nests.
        assert_eq!(
            refusal(r#"{"a":"\\","b":[[[[]]]]}"#),
            Some(StateRefusal::TooDeep(4))
        );
    }

    #[test]
    fn a_state_nested_a_million_deep_is_refused_without_recursing() {
        let roomy = AwarenessLimits {
            max_state_bytes: 4 << 20,
            ..limits()
        };
        let deep = format!(
            r#"{{"a":{}{}}}"#,
            "[".repeat(1_000_000),
            "]".repeat(1_000_000)
        );
        assert_eq!(
            decode_state(&deep, &roomy),
            Err(Malformed::State(StateRefusal::TooDeep(4)))
        );
    }

    #[test]
    fn a_state_may_be_as_large_as_the_limit_and_no_larger() {
        assert_eq!(refusal(&state_of(64)), None);
        assert_eq!(
            refusal(&state_of(65)),
            Some(StateRefusal::TooLarge {
                size: 65,
                limit: 64
            })
        );
    }

    #[test]
    fn the_size_limit_holds_for_the_state_as_kept() {
        // 1e5 is re-encoded as 100000.0: the kept state is longer.
        let tight = AwarenessLimits {
            max_state_bytes: 12,
            ..limits()
        };
        assert_eq!(
            decode_state(r#"{"a":1e5}"#, &tight),
            Err(Malformed::State(StateRefusal::TooLarge {
                size: 14,
                limit: 12
            }))
        );
    }

    #[test]
    fn newer_clocks_win_and_stale_ones_are_dropped() {
        let now = Instant::now();
        let mut table = table();
        let ana = speaker(1, "ana");
        assert_eq!(count(table.apply(&ana, says(7, 2, Some("{}")), now)), 1);
        assert_eq!(count(table.apply(&ana, says(7, 1, Some("{}")), now)), 0);
        assert_eq!(count(table.apply(&ana, says(7, 2, Some("{}")), now)), 0);
        // A removal at the same clock applies, once.
        assert_eq!(count(table.apply(&ana, says(7, 2, None), now)), 1);
        assert_eq!(count(table.apply(&ana, says(7, 2, None), now)), 0);
        assert!(table.snapshot().is_empty());
        // Nobody removes a client never seen.
        assert_eq!(count(table.apply(&ana, says(8, 1, None), now)), 0);
    }

    #[test]
    fn nobody_speaks_for_another_user() {
        let now = Instant::now();
        let mut table = table();
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
        // Her id stays hers after her connections closed...
        assert_eq!(
            count(table.apply(&speaker(2, "bo"), says(7, 9, Some("{}")), now)),
            0
        );
        // ...and long after, whatever expired meanwhile.
        let later = now + AWARENESS_TIMEOUT * 100;
        table.expire(later);
        assert_eq!(
            count(table.apply(&speaker(2, "bo"), says(7, 9, Some("{}")), later)),
            0
        );
        assert_eq!(
            count(table.apply(&speaker(4, "ana"), says(7, 9, Some("{}")), later)),
            1
        );
    }

    #[test]
    fn an_id_taken_by_expiry_is_still_its_owners() {
        let start = Instant::now();
        let mut table = table();
        table.apply(&speaker(1, "ana"), says(7, 1, Some("{}")), start);
        let later = start + AWARENESS_TIMEOUT;
        assert_eq!(table.expire(later), says(7, 1, None));
        assert_eq!(
            count(table.apply(&speaker(2, "bo"), says(7, 2, Some("{}")), later)),
            0
        );
        // Ana's own renewal still counts.
        assert_eq!(
            count(table.apply(&speaker(1, "ana"), says(7, 2, Some("{}")), later)),
            1
        );
    }

    #[test]
    fn one_connection_speaks_for_few_clients() {
        let now = Instant::now();
        let mut table = table();
        let ana = speaker(1, "ana");
        for client in 0..MAX_CLIENTS_PER_CONNECTION as u64 {
            assert_eq!(
                count(table.apply(&ana, says(client, 1, Some("{}")), now)),
                1
            );
        }
        assert_eq!(count(table.apply(&ana, says(99, 1, Some("{}")), now)), 0);
        // Its own clients it still renews.
        assert_eq!(count(table.apply(&ana, says(0, 2, Some("{}")), now)), 1);
        // Taking over one of ana's ids is a new client for this connection too.
        let again = speaker(2, "ana");
        for client in 100..100 + MAX_CLIENTS_PER_CONNECTION as u64 {
            table.apply(&again, says(client, 1, Some("{}")), now);
        }
        assert_eq!(count(table.apply(&again, says(1, 2, Some("{}")), now)), 0);
    }

    #[test]
    fn an_id_taken_over_no_longer_counts_for_the_connection_that_had_it() {
        let now = Instant::now();
        let mut table = table();
        let ana = speaker(1, "ana");
        for client in 0..MAX_CLIENTS_PER_CONNECTION as u64 {
            table.apply(&ana, says(client, 1, Some("{}")), now);
        }
        // Ana's new connection takes one over: the old one may speak for
        // one more id, and no more.
        table.apply(&speaker(2, "ana"), says(0, 2, Some("{}")), now);
        assert_eq!(count(table.apply(&ana, says(50, 1, Some("{}")), now)), 1);
        assert_eq!(count(table.apply(&ana, says(51, 1, Some("{}")), now)), 0);
    }

    #[test]
    fn a_state_taken_over_no_longer_counts_for_the_connection_that_had_it() {
        let now = Instant::now();
        let mut table = table();
        let ana = speaker(1, "ana");
        let big = state_of(64);
        for client in 1..=3 {
            table.apply(&ana, says(client, 1, Some(&big)), now);
        }
        // 192 bytes; after the takeover 128, so 64 more fit under 200.
        table.apply(&speaker(2, "ana"), says(1, 2, Some(&big)), now);
        assert_eq!(count(table.apply(&ana, says(4, 1, Some(&big)), now)), 1);
    }

    #[test]
    fn a_connection_holds_at_most_its_bytes_of_state() {
        let now = Instant::now();
        let mut table = table();
        let ana = speaker(1, "ana");
        let (sixty, sixty_four) = (state_of(60), state_of(64));
        assert_eq!(count(table.apply(&ana, says(1, 1, Some(&sixty)), now)), 1);
        assert_eq!(count(table.apply(&ana, says(2, 1, Some(&sixty)), now)), 1);
        // Replacing a state counts only the new one: 60 + 60 + 64 = 184.
        assert_eq!(
            count(table.apply(&ana, says(3, 1, Some(&sixty_four)), now)),
            1
        );
        assert_eq!(
            count(table.apply(&ana, says(3, 2, Some(&sixty_four)), now)),
            1
        );
        // 184 + 16 = 200 is the limit; one byte more is not.
        assert_eq!(
            count(table.apply(&ana, says(4, 1, Some(&state_of(16))), now)),
            1
        );
        let over = table.apply(&ana, says(5, 1, Some(&state_of(9))), now);
        assert_eq!(
            over.refused,
            Some(AwarenessRefusal::ConnectionFull { limit: 200 })
        );
        assert!(over.changed.is_empty());
        // Bo's connection is another matter.
        assert_eq!(
            count(table.apply(&speaker(2, "bo"), says(9, 1, Some(&sixty)), now)),
            1
        );
    }

    #[test]
    fn a_full_document_takes_no_more_state_and_tells_each_sender_once() {
        let now = Instant::now();
        let mut table = table();
        let fifty = state_of(50);
        for (connection, user) in [(1, "ana"), (2, "bo"), (3, "cy")] {
            for client in 0..2 {
                let id = connection * 10 + client;
                assert_eq!(
                    count(table.apply(&speaker(connection, user), says(id, 1, Some(&fifty)), now)),
                    1
                );
            }
        }
        // 300 bytes held: the limit exactly.
        let dee = speaker(4, "dee");
        let refused = table.apply(&dee, says(40, 1, Some("{}")), now);
        assert_eq!(refused.refused, Some(AwarenessRefusal::DocumentFull));
        assert!(refused.changed.is_empty());
        let again = table.apply(&dee, says(40, 1, Some("{}")), now);
        assert_eq!((again.refused, again.changed.is_empty()), (None, true));
        // Nobody grows, anyone shrinks, and what is freed is free.
        let ana = speaker(1, "ana");
        let grown = table.apply(&ana, says(10, 2, Some(&state_of(51))), now);
        assert_eq!(grown.refused, Some(AwarenessRefusal::DocumentFull));
        assert_eq!(
            count(table.apply(&ana, says(10, 3, Some(&state_of(48))), now)),
            1
        );
        assert_eq!(count(table.apply(&dee, says(40, 1, Some("{}")), now)), 1);
        assert_eq!(table.snapshot().entries.len(), 7);
        table.remove_connection(2, now);
        assert_eq!(
            count(table.apply(&dee, says(41, 1, Some(&state_of(64))), now)),
            1
        );
    }

    #[test]
    fn a_document_remembers_at_most_so_many_ids() {
        let now = Instant::now();
        let mut table = table();
        for connection in 0..5 {
            let user = format!("user{connection}");
            for client in 0..4 {
                let id = connection * 4 + client;
                table.apply(&speaker(connection, &user), says(id, 1, Some("{}")), now);
                table.apply(&speaker(connection, &user), says(id, 2, None), now);
            }
        }
        let late = table.apply(&speaker(9, "eve"), says(99, 1, Some("{}")), now);
        assert_eq!(late.refused, Some(AwarenessRefusal::DocumentFull));
        // Ids already remembered are still taken from their owners.
        assert_eq!(
            count(table.apply(&speaker(0, "user0"), says(0, 3, Some("{}")), now)),
            1
        );
    }

    #[test]
    fn silent_clients_expire_and_free_their_bytes() {
        let start = Instant::now();
        let mut table = table();
        let ana = speaker(1, "ana");
        table.apply(&ana, says(7, 1, Some(&state_of(64))), start);
        table.apply(
            &ana,
            says(8, 1, Some(&state_of(64))),
            start + Duration::from_secs(1),
        );
        assert!(table.expire(start + Duration::from_secs(10)).is_empty());
        let just_before = start + AWARENESS_TIMEOUT - Duration::from_nanos(1);
        assert!(table.expire(just_before).is_empty());
        let removed = table.expire(start + AWARENESS_TIMEOUT);
        assert_eq!(removed, says(7, 1, None));
        assert_eq!(table.snapshot().entries.len(), 1);
        // Ana's connection holds 64 bytes again, the document too.
        let now = start + AWARENESS_TIMEOUT;
        assert_eq!(
            count(table.apply(&ana, says(9, 1, Some(&state_of(64))), now)),
            1
        );
        assert_eq!(
            count(table.apply(&ana, says(10, 1, Some(&state_of(64))), now)),
            1
        );
        let bo = speaker(2, "bo");
        assert_eq!(
            count(table.apply(&bo, says(20, 1, Some(&state_of(64))), now)),
            1
        );
    }

    #[test]
    fn what_leaves_is_freed_to_the_byte() {
        let now = Instant::now();
        let mut table = table();
        table.apply(&speaker(1, "ana"), says(1, 1, Some(&state_of(64))), now);
        table.remove_connection(1, now);
        // The document holds nothing now: 300 bytes fit, exactly.
        let bo = speaker(2, "bo");
        assert_eq!(
            count(table.apply(&bo, says(2, 1, Some(&state_of(100))), now)),
            1
        );
        assert_eq!(
            count(table.apply(&bo, says(3, 1, Some(&state_of(100))), now)),
            1
        );
        let cy = speaker(3, "cy");
        assert_eq!(
            count(table.apply(&cy, says(4, 1, Some(&state_of(100))), now)),
            1
        );
    }

    #[test]
    fn a_closed_connection_frees_what_it_held() {
        let now = Instant::now();
        let mut table = table();
        let ana = speaker(1, "ana");
        table.apply(&ana, says(1, 1, Some(&state_of(64))), now);
        table.apply(&ana, says(2, 1, Some(&state_of(64))), now);
        table.apply(&speaker(2, "bo"), says(3, 1, Some(&state_of(64))), now);
        table.apply(&speaker(2, "bo"), says(4, 1, Some(&state_of(64))), now);
        assert_eq!(table.remove_connection(1, now).entries.len(), 2);
        let cy = speaker(3, "cy");
        assert_eq!(
            count(table.apply(&cy, says(5, 1, Some(&state_of(64))), now)),
            1
        );
        assert_eq!(
            count(table.apply(&cy, says(6, 1, Some(&state_of(64))), now)),
            1
        );
    }
}
