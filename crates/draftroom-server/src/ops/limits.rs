//! What one person may hand the operations: how long what they write may
//! be, and how often they may create something. Everything created is kept
//! for good (and copied into documents others load), so both are bounded.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{Actor, OpError};
use crate::config::Config;

/// How often creations are counted back: the allowance is per minute.
const WINDOW: Duration = Duration::from_secs(60);

/// The most people whose allowance is remembered; beyond it, those with a
/// full allowance again are forgotten (they lose nothing).
const REMEMBERED: usize = 10_000;

/// The lengths the operations take.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InputLimits {
    /// Titles, labels, names.
    pub(crate) max_title_chars: usize,
    /// Reasons and notes.
    pub(crate) max_note_chars: usize,
    /// Texts handed over whole: first texts, alternatives', proposals'.
    pub(crate) max_text_bytes: usize,
}

impl InputLimits {
    /// No limit: for what the server writes itself.
    pub(crate) const UNBOUNDED: InputLimits = InputLimits {
        max_title_chars: usize::MAX,
        max_note_chars: usize::MAX,
        max_text_bytes: usize::MAX,
    };

    pub(crate) fn of(config: &Config) -> InputLimits {
        InputLimits {
            max_title_chars: config.max_title_chars,
            max_note_chars: config.max_note_chars,
            max_text_bytes: config.max_text_bytes,
        }
    }

    /// Refuses a title, label or name longer than allowed.
    pub(crate) fn title(&self, what: &str, value: &str) -> Result<(), OpError> {
        within_chars(what, value, self.max_title_chars)
    }

    /// Refuses a reason or note longer than allowed.
    pub(crate) fn note(&self, what: &str, value: &str) -> Result<(), OpError> {
        within_chars(what, value, self.max_note_chars)
    }

    /// Refuses a text larger than allowed.
    pub(crate) fn text(&self, what: &str, value: &str) -> Result<(), OpError> {
        if value.len() > self.max_text_bytes {
            return Err(OpError::TooLong(format!(
                "{what} is {} bytes long; at most {} are taken",
                value.len(),
                self.max_text_bytes
            )));
        }
        Ok(())
    }
}

fn within_chars(what: &str, value: &str, max: usize) -> Result<(), OpError> {
    // Counting stops past the limit: a long value costs no more than that.
    let chars = value.chars().take(max.saturating_add(1)).count();
    if chars > max {
        return Err(OpError::TooLong(format!(
            "{what} is longer than {max} characters"
        )));
    }
    Ok(())
}

/// How many things each person may create per minute, on this node: a
/// token bucket per space and user, refilled continuously.
#[derive(Clone)]
pub(crate) struct Creations {
    per_minute: u32,
    buckets: Arc<Mutex<HashMap<(String, String), Bucket>>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Creations {
    pub(crate) fn new(per_minute: u32) -> Creations {
        Creations {
            per_minute,
            buckets: Arc::default(),
        }
    }

    /// Takes one creation from `actor`'s allowance, or says when the next
    /// one is allowed.
    pub(crate) fn take(&self, actor: &Actor) -> Result<(), OpError> {
        self.take_at(actor, Instant::now())
    }

    fn take_at(&self, actor: &Actor, now: Instant) -> Result<(), OpError> {
        let full = f64::from(self.per_minute);
        let per_second = full / WINDOW.as_secs_f64();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= REMEMBERED {
            buckets.retain(|_, bucket| refilled(*bucket, now, per_second, full) < full);
        }
        let key = (actor.space.clone(), actor.user.clone());
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: full,
            at: now,
        });
        let tokens = refilled(*bucket, now, per_second, full);
        if tokens < 1.0 {
            let wait = Duration::from_secs_f64((1.0 - tokens) / per_second);
            return Err(OpError::TooMany {
                per_minute: self.per_minute,
                retry_after: wait.as_secs().max(1),
            });
        }
        *bucket = Bucket {
            tokens: tokens - 1.0,
            at: now,
        };
        Ok(())
    }
}

fn refilled(bucket: Bucket, now: Instant, per_second: f64, full: f64) -> f64 {
    let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
    (bucket.tokens + elapsed * per_second).min(full)
}

#[cfg(test)]
mod tests {
    use draftroom_auth::Role;

    use super::*;

    fn actor(user: &str) -> Actor {
        Actor {
            space: "wgigf".into(),
            user: user.into(),
            role: Role::Member,
        }
    }

    #[test]
    fn each_person_creates_at_most_their_allowance_per_minute_then_one_more_as_it_refills() {
        let creations = Creations::new(3);
        let start = Instant::now();
        let (ana, bo) = (actor("ana"), actor("bo"));
        for _ in 0..3 {
            creations
                .take_at(&ana, start)
                .expect("within the allowance");
        }
        match creations.take_at(&ana, start) {
            Err(OpError::TooMany {
                per_minute: 3,
                retry_after: 20,
            }) => {}
            other => panic!("the fourth is refused until a third of a minute passes: {other:?}"),
        }
        creations.take_at(&bo, start).expect("others keep theirs");
        let later = start + Duration::from_secs(20);
        creations.take_at(&ana, later).expect("refilled by one");
        assert!(creations.take_at(&ana, later).is_err());
    }

    #[test]
    fn lengths_are_refused_one_past_the_limit() {
        let limits = InputLimits {
            max_title_chars: 3,
            max_note_chars: 5,
            max_text_bytes: 4,
        };
        limits.title("the title", "éé√").expect("three characters");
        let refused = limits.title("the title", "abcd").expect_err("four");
        assert_eq!(refused.to_string(), "the title is longer than 3 characters");
        limits.note("the reason", "12345").expect("five");
        assert!(limits.note("the reason", "123456").is_err());
        limits.text("the text", "abcd").expect("four bytes");
        let refused = limits.text("the text", "abcé").expect_err("five bytes");
        assert_eq!(
            refused.to_string(),
            "the text is 5 bytes long; at most 4 are taken"
        );
    }
}
