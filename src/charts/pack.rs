//! The council pack: one PDF with a title page and the chosen charts, one per landscape
//! page, each with its key figures as a short table under it. svg2pdf only converts
//! drawings, so the title page and the chart pages are composed as SVG documents (text
//! and rectangles around the chart's own SVG) and converted like every chart.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::canvas::fit;
use super::font::{text_width, FONT_FAMILY};
use super::{Chart, ChartContext, ChartKind};
use crate::error::Result;
use crate::format::{self, Lang};
use crate::roi::RoiQuery;
use crate::store::Store;

/// Page size of the composed pages, in SVG pixels: A4 landscape proportions.
const PAGE_W: f64 = 1920.0;
const PAGE_H: f64 = 1358.0;
/// Height the chart is drawn at on its page; the key figures go under it.
const CHART_H: u32 = 1000;
const MARGIN: f64 = 64.0;
/// The budget page's chart is shorter: the proposal's table goes under it.
const BUDGET_CHART_H: u32 = 720;

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct PackRequest {
    pub query: RoiQuery,
    #[serde(default)]
    pub lang: Lang,
    /// The charts, in order; empty means all eight.
    #[serde(default)]
    pub charts: Vec<ChartKind>,
    /// The date printed on the title page (default: today).
    #[serde(default)]
    pub generated_on: Option<NaiveDate>,
}

/// The council pack as a PDF.
pub fn council_pack(store: &Store, request: &PackRequest) -> Result<Vec<u8>> {
    super::pdf(&pack_pages(store, request)?)
}

/// The pack's pages as SVG documents (title page first), for a preview.
pub fn pack_pages(store: &Store, request: &PackRequest) -> Result<Vec<String>> {
    crate::format::with_number_format(store.office().number_format, || {
        pack_pages_in(store, request)
    })
}

fn pack_pages_in(store: &Store, request: &PackRequest) -> Result<Vec<String>> {
    let context = ChartContext::new(store, &request.query, request.lang)?;
    let kinds: Vec<ChartKind> = if request.charts.is_empty() {
        ChartKind::ALL.to_vec()
    } else {
        request.charts.clone()
    };
    // The budget page holds its chart and the proposal's table, under one proposal.
    let proposal = if kinds.contains(&ChartKind::Budget) {
        Some(super::budget::proposal_for(&context)?)
    } else {
        None
    };
    let charts = kinds
        .iter()
        .map(|k| match (k, &proposal) {
            (ChartKind::Budget, Some(p)) => context.draw_budget(p, PAGE_W as u32, BUDGET_CHART_H),
            _ => context.draw(*k, PAGE_W as u32, CHART_H),
        })
        .collect::<Result<Vec<Chart>>>()?;
    let generated_on = request
        .generated_on
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let total = charts.len() + 1;
    let mut pages = vec![title_page(&context, &charts, generated_on, total)];
    for (i, chart) in charts.iter().enumerate() {
        pages.push(match (chart.kind, &proposal) {
            (ChartKind::Budget, Some(p)) => budget_page(&context, chart, p, i + 2, total),
            _ => chart_page(&context, chart, i + 2, total),
        });
    }
    Ok(pages)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

/// A page under construction: text and rectangles in SVG pixels.
struct Page {
    body: String,
}

impl Page {
    fn new() -> Page {
        Page {
            body: String::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn text(&mut self, text: &str, x: f64, y: f64, px: f64, bold: bool, color: &str, anchor: &str) {
        let _ = write!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}" font-family="{FONT_FAMILY}" font-size="{px:.1}" font-weight="{}" fill="{color}" text-anchor="{anchor}">{}</text>"#,
            if bold { "bold" } else { "normal" },
            escape(text)
        );
        self.body.push('\n');
    }

    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, color: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{color}"/>"#
        );
    }

    fn finish(self) -> String {
        format!(
            r##"<svg width="{PAGE_W}" height="{PAGE_H}" viewBox="0 0 {PAGE_W} {PAGE_H}" xmlns="http://www.w3.org/2000/svg">
<rect x="0" y="0" width="{PAGE_W}" height="{PAGE_H}" fill="#FFFFFF"/>
{}</svg>
"##,
            self.body
        )
    }
}

