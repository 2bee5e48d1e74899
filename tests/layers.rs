//! The layer rules of ARCHITECTURE.md, checked over the sources so that a
//! change cannot break them silently:
//!
//! - the pure core (every module but `web`) names no browser crate and
//!   nothing of `web`;
//! - the respondent's page and the courier name no Leptos and nothing of
//!   `web` but `platform` and `transport` (their database is
//!   `crate::schema` walked through web-sys, `platform::idb`);
//! - nothing names the courier: pages load it (`platform::module`);
//! - the shell and the manager's module never name each other;
//! - `web::platform`, `web::storage`, `web::transport` and `web::ui` name
//!   no front end, `platform` names neither `storage` nor `ui`, and
//!   `transport` does not name `ui`;
//! - no screen names another screen.
//!
//! Paths are read as text: `crate::a::b`, `super::b` and `use crate::{a, b}`
//! groups, with comments left out.

#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

const SHELL_SCREENS: &[&str] = &[
    "fill",
    "fill_start",
    "home",
    "kiosk",
    "link",
    "not_found",
    "settings",
];
const MANAGER_SCREENS: &[&str] = &[
    "actions",
    "conflicts",
    "dashboard",
    "distribute",
    "editor",
    "exchange",
    "inbox",
    "join",
    "library",
    "links",
    "outbox",
    "people",
    "poster",
    "report",
    "responses",
    "sync",
];
const BROWSER_CRATES: &[&str] = &[
    "web_sys",
    "js_sys",
    "wasm_bindgen",
    "leptos",
    "indexed_db_futures",
];

/// A source file: its path below `src/` (with `/` separators) and its text
/// without comments.
struct Source {
    rel: String,
    code: String,
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<Source>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = fs::read_to_string(&path).unwrap();
            out.push(Source {
                rel,
                code: strip_comments(&text),
            });
        }
    }
}

/// Drops `//` comments (doc comments too) and `/* */` blocks; string
/// literals are kept, which is safe here since no path rule is written in one.
fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut in_block = false;
    for line in text.lines() {
        let mut line = line;
        if in_block {
            match line.find("*/") {
                Some(end) => {
                    line = &line[end + 2..];
                    in_block = false;
                }
                None => continue,
            }
        }
        if let Some(start) = line.find("/*") {
            in_block = !line[start..].contains("*/");
            line = &line[..start];
        }
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// Every module path the code names from the crate root, as segments:
/// `crate::web::ui::form` gives `["web", "ui", "form"]`, and
/// `use crate::web::{platform, storage}` gives one path per member.
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        // `servicelens::` is not looked at: inside the crate it is `crate::`.
        let rest = &code[i + "crate::".len()..];
        out.extend(expand(rest, Vec::new()));
    }
    out
}

fn expand(rest: &str, prefix: Vec<String>) -> Vec<Vec<String>> {
    let mut segs = prefix;
    let mut rest = rest;
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            let end = matching_brace(group);
            let mut out = Vec::new();
            for member in split_top_level(&group[..end]) {
                out.extend(expand(member.trim(), segs.clone()));
            }
            return out;
        }
        let ident: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if ident.is_empty() {
            return vec![segs];
        }
        rest = &rest[ident.len()..];
        segs.push(ident);
        match rest.strip_prefix("::") {
            Some(r) => rest = r,
            None => return vec![segs],
        }
    }
}

fn matching_brace(s: &str) -> usize {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return i,
            '}' => depth -= 1,
            _ => {}
        }
    }
    s.len()
}

fn split_top_level(s: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0, 0, Vec::new());
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// `super::x` names as segments from the crate root, given the file's module.
fn super_paths(module: &[String], code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("super::") {
        if code[..i].ends_with("::") {
            continue; // counted with the `super::` before it
        }
        let mut rest = &code[i..];
        let mut base = module.to_vec();
        while let Some(r) = rest.strip_prefix("super::") {
            base.pop();
            rest = r;
        }
        out.extend(expand(rest, base));
    }
    out
}

