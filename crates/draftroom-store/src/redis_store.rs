//! The Redis backend: for many Draftroom nodes sharing one Redis (or a
//! Redis Cluster), none of which owns a document.
//!
//! # Keys
//!
//! Each document's keys carry its name as a hash tag, so a Redis Cluster
//! keeps them in one slot (scripts touch both atomically):
//!
//! - `draftroom:{SPACE/DOC}:log`: a stream, one entry per stored update,
//!   with ID `0-SEQ` (Redis numbers them: `XADD … 0-*`) and one field,
//!   `u`, holding the update (Yjs v1 bytes). Sequence numbers are
//!   consecutive, so a reader can tell when it missed entries.
//! - `draftroom:{SPACE/DOC}:snapshot`: a hash with `covers` (the last
//!   sequence number the snapshot includes) and `state` (the whole document
//!   as one update).
//!
//! - `draftroom:{SPACE}:audit`: the space's audit log, a stream with
//!   entries `0-SEQ` and one field, `e` (see `audit.rs` for the entry);
//!   `draftroom:{SPACE}:audit-head`: `SEQ HASH` of the newest entry. An
//!   append is a script that adds the entry and moves the head only if the
//!   head is still the one the entry was chained to, so appends from many
//!   nodes never fork the chain. A read takes the head and the entries in
//!   one script, so an append meanwhile cannot make the log look cut.
//! - `draftroom:{SPACE}:claims`, `:numbers`, `:revoked`: the space's
//!   registers (see `registers.rs`), hashes changed by a compare-and-set
//!   script, so nodes deciding at once agree.
//!
//! # Compaction without locks
//!
//! A compaction is one script: it stores the snapshot only if it covers more
//! than the stored one, then trims the log up to what the snapshot covers,
//! keeping the last `grace` covered entries for nodes that are reading the
//! log just then. Two nodes compacting at once is fine: the newer snapshot
//! wins, whichever runs last. Loading is one script too, reading snapshot
//! and log atomically, so a load never sees a trim without its snapshot.
//!
//! # Following other nodes
//!
//! A node with a document open follows its log with blocking reads
//! (`XREAD BLOCK`) on a connection of its own, so blocking never holds up
//! the shared connection. Pub/sub would lose messages when a subscriber lags
//! or reconnects; a stream read resumes from the last entry seen.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use redis::aio::{
    ConnectionLike, ConnectionManager, ConnectionManagerConfig, MultiplexedConnection,
};
use redis::cluster::ClusterClient;
use redis::cluster_async::ClusterConnection;
use redis::{AsyncConnectionConfig, Cmd, Pipeline, RedisFuture, Script, Value};
use tokio::sync::{Mutex, mpsc};
use tracing::{info, warn};

use crate::registers::{self, Register};
use crate::{
    AuditEntry, AuditHead, AuditLog, DocName, Followed, RegisterAnswer, RegisterChange,
    Revocations, Seq, Snapshot, Store, StoreError, StoredDoc,
};

/// How long one blocking read waits before it is issued again.
const BLOCK: Duration = Duration::from_secs(2);
/// How long any command may take before the connection is taken for dead.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Covered log entries kept after a compaction, for nodes mid-read.
const GRACE: u64 = 256;
/// Entries one blocking read returns at most.
const READ_COUNT: usize = 1024;

const LOAD: &str = r"
local snapshot = redis.call('HMGET', KEYS[1], 'covers', 'state')
local log = redis.call('XRANGE', KEYS[2], '-', '+')
return {snapshot[1], snapshot[2], log}
";

const COMPACT: &str = r"
local stored = tonumber(redis.call('HGET', KEYS[1], 'covers') or '0')
local covers = tonumber(ARGV[1])
if covers <= stored then
  return 0
end
redis.call('HSET', KEYS[1], 'covers', ARGV[1], 'state', ARGV[2])
local keep_from = covers - tonumber(ARGV[3]) + 1
if keep_from > 1 then
  redis.call('XTRIM', KEYS[2], 'MINID', '0-' .. keep_from)
end
return 1
";

const AUDIT_APPEND: &str = r"
local head = redis.call('GET', KEYS[2])
local seq = 0
if head then
  seq = tonumber(string.match(head, '^(%d+)'))
