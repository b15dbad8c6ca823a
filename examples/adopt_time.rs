//! Times opening a received file as the database (the checks of a merge, then the
//! copy): `cargo run --release --example adopt_time -- FILE`.

use std::time::Instant;
fn main() {
    let file = std::env::args().nth(1).expect("file");
    let dir = tempfile::tempdir().expect("dir");
    let options = cabildo::exchange::merge::MergeOptions::default();
    let t = Instant::now();
    let store = cabildo::exchange::adopt::open_received(
        std::path::Path::new(&file),
        dir.path(),
        &cabildo::store::adopt::AdoptAs::NewOffice {
            name: "Otra".into(),
        },
        &options,
    )
    .expect("adopt");
    println!(
        "adopted in {:.1} s: {:?}",
        t.elapsed().as_secs_f64(),
        store.path()
    );
}
