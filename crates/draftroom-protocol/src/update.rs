//! A check of a Yjs update (encoding v1) before yrs decodes it.
//!
//! yrs trusts its input more than a server can: values nested deeply enough
//! overflow the stack while decoding, which aborts the whole process. So every
//! update from a client is walked here first, with the same grammar yrs reads
//! (`yrs::update::Update::decode`), and refused unless it is well formed,
//! shallow, and free of the parts Draftroom does not accept (subdocuments, weak
//! links, and the legacy JSON content that yrs and Yjs read differently).

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Malformed;
use crate::reader::Reader;

/// Client ids are at most 53 bits (a JavaScript number holds no more, and
/// yrs keeps the bits above for itself).
const MAX_CLIENT_ID: u64 = (1 << 53) - 1;

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

const TYPE_TEXT: u8 = 2;
const TYPE_XML_ELEMENT: u8 = 3;
const TYPE_WEAK_LINK: u8 = 7;
const TYPE_SUBDOC: u8 = 9;
const TYPE_UNDEFINED: u8 = 15;

/// What a well-formed update carries, as far as the server cares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateSummary {
    /// Blocks (items, tombstones and skips) in the update.
    pub blocks: u32,
    /// Ranges of the delete set.
    pub deleted_ranges: u32,
    /// Items that create a shared type (map, array, text, XML). Each can hold
    /// further types, so their number bounds how deeply types can nest.
    pub type_items: u32,
    /// Which items the update refers to and which it brings.
    pub reach: Reach,
    /// What the update puts where, for a document that takes only some
    /// shapes of content.
    pub shape: Shape,
}

/// Per client, the items an update refers to (as neighbours, parents or
/// deletions) and the items it brings. An update that refers to an item
/// neither the document nor the update itself holds cannot apply: yrs
/// keeps it aside as pending, to apply once the missing items arrive.
///
/// Maps, not lists: a hostile update may name a client per item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    /// client → clock: the document must hold the client's items up to
    /// (not including) `clock`.
    needs: BTreeMap<u64, u32>,
    /// client → `(start, end)`: the update holds the client's items from
    /// `start` up to `end`, without a gap.
    brings: BTreeMap<u64, (u32, u32)>,
}

impl Reach {
    fn need(&mut self, client: u64, clock: u32) {
        raise(&mut self.needs, client, clock);
    }

    /// The first item the update refers to that neither a document nor the
    /// update holds, as `(client, clock)` where the document would have to
    /// reach `clock`. `has(client)` is the document's clock for the client
    /// (its state vector). What the update brings counts only where it
    /// follows on from what the document has.
    pub fn missing(&self, has: impl Fn(u64) -> u32) -> Option<(u64, u32)> {
        self.needs
            .iter()
            .map(|(&client, &clock)| (client, clock))
            .find(|&(client, clock)| {
                let held = has(client);
                let brought = match self.brings.get(&client) {
                    Some(&(start, end)) if start <= held => end,
                    _ => 0,
                };
                clock > held.max(brought)
            })
    }

    /// Per client, the clock the update's items reach (once applied where
    /// nothing is missing).
    pub fn brings(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.brings.iter().map(|(&client, &(_, end))| (client, end))
    }
}

/// Where an update's items go, as far as the update itself says: the root
/// types it names as parents (an item next to others takes their parent,
/// so only the first in a type names it), the items it puts them in or
/// next to, and which items hold anything but text, formatting or
/// deletions (values, embeds, binaries, types) or are a map's entries.
/// Each is kept with the clock its items reach per client, so that what a
/// document already holds (a client sending its whole state again) is
/// told apart from what is new.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    /// root name → client → the end of the last item naming it.
    roots: BTreeMap<String, BTreeMap<u64, u32>>,
    /// client → the end of its last item that is not text.
    not_text: BTreeMap<u64, u32>,
    /// Every item, with where it says it goes.
    pub(crate) items: Vec<Placed>,
}

/// An item of an update, as far as where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placed {
    pub(crate) client: u64,
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) at: At,
    /// It names a key: it is a map's entry.
    pub(crate) keyed: bool,
    /// It creates a text.
    pub(crate) holds_text: bool,
}

/// What an item names to say where it goes: a root type by name, the item
/// holding its type, or its neighbours (left, right), whose type it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum At {
    Root(String),
    Parent((u64, u32)),
    Neighbours(Option<(u64, u32)>, Option<(u64, u32)>),
}

/// An item an update's item names to say where it goes: only the document
/// can tell what that item is, and so where the new one lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The item that holds the type the new item goes in: `(client, clock)`.
    Parent(u64, u32),
    /// An item the new one goes next to, in the same type (left or right).
    Neighbour(u64, u32),
}

