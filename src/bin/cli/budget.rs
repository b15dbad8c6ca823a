//! `cabildo budget`: the budget proposal of a fiscal year, per membership.

use cabildo::budget::{self, BudgetProposal, BudgetQuery};
use cabildo::error::Result;
use cabildo::format::{self, Lang};

#[derive(clap::Args)]
pub struct BudgetArgs {
    pub file: std::path::PathBuf,
    /// The fiscal year proposed (it starts in the month the settings say).
    #[arg(long)]
    pub year: i32,
    /// City name (exact, case-insensitive; default: all cities).
    #[arg(long)]
    pub city: Option<String>,
    /// Currency of every figure (default: the office's reporting currency).
    #[arg(long)]
    pub currency: Option<String>,
    #[arg(long)]
    pub json: bool,
    #[arg(long, default_value = "es")]
    pub lang: String,
}

pub fn run(args: BudgetArgs) -> Result<()> {
    let lang = crate::import_cli::parse_lang(&args.lang)?;
    let store = crate::open_for_reading(&args.file)?;
    let city_id = match &args.city {
        Some(name) => Some(crate::city_id_named(&store, name)?),
        None => None,
    };
    let query = BudgetQuery {
        fiscal_year: args.year,
        city_id,
        currency: args
            .currency
            .clone()
            .unwrap_or_else(|| store.office().reporting_currency.clone())
            .to_uppercase(),
        as_of: crate::today(),
    };
    let proposal = budget::proposal(&store, &query)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&proposal)?);
    } else {
        print(&proposal, lang);
    }
    Ok(())
}

fn print(p: &BudgetProposal, lang: Lang) {
    let c = &p.query.currency;
    let money = |v: i64| format::money(v, c);
    let opt = |v: Option<i64>| v.map(money).unwrap_or_else(|| "—".into());
    println!(
        "{} {} ({} – {}, {c})",
        lang.pick(
            "Propuesta de presupuesto de participación internacional",
            "International participation budget proposal"
        ),
        budget::fiscal_year_text(&p.settings, p.query.fiscal_year, lang),
        format::date(p.from, lang),
        format::date(p.to, lang),
    );
    println!(
        "{:<28} {:<14} {:>14} {:>14} {:>14} {:>14} {:>14}  {}",
        lang.pick("ciudad", "city"),
        lang.pick("red", "network"),
        lang.pick("este año", "this year"),
        lang.pick("cuota", "dues"),
        lang.pick("viajes", "travel"),
        lang.pick("tiempo", "time"),
        lang.pick("propuesta", "proposed"),
        lang.pick("decisión", "decision"),
    );
    for r in &p.rows {
        let city: String = r.city_name.chars().take(28).collect();
        let network: String = r.network_acronym.chars().take(14).collect();
        let mark = if r.overridden { " *" } else { "" };
        println!(
            "{city:<28} {network:<14} {:>14} {:>14} {:>14} {:>14} {:>14}  {}{mark}",
            money(r.actual_minor),
            opt(r.dues_minor),
            opt(r.travel_minor),
            opt(r.time_minor),
            money(r.proposed_minor),
            r.decision.label(lang),
        );
        println!(
            "    {}",
            lang.pick(&r.recommendation_es, &r.recommendation_en)
        );
        if let Some(j) = r.justification.as_deref().filter(|_| r.overridden) {
            println!(
                "    {} {}: {j}",
                lang.pick("* Decisión de la oficina", "* The office's decision"),
                r.decision.label(lang)
            );
        }
        if r.arrears_minor > 0 {
            println!(
                "    {} {} ({} {})",
                lang.pick("Adeudo:", "Arrears:"),
                money(r.arrears_minor),
                r.arrears_days.unwrap_or(0),
                lang.pick("días", "days")
            );
        }
    }
    println!(
        "{:<43} {:>14} {:>59}",
        lang.pick("Total", "Total"),
        money(p.actual_minor),
        money(p.proposed_minor)
    );
    println!(
        "{} {}",
        lang.pick(
            "Ahorro de las reducciones y salidas:",
            "Saving of the reductions and exits:"
        ),
        money(p.saving_minor)
    );
    for w in &p.warnings {
        println!("! {}", w.text(p.query.fiscal_year, lang));
    }
}
