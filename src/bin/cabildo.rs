//! The `cabildo` command line: demo data, synthetic data, reports.
//! Errors print one line and exit non-zero; a command that only reads never writes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use cabildo::error::{Error, Result};
use cabildo::format::{self, Lang};
use cabildo::roi::{self, RoiQuery};
use cabildo::Store;

#[path = "cli/exchange.rs"]
mod exchange_cli;

#[path = "cli/budget.rs"]
mod budget_cli;

#[path = "cli/charts.rs"]
mod charts_cli;

#[path = "cli/import.rs"]
mod import_cli;

#[path = "cli/list.rs"]
mod list_cli;

#[path = "cli/search.rs"]
mod search_cli;

#[derive(Parser)]
#[command(
    name = "cabildo",
    version,
    about = "Cabildo: the return of a city's international network memberships"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the demo database (a fictional Mexican city).
    Demo {
        file: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
        /// The date the demo's history ends on (default: today).
        #[arg(long)]
        anchor: Option<NaiveDate>,
    },
    /// Create a synthetic coordinator database for benchmarks.
    Generate {
        file: PathBuf,
        #[arg(long)]
        cities: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The office's base currency (its reporting currency; rates are quoted in it).
        #[arg(long, default_value = "MXN")]
        currency: String,
        #[arg(long)]
        force: bool,
    },
    /// The ROI rows per membership for a period.
    Summary {
        file: PathBuf,
        #[command(flatten)]
        query: QueryArgs,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// The records behind one figure of a summary row, each with what it contributes.
    Explain {
        file: PathBuf,
        /// The membership's id, or `general` for the costs tied to no membership.
        #[arg(long)]
        membership: String,
        /// A figure of the row: cost_total, cost.travel, staff_hours,
        /// financing_committed, financing_disbursed, months_saved, policies_transferred…
        #[arg(long)]
        figure: String,
        #[command(flatten)]
        query: QueryArgs,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// The network catalog with the number of cities with an active membership.
    Networks {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Test support: add cost entries one by one until killed, printing each committed id.
    #[command(hide = true)]
    WriteLoop { file: PathBuf },
    /// Test support (scripts/crash-test.sh): the state of a file after a kill, on one
    /// line: integrity, schema version, records, a digest of every record version,
    /// and how many of the ids listed in --ids are missing.
    #[command(hide = true)]
    CrashCheck {
        file: PathBuf,
        #[arg(long)]
        ids: Option<PathBuf>,
    },
    /// Sharing between offices: export, merge, Excel/CSV, CDP import, peers, backups.
    #[command(flatten)]
    Exchange(exchange_cli::ExchangeCommand),
    /// Council charts: one chart as SVG/PNG/PDF, and the council pack.
    #[command(flatten)]
    Charts(charts_cli::ChartCommand),
    /// Import a spreadsheet (.xlsx, .xls, .ods, .csv) of records of one kind into
    /// FILE: `--dry-run` prints the preview; otherwise every row in one transaction.
    Import(import_cli::ImportArgs),
    /// Undo one import: its records (those still live) go to the trash.
    ImportUndo {
        file: PathBuf,
        import_id: String,
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Write an Excel template of a kind's columns (headers the import reads, one
    /// sample row, drop-down lists), to fill and import back with no mapping.
    Template {
        out: PathBuf,
        #[arg(long, default_value = "cost_entry")]
        kind: String,
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// One page of a kind's records: searched, sorted and counted as the app's lists.
    List(list_cli::ListArgs),
    /// The imports recorded in FILE, newest first.
    Imports {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The budget proposal of a fiscal year: per membership its expected dues, planned
    /// travel and time at the year's budget rates, this year's cost, and the decision.
    Budget(budget_cli::BudgetArgs),
    /// Find records of every kind by their words (case and accents ignored).
    Search(search_cli::SearchArgs),
    /// Write (or with --check, compare) the TypeScript bindings of the UI.
    Bindings {
        #[arg(long, default_value = cabildo::bindings::BINDINGS_PATH)]
        out: PathBuf,
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cabildo: {e}");
            ExitCode::FAILURE
        }
    }
}

fn refuse_overwrite(file: &Path, force: bool) -> Result<()> {
    if file.exists() {
        if !force {
            return Err(Error::Argument(format!(
                "{} exists (use --force to replace it)",
                file.display()
            )));
        }
        for suffix in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{suffix}", file.display()));
            if p.exists() {
                std::fs::remove_file(p)?;
            }
        }
    }
    Ok(())
}

fn must_exist(file: &Path) -> Result<()> {
    if !file.exists() {
        return Err(Error::Argument(format!(
            "{} does not exist",
            file.display()
        )));
    }
    Ok(())
}

/// Opens a file for a command that only reads: the file is never changed.
pub(crate) fn open_for_reading(file: &Path) -> Result<Store> {
    must_exist(file)?;
    Store::open_read_only(file)
}

/// Opens a file a command writes to; it must exist already (never created here).
fn open_for_writing(file: &Path) -> Result<Store> {
    must_exist(file)?;
    Store::open_existing(file)
}

pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The period, currency and city options of the report and chart commands.
#[derive(clap::Args)]
struct QueryArgs {
    /// First day of the period (default: twelve months before --to).
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Last day of the period (default: today).
    #[arg(long)]
    to: Option<NaiveDate>,
    /// Reporting currency (default: the office's).
    #[arg(long)]
    currency: Option<String>,
    /// City name (exact, case-insensitive; default: all cities).
    #[arg(long)]
    city: Option<String>,
}

/// The ROI query the options ask for: the last twelve months in the office's currency
/// unless told otherwise.
fn roi_query(store: &Store, args: &QueryArgs) -> Result<RoiQuery> {
    let mut query = RoiQuery::office_default(store, None, args.to.unwrap_or_else(today));
    if let Some(from) = args.from {
        query.from = from;
    }
    if let Some(currency) = &args.currency {
        query.currency = currency.to_uppercase();
    }
    if let Some(name) = &args.city {
        query.city_id = Some(city_id_named(store, name)?);
    }
    Ok(query)
}

/// The id of the city of that name (exact, case-insensitive).
pub(crate) fn city_id_named(store: &Store, name: &str) -> Result<String> {
    let cities: Vec<cabildo::model::City> = store.list(None)?;
    cities
        .into_iter()
        .find(|c| c.name.eq_ignore_ascii_case(name))
        .map(|c| c.meta.id)
        .ok_or_else(|| Error::Argument(format!("no city named {name}")))
}

fn run(command: Command) -> Result<()> {
    match command {
        Command::Demo {
            file,
            force,
            anchor,
        } => {
            refuse_overwrite(&file, force)?;
            cabildo::demo::create(&file, anchor.unwrap_or_else(today))?;
            println!("demo database written to {}", file.display());
        }
        Command::Generate {
            file,
            cities,
            seed,
            currency,
            force,
        } => {
            refuse_overwrite(&file, force)?;
            let started = std::time::Instant::now();
            cabildo::generate::generate(&file, cities, seed, &currency, |done| {
                if done % 100 == 0 {
                    eprintln!("{done} cities");
                }
            })?;
            println!(
                "{cities} cities written to {} in {:.1} s",
                file.display(),
                started.elapsed().as_secs_f64()
            );
        }
        Command::Summary {
            file,
            query,
            json,
            lang,
        } => {
            let lang = Lang::parse(&lang)
                .ok_or_else(|| Error::Argument("--lang must be es or en".into()))?;
            let store = open_for_reading(&file)?;
            let query = roi_query(&store, &query)?;
            let report = roi::compute(&store, &query)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_summary(&report, lang);
            }
        }
        Command::Explain {
            file,
            membership,
            figure,
            query,
            json,
            lang,
        } => {
            let lang = Lang::parse(&lang)
                .ok_or_else(|| Error::Argument("--lang must be es or en".into()))?;
            let figure = cabildo::explain::Figure::parse(&figure)?;
            let store = open_for_reading(&file)?;
            let query = roi_query(&store, &query)?;
            let membership = (membership != "general").then_some(membership.as_str());
            let e = cabildo::explain::explain(&store, &query, membership, figure, lang)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&e)?);
            } else {
                print_explanation(&e, lang);
            }
        }
        Command::Networks { file, json } => {
            let store = open_for_reading(&file)?;
            let rows = store.network_city_counts()?;
            if json {
                let list: Vec<_> = rows
                    .iter()
                    .map(|(n, cities)| serde_json::json!({ "network": n, "active_cities": cities }))
                    .collect();
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                println!("{:<18} {:>7}  {:<6} name", "acronym", "cities", "since");
                for (n, cities) in rows {
                    let founded = n.founded_year.map(|y| y.to_string()).unwrap_or_default();
                    println!("{:<18} {:>7}  {:<6} {}", n.acronym, cities, founded, n.name);
                }
            }
        }
        Command::WriteLoop { file } => write_loop(&file)?,
        Command::CrashCheck { file, ids } => crash_check(&file, ids.as_deref())?,
        Command::Exchange(command) => exchange_cli::run(command)?,
        Command::Charts(command) => charts_cli::run(command)?,
        Command::Import(args) => import_cli::run(args)?,
        Command::ImportUndo {
            file,
            import_id,
            lang,
        } => import_cli::undo(&file, &import_id, &lang)?,
        Command::Imports { file, json } => import_cli::list(&file, json)?,
        Command::List(args) => list_cli::run(args)?,
        Command::Search(args) => search_cli::run(&args)?,
        Command::Budget(args) => budget_cli::run(args)?,
        Command::Template { out, kind, lang } => import_cli::template(&out, &kind, &lang)?,
        Command::Bindings { out, check } => {
            let text = cabildo::bindings::typescript();
            if check {
                let current = std::fs::read_to_string(&out).unwrap_or_default();
                if current != text {
                    return Err(Error::Argument(format!(
                        "{} is stale: run `cabildo bindings`",
                        out.display()
                    )));
                }
            } else {
                std::fs::write(&out, text)?;
                println!("wrote {}", out.display());
            }
        }
    }
    Ok(())
}