end
if seq ~= tonumber(ARGV[1]) then
  return 0
end
redis.call('XADD', KEYS[1], '0-' .. (seq + 1), 'e', ARGV[2])
redis.call('SET', KEYS[2], ARGV[3])
return 1
";

/// The head and the entries of an audit log, read at one instant: an
/// append between two reads would make a sound log look cut.
const AUDIT_READ: &str = r"
return {redis.call('GET', KEYS[1]), redis.call('XRANGE', KEYS[2], '-', '+')}
";

/// Sets (or, without a new value, removes) a register's field only if it
/// still holds what the caller read: ARGV = field, whether it held
/// anything, what it held, whether to set, the new value.
const REGISTER_SWAP: &str = r"
local held = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[2] == '1' then
  if held ~= ARGV[3] then
    return 0
  end
elseif held then
  return 0
end
if ARGV[4] == '1' then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[5])
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
return 1
";

/// How many times an audit append retries when another node appended first.
const AUDIT_RETRIES: usize = 32;

/// Where the Redis is, as given on the command line.
#[derive(Clone)]
enum Target {
    Single(redis::Client),
    Cluster(ClusterClient),
}

/// The shared connection. A single Redis gets a connection manager, which
/// reconnects by itself; a cluster connection is made on first use (so a
/// server can start while the cluster is down) and made again after it fails.
#[derive(Clone)]
enum Shared {
    Single(ConnectionManager),
    Cluster(Arc<Mutex<Option<ClusterConnection>>>),
}

/// The Lua scripts the store runs (each sent once, then called by hash).
struct Scripts {
    load: Script,
    compact: Script,
    audit_append: Script,
    audit_read: Script,
    register_swap: Script,
}

pub struct RedisStore {
    target: Target,
    shared: Shared,
    scripts: Arc<Scripts>,
    /// Whether the server's settings were checked (once, on first contact).
    verified: Mutex<bool>,
}

