//! Word-level differences between two texts, as runs of equal, deleted and
//! inserted text, for versions, alternatives and proposed merges.

use std::fmt::Write as _;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Equal,
    Delete,
    Insert,
}

/// One run of a diff. Positions count Unicode code points: `from` is where
/// the run starts in the old text (for deletions and equal runs), `to`
/// where it starts in the new text (for insertions and equal runs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub op: Op,
    pub text: String,
    pub from: usize,
    pub to: usize,
}

/// Splits a text into words, runs of white space, and single other
/// characters (punctuation), so that a diff speaks in whole words.
fn tokens(text: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut kind = None;
    for (at, c) in text.char_indices() {
        let this = if c.is_alphanumeric() {
            1
        } else if c.is_whitespace() {
            2
        } else {
            3
        };
        if kind.is_some() && (kind != Some(this) || this == 3) {
            tokens.push(&text[start..at]);
            start = at;
        }
        kind = Some(this);
    }
    if start < text.len() {
        tokens.push(&text[start..]);
    }
    tokens
}

/// The word diff from `old` to `new`. Within a changed passage, everything
/// deleted comes first, then everything inserted; white space between two
/// changed words counts as changed, so a reader sees "all donors" replaced
/// by "the UN", not each word on its own.
pub fn word_diff(old: &str, new: &str) -> Vec<Run> {
    let a = tokens(old);
    let b = tokens(new);
    let mut script = myers(&a, &b);
    for i in 1..script.len().saturating_sub(1) {
        let (op, token) = script[i];
        if op == Op::Equal
            && token.chars().all(char::is_whitespace)
            && script[i - 1].0 != Op::Equal
            && script[i + 1].0 != Op::Equal
        {
            script[i] = (Op::Delete, token);
            script.insert(i + 1, (Op::Insert, token));
        }
    }
    let mut runs: Vec<Run> = Vec::new();
    let (mut from, mut to) = (0usize, 0usize);
    let mut i = 0;
    while i < script.len() {
        if script[i].0 == Op::Equal {
            let text: String = script[i..]
                .iter()
                .take_while(|(op, _)| *op == Op::Equal)
                .map(|(_, t)| *t)
                .collect();
            i += script[i..]
                .iter()
                .take_while(|(op, _)| *op == Op::Equal)
                .count();
            let len = text.chars().count();
            runs.push(Run {
                op: Op::Equal,
                text,
                from,
                to,
            });
            from += len;
            to += len;
            continue;
        }
        let block = script[i..]
            .iter()
            .take_while(|(op, _)| *op != Op::Equal)
            .count();
        let changed = &script[i..i + block];
        let deleted: String = changed
            .iter()
            .filter(|(op, _)| *op == Op::Delete)
            .map(|(_, t)| *t)
            .collect();
        let inserted: String = changed
            .iter()
            .filter(|(op, _)| *op == Op::Insert)
            .map(|(_, t)| *t)
            .collect();
        if !deleted.is_empty() {
            let len = deleted.chars().count();
            runs.push(Run {
                op: Op::Delete,
                text: deleted,
                from,
                to,
            });
            from += len;
        }
        if !inserted.is_empty() {
            let len = inserted.chars().count();
            runs.push(Run {
                op: Op::Insert,
                text: inserted,
                from,
                to,
            });
            to += len;
        }
        i += block;
    }
    runs
}

/// The shortest edit script between two token lists (Myers, 1986), as
/// (op, token) pairs in order.
fn myers<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(Op, &'a str)> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    let offset = max as isize + 1;
    let mut v = vec![0isize; 2 * max + 3];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    'search: for d in 0..=max as isize {
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let index = (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[index - 1] < v[index + 1]) {
                v[index + 1]
            } else {
                v[index - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[index] = x;
            if x >= n && y >= m {
                break 'search;
            }
            k += 2;
        }
    }
    // Walk back through the saved frontiers to recover the path.
    let mut script = Vec::new();
    let (mut x, mut y) = (n, m);
    for (d, v) in trace.iter().enumerate().rev() {
        let d = d as isize;
        let k = x - y;
        let index = (k + offset) as usize;
        let prev_k = if k == -d || (k != d && v[index - 1] < v[index + 1]) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = v[(prev_k + offset) as usize];
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            script.push((Op::Equal, a[x as usize]));
        }
        if d > 0 {
            if x == prev_x {
                y -= 1;
                script.push((Op::Insert, b[y as usize]));
            } else {
                x -= 1;
                script.push((Op::Delete, a[x as usize]));
            }
        }
    }
    script.reverse();
    script
}

/// A diff as HTML: deletions in `<del>`, insertions in `<ins>`.
pub fn diff_html(runs: &[Run]) -> String {
    let mut out = String::new();
    for run in runs {
        let text = crate::Markup::Html.escape(&run.text);
        let _ = match run.op {
            Op::Equal => write!(out, "{text}"),
            Op::Delete => write!(out, "<del>{text}</del>"),
            Op::Insert => write!(out, "<ins>{text}</ins>"),
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(runs: &[Run]) -> String {
        runs.iter()
            .map(|run| match run.op {
                Op::Equal => run.text.clone(),
                Op::Delete => format!("[-{}-]", run.text),
                Op::Insert => format!("{{+{}+}}", run.text),
            })
            .collect()
    }

    #[test]
    fn finds_changed_words() {
        let runs = word_diff(
            "The IGF should be funded by donors.",
            "The IGF must be funded by all donors.",
        );
        assert_eq!(
            show(&runs),
            "The IGF [-should-]{+must+} be funded by {+all +}donors."
        );
        let must = runs
            .iter()
            .find(|run| run.op == Op::Insert)
            .expect("an insertion");
        assert_eq!((must.from, must.to), (14, 8));
    }

    #[test]
    fn handles_empty_sides_and_unicode() {
        assert_eq!(show(&word_diff("", "new text")), "{+new text+}");
        assert_eq!(show(&word_diff("old text", "")), "[-old text-]");
        assert!(
            word_diff("same", "same")
                .iter()
                .all(|run| run.op == Op::Equal)
        );
        let runs = word_diff("Café déjà vu", "Café déjà vécu");
        assert_eq!(show(&runs), "Café déjà [-vu-]{+vécu+}");
        assert_eq!(runs[1].from, 10);
    }

    #[test]
    fn a_changed_passage_reads_as_one() {
        let runs = word_diff("funded by all donors.", "funded by the UN.");
        assert_eq!(show(&runs), "funded by [-all donors-]{+the UN+}.");
    }

    #[test]
    fn html_escapes_and_marks() {
        let html = diff_html(&word_diff("a <b>", "a & c"));
        assert!(html.contains("<del>&lt;b&gt;</del>"));
        assert!(html.contains("<ins>&amp; c</ins>") || html.contains("<ins>&amp;</ins>"));
    }
}
