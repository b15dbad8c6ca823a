//! The TypeScript client of the shell, generated into `ui/src/lib/commands.ts`:
//! the shell's own types (ts-rs, like the core's in `bindings.ts`), the one
//! error that crosses the boundary with every code it can carry, and the map
//! from each command's name to its arguments and result, which `call` in
//! `ui/src/lib/api.ts` is typed by. The commands come from build.rs, which
//! reads them from their `#[tauri::command]` functions. A test compares the
//! file with the committed copy.

use std::collections::BTreeSet;

use ts_rs::{Config, TS};

/// The generated file's path, relative to the repository root.
pub const CLIENT_PATH: &str = "ui/src/lib/commands.ts";

/// How the file is written again when the shell's contract changes.
pub const REGENERATE: &str = "CABILDO_WRITE_BINDINGS=1 cargo test -p cabildo-app --test bindings";

/// One command as the UI calls it (filled in by build.rs's generated code).
pub struct CommandType {
    pub name: &'static str,
    /// Each argument: its name as the UI sends it (camelCase), whether it may
    /// be left out (an `Option`), and its TypeScript.
    pub args: Vec<(&'static str, bool, String)>,
    /// The TypeScript of what the command resolves to.
    pub result: String,
}

fn config() -> Config {
    // Every integer crosses as a JSON number (serde_json), so it is a `number`.
    Config::default().with_large_int("number")
}

macro_rules! declarations {
    ($cfg:expr, $($ty:ty),+ $(,)?) => {{
        let mut out = String::new();
        $(
            out.push_str("\nexport ");
            out.push_str(&<$ty as TS>::decl($cfg));
            out.push('\n');
        )+
        out
    }};
}

/// The `Commands` interface: each command's arguments and result.
fn commands_interface(cfg: &Config) -> String {
    let mut out = String::from(
        "\n/** Every command of the shell: the arguments the UI sends (camelCase; an\n * optional one may be left out) and what the command resolves to. */\nexport interface Commands {\n",
    );
    for command in crate::command_types(cfg) {
        let args = if command.args.is_empty() {
            "Record<string, never>".to_owned()
        } else {
            let fields: Vec<String> = command
                .args
                .iter()
                .map(|(name, optional, ty)| {
                    format!("{name}{}: {ty}", if *optional { "?" } else { "" })
                })
                .collect();
            format!("{{ {} }}", fields.join("; "))
        };
        out.push_str(&format!(
            "  {}: {{ args: {args}; result: {} }};\n",
            command.name, command.result
        ));
    }
    out.push_str("}\n");
    out
}

/// The names `export type NAME` declares in a TypeScript text.
fn declared_types(text: &str) -> BTreeSet<&str> {
    text.split("export type ")
        .skip(1)
        .filter_map(|rest| rest.split([' ', '<', '=']).next())
        .collect()
}

/// The whole client file.
pub fn typescript() -> String {
    let cfg = config();
    let mut body = declarations!(
        &cfg,
        crate::error::ShellErrorCode,
        crate::error::CommandError,
        crate::commands::AppInfo,
        crate::state::RecentFile,
        crate::commands::DbStatus,
        crate::charts::ExportFormat,
        crate::charts::ChartSet,
        crate::exchange::Progress,
        crate::exchange::CsvExport,
        crate::exchange::CdpImportResult,
        crate::import::ImportSpec,
    );
    body.push_str(
        "\n/** Every code a command's error carries: the core's, the shell's, or\n * `invalid.<rule>` for a data rule the core refused. */\nexport type CommandErrorCode = ErrorCode | ShellErrorCode | `invalid.${string}`;\n",
    );
    body.push_str(&commands_interface(&cfg));

    // The core's types this file names, imported from the core's bindings.
    let core = cabildo::bindings::typescript();
    let own = declared_types(&body);
    let used: BTreeSet<&str> = body
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    let imports: Vec<&str> = declared_types(&core)
        .into_iter()
        .filter(|name| used.contains(name) && !own.contains(name))
        .collect();

    let mut out = format!(
        "// Generated from the shell (ts-rs; the commands from their #[tauri::command]\n// functions, by build.rs). Do not edit: run `{REGENERATE}`.\n\n"
    );
    if body.contains("Channel<") {
        out.push_str("import type { Channel } from '@tauri-apps/api/core';\n");
    }
    out.push_str(&format!(
        "import type {{ {} }} from './bindings';\n",
        imports.join(", ")
    ));
    out.push_str(&body);
    out
}
