//! The demo space: the working group of the seed (WGIGF), its five topics
//! and a few draft recommendations, one with a dissenting alternative and
//! one adopted with a sample history of its implementation, its meetings,
//! so a newcomer sees the product working at once. It is made through the same
//! operations as everything else, by demo users of each role.

use draftroom_auth::Role;
use draftroom_model::{
    AgendaItem, BracketChange, CommentChange, Consensus, Field, ImplementationStatus,
    MeetingDocument, Numbering, Passage, ReportHeader, Status, SupportChoice, Topic,
};

use super::implementation::Report;
use super::limits::{Creations, InputLimits};
use super::meetings::{MeetingDraft, NewPoint};
use super::people::PersonChange;
use super::recommendations::{NewAlternative, NewRecommendation, StatusChange};
use super::{Actor, OpError, Operations};

pub const DEMO_SPACE: &str = "wgigf";

const TOPICS: [(&str, &str); 5] = [
    ("A", "Shaping the outcomes of IGF meetings"),
    (
        "B",
        "Working modalities including open consultations, MAG and Secretariat",
    ),
    ("C", "Funding of the IGF"),
    ("D", "Broadening participation"),
    (
        "E",
        "Linking the IGF to other related processes/mechanisms/bodies",
    ),
];

struct DemoRecommendation {
    topic: &'static str,
    title: &'static str,
    text: &'static str,
    /// The structured fields, in `Field::ALL`'s order.
    fields: [&'static str; 5],
    status: Status,
    consensus: Option<Consensus>,
}

const RECOMMENDATIONS: [DemoRecommendation; 5] = [
    DemoRecommendation {
        topic: "A",
        title: "Messages from each annual meeting",
        text: "At the end of each annual meeting the IGF should publish a short set of messages drawn from its \
               sessions, [setting out areas of convergence and divergence], and make them available to all \
               stakeholders and to relevant bodies.",
        fields: [
            "Draft the messages from the session reports; consult participants online before publishing.",
            "Through the annual meeting's reporting process, with a public comment period.",
            "IGF Secretariat, with the Multistakeholder Advisory Group (MAG).",
            "From the next annual meeting.",
            "The CSTD reviews the messages and their use at its annual session.",
        ],
        status: Status::Bracketed,
        consensus: Some(Consensus::StrongSupport),
    },
    DemoRecommendation {
        topic: "B",
        title: "Transparent selection of MAG members",
        text: "The selection of members of the Multistakeholder Advisory Group should be open, transparent and \
               inclusive, with criteria published in advance and balanced representation of stakeholder groups \
               and regions.",
        fields: [
            "Publish criteria and the list of candidates; explain each appointment.",
            "An open call for candidates every year, with rotation of one third of the members.",
            "UN DESA, on the advice of the IGF Secretariat.",
            "For the next renewal of the MAG.",
            "The Secretariat reports on the selection to the CSTD.",
        ],
        status: Status::Adopted,
        consensus: Some(Consensus::Consensus),
    },
    DemoRecommendation {
        topic: "C",
        title: "Stable and predictable funding",
        text: "The IGF should be funded in a stable, sustainable and predictable manner[, including through the \
               regular budget of the United Nations].",
        fields: [
            "Explore funding from the UN regular budget with UN DESA.",
            "",
            "UN DESA and the IGF Secretariat.",
            "Before the 15th session of the CSTD.",
            "",
        ],
        status: Status::Bracketed,
        consensus: Some(Consensus::Divergence),
    },
    DemoRecommendation {
        topic: "D",
        title: "Participation from developing countries",
        text: "Participation of stakeholders from developing countries should be strengthened, including through \
               remote participation and support for travel.",
        fields: ["", "", "", "", ""],
        status: Status::Draft,
        consensus: None,
    },
    DemoRecommendation {
        topic: "E",
        title: "Links with related processes",
        text: "The IGF should strengthen its links with other related processes, mechanisms and bodies[, and \
               forward its messages to them].",
        fields: ["", "", "", "", ""],
        status: Status::Draft,
        consensus: None,
    },
];

/// The demo's people: the demo users of each role, and delegations who
/// say which text of topic C they support (`true`: the majority text). The
/// names are made up.
const PEOPLE: [(&str, &str, &str, Role); 4] = [
    ("demo-chair", "Lena Kovács", "Hungary", Role::Chair),
    (
        "demo-vice-chair",
        "Joaquim Santos",
        "Portugal",
        Role::ViceChair,
    ),
    ("demo-member", "Amina Diallo", "Senegal", Role::Member),
    (
        "demo-observer",
        "Tomás Rivera",
        "IGF Secretariat",
        Role::Observer,
    ),
];

/// UN DESA's representative, who reports on the implementation of the
/// adopted recommendation on the MAG (its responsible body is UN DESA).
const DESA: (&str, &str, &str) = ("demo-desa", "Kwame Asante", "UN DESA");

/// The sample history of that implementation: status, note, evidence, the
/// date it describes (towards the report to the CSTD's 16th session).
const IMPLEMENTATION: [(ImplementationStatus, &str, &str, &str); 2] = [
    (
        ImplementationStatus::InProgress,
        "Call for MAG candidates published with the selection criteria; the list of candidates is public.",
        "https://www.intgovforum.org/",
        "2012-07-31",
    ),
    (
        ImplementationStatus::Implemented,
        "One third of the MAG renewed through the open call; the Secretariat reported on the selection to the CSTD.",
        "",
        "2013-03-31",
    ),
];

const SUPPORTERS: [(&str, &str, &str, bool); 5] = [
    ("demo-india", "Rahul Mehta", "India", true),
    ("demo-brazil", "Carla Souza", "Brazil", true),
    ("demo-sweden", "Sofia Lindqvist", "Sweden", false),
    ("demo-civil-society", "Grace Mwangi", "Civil society", false),
    ("demo-private-sector", "Mei Tan", "Private sector", true),
];

/// The seed's meetings: number, title, first and last days, agenda (topic
/// letters, and other items), and its documents.
struct DemoMeeting {
    number: u32,
    starts: &'static str,
    ends: &'static str,
    topics: &'static [&'static str],
    others: &'static [&'static str],
    documents: &'static [(&'static str, &'static str)],
    /// Points of broad agreement: topic, text, attribution.
    points: &'static [(&'static str, &'static str, &'static str)],
}