fn print_summary(report: &roi::RoiReport, lang: Lang) {
    let q = &report.query;
    println!(
        "{} {} ({})",
        lang.pick("Periodo", "Period"),
        q.period_text(lang),
        q.currency
    );
    println!(
        "{:<28} {:<16} {:>16} {:>16} {:>7} {:>6} {:>8}  {}",
        lang.pick("ciudad", "city"),
        lang.pick("red", "network"),
        lang.pick("costo", "cost"),
        lang.pick("comprometido", "committed"),
        lang.pick("meses", "months"),
        lang.pick("polít.", "policy"),
        "leverage",
        lang.pick("clasificación", "classification")
    );
    for r in &report.rows {
        let city: String = r.city_name.chars().take(28).collect();
        println!(
            "{:<28} {:<16} {:>16} {:>16} {:>7} {:>6} {:>8}  {}",
            city,
            r.network_acronym,
            format::money(r.cost_total_minor, &r.currency),
            format::money(r.financing_committed_minor, &r.currency),
            format::count(r.months_saved),
            format::count(r.policies_transferred),
            r.leverage
                .map(|l| format!("{l:.2}"))
                .unwrap_or_else(|| "—".into()),
            r.classification.label(lang)
        );
        println!("    {}", r.reason(lang));
    }
    for g in &report.general {
        let city: String = g.city_name.chars().take(28).collect();
        println!(
            "{:<28} {:<16} {:>16}",
            city,
            cabildo::explain::general_work_label(lang),
            format::money(g.cost_total_minor, &report.query.currency),
        );
    }
    println!(
        "{:<28} {:<16} {:>16} {:>16}",
        lang.pick("total", "total"),
        "",
        format::money(report.totals.cost_total_minor, &report.query.currency),
        format::money(
            report.totals.financing_committed_minor,
            &report.query.currency
        ),
    );
    for w in &report.warnings {
        println!("{}: {}", lang.pick("aviso", "warning"), w.text(lang));
    }
}

