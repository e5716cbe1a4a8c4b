//! A whole websocket frame from a member, as the connection decodes it and
//! the room handles it: sync steps, updates, awareness, queries.
#![no_main]

use draftroom_fuzz::handle_frame;
use draftroom_server::fuzzing::Room;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|frame: &[u8]| {
    handle_frame(&mut Room::recommendation(), frame);
});