/// The module a file is, as segments: `web/ui/form/mod.rs` is `web::ui::form`.
fn module_of(rel: &str) -> Vec<String> {
    let no_ext = rel.trim_end_matches(".rs");
    let mut segs: Vec<String> = no_ext.split('/').map(str::to_owned).collect();
    if segs.last().is_some_and(|s| s == "mod" || s == "lib") {
        segs.pop();
    }
    segs
}

fn starts(path: &[String], prefix: &[&str]) -> bool {
    path.len() >= prefix.len() && path.iter().zip(prefix).all(|(a, b)| a == b)
}

/// The screen a module belongs to, if any: `["web", "manager", "dashboard", …]`
/// is the manager's dashboard.
fn screen_of(path: &[String]) -> Option<(String, String)> {
    let front = path.get(1)?;
    let name = path.get(2)?;
    let screens = match (path.first().map(String::as_str), front.as_str()) {
        (Some("web"), "shell") => SHELL_SCREENS,
        (Some("web"), "manager") => MANAGER_SCREENS,
        _ => return None,
    };
    screens
        .contains(&name.as_str())
        .then(|| (front.clone(), name.clone()))
}

/// Every broken rule in the given sources, one line each.
fn violations(files: &[Source]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        if file.rel.starts_with("bin/") {
            continue;
        }
        let module = module_of(&file.rel);
        let mut named = crate_paths(&file.code);
        named.extend(super_paths(&module, &file.code));
        let is = |prefix: &[&str]| starts(&module, prefix);
        let mut flag = |what: &str| found.push(format!("{}: {what}", file.rel));

        if !is(&["web"]) {
            for krate in BROWSER_CRATES {
                if mentions_crate(&file.code, krate) {
                    flag(&format!("the pure core names the browser crate `{krate}`"));
                }
            }
            if named.iter().any(|p| starts(p, &["web"])) {
                flag("the pure core names `crate::web`");
            }
        }
        // The two lean binaries: the customer's page and the courier.
        for (lean, who) in [
            ("respondent", "the respondent's page"),
            ("courier", "the courier"),
        ] {
            if !is(&["web", lean]) {
                continue;
            }
            if mentions_crate(&file.code, "leptos") {
                flag(&format!("{who} names Leptos"));
            }
            for p in &named {
                if starts(p, &["web"])
                    && !starts(p, &["web", "platform"])
                    && !starts(p, &["web", "transport"])
                    && !starts(p, &["web", lean])
                {
                    flag(&format!("{who} names `crate::{}`", p.join("::")));
                }
            }
        }
        // The courier is a module of its own: pages load it, never name it.
        if !is(&["web", "courier"]) && named.iter().any(|p| starts(p, &["web", "courier"])) {
            flag("names `web::courier`, a module pages load, not link");
        }
        for (mine, other) in [("shell", "manager"), ("manager", "shell")] {
            if is(&["web", mine]) {
                for p in &named {
                    if starts(p, &["web", other]) {
                        flag(&format!("the {mine} names `crate::{}`", p.join("::")));
                    }
                }
            }
        }
        for (layer, banned) in [
            (
                "platform",
                &["shell", "manager", "respondent", "ui", "storage"][..],
            ),
            ("storage", &["shell", "manager", "respondent", "ui"][..]),
            ("transport", &["shell", "manager", "respondent", "ui"][..]),
            ("ui", &["shell", "manager", "respondent"][..]),
        ] {
            if is(&["web", layer]) {
                for b in banned {
                    if named.iter().any(|p| starts(p, &["web", b])) {
                        flag(&format!("`web::{layer}` names `web::{b}`"));
                    }
                }
            }
        }
        if let Some(mine) = screen_of(&module) {
            for p in &named {
                if let Some(theirs) = screen_of(p) {
                    if theirs != mine {
                        flag(&format!(
                            "the screen {}::{} names the screen {}::{}",
                            mine.0, mine.1, theirs.0, theirs.1
                        ));
                    }
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Whether the code names `krate` as a path root (`krate::` or `use krate`).
fn mentions_crate(code: &str, krate: &str) -> bool {
    code.match_indices(krate).any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = &code[i + krate.len()..];
        let boundary = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'));
        boundary && (after.starts_with("::") || after.starts_with(';'))
    })
}

fn src() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    files
}

#[test]
fn the_tree_keeps_its_layer_rules() {
    let files = src();
    assert!(files.len() > 100, "the sources were not found");
    let broken = violations(&files);
    assert!(
        broken.is_empty(),
        "layer rules broken:\n{}",
        broken.join("\n")
    );
}

/// The checker itself: each rule is caught when a file breaks it.
#[test]
fn each_rule_is_caught() {
    let case = |rel: &str, code: &str| {
        violations(&[Source {
            rel: rel.to_owned(),
            code: strip_comments(code),
        }])
    };
    assert_eq!(
        case(
            "web/respondent/survey.rs",
            "use crate::web::ui::status::Loading;"
        )
        .len(),
        1
    );
    assert_eq!(
        case("web/respondent/survey.rs", "use leptos::prelude::*;").len(),
        1
    );
    assert_eq!(
        case(
            "web/respondent/survey.rs",
            "use crate::web::{platform, storage};"
        )
        .len(),
        1
    );
    assert!(case(
        "web/respondent/survey.rs",
        "use crate::web::platform;\nuse crate::schema::STORES;"
    )
    .is_empty());
    assert_eq!(case("kpi/filter.rs", "use web_sys::Window;").len(), 1);
    assert_eq!(
        case("kpi/filter.rs", "fn f() { crate::web::platform::now(); }").len(),
        1
    );
    assert_eq!(
        case("web/shell/home.rs", "use crate::web::manager::data::X;").len(),
        1
    );
    assert_eq!(
        case("web/manager/people.rs", "use crate::web::shell::nav::Nav;").len(),
        1
    );
    assert_eq!(
        case("web/ui/status.rs", "use crate::web::shell::pwa::use_pwa;").len(),
        1
    );
    assert_eq!(
        case("web/platform/mod.rs", "use crate::web::storage::Store;").len(),
        1
    );
    assert_eq!(
        case("web/transport.rs", "use crate::web::respondent::mount;").len(),
        1
    );
    assert_eq!(
        case("web/transport.rs", "use crate::web::{shell, ui::status};").len(),
        2
    );
    assert!(case(
        "web/transport.rs",
        "use crate::delivery::Allowed;\nuse crate::web::platform::now_ms;"
    )
    .is_empty());
    assert!(case(
        "web/respondent/deliver.rs",
        "use crate::web::transport::send;"
    )
    .is_empty());
    assert_eq!(
        case("web/courier/mod.rs", "use leptos::prelude::*;").len(),
        1
    );
    assert_eq!(
        case("web/courier/mod.rs", "use crate::web::storage::Store;").len(),
        1
    );
    assert!(case(
        "web/courier/mod.rs",
        "use crate::web::platform::idb;\nuse crate::web::transport::pump::Pump;"
    )
    .is_empty());
    assert_eq!(
        case("web/ui/delivery.rs", "use crate::web::courier::queue;").len(),
        1
    );
    assert_eq!(
        case("web/respondent/deliver.rs", "use crate::web::courier;").len(),
        2,
        "a front end naming the courier breaks both rules"
    );
    assert_eq!(
        case(
            "web/manager/dashboard/mod.rs",
            "use crate::web::manager::responses::Table;"
        )
        .len(),
        1
    );
    assert_eq!(
        case(
            "web/manager/editor/section_editor.rs",
            "use super::super::library::kind;"
        )
        .len(),
        1
    );
    assert!(case(
        "web/manager/editor/section_editor.rs",
        "use super::state::new_id;"
    )
    .is_empty());
    assert!(case(
        "web/shell/fill.rs",
        "// use crate::web::manager::x;\nuse crate::web::ui::form::x;"
    )
    .is_empty());
    assert!(case(
        "web/shell/mod.rs",
        "use fill::FillPage; use crate::web::shell::fill::X;"
    )
    .is_empty());
}
