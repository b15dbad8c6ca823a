//! The command line: its documented surface works, and bad arguments or files end in one
//! clear line, a non-zero exit and an untouched file.

use std::path::Path;
use std::process::{Command, Output};

fn cabildo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cabildo"))
        .args(args)
        .output()
        .expect("run cabildo")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn demo_then_summary_and_networks_work_and_json_carries_minor_units() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("demo.cabildo");
    let f = file.to_str().expect("path");
    let out = cabildo(&["demo", f, "--anchor", "2026-11-15"]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = cabildo(&["summary", f, "--to", "2026-11-15", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rows = report["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 6);
    assert!(rows
        .iter()
        .all(|r| r["cost_total_minor"].is_i64() && r["currency"] == "MXN"));
    assert!(rows.iter().any(|r| r["classification"] == "passive"));
    assert!(rows.iter().any(|r| r["classification"] == "strategic"));

    let out = cabildo(&["summary", f, "--to", "2026-11-15", "--lang", "es"]);
    assert!(text(&out.stdout).contains("Estratégica"));

    let out = cabildo(&["networks", f, "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let c40 = list
        .as_array()
        .expect("list")
        .iter()
        .find(|n| n["network"]["acronym"] == "C40")
        .expect("c40");
    assert_eq!(c40["active_cities"], 1);
    let gcom = list
        .as_array()
        .expect("list")
        .iter()
        .find(|n| n["network"]["acronym"] == "GCoM")
        .expect("gcom");
    assert_eq!(
        gcom["active_cities"], 0,
        "the demo's GCoM membership has ended"
    );
}

#[test]
fn demo_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("demo.cabildo");
    std::fs::write(&file, "keep me").expect("write");
    let out = cabildo(&["demo", file.to_str().expect("path")]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read(&file).expect("read"), b"keep me");
}

fn assert_clean_failure(out: &Output, file: &Path, before: &[u8]) {
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one clear line: {err}");
    assert!(err.starts_with("cabildo: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        std::fs::read(file).expect("read"),
        before,
        "the file is untouched"
    );
}

#[test]
fn a_file_that_is_not_a_cabildo_database_is_refused_without_change() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("x.cabildo");
    std::fs::write(&file, "<img src=x onerror=alert(1)>").expect("write");
    let before = std::fs::read(&file).expect("read");
    for args in [vec!["summary"], vec!["networks"]] {
        let mut full = args.clone();
        full.push(file.to_str().expect("path"));
        assert_clean_failure(&cabildo(&full), &file, &before);
    }
}

#[test]
fn bad_arguments_are_refused_without_change() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("demo.cabildo");
    let f = file.to_str().expect("path");
    assert!(cabildo(&["demo", f, "--anchor", "2026-11-15"])
        .status
        .success());
    drop(cabildo::Store::open_existing(&file).expect("checkpoint"));
    let before = std::fs::read(&file).expect("read");
    assert_clean_failure(
        &cabildo(&["summary", f, "--currency", "XXY"]),
        &file,
        &before,
    );
    assert_clean_failure(
        &cabildo(&["summary", f, "--city", "Atlantis"]),
        &file,
        &before,
    );
    assert_clean_failure(
        &cabildo(&["summary", f, "--from", "2026-12-01", "--to", "2026-01-01"]),
        &file,
        &before,
    );
    let out = cabildo(&["summary", f, "--to", "not-a-date"]);
    assert!(!out.status.success());
    assert!(!text(&out.stderr).contains("panicked"));
    let missing = dir.path().join("missing.cabildo");
    let out = cabildo(&["summary", missing.to_str().expect("path")]);
    assert!(!out.status.success());
    assert!(!missing.exists(), "a read command never creates a file");
}

#[test]
fn generate_is_deterministic_for_a_seed_and_another_seed_is_another_office() {
    let dir = tempfile::tempdir().expect("dir");
    let path = |n: &str| dir.path().join(n);
    for (name, seed) in [("a", "7"), ("b", "7"), ("c", "8")] {
        let out = cabildo(&[
            "generate",
            path(name).to_str().expect("p"),
            "--cities",
            "2",
            "--seed",
            seed,
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let open = |n: &str| cabildo::Store::open_existing(&path(n)).expect("open");
    let (a, b, c) = (open("a"), open("b"), open("c"));
    assert_eq!(a.office().id, b.office().id);
    assert_ne!(a.office().id, c.office().id);
    let entries = |s: &cabildo::Store| {
        s.list::<cabildo::model::CostEntry>(None)
            .expect("list")
            .into_iter()
            .map(|e| serde_json::to_string(&e).expect("json"))
            .collect::<Vec<_>>()
    };
    assert_eq!(entries(&a), entries(&b));
    assert_eq!(entries(&a).len(), 2_000);
}

#[test]
fn list_prints_a_page_and_the_total_sorted_filtered_and_searched_and_refuses_unknown_fields() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("demo.cabildo");
    let f = file.to_str().expect("path");
    assert!(cabildo(&["demo", f, "--anchor", "2026-11-15"])
        .status
        .success());
    let before = std::fs::read(&file).expect("file");

    let page = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["list", f, "cost_entry", "--json"];
        all.extend_from_slice(args);
        let out = cabildo(&all);
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("json")
    };
    let all = page(&["--sort", "spent_on:desc", "--page-size", "5"]);
    let total = all["total"].as_u64().expect("total");
    let rows = all["rows"].as_array().expect("rows");
    assert!(total > 5);
    assert_eq!(rows.len(), 5);
    let dates: Vec<&str> = rows
        .iter()
        .map(|r| r["spent_on"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");

    let second = page(&["--sort", "spent_on:desc", "--page-size", "5", "--page", "2"]);
    assert_eq!(second["offset"], 5);
    assert_ne!(second["rows"][0]["id"], rows[0]["id"]);

    let travel = page(&["--filter", "category=travel", "--page-size", "1000"]);
    let travel_rows = travel["rows"].as_array().unwrap();
    assert!(!travel_rows.is_empty());
    assert!(travel_rows.iter().all(|r| r["category"] == "travel"));
    assert!(travel["total"].as_u64().unwrap() < total);

    // "viaje" is the Spanish word of the travel category.
    let searched = page(&["--search", "VIAJE", "--page-size", "1000"]);
    assert!(searched["total"].as_u64().unwrap() >= travel["total"].as_u64().unwrap());

    // The text form names references by their labels, in the language asked.
    let out = cabildo(&[
        "list",
        f,
        "membership",
        "--lang",
        "en",
        "--sort",
        "network_id",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(printed.starts_with("City\tNetwork"), "{printed}");
    assert!(printed.contains("C40"));
    assert!(printed.contains("Records 1–"));

    for bad in [
        vec!["list", f, "cost_entry", "--sort", "nothing"],
        vec!["list", f, "cost_entry", "--filter", "category"],
        vec!["list", f, "cost_entry", "--filter", "category=nonsense"],
        vec!["list", f, "cost_entry", "--page", "0"],
        vec!["list", f, "cost_entry", "--page-size", "100000"],
        vec!["list", f, "nokind"],
    ] {
        let out = cabildo(&bad);
        assert!(!out.status.success(), "{bad:?} should fail");
        assert_eq!(
            text(&out.stderr).lines().count(),
            1,
            "{}",
            text(&out.stderr)
        );
    }
    assert_eq!(
        std::fs::read(&file).expect("file"),
        before,
        "list never writes"
    );
}