impl RedisStore {
    /// Parses `redis://HOST:PORT[/DB]` or
    /// `redis+cluster://HOST1:PORT,HOST2:PORT,...`. Connects lazily: nothing
    /// fails here if Redis is down.
    pub fn new(url: &str) -> Result<Self, StoreError> {
        let target = if let Some(nodes) = url.strip_prefix("redis+cluster://") {
            let nodes: Vec<String> = nodes
                .split(',')
                .filter(|node| !node.is_empty())
                .map(|node| format!("redis://{node}"))
                .collect();
            let client = ClusterClient::builder(nodes)
                .connection_timeout(CONNECT_TIMEOUT)
                .response_timeout(RESPONSE_TIMEOUT)
                .build()?;
            Target::Cluster(client)
        } else {
            Target::Single(redis::Client::open(url)?)
        };
        let shared = match &target {
            Target::Single(client) => {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(CONNECT_TIMEOUT))
                    .set_response_timeout(Some(RESPONSE_TIMEOUT))
                    .set_number_of_retries(1)
                    .set_max_delay(Duration::from_millis(500));
                Shared::Single(ConnectionManager::new_lazy_with_config(
                    client.clone(),
                    config,
                )?)
            }
            Target::Cluster(_) => Shared::Cluster(Arc::default()),
        };
        Ok(RedisStore {
            target,
            shared,
            scripts: Arc::new(Scripts {
                load: Script::new(LOAD),
                compact: Script::new(COMPACT),
                audit_append: Script::new(AUDIT_APPEND),
                audit_read: Script::new(AUDIT_READ),
                register_swap: Script::new(REGISTER_SWAP),
            }),
            verified: Mutex::new(false),
        })
    }

    async fn connection(&self) -> Result<Connection, StoreError> {
        match &self.shared {
            Shared::Single(manager) => Ok(Connection::Single(manager.clone())),
            Shared::Cluster(slot) => {
                let mut slot = slot.lock().await;
                if let Some(connection) = slot.as_ref() {
                    return Ok(Connection::Cluster(connection.clone()));
                }
                let Target::Cluster(client) = &self.target else {
                    unreachable!("a cluster connection slot goes with a cluster target");
                };
                let connection = client.get_async_connection().await?;
                *slot = Some(connection.clone());
                Ok(Connection::Cluster(connection))
            }
        }
    }

    /// A connection of its own, for blocking reads.
    async fn dedicated(&self) -> Result<Connection, StoreError> {
        let timeout = BLOCK + RESPONSE_TIMEOUT;
        match &self.target {
            Target::Single(client) => {
                let config = AsyncConnectionConfig::new()
                    .set_connection_timeout(Some(CONNECT_TIMEOUT))
                    .set_response_timeout(Some(timeout));
                let connection = client
                    .get_multiplexed_async_connection_with_config(&config)
                    .await?;
                Ok(Connection::Dedicated(connection))
            }
            Target::Cluster(client) => {
                Ok(Connection::Cluster(client.get_async_connection().await?))
            }
        }
    }

    /// Drops a failed cluster connection so that the next use reconnects.
    async fn forget_failed(&self, error: &redis::RedisError) {
        if let Shared::Cluster(slot) = &self.shared
            && (error.is_io_error() || error.is_connection_dropped() || error.is_timeout())
        {
            *slot.lock().await = None;
        }
    }

    async fn run<T: redis::FromRedisValue>(&self, command: &Cmd) -> Result<T, StoreError> {
        let mut connection = self.connection().await?;
        match command.query_async(&mut connection).await {
            Ok(value) => Ok(value),
            Err(error) => {
                self.forget_failed(&error).await;
                Err(error.into())
            }
        }
    }

    /// Checks, once, that this Redis keeps what it is given: refuses one that
    /// may evict keys, and says what a crash of Redis could lose.
    async fn verify(&self) -> Result<(), StoreError> {
        let mut verified = self.verified.lock().await;
        if *verified {
            return Ok(());
        }
        let policy = self.config_value("maxmemory-policy").await?;
        if policy.starts_with("allkeys-") {
            return Err(StoreError::Refused(format!(
                "Redis has maxmemory-policy {policy}, so it may evict documents; \
                 use noeviction (or a volatile-* policy)"
            )));
        }
        let appendonly = self.config_value("appendonly").await?;
        let appendfsync = self.config_value("appendfsync").await?;
        match (appendonly.as_str(), appendfsync.as_str()) {
            ("yes", "always") => {
                info!("Redis persists every write (appendonly yes, appendfsync always)")
            }
            ("yes", "everysec") => warn!(
                "Redis has appendfsync everysec: if the Redis machine crashes, up to a second of \
                 edits that clients already saw can be lost; use appendfsync always to lose none"
            ),
            ("yes", other) => warn!(
                "Redis has appendfsync {other}: if the Redis machine crashes, edits that clients \
                 already saw can be lost; use appendfsync always to lose none"
            ),
            _ => warn!(
                "Redis has appendonly no: if Redis stops, every edit since its last RDB snapshot \
                 is lost; use appendonly yes with appendfsync always to lose none"
            ),
        }
        *verified = true;
        Ok(())
    }

    async fn config_value(&self, name: &str) -> Result<String, StoreError> {
        let value: Value = self.run(redis::cmd("CONFIG").arg("GET").arg(name)).await?;
        // A plain list [name, value], or (from a cluster) one per node.
        fn find(value: &Value, name: &str) -> Option<String> {
            match value {
                Value::Array(items) => {
                    for pair in items.chunks(2) {
                        if let [Value::BulkString(key), Value::BulkString(found)] = pair
                            && key.as_slice() == name.as_bytes()
                        {
                            return Some(String::from_utf8_lossy(found).into_owned());
                        }
                    }
                    items.iter().find_map(|item| find(item, name))
                }
                Value::Map(entries) => entries.iter().find_map(|(_, item)| find(item, name)),
                _ => None,
            }
        }
        find(&value, name)
            .ok_or_else(|| StoreError::Corrupt(format!("Redis did not report {name}")))
    }
}

fn log_key(doc: &DocName) -> String {
    format!("draftroom:{{{}}}:log", doc.as_str())
}

fn audit_key(space: &str) -> String {
    format!("draftroom:{{{space}}}:audit")
}

fn audit_head_key(space: &str) -> String {
    format!("draftroom:{{{space}}}:audit-head")
}