impl Placed {
    /// The items this one names, as anchors.
    fn anchors(&self) -> impl Iterator<Item = Anchor> + '_ {
        let (parent, left, right) = match self.at {
            At::Root(_) => (None, None, None),
            At::Parent((client, clock)) => (Some(Anchor::Parent(client, clock)), None, None),
            At::Neighbours(left, right) => (None, left, right),
        };
        let neighbours = [left, right]
            .into_iter()
            .flatten()
            .map(|(client, clock)| Anchor::Neighbour(client, clock));
        parent.into_iter().chain(neighbours)
    }
}

impl Shape {
    /// The roots that items the document lacks name as their parent;
    /// `has(client)` is the document's clock for the client.
    pub fn new_roots(&self, has: impl Fn(u64) -> u32) -> impl Iterator<Item = &str> {
        self.roots
            .iter()
            .filter(move |(_, ends)| ends.iter().any(|(&client, &end)| end > has(client)))
            .map(|(root, _)| root.as_str())
    }

    /// Whether items the document lacks hold anything but text.
    pub fn new_non_text(&self, has: impl Fn(u64) -> u32) -> bool {
        self.not_text
            .iter()
            .any(|(&client, &end)| end > has(client))
    }

    /// The items of the document that items it lacks name as their parent
    /// or neighbour. An item named that the document lacks is the
    /// update's own, placed by what it names in turn (or missing, which
    /// [`Reach`] tells).
    pub fn new_anchors(&self, has: impl Fn(u64) -> u32 + Copy) -> impl Iterator<Item = Anchor> {
        self.items
            .iter()
            .filter(move |item| item.end > has(item.client))
            .flat_map(Placed::anchors)
            .filter(move |anchor| {
                let (Anchor::Parent(named, clock) | Anchor::Neighbour(named, clock)) = *anchor;
                clock < has(named)
            })
    }
}

/// Raises `client`'s clock to at least `clock`.
fn raise(clocks: &mut BTreeMap<u64, u32>, client: u64, clock: u32) {
    let known = clocks.entry(client).or_insert(clock);
    *known = (*known).max(clock);
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
    // Yjs writes each client's items in one run. yrs appends a second run
    // to the first, out of order, and its arithmetic on them overflows.
    let mut named = BTreeSet::new();
    let mut runs = BTreeMap::new();
    let mut refs = Vec::new();
    for _ in 0..clients {
        let blocks = reader.read_var_u32()?;
        let client = read_client(&mut reader)?;
        if !named.insert(client) {
            return Err(Malformed::ClientTwice);
        }
        let mut clock = reader.read_var_u32()?;
        // The run of items without a gap: from the first item to the first
        // skip after it (what follows a skip is not counted as brought).
        let mut run: Option<(u32, u32)> = None;
        let mut gap = false;
        let mut placing = Run::default();
        for _ in 0..blocks {
            refs.clear();
            let (len, skip) = inspect_block(&mut reader, &mut summary, &mut refs, client, clock)?;
            if !skip {
                // The client's items before this one must be in the
                // document or the update: yrs takes in items after a gap (a
                // skip, or a first clock past the document's), then leaves
                // them out of the change it encodes, so a room would store
                // and send only part of the edit.
                summary.reach.need(client, clock);
            }
            let end = clock.checked_add(len).ok_or(Malformed::ClockOverflow)?;
            match (&mut run, skip) {
                (None, false) => run = Some((clock, end)),
                (Some(_), true) => gap = true,
                (Some((_, run_end)), false) if !gap => *run_end = end,
                _ => {}
            }
            if run.is_some() && !gap {
                placing.push(clock, end, &refs);
            }
            clock = end;
            summary.blocks += 1;
        }
        if let Some(run) = run {
            summary.reach.brings.insert(client, run);
            runs.insert(client, placing);
        }
    }
    check_order(&runs)?;
    let ranges = inspect_delete_set(&mut reader, &mut summary.reach)?;
    summary.deleted_ranges = ranges;
    reader.expect_end()?;
    Ok(summary)
}

/// Checks an encoded state vector (the payload of sync step 1).
pub fn inspect_state_vector(state_vector: &[u8]) -> Result<(), Malformed> {
    let mut reader = Reader::new(state_vector);
    let clients = reader.read_var_u32()?;
    for _ in 0..clients {
        read_client(&mut reader)?;
        reader.read_var_u32()?;
    }
    reader.expect_end()
}

/// One client's items that an update brings without a gap, in clock
/// order, with the items each refers to: enough to tell whether they can
/// be placed at all.
#[derive(Debug, Default)]
struct Run {
    /// Per block: where it starts and ends, and where its references end
    /// in `refs` (they start where the previous block's end).
    blocks: Vec<(u32, u32, usize)>,
    refs: Vec<(u64, u32)>,
}

impl Run {
    fn push(&mut self, start: u32, end: u32, refs: &[(u64, u32)]) {
        self.refs.extend_from_slice(refs);
        self.blocks.push((start, end, self.refs.len()));
    }

    fn refs_of(&self, block: usize) -> &[(u64, u32)] {
        let from = block
            .checked_sub(1)
            .map_or(0, |before| self.blocks[before].2);
        &self.refs[from..self.blocks[block].2]
    }

