//! A Yjs update as the payload of an update message: the protocol check,
//! then the room's limits, policy and yrs, as for a live edit.
#![no_main]

use draftroom_fuzz::handle_frame;
use draftroom_protocol::{encode_update, inspect_update};
use draftroom_server::fuzzing::Room;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|update: &[u8]| {
    // Most inputs are refused by the check alone; the room is made only
    // for those it accepts.
    if inspect_update(update).is_err() {
        return;
    }
    handle_frame(&mut Room::recommendation(), &encode_update(update));
});
