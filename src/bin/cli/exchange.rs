//! The exchange commands of the `cabildo` command line (issue 5): export, merge,
//! Excel and CSV export, CDP import, peers, backups and the conflict log.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use cabildo::error::{Error, Result};
use cabildo::exchange::cdp::{self, CdpImportReport};
use cabildo::exchange::export;
use cabildo::exchange::merge::{self, MergeCounts, MergeOptions, MergePlan, MergeSummary};
use cabildo::exchange::peers::{self, PeersFilter};
use cabildo::format::Lang;
use cabildo::kinds::RecordKind;
use cabildo::Store;

use crate::{open_for_reading, open_for_writing};

#[derive(Subcommand)]
pub enum ExchangeCommand {
    /// Write a consistent snapshot of FILE to OUT (a .cabildo file to send).
    Export { file: PathBuf, out: PathBuf },
    /// Merge received .cabildo files into INTO, one after the other, each after a
    /// backup of INTO. With --dry-run, only show what each would do.
    Merge {
        into: PathBuf,
        #[arg(required = true)]
        from: Vec<PathBuf>,
        #[arg(long)]
        dry_run: bool,
        /// Print the plan (or the result) as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write an Excel workbook: the ROI summary, then one sheet per record kind.
    ExportXlsx {
        file: PathBuf,
        out: PathBuf,
        #[arg(long, default_value = "es")]
        lang: String,
    },
    /// Write the records of one kind (e.g. city, cost_entry) as CSV, UTF-8 with BOM.
    ExportCsv {
        file: PathBuf,
        kind: String,
        out: PathBuf,
        #[arg(long, default_value = "es")]
        lang: String,
    },
    /// Import a CDP "Cities disclosing" CSV into FILE (created when it does not exist).
    ImportCdp {
        file: PathBuf,
        csv: PathBuf,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Imported cities per network and the cities networks share.
    Peers {
        file: PathBuf,
        /// ISO country code.
        #[arg(long)]
        country: Option<String>,
        /// CDP region, e.g. "Latin America".
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the backups of FILE, newest first.
    Backups {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Replace FILE by one of its backups (the current state is backed up first).
    RestoreBackup { file: PathBuf, backup: PathBuf },
    /// The conflict log of FILE: versions that lost a merge.
    Conflicts {
        file: PathBuf,
        /// Include the entries already restored or dismissed.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Write a logged losing version back as the current version of its record.
    RestoreConflict { file: PathBuf, id: String },
}

fn parse_lang(lang: &str) -> Result<Lang> {
    Lang::parse(lang).ok_or_else(|| Error::Argument("--lang must be es or en".into()))
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub fn run(command: ExchangeCommand) -> Result<()> {
    match command {
        ExchangeCommand::Export { file, out } => {
            let store = open_for_reading(&file)?;
            store.export_snapshot(&out)?;
            println!("snapshot written to {}", out.display());
        }
        ExchangeCommand::Merge {
            into,
            from,
            dry_run,
            json,
        } => merge_files(&into, &from, dry_run, json)?,
        ExchangeCommand::ExportXlsx { file, out, lang } => {
            let lang = parse_lang(&lang)?;
            let store = open_for_reading(&file)?;
            export::write_xlsx(&store, &out, lang, chrono::Local::now().date_naive())?;
            println!("workbook written to {}", out.display());
        }
        ExchangeCommand::ExportCsv {
            file,
            kind,
            out,
            lang,
        } => {
            let lang = parse_lang(&lang)?;
            let kind: RecordKind = serde_json::from_value(serde_json::Value::String(kind.clone()))
                .map_err(|_| {
                    Error::Argument(format!(
                        "unknown record kind {kind}; one of: {}",
                        RecordKind::ALL
                            .iter()
                            .map(|k| k.code())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?;
            let store = open_for_reading(&file)?;
            let rows = export::write_csv(&store, kind, &out, lang)?;
            println!("{rows} records written to {}", out.display());
        }
        ExchangeCommand::ImportCdp {
            file,
            csv,
            json,
            lang,
        } => {
            let lang = parse_lang(&lang)?;
            let mut store = Store::open(&file)?;
            let report = cdp::import_file(&mut store, &csv, |_, _| true)?;
            if json {
                print_json(&report)?;
            } else {
                print_cdp_report(&report, lang);
            }
        }
        ExchangeCommand::Peers {
            file,
            country,
            region,
            json,
        } => {
            let store = open_for_reading(&file)?;
            let result = peers::peers(&store, &PeersFilter { country, region })?;
            if json {
                print_json(&result)?;
            } else {
                println!("{} imported cities", result.cities);
                for (i, n) in result.networks.iter().enumerate() {
                    let shared: Vec<String> = result
                        .networks
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != i && result.overlap[i][*j] > 0)
                        .map(|(j, other)| format!("{} {}", other.acronym, result.overlap[i][j]))
                        .collect();
                    println!(
                        "{:<18} {:>6}  shared: {}",
                        n.acronym,
                        n.cities,
                        if shared.is_empty() {
                            "—".into()
                        } else {
                            shared.join(", ")
                        }
                    );
                }
            }
        }
        ExchangeCommand::Backups { file, json } => {
            let backups = merge::list_backups(&file)?;
            if json {
                print_json(&backups)?;
            } else if backups.is_empty() {
                println!("no backups of {}", file.display());
            } else {
                for b in backups {
                    println!("{}  {:>12} bytes", b.path, b.bytes);
                }
            }
        }
        ExchangeCommand::RestoreBackup { file, backup } => {
            let mut store = open_for_writing(&file)?;
            let report = merge::restore_backup_report(&mut store, &backup)?;
            println!("{} restored from {}", file.display(), backup.display());
            if report.newer_by_ms > 0 {
                println!(
                    "the replaced state was newer by {} (its latest change)",
                    span(report.newer_by_ms)
                );
            }
            if let Some(safety) = report.safety {
                println!("the replaced state was backed up to {}", safety.path);
            }
        }
        ExchangeCommand::Conflicts { file, all, json } => {
            let store = open_for_reading(&file)?;
            let entries = merge::conflict_log(&store, all)?;
            if json {
                print_json(&entries)?;
            } else if entries.is_empty() {
                println!("no conflicts to review");
            } else {
                for c in entries {
                    println!(
                        "{}  {:<12} {}  (from {}{})",
                        c.id,
                        c.kind.code(),
                        c.label,
                        c.from_office_name,
                        if c.resolved { ", resolved" } else { "" }
                    );
                }
            }
        }
        ExchangeCommand::RestoreConflict { file, id } => {
            let mut store = open_for_writing(&file)?;
            let change = merge::restore_conflict(&mut store, &id)?;
            println!("restored {} {}", change.kind.code(), change.ids.join(", "));
        }
    }
    Ok(())
}

fn merge_files(into: &Path, from: &[PathBuf], dry_run: bool, json: bool) -> Result<()> {
    let mut store = open_for_writing(into)?;
    let options = MergeOptions::default();
    let mut plans: Vec<MergePlan> = Vec::new();
    let mut summaries: Vec<MergeSummary> = Vec::new();
    for file in from {
        let plan = merge::plan_merge_with(&store, file, &options)?;
        if dry_run {
            if !json {
                print_plan(&plan);
            }
            plans.push(plan);
            continue;
        }
        let mut shown = 0;
        let summary = merge::apply_merge(&mut store, &plan, |done, total| {
            let tenth = (done * 10).checked_div(total).unwrap_or(10);
            if !json && tenth > shown {
                shown = tenth;
                eprint!("\r{}: {} %", file.display(), tenth * 10);
            }
            true
        })?;
        if !json {
            eprintln!();
            print_summary(&summary);
        }
        summaries.push(summary);
    }
    if json {
        if dry_run {
            print_json(&plans)?;
        } else {
            print_json(&summaries)?;
        }
    }
    Ok(())
}

fn counts_line(label: &str, c: &MergeCounts) {
    println!(
        "  {:<14} {:>8} {:>8} {:>8} {:>9} {:>10} {:>9}",
        label, c.incoming, c.new, c.updated, c.unchanged, c.tombstoned, c.conflicts
    );
}

fn print_counts(kinds: &[merge::KindCounts], totals: &MergeCounts) {
    println!(
        "  {:<14} {:>8} {:>8} {:>8} {:>9} {:>10} {:>9}",
        "kind", "received", "new", "updated", "unchanged", "tombstoned", "conflicts"
    );
    for k in kinds {
        counts_line(&k.kind.code(), &k.counts);
    }
    counts_line("total", totals);
}

fn print_plan(plan: &MergePlan) {
    println!(
        "{} (office {}, {} records)",
        plan.source.file, plan.source.office_name, plan.source.records
    );
    if let Some(at) = plan.already_merged_at {
        println!("  already merged on {}: nothing to do", when(at));
        return;
    }
    print_counts(&plan.kinds, &plan.totals);
    for c in &plan.conflicts {
        println!(
            "  conflict: {} {} “{}” — keeps the {} version",
            c.kind.code(),
            c.record_id,
            c.label,
            match c.winner {
                merge::MergeSide::Local => "local",
                merge::MergeSide::Incoming => "received",
            }
        );
    }
}

fn print_summary(summary: &MergeSummary) {
    println!(
        "{} (office {})",
        summary.source.file, summary.source.office_name
    );
    if summary.already_merged {
        println!("  already merged before: nothing to do");
        return;
    }
    if summary.merge_id.is_none() {
        println!("  nothing to change");
        return;
    }
    print_counts(&summary.kinds, &summary.totals);
    if summary.conflicts_logged > 0 {
        println!(
            "  {} losing versions kept in the conflict log (cabildo conflicts)",
            summary.conflicts_logged
        );
    }
    if let Some(backup) = &summary.backup {
        println!("  backup of the previous state: {}", backup.path);
    }
}

/// A duration for people: minutes, hours or days.
fn span(ms: i64) -> String {
    let minutes = ms / 60_000;
    match minutes {
        m if m < 120 => format!("{m} min"),
        m if m < 48 * 60 => format!("{} h", m / 60),
        m => format!("{} days", m / (24 * 60)),
    }
}

fn when(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

fn print_cdp_report(report: &CdpImportReport, lang: Lang) {
    let figures = [
        (lang.pick("filas leídas", "rows read"), report.rows),
        (
            lang.pick("ciudades nuevas", "cities added"),
            report.cities_added,
        ),
        (
            lang.pick("ciudades actualizadas", "cities updated"),
            report.cities_updated,
        ),
        (
            lang.pick("ciudades sin cambios", "cities unchanged"),
            report.cities_unchanged,
        ),
        (
            lang.pick("filas no importadas", "rows skipped"),
            report.rows_skipped,
        ),
        (
            lang.pick("membresías nuevas", "memberships added"),
            report.memberships_added,
        ),
        (
            lang.pick("indicadores nuevos", "metrics added"),
            report.metrics_added,
        ),
        (
            lang.pick("indicadores actualizados", "metrics updated"),
            report.metrics_updated,
        ),
    ];
    println!(
        "{}",
        figures
            .iter()
            .map(|(label, n)| format!("{label}: {n}"))
            .collect::<Vec<_>>()
            .join(" · ")
    );
    if !report.networks_added.is_empty() {
        println!(
            "{}: {}",
            lang.pick(
                "redes agregadas al catálogo",
                "networks added to the catalog"
            ),
            report.networks_added.join(", ")
        );
    }
    for w in &report.warnings {
        println!(
            "{} {}: {}",
            lang.pick("fila", "row"),
            w.row,
            w.message(lang)
        );
    }
}
