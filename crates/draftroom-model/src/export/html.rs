//! The report as one HTML page, laid out to read on screen and to print
//! as it is: a print stylesheet sets A4 pages with margins, repeats the
//! document symbol and the page number on each, and keeps headings with
//! what follows them.

use std::fmt::Write as _;

use crate::Markup;

use super::report::Report;
use super::{Piece, id_part, or_dash, paragraphs, pieces};

const STYLE: &str = "\
body { font-family: Georgia, 'Times New Roman', serif; max-width: 75rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
.report-header { display: grid; grid-template-columns: 1fr auto; gap: 0 2rem; border-bottom: 2px solid #000; padding-bottom: .5rem; margin-bottom: 1rem; }
.report-header p { margin: 0; }
.report-header .body { font-weight: bold; grid-column: 1; }
.report-header .distribution, .report-header .symbol, .report-header .date { grid-column: 2; text-align: right; }
.texts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
.texts section { border: 1px solid #ccc; border-radius: 4px; padding: 0 1rem; }
.texts .alternative { background: #fff8e6; }
.bracket { background: #eef; }
.meta, .proponents, .support { color: #555; font-style: italic; }
ins { background: #e6ffe6; } del { background: #ffe6e6; }
dt { font-weight: bold; }
@page { size: A4; margin: 2.5cm 2cm; }
@page { @bottom-center { content: counter(page); font: 9pt Georgia, serif; } }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  .texts { display: block; }
  .texts section { border: none; border-left: 3px solid #999; padding: 0 0 0 .75rem; margin: .75rem 0; break-inside: avoid; }
  .texts .alternative { background: none; border-left-style: dashed; }
  .bracket { background: none; }
  h1, h2, h3, h4, dt { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
";

/// `text` as a CSS string, every character but letters, digits and a
/// few marks escaped, so nothing in it can end the string or the
/// stylesheet; control characters are dropped.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars().filter(|c| !c.is_control()) {
        if c.is_ascii_alphanumeric() || " ./,-".contains(c) {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:x} ", u32::from(c));
        }
    }
    out.push('"');
    out
}

/// A paragraph's text, escaped, its brackets marked.
fn marked(out: &mut String, pieces: &[Piece]) {
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(&Markup::Html.escape(text)),
            Piece::Bracket(inside) => {
                out.push_str("<span class=\"bracket\">");
                marked(out, inside);
                out.push_str("</span>");
            }
        }
    }
}

fn html_paragraphs(out: &mut String, text: &str) {
    for paragraph in paragraphs(text) {
        out.push_str("<p>");
        marked(out, &pieces(or_dash(paragraph)));
        out.push_str("</p>\n");
    }
}

/// Begins a page: its head and print stylesheet, the header, and `title`
/// as its heading. The caller writes the rest, then `</body></html>`.
pub(super) fn open(report: &Report, title: &str) -> String {
    let mut out = String::new();
    let title = Markup::Html.escape(title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <style>\n{STYLE}@page {{ @top-right {{ content: {}; font: 9pt Georgia, serif; }} }}\n</style>\n</head>\n<body>\n",
        css_string(&report.space.space.report.symbol)
    );
    let lines = report.header_lines();
    if !lines.is_empty() {
        out.push_str("<header class=\"report-header\">\n");
        for (line, text) in lines {
            let _ = writeln!(
                out,
                "<p class=\"{}\">{}</p>",
                line.name(),
                Markup::Html.escape(text)
            );
        }
        out.push_str("</header>\n");
    }
    let _ = writeln!(out, "<h1>{title}</h1>");
    out
}

/// The end of a page [`open`] began.
pub(super) const CLOSE: &str = "</body>\n</html>\n";

pub(super) fn html(report: &Report) -> String {
    let mut out = open(report, report.title);
    let _ = writeln!(
        out,
        "<p class=\"meta\">{}</p>",
        Markup::Html.escape(&report.as_of())
    );
    for section in &report.sections {
        let topic = section.topic;
        let _ = writeln!(
            out,
            "<h2>{}. {}</h2>",
            Markup::Html.escape(&topic.letter),
            Markup::Html.escape(&topic.title)
        );
        if section.items.is_empty() {
            out.push_str("<p class=\"meta\">No recommendations yet.</p>\n");
        }
        for item in &section.items {
            let rec = item.rec;
            let _ = writeln!(
                out,
                "<article id=\"rec-{}\">\n<h3>{}</h3>\n<p class=\"meta\">{}</p>",
                id_part(&rec.id),
                Markup::Html.escape(&item.heading()),
                Markup::Html.escape(&item.standing)
            );
            if let Some(support) = &item.support {
                let _ = writeln!(
                    out,
                    "<p class=\"support\">{}</p>",
                    Markup::Html.escape(support)
                );
            }
            out.push_str("<div class=\"texts\">\n<section class=\"majority\">\n<h4>Recommendation (majority text)</h4>\n");
            html_paragraphs(&mut out, &rec.text);
            out.push_str("</section>\n");
            for listed in &item.alternatives {
                let _ = writeln!(
                    out,
                    "<section class=\"alternative\">\n<h4>{}</h4>\n<p class=\"proponents\">{}</p>",
                    Markup::Html.escape(&listed.heading),
                    Markup::Html.escape(&listed.proposed_by)
                );
                html_paragraphs(&mut out, &listed.alt.text);
                out.push_str("</section>\n");
            }
            out.push_str("</div>\n");
            if !item.fields.is_empty() {
                out.push_str("<dl>\n");
                for (field, text) in &item.fields {
                    let _ = writeln!(
                        out,
                        "<dt>{}</dt><dd>{}</dd>",
                        field.title(),
                        Markup::Html.escape(text)
                    );
                }
                out.push_str("</dl>\n");
            }
            if !item.comments.is_empty() {
                out.push_str("<section class=\"comments\">\n<h4>Comments</h4>\n<ul>\n");
                for (head, replies) in &item.comments {
                    let _ = write!(out, "<li>{}", Markup::Html.escape(head));
                    if !replies.is_empty() {
                        out.push_str("\n<ul>\n");
                        for reply in replies {
                            let _ = writeln!(out, "<li>{}</li>", Markup::Html.escape(reply));
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
    if !report.annex.is_empty() {
        out.push_str("<section class=\"annex\">\n<h2>Annex: who proposed what</h2>\n");
        for entry in &report.annex {
            let _ = writeln!(
                out,
                "<h3>{}</h3>\n<ul>",
                Markup::Html.escape(&entry.heading)
            );
            for line in &entry.lines {
                let _ = writeln!(out, "<li>{}</li>", Markup::Html.escape(line));
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str(CLOSE);
    out
}
