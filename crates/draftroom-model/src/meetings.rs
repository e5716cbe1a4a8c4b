//! Meetings: a working group drafts meeting by meeting. A meeting has a
//! number, a title, its dates and venue, an agenda (topics of the space
//! and other items), documents, and may set a deadline for proposals on
//! its topics, which the vice-chair reopens topic by topic. The chair and
//! the vice-chair keep points of broad agreement per topic and meeting,
//! each attributed ("summary of discussions by Portugal"). All of it lives
//! in the space's `meetings` document, which only the server writes, so
//! every page follows it live.

use serde::{Deserialize, Serialize};
use yrs::{ReadTxn, TransactionMut};

use crate::records::{oldest_first, put_record, read_record};
use crate::schema::meetings::{MEETINGS, POINTS};

/// An item of a meeting's agenda: a topic of the space, or another item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// The topic's letter, for an item that is one of the space's topics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    pub title: String,
}

/// A document of a meeting: its title and where to read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDocument {
    pub title: String,
    pub link: String,
}

/// A topic the vice-chair reopened for proposals after the deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reopened {
    pub topic: String,
    pub by: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: String,
    pub number: u32,
    pub title: String,
    /// Its first and last days, `YYYY-MM-DD`.
    pub starts: String,
    pub ends: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub agenda: Vec<AgendaItem>,
    #[serde(default)]
    pub documents: Vec<MeetingDocument>,
    /// After this time (RFC 3339), proposals on the topics of its agenda
    /// are refused, but on the topics reopened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(default)]
    pub reopened: Vec<Reopened>,
    pub created_by: String,
    pub created_at: String,
}

impl Meeting {
    /// The topics of its agenda, by letter.
    pub fn topics(&self) -> impl Iterator<Item = &str> {
        self.agenda.iter().filter_map(|item| item.topic.as_deref())
    }

    /// When its deadline passed, if it has for proposals on `topic` at
    /// `now` (RFC 3339 times compare as text): the topic is on its agenda
    /// and not reopened.
    pub fn closes(&self, topic: &str, now: &str) -> Option<&str> {
        let deadline = self.deadline.as_deref()?;
        let on_agenda = self.topics().any(|letter| letter == topic);
        let reopened = self.reopened.iter().any(|r| r.topic == topic);
        (on_agenda && !reopened && deadline <= now).then_some(deadline)
    }
}

/// A point of broad agreement on a topic at a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    pub id: String,
    pub meeting: String,
    pub topic: String,
    pub text: String,
    /// Whose summary it is ("summary of discussions by Portugal"); empty
    /// if the chair's own.
    #[serde(default)]
    pub attribution: String,
    pub by: String,
    pub at: String,
}

pub fn put_meeting(txn: &mut TransactionMut, meeting: &Meeting) {
    put_record(txn, MEETINGS, &meeting.id, meeting);
}

pub fn read_meeting<T: ReadTxn>(txn: &T, id: &str) -> Option<Meeting> {
    read_record(txn, MEETINGS, id)
}

/// Every meeting, in order of its number.
pub fn list_meetings<T: ReadTxn>(txn: &T) -> Vec<Meeting> {
    let mut meetings = oldest_first(txn, MEETINGS, |meeting: &Meeting| {
        (&meeting.starts, &meeting.id)
    });
    meetings.sort_by_key(|meeting| meeting.number);
    meetings
}

pub fn put_point(txn: &mut TransactionMut, point: &Point) {
    put_record(txn, POINTS, &point.id, point);
}

/// Every point of broad agreement, oldest first.
pub fn list_points<T: ReadTxn>(txn: &T) -> Vec<Point> {
    oldest_first(txn, POINTS, |point: &Point| (&point.at, &point.id))
}

/// The first meeting whose deadline has passed for proposals on `topic`
/// at `now`, and when it passed.
pub fn closed_for<'a>(
    meetings: &'a [Meeting],
    topic: &str,
    now: &str,
) -> Option<(&'a Meeting, &'a str)> {
    meetings
        .iter()
        .find_map(|meeting| meeting.closes(topic, now).map(|at| (meeting, at)))
}

#[cfg(test)]
mod tests {
    use yrs::{Doc, Transact};

    use super::*;

    fn meeting(id: &str, number: u32, deadline: Option<&str>) -> Meeting {
        Meeting {
            id: id.into(),
            number,
            title: format!("Meeting {number}"),
            starts: "2012-01-25".into(),
            ends: "2012-01-27".into(),
            venue: "Geneva".into(),
            agenda: vec![
                AgendaItem {
                    topic: Some("C".into()),
                    title: "Funding".into(),
                },
                AgendaItem {
                    topic: None,
                    title: "Schedule".into(),
                },
            ],
            documents: Vec::new(),
            deadline: deadline.map(Into::into),
            reopened: Vec::new(),
            created_by: "chair".into(),
            created_at: "2012-01-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn meetings_read_back_in_order_of_their_number() {
        let doc = Doc::new();
        put_meeting(&mut doc.transact_mut(), &meeting("m-b", 5, None));
        put_meeting(&mut doc.transact_mut(), &meeting("m-a", 4, None));
        let numbers: Vec<u32> = list_meetings(&doc.transact())
            .iter()
            .map(|m| m.number)
            .collect();
        assert_eq!(numbers, [4, 5]);
        assert_eq!(
            read_meeting(&doc.transact(), "m-b").map(|m| m.number),
            Some(5)
        );
    }

    #[test]
    fn a_deadline_closes_the_topics_of_its_agenda_once_passed_until_one_is_reopened() {
        let mut closing = meeting("m-1", 4, Some("2012-01-20T12:00:00Z"));
        assert_eq!(closing.closes("C", "2012-01-20T11:59:59Z"), None, "not yet");
        assert_eq!(
            closing.closes("C", "2012-01-20T12:00:00Z"),
            Some("2012-01-20T12:00:00Z")
        );
        assert_eq!(
            closing.closes("A", "2013-01-01T00:00:00Z"),
            None,
            "not on its agenda"
        );
        closing.reopened.push(Reopened {
            topic: "C".into(),
            by: "vice".into(),
            at: "2012-01-21T00:00:00Z".into(),
        });
        assert_eq!(closing.closes("C", "2013-01-01T00:00:00Z"), None);
        let meetings = [
            meeting("m-0", 3, None),
            meeting("m-2", 5, Some("2012-02-15T00:00:00Z")),
        ];
        assert_eq!(
            closed_for(&meetings, "C", "2012-03-01T00:00:00Z").map(|(m, at)| (m.number, at)),
            Some((5, "2012-02-15T00:00:00Z"))
        );
    }
}
