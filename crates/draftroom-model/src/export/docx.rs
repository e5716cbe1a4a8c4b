//! The report as a Word document (Office Open XML, `.docx`): a zip of XML
//! parts. Every paragraph takes a named style (Title, Heading 1 for
//! topics, Heading 2 for recommendations, Heading 3 for alternatives, and
//! the report's own), so a secretariat restyles the whole report by
//! changing a style; pages are A4, headed by the document symbol and
//! numbered at the foot. The archive's entries carry a fixed time, so a
//! version's document is the same bytes on every call.

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::{Markup, ReportHeader};

use super::report::{HeaderLine, Report};
use super::{Piece, or_dash, paragraphs, pieces};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>
"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>
"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>
"#;

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>
"#;

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

/// The styles every paragraph of the report takes, by id: Word's own
/// headings and title, and the report's styles.
const STYLES: &str = r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="240" w:after="240"/><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="180" w:after="60"/><w:ind w:left="567"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:i/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="ReportHeader"><w:name w:val="Report Header"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="ReportReference"><w:name w:val="Report Reference"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/><w:jc w:val="right"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Standing"><w:name w:val="Standing"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:rPr><w:i/><w:color w:val="555555"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="RecommendationText"><w:name w:val="Recommendation Text"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="AlternativeText"><w:name w:val="Alternative Text"/><w:basedOn w:val="RecommendationText"/><w:pPr><w:pBdr><w:left w:val="dashed" w:sz="8" w:space="8" w:color="999999"/></w:pBdr><w:ind w:left="567"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Field"><w:name w:val="Field"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="CommentText"><w:name w:val="Comment Text"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="567"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="AnnexEntry"><w:name w:val="Annex Entry"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="567" w:hanging="283"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="right"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>
<w:style w:type="character" w:customStyle="1" w:styleId="Bracketed"><w:name w:val="Bracketed"/><w:rPr><w:shd w:val="clear" w:color="auto" w:fill="E6E6F5"/></w:rPr></w:style>
<w:style w:type="character" w:customStyle="1" w:styleId="FieldTitle"><w:name w:val="Field Title"/><w:rPr><w:b/></w:rPr></w:style>
"#;

/// One paragraph of `style` holding `runs` (already laid out as `<w:r>`).
pub(super) fn paragraph(out: &mut String, style: &str, runs: &str) {
    let _ = write!(
        out,
        "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{runs}</w:p>"
    );
}

/// A run of `text`, in the character style `style` if any.
pub(super) fn run(text: &str, style: Option<&str>) -> String {
    let properties = style.map_or_else(String::new, |style| {
        format!("<w:rPr><w:rStyle w:val=\"{style}\"/></w:rPr>")
    });
    format!(
        "<w:r>{properties}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
        Markup::Xml.escape(text)
    )
}

/// Tracked changes, numbered as Word wants each: deletions and insertions
/// a reader accepts or rejects in Word itself.
#[derive(Default)]
pub(super) struct Tracked {
    next: u32,
}

impl Tracked {
    fn id(&mut self) -> u32 {
        self.next += 1;
        self.next
    }

    /// `text` struck, as a tracked deletion.
    pub(super) fn deleted(&mut self, text: &str) -> String {
        format!(
            "<w:del w:id=\"{}\" w:author=\"Draftroom\"><w:r><w:delText xml:space=\"preserve\">{}</w:delText></w:r></w:del>",
            self.id(),
            Markup::Xml.escape(text)
        )
    }

    /// `text` added, as a tracked insertion.
    pub(super) fn inserted(&mut self, text: &str) -> String {
        format!(
            "<w:ins w:id=\"{}\" w:author=\"Draftroom\">{}</w:ins>",
            self.id(),
            run(text, None)
        )
    }
}

/// The runs of a paragraph's text, its brackets in the `Bracketed` style.
fn runs(out: &mut String, pieces: &[Piece], bracketed: bool) {
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(&run(text, bracketed.then_some("Bracketed"))),
            Piece::Bracket(inside) => runs(out, inside, true),
        }
    }
}

/// Each paragraph of `text` in `style`, brackets marked.
fn text_paragraphs(out: &mut String, style: &str, text: &str) {
    for line in paragraphs(text) {
        let mut laid = String::new();
        runs(&mut laid, &pieces(or_dash(line)), false);
        paragraph(out, style, &laid);
    }
}

fn header_style(line: HeaderLine) -> &'static str {
    match line {
        HeaderLine::Body | HeaderLine::Session => "ReportHeader",
        HeaderLine::Distribution | HeaderLine::Symbol | HeaderLine::Date => "ReportReference",
    }
}

