//! A check of a Yjs update (encoding v1) before yrs decodes it.
//!
//! yrs trusts its input more than a server can: values nested deeply enough
//! overflow the stack while decoding, which aborts the whole process. So every
//! update from a client is walked here first, with the same grammar yrs reads
//! (`yrs::update::Update::decode`), and refused unless it is well formed,
//! shallow, and free of the parts Draftroom does not accept (subdocuments, weak
//! links, and the legacy JSON content that yrs and Yjs read differently).

use crate::error::Malformed;
use crate::reader::Reader;

/// How deeply plain values (maps and arrays inside an update) may nest.
/// serde_json, which yrs uses for embedded JSON, stops at the same depth.
pub const MAX_VALUE_DEPTH: usize = 128;

const BLOCK_GC: u8 = 0;
const BLOCK_SKIP: u8 = 10;
const HAS_ORIGIN: u8 = 0b1000_0000;
const HAS_RIGHT_ORIGIN: u8 = 0b0100_0000;
const HAS_PARENT_SUB: u8 = 0b0010_0000;
const UNUSED_INFO_BIT: u8 = 0b0001_0000;

const CONTENT_DELETED: u8 = 1;
const CONTENT_JSON: u8 = 2;
const CONTENT_BINARY: u8 = 3;
const CONTENT_STRING: u8 = 4;
const CONTENT_EMBED: u8 = 5;
const CONTENT_FORMAT: u8 = 6;
const CONTENT_TYPE: u8 = 7;
const CONTENT_ANY: u8 = 8;
const CONTENT_DOC: u8 = 9;

const TYPE_XML_ELEMENT: u8 = 3;
const TYPE_WEAK_LINK: u8 = 7;
const TYPE_SUBDOC: u8 = 9;
const TYPE_UNDEFINED: u8 = 15;

/// What a well-formed update carries, as far as the server cares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpdateSummary {
    /// Blocks (items, tombstones and skips) in the update.
    pub blocks: u32,
    /// Ranges of the delete set.
    pub deleted_ranges: u32,
    /// Items that create a shared type (map, array, text, XML). Each can hold
    /// further types, so their number bounds how deeply types can nest.
    pub type_items: u32,
}

impl UpdateSummary {
    /// An update that changes nothing, such as the `[0, 0]` a client sends
    /// when it has nothing the server lacks.
    pub fn is_empty(&self) -> bool {
        self.blocks == 0 && self.deleted_ranges == 0
    }
}

/// Walks an encoded update and says what it holds, or why it is refused.
pub fn inspect_update(update: &[u8]) -> Result<UpdateSummary, Malformed> {
    let mut reader = Reader::new(update);
    let mut summary = UpdateSummary::default();
    let clients = reader.read_var_u32()?;
    for _ in 0..clients {
        let blocks = reader.read_var_u32()?;
        let _client = reader.read_var_u64()?;
        let mut clock = reader.read_var_u32()?;
        for _ in 0..blocks {
            let len = inspect_block(&mut reader, &mut summary)?;
            clock = clock.checked_add(len).ok_or(Malformed::ClockOverflow)?;
            summary.blocks += 1;
        }
    }
    let ranges = inspect_delete_set(&mut reader)?;
    summary.deleted_ranges = ranges;
    reader.expect_end()?;
    Ok(summary)
}

/// Checks an encoded state vector (the payload of sync step 1).
pub fn inspect_state_vector(state_vector: &[u8]) -> Result<(), Malformed> {
    let mut reader = Reader::new(state_vector);
    let clients = reader.read_var_u32()?;
    for _ in 0..clients {
        reader.read_var_u64()?;
        reader.read_var_u32()?;
    }
    reader.expect_end()
}

/// Returns the block's length in clock ticks.
fn inspect_block(reader: &mut Reader<'_>, summary: &mut UpdateSummary) -> Result<u32, Malformed> {
    let info = reader.read_u8()?;
    match info {
        BLOCK_GC | BLOCK_SKIP => {
            let len = reader.read_var_u32()?;
            if len == 0 {
                return Err(Malformed::EmptyBlock);
            }
            Ok(len)
        }
        _ if info & UNUSED_INFO_BIT != 0 => Err(Malformed::UnknownBlock(info)),
        _ => {
            if info & HAS_ORIGIN != 0 {
                reader.read_var_u64()?;
                reader.read_var_u32()?;
            }
            if info & HAS_RIGHT_ORIGIN != 0 {
                reader.read_var_u64()?;
                reader.read_var_u32()?;
            }
            if info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN) == 0 {
                // The parent is written out only when no origin implies it.
                if reader.read_var_u32()? == 1 {
                    reader.read_string()?;
                } else {
                    reader.read_var_u64()?;
                    reader.read_var_u32()?;
                }
                if info & HAS_PARENT_SUB != 0 {
                    reader.read_string()?;
                }
            }
            inspect_content(reader, info & 0b1111, summary)
        }
    }
}