    /// The clock its first `placed` blocks reach.
    fn reach(&self, placed: usize) -> u32 {
        match placed.checked_sub(1) {
            Some(last) => self.blocks[last].1,
            None => self.blocks.first().map_or(0, |block| block.0),
        }
    }

    fn end(&self) -> u32 {
        self.reach(self.blocks.len())
    }
}

/// Refuses items that refer to each other in a cycle (an item whose parent
/// lies in another client's item whose origin lies in the first): neither
/// can be placed, and yrs would keep both as pending, which makes the room
/// start again. Places the blocks as yrs does, one client's in clock order,
/// turning to another client's next block when an item needs it; needing a
/// client already waited on is the cycle. References to what the update
/// does not bring are the document's to hold, checked by [`Reach`].
fn check_order(runs: &BTreeMap<u64, Run>) -> Result<(), Malformed> {
    // A cycle takes two clients: an item that refers to its own client
    // refers to an earlier item (`refer` refuses the rest). So a typing
    // client's update, of one client, needs no placing.
    if runs.len() < 2 {
        return Ok(());
    }
    let mut placed: BTreeMap<u64, usize> = runs.keys().map(|&client| (client, 0)).collect();
    for &first in runs.keys() {
        let mut waiting = vec![first];
        let mut waited_on = BTreeSet::from([first]);
        while let Some(&client) = waiting.last() {
            let run = &runs[&client];
            let next = placed[&client];
            if next == run.blocks.len() {
                waiting.pop();
                waited_on.remove(&client);
                continue;
            }
            let needed = run.refs_of(next).iter().find(|&&(other, clock)| {
                runs.get(&other).is_some_and(|theirs| {
                    clock >= theirs.reach(placed[&other]) && clock < theirs.end()
                })
            });
            match needed {
                Some(&(other, _)) => {
                    if !waited_on.insert(other) {
                        return Err(Malformed::Cycle);
                    }
                    waiting.push(other);
                }
                None => {
                    placed.insert(client, next + 1);
                    // One block placed for the client below, which looks
                    // again at what it needs.
                    if waiting.len() > 1 {
                        waiting.pop();
                        waited_on.remove(&client);
                    }
                }
            }
        }
    }
    Ok(())
}

/// Returns the block's length in clock ticks, and whether it is a skip
/// (a gap: the update does not hold those items). The block is `client`'s
/// from `clock`; the ids its item refers to are added to `refs`.
fn inspect_block(
    reader: &mut Reader<'_>,
    summary: &mut UpdateSummary,
    refs: &mut Vec<(u64, u32)>,
    client: u64,
    clock: u32,
) -> Result<(u32, bool), Malformed> {
    let info = reader.read_u8()?;
    match info {
        BLOCK_GC | BLOCK_SKIP => {
            let len = reader.read_var_u32()?;
            if len == 0 {
                return Err(Malformed::EmptyBlock);
            }
            Ok((len, info == BLOCK_SKIP))
        }
        _ if info & UNUSED_INFO_BIT != 0 => Err(Malformed::UnknownBlock(info)),
        _ => {
            let mut left = None;
            let mut right = None;
            if info & HAS_ORIGIN != 0 {
                left = Some(refer(reader, &mut summary.reach, (client, clock))?);
            }
            if info & HAS_RIGHT_ORIGIN != 0 {
                right = Some(refer(reader, &mut summary.reach, (client, clock))?);
            }
            refs.extend(left.iter().chain(&right));
            let mut root = None;
            let mut at = At::Neighbours(left, right);
            let mut keyed = false;
            if info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN) == 0 {
                // The parent is written out only when no origin implies it.
                if reader.read_var_u32()? == 1 {
                    let name = reader.read_string()?;
                    root = Some(name);
                    at = At::Root(name.to_owned());
                } else {
                    let id = refer(reader, &mut summary.reach, (client, clock))?;
                    refs.push(id);
                    at = At::Parent(id);
                }
                if info & HAS_PARENT_SUB != 0 {
                    reader.read_string()?;
                    keyed = true;
                }
            }
            let kind = info & 0b1111;
            let (len, holds_text) = inspect_content(reader, kind, summary)?;
            // Yjs never writes an item without content; yrs takes one in
            // at the clock of the next, which then follows a gap.
            if len == 0 {
                return Err(Malformed::EmptyBlock);
            }
            let end = clock.checked_add(len).ok_or(Malformed::ClockOverflow)?;
            let shape = &mut summary.shape;
            if let Some(root) = root {
                let ends = match shape.roots.get_mut(root) {
                    Some(ends) => ends,
                    None => shape.roots.entry(root.to_owned()).or_default(),
                };
                raise(ends, client, end);
            }
            shape.items.push(Placed {
                client,
                start: clock,
                end,
                at,
                keyed,
                holds_text,
            });
            if keyed || !matches!(kind, CONTENT_STRING | CONTENT_FORMAT | CONTENT_DELETED) {
                raise(&mut shape.not_text, client, end);
            }
            Ok((len, false))
        }
    }
}

