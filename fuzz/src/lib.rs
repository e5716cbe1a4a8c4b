//! Checks the fuzz targets share.

use draftroom_protocol::inspect_update;
use draftroom_server::fuzzing::Room;
use yrs::updates::decoder::Decode;
use yrs::{ReadTxn, StateVector, Transact, Update};

/// Runs `frame` through `room` and checks what the room sends: it must be
/// an update the protocol check accepts, and a client that held the
/// document before the frame must reach the room's state by applying it,
/// with nothing left pending (what is stored and broadcast is complete).
pub fn handle_frame(room: &mut Room, frame: &[u8]) {
    let client = room.replica();
    let Ok(sent) = room.frame(frame) else {
        return;
    };
    if sent.is_empty() {
        return;
    }
    inspect_update(&sent).expect("the room sends only updates it would accept");
    let update = Update::decode_v1(&sent).expect("yrs reads what the room sends");
    let mut txn = client.transact_mut();
    txn.apply_update(update)
        .expect("what the room sends applies to a client");
    assert!(
        txn.store().pending_update().is_none() && txn.store().pending_ds().is_none(),
        "what the room sends depends on nothing the client lacks"
    );
    drop(txn);
    // Compared decoded: the encoding lists clients in no fixed order.
    let room_state = StateVector::decode_v1(&room.state_vector()).expect("yrs reads its own");
    assert_eq!(
        client.transact().state_vector(),
        room_state,
        "a client that applies what the room sends reaches the room's state"
    );
}