fn register_key(space: &str, register: Register) -> String {
    format!("draftroom:{{{space}}}:{}", register.name())
}

fn snapshot_key(doc: &DocName) -> String {
    format!("draftroom:{{{}}}:snapshot", doc.as_str())
}

/// `0-SEQ` → SEQ.
fn parse_seq(id: &[u8]) -> Result<Seq, StoreError> {
    std::str::from_utf8(id)
        .ok()
        .and_then(|id| id.strip_prefix("0-"))
        .and_then(|seq| seq.parse().ok())
        .ok_or_else(|| {
            StoreError::Corrupt(format!(
                "unexpected log entry id {:?}",
                String::from_utf8_lossy(id)
            ))
        })
}

/// Reads `[[id, [field, value]], ...]` into (seq, value) pairs, where
/// each entry holds its value under `field` (`u`: an update, `e`: an audit
/// entry).
fn parse_entries(entries: &Value, field: &str) -> Result<Vec<(Seq, Bytes)>, StoreError> {
    let Value::Array(entries) = entries else {
        return Ok(Vec::new());
    };
    entries
        .iter()
        .map(|entry| match entry {
            Value::Array(parts) => match parts.as_slice() {
                [Value::BulkString(id), Value::Array(fields)] => {
                    let seq = parse_seq(id)?;
                    match fields.as_slice() {
                        [Value::BulkString(name), Value::BulkString(value)]
                            if name.as_slice() == field.as_bytes() =>
                        {
                            Ok((seq, Bytes::copy_from_slice(value)))
                        }
                        _ => Err(StoreError::Corrupt(format!(
                            "log entry {seq} has no field {field:?}"
                        ))),
                    }
                }
                _ => Err(StoreError::Corrupt("malformed log entry".into())),
            },
            _ => Err(StoreError::Corrupt("malformed log entry".into())),
        })
        .collect()
}

fn bulk(value: &Value) -> Option<&[u8]> {
    match value {
        Value::BulkString(bytes) => Some(bytes),
        _ => None,
    }
}

#[async_trait]
impl Store for RedisStore {
    async fn exists(&self, doc: &DocName) -> Result<bool, StoreError> {
        let mut connection = self.connection().await?;
        // Both keys share the document's hash tag: one slot, one command.
        let found: u64 = redis::cmd("EXISTS")
            .arg(snapshot_key(doc))
            .arg(log_key(doc))
            .query_async(&mut connection)
            .await?;
        Ok(found > 0)
    }

    async fn load(&self, doc: &DocName) -> Result<StoredDoc, StoreError> {
        let mut connection = self.connection().await?;
        let reply: Value = self
            .scripts
            .load
            .key(snapshot_key(doc))
            .key(log_key(doc))
            .invoke_async(&mut connection)
            .await?;
        let Value::Array(parts) = reply else {
            return Err(StoreError::Corrupt("unexpected reply to load".into()));
        };
        let [covers, state, log] = parts.as_slice() else {
            return Err(StoreError::Corrupt("unexpected reply to load".into()));
        };
        let snapshot = match (bulk(covers), bulk(state)) {
            (Some(covers), Some(state)) => Some(Snapshot {
                covers: std::str::from_utf8(covers)
                    .ok()
                    .and_then(|covers| covers.parse().ok())
                    .ok_or_else(|| StoreError::Corrupt("snapshot covers is not a number".into()))?,
                state: Bytes::copy_from_slice(state),
            }),
            _ => None,
        };
        let covers = snapshot.as_ref().map_or(0, |s| s.covers);
        let mut stored = StoredDoc {
            snapshot,
            updates: Vec::new(),
            last_seq: covers,
        };
        for (seq, update) in parse_entries(log, "u")? {
            if seq > covers {
                stored.last_seq = seq;
                stored.updates.push(update);
            }
        }
        Ok(stored)
    }

    async fn append(&self, doc: &DocName, update: Bytes) -> Result<Seq, StoreError> {
        let id: Vec<u8> = self
            .run(
                redis::cmd("XADD")
                    .arg(log_key(doc))
                    .arg("0-*")
                    .arg("u")
                    .arg(update.as_ref()),
            )
            .await?;
        parse_seq(&id)
    }

