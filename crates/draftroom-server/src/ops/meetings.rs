//! Meetings: the chair creates and changes them (dates, venue, agenda,
//! documents, a deadline for proposals on their topics); the vice-chair
//! reopens a topic after its deadline; the chair and the vice-chair keep
//! points of broad agreement. Everyone in the space reads them, live, in
//! the `meetings` document.

use std::time::SystemTime;

use draftroom_auth::Role;
use draftroom_model::{
    AgendaItem, AuditAction, MEETINGS_DOC, Meeting, MeetingDocument, Point, Reopened, ReportHeader,
    closed_for, list_meetings, list_points, put_meeting, put_point, read_meeting,
};
use serde_json::json;

use super::{Actor, OpError, Operations, random_id, require_text};
use crate::clock::now_rfc3339;

/// The most agenda items, and documents, one meeting lists.
pub(crate) const MAX_MEETING_ITEMS: usize = 100;

/// The longest link to a meeting's document, in characters.
const MAX_LINK_CHARS: usize = 2000;

/// What the chair says of a meeting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MeetingDraft {
    /// Unsaid for a new meeting: the one after the last.
    pub(crate) number: Option<u32>,
    pub(crate) title: String,
    pub(crate) starts: String,
    pub(crate) ends: String,
    pub(crate) venue: String,
    pub(crate) agenda: Vec<AgendaItem>,
    pub(crate) documents: Vec<MeetingDocument>,
    /// RFC 3339; none for no deadline.
    pub(crate) deadline: Option<String>,
}

/// A point of broad agreement, as the chair or vice-chair writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NewPoint {
    pub(crate) topic: String,
    pub(crate) text: String,
    pub(crate) attribution: String,
}

/// Refuses a link that is not an http(s) address of at most
/// [`MAX_LINK_CHARS`] characters: what a page shows as a link.
pub(crate) fn check_link(link: &str) -> Result<(), OpError> {
    let link = link.trim();
    if !(link.starts_with("https://") || link.starts_with("http://"))
        || link.chars().count() > MAX_LINK_CHARS
        || link.chars().any(char::is_whitespace)
    {
        return Err(OpError::Invalid(format!(
            "a link is an http(s) address of at most {MAX_LINK_CHARS} characters, not {link:?}"
        )));
    }
    Ok(())
}

/// Refuses a topic the meeting's agenda does not hold.
fn on_agenda(meeting: &Meeting, topic: &str) -> Result<(), OpError> {
    if meeting.topics().any(|letter| letter == topic) {
        Ok(())
    } else {
        Err(OpError::Invalid(format!(
            "topic {topic} is not on the agenda of the {}",
            meeting.title
        )))
    }
}

/// A deadline as stored: RFC 3339 to the millisecond in UTC, the form the
/// server's clock takes, so that times compare as text.
fn deadline_of(given: &str) -> Result<String, OpError> {
    let time: SystemTime = humantime::parse_rfc3339_weak(given.trim()).map_err(|_| {
        OpError::Invalid(format!(
            "a deadline is a time such as 2012-01-20T12:00:00Z, not {given:?}"
        ))
    })?;
    Ok(humantime::format_rfc3339_millis(time).to_string())
}

