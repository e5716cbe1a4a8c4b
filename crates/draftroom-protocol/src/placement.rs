//! Where a document's items lie, for a document that takes its clients'
//! text only in its texts (a recommendation): which items are not in a
//! text's list, and which items hold a text.
//!
//! An item with neighbours takes its type (and its key, if a neighbour is a
//! map's entry) from them, and only the document can tell where those lie.
//! yrs keeps its items to itself and, asked, walks a list to its start for
//! each one; a hostile update naming a hundred thousand items deep in a long
//! text would cost that walk each time. So the room learns, from every
//! update it applies, the few items that lie outside texts (a map's
//! entries, an array's items: in a recommendation, all the server's own)
//! and the types that are texts, and answers from them in logarithmic time.
//!
//! A client's item goes where yrs puts it: beside its left neighbour, in
//! its type, with its key; beside its right neighbour when it has no left
//! one (yrs also takes the right neighbour's key when the left has none).
//! An item counted outside here for either neighbour is refused, which
//! is never wrong for a client: none of its items ever lies outside.

use std::collections::{BTreeMap, BTreeSet};

use crate::update::{Anchor, At, Shape};

/// What a room knows of where its document's items lie.
#[derive(Debug)]
pub struct Placements {
    /// client → start → end: items outside every text's list.
    outside: BTreeMap<u64, BTreeMap<u32, u32>>,
    /// The items that create a text.
    texts: BTreeSet<(u64, u32)>,
    /// Whether a root type of this name is a text.
    is_text_root: fn(&str) -> bool,
}

impl Placements {
    /// Nothing known yet, for a document whose root texts `is_text_root`
    /// names.
    pub fn new(is_text_root: fn(&str) -> bool) -> Placements {
        Placements {
            outside: BTreeMap::new(),
            texts: BTreeSet::new(),
            is_text_root,
        }
    }

    /// Whether a new item may name `anchor`, an item of the document, and
    /// land in a text.
    pub fn allows(&self, anchor: Anchor) -> bool {
        match anchor {
            Anchor::Parent(client, clock) => self.texts.contains(&(client, clock)),
            Anchor::Neighbour(client, clock) => !self.is_outside((client, clock)),
        }
    }

    fn is_outside(&self, (client, clock): (u64, u32)) -> bool {
        self.outside.get(&client).is_some_and(|ranges| {
            ranges
                .range(..=clock)
                .next_back()
                .is_some_and(|(_, &end)| clock < end)
        })
    }

    /// Learns where the items of an update the document applied lie. Their
    /// neighbours are the document's (learned before) or the update's own,
    /// placed here in the order they depend on each other.
    pub fn learn(&mut self, shape: &Shape) {
        let items = &shape.items;
        for item in items.iter().filter(|item| item.holds_text) {
            self.texts.insert((item.client, item.start));
        }
        // Per client, the update's items in clock order, as it lists them.
        let mut by_client: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
        for (index, item) in items.iter().enumerate() {
            by_client.entry(item.client).or_default().push(index);
        }
        let own = |(client, clock): (u64, u32)| {
            let list = by_client.get(&client)?;
            let at = list.partition_point(|&i| items[i].end <= clock);
            list.get(at).copied().filter(|&i| items[i].start <= clock)
        };
        let mut outside: Vec<Option<bool>> = vec![None; items.len()];
        let mut waiting = Vec::new();
        let mut is_waiting = vec![false; items.len()];
        for first in 0..items.len() {
            waiting.push(first);
            is_waiting[first] = true;
            while let Some(&index) = waiting.last() {
                if outside[index].is_some() {
                    waiting.pop();
                    is_waiting[index] = false;
                    continue;
                }
                let item = &items[index];
                let neighbours = match item.at {
                    At::Neighbours(left, right) => [left, right],
                    _ => [None, None],
                };
                // A neighbour of the update's own not placed yet goes first;
                // one already waiting is a cycle yrs would not place, which
                // is counted outside.
                let unplaced = neighbours
                    .into_iter()
                    .flatten()
                    .filter_map(own)
                    .find(|&i| outside[i].is_none());
                if let Some(next) = unplaced
                    && !is_waiting[next]
                {
                    waiting.push(next);
                    is_waiting[next] = true;
                    continue;
                }
                let lies_outside = |id| match own(id) {
                    Some(i) => outside[i] != Some(false),
                    None => self.is_outside(id),
                };
                outside[index] = Some(
                    item.keyed
                        || match &item.at {
                            At::Root(name) => !(self.is_text_root)(name),
                            At::Parent(id) => !self.texts.contains(id),
                            At::Neighbours(left, right) => {
                                left.is_some_and(lies_outside) || right.is_some_and(lies_outside)
                            }
                        },
                );
                waiting.pop();
                is_waiting[index] = false;
            }
        }
        for (item, outside) in items.iter().zip(outside) {
            if outside == Some(true) {
                self.mark_outside(item.client, item.start, item.end);
            }
        }
    }