fn print_explanation(e: &cabildo::explain::Explanation, lang: Lang) {
    use cabildo::explain::FigureUnit;
    let figure = match e.unit {
        FigureUnit::Money => format::money(e.total_minor, &e.query.currency),
        _ => format::count(e.total),
    };
    println!(
        "{} — {} = {figure} ({} {}, {})",
        e.subject,
        e.figure,
        lang.pick("periodo", "period"),
        e.query.period_text(lang),
        e.query.currency
    );
    let table = cabildo::explain::explanation_table(e, lang);
    for row in table {
        println!("{}", row.join("\t"));
    }
}

/// Opens the file as SQLite would after a crash (the log is replayed) without
/// upgrading or changing anything of Cabildo's, and describes it.
fn crash_check(file: &Path, ids: Option<&Path>) -> Result<()> {
    use sha2::{Digest, Sha256};
    must_exist(file)?;
    let conn = rusqlite::Connection::open(file)?;
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let mut hasher = Sha256::new();
    let mut records: u64 = 0;
    let mut present = std::collections::HashSet::new();
    for kind in cabildo::RecordKind::ALL {
        let table = kind.desc().table;
        // A file of an older schema has no table for the kinds added since.
        let exists: bool = conn.query_row(
            "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )?;
        if !exists {
            continue;
        }
        let mut stmt = conn.prepare(&format!(
            "SELECT id, updated_at, updated_by, deleted FROM \"{table}\" ORDER BY id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let at: i64 = row.get(1)?;
            let by: String = row.get(2)?;
            let deleted: bool = row.get(3)?;
            hasher.update(format!("{table}\t{id}\t{at}\t{by}\t{deleted}\n"));
            records += 1;
            if ids.is_some() {
                present.insert(id);
            }
        }
    }
    let digest: String = hasher
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let missing = match ids {
        Some(list) => std::fs::read_to_string(list)?
            .lines()
            .filter(|id| !id.is_empty() && !present.contains(*id))
            .count(),
        None => 0,
    };
    println!("integrity={integrity} version={version} records={records} digest={digest} missing={missing}");
    Ok(())
}

/// Used by the durability test, which kills this process at random moments.
fn write_loop(file: &Path) -> Result<()> {
    use cabildo::model::{City, CostCategory, CostEntry, Meta};
    use std::io::Write;
    let mut store = Store::open(file)?;
    let city_id = match store.list::<City>(None)?.into_iter().next() {
        Some(c) => c.meta.id,
        None => {
            let city = City {
                meta: Meta::default(),
                name: "Durability".into(),
                country: "MX".into(),
                population: None,
                population_year: None,
                latitude: None,
                longitude: None,
                region: None,
                cdp_account: None,
                income_group: None,
            };
            store.insert(city)?.meta.id
        }
    };
    let mut out = std::io::stdout().lock();
    for n in 0u64.. {
        let entry = store.insert(CostEntry {
            meta: Meta::default(),
            city_id: city_id.clone(),
            membership_id: None,
            meeting_id: None,
            spent_on: today(),
            category: CostCategory::Travel,
            amount_minor: Some(100 + (n % 1000) as i64),
            currency: Some("MXN".into()),
            hours: None,
            role: None,
            invoice_id: None,
            reference: None,
            description: Some(format!("entry {n}")),
        })?;
        writeln!(out, "{}", entry.meta.id)?;
        out.flush()?;
    }
    Ok(())
}