const MEETINGS: [DemoMeeting; 3] = [
    DemoMeeting {
        number: 3,
        starts: "2011-10-31",
        ends: "2011-11-02",
        topics: &["A", "B", "C", "D", "E"],
        others: &["Organization of the 4th meeting"],
        documents: &[],
        points: &[
            (
                "A",
                "The IGF should produce more tangible outcomes, such as messages from each annual meeting.",
                "",
            ),
            (
                "B",
                "The selection of the Multistakeholder Advisory Group should be more transparent.",
                "",
            ),
            (
                "C",
                "Funding of the IGF should be stable, sustainable and predictable.",
                "summary of discussions by Portugal",
            ),
        ],
    },
    DemoMeeting {
        number: 4,
        starts: "2012-01-25",
        ends: "2012-01-27",
        topics: &["C", "E"],
        others: &["Schedule: days 1-2 detailed discussion, day 3 drafting"],
        documents: &[(
            "Summary of the 3rd meeting",
            "https://unctad.org/meetings/en/SessionalDocuments/WGIGF2011d14_summary_en.pdf",
        )],
        points: &[],
    },
    DemoMeeting {
        number: 5,
        starts: "2012-02-20",
        ends: "2012-02-22",
        topics: &["A", "B", "C", "D", "E"],
        others: &["Finalize the text of the recommendations"],
        documents: &[],
        points: &[],
    },
];

