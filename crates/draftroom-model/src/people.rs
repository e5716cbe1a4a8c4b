//! A space's roster: who each person is (their name, and the delegation or
//! stakeholder group they speak for) and the role they hold. The chair
//! keeps it; it lives in the space's index document, which only the server
//! writes, so every page and every export names people, never user ids.

use std::collections::BTreeMap;

use draftroom_auth::Role;
use serde::{Deserialize, Serialize};
use yrs::{Map, ReadTxn, TransactionMut};

use crate::records::{put_record, records};
use crate::schema::index::PEOPLE;

/// One person on a space's roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The id their sign-in links carry.
    pub user: String,
    /// Their name as the group writes it.
    pub name: String,
    /// The Member State, stakeholder group ("Civil society", "Private
    /// sector", …), organization or secretariat they speak for; empty if
    /// none is said.
    #[serde(default)]
    pub delegation: String,
    pub role: Role,
}

/// Puts `person` on the roster, or replaces what it says of them.
pub fn put_person(txn: &mut TransactionMut, person: &Person) {
    put_record(txn, PEOPLE, &person.user, person);
}

/// Takes `user` off the roster; whether they were on it.
pub fn remove_person(txn: &mut TransactionMut, user: &str) -> bool {
    txn.get_map(PEOPLE)
        .is_some_and(|people| people.remove(txn, user).is_some())
}

/// Everyone on a space's roster, by user id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    people: BTreeMap<String, Person>,
}

impl Roster {
    /// The roster the index document holds.
    pub fn read<T: ReadTxn>(txn: &T) -> Roster {
        records::<Person, _>(txn, PEOPLE).into_iter().collect()
    }

    pub fn get(&self, user: &str) -> Option<&Person> {
        self.people.get(user)
    }

    pub fn len(&self) -> usize {
        self.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// Everyone, by name.
    pub fn by_name(&self) -> Vec<&Person> {
        let mut people: Vec<&Person> = self.people.values().collect();
        people.sort_by(|a, b| (&a.name, &a.user).cmp(&(&b.name, &b.user)));
        people
    }

    /// What a report calls `user`: their name; their id only for someone
    /// the roster does not list.
    pub fn name_of<'a>(&'a self, user: &'a str) -> &'a str {
        self.get(user).map_or(user, |person| person.name.as_str())
    }

    /// Who `user` speaks for: their delegation, or their name if the roster
    /// gives none.
    pub fn delegation_of<'a>(&'a self, user: &'a str) -> &'a str {
        match self.get(user) {
            Some(person) if !person.delegation.is_empty() => &person.delegation,
            _ => self.name_of(user),
        }
    }

    /// `user` as a list of people writes them: "Ana Silva (Brazil)".
    pub fn who(&self, user: &str) -> String {
        match self.get(user) {
            Some(person) if !person.delegation.is_empty() => {
                format!("{} ({})", person.name, person.delegation)
            }
            _ => self.name_of(user).to_owned(),
        }
    }

    /// The delegations `users` speak for, each once, in the order first
    /// met.
    pub fn delegations<'a>(&'a self, users: impl IntoIterator<Item = &'a String>) -> Vec<&'a str> {
        let mut found: Vec<&str> = Vec::new();
        for user in users {
            let delegation = self.delegation_of(user);
            if !found.contains(&delegation) {
                found.push(delegation);
            }
        }
        found
    }
}

impl FromIterator<Person> for Roster {
    fn from_iter<I: IntoIterator<Item = Person>>(people: I) -> Self {
        Roster {
            people: people
                .into_iter()
                .map(|person| (person.user.clone(), person))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use yrs::{Doc, Transact};

    use super::*;

    fn person(user: &str, name: &str, delegation: &str) -> Person {
        Person {
            user: user.into(),
            name: name.into(),
            delegation: delegation.into(),
            role: Role::Member,
        }
    }

    #[test]
    fn the_roster_names_people_and_their_delegations_and_falls_back_to_the_id() {
        let doc = Doc::new();
        put_person(
            &mut doc.transact_mut(),
            &person("ana", "Ana Silva", "Brazil"),
        );
        put_person(&mut doc.transact_mut(), &person("li", "Li Wei", ""));
        put_person(&mut doc.transact_mut(), &person("bo", "Bo Berg", "Brazil"));
        let roster = Roster::read(&doc.transact());
        assert_eq!(roster.len(), 3);
        assert_eq!(roster.name_of("ana"), "Ana Silva");
        assert_eq!(roster.name_of("zed"), "zed");
        assert_eq!(roster.who("ana"), "Ana Silva (Brazil)");
        assert_eq!(roster.who("li"), "Li Wei");
        assert_eq!(roster.delegation_of("li"), "Li Wei");
        let users: Vec<String> = ["ana", "bo", "li", "zed"].map(String::from).into();
        assert_eq!(roster.delegations(&users), ["Brazil", "Li Wei", "zed"]);
        let names: Vec<&str> = roster.by_name().iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Ana Silva", "Bo Berg", "Li Wei"]);

        assert!(remove_person(&mut doc.transact_mut(), "li"));
        assert!(!remove_person(&mut doc.transact_mut(), "li"));
        assert_eq!(Roster::read(&doc.transact()).get("li"), None);
    }
}
