//! A JSON body for each route of the HTTP API that takes one, parsed as
//! its handler does; the first byte picks the route.
#![no_main]

use draftroom_server::fuzzing::request_body;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Some((&route, body)) = bytes.split_first() {
        let _ = request_body(route, body);
    }
});