/// The dissenting alternative on topic C, with an id of its own so that
/// links to it are stable.
const ALTERNATIVE_ID: &str = "alt-voluntary";

fn demo_user(role: Role) -> Actor {
    Actor {
        space: DEMO_SPACE.to_owned(),
        user: format!("demo-{role}"),
        role,
    }
}

impl Operations {
    /// Creates the demo space unless it exists. Returns whether it did.
    ///
    /// The server writes the demo itself, through the operations as the
    /// demo's people, but what it writes is its own text: it draws on
    /// nobody's allowance and is held to no limit set for what people hand
    /// the API, so a server told to take less still makes the whole demo.
    pub(crate) async fn seed_demo(&self) -> Result<bool, OpError> {
        Operations {
            limits: InputLimits::UNBOUNDED,
            creations: Creations::new(u32::MAX),
            ..self.clone()
        }
        .seed_demo_unbounded()
        .await
    }

    async fn seed_demo_unbounded(&self) -> Result<bool, OpError> {
        let (chair, vice_chair, member) = (
            demo_user(Role::Chair),
            demo_user(Role::ViceChair),
            demo_user(Role::Member),
        );
        if self.space_exists(&chair).await? {
            return Ok(false);
        }
        let topics = TOPICS
            .iter()
            .map(|(letter, title)| Topic {
                letter: letter.to_string(),
                title: title.to_string(),
            })
            .collect();
        self.create_space(
            &chair,
            "Working Group on Improvements to the IGF: draft recommendations",
            topics,
        )
        .await?;
        let (desa_user, desa_name, desa_delegation) = DESA;
        let people = PEOPLE
            .into_iter()
            .chain(
                SUPPORTERS
                    .into_iter()
                    .map(|(user, name, delegation, _)| (user, name, delegation, Role::Member)),
            )
            .chain([(desa_user, desa_name, desa_delegation, Role::Member)]);
        for (user, name, delegation, role) in people {
            let person = PersonChange {
                name: Some(name.to_owned()),
                delegation: Some(delegation.to_owned()),
                role: Some(role),
            };
            self.set_person(&chair, user, person).await?;
        }
        let header = ReportHeader {
            body: "Commission on Science and Technology for Development".to_owned(),
            session: "Fifteenth session, Geneva, 21-25 May 2012".to_owned(),
            title: "Draft recommendations of the Working Group on Improvements to the Internet Governance Forum"
                .to_owned(),
            distribution: "General".to_owned(),
            numbering: Numbering::PerTopic,
            ..ReportHeader::default()
        };
        self.set_report_header(&chair, header).await?;
        for demo in &RECOMMENDATIONS {
            let fields = Field::ALL
                .iter()
                .zip(demo.fields)
                .filter(|(_, text)| !text.is_empty())
                .map(|(field, text)| (*field, text.to_owned()))
                .collect();
            let created = self
                .create_recommendation(
                    &chair,
                    NewRecommendation {
                        topic: demo.topic.to_owned(),
                        title: demo.title.to_owned(),
                        text: demo.text.to_owned(),
                        fields,
                    },
                )
                .await?;
            if demo.topic == "C" {
                let alternative = NewAlternative {
                    id: ALTERNATIVE_ID.to_owned(),
                    label: "Voluntary contributions only".to_owned(),
                    text: "The IGF should continue to be funded through voluntary, extra-budgetary contributions from \
                           all stakeholders, managed transparently through the IGF Trust Fund."
                        .to_owned(),
                };
                self.add_alternative(&member, &created.id, alternative)
                    .await?;
                let alternative = SupportChoice::Alternative(ALTERNATIVE_ID.to_owned());
                self.support(&member, &created.id, alternative).await?;
                self.support(&vice_chair, &created.id, SupportChoice::Majority)
                    .await?;
                for (user, _, _, majority) in SUPPORTERS {
                    let choice = if majority {
                        SupportChoice::Majority
                    } else {
                        SupportChoice::Alternative(ALTERNATIVE_ID.to_owned())
                    };
                    let supporter = Actor {
                        user: user.to_owned(),
                        ..member.clone()
                    };
                    self.support(&supporter, &created.id, choice).await?;
                }
                // The member holds the bracket on the UN budget.
                if let Some(bracket) = self.brackets(&member, &created.id).await?.first() {
                    let hold = BracketChange {
                        hold: Some(true),
                        reason: Some(
                            "Assessed contributions from the UN regular budget are not agreed."
                                .to_owned(),
                        ),
                        ..BracketChange::default()
                    };
                    self.change_bracket(&member, &created.id, &bracket.id, hold)
                        .await?;
                }
                // The vice-chair asks about a passage, and the member answers.
                let passage = Passage {
                    quote: Some("stable, sustainable and predictable".to_owned()),
                    ..Passage::at("text", 0, 0)
                };
                let question =
                    "Which mechanisms would make funding predictable: multi-year pledges?";
                let comment = self
                    .add_comment(&vice_chair, &created.id, passage, question)
                    .await?;
                let answer = CommentChange::Reply(
                    "Multi-year pledges to the Trust Fund, as the CSTD suggested.".to_owned(),
                );
                self.change_comment(&member, &created.id, &comment.record.id, answer)
                    .await?;
            }
            if (demo.status, demo.consensus) != (Status::Draft, None) {
                let change = StatusChange {
                    status: demo.status,
                    consensus: demo.consensus,
                    overriding: None,
                };
                self.set_status(&chair, &created.id, change).await?;
            }
            if demo.status == Status::Adopted {
                let desa = Actor {
                    user: desa_user.to_owned(),
                    ..member.clone()
                };
                for (status, note, evidence, as_of) in IMPLEMENTATION {
                    let report = Report {
                        status,
                        note: note.to_owned(),
                        evidence: evidence.to_owned(),
                        as_of: as_of.to_owned(),
                    };
                    self.report_implementation(&desa, &created.id, report)
                        .await?;
                }
            }
        }
        self.seed_meetings(&chair, &vice_chair).await?;
        Ok(true)
    }

