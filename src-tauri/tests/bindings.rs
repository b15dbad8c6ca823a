//! The UI's typed client of the shell (`ui/src/lib/commands.ts`) is generated from
//! the commands and the shell's types; a stale copy fails. With
//! `CABILDO_WRITE_BINDINGS=1` the test writes the current one instead.

#[test]
fn the_committed_command_client_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(cabildo_app::bindings::CLIENT_PATH);
    let current = cabildo_app::bindings::typescript();
    if std::env::var_os("CABILDO_WRITE_BINDINGS").is_some() {
        std::fs::write(&path, &current).expect("write the client");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == current,
        "{} is stale: run `{}`",
        path.display(),
        cabildo_app::bindings::REGENERATE
    );
}
