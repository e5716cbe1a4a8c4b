//! The demo space: the working group of the seed (WGIGF), its five topics
//! and a few draft recommendations, one with a dissenting alternative, so a
//! newcomer sees the product working at once.

use draftroom_model::{
    Consensus, Status, Topic, add_alternative, read_space, set_status, set_support, set_text,
};
use draftroom_store::DocName;

use crate::api::{add_recommendation, add_space, change_recommendation, now};
use crate::http::ApiError;
use crate::room::Rooms;

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
        status: Status::Agreed,
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

/// Creates the demo space unless it exists. Returns whether it did.
pub(crate) async fn seed(rooms: &Rooms) -> Result<bool, ApiError> {
    let index = DocName::new(DEMO_SPACE, draftroom_model::INDEX_DOC)
        .map_err(|e| internal(e.to_string()))?;
    if rooms.read(&index, |txn| read_space(txn).is_some()).await? {
        return Ok(false);
    }
    let topics = TOPICS
        .iter()
        .map(|(letter, title)| Topic {
            letter: letter.to_string(),
            title: title.to_string(),
        })
        .collect();
    add_space(
        rooms,
        DEMO_SPACE,
        "Working Group on Improvements to the IGF: draft recommendations",
        topics,
        "demo-chair",
    )
    .await?;
    for demo in &RECOMMENDATIONS {
        let created =
            add_recommendation(rooms, DEMO_SPACE, demo.topic, demo.title, demo.text).await?;
        let (fields, status, consensus) = (demo.fields, demo.status, demo.consensus);
        let with_alternative = demo.topic == "C";
        let now = now();
        change_recommendation(rooms, DEMO_SPACE, &created.id, true, move |txn| {
            for (field, value) in draftroom_model::FIELDS.iter().zip(fields) {
                set_text(txn, field, value)?;
            }
            if with_alternative {
                add_alternative(
                    txn,
                    "alt-voluntary",
                    "Voluntary contributions only",
                    "The IGF should continue to be funded through voluntary, extra-budgetary contributions from \
                     all stakeholders, managed transparently through the IGF Trust Fund.",
                    "demo-member",
                    &now,
                )?;
                set_support(txn, "demo-member", "alt-voluntary")?;
                set_support(txn, "demo-vice-chair", "majority")?;
            }
            Ok(set_status(txn, status, consensus)?)
        })
        .await?;
    }
    Ok(true)
}

fn internal(message: String) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        message,
    )
}