pub(super) fn docx(report: &Report) -> Vec<u8> {
    let mut body = String::new();
    paragraph(&mut body, "Standing", &run(&report.as_of(), None));
    for section in &report.sections {
        let topic = section.topic;
        paragraph(
            &mut body,
            "Heading1",
            &run(&format!("{}. {}", topic.letter, topic.title), None),
        );
        if section.items.is_empty() {
            paragraph(&mut body, "Standing", &run("No recommendations yet.", None));
        }
        for item in &section.items {
            paragraph(&mut body, "Heading2", &run(&item.heading(), None));
            paragraph(&mut body, "Standing", &run(&item.standing, None));
            if let Some(support) = &item.support {
                paragraph(&mut body, "Standing", &run(support, None));
            }
            text_paragraphs(&mut body, "RecommendationText", &item.rec.text);
            for (field, text) in &item.fields {
                let runs =
                    run(&format!("{}: ", field.title()), Some("FieldTitle")) + &run(text, None);
                paragraph(&mut body, "Field", &runs);
            }
            for listed in &item.alternatives {
                paragraph(&mut body, "Heading3", &run(&listed.heading, None));
                paragraph(&mut body, "Standing", &run(&listed.proposed_by, None));
                text_paragraphs(&mut body, "AlternativeText", &listed.alt.text);
            }
            if !item.comments.is_empty() {
                paragraph(&mut body, "Heading3", &run("Comments", None));
                for (head, replies) in &item.comments {
                    for line in std::iter::once(head).chain(replies) {
                        paragraph(&mut body, "CommentText", &run(line, None));
                    }
                }
            }
        }
    }
    if !report.annex.is_empty() {
        paragraph(
            &mut body,
            "Heading1",
            &run("Annex: who proposed what", None),
        );
        for entry in &report.annex {
            paragraph(&mut body, "Heading2", &run(&entry.heading, None));
            for line in &entry.lines {
                paragraph(&mut body, "AnnexEntry", &run(line, None));
            }
        }
    }
    package(report, report.title, &body)
}

/// A Word document of the report's header, `title`, then `body` (its
/// paragraphs, laid out).
pub(super) fn package(report: &Report, title: &str, body: &str) -> Vec<u8> {
    let mut head = String::new();
    for (line, text) in report.header_lines() {
        paragraph(&mut head, header_style(line), &run(text, None));
    }
    paragraph(&mut head, "Title", &run(title, None));
    // A4, 2.5 cm above and below, 2 cm either side.
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {W} \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{head}{body}\
         <w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId3\"/><w:footerReference w:type=\"default\" r:id=\"rId4\"/>\
         <w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1418\" w:right=\"1134\" w:bottom=\"1418\" w:left=\"1134\" \
         w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>\n"
    );
    let styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles {W}>{STYLES}</w:styles>\n"
    );
    let parts: [(&str, String); 9] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", PACKAGE_RELS.to_owned()),
        ("docProps/core.xml", core_properties(report, title)),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_owned()),
        ("word/styles.xml", styles),
        ("word/settings.xml", SETTINGS.to_owned()),
        ("word/header1.xml", page_header(&report.space.space.report)),
        ("word/footer1.xml", page_footer()),
    ];
    // Writing to memory fails only past zip's 4 GiB limit, which a report
    // bounded as the server bounds texts never nears.
    archive(&parts).expect("a report's parts fit in a zip archive")
}

/// The page header: the document symbol, on every page.
fn page_header(header: &ReportHeader) -> String {
    let mut runs = String::new();
    if !header.symbol.trim().is_empty() {
        runs = run(&header.symbol, None);
    }
    let mut laid = String::new();
    paragraph(&mut laid, "Header", &runs);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr {W}>{laid}</w:hdr>\n"
    )
}

/// The page footer: the page number.
fn page_footer() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr {W}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>\
         <w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>\n"
    )
}

/// The document's properties: its title, and when what it holds was, if
/// that is a date.
fn core_properties(report: &Report, title: &str) -> String {
    let date = report.space.date();
    let created = if ReportHeader::is_date(date) {
        format!("<dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}T00:00:00Z</dcterms:created>")
    } else {
        String::new()
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title>\
         <dc:creator>{}</dc:creator>{created}</cp:coreProperties>\n",
        Markup::Xml.escape(title),
        Markup::Xml.escape(&report.space.space.title)
    )
}

/// The parts in one zip archive, each entry dated alike so that the same
/// parts make the same bytes.
fn archive(parts: &[(&str, String)]) -> zip::result::ZipResult<Vec<u8>> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in parts {
        zip.start_file(*name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}
