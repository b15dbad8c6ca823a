//! A writer killed with SIGKILL at random moments never leaves a damaged file, and
//! every entry it reported as committed is there.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cabildo::model::CostEntry;
use cabildo::Store;

const KILLS: usize = 50;

#[test]
fn killing_a_writer_at_random_moments_loses_no_committed_entry() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("durability.cabildo");
    Store::open(&file).expect("create");
    let mut committed: HashSet<String> = HashSet::new();
    let mut rng = fastrand::Rng::with_seed(0xD00D);
    for round in 0..KILLS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cabildo"))
            .arg("write-loop")
            .arg(&file)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start writer");
        let stdout = child.stdout.take().expect("stdout");
        // Read ids on a thread so the kill lands at a random time, mid-write as often as not.
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<String>>()
        });
        let wait = Duration::from_millis(rng.u64(20..250));
        let started = Instant::now();
        while started.elapsed() < wait {
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        let reported = reader.join().expect("reader");
        committed.extend(reported);

        let store = Store::open_existing(&file)
            .unwrap_or_else(|e| panic!("round {round}: file does not open: {e}"));
        assert_eq!(
            store.integrity_check().expect("check"),
            "ok",
            "round {round}"
        );
        let present: HashSet<String> = store
            .list::<CostEntry>(None)
            .expect("list")
            .into_iter()
            .map(|c| c.meta.id)
            .collect();
        let lost: Vec<&String> = committed
            .iter()
            .filter(|id| !present.contains(*id))
            .collect();
        assert!(
            lost.is_empty(),
            "round {round}: {} committed entries lost",
            lost.len()
        );
    }
    assert!(
        committed.len() > KILLS,
        "the writer committed entries between kills ({})",
        committed.len()
    );
}

/// The cost of `synchronous = FULL`: 1,000 edits, each its own transaction, as a
/// user saving forms one after the other. Run with `--ignored --nocapture`.
#[test]
#[ignore]
fn measure_a_burst_of_1000_edits() {
    use cabildo::model::{City, CostCategory, Meta};
    // On the disk the build is on (the temporary folder may be in memory).
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("dir");
    let file = dir.path().join("burst.cabildo");
    let mut store = Store::open(&file).expect("create");
    let city = store
        .insert(City {
            meta: Meta::default(),
            name: "Burst".into(),
            country: "MX".into(),
            population: None,
            population_year: None,
            latitude: None,
            longitude: None,
            region: None,
            cdp_account: None,
            income_group: None,
        })
        .expect("city");
    let started = Instant::now();
    for n in 0..1000 {
        store
            .insert(CostEntry {
                meta: Meta::default(),
                city_id: city.meta.id.clone(),
                membership_id: None,
                meeting_id: None,
                spent_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
                category: CostCategory::Travel,
                amount_minor: Some(100 + n),
                currency: Some("MXN".into()),
                hours: None,
                role: None,
                invoice_id: None,
                reference: None,
                description: Some(format!("entry {n}")),
            })
            .expect("edit");
    }
    let elapsed = started.elapsed();
    println!(
        "1,000 edits: {:.0} ms, {:.2} ms per edit",
        elapsed.as_secs_f64() * 1000.0,
        elapsed.as_secs_f64()
    );
}
