//! A space's registers: small values that every server sharing the store
//! must agree on, each changed in one atomic step of the store, so that
//! two servers deciding at once cannot both win.
//!
//! - claims: who holds a key (a proposal's merge), first come first served;
//! - numbers: the last number given in a series (a topic's
//!   recommendations), never given twice;
//! - revocations: since when a user's sign-in links no longer work.

use std::collections::BTreeMap;

use crate::StoreError;

/// One atomic change to a space's registers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterChange {
    /// Makes `holder` hold `key` unless someone does.
    Claim { key: String, holder: String },
    /// Lets go of `key` if `holder` holds it.
    Release { key: String, holder: String },
    /// Gives the next number of `series`: one more than the last given or
    /// than `at_least`, whichever is higher.
    NextNumber { series: String, at_least: u64 },
    /// Refuses `user`'s tokens issued at or before `at` (seconds since the
    /// Unix epoch); the latest time wins, so a node whose clock is behind
    /// never shortens a revocation.
    Revoke { user: String, at: u64 },
}

/// What a change came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterAnswer {
    /// A claim: `None` if the claimant now holds the key, else who does.
    Claimed(Option<String>),
    /// The number given.
    Number(u64),
    /// A release or a revocation, done.
    Done,
}

impl RegisterAnswer {
    pub(crate) fn claimed(self) -> Result<Option<String>, StoreError> {
        match self {
            RegisterAnswer::Claimed(holder) => Ok(holder),
            other => Err(unexpected(&other)),
        }
    }

    pub(crate) fn number(self) -> Result<u64, StoreError> {
        match self {
            RegisterAnswer::Number(number) => Ok(number),
            other => Err(unexpected(&other)),
        }
    }
}

fn unexpected(answer: &RegisterAnswer) -> StoreError {
    StoreError::Corrupt(format!("a register answered {answer:?}"))
}

/// Every revocation of a space: user → the time (seconds since the Unix
/// epoch) at or before which their tokens were issued no longer sign in.
pub type Revocations = BTreeMap<String, u64>;

/// Which table or hash of a space a register lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Register {
    Claims,
    Numbers,
    Revoked,
}

impl Register {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Register::Claims => "claims",
            Register::Numbers => "numbers",
            Register::Revoked => "revoked",
        }
    }
}

impl RegisterChange {
    /// The register it changes, and the key in it.
    pub(crate) fn place(&self) -> (Register, &str) {
        match self {
            RegisterChange::Claim { key, .. } | RegisterChange::Release { key, .. } => {
                (Register::Claims, key)
            }
            RegisterChange::NextNumber { series, .. } => (Register::Numbers, series),
            RegisterChange::Revoke { user, .. } => (Register::Revoked, user),
        }
    }

    /// The change applied to the value the key holds (if any): the value
    /// to store (`None`: remove it, or leave it absent) and the answer.
    /// Both backends decide by this, the embedded one in its write
    /// transaction, Redis in a script that does the same.
    pub(crate) fn apply(&self, held: Option<&str>) -> (Option<String>, RegisterAnswer) {
        match self {
            RegisterChange::Claim { holder, .. } => match held {
                Some(held) => (
                    Some(held.to_owned()),
                    RegisterAnswer::Claimed(Some(held.to_owned())),
                ),
                None => (Some(holder.clone()), RegisterAnswer::Claimed(None)),
            },
            RegisterChange::Release { holder, .. } => match held {
                Some(held) if held != holder => (Some(held.to_owned()), RegisterAnswer::Done),
                _ => (None, RegisterAnswer::Done),
            },
            RegisterChange::NextNumber { at_least, .. } => {
                let last = held.and_then(|held| held.parse::<u64>().ok()).unwrap_or(0);
                let next = last.max(*at_least).saturating_add(1);
                (Some(next.to_string()), RegisterAnswer::Number(next))
            }
            RegisterChange::Revoke { at, .. } => {
                let held = held.and_then(|held| held.parse::<u64>().ok()).unwrap_or(0);
                (Some(held.max(*at).to_string()), RegisterAnswer::Done)
            }
        }
    }
}

/// Reads stored revocations; a value that is not a number is corrupt.
pub(crate) fn revocations(
    stored: impl IntoIterator<Item = (String, String)>,
) -> Result<Revocations, StoreError> {
    stored
        .into_iter()
        .map(|(user, at)| {
            at.parse::<u64>()
                .map(|at| (user, at))
                .map_err(|_| StoreError::Corrupt(format!("a revocation holds {at:?}")))
        })
        .collect()
}
