//! Tokens: who a user is, their role, and the one space they are good for.
//!
//! A token is `PAYLOAD.SIGNATURE`, both base64url without padding: the payload
//! is JSON claims, the signature HMAC-SHA256 of the payload text under the
//! server's secret. Anyone holding the secret can mint tokens (the
//! `draftroom token` command does), so the secret is the one thing to guard.
//! Time is passed in, never read here, so expiry is testable.

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use thiserror::Error;

type HmacSha256 = Hmac<Sha256>;

/// What someone may do in a space, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Watches the live text and changes nothing.
    Observer,
    /// Co-edits texts, writes alternatives, submits proposals.
    Member,
    /// Merges members' proposals into the drafts.
    ViceChair,
    /// Runs the space: creates, moves statuses, names versions.
    Chair,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Chair, Role::ViceChair, Role::Member, Role::Observer];

    /// Whether this role may change a document's content.
    pub fn can_edit(self) -> bool {
        self >= Role::Member
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Observer => "observer",
            Role::Member => "member",
            Role::ViceChair => "vice-chair",
            Role::Chair => "chair",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown role {0:?} (expected chair, vice-chair, member or observer)")]
pub struct UnknownRole(String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// What a token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub space: String,
    pub user: String,
    pub role: Role,
    /// When it was issued, in seconds since the Unix epoch. A revocation
    /// refuses the tokens its user was issued until then. Tokens made
    /// before tokens said so count as issued at the epoch.
    #[serde(default)]
    pub iat: u64,
    /// Expiry, in seconds since the Unix epoch.
    pub exp: u64,
}

impl Claims {
    /// Claims issued at `now` (seconds since the Unix epoch) that hold for
    /// `ttl` seconds; `None` if they would expire after the end of time.
    pub fn issued(space: &str, user: &str, role: Role, now: u64, ttl: u64) -> Option<Claims> {
        Some(Claims {
            space: space.to_owned(),
            user: user.to_owned(),
            role,
            iat: now,
            exp: now.checked_add(ttl)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TokenError {
    #[error("the token is not a Draftroom token")]
    Malformed,
    #[error("the token's signature does not match this server's secret")]
    BadSignature,
    #[error("the token expired")]
    Expired,
    #[error("the token is for space {token_space:?}, not {space:?}")]
    OtherSpace { token_space: String, space: String },
}

impl TokenError {
    /// True when the token is good but not for what was asked (HTTP 403, not 401).
    pub fn is_forbidden(&self) -> bool {
        matches!(self, TokenError::OtherSpace { .. })
    }
}

/// The server's signing secret.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret {
    /// A secret must be long enough that it cannot be guessed.
    pub const MIN_LEN: usize = 16;

    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, SecretTooShort> {
        let bytes = bytes.into();
        if bytes.len() < Self::MIN_LEN {
            return Err(SecretTooShort);
        }
        Ok(Secret(bytes))
    }

    fn mac(&self, payload: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(payload.as_bytes());
        mac
    }

    pub fn sign(&self, claims: &Claims) -> String {
        let json = serde_json::to_vec(claims).expect("claims always serialize");
        let payload = URL_SAFE_NO_PAD.encode(json);
        let signature = URL_SAFE_NO_PAD.encode(self.mac(&payload).finalize().into_bytes());
        format!("{payload}.{signature}")
    }

    /// Checks a token for `space` at time `now` (seconds since the epoch).
    pub fn verify(&self, token: &str, space: &str, now: u64) -> Result<Claims, TokenError> {
        let (payload, signature) = token.split_once('.').ok_or(TokenError::Malformed)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| TokenError::Malformed)?;
        self.mac(payload)
            .verify_slice(&signature)
            .map_err(|_| TokenError::BadSignature)?;
        let json = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| TokenError::Malformed)?;
        let claims: Claims = serde_json::from_slice(&json).map_err(|_| TokenError::Malformed)?;
        if claims.exp <= now {
            return Err(TokenError::Expired);
        }
        if claims.space != space {
            return Err(TokenError::OtherSpace {
                token_space: claims.space,
                space: space.to_owned(),
            });
        }
        Ok(claims)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("the secret must be at least {} bytes", Secret::MIN_LEN)]
pub struct SecretTooShort;

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> Secret {
        Secret::new("correct horse battery staple").expect("long enough")
    }

    fn claims(role: Role) -> Claims {
        Claims::issued("wgigf", "ana", role, 400, 600).expect("in time")
    }

    #[test]
    fn a_signed_token_verifies() {
        let token = secret().sign(&claims(Role::ViceChair));
        assert_eq!(
            secret().verify(&token, "wgigf", 999),
            Ok(claims(Role::ViceChair))
        );
    }

    #[test]
    fn refuses_forged_expired_and_other_space_tokens() {
        let token = secret().sign(&claims(Role::Observer));
        let other = Secret::new("another secret of enough length").expect("long enough");
        assert_eq!(
            other.verify(&token, "wgigf", 1),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            secret().verify(&token, "wgigf", 1_000),
            Err(TokenError::Expired)
        );
        let err = secret()
            .verify(&token, "other", 1)
            .expect_err("other space");
        assert!(err.is_forbidden());
        assert_eq!(
            secret().verify("nonsense", "wgigf", 1),
            Err(TokenError::Malformed)
        );

        // A payload changed to claim chair no longer matches its signature.
        let (_, signature) = token.split_once('.').expect("two parts");
        let forged_payload =
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(Role::Chair)).expect("serializes"));
        assert_eq!(
            secret().verify(&format!("{forged_payload}.{signature}"), "wgigf", 1),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn roles_parse_and_order() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse(), Ok(role));
        }
        assert!("admin".parse::<Role>().is_err());
        assert!(Role::Member.can_edit() && !Role::Observer.can_edit());
    }

    #[test]
    fn short_secrets_are_refused() {
        assert_eq!(Secret::new("short").map(|_| ()), Err(SecretTooShort));
    }
}
