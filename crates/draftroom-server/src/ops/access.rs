//! Who may still sign in: the chair revokes a person's access, and every
//! node refuses the tokens that person was issued until then, on the API
//! at once and on open websockets within [`REFRESH`]. Revocations live in
//! the store (so every node sharing it agrees, and they survive restarts);
//! each node keeps what it read for a space at most [`REFRESH`], and a task
//! rereads the spaces that have open connections, which watch for their
//! user's revocation.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use draftroom_auth::{Claims, Role};
use draftroom_model::{AuditAction, DocPath};
use draftroom_store::{Revocations, Store};
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::sync::watch;

use super::links::user_name;
use super::{Actor, OpError, Operations};
use crate::clock::now_secs;

/// How long a node trusts what it read of a space's revocations.
pub(crate) const REFRESH: Duration = Duration::from_secs(1);

/// How long a space nobody is connected to keeps its revocations in
/// memory after they were last read.
const FORGET_AFTER: Duration = Duration::from_secs(60);

/// What a revoked person is told.
pub(crate) const REVOKED: &str =
    "your access to this space was revoked: ask the chair for a new sign-in link";

/// A space's revocations as this node knows them; the open connections of
/// the space watch them.
pub(crate) type Watched = watch::Receiver<Arc<Revocations>>;

/// Whether the revocations refuse a token `user` was issued at `issued_at`.
pub(crate) fn is_revoked(revocations: &Revocations, user: &str, issued_at: u64) -> bool {
    revocations
        .get(user)
        .is_some_and(|&revoked_at| issued_at <= revoked_at)
}

struct Known {
    revocations: watch::Sender<Arc<Revocations>>,
    /// When they were last read from the store; never, for a space just
    /// asked after.
    read_at: Option<Instant>,
    /// Held while they are read again, so that a crowd asking at once
    /// (ten thousand clients reconnecting) makes one store read, not one
    /// each.
    reading: Arc<tokio::sync::Mutex<()>>,
}

impl Known {
    fn unread() -> Known {
        Known {
            revocations: watch::Sender::new(Arc::default()),
            read_at: None,
            reading: Arc::default(),
        }
    }

    fn fresh(&self) -> bool {
        self.read_at.is_some_and(|at| at.elapsed() < REFRESH)
    }
}

struct Inner {
    store: Arc<dyn Store>,
    spaces: Mutex<HashMap<String, Known>>,
}

/// The revocations of every space this node serves. Cloning is cheap.
#[derive(Clone)]
pub(crate) struct Access {
    inner: Arc<Inner>,
}

impl Access {
    /// Starts the task that keeps watched spaces' revocations fresh; it
    /// ends with the last clone.
    pub(crate) fn new(store: Arc<dyn Store>) -> Access {
        let inner = Arc::new(Inner {
            store,
            spaces: Mutex::new(HashMap::new()),
        });
        tokio::spawn(refresh_watched(Arc::downgrade(&inner)));
        Access { inner }
    }

    /// Refuses a token whose user's access was revoked after it was issued.
    pub(crate) async fn check(&self, claims: &Claims) -> Result<(), OpError> {
        let revocations = self.current(&claims.space).await?;
        if is_revoked(&revocations, &claims.user, claims.iat) {
            return Err(OpError::Revoked);
        }
        Ok(())
    }

    /// The space's revocations, to watch for as long as a connection is
    /// open; the refresh task keeps them fresh while anyone watches.
    pub(crate) fn watch(&self, space: &str) -> Watched {
        let mut spaces = self.inner.lock();
        let known = spaces.entry(space.to_owned()).or_insert_with(Known::unread);
        known.revocations.subscribe()
    }

    /// The space's revocations, read again (by one caller at a time) if
    /// this node's copy is older than [`REFRESH`].
    async fn current(&self, space: &str) -> Result<Arc<Revocations>, OpError> {
        let reading = {
            let mut spaces = self.inner.lock();
            let known = spaces.entry(space.to_owned()).or_insert_with(Known::unread);
            if known.fresh() {
                return Ok(known.revocations.borrow().clone());
            }
            known.reading.clone()
        };
        let _turn = reading.lock().await;
        // Whoever read them while this waited has them fresh.
        if let Some(known) = self.inner.lock().get(space)
            && known.fresh()
        {
            return Ok(known.revocations.borrow().clone());
        }
        Ok(self.inner.reread(space).await?)
    }
}

