//! The council charts (issue 4): seven charts drawn by the core with plotters into SVG
//! from the ROI engine's report, so the app, the exported SVG, PNG and PDF and the
//! council pack all show the same picture with the same figures.
//!
//! `render_svg` draws one chart; `ChartContext` draws several from one
//! computation of the report (Charts screen, presentation mode, council pack); `png` and
//! `pdf` turn the SVG into the other formats with the same embedded font; `council_pack`
//! writes the whole PDF.

mod asks_to_results;
pub(crate) mod budget;
mod canvas;
mod cost_by_category;
mod cost_vs_return;
mod financing_over_time;
mod font;
mod labels;
mod leverage;
mod output;
mod pack;
mod portfolio_funnel;
mod project_timelines;
mod rows;

use std::cell::OnceCell;

use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::format::{self, Lang};
use crate::kinds::RecordKind;
use crate::model::{City, Project};
use crate::roi::{self, RoiQuery, RoiReport};
use crate::store::Store;

use canvas::{Canvas, Frame, Rect};

pub use font::FONT_FAMILY;
pub use output::PDF_PAGE_WIDTH_PT;
pub use output::{pdf, png};
pub use pack::{council_pack, pack_pages, PackRequest};

/// The eight charts, by the names the CLI and the UI use.
#[derive(Serialize, Deserialize, TS, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    /// Stacked bars per network: dues, travel, staff time, officials' time, hosting, other.
    CostByCategory,
    /// Cost beside financing committed per network, months saved and policies as labels.
    CostVsReturn,
    /// Cumulative financing committed (stacked by instrument) and disbursed.
    FinancingOverTime,
    /// Each membership by cost and financing, marked by classification.
    Leverage,
    /// Baseline and actual duration of each project, coloured by sector.
    ProjectTimelines,
    /// Projects and their estimated capital cost by stage.
    PortfolioFunnel,
    /// Meetings per network by ask type and by result.
    AsksToResults,
    /// This year's cost per network against next fiscal year's budget proposal.
    Budget,
}

impl ChartKind {
    pub const ALL: [ChartKind; 8] = [
        ChartKind::CostByCategory,
        ChartKind::CostVsReturn,
        ChartKind::FinancingOverTime,
        ChartKind::Leverage,
        ChartKind::ProjectTimelines,
        ChartKind::PortfolioFunnel,
        ChartKind::AsksToResults,
        ChartKind::Budget,
    ];

    /// The kebab-case name: `cost-by-category`.
    pub fn code(self) -> &'static str {
        match self {
            ChartKind::CostByCategory => "cost-by-category",
            ChartKind::CostVsReturn => "cost-vs-return",
            ChartKind::FinancingOverTime => "financing-over-time",
            ChartKind::Leverage => "leverage",
            ChartKind::ProjectTimelines => "project-timelines",
            ChartKind::PortfolioFunnel => "portfolio-funnel",
            ChartKind::AsksToResults => "asks-to-results",
            ChartKind::Budget => "budget",
        }
    }

    pub fn parse(code: &str) -> Option<ChartKind> {
        ChartKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            ChartKind::CostByCategory => {
                lang.pick("Costo por categoría y red", "Cost by category and network")
            }
            ChartKind::CostVsReturn => {
                lang.pick("Costo y retorno por red", "Cost and return by network")
            }
            ChartKind::FinancingOverTime => lang.pick(
                "Financiamiento movilizado en el tiempo",
                "Financing mobilized over time",
            ),
            ChartKind::Leverage => lang.pick(
                "Mapa de apalancamiento: costo frente a financiamiento",
                "Leverage map: cost against financing",
            ),
            ChartKind::ProjectTimelines => lang.pick(
                "Plazos de los proyectos: sin la red y con ella",
                "Project timelines: without the network and with it",
            ),
            ChartKind::PortfolioFunnel => lang.pick(
                "Embudo de la cartera de proyectos",
                "Project portfolio funnel",
            ),
            ChartKind::AsksToResults => lang.pick(
                "De las solicitudes a los resultados",
                "From asks to results",
            ),
            ChartKind::Budget => lang.pick(
                "Propuesta de presupuesto de participación internacional",
                "International participation budget proposal",
            ),
        }
    }
}

