//! One command contract. Each command is declared once, by its `#[tauri::command]`
//! function: build.rs derives from those functions `COMMANDS` (which Tauri's app
//! manifest gets), the handler `build_app` registers, and the TypeScript client
//! `ui/src/lib/commands.ts` (its staleness is tests/bindings.rs). What is written
//! by hand is checked here against `COMMANDS`: the permissions
//! `capabilities/default.json` grants, and the names the UI passes to `call(…)`.
//!
//! That a UI call naming an unknown command, or passing wrong arguments, fails
//! is the type checker's work: `call<K extends CommandName>` in ui/src/lib/api.ts
//! takes only a key of the generated `Commands` map and that command's `args`,
//! so `svelte-check` refuses anything else (`ui/src/lib/api.test.ts` holds
//! `@ts-expect-error` calls that prove it: were the name or the arguments not
//! checked, those directives would be unused, which is itself an error).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{app, invoke};
use serde_json::json;

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

/// The commands build.rs found: the ones registered and given to the manifest.
fn registered() -> BTreeSet<String> {
    cabildo_app::COMMANDS
        .iter()
        .map(|c| c.to_string())
        .collect()
}

/// The keys of the committed client's `Commands` interface.
fn in_client() -> BTreeSet<String> {
    let client = read(
        &shell_dir()
            .join("..")
            .join(cabildo_app::bindings::CLIENT_PATH),
    );
    section(&client, "export interface Commands {\n", "\n}")
        .lines()
        .filter_map(|line| line.trim().split_once(':'))
        .map(|(name, _)| name.to_string())
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
        // call('name' …, the name perhaps on the next line.
        for (_, rest) in text
            .match_indices("call(")
            .map(|(at, _)| text.split_at(at + 5))
        {
            let Some(quoted) = rest.trim_start().strip_prefix('\'') else {
                continue;
            };
            let name = quoted.split('\'').next().unwrap_or_default();
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                names.insert(name.to_string());
            }
        }
    }
    names
}

#[test]
fn every_command_is_granted_and_in_the_client() {
    let registered = registered();
    assert!(registered.len() > 30, "found {registered:?}");
    assert_eq!(
        registered.len(),
        cabildo_app::COMMANDS.len(),
        "a command is declared twice"
    );
    assert_eq!(
        registered,
        granted(),
        "the #[tauri::command] functions and capabilities/default.json differ"
    );
    assert_eq!(
        registered,
        in_client(),
        "the commands and {} differ: run `{}`",
        cabildo_app::bindings::CLIENT_PATH,
        cabildo_app::bindings::REGENERATE
    );
}

#[test]
fn every_command_is_registered_and_allowed_at_run_time() {
    let (_app, webview) = app();
    for command in cabildo_app::COMMANDS {
        if *command == "db_open_demo" {
            continue; // writes the whole demo city; its own tests call it
        }
        // Without arguments a command runs or refuses its arguments; it is
        // never unknown to the handler nor refused by the capabilities.
        if let Err(serde_json::Value::String(refusal)) = invoke(&webview, command, json!({})) {
            assert!(
                !refusal.contains("not found") && !refusal.contains("not allowed"),
                "{command}: {refusal}"
            );
        }
    }
    let unknown = invoke(&webview, "no_such_command", json!({}));
    assert!(
        matches!(&unknown, Err(serde_json::Value::String(e)) if e.contains("not found") || e.contains("not allowed")),
        "{unknown:?}"
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