/// Returns the content's length in clock ticks (0 for content yrs drops).
fn inspect_content(
    reader: &mut Reader<'_>,
    kind: u8,
    summary: &mut UpdateSummary,
) -> Result<u32, Malformed> {
    match kind {
        CONTENT_DELETED => reader.read_var_u32(),
        CONTENT_BINARY => reader.read_buf().map(|_| 1),
        CONTENT_STRING => {
            let text = reader.read_string()?;
            // Yjs counts string length in UTF-16 code units.
            u32::try_from(text.encode_utf16().count()).map_err(|_| Malformed::ClockOverflow)
        }
        CONTENT_EMBED => reader.read_string().map(|_| 1),
        CONTENT_FORMAT => {
            reader.read_string()?;
            reader.read_string()?;
            Ok(1)
        }
        CONTENT_TYPE => {
            match reader.read_u8()? {
                TYPE_XML_ELEMENT => {
                    reader.read_string()?;
                }
                TYPE_WEAK_LINK => return Err(Malformed::Unsupported("weak links")),
                TYPE_SUBDOC => return Err(Malformed::Unsupported("subdocuments")),
                0..=6 | TYPE_UNDEFINED => {}
                other => return Err(Malformed::UnknownTypeRef(other)),
            }
            summary.type_items += 1;
            Ok(1)
        }
        CONTENT_ANY => {
            let len = reader.read_var_u32()?;
            for _ in 0..len {
                inspect_value(reader, 1)?;
            }
            Ok(len)
        }
        CONTENT_JSON => Err(Malformed::Unsupported("legacy JSON content")),
        CONTENT_DOC => Err(Malformed::Unsupported("subdocuments")),
        other => Err(Malformed::UnknownContent(other)),
    }
}

/// Walks one lib0 `Any` value, refusing nesting past [`MAX_VALUE_DEPTH`].
fn inspect_value(reader: &mut Reader<'_>, depth: usize) -> Result<(), Malformed> {
    if depth > MAX_VALUE_DEPTH {
        return Err(Malformed::TooDeep(MAX_VALUE_DEPTH));
    }
    match reader.read_u8()? {
        // undefined, null, false, true
        127 | 126 | 121 | 120 => Ok(()),
        // integer
        125 => reader.skip_var_i64(),
        // float32
        124 => reader.read_exact(4).map(drop),
        // float64, bigint
        123 | 122 => reader.read_exact(8).map(drop),
        // string
        119 => reader.read_string().map(drop),
        // map
        118 => {
            let len = reader.read_var_u64()?;
            for _ in 0..len {
                reader.read_string()?;
                inspect_value(reader, depth + 1)?;
            }
            Ok(())
        }
        // array
        117 => {
            let len = reader.read_var_u64()?;
            for _ in 0..len {
                inspect_value(reader, depth + 1)?;
            }
            Ok(())
        }
        // bytes
        116 => reader.read_buf().map(drop),
        tag => Err(Malformed::UnknownValueTag(tag)),
    }
}

