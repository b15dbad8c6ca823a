//! The chart commands of the `cabildo` command line (issue 4): one chart as SVG, PNG or
//! PDF, and the council pack.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use cabildo::charts::{self, ChartKind, ChartRequest, PackRequest};
use cabildo::error::{Error, Result};
use cabildo::format::Lang;
use cabildo::Store;

use crate::{open_for_reading, roi_query, QueryArgs};

#[derive(Subcommand)]
pub enum ChartCommand {
    /// Draw one chart to OUT; the format follows the extension (.svg, .png, .pdf).
    Chart {
        file: PathBuf,
        /// cost-by-category, cost-vs-return, financing-over-time, leverage,
        /// project-timelines, portfolio-funnel, asks-to-results or budget.
        #[arg(value_parser = parse_kind)]
        kind: ChartKind,
        #[arg(long)]
        out: PathBuf,
        /// es or en (default: the office's language).
        #[arg(long)]
        lang: Option<String>,
        #[arg(long, default_value_t = charts::DEFAULT_WIDTH)]
        width: u32,
        #[arg(long, default_value_t = charts::DEFAULT_HEIGHT)]
        height: u32,
        #[command(flatten)]
        query: QueryArgs,
    },
    /// Write the council pack: a title page and the charts, one per landscape page.
    CouncilPack {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// es or en (default: the office's language).
        #[arg(long)]
        lang: Option<String>,
        /// Comma-separated chart names, in order (default: all eight).
        #[arg(long, value_delimiter = ',', value_parser = parse_kind)]
        charts: Vec<ChartKind>,
        #[command(flatten)]
        query: QueryArgs,
    },
}

fn parse_kind(text: &str) -> std::result::Result<ChartKind, String> {
    ChartKind::parse(text).ok_or_else(|| {
        let names: Vec<&str> = ChartKind::ALL.iter().map(|k| k.code()).collect();
        format!("unknown chart {text:?}; one of {}", names.join(", "))
    })
}

fn language(store: &Store, lang: Option<&str>) -> Result<Lang> {
    match lang {
        Some(code) => {
            Lang::parse(code).ok_or_else(|| Error::Argument("--lang must be es or en".into()))
        }
        None => Ok(Lang::parse(&store.office().language).unwrap_or_default()),
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

pub fn run(command: ChartCommand) -> Result<()> {
    match command {
        ChartCommand::Chart {
            file,
            kind,
            out,
            lang,
            width,
            height,
            query,
        } => {
            let store = open_for_reading(&file)?;
            let request = ChartRequest {
                kind,
                query: roi_query(&store, &query)?,
                lang: language(&store, lang.as_deref())?,
                width,
                height,
            };
            let bytes = match extension(&out).as_str() {
                "svg" => charts::render_svg(&store, &request)?.svg.into_bytes(),
                "png" => {
                    let chart = charts::render_svg(&store, &request)?;
                    charts::png(&chart.svg, width, height)?
                }
                "pdf" => charts::pdf(&[charts::render_svg(&store, &request)?.svg])?,
                _ => {
                    return Err(Error::Argument(
                        "--out must end in .svg, .png or .pdf".into(),
                    ))
                }
            };
            std::fs::write(&out, bytes)?;
            println!("{} written to {}", kind.code(), out.display());
        }
        ChartCommand::CouncilPack {
            file,
            out,
            lang,
            charts: kinds,
            query,
        } => {
            if extension(&out) != "pdf" {
                return Err(Error::Argument("--out must end in .pdf".into()));
            }
            let store = open_for_reading(&file)?;
            let request = PackRequest {
                query: roi_query(&store, &query)?,
                lang: language(&store, lang.as_deref())?,
                charts: kinds,
                generated_on: None,
            };
            let bytes = charts::council_pack(&store, &request)?;
            std::fs::write(&out, bytes)?;
            println!("council pack written to {}", out.display());
        }
    }
    Ok(())
}
