//! A state vector as the payload of sync step 1: the protocol check, then
//! the room's answer (what the client lacks).
#![no_main]

use draftroom_fuzz::handle_frame;
use draftroom_protocol::{encode_sync_step1, inspect_state_vector};
use draftroom_server::fuzzing::Room;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|state_vector: &[u8]| {
    if inspect_state_vector(state_vector).is_err() {
        return;
    }
    let mut room = Room::recommendation();
    // A state vector the check accepts, yrs reads: the room answers it
    // rather than closing the connection.
    assert!(room.frame(&encode_sync_step1(state_vector)).is_ok());
    handle_frame(&mut room, &encode_sync_step1(state_vector));
});
