//! The global search of the `cabildo` command line (issue 13): records of every kind
//! found by their words, grouped by kind.

use std::path::PathBuf;

use clap::Args;

use cabildo::error::{Error, Result};
use cabildo::format::Lang;
use cabildo::store::search::SearchResults;

use crate::open_for_reading;

#[derive(Args)]
pub struct SearchArgs {
    /// The Cabildo database (only read; its search index is kept beside it).
    file: PathBuf,
    /// The words to find (case and accents ignored; the last may be a word's start).
    text: String,
    /// Records listed per kind.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[arg(long)]
    json: bool,
    #[arg(long, default_value = "en")]
    lang: String,
}

pub fn run(args: &SearchArgs) -> Result<()> {
    let lang =
        Lang::parse(&args.lang).ok_or_else(|| Error::Argument("--lang must be es or en".into()))?;
    let store = open_for_reading(&args.file)?;
    let started = std::time::Instant::now();
    let results = store.search(&args.text, args.limit)?;
    let elapsed = started.elapsed();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&results)?);
    } else {
        print(&results, lang);
        eprintln!("{:.1} ms", elapsed.as_secs_f64() * 1000.0);
    }
    Ok(())
}

fn print(results: &SearchResults, lang: Lang) {
    if results.groups.is_empty() {
        println!("{}", lang.pick("Nada encontrado.", "Nothing found."));
        return;
    }
    for group in &results.groups {
        let count = if group.more {
            format!("{} {}", lang.pick("más de", "more than"), group.total)
        } else {
            group.total.to_string()
        };
        println!("{} ({count})", group.kind.plural(lang));
        for hit in &group.hits {
            match &hit.city {
                Some(city) => println!("  {} · {city}  [{}]", hit.label, hit.id),
                None => println!("  {}  [{}]", hit.label, hit.id),
            }
        }
    }
}
