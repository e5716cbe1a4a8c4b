use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::testing::forbidden_in_xml;
use crate::{
    Consensus, Contents, Entry, Field, ImplementationStatus, Numbering, Person, Proposal, Since,
    SupportChoice,
};
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
        implementation: Vec::new(),
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
            report: crate::ReportHeader::default(),
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
        roster: Roster::default(),
        annex: None,
        contents: Contents::Report,
    }
}

/// The space exported as text.
fn text(space: &SpaceExport, format: Format) -> String {
    String::from_utf8(export(space, format)).expect("text")
}

#[test]
fn akn_names_each_alternative_beside_its_recommendation() {
    let xml = text(&space(), Format::Akn);
    assert!(xml.contains(r#"eId="topic_c__rec_c-1""#));
    assert!(xml.contains(r#"alternativeTo="topic_c__rec_c-1""#));
    assert!(xml.contains(r##"<opinion type="dissenting" by="#person_0_"##));
    assert!(xml.contains("Funding &lt;&amp; &quot;quotes&quot;&gt;"));
    assert!(!xml.contains('\u{7}'), "control characters are dropped");
    assert!(xml.contains(r#"<FRBRdate date="2026-11-28" name="export"/>"#));
}

#[test]
fn markdown_and_html_show_alternatives_with_their_proponents() {
    let md = text(&space(), Format::Markdown);
    assert!(md.contains("#### Alternative recommendation 1: Voluntary only"));
    assert!(md.contains("*Proposed by élodie and li.*"));
    assert!(md.contains("No recommendations yet."));
    let html = text(&space(), Format::Html);
    assert!(html.contains(r#"<section class="alternative">"#));
    assert!(html.contains("Proposed by élodie and li."));
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

/// What a reader should read back of `hostile(name)`, after what heads
/// it.
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
    "Alternative recommendation 1: label",
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
    alt.label = hostile("label").replacen("label", "", 1);
    alt.label.insert_str(0, "label");
    alt.text = hostile("alternative text");
    alt.proponents = vec![hostile("ana"), hostile("bo")];
    space
}

#[test]
fn akn_is_well_formed_and_keeps_all_xml_allows_whatever_the_texts_hold() {
    let xml = text(&hostile_space(), Format::Akn);
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
    let html = text(&hostile_space(), Format::Html);
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
            (
                "Word",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx"
            ),
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
    unproposed.id = "alt-2".into();
    unproposed.label = "Nobody's".into();
    unproposed.proponents.clear();
    unproposed.stale = false;
    rec.alternatives.push(unproposed);
    space
}

#[test]
fn every_filled_field_stands_under_its_title_and_an_empty_one_is_left_out() {
    let md = text(&filled_space(), Format::Markdown);
    assert!(md.contains("**Responsible body:** The MAG.\n"), "{md}");
    assert!(md.contains("**Timeline:** By 2027.\n"), "{md}");
    assert!(!md.contains("**Tasks:**") && !md.contains("—"), "{md}");
    let html = text(&filled_space(), Format::Html);
    assert!(html.contains("<dt>Responsible body</dt><dd>The MAG.</dd>"));
    assert!(!html.contains("<dt>Tasks</dt>"), "{html}");
    let xml = text(&filled_space(), Format::Akn);
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
    space.recommendations.get_mut("c-1").expect("c-1").consensus = Some(Consensus::StrongSupport);
    let md = text(&space, Format::Markdown);
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
    assert!(text(&space, Format::Akn).contains("<num>C.7</num>"));
    assert!(text(&space, Format::Markdown).contains("### C.7 Funding <& \"quotes\">\n"));
    assert!(text(&space, Format::Html).contains("<h3>C.7 Funding &lt;&amp;"));
}

#[test]
fn alternatives_are_numbered_and_name_their_proponents_or_none() {
    let space = filled_space();
    let xml = text(&space, Format::Akn);
    assert!(xml.contains(r#"eId="topic_c__rec_c-1__alt_1""#));
    assert!(xml.contains(r#"eId="topic_c__rec_c-1__alt_2""#));
    assert!(xml.contains(
        "<p>Proponents: <opinion type=\"dissenting\" by=\"#person_0__lodie\">élodie</opinion>, \
         <opinion type=\"dissenting\" by=\"#person_1_li\">li</opinion></p>"
    ));
    assert!(xml.contains("<p>Proponents:</p>"));
    let md = text(&space, Format::Markdown);
    assert!(md.contains(
        "#### Alternative recommendation 1: Voluntary only\n\n*Proposed by élodie and li.*\n"
    ));
    assert!(!md.contains("Written against"), "no internal notes");
    assert!(md.contains(
        "#### Alternative recommendation 2: Nobody's\n\n*No delegation proposes it now.*\n"
    ));
    let html = text(&space, Format::Html);
    assert!(html.contains("<p class=\"proponents\">Proposed by élodie and li.</p>"));
    assert!(html.contains("<p class=\"proponents\">No delegation proposes it now.</p>"));
}

/// The filled space with a roster naming its people, and support.
fn space_with_people() -> SpaceExport {
    let mut space = filled_space();
    let person = |user: &str, name: &str, delegation: &str| Person {
        user: user.into(),
        name: name.into(),
        delegation: delegation.into(),
        role: draftroom_auth::Role::Member,
    };
    space.roster = [
        person("élodie", "Élodie Martin", "France"),
        person("li", "Li Wei", "China"),
        person("ana", "Ana Silva", "Brazil"),
        person("bia", "Bia Costa", "Brazil"),
        person("kim", "Kim Lee", ""),
    ]
    .into_iter()
    .collect();
    let rec = space.recommendations.get_mut("c-1").expect("c-1");
    rec.support = [
        ("ana", SupportChoice::Majority),
        ("bia", SupportChoice::Majority),
        ("kim", SupportChoice::Majority),
        ("élodie", SupportChoice::Alternative("alt-1".into())),
        ("li", SupportChoice::Alternative("alt-1".into())),
    ]
    .into_iter()
    .map(|(user, choice)| (user.to_owned(), choice))
    .collect();
    space
}

#[test]
fn people_are_named_with_their_delegations_and_support_is_tallied_by_delegation() {
    let space = space_with_people();
    for format in [Format::Markdown, Format::Html] {
        let report = text(&space, format);
        assert!(
            report.contains(
                "Supported by 2 delegations (Brazil, Kim Lee); \
                 alternative 1 by 2 delegations (China, France)."
            ),
            "{report}"
        );
        assert!(report.contains("Proposed by France and China."), "{report}");
        assert!(!report.contains("élodie"), "no user id: {report}");
    }
    let xml = text(&space, Format::Akn);
    assert!(xml.contains(r#"showAs="Élodie Martin (France)""#), "{xml}");
    assert!(xml.contains(">Li Wei (China)</opinion>"), "{xml}");
    assert!(xml.contains("<p class=\"support\">Supported by 2 delegations"));
}

#[test]
fn the_header_heads_the_report_and_numbering_may_run_through_it() {
    let mut space = space_with_people();
    space.space.report = crate::ReportHeader {
        body: "Commission on Science and Technology for Development".into(),
        symbol: "E/CN.16/2012/CRP.2".into(),
        session: "Fifteenth session".into(),
        date: "2012-05-21".into(),
        title: "Report of the Working Group".into(),
        distribution: "General".into(),
        numbering: Numbering::Continuous,
    };
    let md = text(&space, Format::Markdown);
    assert!(md.starts_with(
        "Commission on Science and Technology for Development  \nGeneral  \n\
         E/CN.16/2012/CRP.2  \nFifteenth session  \n21 May 2012  \n\n# Report of the Working Group\n"
    ), "{md}");
    assert!(md.contains("### 1 Funding"), "{md}");
    let xml = text(&space, Format::Akn);
    assert!(xml.contains("<docNumber>E/CN.16/2012/CRP.2</docNumber>"));
    assert!(xml.contains("<docDate date=\"2012-05-21\">21 May 2012</docDate>"));
    assert!(xml.contains("<docTitle>Report of the Working Group</docTitle>"));
    assert!(xml.contains("<num>1</num>"));
    let html = text(&space, Format::Html);
    assert!(html.contains("<p class=\"symbol\">E/CN.16/2012/CRP.2</p>"));
    assert!(
        html.contains("@top-right { content: \"E/CN.16/2012/CRP.2\";"),
        "{html}"
    );
}

#[test]
fn brackets_are_marked_as_such_nested_or_left_open() {
    let cut = pieces("a [b [c] d] e [f");
    assert_eq!(
        cut,
        [
            Piece::Text("a "),
            Piece::Bracket(vec![
                Piece::Text("[b "),
                Piece::Bracket(vec![Piece::Text("[c]")]),
                Piece::Text(" d]"),
            ]),
            Piece::Text(" e "),
            Piece::Bracket(vec![Piece::Text("[f")]),
        ]
    );
    assert_eq!(pieces("é]"), [Piece::Text("é]")]);
    let xml = text(&space(), Format::Akn);
    assert!(
        xml.contains("<p>Fund the IGF <inline name=\"bracket\">[through UN DESA]</inline>.</p>")
    );
    let html = text(&space(), Format::Html);
    assert!(html.contains("<p>Fund the IGF <span class=\"bracket\">[through UN DESA]</span>.</p>"));
}

#[test]
fn the_annex_says_who_proposed_what() {
    let mut space = space_with_people();
    let mut merged = Proposal::new(
        "p-1",
        "Name the fund",
        None,
        None,
        "ana",
        "2012-02-01T10:00:00Z",
    );
    merged.merged_into.push(crate::MergeRecord {
        recommendation: "c-1".into(),
        merged_as: crate::MergeKind::Majority,
        alternative: None,
        by: "vc".into(),
        at: "2012-02-20T10:00:00Z".into(),
        hunks: Vec::new(),
    });
    space.annex = Some(vec![merged]);
    let md = text(&space, Format::Markdown);
    assert!(
        md.contains("## Annex: who proposed what\n\n### C.7 Funding"),
        "{md}"
    );
    assert!(
        md.contains(
            "- “Name the fund”, proposed by Ana Silva (Brazil), merged on 20 February 2012.\n"
        ),
        "{md}"
    );
    assert!(md.contains(
        "- Alternative recommendation 1: Voluntary only: proposed by Élodie Martin (France) and Li Wei (China).\n"
    ), "{md}");
    assert!(!text(&space_with_people(), Format::Markdown).contains("Annex"));
}

#[test]
fn each_non_blank_line_of_a_text_is_a_paragraph() {
    let mut space = space();
    let rec = space.recommendations.get_mut("c-1").expect("c-1");
    rec.text = "  First.\n\n \t \nSecond.  ".into();
    rec.alternatives[0].text = " \n ".into();
    let xml = text(&space, Format::Akn);
    assert!(xml.contains(
        "<content>\n              <p>First.</p>\n              <p>Second.</p>\n            </content>"
    ));
    assert!(xml.contains("<content>\n              <p/>\n              <p>Proponents:"));
    let html = text(&space, Format::Html);
    assert!(html.contains(
        "<h4>Recommendation (majority text)</h4>\n<p>First.</p>\n<p>Second.</p>\n</section>"
    ));
    assert!(html.contains("Proposed by élodie and li.</p>\n<p>—</p>\n</section>"));
}

#[test]
fn eids_are_made_of_lowercase_ascii_letters_digits_dashes_and_underscores() {
    assert_eq!(id_part("Ab-9_é/x y"), "ab-9___x_y");
}

#[test]
fn a_space_without_topics_still_has_a_body() {
    let mut space = space();
    let xml = text(&space, Format::Akn);
    assert!(!xml.contains(r#"eId="empty""#));
    assert!(xml.contains(r#"<hcontainer name="empty" eId="topic_e__none">"#));
    space.space.topics.clear();
    let xml = text(&space, Format::Akn);
    assert!(xml.contains(
        "<mainBody>\n      <hcontainer name=\"empty\" eId=\"empty\">\n        <content>\n          <p/>"
    ));
}

#[test]
fn an_export_is_dated_by_the_day_it_is_made() {
    let mut space = space();
    space.generated_at = "soon".into();
    let xml = text(&space, Format::Akn);
    assert!(xml.contains(r#"<FRBRdate date="1970-01-01" name="export"/>"#));
    assert!(xml.contains(r#"<FRBRdate date="soon" name="generation"/>"#));
}

#[test]
fn formats_parse() {
    assert_eq!("akn".parse(), Ok(Format::Akn));
    assert!("pdf".parse::<Format>().is_err());
}

/// The parts of a Word document, by name, as text.
fn docx_parts(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    (0..archive.len())
        .map(|index| {
            let mut part = archive.by_index(index).expect("a part");
            let mut content = String::new();
            std::io::Read::read_to_string(&mut part, &mut content).expect("text");
            (part.name().to_owned(), content)
        })
        .collect()
}

#[test]
fn a_word_document_holds_well_formed_parts_with_named_styles_and_the_same_bytes_each_time() {
    let mut space = space_with_people();
    space.space.report.symbol = "E/CN.16/2012/CRP.2".into();
    let bytes = export(&space, Format::Docx);
    assert_eq!(bytes, export(&space, Format::Docx), "the same bytes");
    let parts = docx_parts(&bytes);
    for name in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/header1.xml",
    ] {
        let part = parts
            .get(name)
            .unwrap_or_else(|| panic!("{name} in {parts:?}"));
        roxmltree::Document::parse(part).unwrap_or_else(|error| panic!("{name}: {error}"));
    }
    let document = &parts["word/document.xml"];
    let styles = &parts["word/styles.xml"];
    for style in [
        "Title",
        "Heading1",
        "Heading2",
        "Heading3",
        "Standing",
        "RecommendationText",
        "AlternativeText",
    ] {
        assert!(
            document.contains(&format!("<w:pStyle w:val=\"{style}\"/>")),
            "{style}"
        );
        assert!(
            styles.contains(&format!("w:styleId=\"{style}\"")),
            "{style}"
        );
    }
    assert!(document.contains(">C.7 Funding &lt;&amp; &quot;quotes&quot;&gt;</w:t>"));
    assert!(document.contains(
        "<w:rStyle w:val=\"Bracketed\"/></w:rPr><w:t xml:space=\"preserve\">[through UN DESA]</w:t>"
    ));
    assert!(document.contains("Proposed by France and China."));
    assert!(parts["word/header1.xml"].contains("E/CN.16/2012/CRP.2"));
    let hostile = export(&hostile_space(), Format::Docx);
    for (name, part) in docx_parts(&hostile) {
        roxmltree::Document::parse(&part).unwrap_or_else(|error| panic!("{name}: {error}"));
    }
}

#[test]
fn a_report_of_changes_says_what_moved_in_every_format_and_nothing_when_nothing_did() {
    let mut space = space_with_people();
    let mut earlier = space.recommendations.clone();
    space.contents = Contents::Changes(Since {
        from: "4th meeting".into(),
        to: "5th meeting".into(),
        recommendations: earlier.clone(),
    });
    let md = text(&space, Format::Markdown);
    assert!(
        md.contains("# Changes from “4th meeting” to “5th meeting”"),
        "{md}"
    );
    assert!(md.contains("Nothing changed."), "{md}");

    let rec = earlier.get_mut("c-1").expect("c-1");
    rec.status = Status::Draft;
    rec.text = "Fund the IGF.".into();
    rec.alternatives.truncate(1);
    rec.support.remove("kim");
    if let Contents::Changes(since) = &mut space.contents {
        since.recommendations = earlier;
    }
    let md = text(&space, Format::Markdown);
    assert!(md.contains("### C.7 Funding"), "{md}");
    assert!(md.contains("*Status: draft → bracketed.*"), "{md}");
    assert!(md.contains("<ins> [through UN DESA]</ins>"), "{md}");
    assert!(
        md.contains("#### Alternative recommendation “Nobody's” (new)"),
        "{md}"
    );
    assert!(
        md.contains("*Support for the recommendation: 1 delegation (Brazil) → 2 delegations (Brazil, Kim Lee).*"),
        "{md}"
    );
    let xml = text(&space, Format::Akn);
    roxmltree::Document::parse(&xml).expect("well-formed");
    assert!(xml.contains("<statement name=\"changes\">"), "{xml}");
    assert!(xml.contains("<ins> [through UN DESA]</ins>"), "{xml}");
    let html = text(&space, Format::Html);
    assert!(html.contains("<ins> [through UN DESA]</ins>"), "{html}");
    let docx = docx_parts(&export(&space, Format::Docx));
    let document = &docx["word/document.xml"];
    roxmltree::Document::parse(document).expect("well-formed");
    assert!(document.contains("<w:ins w:id=\"1\" w:author=\"Draftroom\"><w:r><w:t xml:space=\"preserve\"> [through UN DESA]</w:t></w:r></w:ins>"), "{document}");
}

#[test]
fn the_report_on_implementation_says_where_each_adopted_recommendation_stood_on_a_date() {
    let mut space = space_with_people();
    space.contents = Contents::Implementation {
        as_of: "2012-12-31".into(),
    };
    let md = text(&space, Format::Markdown);
    assert!(
        md.contains("# Report on implementation as of 31 December 2012"),
        "{md}"
    );
    assert!(md.contains("No recommendation is adopted."), "{md}");
    let rec = space.recommendations.get_mut("c-1").expect("c-1");
    rec.status = Status::Adopted;
    let entry = |status, as_of: &str, note: &str| Entry {
        id: format!("i-{as_of}"),
        status,
        note: note.into(),
        evidence: String::new(),
        as_of: as_of.into(),
        by: "ana".into(),
        at: "t".into(),
    };
    rec.implementation = vec![
        entry(
            ImplementationStatus::NotStarted,
            "2012-06-01",
            "Waiting for pledges.",
        ),
        entry(
            ImplementationStatus::InProgress,
            "2012-10-01",
            "Pledges received.",
        ),
        entry(
            ImplementationStatus::Implemented,
            "2013-03-01",
            "Fund running.",
        ),
    ];
    let md = text(&space, Format::Markdown);
    assert!(md.contains("### C.7 Funding"), "{md}");
    assert!(md.contains("*Responsible body: The MAG.*"), "{md}");
    assert!(
        md.contains("*Status on 31 December 2012: in progress.*"),
        "{md}"
    );
    assert!(
        md.contains(
            "**1 October 2012:** in progress. Pledges received. Reported by Ana Silva (Brazil)."
        ),
        "{md}"
    );
    assert!(
        !md.contains("Fund running"),
        "what was reported for a later date is left out: {md}"
    );
    let xml = text(&space, Format::Akn);
    roxmltree::Document::parse(&xml).expect("well-formed");
    assert!(xml.contains("<statement name=\"implementation\">"));
    let docx = docx_parts(&export(&space, Format::Docx));
    assert!(docx["word/document.xml"].contains("Status on 31 December 2012: in progress."));
}