impl Operations {
    /// Checks what the chair says of a meeting against the space's topics
    /// and the bounds, and settles its deadline's form.
    async fn checked(
        &self,
        actor: &Actor,
        mut draft: MeetingDraft,
    ) -> Result<MeetingDraft, OpError> {
        draft.title = draft.title.trim().to_owned();
        draft.venue = draft.venue.trim().to_owned();
        require_text(&draft.title, "a meeting needs a title")?;
        self.limits.title("the title", &draft.title)?;
        self.limits.title("the venue", &draft.venue)?;
        for (what, date) in [("starts", &draft.starts), ("ends", &draft.ends)] {
            if !ReportHeader::is_date(date) {
                return Err(OpError::Invalid(format!(
                    "a meeting {what} on a date, YYYY-MM-DD, not {date:?}"
                )));
            }
        }
        if draft.ends < draft.starts {
            return Err(OpError::Invalid(
                "a meeting ends on or after the day it starts".into(),
            ));
        }
        if draft.agenda.len() > MAX_MEETING_ITEMS || draft.documents.len() > MAX_MEETING_ITEMS {
            return Err(OpError::TooLong(format!(
                "a meeting lists at most {MAX_MEETING_ITEMS} agenda items and {MAX_MEETING_ITEMS} documents"
            )));
        }
        let space = self.space(actor).await?;
        for item in &mut draft.agenda {
            if let Some(topic) = &item.topic
                && !space.topics.iter().any(|t| &t.letter == topic)
            {
                return Err(OpError::NoSuchTopic(topic.clone()));
            }
            if item.title.trim().is_empty()
                && let Some(topic) = space
                    .topics
                    .iter()
                    .find(|t| Some(&t.letter) == item.topic.as_ref())
            {
                item.title = topic.title.clone();
            }
            require_text(&item.title, "an agenda item needs a title")?;
            self.limits.title("an agenda item", &item.title)?;
        }
        for document in &draft.documents {
            require_text(&document.title, "a document needs a title")?;
            self.limits.title("a document's title", &document.title)?;
            check_link(&document.link)?;
        }
        draft.deadline = draft.deadline.as_deref().map(deadline_of).transpose()?;
        Ok(draft)
    }

    /// Creates a meeting (chair). Returns it.
    pub(crate) async fn create_meeting(
        &self,
        actor: &Actor,
        draft: MeetingDraft,
    ) -> Result<Meeting, OpError> {
        actor.require(Role::Chair)?;
        let draft = self.checked(actor, draft).await?;
        self.creations.take(actor)?;
        let limit = self.rooms.config.max_meetings_per_space;
        let (user, now) = (actor.user.clone(), now_rfc3339());
        let meeting = self
            .rooms
            .edit(&actor.doc(MEETINGS_DOC)?, move |txn| {
                let meetings = list_meetings(txn);
                if meetings.len() >= limit {
                    return Err(OpError::TooManyMeetings(limit));
                }
                let number = draft
                    .number
                    .unwrap_or_else(|| meetings.iter().map(|m| m.number).max().unwrap_or(0) + 1);
                let meeting = Meeting {
                    id: random_id("m-"),
                    number,
                    title: draft.title,
                    starts: draft.starts,
                    ends: draft.ends,
                    venue: draft.venue,
                    agenda: draft.agenda,
                    documents: draft.documents,
                    deadline: draft.deadline,
                    reopened: Vec::new(),
                    created_by: user,
                    created_at: now,
                };
                put_meeting(txn, &meeting);
                Ok(meeting)
            })
            .await??;
        self.record(actor, AuditAction::MeetingCreated, json!(meeting))
            .await?;
        Ok(meeting)
    }

    /// Changes what a meeting says (chair); its reopened topics stay.
    pub(crate) async fn change_meeting(
        &self,
        actor: &Actor,
        id: &str,
        draft: MeetingDraft,
    ) -> Result<Meeting, OpError> {
        actor.require(Role::Chair)?;
        let draft = self.checked(actor, draft).await?;
        let id = id.to_owned();
        let meeting = self
            .rooms
            .edit(&actor.doc(MEETINGS_DOC)?, move |txn| {
                let mut meeting = read_meeting(txn, &id).ok_or(OpError::NoSuchMeeting(id))?;
                meeting.number = draft.number.unwrap_or(meeting.number);
                meeting.title = draft.title;
                meeting.starts = draft.starts;
                meeting.ends = draft.ends;
                meeting.venue = draft.venue;
                meeting.agenda = draft.agenda;
                meeting.documents = draft.documents;
                meeting.deadline = draft.deadline;
                put_meeting(txn, &meeting);
                Ok::<_, OpError>(meeting)
            })
            .await??;
        self.record(actor, AuditAction::MeetingChanged, json!(meeting))
            .await?;
        Ok(meeting)
    }

