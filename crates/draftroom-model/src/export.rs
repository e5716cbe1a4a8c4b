//! A space exported for the Chair's report: Akoma Ntoso 3.0 XML, Markdown
//! or HTML, every recommendation with its majority text, its fields and its
//! alternatives beside it, grouped by topic.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::{Consensus, Field, Markup, Recommendation, SpaceView};

names!(
    /// What a space exports to.
    Format, "export format",
    Akn => "akn",
    Markdown => "md",
    Html => "html",
);

impl Format {
    /// What a reader calls the format.
    pub fn title(self) -> &'static str {
        match self {
            Format::Akn => "Akoma Ntoso",
            Format::Markdown => "Markdown",
            Format::Html => "HTML",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Akn => "application/akn+xml; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
        }
    }

    pub fn file_extension(self) -> &'static str {
        match self {
            Format::Akn => "akn.xml",
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }
}

/// Everything an export needs: the space and its recommendations' contents.
#[derive(Debug, Clone)]
pub struct SpaceExport {
    pub id: String,
    pub space: SpaceView,
    /// By recommendation id.
    pub recommendations: BTreeMap<String, Recommendation>,
    /// The time of what is exported, RFC 3339 (e.g.
    /// `2026-11-28T10:00:00Z`): a named version's, or now for the live
    /// text. It dates the export's expression; the space's creation dates
    /// its work, so two exports of one version are the same work and
    /// expression, byte for byte.
    pub generated_at: String,
}

impl SpaceExport {
    /// The topics in order, each with its recommendations' contents in
    /// number order.
    fn topics(&self) -> impl Iterator<Item = (&crate::TopicView, Vec<&Recommendation>)> {
        self.space.topics.iter().map(|topic| {
            let recommendations = topic
                .recommendations
                .iter()
                .filter_map(|summary| self.recommendations.get(&summary.id))
                .collect();
            (topic, recommendations)
        })
    }

    /// The date of what is exported (the expression's).
    fn date(&self) -> &str {
        self.generated_at.get(..10).unwrap_or("1970-01-01")
    }

    /// The date the space was made (the work's); the expression's for a
    /// space that does not say.
    fn work_date(&self) -> &str {
        self.space
            .created_at
            .get(..10)
            .unwrap_or_else(|| self.date())
    }
}

pub fn export(space: &SpaceExport, format: Format) -> String {
    match format {
        Format::Akn => akn(space),
        Format::Markdown => markdown(space),
        Format::Html => html(space),
    }
}

/// A piece of an eId: letters, digits, `-` and `_` only.
fn id_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Paragraphs of a text, one per non-empty line; an empty text is one empty
/// paragraph.
fn paragraphs(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    if lines.is_empty() { vec![""] } else { lines }
}

fn xml_paragraphs(out: &mut String, indent: &str, text: &str) {
    for paragraph in paragraphs(text) {
        if paragraph.is_empty() {
            let _ = writeln!(out, "{indent}<p/>");
        } else {
            let _ = writeln!(out, "{indent}<p>{}</p>", Markup::Xml.escape(paragraph));
        }
    }
}

