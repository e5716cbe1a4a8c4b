//! What the tests of several modules share.

use yrs::{Doc, Map, OffsetKind, Options, Out, TextRef, Transact, TransactionMut, WriteTxn};

use crate::schema::alternative;
use crate::schema::root::ALTERNATIVES;
use crate::{add_alternative, create_recommendation};

/// Every character XML 1.0 forbids that a Rust string can hold.
pub(crate) fn forbidden_in_xml() -> String {
    (0..0x20u8)
        .map(char::from)
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .chain(['\u{FFFE}', '\u{FFFF}'])
        .collect()
}

/// A recommendation as the server keeps them (offsets in UTF-16),
/// numbered 7 in its topic, with an alternative `alt-1` that `ana`
/// proposes.
pub(crate) fn recommendation() -> Doc {
    let doc = Doc::with_options(Options {
        offset_kind: OffsetKind::Utf16,
        ..Options::default()
    });
    let mut txn = doc.transact_mut();
    create_recommendation(&mut txn, "c-7", "C", 7, "T", "Majority – text.");
    add_alternative(
        &mut txn,
        "alt-1",
        "Ana's",
        "Alternative text.",
        "ana",
        "2026",
    )
    .expect("adds");
    drop(txn);
    doc
}

/// The text of the alternative `alt-1`.
pub(crate) fn alternative_text(txn: &mut TransactionMut) -> TextRef {
    let alt = match txn.get_or_insert_map(ALTERNATIVES).get(txn, "alt-1") {
        Some(Out::YMap(alt)) => alt,
        other => panic!("no alternative: {other:?}"),
    };
    match alt.get(txn, alternative::TEXT) {
        Some(Out::YText(text)) => text,
        other => panic!("no text: {other:?}"),
    }
}