fn inspect_delete_set(reader: &mut Reader<'_>) -> Result<u32, Malformed> {
    let clients = reader.read_var_u32()?;
    let mut ranges_total = 0u32;
    for _ in 0..clients {
        reader.read_var_u64()?;
        let ranges = reader.read_var_u32()?;
        for _ in 0..ranges {
            let clock = reader.read_var_u32()?;
            let len = reader.read_var_u32()?;
            clock.checked_add(len).ok_or(Malformed::ClockOverflow)?;
            ranges_total = ranges_total.saturating_add(1);
        }
    }
    Ok(ranges_total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reader::write_var_u64;
    use yrs::updates::decoder::Decode;
    use yrs::updates::encoder::Encode;
    use yrs::{Any, Array, Doc, GetString, Map, MapPrelim, ReadTxn, StateVector, Text, Transact};

    fn full_update(doc: &Doc) -> Vec<u8> {
        doc.transact()
            .encode_state_as_update_v1(&StateVector::default())
    }

    #[test]
    fn accepts_what_yrs_writes() {
        let doc = Doc::new();
        let text = doc.get_or_insert_text("text");
        let meta = doc.get_or_insert_map("meta");
        let list = doc.get_or_insert_array("list");
        {
            let mut txn = doc.transact_mut();
            text.insert(&mut txn, 0, "héllo wörld 🌍");
            text.remove_range(&mut txn, 0, 1);
            meta.insert(&mut txn, "title", "Funding");
            meta.insert(&mut txn, "n", 3.5);
            meta.insert(&mut txn, "alt", MapPrelim::default());
            list.push_back(&mut txn, Any::from(vec![Any::from(1), Any::from("x")]));
            list.push_back(&mut txn, Any::Buffer(vec![1u8, 2, 3].into()));
        }
        let update = full_update(&doc);
        let summary = inspect_update(&update).expect("a yrs update is well formed");
        assert!(!summary.is_empty());
        assert_eq!(summary.type_items, 1);
        assert!(summary.deleted_ranges >= 1);

        let copy = Doc::new();
        copy.transact_mut()
            .apply_update(yrs::Update::decode_v1(&update).expect("decodes"))
            .expect("applies");
        let copied = copy.get_or_insert_text("text");
        assert_eq!(
            copied.get_string(&copy.transact()),
            text.get_string(&doc.transact())
        );
    }

    #[test]
    fn empty_update_is_empty() {
        assert!(inspect_update(&[0, 0]).expect("well formed").is_empty());
        let empty = Doc::new()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        assert!(inspect_update(&empty).expect("well formed").is_empty());
    }

    #[test]
    fn every_truncation_is_refused() {
        let doc = Doc::new();
        let text = doc.get_or_insert_text("text");
        text.insert(&mut doc.transact_mut(), 0, "recommendation");
        let update = full_update(&doc);
        for len in 0..update.len() {
            assert!(
                inspect_update(&update[..len]).is_err(),
                "prefix of {len} bytes"
            );
        }
        let mut longer = update.clone();
        longer.push(0);
        assert_eq!(inspect_update(&longer), Err(Malformed::TrailingBytes));
    }

    /// One item in map `m` under key `k` holding `content` (an Any array).
    fn update_with_any(value: &[u8]) -> Vec<u8> {
        let mut out = vec![1, 1, 7, 0, 0b0010_0000 | CONTENT_ANY, 1];
        write_var_u64(&mut out, 1);
        out.push(b'm');
        write_var_u64(&mut out, 1);
        out.push(b'k');
        write_var_u64(&mut out, 1);
        out.extend_from_slice(value);
        out.push(0);
        out
    }

    #[test]
    fn deep_values_are_refused_before_yrs_sees_them() {
        let shallow = update_with_any(&[117, 1, 119, 1, b'x']);
        assert!(inspect_update(&shallow).is_ok());
        assert!(yrs::Update::decode_v1(&shallow).is_ok());

        let depth = 100_000;
        let mut nested = [117u8, 1].repeat(depth);
        nested.push(126);
        assert_eq!(
            inspect_update(&update_with_any(&nested)),
            Err(Malformed::TooDeep(MAX_VALUE_DEPTH))
        );
    }

    #[test]
    fn unsupported_parts_are_refused() {
        let json = vec![
            1,
            1,
            7,
            0,
            0b0010_0000 | CONTENT_JSON,
            1,
            1,
            b'm',
            1,
            b'k',
            0,
            0,
        ];
        assert_eq!(
            inspect_update(&json),
            Err(Malformed::Unsupported("legacy JSON content"))
        );
        let subdoc = vec![
            1,
            1,
            7,
            0,
            0b0010_0000 | CONTENT_TYPE,
            1,
            1,
            b'm',
            1,
            b'k',
            9,
            0,
        ];
        assert_eq!(
            inspect_update(&subdoc),
            Err(Malformed::Unsupported("subdocuments"))
        );
    }

    #[test]
    fn overflowing_clock_is_refused() {
        let mut update = vec![1, 1, 7];
        write_var_u64(&mut update, u64::from(u32::MAX));
        update.extend_from_slice(&[CONTENT_DELETED | 0b0010_0000, 1, 1, b'm', 1, b'k', 5, 0]);
        assert_eq!(inspect_update(&update), Err(Malformed::ClockOverflow));
    }

    #[test]
    fn state_vectors_are_checked() {
        let doc = Doc::new();
        doc.get_or_insert_text("t")
            .insert(&mut doc.transact_mut(), 0, "x");
        let sv = doc.transact().state_vector().encode_v1();
        assert!(inspect_state_vector(&sv).is_ok());
        assert!(StateVector::decode_v1(&sv).is_ok());
        assert!(inspect_state_vector(&sv[..sv.len() - 1]).is_err());
    }
}