fn akn(space: &SpaceExport) -> String {
    let date = Markup::Xml.escape(space.date());
    let work_date = Markup::Xml.escape(space.work_date());
    let work = format!(
        "/akn/un/statement/recommendations/{}/{work_date}",
        id_part(&space.id)
    );
    let expression = format!("{work}/eng@{date}");
    // Everyone named as a proponent gets a person reference.
    let mut people: BTreeMap<&str, String> = BTreeMap::new();
    for rec in space.recommendations.values() {
        for alt in &rec.alternatives {
            for user in &alt.proponents {
                let taken = people.len();
                people
                    .entry(user.as_str())
                    .or_insert_with(|| format!("person_{taken}_{}", id_part(user)));
            }
        }
    }
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<akomaNtoso xmlns=\"http://docs.oasis-open.org/legaldocml/ns/akn/3.0\">\n");
    out.push_str("  <statement name=\"recommendations\">\n    <meta>\n");
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
    for (user, eid) in &people {
        let _ = writeln!(
            out,
            "        <TLCPerson eId=\"{eid}\" href=\"/ontology/person/draftroom/{}\" showAs=\"{}\"/>",
            id_part(user),
            Markup::Xml.escape(user)
        );
    }
    out.push_str(
        "        <TLCRole eId=\"author\" href=\"/ontology/role/author\" showAs=\"Author\"/>\n",
    );
    out.push_str(
        "        <TLCRole eId=\"editor\" href=\"/ontology/role/editor\" showAs=\"Editor\"/>\n",
    );
    out.push_str("      </references>\n    </meta>\n    <mainBody>\n");
    let mut any = false;
    for (topic, recommendations) in space.topics() {
        any = true;
        let topic_id = format!("topic_{}", id_part(&topic.letter));
        let _ = write!(
            out,
            "      <hcontainer name=\"topic\" eId=\"{topic_id}\">\n        <num>{}</num>\n        <heading>{}</heading>\n",
            Markup::Xml.escape(&topic.letter),
            Markup::Xml.escape(&topic.title)
        );
        if recommendations.is_empty() {
            let _ = write!(
                out,
                "        <hcontainer name=\"empty\" eId=\"{topic_id}__none\">\n          <content>\n            <p/>\n          </content>\n        </hcontainer>\n"
            );
        }
        for rec in recommendations {
            akn_recommendation(&mut out, &topic_id, rec, &people);
        }
        out.push_str("      </hcontainer>\n");
    }
    if !any {
        out.push_str("      <hcontainer name=\"empty\" eId=\"empty\">\n        <content>\n          <p/>\n        </content>\n      </hcontainer>\n");
    }
    out.push_str("    </mainBody>\n  </statement>\n</akomaNtoso>\n");
    out
}

fn akn_recommendation(
    out: &mut String,
    topic_id: &str,
    rec: &Recommendation,
    people: &BTreeMap<&str, String>,
) {
    let rec_id = format!("{topic_id}__rec_{}", id_part(&rec.id));
    let _ = write!(
        out,
        "        <hcontainer name=\"recommendation\" eId=\"{rec_id}\">\n          <num>{}.{}</num>\n          <heading>{}</heading>\n",
        Markup::Xml.escape(&rec.topic),
        rec.number,
        Markup::Xml.escape(&rec.title)
    );
    let consensus = consensus_in_words(rec);
    let _ = write!(
        out,
        "          <hcontainer name=\"status\" eId=\"{rec_id}__status\">\n            <content>\n              \
         <p>Status: <inline name=\"status\">{}</inline>; consensus: <inline name=\"consensus\">{consensus}</inline></p>\n            \
         </content>\n          </hcontainer>\n",
        rec.status
    );
    let fields = std::iter::once((crate::schema::root::TEXT, rec.text.as_str()))
        .chain(filled_fields(rec).map(|(field, text)| (field.as_str(), text)));
    for (name, text) in fields {
        let _ = writeln!(
            out,
            "          <hcontainer name=\"{name}\" eId=\"{rec_id}__{name}\">\n            <content>"
        );
        xml_paragraphs(out, "              ", text);
        out.push_str("            </content>\n          </hcontainer>\n");
    }
    for (index, alt) in rec.alternatives.iter().enumerate() {
        let _ = write!(
            out,
            "          <hcontainer name=\"alternative\" class=\"alternative\" eId=\"{rec_id}__alt_{}\" alternativeTo=\"{rec_id}\">\n            \
             <heading>{}</heading>\n            <content>\n",
            index + 1,
            Markup::Xml.escape(&alt.label)
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
                Markup::Xml.escape(user)
            );
        }
        out.push_str("</p>\n            </content>\n          </hcontainer>\n");
    }
    let threads = comment_threads(rec);
    if !threads.is_empty() {
        let _ = writeln!(
            out,
            "          <hcontainer name=\"comments\" eId=\"{rec_id}__comments\">\n            <content>"
        );
        for (head, replies) in threads {
            for line in std::iter::once(head).chain(replies) {
                let _ = writeln!(out, "              <p>{}</p>", Markup::Xml.escape(&line));
            }
        }
        out.push_str("            </content>\n          </hcontainer>\n");
    }
    out.push_str("        </hcontainer>\n");
}

