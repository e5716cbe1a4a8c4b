//! The report in Akoma Ntoso 3.0: a `statement` whose preface holds the
//! header, whose body holds a container per topic and per recommendation,
//! each alternative naming the recommendation it stands beside
//! (`alternativeTo`), brackets marked as `inline name="bracket"`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::Markup;

use super::report::{HeaderLine, Item, Report};
use super::{Piece, id_part, paragraphs, pieces};

/// A paragraph's text, escaped, its brackets marked.
fn marked(out: &mut String, pieces: &[Piece]) {
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(&Markup::Xml.escape(text)),
            Piece::Bracket(inside) => {
                out.push_str("<inline name=\"bracket\">");
                marked(out, inside);
                out.push_str("</inline>");
            }
        }
    }
}

fn xml_paragraphs(out: &mut String, indent: &str, text: &str) {
    for paragraph in paragraphs(text) {
        if paragraph.is_empty() {
            let _ = writeln!(out, "{indent}<p/>");
        } else {
            let _ = write!(out, "{indent}<p>");
            marked(out, &pieces(paragraph));
            out.push_str("</p>\n");
        }
    }
}

/// Everyone the report names as a proponent, with the eId of their
/// person reference.
fn people<'a>(report: &'a Report) -> BTreeMap<&'a str, String> {
    let mut people: BTreeMap<&str, String> = BTreeMap::new();
    for rec in report.space.recommendations.values() {
        for alt in &rec.alternatives {
            for user in &alt.proponents {
                let taken = people.len();
                people.entry(user.as_str()).or_insert_with(|| {
                    let name = report.space.roster.name_of(user);
                    format!("person_{taken}_{}", id_part(name))
                });
            }
        }
    }
    people
}

/// The end of a document [`open`] began, after its `mainBody`.
pub(super) const CLOSE: &str = "  </statement>\n</akomaNtoso>\n";

/// Begins a document: its identification as the space's work `name`
/// (`recommendations`, `changes`), its references (`people`, each with
/// their eId), and the preface with the header and `title`. The caller
/// writes its `mainBody`, then [`CLOSE`].
pub(super) fn open(
    report: &Report,
    name: &str,
    title: &str,
    people: &BTreeMap<&str, String>,
) -> String {
    let space = report.space;
    let date = Markup::Xml.escape(space.date());
    let work_date = Markup::Xml.escape(space.work_date());
    let work = format!(
        "/akn/un/statement/{name}/{}/{work_date}",
        id_part(&space.id)
    );
    let expression = format!("{work}/eng@{date}");
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<akomaNtoso xmlns=\"http://docs.oasis-open.org/legaldocml/ns/akn/3.0\">\n");
    let _ = writeln!(out, "  <statement name=\"{name}\">\n    <meta>");
    out.push_str("      <identification source=\"#draftroom\">\n");
    let _ = write!(
        out,
        "        <FRBRWork>\n          <FRBRthis value=\"{work}/main\"/>\n          <FRBRuri value=\"{work}\"/>\n          \
         <FRBRdate date=\"{work_date}\" name=\"creation\"/>\n          <FRBRauthor href=\"#group\" as=\"#author\"/>\n          \
         <FRBRcountry value=\"un\"/>\n          <FRBRname value=\"{}\"/>\n        </FRBRWork>\n",
        Markup::Xml.escape(&space.space.title)
    );
    let _ = write!(
        out,
        "        <FRBRExpression>\n          <FRBRthis value=\"{expression}/main\"/>\n          <FRBRuri value=\"{expression}\"/>\n          \
         <FRBRdate date=\"{date}\" name=\"export\"/>\n          <FRBRauthor href=\"#group\" as=\"#author\"/>\n          \
         <FRBRlanguage language=\"eng\"/>\n        </FRBRExpression>\n"
    );
    let _ = write!(
        out,
        "        <FRBRManifestation>\n          <FRBRthis value=\"{expression}/main.xml\"/>\n          <FRBRuri value=\"{expression}.xml\"/>\n          \
         <FRBRdate date=\"{}\" name=\"generation\"/>\n          <FRBRauthor href=\"#draftroom\" as=\"#editor\"/>\n          \
         <FRBRformat value=\"application/akn+xml\"/>\n        </FRBRManifestation>\n",
        Markup::Xml.escape(&space.generated_at)
    );
    out.push_str("      </identification>\n      <references source=\"#draftroom\">\n");
    out.push_str("        <TLCOrganization eId=\"draftroom\" href=\"/ontology/organization/draftroom\" showAs=\"Draftroom\"/>\n");
    let _ = writeln!(
        out,
        "        <TLCOrganization eId=\"group\" href=\"/ontology/organization/{}\" showAs=\"{}\"/>",
        id_part(&space.id),
        Markup::Xml.escape(&space.space.title)
    );
    for (user, eid) in people {
        let _ = writeln!(
            out,
            "        <TLCPerson eId=\"{eid}\" href=\"/ontology/person/{}/{eid}\" showAs=\"{}\"/>",
            id_part(&space.id),
            Markup::Xml.escape(&space.roster.who(user))
        );
    }
    out.push_str(
        "        <TLCRole eId=\"author\" href=\"/ontology/role/author\" showAs=\"Author\"/>\n",
    );
    out.push_str(
        "        <TLCRole eId=\"editor\" href=\"/ontology/role/editor\" showAs=\"Editor\"/>\n",
    );
    out.push_str("      </references>\n    </meta>\n");
    preface(&mut out, report, title);
    out
}

