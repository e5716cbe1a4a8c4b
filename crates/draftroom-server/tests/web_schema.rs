//! The web app's copy of the schema (`web/src/schema.js` and
//! `schema.d.ts`) is generated from the Rust that defines every name; this
//! regenerates it and fails if the checked-in files differ. Run with
//! `DRAFTROOM_BLESS=1` to write them instead.

use std::path::PathBuf;

fn web_src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web/src")
}

#[test]
fn the_web_apps_schema_is_generated_from_the_rust_one() {
    let schema = draftroom_server::web_schema();
    let files = [
        ("schema.js", &schema.module),
        ("schema.d.ts", &schema.declarations),
    ];
    let bless = std::env::var_os("DRAFTROOM_BLESS").is_some();
    let mut stale = Vec::new();
    for (name, generated) in files {
        let path = web_src().join(name);
        if bless {
            std::fs::write(&path, generated).expect("writes the generated file");
            continue;
        }
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        if &checked_in != generated {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "web/src/{stale:?} differ from what the Rust schema generates; run \
         `DRAFTROOM_BLESS=1 cargo test -p draftroom-server --test web_schema` and commit the result"
    );
}