const INK: &str = "#1A1A1A";
const MUTED: &str = "#555555";
const ACCENT: &str = "#0072B2";
const WARNING: &str = "#A33F00";
const STRIPE: &str = "#F2F2F2";

fn page_footer(page: &mut Page, context: &ChartContext, number: usize, total: usize) {
    let lang = context.lang;
    let text = match lang {
        Lang::Es => format!("Cabildo · {} · página {number} de {total}", context.scope),
        Lang::En => format!("Cabildo · {} · page {number} of {total}", context.scope),
    };
    page.text(
        &text,
        PAGE_W - MARGIN,
        PAGE_H - 28.0,
        24.0,
        false,
        MUTED,
        "end",
    );
}

fn title_page(context: &ChartContext, charts: &[Chart], on: NaiveDate, total: usize) -> String {
    let lang = context.lang;
    let mut page = Page::new();
    page.rect(0.0, 0.0, PAGE_W, 28.0, ACCENT);
    let mut y = 150.0;
    page.text(
        &context.store.office().name,
        MARGIN,
        y,
        30.0,
        false,
        MUTED,
        "start",
    );
    y += 90.0;
    let title = context.pick(
        "Redes internacionales de la ciudad: costo y retorno",
        "The city's international networks: cost and return",
    );
    for line in super::canvas::wrap(title, PAGE_W - 2.0 * MARGIN, 68.0, true, 2) {
        page.text(&line, MARGIN, y, 68.0, true, INK, "start");
        y += 84.0;
    }
    page.text(
        context.pick(
            "Informe para la sesión de cabildo",
            "Pack for the council session",
        ),
        MARGIN,
        y,
        40.0,
        false,
        ACCENT,
        "start",
    );
    y += 100.0;
    let language = match lang {
        Lang::Es => "Español",
        Lang::En => "English",
    };
    let details = [
        (context.pick("Ciudad", "City"), context.scope.clone()),
        (context.pick("Periodo", "Period"), context.period()),
        (
            context.pick("Moneda", "Currency"),
            context.currency().to_string(),
        ),
        (
            context.pick("Fecha del informe", "Date of the pack"),
            format::date(on, lang),
        ),
        (
            context.pick("Datos al", "Data as of"),
            context
                .data_date()
                .map(|d| format::date(d, lang))
                .unwrap_or_else(|| "—".into()),
        ),
        (context.pick("Idioma", "Language"), language.to_string()),
    ];
    let label_w = details
        .iter()
        .map(|(l, _)| text_width(l, 32.0, false))
        .fold(0.0, f64::max)
        + 40.0;
    for (label, value) in &details {
        page.text(label, MARGIN, y, 32.0, false, MUTED, "start");
        let value = fit(value, PAGE_W - 2.0 * MARGIN - label_w, 32.0, true);
        page.text(&value, MARGIN + label_w, y, 32.0, true, INK, "start");
        y += 52.0;
    }
    y += 40.0;
    page.text(
        context.pick("Gráficas", "Charts"),
        MARGIN,
        y,
        32.0,
        true,
        INK,
        "start",
    );
    y += 50.0;
    for (i, chart) in charts.iter().enumerate() {
        let mut line = format!("{}. {}", i + 1, chart.title);
        if chart.empty {
            line.push_str(&format!(
                " — {}",
                context.pick("sin datos para este periodo", "no data for this period")
            ));
        }
        page.text(&line, MARGIN + 24.0, y, 28.0, false, INK, "start");
        y += 42.0;
    }
    let warnings = context.report_warnings();
    if !warnings.is_empty() && y < PAGE_H - 160.0 {
        y += 20.0;
        page.text(
            context.pick("Avisos sobre los datos", "Warnings about the data"),
            MARGIN,
            y,
            26.0,
            true,
            WARNING,
            "start",
        );
        y += 40.0;
        for w in &warnings {
            if y > PAGE_H - 120.0 {
                break;
            }
            let line = fit(w, PAGE_W - 2.0 * MARGIN - 24.0, 24.0, false);
            page.text(&line, MARGIN + 24.0, y, 24.0, false, WARNING, "start");
            y += 36.0;
        }
    }
    let source = fit(&context.source_line(), PAGE_W - 2.0 * MARGIN, 24.0, false);
    page.text(&source, MARGIN, PAGE_H - 70.0, 24.0, false, MUTED, "start");
    page_footer(&mut page, context, 1, total);
    page.finish()
}

