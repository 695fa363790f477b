//! The stages reach one way: the module edges that once made cycles (issue 12: app↔render,
//! check↔report, metrics↔pdf, validate↔pdf, layout↔layouts) stay broken.
//!
//! Reads the crate's own source: a module uses another when its code (comments and
//! `#[cfg(test)]` parts aside) names `crate::other`, directly or inside a `use crate::{…}`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The edges that must not come back, as (from, to).
const FORBIDDEN: &[(&str, &str)] = &[
    ("render", "app"),
    ("pipe", "app"),
    ("watch", "app"),
    ("check", "report"),
    ("metrics", "pdf"),
    ("validate", "pdf"),
    ("fonts", "pdf"),
    ("layout", "layouts"),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules that the non-test code of `module` (a file or a folder under src/)
/// names.
fn uses(module: &str) -> BTreeSet<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let folder = src.join(module);
    if folder.is_dir() {
        rust_files(&folder, &mut files);
    } else {
        files.push(src.join(format!("{module}.rs")));
    }
    let mut out = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        let code: String = code
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let group = &group[..group.find(';').unwrap_or(group.len())];
                for part in group.split(',') {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    out.insert(name);
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn the_stages_do_not_reach_back() {
    let mut back = Vec::new();
    for &(from, to) in FORBIDDEN {
        if uses(from).contains(to) {
            back.push(format!("{from} → {to}"));
        }
    }
    assert!(back.is_empty(), "modules reaching back: {back:?}");
}

#[test]
fn the_reader_sees_uses_in_both_spellings() {
    // The check itself: these edges exist and must be seen, or the test above proves nothing.
    assert!(uses("render").contains("pdf"), "{:?}", uses("render"));
    assert!(uses("app").contains("render"), "{:?}", uses("app"));
    assert!(uses("pdf").contains("metrics"), "{:?}", uses("pdf"));
}