impl Inner {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Known>> {
        self.spaces
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reads the space's revocations from the store, and tells those who
    /// watch them if they changed.
    async fn reread(&self, space: &str) -> Result<Arc<Revocations>, draftroom_store::StoreError> {
        let read = Arc::new(self.store.revocations(space).await?);
        let mut spaces = self.lock();
        let known = spaces.entry(space.to_owned()).or_insert_with(Known::unread);
        known.read_at = Some(Instant::now());
        known.revocations.send_if_modified(|held| {
            let changed = **held != *read;
            if changed {
                *held = read.clone();
            }
            changed
        });
        Ok(read)
    }
}

/// Every [`REFRESH`], rereads the revocations of the spaces with open
/// connections, and forgets those nobody has asked after for a while.
async fn refresh_watched(inner: Weak<Inner>) {
    let mut ticks = tokio::time::interval(REFRESH);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let Some(inner) = inner.upgrade() else {
            return;
        };
        let watched: Vec<String> = {
            let mut spaces = inner.lock();
            spaces.retain(|_, known| {
                known.revocations.receiver_count() > 0
                    || known.read_at.is_some_and(|at| at.elapsed() < FORGET_AFTER)
            });
            spaces
                .iter()
                .filter(|(_, known)| known.revocations.receiver_count() > 0 && !known.fresh())
                .map(|(space, _)| space.clone())
                .collect()
        };
        for space in watched {
            // A store that does not answer now is asked again next time;
            // meanwhile the API refuses what it cannot check.
            if let Err(error) = inner.reread(&space).await {
                tracing::warn!(%space, %error, "could not read the space's revocations");
            }
        }
    }
}

/// The document in which `user` follows their own proposals:
/// `proposals/{key}`, the key a digest of the user's id (which may hold any
/// character a document name may not).
pub(crate) fn authors_proposals_doc(user: &str) -> String {
    let digest = Sha256::digest(user.as_bytes());
    let key: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    DocPath::AuthorsProposals(&key).to_string()
}

/// The live document in which the actor follows the proposals they may
/// see: every proposal's for those who see every one, their own for
/// members, none for observers (who see none).
pub(crate) fn proposals_doc_of(actor: &Actor) -> Option<String> {
    match actor.role {
        Role::Chair | Role::ViceChair => Some(DocPath::Proposals.to_string()),
        Role::Member => Some(authors_proposals_doc(&actor.user)),
        Role::Observer => None,
    }
}

impl Operations {
    /// Refuses the actor a document they may not read, on the websocket
    /// as on the API: the proposals inbox is the vice-chair's and the
    /// chair's, each author's proposals their own, and a branch its
    /// author's (and theirs). A branch whose proposal the actor may not
    /// see is, to them, no such proposal; a Chair's summary is a meeting's
    /// there is.
    pub(crate) async fn may_open(&self, actor: &Actor, doc: &str) -> Result<(), OpError> {
        match DocPath::parse(doc) {
            DocPath::Proposals => actor.require(Role::ViceChair),
            DocPath::AuthorsProposals(_) if doc == authors_proposals_doc(&actor.user) => Ok(()),
            DocPath::AuthorsProposals(_) => Err(OpError::NotYours),
            DocPath::Branch(id) => self.proposal(actor, id).await.map(drop),
            // Only a meeting there is has a summary: nobody makes documents
            // under `summaries/` at will.
            DocPath::Summary(meeting) => self.meeting(actor, meeting).await.map(drop),
            DocPath::Index
            | DocPath::ProposalRecords
            | DocPath::Versions
            | DocPath::Meetings
            | DocPath::Recommendation(_)
            | DocPath::VersionCopy { .. }
            | DocPath::Other(_) => Ok(()),
        }
    }

    /// Revokes `user`'s access to the actor's space (chair): the links they
    /// were given stop working, on every node; a link minted for them
    /// later works.
    pub(crate) async fn revoke(&self, actor: &Actor, user: &str) -> Result<(), OpError> {
        actor.require(Role::Chair)?;
        let user = user_name(user)?;
        if user == actor.user {
            return Err(OpError::Invalid(
                "you cannot revoke your own access: another chair can".into(),
            ));
        }
        let at = self.end_access(&actor.space, user).await?;
        self.record(
            actor,
            AuditAction::AccessRevoked,
            json!({ "user": user, "at": at }),
        )
        .await
    }

    /// Ends every link `user` was given for `space` until now, on every
    /// node; returns when (seconds since the Unix epoch).
    pub(crate) async fn end_access(&self, space: &str, user: &str) -> Result<u64, OpError> {
        // A link minted just after an earlier revocation is issued a second
        // after it (see `issue_time`), perhaps later than now: this one
        // ends it too.
        let at = self.issue_time(space, user).await?;
        self.rooms.store.revoke(space, user, at).await?;
        self.access.inner.reread(space).await?;
        Ok(at)
    }

    /// Everyone whose access to the actor's space was revoked, and when
    /// (chair).
    pub(crate) async fn revocations(&self, actor: &Actor) -> Result<Revocations, OpError> {
        actor.require(Role::Chair)?;
        Ok(self.rooms.store.revocations(&actor.space).await?)
    }

    /// When a link minted now for `user` is issued: after their last
    /// revocation, so that revoking and inviting again in one second
    /// leaves the new link working.
    pub(crate) async fn issue_time(&self, space: &str, user: &str) -> Result<u64, OpError> {
        let revoked = self.rooms.store.revocations(space).await?;
        let after = revoked.get(user).map_or(0, |at| at + 1);
        Ok(now_secs().max(after))
    }
}
