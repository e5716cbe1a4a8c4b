//! The roster: who is who in a space (a name, the delegation or
//! stakeholder group they speak for, a role), which the chair keeps and
//! everyone in the space reads, so pages and reports name people, never
//! user ids. What the roster says holds: a sign-in link is minted for a
//! person on it (minting one for someone new puts them on it), changing
//! someone's role ends the links they were given (they carry the old one;
//! the chair makes a new one), and taking someone off ends their access.

use draftroom_auth::Role;
use draftroom_model::{
    AuditAction, INDEX_DOC, Person, Roster, put_person, read_space, remove_person,
};
use serde_json::json;

use super::links::user_name;
use super::{Actor, OpError, Operations, require_text};

/// What the chair says of a person: any of their name, delegation and
/// role (unsaid, unchanged; for someone new, their id names them and they
/// are a member).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PersonChange {
    pub(crate) name: Option<String>,
    pub(crate) delegation: Option<String>,
    pub(crate) role: Option<Role>,
}

/// A user id made from a name: lower case, words joined by `-`, at most
/// 48 characters.
fn id_of(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.join("-").chars().take(48).collect()
}

/// How the roster changed.
enum RosterChange {
    Added(Person),
    Changed { before: Person, after: Person },
    Same(Person),
}

impl Operations {
    /// Everyone on the roster, by name (anyone in the space).
    pub(crate) async fn people(&self, actor: &Actor) -> Result<Vec<Person>, OpError> {
        Ok(self
            .roster(&actor.space)
            .await?
            .by_name()
            .into_iter()
            .cloned()
            .collect())
    }

    /// The roster of `space`, as its index holds it.
    pub(crate) async fn roster(&self, space: &str) -> Result<Roster, OpError> {
        Ok(self
            .rooms
            .read(&super::doc_name(space, INDEX_DOC)?, |txn| Roster::read(txn))
            .await?)
    }

    /// Puts someone new on the roster (chair), under `user` or, unsaid, an
    /// id made from their name (`Ana Silva`: `ana-silva`, then
    /// `ana-silva-2`…).
    pub(crate) async fn add_person(
        &self,
        actor: &Actor,
        user: Option<&str>,
        name: &str,
        delegation: &str,
        role: Option<Role>,
    ) -> Result<Person, OpError> {
        actor.require(Role::Chair)?;
        require_text(name, "a person needs a name")?;
        self.creations.take(actor)?;
        let roster = self.roster(&actor.space).await?;
        let user = match user {
            Some(user) => {
                let user = user_name(user)?;
                if roster.get(user).is_some() {
                    return Err(OpError::Invalid(format!(
                        "{user:?} is on the roster already: change what it says of them"
                    )));
                }
                user.to_owned()
            }
            None => {
                let made = id_of(name);
                let made = user_name(&made)?.to_owned();
                (1..)
                    .map(|n| {
                        if n == 1 {
                            made.clone()
                        } else {
                            format!("{made}-{n}")
                        }
                    })
                    .find(|id| roster.get(id).is_none())
                    .unwrap_or(made)
            }
        };
        let change = PersonChange {
            name: Some(name.to_owned()),
            delegation: Some(delegation.to_owned()),
            role,
        };
        self.set_person(actor, &user, change).await
    }

    /// Puts `user` on the roster or changes what it says of them (chair).
    /// A new role ends the links they were given, which carry the old one.
    pub(crate) async fn set_person(
        &self,
        actor: &Actor,
        user: &str,
        change: PersonChange,
    ) -> Result<Person, OpError> {
        actor.require(Role::Chair)?;
        let user = user_name(user)?.to_owned();
        if let Some(name) = &change.name {
            require_text(name, "a person needs a name")?;
            self.limits.title("a name", name)?;
        }
        if let Some(delegation) = &change.delegation {
            self.limits.title("a delegation", delegation)?;
        }
        if user == actor.user && change.role.is_some_and(|role| role != Role::Chair) {
            return Err(OpError::Invalid(
                "you cannot change your own role: another chair can".into(),
            ));
        }
        let limit = self.rooms.config.max_people_per_space;
        let changed = self
            .rooms
            .edit(&actor.doc(INDEX_DOC)?, move |txn| {
                if read_space(txn).is_none() {
                    return Err(OpError::Invalid("the space is not created yet".into()));
                }
                let roster = Roster::read(txn);
                let before = roster.get(&user).cloned();
                if before.is_none() && roster.len() >= limit {
                    return Err(OpError::TooManyPeople(limit));
                }
                let after = Person {
                    name: change
                        .name
                        .map(|name| name.trim().to_owned())
                        .or_else(|| before.as_ref().map(|p| p.name.clone()))
                        .unwrap_or_else(|| user.clone()),
                    delegation: change
                        .delegation
                        .map(|delegation| delegation.trim().to_owned())
                        .or_else(|| before.as_ref().map(|p| p.delegation.clone()))
                        .unwrap_or_default(),
                    role: change
                        .role
                        .or_else(|| before.as_ref().map(|p| p.role))
                        .unwrap_or(Role::Member),
                    user,
                };
                Ok(match before {
                    None => {
                        put_person(txn, &after);
                        RosterChange::Added(after)
                    }
                    Some(before) if before == after => RosterChange::Same(after),
                    Some(before) => {
                        put_person(txn, &after);
                        RosterChange::Changed { before, after }
                    }
                })
            })
            .await??;
        match changed {
            RosterChange::Same(person) => Ok(person),
            RosterChange::Added(person) => {
                self.record(actor, AuditAction::PersonAdded, json!(person))
                    .await?;
                Ok(person)
            }
            RosterChange::Changed { before, after } => {
                if before.role != after.role {
                    self.end_access(&actor.space, &after.user).await?;
                }
                self.record(
                    actor,
                    AuditAction::PersonChanged,
                    json!({ "user": after.user, "before": before, "after": after }),
                )
                .await?;
                Ok(after)
            }
        }
    }

    /// Takes `user` off the roster, ending their access (chair).
    pub(crate) async fn remove_person(&self, actor: &Actor, user: &str) -> Result<(), OpError> {
        actor.require(Role::Chair)?;
        let user = user_name(user)?.to_owned();
        if user == actor.user {
            return Err(OpError::Invalid(
                "you cannot take yourself off the roster: another chair can".into(),
            ));
        }
        let removed = {
            let user = user.clone();
            self.rooms
                .edit(&actor.doc(INDEX_DOC)?, move |txn| remove_person(txn, &user))
                .await?
        };
        if !removed {
            return Err(OpError::NoSuchPerson(user));
        }
        self.end_access(&actor.space, &user).await?;
        self.record(actor, AuditAction::PersonRemoved, json!({ "user": user }))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::id_of;

    #[test]
    fn an_id_is_made_of_the_words_of_a_name() {
        assert_eq!(id_of("Ana  Silva"), "ana-silva");
        assert_eq!(id_of("Élodie O'Brien (FR)"), "élodie-o-brien-fr");
        assert_eq!(id_of("!!!"), "");
    }
}