/// A recommendation's comments as sentences, each with its replies: what
/// every format shows of them, escaped as it needs.
fn comment_threads(rec: &Recommendation) -> Vec<(String, Vec<String>)> {
    rec.comments
        .iter()
        .map(|comment| {
            let record = &comment.record;
            let state = match (&record.resolved, comment.deleted) {
                (Some(resolved), _) => format!(" Resolved by {}.", resolved.by),
                (None, true) => " The passage was deleted.".to_owned(),
                (None, false) => String::new(),
            };
            let head = format!(
                "On “{}” in {}, {} ({}): {}{state}",
                record.quote, comment.text_name, record.author, record.at, record.body
            );
            let replies = record
                .replies
                .iter()
                .map(|reply| format!("Reply from {} ({}): {}", reply.author, reply.at, reply.body))
                .collect();
            (head, replies)
        })
        .collect()
}

fn proponents(alt: &crate::Alternative) -> String {
    if alt.proponents.is_empty() {
        "none".to_owned()
    } else {
        alt.proponents.join(", ")
    }
}

fn markdown(space: &SpaceExport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n\nRecommendations as of {}.\n",
        space.space.title,
        date_in_words(&space.generated_at)
    );
    for (topic, recommendations) in space.topics() {
        let _ = writeln!(out, "## {}. {}\n", topic.letter, topic.title);
        if recommendations.is_empty() {
            out.push_str("No recommendations yet.\n\n");
        }
        for rec in recommendations {
            let _ = writeln!(out, "### {}.{} {}\n", rec.topic, rec.number, rec.title);
            let _ = writeln!(
                out,
                "*Status: {}; consensus: {}.*\n",
                rec.status,
                consensus_in_words(rec)
            );
            let _ = writeln!(
                out,
                "**Recommendation (majority text)**\n\n{}\n",
                or_dash(&rec.text)
            );
            for (field, text) in filled_fields(rec) {
                let _ = writeln!(out, "**{}:** {text}\n", field.title());
            }
            for alt in &rec.alternatives {
                let _ = writeln!(
                    out,
                    "#### Alternative recommendation: {}\n\n*Proponents: {}.*\n\n{}\n",
                    alt.label,
                    proponents(alt),
                    or_dash(&alt.text)
                );
            }
            let threads = comment_threads(rec);
            if !threads.is_empty() {
                out.push_str("#### Comments\n\n");
                for (head, replies) in threads {
                    let _ = writeln!(out, "- {head}");
                    for reply in replies {
                        let _ = writeln!(out, "  - {reply}");
                    }
                }
                out.push('\n');
            }
        }
    }
    out
}

/// The structured fields a recommendation has filled in, in order: an
/// empty one is left out of a report, not shown as a dash.
fn filled_fields(rec: &Recommendation) -> impl Iterator<Item = (Field, &str)> {
    Field::ALL.iter().filter_map(|field| {
        rec.fields
            .get(field)
            .map(String::as_str)
            .filter(|text| !text.trim().is_empty())
            .map(|text| (*field, text))
    })
}

/// A recommendation's consensus level as a report says it.
fn consensus_in_words(rec: &Recommendation) -> &'static str {
    rec.consensus.map_or("not assessed", Consensus::in_words)
}

/// An RFC 3339 time's date as a report writes it: "2 December 2026".
fn date_in_words(at: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = at.get(..10).unwrap_or_default().split('-').collect();
    match parts.as_slice() {
        [year, month, day] => match (month.parse::<usize>(), day.parse::<u32>()) {
            (Ok(month @ 1..=12), Ok(day)) => format!("{day} {} {year}", MONTHS[month - 1]),
            _ => at.to_owned(),
        },
        _ => at.to_owned(),
    }
}

fn or_dash(text: &str) -> &str {
    if text.trim().is_empty() { "—" } else { text }
}

