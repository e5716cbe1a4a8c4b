//! The report in Markdown.

use std::fmt::Write as _;

use super::or_dash;
use super::report::Report;

pub(super) fn markdown(report: &Report) -> String {
    let mut out = String::new();
    for (_, line) in report.header_lines() {
        let _ = writeln!(out, "{line}  ");
    }
    if !report.header_lines().is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "# {}\n\n{}\n", report.title, report.as_of());
    for section in &report.sections {
        let topic = section.topic;
        let _ = writeln!(out, "## {}. {}\n", topic.letter, topic.title);
        if section.items.is_empty() {
            out.push_str("No recommendations yet.\n\n");
        }
        for item in &section.items {
            let rec = item.rec;
            let _ = writeln!(out, "### {}\n\n*{}*\n", item.heading(), item.standing);
            if let Some(support) = &item.support {
                let _ = writeln!(out, "*{support}*\n");
            }
            let _ = writeln!(
                out,
                "**Recommendation (majority text)**\n\n{}\n",
                or_dash(&rec.text)
            );
            for (field, text) in &item.fields {
                let _ = writeln!(out, "**{}:** {text}\n", field.title());
            }
            for listed in &item.alternatives {
                let _ = writeln!(
                    out,
                    "#### {}\n\n*{}*\n\n{}\n",
                    listed.heading,
                    listed.proposed_by,
                    or_dash(&listed.alt.text)
                );
            }
            if !item.comments.is_empty() {
                out.push_str("#### Comments\n\n");
                for (head, replies) in &item.comments {
                    let _ = writeln!(out, "- {head}");
                    for reply in replies {
                        let _ = writeln!(out, "  - {reply}");
                    }
                }
                out.push('\n');
            }
        }
    }
    if !report.annex.is_empty() {
        out.push_str("## Annex: who proposed what\n\n");
        for entry in &report.annex {
            let _ = writeln!(out, "### {}\n", entry.heading);
            for line in &entry.lines {
                let _ = writeln!(out, "- {line}");
            }
            out.push('\n');
        }
    }
    out
}