    async fn compact(&self, doc: &DocName, snapshot: Snapshot) -> Result<bool, StoreError> {
        let mut connection = self.connection().await?;
        let stored: i64 = self
            .scripts
            .compact
            .key(snapshot_key(doc))
            .key(log_key(doc))
            .arg(snapshot.covers)
            .arg(snapshot.state.as_ref())
            .arg(GRACE)
            .invoke_async(&mut connection)
            .await?;
        Ok(stored == 1)
    }

    async fn append_audit(&self, space: &str, body: Bytes) -> Result<AuditEntry, StoreError> {
        for _ in 0..AUDIT_RETRIES {
            let head: Option<String> = self
                .run(redis::cmd("GET").arg(audit_head_key(space)))
                .await?;
            let head = head.as_deref().map(AuditHead::decode).transpose()?;
            let entry = AuditEntry::after(head.as_ref(), body.clone());
            let mut connection = self.connection().await?;
            let appended: i64 = self
                .scripts
                .audit_append
                .key(audit_key(space))
                .key(audit_head_key(space))
                .arg(head.map_or(0, |head| head.seq))
                .arg(entry.encode())
                .arg(entry.head().encode())
                .invoke_async(&mut connection)
                .await?;
            if appended == 1 {
                return Ok(entry);
            }
        }
        Err(StoreError::Refused(format!(
            "the audit log of {space} kept moving; gave up after {AUDIT_RETRIES} tries"
        )))
    }

    async fn read_audit(&self, space: &str) -> Result<AuditLog, StoreError> {
        let mut connection = self.connection().await?;
        let reply: Value = self
            .scripts
            .audit_read
            .key(audit_head_key(space))
            .key(audit_key(space))
            .invoke_async(&mut connection)
            .await?;
        let malformed = || StoreError::Corrupt("malformed audit log".into());
        let Value::Array(reply) = reply else {
            return Err(malformed());
        };
        let [head, entries] = reply.as_slice() else {
            return Err(malformed());
        };
        let head = match head {
            Value::Nil => None,
            head => Some(String::from_utf8_lossy(bulk(head).ok_or_else(malformed)?).into_owned()),
        };
        let entries = parse_entries(entries, "e")?
            .into_iter()
            .map(|(seq, stored)| AuditEntry::decode(seq, &stored))
            .collect::<Result<_, _>>()?;
        Ok(AuditLog {
            entries,
            head: head.as_deref().map(AuditHead::decode).transpose()?,
        })
    }

    async fn change_register(
        &self,
        space: &str,
        change: RegisterChange,
    ) -> Result<RegisterAnswer, StoreError> {
        let (register, field) = change.place();
        let key = register_key(space, register);
        // Read, decide, and write only if nobody wrote meanwhile: the same
        // decision as the embedded store's, by the same code.
        for _ in 0..AUDIT_RETRIES {
            let held: Option<String> = self.run(redis::cmd("HGET").arg(&key).arg(field)).await?;
            let (value, answer) = change.apply(held.as_deref());
            if value == held {
                return Ok(answer);
            }
            let mut connection = self.connection().await?;
            let swapped: i64 = self
                .scripts
                .register_swap
                .key(&key)
                .arg(field)
                .arg(u8::from(held.is_some()))
                .arg(held.as_deref().unwrap_or_default())
                .arg(u8::from(value.is_some()))
                .arg(value.as_deref().unwrap_or_default())
                .invoke_async(&mut connection)
                .await?;
            if swapped == 1 {
                return Ok(answer);
            }
        }
        Err(StoreError::Refused(format!(
            "the {} of {space} kept changing; gave up after {AUDIT_RETRIES} tries",
            register.name()
        )))
    }

    async fn revocations(&self, space: &str) -> Result<Revocations, StoreError> {
        let stored: Vec<(String, String)> = self
            .run(redis::cmd("HGETALL").arg(register_key(space, Register::Revoked)))
            .await?;
        registers::revocations(stored)
    }

    async fn check(&self) -> Result<(), StoreError> {
        let _: String = self.run(&redis::cmd("PING")).await?;
        self.verify().await
    }

