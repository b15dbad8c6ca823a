//! The TypeScript types the UI imports are generated from the core; a stale copy fails.

#[test]
fn the_committed_typescript_bindings_are_current() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(cabildo::bindings::BINDINGS_PATH);
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == cabildo::bindings::typescript(),
        "{} is stale: run `cargo run --bin cabildo -- bindings`",
        path.display()
    );
}
