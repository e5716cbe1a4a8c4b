//! The server crate's top-level modules depend downward only: `http` over
//! `ops` over `rooms`, each over the leaves (`config`, `metrics`, `clock`).
//! This reads every source file's `crate::` paths and fails on an import
//! the layering does not allow, which also rules out cycles; and it checks
//! that the operations layer knows nothing of HTTP. Test modules
//! (`tests.rs`) are left out: a test may set up whatever it needs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module and the modules it may use.
const LAYERS: &[(&str, &[&str])] = &[
    ("http", &["ops", "rooms", "config", "metrics", "clock"]),
    ("ops", &["rooms", "config", "metrics", "clock"]),
    ("rooms", &["config", "metrics"]),
    ("config", &[]),
    ("metrics", &[]),
    ("clock", &[]),
];

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("reads the source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`None` for `lib.rs`).
fn module_of(file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src()).expect("under src");
    let first = relative.components().next()?.as_os_str().to_str()?;
    (first != "lib.rs").then(|| first.trim_end_matches(".rs").to_owned())
}

/// The top-level modules `text` names through `crate::`, including those
/// in grouped imports such as `use crate::{a, b::c}`.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        let names: Vec<&str> = match rest.strip_prefix('{') {
            Some(group) => {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                group.split(',').map(str::trim).collect()
            }
            None => vec![rest],
        };
        for name in names {
            let module: String = name
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !module.is_empty() {
                used.insert(module);
            }
        }
    }
    used
}

fn uses() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(module) = module_of(&file) else {
            continue;
        };
        if file.file_name().is_some_and(|name| name == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("reads a source file");
        let mut used = crate_paths(&text);
        used.remove(&module);
        uses.entry(module).or_default().extend(used);
    }
    uses
}

#[test]
fn top_level_modules_depend_downward_only() {
    let allowed: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let uses = uses();
    for module in uses.keys() {
        assert!(
            allowed.contains_key(module.as_str()),
            "the new module `{module}` needs a place in LAYERS (tests/layers.rs) and in ARCHITECTURE.md"
        );
    }
    let mut wrong = Vec::new();
    for (module, used) in &uses {
        for other in used {
            if !allowed[module.as_str()].contains(&other.as_str()) {
                wrong.push(format!("{module} uses {other}"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layering: {wrong:?}");
}

#[test]
fn operations_and_rooms_know_nothing_of_http() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    for file in files {
        let module = module_of(&file);
        if !matches!(module.as_deref(), Some("ops" | "rooms")) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("reads a source file");
        for word in ["axum", "tower_http", "tungstenite"] {
            assert!(
                !text.contains(word),
                "{} mentions {word}: HTTP belongs to the http layer",
                file.display()
            );
        }
    }
}

#[test]
fn the_scanner_sees_grouped_and_nested_paths() {
    let found = crate_paths("use crate::{ops::Actor, rooms};\nlet x = crate::clock::now_secs();");
    assert_eq!(
        found,
        BTreeSet::from(["clock".to_owned(), "ops".to_owned(), "rooms".to_owned()])
    );
}