    /// The seed's 3rd, 4th and 5th meetings, with the points of broad
    /// agreement of the 3rd. None sets a deadline: the demo takes
    /// proposals on every topic.
    async fn seed_meetings(&self, chair: &Actor, vice_chair: &Actor) -> Result<(), OpError> {
        for demo in &MEETINGS {
            let agenda = demo
                .topics
                .iter()
                .map(|letter| AgendaItem {
                    topic: Some((*letter).to_owned()),
                    title: String::new(),
                })
                .chain(demo.others.iter().map(|title| AgendaItem {
                    topic: None,
                    title: (*title).to_owned(),
                }))
                .collect();
            let draft = MeetingDraft {
                number: Some(demo.number),
                title: format!("{} meeting", ordinal(demo.number)),
                starts: demo.starts.to_owned(),
                ends: demo.ends.to_owned(),
                venue: "Geneva".to_owned(),
                agenda,
                documents: demo
                    .documents
                    .iter()
                    .map(|(title, link)| MeetingDocument {
                        title: (*title).to_owned(),
                        link: (*link).to_owned(),
                    })
                    .collect(),
                deadline: None,
            };
            let meeting = self.create_meeting(chair, draft).await?;
            for (topic, text, attribution) in demo.points {
                let point = NewPoint {
                    topic: (*topic).to_owned(),
                    text: (*text).to_owned(),
                    attribution: (*attribution).to_owned(),
                };
                self.add_point(vice_chair, &meeting.id, point).await?;
            }
        }
        Ok(())
    }
}

/// "3rd", "4th", "5th".
fn ordinal(number: u32) -> String {
    let suffix = match (number % 10, number % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{number}{suffix}")
}
