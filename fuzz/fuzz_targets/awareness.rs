//! An awareness update as the payload of an awareness message: decoding,
//! then a document's awareness table as two users on three connections
//! send it, leave and time out.
#![no_main]

use std::sync::Arc;
use std::time::{Duration, Instant};

use draftroom_protocol::{AWARENESS_TIMEOUT, AwarenessTable, AwarenessUpdate, Speaker};
use draftroom_server::Config;
use libfuzzer_sys::fuzz_target;

fn speaker(connection: u64, user: &str) -> Speaker {
    Speaker {
        connection,
        user: Arc::from(user),
    }
}

fuzz_target!(|bytes: &[u8]| {
    // The server's own limits, so that the table's caps are reached too.
    let limits = Config::default().awareness;
    let Ok(update) = AwarenessUpdate::decode(bytes, &limits) else {
        return;
    };
    assert_eq!(
        AwarenessUpdate::decode(&update.encode(), &limits).as_ref(),
        Ok(&update),
        "what the server re-encodes decodes to the same"
    );
    let start = Instant::now();
    let mut table = AwarenessTable::new(limits.clone());
    let speakers = [speaker(1, "ana"), speaker(2, "bo"), speaker(3, "ana")];
    for (turn, speaker) in speakers.iter().enumerate() {
        let now = start + Duration::from_secs(turn as u64);
        let applied = table.apply(speaker, update.clone(), now);
        AwarenessUpdate::decode(&applied.changed.encode(), &limits)
            .expect("what the server relays decodes");
    }
    let snapshot = table.snapshot();
    AwarenessUpdate::decode(&snapshot.encode(), &limits).expect("a snapshot decodes");
    assert!(
        snapshot.entries.iter().all(|entry| entry.state.is_some()),
        "a snapshot lists only present clients"
    );
    let last = start + Duration::from_secs(speakers.len() as u64 - 1);
    table.remove_connection(1, last);
    table.expire(last + AWARENESS_TIMEOUT);
    assert!(
        table.snapshot().is_empty(),
        "nothing outlives the timeout without renewal"
    );
});