/// The size the CLI and the export buttons use by default.
pub const DEFAULT_WIDTH: u32 = 1920;
pub const DEFAULT_HEIGHT: u32 = 1080;
/// Outputs outside this range are refused: smaller cannot hold the frame's text, larger
/// than 8K only costs memory.
pub const MIN_SIDE: u32 = 320;
pub const MAX_SIDE: u32 = 7680;

fn default_width() -> u32 {
    DEFAULT_WIDTH
}

fn default_height() -> u32 {
    DEFAULT_HEIGHT
}

/// One chart for a period, a reporting currency and one city or all, in a language, at
/// a size in pixels (type scales with the height: 24 px minimum at 1080).
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct ChartRequest {
    pub kind: ChartKind,
    pub query: RoiQuery,
    #[serde(default)]
    pub lang: Lang,
    #[serde(default = "default_width")]
    pub width: u32,
    #[serde(default = "default_height")]
    pub height: u32,
}

/// A key figure of a chart, already formatted for the locale ("Costo total", "MXN 2.4 M").
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct KeyFigure {
    pub label: String,
    pub value: String,
}

/// A drawn chart: the SVG every output is made from, and the figures the council pack
/// prints under it.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Chart {
    pub kind: ChartKind,
    pub title: String,
    pub svg: String,
    pub width: u32,
    pub height: u32,
    /// True when the period has no data for this chart and the SVG says so.
    pub empty: bool,
    pub figures: Vec<KeyFigure>,
    /// What the figures could not take into account (missing rates…), in the language.
    pub warnings: Vec<String>,
}

/// Draws one chart.
pub fn render_svg(store: &Store, request: &ChartRequest) -> Result<Chart> {
    let context = ChartContext::new(store, &request.query, request.lang)?;
    context.draw(request.kind, request.width, request.height)
}

pub(crate) fn check_size(width: u32, height: u32) -> Result<()> {
    for (field, side) in [("width", width), ("height", height)] {
        if !(MIN_SIDE..=MAX_SIDE).contains(&side) {
            return Err(Error::invalid_because(
                field,
                "out_of_range",
                format!("{side} px; {MIN_SIDE} to {MAX_SIDE}"),
            ));
        }
    }
    Ok(())
}

/// What a chart module returns besides its drawing.
pub(crate) struct Drawn {
    pub figures: Vec<KeyFigure>,
    pub empty: bool,
    pub warnings: Vec<String>,
}

/// The report and the texts every chart of one period, currency, city and language
/// shares. Computing the report is most of a chart's cost on a large database, so a
/// screen that shows several charts of the same selection builds one context and draws
/// each chart from it.
pub struct ChartContext<'a> {
    pub(crate) store: &'a Store,
    pub(crate) report: RoiReport,
    pub(crate) lang: Lang,
    /// The city's name, or "all cities (N)".
    pub(crate) scope: String,
    pub(crate) multi_city: bool,
    /// The selection's projects, read once for the charts that draw them.
    projects: OnceCell<Vec<Project>>,
}