/// The chart's SVG without its outer `<svg>` element, to be placed inside a page.
fn inner_svg(svg: &str) -> &str {
    let start = svg
        .find("<svg")
        .and_then(|i| svg[i..].find('>').map(|j| i + j + 1))
        .unwrap_or(0);
    let end = svg.rfind("</svg>").unwrap_or(svg.len());
    if start <= end {
        &svg[start..end]
    } else {
        ""
    }
}

fn chart_page(context: &ChartContext, chart: &Chart, number: usize, total: usize) -> String {
    let mut page = Page::new();
    page.body.push_str(inner_svg(&chart.svg));
    page.body.push('\n');
    let mut y = f64::from(CHART_H) + 40.0;
    page.text(
        context.pick("Cifras clave", "Key figures"),
        MARGIN,
        y,
        28.0,
        true,
        INK,
        "start",
    );
    y += 20.0;
    let row_h = 40.0;
    let col_gap = 48.0;
    let col_w = (PAGE_W - 2.0 * MARGIN - col_gap) / 2.0;
    let rows_per_col = ((PAGE_H - 70.0 - y) / row_h).floor().max(1.0) as usize;
    if chart.figures.is_empty() {
        page.text(
            context.pick("Sin datos para este periodo.", "No data for this period."),
            MARGIN,
            y + 30.0,
            24.0,
            false,
            MUTED,
            "start",
        );
    }
    for (i, figure) in chart.figures.iter().take(rows_per_col * 2).enumerate() {
        let (col, row) = (i / rows_per_col, i % rows_per_col);
        let x = MARGIN + col as f64 * (col_w + col_gap);
        let top = y + row as f64 * row_h;
        if row % 2 == 0 {
            page.rect(x, top, col_w, row_h, STRIPE);
        }
        let value = fit(&figure.value, col_w * 0.5, 24.0, true);
        let value_w = text_width(&value, 24.0, true);
        let label = fit(&figure.label, col_w - value_w - 40.0, 24.0, false);
        page.text(&label, x + 12.0, top + 28.0, 24.0, false, MUTED, "start");
        page.text(&value, x + col_w - 12.0, top + 28.0, 24.0, true, INK, "end");
    }
    page_footer(&mut page, context, number, total);
    page.finish()
}

