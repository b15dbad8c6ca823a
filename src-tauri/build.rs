//! Build script of the desktop shell.
//!
//! The command contract is declared once: each `#[tauri::command]` function in
//! `src/*.rs`, with its arguments and result. This script reads those functions
//! and derives from them, into `OUT_DIR`:
//!
//! - `contract.rs`: `COMMANDS` (every command's name, which Tauri's app manifest
//!   checks against the capabilities), the `invoke_handler!` macro that
//!   registers them all, and `command_types`, which collects each module's
//!   commands for the TypeScript client;
//! - `contract_<module>.rs`, included at the end of each module with commands:
//!   the TypeScript of each command's arguments and result, taken from the very
//!   types its signature names (ts-rs), in that module's scope.
//!
//! A command is granted by name in capabilities/default.json; a test checks
//! that the grants and the commands agree.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use quote::ToTokens;
use syn::{FnArg, GenericArgument, Item, Pat, PathArguments, ReturnType, Type};

/// Argument types Tauri fills in itself; they never cross the IPC boundary.
const INJECTED: &[&str] = &["State", "AppHandle", "Window", "Webview", "WebviewWindow"];

struct Command {
    name: String,
    /// (name as the UI sends it, optional, Rust type)
    args: Vec<(String, bool, Type)>,
    result: Type,
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) => p.path.segments.last(),
        _ => None,
    }
}

/// The one type argument of `Option<T>`, `Result<T, E>`, `Channel<T>`.
fn first_type_argument(ty: &Type) -> Option<&Type> {
    match &last_segment(ty)?.arguments {
        PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

fn is(ty: &Type, name: &str) -> bool {
    last_segment(ty).is_some_and(|s| s.ident == name)
}

/// `city_id` → `cityId`, as Tauri names a command's arguments by default.
fn camel_case(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for ch in name.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

fn commands_of(file: &Path) -> Vec<Command> {
    let text = std::fs::read_to_string(file).expect("read a shell module");
    let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut commands = Vec::new();
    for item in parsed.items {
        let Item::Fn(f) = item else { continue };
        let command_attr = f.attrs.iter().find(|a| {
            a.path()
                .segments
                .last()
                .is_some_and(|s| s.ident == "command")
        });
        let Some(attr) = command_attr else { continue };
        assert!(
            matches!(attr.meta, syn::Meta::Path(_)),
            "{}: `{}` — the contract assumes a plain #[tauri::command] (camelCase arguments)",
            file.display(),
            f.sig.ident
        );
        let name = f.sig.ident.to_string();
        let mut args = Vec::new();
        for input in &f.sig.inputs {
            let FnArg::Typed(arg) = input else {
                panic!("{name}: a command takes no self")
            };
            if INJECTED.iter().any(|i| is(&arg.ty, i)) {
                continue;
            }
            let Pat::Ident(ident) = &*arg.pat else {
                panic!("{name}: an argument is a plain name")
            };
            let arg_name = camel_case(ident.ident.to_string().trim_start_matches('_'));
            args.push((arg_name, is(&arg.ty, "Option"), (*arg.ty).clone()));
        }
        let ReturnType::Type(_, output) = &f.sig.output else {
            panic!("{name}: a command returns Result<T, CommandError>")
        };
        assert!(
            is(output, "Result"),
            "{name}: a command returns Result<T, CommandError>"
        );
        let result = first_type_argument(output)
            .unwrap_or_else(|| panic!("{name}: Result<T, CommandError>"))
            .clone();
        commands.push(Command { name, args, result });
    }
    commands
}

/// Rust that evaluates to the TypeScript of `ty` (`cfg` in scope).
fn typescript_of(ty: &Type) -> String {
    if is(ty, "Value") {
        // Records cross as JSON; the UI's record commands type them by kind.
        return "::std::string::String::from(\"unknown\")".into();
    }
    if is(ty, "Channel") {
        let inner = first_type_argument(ty).expect("Channel<T>");
        return format!(
            "::std::format!(\"Channel<{{}}>\", <{} as ::ts_rs::TS>::name(cfg))",
            inner.to_token_stream()
        );
    }
    format!("<{} as ::ts_rs::TS>::name(cfg)", ty.to_token_stream())
}

fn main() {
    let src = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir")).join("src");
    println!("cargo:rerun-if-changed=src");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&src)
        .expect("src/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();

    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let mut names: Vec<String> = Vec::new();
    let mut handlers: Vec<String> = Vec::new();
    let mut modules: Vec<String> = Vec::new();
    for file in &files {
        let module = file
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let commands = commands_of(file);
        if commands.is_empty() {
            continue;
        }
        let mut code = String::from(
            "// Generated by build.rs from this module's #[tauri::command] functions.\n\
             /// This module's commands as the TypeScript client sees them.\n\
             pub(crate) fn command_types(cfg: &::ts_rs::Config) -> ::std::vec::Vec<crate::bindings::CommandType> {\n    \
             ::std::vec![\n",
        );
        for c in &commands {
            let args: Vec<String> = c
                .args
                .iter()
                .map(|(name, optional, ty)| {
                    format!("({name:?}, {optional}, {})", typescript_of(ty))
                })
                .collect();
            writeln!(
                code,
                "        crate::bindings::CommandType {{ name: {:?}, args: ::std::vec![{}], result: {} }},",
                c.name,
                args.join(", "),
                typescript_of(&c.result)
            )
            .expect("write");
            names.push(c.name.clone());
            handlers.push(format!("crate::{module}::{}", c.name));
        }
        code.push_str("    ]\n}\n");
        std::fs::write(out_dir.join(format!("contract_{module}.rs")), code).expect("write");
        modules.push(module);
    }

    let mut contract =
        String::from("// Generated by build.rs from the #[tauri::command] functions of src/.\n");
    writeln!(
        contract,
        "/// Every command of the shell, in the order of its modules and functions.\npub const COMMANDS: &[&str] = &[{}];\n",
        names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
    )
    .expect("write");
    writeln!(
        contract,
        "/// `tauri::generate_handler!` over every command.\nmacro_rules! invoke_handler {{\n    () => {{\n        ::tauri::generate_handler![{}]\n    }};\n}}\n",
        handlers.join(", ")
    )
    .expect("write");
    writeln!(
        contract,
        "/// Every command's TypeScript, module by module.\npub(crate) fn command_types(cfg: &::ts_rs::Config) -> ::std::vec::Vec<crate::bindings::CommandType> {{\n    let mut all = ::std::vec::Vec::new();\n{}    all\n}}",
        modules
            .iter()
            .map(|m| format!("    all.extend(crate::{m}::command_types(cfg));\n"))
            .collect::<String>()
    )
    .expect("write");
    std::fs::write(out_dir.join("contract.rs"), contract).expect("write");

    // The manifest wants a list for the life of the program, which a build script is.
    let commands: &'static [&'static str] = Vec::leak(
        names
            .into_iter()
            .map(|n| &*String::leak(n))
            .collect::<Vec<&'static str>>(),
    );
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("failed to run the Tauri build script");
}