/// Opens a topic's container (the caller closes it); returns its eId.
pub(super) fn open_topic(out: &mut String, letter: &str, title: &str) -> String {
    let topic_id = format!("topic_{}", id_part(letter));
    let _ = write!(
        out,
        "      <hcontainer name=\"topic\" eId=\"{topic_id}\">\n        <num>{}</num>\n        <heading>{}</heading>\n",
        Markup::Xml.escape(letter),
        Markup::Xml.escape(title)
    );
    topic_id
}

pub(super) fn akn(report: &Report) -> String {
    let people = people(report);
    let mut out = open(report, "recommendations", report.title, &people);
    out.push_str("    <mainBody>\n");
    for section in &report.sections {
        let topic_id = open_topic(&mut out, &section.topic.letter, &section.topic.title);
        if section.items.is_empty() {
            let _ = write!(
                out,
                "        <hcontainer name=\"empty\" eId=\"{topic_id}__none\">\n          <content>\n            <p/>\n          </content>\n        </hcontainer>\n"
            );
        }
        for item in &section.items {
            recommendation(&mut out, report, &topic_id, item, &people);
        }
        out.push_str("      </hcontainer>\n");
    }
    if report.sections.is_empty() {
        out.push_str("      <hcontainer name=\"empty\" eId=\"empty\">\n        <content>\n          <p/>\n        </content>\n      </hcontainer>\n");
    }
    annex(&mut out, report);
    out.push_str("    </mainBody>\n");
    out.push_str(CLOSE);
    out
}

/// The header: the body, distribution, symbol, session and date, then
/// the title.
fn preface(out: &mut String, report: &Report, title: &str) {
    out.push_str("    <preface>\n");
    for (line, text) in report.header_lines() {
        let text = Markup::Xml.escape(text);
        let marked = match line {
            HeaderLine::Body => format!("<docAuthority>{text}</docAuthority>"),
            HeaderLine::Distribution => format!("<docStatus>{text}</docStatus>"),
            HeaderLine::Symbol => format!("<docNumber>{text}</docNumber>"),
            HeaderLine::Session => format!("<session>{text}</session>"),
            HeaderLine::Date => format!(
                "<docDate date=\"{}\">{text}</docDate>",
                Markup::Xml.escape(&report.space.space.report.date)
            ),
        };
        let _ = writeln!(out, "      <p class=\"{}\">{marked}</p>", line.name());
    }
    let _ = writeln!(
        out,
        "      <longTitle>\n        <p><docTitle>{}</docTitle></p>\n      </longTitle>",
        Markup::Xml.escape(title)
    );
    out.push_str("    </preface>\n");
}

