//! The operations layer: everything a person can do to a space, with the
//! roles each needs, as plain functions over rooms and the store. It knows
//! nothing of HTTP: the HTTP layer, the demo space and the
//! command line call it alike, so every path keeps the same rules.
//!
//! Every change goes through the document's room ([`Rooms::edit`]), which
//! applies it in a transaction, stores and broadcasts it like a live edit,
//! then answers; reads go the same way ([`Rooms::read`]). So operations and
//! websockets never race, and on Redis any node can serve either. Every
//! governance action is appended to the space's audit log once it has
//! happened.
//!
//! - [`spaces`]: creating a space, reading it.
//! - [`recommendations`]: creating, reading, status, alternatives, support.
//! - [`brackets`]: holding, releasing and clearing brackets.
//! - [`comments`]: comments on passages, replies, resolving.
//! - [`suggestions`]: suggested changes, accepted or rejected one by one.
//! - [`proposals`]: the inbox: submit, categorize, merge, reject, withdraw.
//! - [`versions`]: naming and listing versions.
//! - [`meetings`]: meetings, their deadlines, points of broad agreement.
//! - [`implementation`]: reports on adopted recommendations' implementation.
//! - [`diff`]: word diffs between named texts.
//! - [`history`]: a recommendation's lineage and a meeting's activity, from
//!   the audit log, and the Chair's summary drafted from it.
//! - [`audit`]: recording, reading and verifying the audit log.
//! - [`export`]: a space for the Chair's report.
//! - [`people`]: the roster: names, delegations and roles.
//! - [`links`]: sign-in links the chair mints for people on the roster.
//! - [`access`]: revoking a person's access, and refusing their tokens on
//!   every node.
//! - [`demo`]: the demo space, made through the operations above.

pub(crate) mod access;
pub(crate) mod audit;
pub(crate) mod brackets;
pub(crate) mod comments;
pub(crate) mod demo;
pub(crate) mod diff;
mod error;
pub(crate) mod export;
pub(crate) mod history;
pub(crate) mod implementation;
pub(crate) mod limits;
pub(crate) mod links;
pub(crate) mod meetings;
pub(crate) mod people;
pub(crate) mod proposals;
pub(crate) mod recommendations;
pub(crate) mod spaces;
pub(crate) mod suggestions;
#[cfg(test)]
mod tests;
pub(crate) mod versions;

use draftroom_auth::{Claims, Role, Secret};
use draftroom_model::Editor;
use draftroom_store::DocName;

pub(crate) use error::OpError;

use crate::rooms::Rooms;
use limits::{Creations, InputLimits};

/// Who does an operation: a user with a role in one space, as a verified
/// token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Actor {
    pub(crate) space: String,
    pub(crate) user: String,
    pub(crate) role: Role,
}

impl From<Claims> for Actor {
    fn from(claims: Claims) -> Self {
        Actor {
            space: claims.space,
            user: claims.user,
            role: claims.role,
        }
    }
}

impl Actor {
    /// Refuses unless the actor holds `least` or a higher role.
    pub(crate) fn require(&self, least: Role) -> Result<(), OpError> {
        if self.role < least {
            return Err(OpError::Forbidden {
                needed: least,
                actual: self.role,
            });
        }
        Ok(())
    }

    /// The actor as the drafting rules see an editor.
    pub(crate) fn editor(&self) -> Editor<'_> {
        Editor {
            user: &self.user,
            oversees: self.role >= Role::ViceChair,
        }
    }

    /// A document of the actor's space.
    fn doc(&self, doc: &str) -> Result<DocName, OpError> {
        doc_name(&self.space, doc)
    }
}

/// A document of `space`; a name made of what a caller sent may be none.
pub(crate) fn doc_name(space: &str, doc: &str) -> Result<DocName, OpError> {
    DocName::new(space, doc).map_err(OpError::BadDocName)
}

/// Everything operations need: the rooms (and through them, the store
/// and the settings), the secret that signs sign-in links, and how much
/// each person may hand them. Cloning is cheap.
#[derive(Clone)]
pub(crate) struct Operations {
    pub(crate) rooms: Rooms,
    pub(crate) access: access::Access,
    secret: Secret,
    limits: InputLimits,
    creations: Creations,
}

impl Operations {
    pub(crate) fn new(rooms: Rooms, secret: Secret) -> Self {
        let limits = InputLimits::of(&rooms.config);
        let creations = Creations::new(rooms.config.creations_per_minute);
        Operations {
            access: access::Access::new(rooms.store.clone()),
            rooms,
            secret,
            limits,
            creations,
        }
    }
}

/// Refuses a blank required text with `message`.
fn require_text(value: &str, message: &'static str) -> Result<(), OpError> {
    if value.trim().is_empty() {
        Err(OpError::Invalid(message.into()))
    } else {
        Ok(())
    }
}

/// Runs an operation of several steps to its end even if whoever asked
/// stops waiting (a request that times out, a client that hangs up):
/// dropped halfway, it would leave a merge applied but not recorded.
async fn to_completion<T: Send + 'static>(
    operation: impl Future<Output = Result<T, OpError>> + Send + 'static,
) -> Result<T, OpError> {
    tokio::spawn(operation)
        .await
        .map_err(|error| OpError::Internal(format!("an operation stopped halfway: {error}")))?
}

/// A new random id with `prefix` (`alt-`, `p-`, `v-`), unique enough for
/// the records of one space.
fn random_id(prefix: &str) -> String {
    format!("{prefix}{:08x}", rand::random::<u32>())
}