impl<'a> ChartContext<'a> {
    /// Computes the report for the selection.
    pub fn new(store: &'a Store, query: &RoiQuery, lang: Lang) -> Result<ChartContext<'a>> {
        let report = roi::compute(store, query)?;
        let (scope, multi_city) = match &query.city_id {
            Some(id) => (store.get::<City>(id)?.name, false),
            None => {
                // Counted, not read: a coordinator's file holds thousands.
                let count = store.count_live(RecordKind::City)?;
                let only = if count == 1 {
                    store.list::<City>(None)?.pop()
                } else {
                    None
                };
                match only {
                    Some(only) => (only.name, false),
                    None => (
                        format!(
                            "{} ({})",
                            lang.pick("Todas las ciudades", "All cities"),
                            format::number(count as f64, 0)
                        ),
                        true,
                    ),
                }
            }
        };
        Ok(ChartContext {
            store,
            report,
            lang,
            scope,
            multi_city,
            projects: OnceCell::new(),
        })
    }

    /// The live projects of the selection's city (all cities without one).
    pub(crate) fn projects(&self) -> Result<&[Project]> {
        if let Some(projects) = self.projects.get() {
            return Ok(projects);
        }
        let read = self.store.list(self.query().city_id.as_deref())?;
        Ok(self.projects.get_or_init(|| read))
    }

    /// Draws one chart of the selection at `width` × `height` pixels.
    pub fn draw(&self, kind: ChartKind, width: u32, height: u32) -> Result<Chart> {
        // Labels write numbers the office's way.
        crate::format::with_number_format(self.store.office().number_format, || {
            self.draw_in(kind, width, height)
        })
    }

    /// The budget chart of a proposal already computed (the pack shows it with its table).
    pub(crate) fn draw_budget(
        &self,
        proposal: &crate::budget::BudgetProposal,
        width: u32,
        height: u32,
    ) -> Result<Chart> {
        crate::format::with_number_format(self.store.office().number_format, || {
            check_size(width, height)?;
            let mut svg = String::new();
            let drawn = {
                let canvas = Canvas::new(&mut svg, width, height)?;
                let drawn = budget::draw_with(self, &canvas, proposal)?;
                canvas.finish()?;
                drawn
            };
            Ok(Chart {
                kind: ChartKind::Budget,
                title: ChartKind::Budget.title(self.lang).to_string(),
                svg,
                width,
                height,
                empty: drawn.empty,
                figures: drawn.figures,
                warnings: drawn.warnings,
            })
        })
    }

    fn draw_in(&self, kind: ChartKind, width: u32, height: u32) -> Result<Chart> {
        check_size(width, height)?;
        let mut svg = String::new();
        let drawn = {
            let canvas = Canvas::new(&mut svg, width, height)?;
            let drawn = match kind {
                ChartKind::CostByCategory => cost_by_category::draw(self, &canvas)?,
                ChartKind::CostVsReturn => cost_vs_return::draw(self, &canvas)?,
                ChartKind::FinancingOverTime => financing_over_time::draw(self, &canvas)?,
                ChartKind::Leverage => leverage::draw(self, &canvas)?,
                ChartKind::ProjectTimelines => project_timelines::draw(self, &canvas)?,
                ChartKind::PortfolioFunnel => portfolio_funnel::draw(self, &canvas)?,
                ChartKind::AsksToResults => asks_to_results::draw(self, &canvas)?,
                ChartKind::Budget => budget::draw(self, &canvas)?,
            };
            canvas.finish()?;
            drawn
        };
        Ok(Chart {
            kind,
            title: kind.title(self.lang).to_string(),
            svg,
            width,
            height,
            empty: drawn.empty,
            figures: drawn.figures,
            warnings: drawn.warnings,
        })
    }

    /// The report the charts are drawn from.
    pub fn report(&self) -> &RoiReport {
        &self.report
    }

    pub fn query(&self) -> &RoiQuery {
        &self.report.query
    }

    pub(crate) fn currency(&self) -> &str {
        &self.report.query.currency
    }

    pub(crate) fn pick(&self, es: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(es, en)
    }

    /// "1 dic 2024 – 30 nov 2025".
    pub(crate) fn period(&self) -> String {
        self.query().period_text(self.lang)
    }

    /// The day of the newest write in the file.
    pub(crate) fn data_date(&self) -> Option<NaiveDate> {
        DateTime::from_timestamp_millis(self.report.data_stamp).map(|t| t.date_naive())
    }

    pub(crate) fn data_date_line(&self) -> String {
        let date = self
            .data_date()
            .map(|d| format::date(d, self.lang))
            .unwrap_or_else(|| "—".into());
        format!("{} {date}", self.pick("Datos al", "Data as of"))
    }

    pub(crate) fn source_line(&self) -> String {
        let office = &self.store.office().name;
        match self.lang {
            Lang::Es => format!(
                "Fuente: registros de {office} en Cabildo; cifras del motor de retorno (ROI) de Cabildo."
            ),
            Lang::En => format!(
                "Source: {office} records in Cabildo; figures from Cabildo's return (ROI) engine."
            ),
        }
    }

    /// Amount in major units of the reporting currency.
    pub(crate) fn major(&self, minor: f64) -> f64 {
        minor / 10f64.powi(crate::money::exponent(self.currency()) as i32)
    }

    /// An abbreviated amount without the currency (the unit line names it): "1.2 M".
    pub(crate) fn short(&self, minor: f64) -> String {
        format::abbreviate(self.major(minor), self.lang)
    }

    /// An abbreviated amount with the currency: "MXN 1.2 M".
    pub(crate) fn money(&self, minor: i64) -> String {
        format::money_short(minor, self.currency(), self.lang)
    }

    /// "Montos en MXN (mil = miles; M = millones)", naming the abbreviations that appear.
    pub(crate) fn amount_unit(&self, max_major: f64) -> String {
        let currency = self.currency();
        let mut keys: Vec<&str> = Vec::new();
        if max_major >= 1e3 {
            keys.push(self.pick("mil = miles", "K = thousands"));
        }
        if max_major >= 1e6 {
            keys.push(self.pick("M = millones", "M = millions"));
        }
        if max_major >= 1e9 {
            keys.push(self.pick("mil M = miles de millones", "B = billions"));
        }
        let base = match self.lang {
            Lang::Es => format!("Montos en {currency}"),
            Lang::En => format!("Amounts in {currency}"),
        };
        if keys.is_empty() {
            base
        } else {
            format!("{base} ({})", keys.join("; "))
        }
    }

    pub(crate) fn percent(&self, part: f64, whole: f64) -> String {
        let pct = if whole > 0.0 {
            part / whole * 100.0
        } else {
            0.0
        };
        let n = format::number(pct, 0);
        match self.lang {
            Lang::Es => format!("{n} %"),
            Lang::En => format!("{n}%"),
        }
    }

    /// "×12.5": how many times the cost came back as financing.
    pub(crate) fn times(&self, leverage: Option<f64>) -> String {
        match leverage {
            Some(l) => format!("×{}", format::number(l, if l < 10.0 { 2 } else { 1 })),
            None => "—".into(),
        }
    }

    /// The report's warnings, in the language.
    pub(crate) fn report_warnings(&self) -> Vec<String> {
        self.report
            .warnings
            .iter()
            .map(|w| w.text(self.lang))
            .collect()
    }

    /// The network's acronym and full name, from the report's rows.
    pub(crate) fn network_names(&self, network_id: &str) -> (String, String) {
        self.report
            .rows
            .iter()
            .find(|r| &*r.network_id == network_id)
            .map(|r| (r.network_acronym.to_string(), r.network_name.to_string()))
            .unwrap_or_default()
    }

    /// Title, unit · period · scope, warnings, source and data date. Returns the body.
    pub(crate) fn frame(
        &self,
        canvas: &Canvas,
        kind: ChartKind,
        unit: &str,
        extra: Option<&str>,
        warnings: &[String],
    ) -> Result<Rect> {
        let mut subtitle = format!(
            "{unit} · {} {} · {}",
            self.pick("Periodo", "Period"),
            self.period(),
            self.scope
        );
        if let Some(extra) = extra {
            subtitle.push_str(" · ");
            subtitle.push_str(extra);
        }
        let note = warnings.first().map(|first| {
            let prefix = self.pick("Aviso", "Warning");
            match warnings.len() {
                1 => format!("{prefix}: {first}."),
                n => format!(
                    "{prefix}: {first} ({} {}).",
                    self.pick("y", "and"),
                    labels::counted(
                        n as i64 - 1,
                        self.lang,
                        ("aviso más", "avisos más"),
                        ("more", "more")
                    )
                ),
            }
        });
        canvas.frame(&Frame {
            title: kind.title(self.lang),
            subtitle,
            source: self.source_line(),
            data_date: self.data_date_line(),
            note,
        })
    }

    /// The "no data for this period" chart: the whole frame and one clear sentence.
    /// With data warnings (amounts left out for a missing rate), the hint points at them
    /// rather than at the period.
    pub(crate) fn no_data(&self, canvas: &Canvas, kind: ChartKind, unit: &str) -> Result<Drawn> {
        let warnings = self.report_warnings();
        let body = self.frame(canvas, kind, unit, None, &warnings)?;
        let hint = if warnings.is_empty() {
            self.pick(
                "Elija otro periodo u otra ciudad.",
                "Choose another period or city.",
            )
        } else {
            self.pick(
                "Hay montos que no se pudieron convertir: vea el aviso al pie.",
                "Some amounts could not be converted: see the warning below.",
            )
        };
        canvas.no_data(
            body,
            self.pick("Sin datos para este periodo", "No data for this period"),
            hint,
        )?;
        Ok(Drawn {
            figures: Vec::new(),
            empty: true,
            warnings,
        })
    }

    pub(crate) fn figure(&self, label: impl Into<String>, value: impl Into<String>) -> KeyFigure {
        KeyFigure {
            label: label.into(),
            value: value.into(),
        }
    }
}