    /// Records `client`'s items `start..end` as outside, joined with the
    /// ranges they overlap or touch (an item may be learned again, split
    /// differently).
    fn mark_outside(&mut self, client: u64, mut start: u32, mut end: u32) {
        let ranges = self.outside.entry(client).or_default();
        if let Some((&before, &before_end)) = ranges.range(..=start).next_back()
            && before_end >= start
        {
            start = before;
            end = end.max(before_end);
        }
        let joined: Vec<(u32, u32)> = ranges
            .range(start..=end)
            .map(|(&from, &to)| (from, to))
            .collect();
        for (from, to) in joined {
            ranges.remove(&from);
            end = end.max(to);
        }
        ranges.insert(start, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect_update;
    use yrs::updates::decoder::Decode;
    use yrs::{
        Array, ArrayPrelim, ArrayRef, Doc, Map, MapPrelim, MapRef, ReadTxn, StateVector, Text,
        TextPrelim, TextRef, Transact,
    };

    fn is_text_root(name: &str) -> bool {
        name == "text"
    }

    /// Learns what `doc` holds beyond `since`.
    fn learn(placements: &mut Placements, doc: &Doc, since: &StateVector) {
        let update = doc.transact().encode_state_as_update_v1(since);
        placements.learn(&inspect_update(&update).expect("well formed").shape);
    }

    /// A recommendation's shape, written by client 1: values in `meta`, the
    /// majority `text`, and in `alternatives` one with a text and a list of
    /// proponents.
    fn recommendation() -> (Doc, MapRef, ArrayRef, TextRef) {
        let doc = Doc::with_client_id(1);
        let meta = doc.get_or_insert_map("meta");
        let text = doc.get_or_insert_text("text");
        let alternatives = doc.get_or_insert_map("alternatives");
        let mut txn = doc.transact_mut();
        meta.insert(&mut txn, "status", "draft");
        text.insert(&mut txn, 0, "Fund the IGF.");
        let alt: MapRef = alternatives.insert(&mut txn, "alt-1", MapPrelim::default());
        let alt_text: TextRef = alt.insert(&mut txn, "text", TextPrelim::new("Voluntary."));
        let proponents: ArrayRef = alt.insert(&mut txn, "proponents", ArrayPrelim::default());
        proponents.push_back(&mut txn, "ana");
        drop(txn);
        (doc, meta, proponents, alt_text)
    }

    /// The ids of the items at each index of a text or array.
    fn ids(doc: &Doc, sequence: &impl yrs::IndexedSequence, len: u32) -> Vec<(u64, u32)> {
        let txn = doc.transact();
        (0..len)
            .map(
                |index| match sequence.sticky_index(&txn, index, yrs::Assoc::After) {
                    Some(sticky) => match sticky.scope() {
                        yrs::IndexScope::Relative(id) => (id.client.get(), id.clock),
                        other => panic!("no item at {index}: {other:?}"),
                    },
                    None => panic!("no item at {index}"),
                },
            )
            .collect()
    }

    /// Brings into `to` what `from` holds beyond `since`.
    fn sync(from: &Doc, to: &Doc, since: &StateVector) {
        let update = from.transact().encode_state_as_update_v1(since);
        to.transact_mut()
            .apply_update(yrs::Update::decode_v1(&update).expect("decodes"))
            .expect("applies");
    }

    fn neighbour((client, clock): (u64, u32)) -> Anchor {
        Anchor::Neighbour(client, clock)
    }

    #[test]
    fn items_beside_text_are_allowed_and_items_beside_values_or_proponents_are_not() {
        let (doc, meta, proponents, alt_text) = recommendation();
        let mut placements = Placements::new(is_text_root);
        learn(&mut placements, &doc, &StateVector::default());

        let text = doc.get_or_insert_text("text");
        for id in ids(&doc, &text, 13)
            .into_iter()
            .chain(ids(&doc, &alt_text, 10))
        {
            assert!(placements.allows(neighbour(id)), "beside text {id:?}");
        }
        let [proponent] = ids(&doc, &proponents, 1)[..] else {
            panic!("one proponent")
        };
        assert!(
            !placements.allows(neighbour(proponent)),
            "beside a proponent"
        );
        // The meta entry is client 1's first item: 1@0.
        assert!(
            !placements.allows(neighbour((1, 0))),
            "beside a map's value"
        );
        let holder = |shared: &dyn AsRef<yrs::branch::Branch>| match shared.as_ref().id() {
            yrs::branch::BranchID::Nested(id) => Anchor::Parent(id.client.get(), id.clock),
            root => panic!("{root:?} is a root"),
        };
        assert!(placements.allows(holder(&alt_text)), "in a nested text");
        assert!(
            !placements.allows(holder(&proponents)),
            "in a list of proponents"
        );

        // Another client's typing is in a text; a value written over the old
        // one goes beside it, and is outside like it.
        let typist = Doc::with_client_id(7);
        sync(&doc, &typist, &StateVector::default());
        let typed = typist.get_or_insert_text("text");
        typed.insert(&mut typist.transact_mut(), 4, " now");
        let since = doc.transact().state_vector();
        sync(&typist, &doc, &since);
        learn(&mut placements, &doc, &since);
        assert!(placements.allows(neighbour((7, 0))), "typing is text");
        assert!(placements.allows(neighbour((7, 3))));

        let since = doc.transact().state_vector();
        meta.insert(&mut doc.transact_mut(), "status", "adopted");
        learn(&mut placements, &doc, &since);
        let overwrite = (1, since.get(&yrs::ClientID::new(1)));
        assert!(!placements.allows(neighbour(overwrite)), "the new value");
        assert!(
            !placements.allows(neighbour((1, 0))),
            "the old one, deleted"
        );
    }

    #[test]
    fn items_that_follow_other_clients_items_are_placed_after_them() {
        let (doc, _, proponents, _) = recommendation();
        // Client 9's proponent after client 1's, then client 3's after
        // client 9's: yrs lists client 9 before client 1, so learning the
        // whole state meets client 9's item before the one it follows.
        for client in [9, 3] {
            let other = Doc::with_client_id(client);
            sync(&doc, &other, &StateVector::default());
            let theirs = other
                .get_or_insert_map("alternatives")
                .get(&other.transact(), "alt-1")
                .and_then(|alt| alt.cast::<MapRef>().ok())
                .and_then(|alt| alt.get(&other.transact(), "proponents"))
                .and_then(|list| list.cast::<ArrayRef>().ok())
                .expect("the proponents");
            let len = theirs.len(&other.transact());
            theirs.insert(&mut other.transact_mut(), len, format!("p{client}"));
            // And types after the majority's last letter.
            let text = other.get_or_insert_text("text");
            let end = text.len(&other.transact());
            text.insert(&mut other.transact_mut(), end, "!");
            let since = doc.transact().state_vector();
            sync(&other, &doc, &since);
        }
        assert_eq!(proponents.len(&doc.transact()), 3);
        let mut placements = Placements::new(is_text_root);
        learn(&mut placements, &doc, &StateVector::default());
        for client in [1, 9, 3] {
            let id = if client == 1 {
                ids(&doc, &proponents, 1)[0]
            } else {
                (client, 0)
            };
            assert!(
                !placements.allows(neighbour(id)),
                "client {client}'s proponent"
            );
        }
        assert!(placements.allows(neighbour(ids(&doc, &doc.get_or_insert_text("text"), 1)[0])));
        for client in [9, 3] {
            assert!(
                placements.allows(neighbour((client, 1))),
                "client {client}'s typing"
            );
        }
    }

    #[test]
    fn ranges_learned_twice_or_split_differently_join() {
        let mut placements = Placements::new(is_text_root);
        for (start, end) in [(10, 20), (30, 40), (5, 12), (20, 30), (50, 51)] {
            placements.mark_outside(4, start, end);
        }
        let ranges: Vec<_> = placements.outside[&4]
            .iter()
            .map(|(&s, &e)| (s, e))
            .collect();
        assert_eq!(ranges, [(5, 40), (50, 51)]);
        for (clock, outside) in [
            (4, false),
            (5, true),
            (39, true),
            (40, false),
            (50, true),
            (51, false),
        ] {
            assert_eq!(placements.is_outside((4, clock)), outside, "{clock}");
        }
        assert!(!placements.is_outside((5, 10)), "another client's");
    }
}
