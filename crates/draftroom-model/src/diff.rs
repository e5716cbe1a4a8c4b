//! Word-level differences between two texts, as runs of equal, deleted and
//! inserted text, for versions, alternatives and proposed merges.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

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

/// One passage a change replaces, in a text: what a vice-chair accepts or
/// rejects on its own when merging part of a proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hunk {
    /// `{location}#{n}`: the text it is in (`text` or a field's name) and
    /// its place among that text's hunks, from 0.
    pub id: String,
    /// Where it starts in the old text, in characters.
    pub at: usize,
    pub deleted: String,
    pub inserted: String,
}

/// The hunks that turn `old` into `new`, in the text at `location`: each
/// passage of the word diff between two unchanged ones.
pub fn hunks(location: &str, old: &str, new: &str) -> Vec<Hunk> {
    let mut hunks: Vec<Hunk> = Vec::new();
    let mut at = 0;
    let mut open = false;
    for run in word_diff(old, new) {
        match run.op {
            Op::Equal => {
                at = run.from + run.text.chars().count();
                open = false;
                continue;
            }
            _ if !open => {
                hunks.push(Hunk {
                    id: format!("{location}#{}", hunks.len()),
                    at,
                    deleted: String::new(),
                    inserted: String::new(),
                });
                open = true;
            }
            _ => {}
        }
        if let Some(hunk) = hunks.last_mut() {
            match run.op {
                Op::Delete => hunk.deleted.push_str(&run.text),
                _ => hunk.inserted.push_str(&run.text),
            }
        }
    }
    hunks
}

/// `old` with only `accepted` of its hunks applied.
pub fn with_hunks(old: &str, accepted: &[&Hunk]) -> String {
    let chars: Vec<char> = old.chars().collect();
    let mut sorted = accepted.to_vec();
    sorted.sort_by_key(|hunk| hunk.at);
    let mut out = String::with_capacity(old.len());
    let mut at = 0;
    for hunk in sorted {
        let start = hunk.at.min(chars.len()).max(at);
        out.extend(&chars[at..start]);
        out.push_str(&hunk.inserted);
        at = (start + hunk.deleted.chars().count()).min(chars.len());
    }
    out.extend(&chars[at..]);
    out
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

    #[test]
    fn hunks_are_the_passages_between_unchanged_ones_and_apply_one_by_one() {
        let old = "The IGF should be funded by all donors, every year.";
        let new = "The IGF must be funded by the UN, every year and beyond.";
        let found = hunks("text", old, new);
        let ids: Vec<&str> = found.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["text#0", "text#1", "text#2"]);
        assert_eq!(
            (found[0].deleted.as_str(), found[0].inserted.as_str()),
            ("should", "must")
        );
        assert_eq!(
            (found[1].deleted.as_str(), found[1].inserted.as_str()),
            ("all donors", "the UN")
        );
        assert_eq!(
            (found[2].deleted.as_str(), found[2].inserted.as_str()),
            ("", " and beyond")
        );
        assert_eq!(with_hunks(old, &found.iter().collect::<Vec<_>>()), new);
        assert_eq!(
            with_hunks(old, &[&found[0], &found[2]]),
            "The IGF must be funded by all donors, every year and beyond."
        );
        assert_eq!(with_hunks(old, &[]), old);
    }

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

    #[test]
    fn a_text_splits_into_words_runs_of_white_space_and_single_punctuation() {
        assert_eq!(
            tokens("Fund  the IGF, é9!?\n"),
            [
                "Fund", "  ", "the", " ", "IGF", ",", " ", "é9", "!", "?", "\n"
            ]
        );
        assert!(tokens("").is_empty());
        assert!(word_diff("", "").is_empty());
    }

    /// Short texts over a few words, white space and punctuation, so that
    /// any two share words in many ways; every pair of them is diffed.
    fn texts() -> Vec<String> {
        let words = ["fund", "the", "IGF", ",", " ", "  "];
        let mut seed = 7u32;
        let mut next = move || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as usize
        };
        (0..40)
            .map(|_| {
                let len = next() % 8;
                (0..len).map(|_| words[next() % words.len()]).collect()
            })
            .collect()
    }

    /// How many tokens the two lists have in common, in order, at most.
    fn common(a: &[&str], b: &[&str]) -> usize {
        let mut lengths = vec![vec![0; b.len() + 1]; a.len() + 1];
        for (i, x) in a.iter().enumerate() {
            for (j, y) in b.iter().enumerate() {
                lengths[i + 1][j + 1] = if x == y {
                    lengths[i][j] + 1
                } else {
                    lengths[i][j + 1].max(lengths[i + 1][j])
                };
            }
        }
        lengths[a.len()][b.len()]
    }

    #[test]
    fn the_edit_script_keeps_as_many_words_as_the_texts_share() {
        let texts = texts();
        for old in &texts {
            for new in &texts {
                let (a, b) = (tokens(old), tokens(new));
                let script = myers(&a, &b);
                let side = |skip: Op| -> Vec<&str> {
                    script
                        .iter()
                        .filter(|(op, _)| *op != skip)
                        .map(|(_, token)| *token)
                        .collect()
                };
                assert_eq!(side(Op::Insert), a, "{old:?} → {new:?}");
                assert_eq!(side(Op::Delete), b, "{old:?} → {new:?}");
                let kept = script.iter().filter(|(op, _)| *op == Op::Equal).count();
                assert_eq!(kept, common(&a, &b), "{old:?} → {new:?}");
            }
        }
    }

    #[test]
    fn a_diff_reads_as_both_texts_and_each_run_starts_where_the_last_ended() {
        let texts = texts();
        for old in &texts {
            for new in &texts {
                let runs = word_diff(old, new);
                let (mut was, mut is) = (String::new(), String::new());
                for (i, run) in runs.iter().enumerate() {
                    let at = (was.chars().count(), is.chars().count());
                    assert_eq!((run.from, run.to), at, "{old:?} → {new:?}: {run:?}");
                    assert!(!run.text.is_empty(), "{old:?} → {new:?}");
                    if i > 0 {
                        assert_ne!(runs[i - 1].op, run.op, "{old:?} → {new:?}");
                    }
                    if run.op != Op::Insert {
                        was.push_str(&run.text);
                    }
                    if run.op != Op::Delete {
                        is.push_str(&run.text);
                    }
                }
                assert_eq!((was.as_str(), is.as_str()), (old.as_str(), new.as_str()));
            }
        }
    }
}
