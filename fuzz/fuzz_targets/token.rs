//! A token as the server verifies it, and a token's payload signed with
//! the server's secret, so the claims' parsing is reached too (a fuzzer
//! cannot forge signatures).
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use draftroom_auth::Secret;
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use sha2::Sha256;

const SECRET: &[u8] = b"fuzzing secret, 32 bytes long..";
const SPACE: &str = "igf";
const NOW: u64 = 1_800_000_000;

fn check(secret: &Secret, token: &str) {
    if let Ok(claims) = secret.verify(token, SPACE, NOW) {
        assert_eq!(claims.space, SPACE, "a token is good for its space only");
        assert!(claims.exp > NOW, "an expired token is refused");
        assert_eq!(
            secret.verify(&secret.sign(&claims), SPACE, NOW).as_ref(),
            Ok(&claims),
            "the claims sign and verify again"
        );
    }
}

fn signed(payload: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET).expect("HMAC takes any key");
    mac.update(payload.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{payload}.{signature}")
}

fuzz_target!(|bytes: &[u8]| {
    let secret = Secret::new(SECRET).expect("long enough");
    // The input as the claims' JSON, signed: reaches the claims' parsing.
    check(&secret, &signed(&URL_SAFE_NO_PAD.encode(bytes)));
    let Ok(token) = std::str::from_utf8(bytes) else {
        return;
    };
    // The input as a token, and its payload signed: reaches the base64.
    check(&secret, token);
    let payload = token.split_once('.').map_or(token, |(payload, _)| payload);
    check(&secret, &signed(payload));
});