    /// Reopens `topic` for proposals after a meeting's deadline
    /// (vice-chair or chair).
    pub(crate) async fn reopen(
        &self,
        actor: &Actor,
        id: &str,
        topic: &str,
    ) -> Result<Meeting, OpError> {
        actor.require(Role::ViceChair)?;
        let (id, topic, user, now) = (
            id.to_owned(),
            topic.to_owned(),
            actor.user.clone(),
            now_rfc3339(),
        );
        let meeting = self
            .rooms
            .edit(&actor.doc(MEETINGS_DOC)?, move |txn| {
                let mut meeting = read_meeting(txn, &id).ok_or(OpError::NoSuchMeeting(id))?;
                on_agenda(&meeting, &topic)?;
                if !meeting.reopened.iter().any(|r| r.topic == topic) {
                    meeting.reopened.push(Reopened {
                        topic,
                        by: user,
                        at: now,
                    });
                    put_meeting(txn, &meeting);
                }
                Ok::<_, OpError>(meeting)
            })
            .await??;
        self.record(
            actor,
            AuditAction::DeadlineReopened,
            json!({ "meeting": meeting.id, "reopened": meeting.reopened }),
        )
        .await?;
        Ok(meeting)
    }

    /// Every meeting, by number (anyone in the space).
    pub(crate) async fn meetings(&self, actor: &Actor) -> Result<Vec<Meeting>, OpError> {
        Ok(self
            .rooms
            .read(&actor.doc(MEETINGS_DOC)?, |txn| list_meetings(txn))
            .await?)
    }

    /// Meeting `id` (anyone in the space).
    pub(crate) async fn meeting(&self, actor: &Actor, id: &str) -> Result<Meeting, OpError> {
        let id = id.to_owned();
        self.rooms
            .read(&actor.doc(MEETINGS_DOC)?, move |txn| {
                read_meeting(txn, &id).ok_or(OpError::NoSuchMeeting(id))
            })
            .await?
    }

    /// Refuses a proposal on `topic` once a meeting's deadline for it has
    /// passed and it is not reopened.
    pub(crate) async fn check_deadline(&self, actor: &Actor, topic: &str) -> Result<(), OpError> {
        let meetings = self.meetings(actor).await?;
        match closed_for(&meetings, topic, &now_rfc3339()) {
            Some((meeting, at)) => Err(OpError::DeadlinePassed {
                topic: topic.to_owned(),
                meeting: meeting.title.clone(),
                at: at.to_owned(),
            }),
            None => Ok(()),
        }
    }

    /// Adds a point of broad agreement on a topic of a meeting
    /// (vice-chair or chair).
    pub(crate) async fn add_point(
        &self,
        actor: &Actor,
        meeting: &str,
        point: NewPoint,
    ) -> Result<Point, OpError> {
        actor.require(Role::ViceChair)?;
        require_text(&point.text, "a point needs its text")?;
        self.limits.note("the point", &point.text)?;
        self.limits.title("the attribution", &point.attribution)?;
        self.creations.take(actor)?;
        let limit = self.rooms.config.max_points_per_space;
        let (meeting, user, now) = (meeting.to_owned(), actor.user.clone(), now_rfc3339());
        let added = self
            .rooms
            .edit(&actor.doc(MEETINGS_DOC)?, move |txn| {
                let found = read_meeting(txn, &meeting).ok_or(OpError::NoSuchMeeting(meeting))?;
                on_agenda(&found, &point.topic)?;
                if list_points(txn).len() >= limit {
                    return Err(OpError::TooManyPoints(limit));
                }
                let added = Point {
                    id: random_id("b-"),
                    meeting: found.id,
                    topic: point.topic,
                    text: point.text.trim().to_owned(),
                    attribution: point.attribution.trim().to_owned(),
                    by: user,
                    at: now,
                };
                put_point(txn, &added);
                Ok(added)
            })
            .await??;
        self.record(actor, AuditAction::PointAdded, json!(added))
            .await?;
        Ok(added)
    }

    /// Every point of broad agreement, oldest first (anyone in the space).
    pub(crate) async fn points(&self, actor: &Actor) -> Result<Vec<Point>, OpError> {
        Ok(self
            .rooms
            .read(&actor.doc(MEETINGS_DOC)?, |txn| list_points(txn))
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::deadline_of;

    #[test]
    fn deadlines_are_kept_in_one_form_so_that_they_compare_as_text() {
        assert_eq!(
            deadline_of("2012-01-20T12:00:00Z").ok().as_deref(),
            Some("2012-01-20T12:00:00.000Z")
        );
        assert_eq!(
            deadline_of(" 2012-01-20 12:00:00Z ").ok().as_deref(),
            Some("2012-01-20T12:00:00.000Z")
        );
        assert!(deadline_of("20 January").is_err());
    }
}