fn read_client(reader: &mut Reader<'_>) -> Result<u64, Malformed> {
    let client = reader.read_var_u64()?;
    if client > MAX_CLIENT_ID {
        return Err(Malformed::ClientIdTooLarge);
    }
    Ok(client)
}

/// Reads an item's id that the block `from` (its client and clock) refers
/// to, notes it as needed, and returns it.
fn refer(
    reader: &mut Reader<'_>,
    reach: &mut Reach,
    from: (u64, u32),
) -> Result<(u64, u32), Malformed> {
    let client = read_client(reader)?;
    let clock = reader.read_var_u32()?;
    // An item comes after what it refers to: one that refers to itself or
    // to a later item of its own client can never be placed, and yrs
    // keeps it as pending, which makes the room start again.
    if client == from.0 && clock >= from.1 {
        return Err(Malformed::ForwardReference);
    }
    let end = clock.checked_add(1).ok_or(Malformed::ClockOverflow)?;
    reach.need(client, end);
    Ok((client, clock))
}

/// Returns the content's length in clock ticks (0 for content yrs drops),
/// and whether it creates a text.
fn inspect_content(
    reader: &mut Reader<'_>,
    kind: u8,
    summary: &mut UpdateSummary,
) -> Result<(u32, bool), Malformed> {
    if kind == CONTENT_TYPE {
        let type_ref = reader.read_u8()?;
        match type_ref {
            TYPE_XML_ELEMENT => {
                reader.read_string()?;
            }
            TYPE_WEAK_LINK => return Err(Malformed::Unsupported("weak links")),
            TYPE_SUBDOC => return Err(Malformed::Unsupported("subdocuments")),
            0..=6 | TYPE_UNDEFINED => {}
            other => return Err(Malformed::UnknownTypeRef(other)),
        }
        summary.type_items += 1;
        return Ok((1, type_ref == TYPE_TEXT));
    }
    let len = match kind {
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
    }?;
    Ok((len, false))
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

fn inspect_delete_set(reader: &mut Reader<'_>, reach: &mut Reach) -> Result<u32, Malformed> {
    let clients = reader.read_var_u32()?;
    let mut ranges_total = 0u32;
    for _ in 0..clients {
        let client = read_client(reader)?;
        let ranges = reader.read_var_u32()?;
        for _ in 0..ranges {
            let clock = reader.read_var_u32()?;
            let len = reader.read_var_u32()?;
            // Yjs never writes one, and yrs keeps one it cannot place as
            // pending, which makes the room start again.
            if len == 0 {
                return Err(Malformed::EmptyDeletion);
            }
            let end = clock.checked_add(len).ok_or(Malformed::ClockOverflow)?;
            reach.need(client, end);
            ranges_total = ranges_total.saturating_add(1);
        }
    }
    Ok(ranges_total)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::reader::write_var_u64;
    use yrs::updates::decoder::Decode;
    use yrs::updates::encoder::Encode;
    use yrs::{
        Any, Array, Doc, GetString, Map, MapPrelim, ReadTxn, StateVector, Text, TextPrelim,
        TextRef, Transact, Update,
    };

    /// What `change` adds to `doc`, as the update a client would send.
    fn change_of(doc: &Doc, change: impl FnOnce(&mut yrs::TransactionMut)) -> Vec<u8> {
        let before = doc.transact().state_vector();
        change(&mut doc.transact_mut());
        doc.transact().encode_state_as_update_v1(&before)
    }

    #[test]
    fn an_update_that_builds_on_unseen_items_names_what_is_missing() {
        let doc = Doc::with_client_id(7);
        let text = doc.get_or_insert_text("text");
        let first = change_of(&doc, |txn| text.insert(txn, 0, "first"));
        let second = change_of(&doc, |txn| text.insert(txn, 5, " second"));
        let nothing = |_| 0;
        let first = inspect_update(&first).expect("well formed");
        assert_eq!(
            first.reach.missing(nothing),
            None,
            "the first needs nothing"
        );
        let second = inspect_update(&second).expect("well formed");
        assert_eq!(
            second.reach.missing(nothing),
            Some((7, 5)),
            "the second needs the first's five characters"
        );
        assert_eq!(
            second.reach.missing(|_| 5),
            None,
            "which a document may hold"
        );
        assert_eq!(second.reach.brings().collect::<Vec<_>>(), vec![(7, 12)]);
    }

    #[test]
    fn an_update_whose_items_follow_unseen_ones_of_their_client_names_them() {
        // The second change refers to no earlier item, but its items start
        // at clock 5: a document without the first five is missing them.
        let doc = Doc::with_client_id(7);
        let (a, b) = (doc.get_or_insert_text("a"), doc.get_or_insert_text("b"));
        let first = change_of(&doc, |txn| a.insert(txn, 0, "first"));
        let second = change_of(&doc, |txn| b.insert(txn, 0, "apart"));
        assert!(
            inspect_update(&first)
                .expect("well formed")
                .reach
                .missing(|_| 0)
                .is_none()
        );
        let reach = inspect_update(&second).expect("well formed").reach;
        assert_eq!(reach.missing(|_| 0), Some((7, 5)));
        assert_eq!(reach.missing(|_| 5), None);
        // What yrs makes of it: the items are taken in after a gap, and
        // the change it encodes does not carry them.
        let server = Doc::new();
        let mut txn = server.transact_mut();
        txn.apply_update(Update::decode_v1(&second).expect("decodes"))
            .expect("applies");
        let sent = txn.encode_update_v1();
        drop(txn);
        let peer = Doc::new();
        let text = peer.get_or_insert_text("b");
        peer.transact_mut()
            .apply_update(Update::decode_v1(&sent).expect("decodes"))
            .expect("applies");
        assert_eq!(
            text.get_string(&peer.transact()),
            "",
            "the peer never hears it"
        );
    }

    /// What a fresh document, given `update` unchecked, holds aside as
    /// pending: the refusals below are of what yrs would keep so.
    struct HeldAside {
        items: bool,
        deletions: bool,
    }

    fn held_aside(update: &[u8]) -> HeldAside {
        let doc = Doc::new();
        let mut txn = doc.transact_mut();
        txn.apply_update(Update::decode_v1(update).expect("decodes"))
            .expect("applies");
        HeldAside {
            items: txn.store().pending_update().is_some(),
            deletions: txn.store().pending_ds().is_some(),
        }
    }

    #[test]
    fn an_empty_deletion_is_refused() {
        // No items; deletes nothing from client 0's clock 0.
        let update = [0, 1, 0, 1, 0, 0];
        assert_eq!(inspect_update(&update), Err(Malformed::EmptyDeletion));
        // What yrs makes of it: a deletion it holds as pending.
        assert!(held_aside(&update).deletions);
    }

    #[test]
    fn an_item_that_refers_to_itself_is_refused() {
        // Client 2's first item, a string of two, placed after (2, 1): a
        // character of its own.
        let update = [1, 1, 2, 0, 0x84, 2, 1, 2, b'a', b'b', 0];
        assert_eq!(inspect_update(&update), Err(Malformed::ForwardReference));
        // What yrs makes of it: an item it holds as pending.
        assert!(held_aside(&update).items);
    }

    #[test]
    fn an_update_that_names_a_client_twice_is_refused() {
        // Client 1's items from 18 garbage collected, then from 0: yrs
        // overflows integrating them (a panic where overflow is checked,
        // as in a debug build).
        let update = [2, 1, 1, 18, 0, 33, 1, 1, 0, 0, 46, 0];
        assert_eq!(inspect_update(&update), Err(Malformed::ClientTwice));
        let doc = Doc::with_client_id(1);
        let text = doc.get_or_insert_text("text");
        text.insert(&mut doc.transact_mut(), 0, &"x".repeat(41));
        let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let update = Update::decode_v1(&update).expect("decodes");
            doc.transact_mut().apply_update(update)
        }));
        assert!(
            applied.is_err() || !cfg!(debug_assertions),
            "yrs panics on it"
        );
    }

    #[test]
    fn items_that_refer_to_each_other_in_a_cycle_are_refused() {
        // Client 41's tombstone has its parent inside client 1's, whose
        // right origin lies inside client 41's: neither can be placed
        // first, and yrs keeps both as pending.
        let update = include_bytes!("../../../fuzz/regressions/update/cycle");
        assert_eq!(inspect_update(update), Err(Malformed::Cycle));
        assert!(held_aside(update).items, "yrs holds it aside");
    }

    #[test]
    fn a_cycle_between_later_items_of_three_clients_is_found() {
        // Client 1's "a" and client 2's "b" start root "t"; client 1's "c"
        // follows client 2's "d", which follows "c". Client 3 brings "e":
        // three clients, so the order is worked out, and the cycle lies
        // past each client's first item.
        #[rustfmt::skip]
        let update = [
            3,
            1, 3, 0, CONTENT_STRING, 1, 1, b't', 1, b'e',
            2, 2, 0, CONTENT_STRING, 1, 1, b't', 1, b'b',
            HAS_ORIGIN | CONTENT_STRING, 1, 1, 1, b'd',
            2, 1, 0, CONTENT_STRING, 1, 1, b't', 1, b'a',
            HAS_ORIGIN | CONTENT_STRING, 2, 1, 1, b'c',
            0,
        ];
        assert_eq!(inspect_update(&update), Err(Malformed::Cycle));
        assert!(held_aside(&update).items, "yrs holds it aside");
    }

    #[test]
    fn an_item_next_to_one_past_what_the_update_brings_waits_on_nothing() {
        // Client 2 brings "b" (2@0); client 1's "a" follows 2@1, which
        // only the document can hold.
        #[rustfmt::skip]
        let update = [
            2,
            1, 2, 0, CONTENT_STRING, 1, 1, b't', 1, b'b',
            1, 1, 0, HAS_ORIGIN | CONTENT_STRING, 2, 1, 1, b'a',
            0,
        ];
        let summary = inspect_update(&update).expect("no cycle");
        assert_eq!(summary.reach.missing(|_| 0), Some((2, 2)));
    }

    #[test]
    fn items_that_take_turns_between_clients_are_placed() {
        // Ana types "a", Bo "b" after it, Ana "c" after that, Bo "d" after
        // "c": Ana's second item needs Bo's first, which needs Ana's first,
        // and Bo's second needs Ana's second. An order exists, taking turns
        // one item at a time.
        let (ana, bo) = (Doc::with_client_id(1), Doc::with_client_id(2));
        let sync = |from: &Doc, to: &Doc| {
            let update = from
                .transact()
                .encode_state_as_update_v1(&to.transact().state_vector());
            to.transact_mut()
                .apply_update(Update::decode_v1(&update).expect("decodes"))
                .expect("applies");
        };
        let (text_a, text_b) = (ana.get_or_insert_text("t"), bo.get_or_insert_text("t"));
        text_a.insert(&mut ana.transact_mut(), 0, "a");
        sync(&ana, &bo);
        text_b.insert(&mut bo.transact_mut(), 1, "b");
        sync(&bo, &ana);
        text_a.insert(&mut ana.transact_mut(), 2, "c");
        sync(&ana, &bo);
        text_b.insert(&mut bo.transact_mut(), 3, "d");
        sync(&bo, &ana);
        text_a.insert(&mut ana.transact_mut(), 0, "0");
        let whole = ana
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let summary = inspect_update(&whole).expect("placed in turns");
        assert_eq!(summary.reach.missing(|_| 0), None);
        let fresh = Doc::new();
        let text = fresh.get_or_insert_text("t");
        let mut txn = fresh.transact_mut();
        txn.apply_update(Update::decode_v1(&whole).expect("decodes"))
            .expect("applies");
        assert!(txn.store().pending_update().is_none());
        assert_eq!(text.get_string(&txn), "0abcd");
    }

    #[test]
    fn items_after_a_skip_need_what_it_skips() {
        // Client 7 skips five clocks, then brings "ab" into root "t".
        let update = [
            1,
            2,
            7,
            0,
            BLOCK_SKIP,
            5,
            CONTENT_STRING,
            1,
            1,
            b't',
            2,
            b'a',
            b'b',
            0,
        ];
        let reach = inspect_update(&update).expect("well formed").reach;
        assert_eq!(reach.missing(|_| 0), Some((7, 5)));
        assert_eq!(reach.missing(|_| 5), None);
    }

    #[test]
    fn an_empty_item_is_refused() {
        // Client 7's first item, an empty string in root "t".
        let update = [1, 1, 7, 0, CONTENT_STRING, 1, 1, b't', 0, 0];
        assert_eq!(inspect_update(&update), Err(Malformed::EmptyBlock));
    }

    #[test]
    fn an_update_names_the_roots_its_new_items_go_into_and_whether_they_are_text() {
        let doc = Doc::with_client_id(7);
        let text = doc.get_or_insert_text("text");
        let typing = change_of(&doc, |txn| {
            text.insert(txn, 0, "words");
            text.format(txn, 0, 2, HashMap::from([("b".into(), Any::Bool(true))]));
        });
        let shape = inspect_update(&typing).expect("well formed").shape;
        let nothing = |_| 0;
        assert_eq!(shape.new_roots(nothing).collect::<Vec<_>>(), ["text"]);
        assert!(!shape.new_non_text(nothing), "text and formatting only");
        assert_eq!(
            shape.new_roots(|_| 9).count(),
            0,
            "a document holding the items has the root already"
        );

        // Typing after existing text names no root: the neighbour implies it.
        let more = change_of(&doc, |txn| text.insert(txn, 5, " more"));
        let more = inspect_update(&more).expect("well formed").shape;
        assert_eq!(more.new_roots(nothing).count(), 0);
        // Formatting split "words": "wo", the only item without neighbours
        // to imply its parent, names the root and ends at clock 2.
        assert_eq!(
            shape.new_roots(|_| 2).count(),
            0,
            "a document holding it up to its end has it"
        );
        assert_eq!(shape.new_roots(|_| 1).collect::<Vec<_>>(), ["text"]);

        let map = doc.get_or_insert_map("elsewhere");
        let values = change_of(&doc, |txn| {
            map.insert(txn, "n", 1);
        });
        let values = inspect_update(&values).expect("well formed").shape;
        assert_eq!(values.new_roots(nothing).collect::<Vec<_>>(), ["elsewhere"]);
        assert!(values.new_non_text(nothing), "a value is not text");
        let held = doc.transact().state_vector().get(&yrs::ClientID::new(7));
        assert!(
            !values.new_non_text(|_| held),
            "what the document holds already is not new"
        );
        assert!(values.new_non_text(|_| held - 1), "its last item is new");

        for change in [
            Box::new(|txn: &mut yrs::TransactionMut| {
                text.insert_embed(txn, 0, Any::Bool(true));
            }) as Box<dyn FnOnce(&mut yrs::TransactionMut)>,
            Box::new(|txn| {
                map.insert(txn, "inner", MapPrelim::default());
            }),
        ] {
            let update = change_of(&doc, change);
            let shape = inspect_update(&update).expect("well formed").shape;
            assert!(shape.new_non_text(nothing), "embeds and types are not text");
        }
    }

    #[test]
    fn an_update_names_the_items_its_new_items_go_next_to_or_in() {
        let doc = Doc::with_client_id(7);
        let text = doc.get_or_insert_text("text");
        change_of(&doc, |txn| text.insert(txn, 0, "ab"));
        let typing = change_of(&doc, |txn| text.insert(txn, 2, "c"));
        let shape = inspect_update(&typing).expect("well formed").shape;
        let only_sevens = |client| if client == 7 { 2 } else { 0 };
        assert_eq!(
            shape.new_anchors(only_sevens).collect::<Vec<_>>(),
            [Anchor::Neighbour(7, 1)],
            "typing at the end goes next to the last letter"
        );
        assert_eq!(shape.new_anchors(|_| 3).count(), 0, "not new");
        assert_eq!(
            shape.new_anchors(|_| 1).count(),
            0,
            "a neighbour the document lacks is the update's to place"
        );

        let map = doc.get_or_insert_map("m");
        let nested: TextRef = map.insert(&mut doc.transact_mut(), "t", TextPrelim::new(""));
        let held = doc.transact().state_vector().get(&yrs::ClientID::new(7));
        let first = change_of(&doc, |txn| nested.insert(txn, 0, "x"));
        let shape = inspect_update(&first).expect("well formed").shape;
        assert_eq!(
            shape.new_anchors(|_| held).collect::<Vec<_>>(),
            [Anchor::Parent(7, held - 1)],
            "the first letter of a nested text goes in the type its map entry holds"
        );

        // Client 9's string "v" under key "k" of root "m": text as a map's
        // entry, which no text holds.
        let keyed = [
            1,
            1,
            9,
            0,
            CONTENT_STRING | HAS_PARENT_SUB,
            1,
            1,
            b'm',
            1,
            b'k',
            1,
            b'v',
            0,
        ];
        let shape = inspect_update(&keyed).expect("well formed").shape;
        assert!(shape.new_non_text(|_| 0), "a map's entry is not text");
    }

    #[test]
    fn deleting_unseen_items_is_missing_them() {
        let doc = Doc::with_client_id(7);
        let text = doc.get_or_insert_text("text");
        change_of(&doc, |txn| text.insert(txn, 0, "unseen"));
        let deletion = change_of(&doc, |txn| text.remove_range(txn, 1, 2));
        let deletion = inspect_update(&deletion).expect("well formed");
        assert_eq!(deletion.reach.missing(|_| 0), Some((7, 3)));
        assert_eq!(deletion.reach.missing(|_| 6), None);
        assert_eq!(
            deletion.reach.missing(|_| 3),
            None,
            "a document that holds exactly the deleted items lacks nothing"
        );
    }

    #[test]
    fn what_an_update_brings_counts_only_where_it_follows_on() {
        let doc = Doc::with_client_id(7);
        let text = doc.get_or_insert_text("text");
        let first = change_of(&doc, |txn| text.insert(txn, 0, "ab"));
        let second = change_of(&doc, |txn| text.insert(txn, 2, "cd"));
        // Both in one update: the second's reference to the first is held.
        let both = Update::merge_updates(vec![
            Update::decode_v1(&first).expect("decodes"),
            Update::decode_v1(&second).expect("decodes"),
        ])
        .encode_v1();
        assert_eq!(
            inspect_update(&both)
                .expect("well formed")
                .reach
                .missing(|_| 0),
            None
        );
        // The second alone, to a document holding nothing of client 7: its
        // own items do not stand in for the ones before them.
        let second = inspect_update(&second).expect("well formed");
        assert_eq!(second.reach.missing(|_| 0), Some((7, 2)));
    }

    #[test]
    fn a_block_with_the_unused_info_bit_is_refused() {
        // A string item with a parent sub, and the bit yrs never writes.
        let update = update_of_blocks(&[&[0b0011_0100, 1, 1, b'm', 1, b'k', 1, b'x']]);
        assert_eq!(
            inspect_update(&update),
            Err(Malformed::UnknownBlock(0b0011_0100))
        );
    }

    #[test]
    fn client_ids_of_53_bits_are_taken() {
        let mut update = Vec::new();
        write_var_u64(&mut update, 1);
        write_var_u64(&mut update, 1);
        write_var_u64(&mut update, MAX_CLIENT_ID);
        write_var_u64(&mut update, 0);
        update.extend([BLOCK_GC, 1, 0]);
        assert!(inspect_update(&update).is_ok());
        assert!(yrs::Update::decode_v1(&update).is_ok());
    }

    #[test]
    fn client_ids_over_53_bits_are_refused() {
        let mut update = Vec::new();
        write_var_u64(&mut update, 1); // one client
        write_var_u64(&mut update, 1); // one block
        write_var_u64(&mut update, 1 << 53); // its client
        write_var_u64(&mut update, 0); // clock
        update.extend([BLOCK_GC, 1]); // a one-tick tombstone
        update.push(0); // an empty delete set
        assert_eq!(inspect_update(&update), Err(Malformed::ClientIdTooLarge));
        let mut state_vector = Vec::new();
        write_var_u64(&mut state_vector, 1);
        write_var_u64(&mut state_vector, u64::MAX >> 1);
        write_var_u64(&mut state_vector, 3);
        assert_eq!(
            inspect_state_vector(&state_vector),
            Err(Malformed::ClientIdTooLarge)
        );
    }

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
    fn values_may_nest_as_deep_as_the_limit_and_no_deeper() {
        // An array nested `arrays` deep around a null: the null is one
        // level deeper than the innermost array.
        let nested = |arrays: usize| {
            let mut value = [117u8, 1].repeat(arrays);
            value.push(126);
            update_with_any(&value)
        };
        let deepest = nested(MAX_VALUE_DEPTH - 1);
        assert!(inspect_update(&deepest).is_ok());
        assert!(yrs::Update::decode_v1(&deepest).is_ok());
        assert_eq!(
            inspect_update(&nested(MAX_VALUE_DEPTH)),
            Err(Malformed::TooDeep(MAX_VALUE_DEPTH))
        );
    }

    #[test]
    fn deep_maps_are_refused_as_deep_arrays_are() {
        // A map of one key `k` per level, 100,000 deep: yrs would overflow
        // its stack decoding it.
        let mut nested = [118u8, 1, 1, b'k'].repeat(100_000);
        nested.push(126);
        assert_eq!(
            inspect_update(&update_with_any(&nested)),
            Err(Malformed::TooDeep(MAX_VALUE_DEPTH))
        );
        let mut mixed = [118u8, 1, 1, b'k', 117, 1].repeat(MAX_VALUE_DEPTH / 2);
        mixed.push(126);
        assert_eq!(
            inspect_update(&update_with_any(&mixed)),
            Err(Malformed::TooDeep(MAX_VALUE_DEPTH))
        );
        mixed.drain(..6);
        let shallower = update_with_any(&mixed);
        assert!(inspect_update(&shallower).is_ok());
        assert!(yrs::Update::decode_v1(&shallower).is_ok());
    }

    /// Client 7's blocks from clock 0, then an empty delete set.
    fn update_of_blocks(blocks: &[&[u8]]) -> Vec<u8> {
        let mut out = vec![1];
        write_var_u64(&mut out, blocks.len() as u64);
        out.extend([7, 0]);
        for block in blocks {
            out.extend_from_slice(block);
        }
        out.push(0);
        out
    }

    /// A deleted item of `len` ticks under key `k` of root map `m`.
    const DELETED_ITEM: [u8; 7] = [0b0010_0000 | CONTENT_DELETED, 1, 1, b'm', 1, b'k', 2];

    #[test]
    fn tombstones_are_brought_and_skips_are_gaps() {
        // yrs writes collected items as GC blocks and the gaps of a merged
        // update as skips: both are well formed and take clock ticks.
        let update = update_of_blocks(&[
            &[BLOCK_GC, 3],
            &DELETED_ITEM,
            &[BLOCK_SKIP, 4],
            &DELETED_ITEM,
        ]);
        assert!(yrs::Update::decode_v1(&update).is_ok());
        let summary = inspect_update(&update).expect("well formed");
        assert_eq!(summary.blocks, 4);
        assert!(!summary.is_empty());
        // What follows the skip is not counted as brought.
        assert_eq!(summary.reach.brings().collect::<Vec<_>>(), vec![(7, 5)]);

        // A skip first: the run starts after it, and needs what it skips.
        let update = update_of_blocks(&[&[BLOCK_SKIP, 3], &[BLOCK_GC, 2], &DELETED_ITEM]);
        assert!(yrs::Update::decode_v1(&update).is_ok());
        let summary = inspect_update(&update).expect("well formed");
        assert_eq!(summary.reach.brings().collect::<Vec<_>>(), vec![(7, 7)]);
        assert_eq!(summary.reach.missing(|_| 0), Some((7, 5)));
        assert_eq!(summary.reach.missing(|_| 3), None);
    }

    #[test]
    fn empty_blocks_are_refused() {
        for block in [BLOCK_GC, BLOCK_SKIP] {
            assert_eq!(
                inspect_update(&update_of_blocks(&[&[block, 0]])),
                Err(Malformed::EmptyBlock)
            );
        }
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