    fn follow(
        &self,
        doc: &DocName,
        after: Seq,
    ) -> Option<mpsc::Receiver<Result<Followed, StoreError>>> {
        let (sender, receiver) = mpsc::channel(16);
        let key = log_key(doc);
        let store = RedisStore {
            target: self.target.clone(),
            shared: self.shared.clone(),
            scripts: self.scripts.clone(),
            verified: Mutex::new(true),
        };
        tokio::spawn(async move {
            let result = follow_log(&store, &key, after, &sender).await;
            if let Err(error) = result {
                // The receiver may be gone already; then nobody needs telling.
                let _ = sender.send(Err(error)).await;
            }
        });
        Some(receiver)
    }
}

/// Reads the log after `after` until the receiver goes away or Redis fails.
async fn follow_log(
    store: &RedisStore,
    key: &str,
    mut after: Seq,
    sender: &mpsc::Sender<Result<Followed, StoreError>>,
) -> Result<(), StoreError> {
    let mut connection = store.dedicated().await?;
    loop {
        let mut read = redis::cmd("XREAD");
        read.arg("COUNT")
            .arg(READ_COUNT)
            .arg("BLOCK")
            .arg(BLOCK.as_millis() as u64)
            .arg("STREAMS")
            .arg(key)
            .arg(format!("0-{after}"));
        let reply: Value = read.query_async(&mut connection).await?;
        if sender.is_closed() {
            return Ok(());
        }
        let entries = match &reply {
            Value::Nil => continue,
            Value::Array(streams) => match streams.first() {
                Some(Value::Array(stream)) => match stream.as_slice() {
                    [_, entries] => parse_entries(entries, "u")?,
                    _ => return Err(StoreError::Corrupt("malformed stream read".into())),
                },
                _ => continue,
            },
            _ => return Err(StoreError::Corrupt("malformed stream read".into())),
        };
        let Some(&(first, _)) = entries.first() else {
            continue;
        };
        let last = entries.last().map_or(first, |&(last, _)| last);
        let followed = if first > after + 1 {
            // Entries were trimmed before this node read them: it must reload.
            Followed::Gap
        } else {
            Followed::Updates(entries)
        };
        after = last;
        if sender.send(Ok(followed)).await.is_err() {
            return Ok(());
        }
    }
}

/// One of the connection kinds, as one `ConnectionLike`.
enum Connection {
    Single(ConnectionManager),
    Dedicated(MultiplexedConnection),
    Cluster(ClusterConnection),
}

