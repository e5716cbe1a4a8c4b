//! Sign-in links: the chair invites someone on the roster with their role
//! in the space. A link is its signed token, so nothing is stored but an
//! audit entry saying who invited whom as what (never the token).

use draftroom_auth::{Claims, Role};
use draftroom_model::AuditAction;
use serde_json::json;

use super::people::PersonChange;
use super::{Actor, OpError, Operations, require_text};

/// The longest a minted link may work: a year.
pub(crate) const MAX_LINK_DAYS: u64 = 366;

/// How long a link works unless the chair says otherwise.
pub(crate) const DEFAULT_LINK_DAYS: u64 = 30;

/// A sign-in link someone was invited with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    pub(crate) user: String,
    pub(crate) role: Role,
    /// Seconds since the Unix epoch.
    pub(crate) expires_at: u64,
    pub(crate) token: String,
}

impl Link {
    /// The sign-in path, relative to the server: `/s/{space}?token=…`.
    pub(crate) fn path(&self, space: &str) -> String {
        format!("/s/{space}?token={}", self.token)
    }
}

/// A user's name as a chair types it: trimmed, 1 to 64 characters, none
/// of them control characters.
pub(crate) fn user_name(user: &str) -> Result<&str, OpError> {
    let user = user.trim();
    require_text(user, "a user's name is needed")?;
    if user.chars().count() > 64 || user.chars().any(char::is_control) {
        return Err(OpError::Invalid(
            "a user's name is at most 64 characters, without control characters".into(),
        ));
    }
    Ok(user)
}

impl Operations {
    /// Mints a sign-in link for `user`, working for `days` (chair only),
    /// with their role on the roster. Someone not on it is put on it, with
    /// `role` (a member if none is said); a `role` other than the one the
    /// roster gives them changes it there, which ends the links they were
    /// given before.
    pub(crate) async fn mint_link(
        &self,
        actor: &Actor,
        user: &str,
        role: Option<Role>,
        days: u64,
    ) -> Result<Link, OpError> {
        actor.require(Role::Chair)?;
        let user = user_name(user)?;
        self.creations.take(actor)?;
        if !(1..=MAX_LINK_DAYS).contains(&days) {
            return Err(OpError::Invalid(format!(
                "a link works for 1 to {MAX_LINK_DAYS} days"
            )));
        }
        let role = self
            .set_person(
                actor,
                user,
                PersonChange {
                    role,
                    ..PersonChange::default()
                },
            )
            .await?
            .role;
        let issued = self.issue_time(&actor.space, user).await?;
        let claims = Claims::issued(&actor.space, user, role, issued, days * 24 * 3600)
            .ok_or_else(|| OpError::Internal("a link's expiry overflowed".into()))?;
        let expires_at = claims.exp;
        let token = self.secret.sign(&claims);
        self.record(
            actor,
            AuditAction::LinkMinted,
            json!({ "user": user, "role": role, "issued_at": issued, "expires_at": expires_at }),
        )
        .await?;
        Ok(Link {
            user: user.to_owned(),
            role,
            expires_at,
            token,
        })
    }
}
