//! One command contract: the commands `build_app` registers, the list `build.rs` gives
//! Tauri to check, the permissions `capabilities/default.json` grants and the names the
//! UI calls must be the same set. A command added in one place only fails here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn shell_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text between `start` and the next `end` after it.
fn section<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start:?}")) + start.len();
    let to = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?}"))
        + from;
    &text[from..to]
}

/// The commands in `tauri::generate_handler![…]` of src/lib.rs (`module::name`).
fn registered() -> BTreeSet<String> {
    let lib = read(&shell_dir().join("src/lib.rs"));
    section(&lib, "generate_handler![", "]")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|path| path.rsplit("::").next().unwrap_or(path).to_string())
        .collect()
}

/// The names in `COMMANDS` of build.rs.
fn declared() -> BTreeSet<String> {
    let build = read(&shell_dir().join("build.rs"));
    section(&build, "const COMMANDS: &[&str] = &[", "];")
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The commands `allow-<command>` grants, back in snake case.
fn granted() -> BTreeSet<String> {
    let text = read(&shell_dir().join("capabilities/default.json"));
    let json: serde_json::Value = serde_json::from_str(&text).expect("capabilities JSON");
    json["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect()
}

/// Every command name the UI passes to `call(…)` in its sources (tests excluded).
fn called_by_ui() -> BTreeSet<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("ui dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "ts" || e == "svelte")
                && !path.to_string_lossy().contains(".test.")
            {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&shell_dir().join("../ui/src"), &mut files);
    let mut names = BTreeSet::new();
    for file in files {
        let text = read(&file);
        let mut rest = text.as_str();
        // call('name' … or call<Type>('name' …
        while let Some(at) = rest.find("call") {
            rest = &rest[at + 4..];
            let after_generic = if rest.starts_with('<') {
                // The type may hold its own angle brackets (`RecordTypes[K][]>`).
                let mut depth = 0;
                let mut end = None;
                for (i, ch) in rest.char_indices() {
                    match ch {
                        '<' => depth += 1,
                        '>' => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(i + 1);
                                break;
                            }
                        }
                        '\n' | ';' => break,
                        _ => {}
                    }
                }
                match end {
                    Some(e) => &rest[e..],
                    None => continue,
                }
            } else {
                rest
            };
            if let Some(args) = after_generic.strip_prefix("('") {
                if let Some(end) = args.find('\'') {
                    let name = &args[..end];
                    if name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                        names.insert(name.to_string());
                    }
                }
            }
        }
    }
    names
}

#[test]
fn every_command_is_registered_declared_and_granted_alike() {
    let registered = registered();
    assert!(registered.len() > 30, "found {registered:?}");
    assert_eq!(
        registered,
        declared(),
        "src/lib.rs generate_handler! and build.rs COMMANDS differ"
    );
    assert_eq!(
        registered,
        granted(),
        "src/lib.rs generate_handler! and capabilities/default.json differ"
    );
}

#[test]
fn the_ui_calls_only_commands_the_shell_has() {
    let registered = registered();
    let called = called_by_ui();
    assert!(called.len() > 30, "found {called:?}");
    let unknown: Vec<_> = called.difference(&registered).collect();
    assert!(
        unknown.is_empty(),
        "the UI calls unknown commands: {unknown:?}"
    );
}