fn html(space: &SpaceExport) -> String {
    let mut out = String::new();
    let title = Markup::Html.escape(&space.space.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\n\
         body {{ font-family: Georgia, serif; max-width: 75rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }}\n\
         .texts {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }}\n\
         .texts section {{ border: 1px solid #ccc; border-radius: 4px; padding: 0 1rem; }}\n\
         .texts .alternative {{ background: #fff8e6; }}\n\
         .meta, .proponents {{ color: #555; font-style: italic; }}\n\
         dt {{ font-weight: bold; }}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p class=\"meta\">Recommendations as of {}.</p>\n",
        Markup::Html.escape(&date_in_words(&space.generated_at))
    );
    for (topic, recommendations) in space.topics() {
        let _ = writeln!(
            out,
            "<h2>{}. {}</h2>",
            Markup::Html.escape(&topic.letter),
            Markup::Html.escape(&topic.title)
        );
        if recommendations.is_empty() {
            out.push_str("<p class=\"meta\">No recommendations yet.</p>\n");
        }
        for rec in recommendations {
            let _ = writeln!(
                out,
                "<article id=\"rec-{}\">\n<h3>{}.{} {}</h3>",
                id_part(&rec.id),
                Markup::Html.escape(&rec.topic),
                rec.number,
                Markup::Html.escape(&rec.title)
            );
            let _ = writeln!(
                out,
                "<p class=\"meta\">Status: {}; consensus: {}.</p>",
                rec.status,
                consensus_in_words(rec)
            );
            out.push_str("<div class=\"texts\">\n<section class=\"majority\">\n<h4>Recommendation (majority text)</h4>\n");
            html_paragraphs(&mut out, &rec.text);
            out.push_str("</section>\n");
            for alt in &rec.alternatives {
                let _ = writeln!(
                    out,
                    "<section class=\"alternative\">\n<h4>Alternative: {}</h4>\n<p class=\"proponents\">Proponents: {}.</p>",
                    Markup::Html.escape(&alt.label),
                    Markup::Html.escape(&proponents(alt))
                );
                html_paragraphs(&mut out, &alt.text);
                out.push_str("</section>\n");
            }
            out.push_str("</div>\n<dl>\n");
            for (field, text) in filled_fields(rec) {
                let _ = writeln!(
                    out,
                    "<dt>{}</dt><dd>{}</dd>",
                    field.title(),
                    Markup::Html.escape(text)
                );
            }
            out.push_str("</dl>\n");
            let threads = comment_threads(rec);
            if !threads.is_empty() {
                out.push_str("<section class=\"comments\">\n<h4>Comments</h4>\n<ul>\n");
                for (head, replies) in threads {
                    let _ = write!(out, "<li>{}", Markup::Html.escape(&head));
                    if !replies.is_empty() {
                        out.push_str("\n<ul>\n");
                        for reply in replies {
                            let _ = writeln!(out, "<li>{}</li>", Markup::Html.escape(&reply));
                        }
                        out.push_str("</ul>\n");
                    }
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n</section>\n");
            }
            out.push_str("</article>\n");
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn html_paragraphs(out: &mut String, text: &str) {
    for paragraph in paragraphs(text) {
        let _ = writeln!(out, "<p>{}</p>", Markup::Html.escape(or_dash(paragraph)));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::testing::forbidden_in_xml;
    use crate::{RecommendationSummary, Status, TopicView};

    fn space() -> SpaceExport {
        let rec = Recommendation {
            id: "c-1".into(),
            title: "Funding <& \"quotes\">".into(),
            topic: "C".into(),
            number: 1,
            status: Status::Bracketed,
            consensus: None,
            text: "Fund the IGF [through UN DESA].\nSecond paragraph \u{7}.".into(),
            fields: Field::ALL.iter().map(|f| (*f, String::new())).collect(),
            alternatives: vec![crate::Alternative {
                id: "alt-1".into(),
                label: "Voluntary only".into(),
                text: "Voluntary funding only.".into(),
                proponents: vec!["élodie".into(), "li".into()],
                stale: true,
                created_by: "élodie".into(),
                created_at: "2026-11-28T10:00:00Z".into(),
            }],
            support: BTreeMap::new(),
            open_brackets: 1,
            brackets: Vec::new(),
            comments: Vec::new(),
            suggestions: Vec::new(),
        };
        let summary = RecommendationSummary {
            id: "c-1".into(),
            doc: "r/c-1".into(),
            topic: "C".into(),
            number: 1,
            title: rec.title.clone(),
            status: rec.status,
            consensus: None,
            alternatives: 1,
            open_brackets: 1,
            bracket_holders: Vec::new(),
            open_comments: 0,
            pending_suggestions: 0,
            stale_alternatives: 1,
            support: BTreeMap::new(),
        };
        SpaceExport {
            id: "wgigf".into(),
            space: SpaceView {
                created_at: "2026-01-15T09:00:00Z".into(),
                title: "WGIGF".into(),
                topics: vec![
                    TopicView {
                        letter: "C".into(),
                        title: "Funding of the IGF".into(),
                        recommendations: vec![summary],
                    },
                    TopicView {
                        letter: "E".into(),
                        title: "Linking".into(),
                        recommendations: vec![],
                    },
                ],
            },
            recommendations: BTreeMap::from([("c-1".to_owned(), rec)]),
            generated_at: "2026-11-28T10:00:00Z".into(),
        }
    }

    #[test]
    fn akn_names_each_alternative_beside_its_recommendation() {
        let xml = export(&space(), Format::Akn);
        assert!(xml.contains(r#"eId="topic_c__rec_c-1""#));
        assert!(xml.contains(r#"alternativeTo="topic_c__rec_c-1""#));
        assert!(xml.contains(r##"<opinion type="dissenting" by="#person_0_"##));
        assert!(xml.contains("Funding &lt;&amp; &quot;quotes&quot;&gt;"));
        assert!(!xml.contains('\u{7}'), "control characters are dropped");
        assert!(xml.contains(r#"<FRBRdate date="2026-11-28" name="export"/>"#));
    }

    #[test]
    fn markdown_and_html_show_alternatives_with_their_proponents() {
        let md = export(&space(), Format::Markdown);
        assert!(md.contains("#### Alternative recommendation: Voluntary only"));
        assert!(md.contains("*Proponents: élodie, li.*"));
        assert!(md.contains("No recommendations yet."));
        let html = export(&space(), Format::Html);
        assert!(html.contains(r#"<section class="alternative">"#));
        assert!(html.contains("Proponents: élodie, li."));
        assert!(html.contains("Funding &lt;&amp;"));
    }

    /// Text every format must keep: markup characters, the white space an
    /// XML reader would otherwise normalize, and letters beyond ASCII and
    /// the Basic Multilingual Plane.
    const ALLOWED: &str = "a&b<c>d\"e'f\tg\rh 𝄞 é";

    /// A text named `name`, holding everything XML allows and, amid it,
    /// every character XML forbids.
    fn hostile(name: &str) -> String {
        format!("{name} {ALLOWED}{}{ALLOWED}", forbidden_in_xml())
    }

    /// What a reader should read back of `hostile(name)`.
    fn kept(name: &str) -> String {
        format!("{name} {ALLOWED}{ALLOWED}")
    }

    /// The names given to `hostile` in `hostile_space`, each read back as
    /// it is, with how the recommendation's number reads.
    const HOSTILE: &[&str] = &[
        "space title",
        "topic title",
        "recommendation title",
        "majority",
        "second paragraph",
        "tasks",
        "implementation",
        "responsible",
        "timeline",
        "monitoring",
        "label",
        "alternative text",
        "ana",
        "bo",
    ];

    /// A space whose every title, text, label and name holds what XML
    /// forbids.
    fn hostile_space() -> SpaceExport {
        let mut space = space();
        space.id = hostile("space id");
        space.space.title = hostile("space title");
        space.generated_at = hostile("generated at");
        let topic = &mut space.space.topics[0];
        topic.letter = hostile("letter");
        topic.title = hostile("topic title");
        let rec = space.recommendations.get_mut("c-1").expect("c-1");
        rec.topic = hostile("topic");
        rec.number = 7;
        rec.title = hostile("recommendation title");
        rec.text = format!("{}\n{}", hostile("majority"), hostile("second paragraph"));
        for (field, text) in &mut rec.fields {
            *text = hostile(field.as_str());
        }
        let alt = &mut rec.alternatives[0];
        alt.label = hostile("label");
        alt.text = hostile("alternative text");
        alt.proponents = vec![hostile("ana"), hostile("bo")];
        space
    }

    #[test]
    fn akn_is_well_formed_and_keeps_all_xml_allows_whatever_the_texts_hold() {
        let xml = export(&hostile_space(), Format::Akn);
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        assert_eq!(doc.root_element().tag_name().name(), "akomaNtoso");
        let read: BTreeSet<&str> = doc
            .descendants()
            .filter_map(|node| node.text())
            .chain(
                doc.descendants()
                    .flat_map(|node| node.attributes().map(|attribute| attribute.value())),
            )
            .collect();
        let expected = HOSTILE
            .iter()
            .chain(&["letter", "generated at"])
            .map(|name| kept(name))
            .chain([format!("{}.7", kept("topic"))]);
        for text in expected {
            assert!(read.contains(text.as_str()), "{text:?} not in {read:#?}");
        }
    }

    #[test]
    fn html_holds_nothing_xml_forbids_and_keeps_the_rest_escaped() {
        let html = export(&hostile_space(), Format::Html);
        let forbidden = forbidden_in_xml();
        assert!(!html.chars().any(|c| forbidden.contains(c)), "{html}");
        // HTML reports a reference to a carriage return as an error.
        assert!(!html.contains("&#"), "{html}");
        let escaped = "a&amp;b&lt;c&gt;d&quot;e&apos;f\tg\rh 𝄞 é";
        for name in HOSTILE {
            let kept = format!("{name} {escaped}{escaped}");
            assert!(html.contains(&kept), "{kept:?} not in {html}");
        }
    }

    #[test]
    fn each_format_names_itself_its_content_type_and_its_file_extension() {
        let named: Vec<_> = Format::ALL
            .iter()
            .map(|f| (f.title(), f.content_type(), f.file_extension()))
            .collect();
        assert_eq!(
            named,
            [
                (
                    "Akoma Ntoso",
                    "application/akn+xml; charset=utf-8",
                    "akn.xml"
                ),
                ("Markdown", "text/markdown; charset=utf-8", "md"),
                ("HTML", "text/html; charset=utf-8", "html"),
            ]
        );
    }

    /// The test space with its recommendation's fields filled in, numbered
    /// 7, with a second alternative nobody proposes.
    fn filled_space() -> SpaceExport {
        let mut space = space();
        let rec = space.recommendations.get_mut("c-1").expect("c-1");
        rec.number = 7;
        rec.fields.insert(Field::Responsible, "The MAG.".into());
        rec.fields.insert(Field::Timeline, "By 2027.".into());
        let mut unproposed = rec.alternatives[0].clone();
        unproposed.label = "Nobody's".into();
        unproposed.proponents.clear();
        unproposed.stale = false;
        rec.alternatives.push(unproposed);
        space
    }

    #[test]
    fn every_filled_field_stands_under_its_title_and_an_empty_one_is_left_out() {
        let md = export(&filled_space(), Format::Markdown);
        assert!(md.contains("**Responsible body:** The MAG.\n"), "{md}");
        assert!(md.contains("**Timeline:** By 2027.\n"), "{md}");
        assert!(!md.contains("**Tasks:**") && !md.contains("—"), "{md}");
        let html = export(&filled_space(), Format::Html);
        assert!(html.contains("<dt>Responsible body</dt><dd>The MAG.</dd>"));
        assert!(!html.contains("<dt>Tasks</dt>"), "{html}");
        let xml = export(&filled_space(), Format::Akn);
        assert!(xml.contains(
            "<hcontainer name=\"responsible\" eId=\"topic_c__rec_c-1__responsible\">\n            \
             <content>\n              <p>The MAG.</p>"
        ));
        assert!(!xml.contains("name=\"tasks\""));
    }

    #[test]
    fn dates_and_consensus_levels_read_as_words() {
        assert_eq!(date_in_words("2026-12-02T09:00:00Z"), "2 December 2026");
        assert_eq!(date_in_words("2012-02-20"), "20 February 2012");
        assert_eq!(date_in_words("soon"), "soon");
        let mut space = filled_space();
        space.generated_at = "2012-02-20T10:00:00Z".into();
        space.recommendations.get_mut("c-1").expect("c-1").consensus =
            Some(Consensus::StrongSupport);
        let md = export(&space, Format::Markdown);
        assert!(
            md.contains("Recommendations as of 20 February 2012."),
            "{md}"
        );
        assert!(
            md.contains("consensus: strong support but significant opposition."),
            "{md}"
        );
        assert!(!md.contains("2012-02-20T"), "no timestamps: {md}");
    }

    #[test]
    fn a_recommendation_is_headed_by_its_topic_and_number() {
        let space = filled_space();
        assert!(export(&space, Format::Akn).contains("<num>C.7</num>"));
        assert!(export(&space, Format::Markdown).contains("### C.7 Funding <& \"quotes\">\n"));
        assert!(export(&space, Format::Html).contains("<h3>C.7 Funding &lt;&amp;"));
    }

    #[test]
    fn alternatives_are_numbered_and_name_their_proponents_or_none() {
        let space = filled_space();
        let xml = export(&space, Format::Akn);
        assert!(xml.contains(r#"eId="topic_c__rec_c-1__alt_1""#));
        assert!(xml.contains(r#"eId="topic_c__rec_c-1__alt_2""#));
        assert!(xml.contains(
            "<p>Proponents: <opinion type=\"dissenting\" by=\"#person_0__lodie\">élodie</opinion>, \
             <opinion type=\"dissenting\" by=\"#person_1_li\">li</opinion></p>"
        ));
        assert!(xml.contains("<p>Proponents:</p>"));
        let md = export(&space, Format::Markdown);
        assert!(md.contains(
            "#### Alternative recommendation: Voluntary only\n\n*Proponents: élodie, li.*\n"
        ));
        assert!(!md.contains("Written against"), "no internal notes");
        assert!(md.contains("#### Alternative recommendation: Nobody's\n\n*Proponents: none.*\n"));
        let html = export(&space, Format::Html);
        assert!(html.contains("<p class=\"proponents\">Proponents: élodie, li.</p>"));
        assert!(html.contains("<p class=\"proponents\">Proponents: none.</p>"));
    }

    #[test]
    fn each_non_blank_line_of_a_text_is_a_paragraph() {
        let mut space = space();
        let rec = space.recommendations.get_mut("c-1").expect("c-1");
        rec.text = "  First.\n\n \t \nSecond.  ".into();
        rec.alternatives[0].text = " \n ".into();
        let xml = export(&space, Format::Akn);
        assert!(xml.contains(
            "<content>\n              <p>First.</p>\n              <p>Second.</p>\n            </content>"
        ));
        assert!(xml.contains("<content>\n              <p/>\n              <p>Proponents:"));
        let html = export(&space, Format::Html);
        assert!(html.contains(
            "<h4>Recommendation (majority text)</h4>\n<p>First.</p>\n<p>Second.</p>\n</section>"
        ));
        assert!(html.contains("Proponents: élodie, li.</p>\n<p>—</p>\n</section>"));
    }

    #[test]
    fn eids_are_made_of_lowercase_ascii_letters_digits_dashes_and_underscores() {
        assert_eq!(id_part("Ab-9_é/x y"), "ab-9___x_y");
    }

    #[test]
    fn a_space_without_topics_still_has_a_body() {
        let mut space = space();
        let xml = export(&space, Format::Akn);
        assert!(!xml.contains(r#"eId="empty""#));
        assert!(xml.contains(r#"<hcontainer name="empty" eId="topic_e__none">"#));
        space.space.topics.clear();
        let xml = export(&space, Format::Akn);
        assert!(xml.contains(
            "<mainBody>\n      <hcontainer name=\"empty\" eId=\"empty\">\n        <content>\n          <p/>"
        ));
    }

    #[test]
    fn an_export_is_dated_by_the_day_it_is_made() {
        let mut space = space();
        space.generated_at = "soon".into();
        let xml = export(&space, Format::Akn);
        assert!(xml.contains(r#"<FRBRdate date="1970-01-01" name="export"/>"#));
        assert!(xml.contains(r#"<FRBRdate date="soon" name="generation"/>"#));
    }

    #[test]
    fn formats_parse() {
        assert_eq!("akn".parse(), Ok(Format::Akn));
        assert!("pdf".parse::<Format>().is_err());
    }
}
