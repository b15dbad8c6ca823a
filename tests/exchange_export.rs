//! Export for people (Excel, CSV) and as a `.cabildo` snapshot to send.

use chrono::NaiveDate;

use cabildo::exchange::export;
use cabildo::exchange::merge::{self, MergeOptions};
use cabildo::format::Lang;
use cabildo::kinds::RecordKind;
use cabildo::model::*;
use cabildo::Store;

fn demo(dir: &std::path::Path) -> Store {
    cabildo::demo::create(
        &dir.join("demo.cabildo"),
        NaiveDate::from_ymd_opt(2025, 6, 30).expect("date"),
    )
    .expect("demo")
}

#[test]
fn a_csv_export_starts_with_a_bom_and_has_human_headers_in_the_chosen_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = demo(dir.path());
    for (lang, header) in [(Lang::Es, "Monto"), (Lang::En, "Amount")] {
        let out = dir.path().join(format!("costs-{}.csv", lang.code()));
        let written = export::write_csv(&store, RecordKind::CostEntry, &out, lang).expect("csv");
        let bytes = std::fs::read(&out).expect("read");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte-order mark");
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let headers = reader.headers().expect("headers").clone();
        assert!(headers.iter().any(|h| h == header), "{headers:?}");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), written);
        assert_eq!(written, store.list::<CostEntry>(None).expect("costs").len());
    }
}

#[test]
fn money_is_exported_as_a_number_in_major_units_beside_its_currency() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = demo(dir.path());
    let costs: Vec<CostEntry> = store.list(None).expect("costs");
    let paid = costs
        .iter()
        .find(|c| c.amount_minor.is_some())
        .expect("a cost with an amount");
    let table = export::table(&store, RecordKind::CostEntry, Lang::En).expect("table");
    let at = |name: &str| table.headers.iter().position(|h| h == name).expect(name);
    let (amount, currency, date, city) = (at("Amount"), at("Currency"), at("Date"), at("City"));
    let id = at("ID");
    let row = table
        .rows
        .iter()
        .find(|r| r[id] == export::Cell::Text(paid.meta.id.clone()))
        .expect("row");
    let minor = paid.amount_minor.expect("amount");
    assert_eq!(
        row[amount],
        export::Cell::Money {
            amount: minor as f64 / 100.0,
            decimals: 2
        }
    );
    assert_eq!(
        row[currency],
        export::Cell::Text(paid.currency.clone().expect("currency"))
    );
    assert_eq!(row[date], export::Cell::Date(paid.spent_on));
    let city_name = store.get::<City>(&paid.city_id).expect("city").name;
    assert_eq!(
        row[city],
        export::Cell::Text(city_name),
        "references shown by name"
    );
}

#[test]
fn the_workbook_is_written_with_the_roi_summary_and_a_sheet_per_kind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = demo(dir.path());
    for lang in [Lang::Es, Lang::En] {
        let out = dir.path().join(format!("report-{}.xlsx", lang.code()));
        export::write_xlsx(
            &store,
            &out,
            lang,
            NaiveDate::from_ymd_opt(2025, 6, 30).expect("date"),
        )
        .expect("xlsx");
        let bytes = std::fs::read(&out).expect("read");
        assert!(bytes.starts_with(b"PK"), "an xlsx is a zip archive");
        assert!(bytes.len() > 10_000);
        assert!(!dir
            .path()
            .join(format!("report-{}.xlsx.partial", lang.code()))
            .exists());
    }
}

#[test]
fn an_exported_snapshot_carries_the_office_and_merges_into_another_office() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = demo(dir.path());
    let out = dir.path().join("sent.cabildo");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_cabildo"))
        .args([
            "export",
            store.path().expect("file").to_str().expect("path"),
            out.to_str().expect("path"),
        ])
        .status()
        .expect("run cabildo");
    assert!(status.success());
    let mut other = Store::create(&dir.path().join("other.cabildo"), &Default::default())
        .expect("other office");
    let plan = merge::plan_merge(&other, &out).expect("plan");
    assert_eq!(plan.source.office_id, store.office().id);
    assert!(plan.totals.new > 0);
    let summary =
        merge::merge_file(&mut other, &out, &MergeOptions::default(), |_, _| true).expect("merge");
    assert_eq!(summary.totals.conflicts, 0);
    assert_eq!(
        other.list::<Membership>(None).expect("memberships").len(),
        store.list::<Membership>(None).expect("memberships").len()
    );
}