/// The budget proposal's page: its chart, then per membership the decision, this
/// year's cost, the proposal and the saving; a decision of the office that departs
/// from the recommendation is marked and its justification written out.
fn budget_page(
    context: &ChartContext,
    chart: &Chart,
    p: &crate::budget::BudgetProposal,
    number: usize,
    total: usize,
) -> String {
    let lang = context.lang;
    let mut page = Page::new();
    page.body.push_str(inner_svg(&chart.svg));
    page.body.push('\n');
    let money = |v: i64| format::money_short(v, &p.query.currency, lang);
    let mut y = f64::from(BUDGET_CHART_H) + 36.0;
    // Name and decision from the left; the three amounts right-aligned.
    let (name_x, decision_x) = (MARGIN + 12.0, 900.0);
    let rights = [1380.0, 1640.0, PAGE_W - MARGIN - 12.0];
    page.text(
        context.pick("Membresía", "Membership"),
        name_x,
        y,
        24.0,
        true,
        INK,
        "start",
    );
    page.text(
        context.pick("Decisión", "Decision"),
        decision_x,
        y,
        24.0,
        true,
        INK,
        "start",
    );
    for (head, x) in [
        context.pick("Este año", "This year"),
        context.pick("Propuesta", "Proposed"),
        context.pick("Ahorro", "Saving"),
    ]
    .iter()
    .zip(rights)
    {
        page.text(head, x, y, 24.0, true, INK, "end");
    }
    y += 12.0;
    let row_h = 38.0;
    let bottom = PAGE_H - 80.0;
    let mut shown = 0;
    for r in &p.rows {
        let lines: Vec<String> = match (&r.justification, r.overridden) {
            (Some(j), true) => super::canvas::wrap(
                &format!(
                    "* {}: {j}",
                    context.pick("Decisión de la oficina", "The office's decision")
                ),
                PAGE_W - 2.0 * MARGIN - 48.0,
                24.0,
                false,
                3,
            ),
            _ => Vec::new(),
        };
        let need = row_h + lines.len() as f64 * 32.0;
        if y + need > bottom {
            break;
        }
        if shown % 2 == 0 {
            page.rect(MARGIN, y, PAGE_W - 2.0 * MARGIN, need, STRIPE);
        }
        let base = y + 27.0;
        let name = fit(
            &format!("{} · {}", r.network_acronym, r.city_name),
            decision_x - name_x - 24.0,
            24.0,
            false,
        );
        page.text(&name, name_x, base, 24.0, false, INK, "start");
        let mark = if r.overridden { " *" } else { "" };
        let color = match r.decision {
            crate::model::Decision::Exit | crate::model::Decision::Reduce => WARNING,
            _ => INK,
        };
        page.text(
            &format!("{}{mark}", r.decision.label(lang)),
            decision_x,
            base,
            24.0,
            true,
            color,
            "start",
        );
        page.text(
            &money(r.actual_minor),
            rights[0],
            base,
            24.0,
            false,
            INK,
            "end",
        );
        page.text(
            &money(r.proposed_minor),
            rights[1],
            base,
            24.0,
            true,
            INK,
            "end",
        );
        page.text(
            &money(r.saving_minor),
            rights[2],
            base,
            24.0,
            false,
            MUTED,
            "end",
        );
        let mut ly = base + 32.0;
        for line in &lines {
            page.text(line, name_x + 24.0, ly, 24.0, false, MUTED, "start");
            ly += 32.0;
        }
        y += need;
        shown += 1;
    }
    if shown < p.rows.len() {
        let more = match lang {
            Lang::Es => format!(
                "… y {} membresías más (la hoja Presupuesto del Excel las tiene todas)",
                p.rows.len() - shown
            ),
            Lang::En => format!(
                "… and {} more memberships (the Budget sheet of the Excel export has them all)",
                p.rows.len() - shown
            ),
        };
        page.text(&more, MARGIN + 12.0, y + 28.0, 24.0, false, MUTED, "start");
        y += 40.0;
    }
    let totals = match lang {
        Lang::Es => format!(
            "Total: este año {}, propuesta {}, ahorro de reducciones y salidas {}",
            money(p.actual_minor),
            money(p.proposed_minor),
            money(p.saving_minor)
        ),
        Lang::En => format!(
            "Total: this year {}, proposed {}, saving of reductions and exits {}",
            money(p.actual_minor),
            money(p.proposed_minor),
            money(p.saving_minor)
        ),
    };
    if y + 40.0 < PAGE_H - 50.0 {
        page.text(&totals, MARGIN + 12.0, y + 36.0, 24.0, true, INK, "start");
    }
    page_footer(&mut page, context, number, total);
    page.finish()
}
