//! A space exported for the Chair's report: Akoma Ntoso 3.0 XML, Markdown
//! or HTML, every recommendation with its majority text, its fields and its
//! alternatives beside it, grouped by topic.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::{Field, Recommendation, SpaceView};

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
    /// When the export is made, RFC 3339 (e.g. `2026-11-28T10:00:00Z`).
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

    fn date(&self) -> &str {
        self.generated_at.get(..10).unwrap_or("1970-01-01")
    }
}

pub fn export(space: &SpaceExport, format: Format) -> String {
    match format {
        Format::Akn => akn(space),
        Format::Markdown => markdown(space),
        Format::Html => html(space),
    }
}

/// Text safe for XML and HTML: escaped, without the control characters
/// XML 1.0 forbids.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
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
            let _ = writeln!(out, "{indent}<p>{}</p>", escape(paragraph));
        }
    }
}

fn akn(space: &SpaceExport) -> String {
    let date = space.date();
    let work = format!(
        "/akn/un/statement/recommendations/{}/{date}",
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
         <FRBRdate date=\"{date}\" name=\"export\"/>\n          <FRBRauthor href=\"#group\" as=\"#author\"/>\n          \
         <FRBRcountry value=\"un\"/>\n          <FRBRname value=\"{}\"/>\n        </FRBRWork>\n",
        escape(&space.space.title)
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
        escape(&space.generated_at)
    );
    out.push_str("      </identification>\n      <references source=\"#draftroom\">\n");
    out.push_str("        <TLCOrganization eId=\"draftroom\" href=\"/ontology/organization/draftroom\" showAs=\"Draftroom\"/>\n");
    let _ = writeln!(
        out,
        "        <TLCOrganization eId=\"group\" href=\"/ontology/organization/{}\" showAs=\"{}\"/>",
        id_part(&space.id),
        escape(&space.space.title)
    );
    for (user, eid) in &people {
        let _ = writeln!(
            out,
            "        <TLCPerson eId=\"{eid}\" href=\"/ontology/person/draftroom/{}\" showAs=\"{}\"/>",
            id_part(user),
            escape(user)
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
            escape(&topic.letter),
            escape(&topic.title)
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
        escape(&rec.topic),
        rec.number,
        escape(&rec.title)
    );
    let consensus = rec.consensus.map_or("none", |c| c.as_str());
    let _ = write!(
        out,
        "          <hcontainer name=\"status\" eId=\"{rec_id}__status\">\n            <content>\n              \
         <p>Status: <inline name=\"status\">{}</inline>; consensus: <inline name=\"consensus\">{consensus}</inline></p>\n            \
         </content>\n          </hcontainer>\n",
        rec.status
    );
    let empty = String::new();
    let fields = std::iter::once((crate::schema::root::TEXT, &rec.text)).chain(
        Field::ALL
            .iter()
            .map(|field| (field.as_str(), rec.fields.get(field).unwrap_or(&empty))),
    );
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
            escape(&alt.label)
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
                escape(user)
            );
        }
        out.push_str("</p>\n            </content>\n          </hcontainer>\n");
    }
    out.push_str("        </hcontainer>\n");
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
        space.space.title, space.generated_at
    );
    for (topic, recommendations) in space.topics() {
        let _ = writeln!(out, "## {}. {}\n", topic.letter, topic.title);
        if recommendations.is_empty() {
            out.push_str("No recommendations yet.\n\n");
        }
        for rec in recommendations {
            let _ = writeln!(out, "### {}.{} {}\n", rec.topic, rec.number, rec.title);
            let consensus = rec.consensus.map_or("not assessed", |c| c.as_str());
            let _ = writeln!(out, "*Status: {}; consensus: {consensus}.*\n", rec.status);
            let _ = writeln!(
                out,
                "**Recommendation (majority text)**\n\n{}\n",
                or_dash(&rec.text)
            );
            for field in Field::ALL {
                let text = rec.fields.get(field).map_or("", String::as_str);
                let _ = writeln!(out, "**{}:** {}\n", field.title(), or_dash(text));
            }
            for alt in &rec.alternatives {
                let _ = writeln!(
                    out,
                    "#### Alternative recommendation: {}\n\n*Proponents: {}.*{}\n\n{}\n",
                    alt.label,
                    proponents(alt),
                    if alt.stale {
                        " *Written against an earlier majority text.*"
                    } else {
                        ""
                    },
                    or_dash(&alt.text)
                );
            }
        }
    }
    out
}

fn or_dash(text: &str) -> &str {
    if text.trim().is_empty() { "—" } else { text }
}

fn html(space: &SpaceExport) -> String {
    let mut out = String::new();
    let title = escape(&space.space.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\n\
         body {{ font-family: Georgia, serif; max-width: 75rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }}\n\
         .texts {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }}\n\
         .texts section {{ border: 1px solid #ccc; border-radius: 4px; padding: 0 1rem; }}\n\
         .texts .alternative {{ background: #fff8e6; }}\n\
         .meta, .proponents {{ color: #555; font-style: italic; }}\n\
         dt {{ font-weight: bold; }}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p class=\"meta\">Recommendations as of {}.</p>\n",
        escape(&space.generated_at)
    );
    for (topic, recommendations) in space.topics() {
        let _ = writeln!(
            out,
            "<h2>{}. {}</h2>",
            escape(&topic.letter),
            escape(&topic.title)
        );
        if recommendations.is_empty() {
            out.push_str("<p class=\"meta\">No recommendations yet.</p>\n");
        }
        for rec in recommendations {
            let _ = writeln!(
                out,
                "<article id=\"rec-{}\">\n<h3>{}.{} {}</h3>",
                id_part(&rec.id),
                escape(&rec.topic),
                rec.number,
                escape(&rec.title)
            );
            let consensus = rec.consensus.map_or("not assessed", |c| c.as_str());
            let _ = writeln!(
                out,
                "<p class=\"meta\">Status: {}; consensus: {consensus}.</p>",
                rec.status
            );
            out.push_str("<div class=\"texts\">\n<section class=\"majority\">\n<h4>Recommendation (majority text)</h4>\n");
            html_paragraphs(&mut out, &rec.text);
            out.push_str("</section>\n");
            for alt in &rec.alternatives {
                let _ = writeln!(
                    out,
                    "<section class=\"alternative\">\n<h4>Alternative: {}</h4>\n<p class=\"proponents\">Proponents: {}.{}</p>",
                    escape(&alt.label),
                    escape(&proponents(alt)),
                    if alt.stale {
                        " Written against an earlier majority text."
                    } else {
                        ""
                    }
                );
                html_paragraphs(&mut out, &alt.text);
                out.push_str("</section>\n");
            }
            out.push_str("</div>\n<dl>\n");
            for field in Field::ALL {
                let text = rec.fields.get(field).map_or("", String::as_str);
                let _ = writeln!(
                    out,
                    "<dt>{}</dt><dd>{}</dd>",
                    field.title(),
                    escape(or_dash(text))
                );
            }
            out.push_str("</dl>\n</article>\n");
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn html_paragraphs(out: &mut String, text: &str) {
    for paragraph in paragraphs(text) {
        let _ = writeln!(out, "<p>{}</p>", escape(or_dash(paragraph)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
            stale_alternatives: 1,
        };
        SpaceExport {
            id: "wgigf".into(),
            space: SpaceView {
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

    #[test]
    fn formats_parse() {
        assert_eq!("akn".parse(), Ok(Format::Akn));
        assert!("pdf".parse::<Format>().is_err());
    }
}