#[test]
fn the_merge_command_prints_the_plan_as_json_without_writing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = demo(dir.path());
    let sent = dir.path().join("sent.cabildo");
    store.export_snapshot(&sent).expect("export");
    let into = dir.path().join("into.cabildo");
    drop(Store::create(&into, &Default::default()).expect("create"));
    let before = std::fs::read(&into).expect("read");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cabildo"))
        .args([
            "merge",
            into.to_str().expect("path"),
            sent.to_str().expect("path"),
            "--dry-run",
            "--json",
        ])
        .output()
        .expect("run cabildo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plans: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(plans[0]["totals"]["new"].as_u64().expect("count") > 0);
    assert!(plans[0]["kinds"].as_array().expect("kinds").len() == RecordKind::ALL.len());
    assert_eq!(
        std::fs::read(&into).expect("read"),
        before,
        "a dry run writes nothing"
    );
}

#[test]
fn the_exchange_types_have_typescript_declarations_for_the_ui() {
    use cabildo::exchange::{cdp, merge, peers};
    use ts_rs::{Config, TS};
    let cfg = Config::default();
    let declarations = [
        merge::MergePlan::decl(&cfg),
        merge::MergeSummary::decl(&cfg),
        merge::IncomingSummary::decl(&cfg),
        merge::MergeCounts::decl(&cfg),
        merge::KindCounts::decl(&cfg),
        merge::ConflictPair::decl(&cfg),
        merge::ConflictEntry::decl(&cfg),
        merge::MergeRecord::decl(&cfg),
        merge::MergeSide::decl(&cfg),
        cabildo::store::backups::BackupInfo::decl(&cfg),
        cdp::CdpImportReport::decl(&cfg),
        cdp::ImportWarning::decl(&cfg),
        peers::Peers::decl(&cfg),
        peers::PeersFilter::decl(&cfg),
        peers::PeerNetwork::decl(&cfg),
    ];
    let plan = &declarations[0];
    assert!(plan.contains("conflicts: Array<ConflictPair>"), "{plan}");
    assert!(
        !plan.contains("checked"),
        "private fields stay in Rust: {plan}"
    );
    assert!(
        declarations[4].contains("new: number"),
        "{}",
        declarations[4]
    );
}

#[test]
fn a_kind_past_a_sheets_rows_continues_on_numbered_sheets_and_every_record_is_there_once() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dir = tempfile::tempdir().expect("tempdir");
    let store = demo(dir.path());
    let out = dir.path().join("split.xlsx");
    // Sheets of 10 rows: the header and 9 records.
    export::write_xlsx_split(
        &store,
        &out,
        Lang::Es,
        NaiveDate::from_ymd_opt(2025, 6, 30).expect("date"),
        10,
    )
    .expect("xlsx");
    let mut workbook: Xlsx<_> = open_workbook(&out).expect("open");
    let names = workbook.sheet_names().to_vec();
    let costs: Vec<&String> = names
        .iter()
        .filter(|n| *n == "Costos" || n.starts_with("Costos ("))
        .collect();
    let live = store.count_live(RecordKind::CostEntry).expect("count") as usize;
    assert!(live > 9, "the demo has more costs than one small sheet");
    assert_eq!(costs.len(), live.div_ceil(9), "{names:?}");
    assert_eq!(costs[1], "Costos (2)");
    let mut ids = std::collections::HashSet::new();
    for name in &costs {
        let range = workbook.worksheet_range(name).expect("sheet");
        let rows: Vec<&[Data]> = range.rows().collect();
        assert!(rows.len() <= 10);
        assert_eq!(
            rows[0][0],
            Data::String("Identificador".into()),
            "{name} has its header"
        );
        for row in &rows[1..] {
            assert!(ids.insert(row[0].to_string()), "a record on two sheets");
        }
    }
    assert_eq!(ids.len(), live);
    // A kind with no records still has its sheet with the header.
    assert!(names
        .iter()
        .any(|n| n == "Indicadores" || n.starts_with("Indicadores")));
}