fn recommendation(
    out: &mut String,
    report: &Report,
    topic_id: &str,
    item: &Item,
    people: &BTreeMap<&str, String>,
) {
    let rec = item.rec;
    let rec_id = format!("{topic_id}__rec_{}", id_part(&rec.id));
    let _ = write!(
        out,
        "        <hcontainer name=\"recommendation\" eId=\"{rec_id}\">\n          <num>{}</num>\n          <heading>{}</heading>\n",
        Markup::Xml.escape(&item.number),
        Markup::Xml.escape(&rec.title)
    );
    let _ = write!(
        out,
        "          <hcontainer name=\"status\" eId=\"{rec_id}__status\">\n            <content>\n              \
         <p>Status: <inline name=\"status\">{}</inline>; consensus: <inline name=\"consensus\">{}</inline></p>\n",
        rec.status,
        rec.consensus
            .map_or("not assessed", crate::Consensus::in_words)
    );
    if let Some(support) = &item.support {
        let _ = writeln!(
            out,
            "              <p class=\"support\">{}</p>",
            Markup::Xml.escape(support)
        );
    }
    out.push_str("            </content>\n          </hcontainer>\n");
    let fields = std::iter::once((crate::schema::root::TEXT, rec.text.as_str())).chain(
        item.fields
            .iter()
            .map(|(field, text)| (field.as_str(), *text)),
    );
    for (name, text) in fields {
        let _ = writeln!(
            out,
            "          <hcontainer name=\"{name}\" eId=\"{rec_id}__{name}\">\n            <content>"
        );
        xml_paragraphs(out, "              ", text);
        out.push_str("            </content>\n          </hcontainer>\n");
    }
    for (index, listed) in item.alternatives.iter().enumerate() {
        let alt = listed.alt;
        let _ = write!(
            out,
            "          <hcontainer name=\"alternative\" class=\"alternative\" eId=\"{rec_id}__alt_{}\" alternativeTo=\"{rec_id}\">\n            \
             <heading>{}</heading>\n            <content>\n",
            index + 1,
            Markup::Xml.escape(&listed.heading)
        );
        xml_paragraphs(out, "              ", &alt.text);
        out.push_str("              <p>Proponents:");
        for (i, user) in alt.proponents.iter().enumerate() {
            let eid = people
                .get(user.as_str())
                .map_or("draftroom", String::as_str);
            let separator = if i == 0 { " " } else { ", " };
            let _ = write!(
                out,
                "{separator}<opinion type=\"dissenting\" by=\"#{eid}\">{}</opinion>",
                Markup::Xml.escape(&report.space.roster.who(user))
            );
        }
        out.push_str("</p>\n            </content>\n          </hcontainer>\n");
    }
    if !item.comments.is_empty() {
        let _ = writeln!(
            out,
            "          <hcontainer name=\"comments\" eId=\"{rec_id}__comments\">\n            <content>"
        );
        for (head, replies) in &item.comments {
            for line in std::iter::once(head).chain(replies) {
                let _ = writeln!(out, "              <p>{}</p>", Markup::Xml.escape(line));
            }
        }
        out.push_str("            </content>\n          </hcontainer>\n");
    }
    out.push_str("        </hcontainer>\n");
}

/// Who proposed what, after the topics.
fn annex(out: &mut String, report: &Report) {
    if report.annex.is_empty() {
        return;
    }
    out.push_str("      <hcontainer name=\"annex\" eId=\"annex\">\n        <heading>Annex: who proposed what</heading>\n");
    for (index, entry) in report.annex.iter().enumerate() {
        let _ = write!(
            out,
            "        <hcontainer name=\"proposed\" eId=\"annex__{}\">\n          <heading>{}</heading>\n          <content>\n",
            index + 1,
            Markup::Xml.escape(&entry.heading)
        );
        for line in &entry.lines {
            let _ = writeln!(out, "            <p>{}</p>", Markup::Xml.escape(line));
        }
        out.push_str("          </content>\n        </hcontainer>\n");
    }
    out.push_str("      </hcontainer>\n");
}