impl ConnectionLike for Connection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Connection::Single(c) => c.req_packed_command(cmd),
            Connection::Dedicated(c) => c.req_packed_command(cmd),
            Connection::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Connection::Single(c) => c.req_packed_commands(cmd, offset, count),
            Connection::Dedicated(c) => c.req_packed_commands(cmd, offset, count),
            Connection::Cluster(c) => c.req_packed_commands(cmd, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Connection::Single(c) => c.get_db(),
            Connection::Dedicated(c) => c.get_db(),
            Connection::Cluster(c) => c.get_db(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance;
    use draftroom_testkit::{RedisCluster, RedisOptions, RedisServer};

    fn name(doc: &str) -> DocName {
        DocName::new("redis-test", doc).expect("valid")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn conforms_on_a_single_redis() {
        let redis = RedisServer::start(RedisOptions::default());
        let store = Arc::new(RedisStore::new(&redis.url()).expect("valid url"));
        conformance::run_all(store).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn conforms_on_a_cluster() {
        let cluster = RedisCluster::start(3);
        let store = Arc::new(RedisStore::new(&cluster.url()).expect("valid url"));
        conformance::run_all(store).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn keys_carry_the_document_as_a_hash_tag() {
        let redis = RedisServer::start(RedisOptions::default());
        let store = RedisStore::new(&redis.url()).expect("valid url");
        let doc = name("topic-c/rec-1");
        store
            .append(&doc, Bytes::from_static(b"x"))
            .await
            .expect("appends");
        let keys = redis.command("KEYS *");
        assert!(
            keys.contains("draftroom:{redis-test/topic-c/rec-1}:log"),
            "{keys}"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_follower_hears_other_writers_in_order() {
        let redis = RedisServer::start(RedisOptions::default());
        let writer = RedisStore::new(&redis.url()).expect("valid url");
        let reader = RedisStore::new(&redis.url()).expect("valid url");
        let doc = name("followed");
        writer
            .append(&doc, Bytes::from_static(b"before"))
            .await
            .expect("appends");
        let mut follow = reader.follow(&doc, 1).expect("redis follows");
        for text in ["one", "two", "three"] {
            writer
                .append(&doc, Bytes::copy_from_slice(text.as_bytes()))
                .await
                .expect("appends");
        }
        let mut heard = Vec::new();
        while heard.len() < 3 {
            match follow.recv().await.expect("open").expect("reads") {
                Followed::Updates(entries) => heard.extend(entries),
                Followed::Gap => panic!("no gap expected"),
            }
        }
        let seqs: Vec<Seq> = heard.iter().map(|(seq, _)| *seq).collect();
        assert_eq!(seqs, vec![2, 3, 4]);
        assert_eq!(heard[2].1, Bytes::from_static(b"three"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_follower_that_fell_behind_a_compaction_is_told_to_reload() {
        let redis = RedisServer::start(RedisOptions::default());
        let store = RedisStore::new(&redis.url()).expect("valid url");
        let doc = name("gap");
        for _ in 0..(GRACE + 10) {
            store
                .append(&doc, Bytes::from_static(b"x"))
                .await
                .expect("appends");
        }
        let snapshot = Snapshot {
            state: Bytes::from_static(b"all"),
            covers: GRACE + 10,
        };
        assert!(store.compact(&doc, snapshot).await.expect("compacts"));
        let mut follow = store.follow(&doc, 1).expect("redis follows");
        assert!(matches!(follow.recv().await, Some(Ok(Followed::Gap))));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_audit_key_names_the_space_and_tampering_is_detected() {
        let redis = RedisServer::start(RedisOptions::default());
        let store = RedisStore::new(&redis.url()).expect("valid url");
        for n in 0..3 {
            store
                .append_audit("wg", Bytes::from(format!("{{\"n\":{n}}}")))
                .await
                .expect("appends");
        }
        assert!(
            redis
                .command("KEYS *audit*")
                .contains("draftroom:{wg}:audit")
        );
        assert_eq!(
            crate::verify_audit(&store.read_audit("wg").await.expect("reads")),
            Ok(3)
        );
        redis.command("XDEL draftroom:{wg}:audit 0-2");
        let fault = crate::verify_audit(&store.read_audit("wg").await.expect("reads"))
            .expect_err("removed");
        assert_eq!(fault.seq, 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_redis_that_may_evict_is_refused() {
        let redis = RedisServer::start(RedisOptions {
            maxmemory_policy: "allkeys-lru",
            ..RedisOptions::default()
        });
        let store = RedisStore::new(&redis.url()).expect("valid url");
        let error = store.check().await.expect_err("refused");
        assert!(error.to_string().contains("allkeys-lru"), "{error}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_store_made_while_redis_is_down_recovers_when_it_comes_up() {
        let mut redis = RedisServer::start(RedisOptions::default());
        redis.kill();
        let store = RedisStore::new(&redis.url()).expect("made without connecting");
        assert!(store.check().await.is_err());
        redis.restart();
        let mut tries = 0;
        while store.check().await.is_err() {
            tries += 1;
            assert!(tries < 100, "never recovered");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        store
            .append(&name("late"), Bytes::from_static(b"x"))
            .await
            .expect("appends");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn acknowledged_appends_survive_a_redis_crash() {
        let mut redis = RedisServer::start(RedisOptions::default());
        let store = RedisStore::new(&redis.url()).expect("valid url");
        let doc = name("crash");
        for i in 0..100u32 {
            store
                .append(&doc, Bytes::copy_from_slice(&i.to_be_bytes()))
                .await
                .expect("appends");
        }
        redis.restart();
        let mut loaded = store.load(&doc).await;
        let mut tries = 0;
        while loaded.is_err() && tries < 100 {
            tries += 1;
            tokio::time::sleep(Duration::from_millis(100)).await;
            loaded = store.load(&doc).await;
        }
        assert_eq!(loaded.expect("loads").updates.len(), 100);
    }
}
