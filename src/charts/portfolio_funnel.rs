//! Chart 6: the project portfolio by stage, from concept to completed: each stage's bar is
//! as wide as its estimated capital cost (converted to the reporting currency at the
//! period's end), with the number of projects and the amount written beside it. Dropped
//! projects are left out of the funnel and counted in the key figures.

use plotters::style::RGBColor;

use super::canvas::{okabe_ito as oi, size, Anchor, Canvas, LegendItem, Rect, Swatch, INK};
use super::font::text_width;
use super::labels;
use super::rows::{RowLabel, Rows};
use super::{ChartContext, ChartKind, Drawn};
use crate::error::Result;
use crate::format;
use crate::model::Stage;
use crate::portfolio;
use crate::roi::RoiWarning;

const FUNNEL: [Stage; 7] = [
    Stage::Concept,
    Stage::PreFeasibility,
    Stage::Feasibility,
    Stage::Bankable,
    Stage::FinancingSecured,
    Stage::Implementation,
    Stage::Completed,
];

/// Three groups of stages: still being prepared, ready for financiers, financed.
fn stage_color(s: Stage) -> RGBColor {
    match s {
        Stage::Concept | Stage::PreFeasibility | Stage::Feasibility => oi::SKY_BLUE,
        Stage::Bankable => oi::BLUE,
        _ => oi::BLUISH_GREEN,
    }
}

#[derive(Default, Clone)]
struct StageTotal {
    projects: i64,
    capex_minor: i64,
}

pub(super) fn draw(ctx: &ChartContext, canvas: &Canvas) -> Result<Drawn> {
    let kind = ChartKind::PortfolioFunnel;
    let lang = ctx.lang;
    let query = ctx.query();
    let projects = ctx.projects()?;
    let rates = ctx.store.rate_table()?;
    let mut stages = vec![StageTotal::default(); FUNNEL.len()];
    let mut dropped = 0i64;
    let mut warnings = ctx.report_warnings();
    let mut missing: Vec<RoiWarning> = Vec::new();
    for p in projects {
        // The portfolio as it stood at the period's end.
        if !portfolio::in_portfolio(p, Some(query.to)) {
            continue;
        }
        let Some(k) = FUNNEL.iter().position(|s| *s == p.stage) else {
            dropped += 1;
            continue;
        };
        stages[k].projects += 1;
        if let (Some(capex), Some(currency)) = (p.capex_minor, p.capex_currency.as_deref()) {
            match rates.convert(capex, currency, &query.currency, query.to) {
                // Saturating: a chart never wraps, whatever a file holds.
                Some(v) => stages[k].capex_minor = stages[k].capex_minor.saturating_add(v),
                None => missing.push(RoiWarning {
                    code: "missing_exchange_rate".into(),
                    subject: currency.to_string(),
                    on: Some(query.to),
                    label: String::new(),
                    related: Vec::new(),
                }),
            }
        }
    }
    missing.sort();
    missing.dedup();
    warnings.extend(missing.iter().map(|w| w.text(lang)));
    let total_projects: i64 = stages.iter().map(|s| s.projects).sum();
    let unit_amounts = |max: f64| ctx.amount_unit(max);
    if total_projects == 0 {
        return ctx.no_data(canvas, kind, &unit_amounts(0.0));
    }
    let total_capex: i64 = stages.iter().map(|s| s.capex_minor).sum();
    let max_capex = stages.iter().map(|s| s.capex_minor).max().unwrap_or(0);
    let body = ctx.frame(
        canvas,
        kind,
        &unit_amounts(ctx.major(max_capex as f64)),
        None,
        &warnings,
    )?;
    let legend = [
        (
            ctx.pick("En preparación", "In preparation"),
            stage_color(Stage::Concept),
        ),
        (
            ctx.pick("Financiable", "Bankable"),
            stage_color(Stage::Bankable),
        ),
        (
            ctx.pick("Con financiamiento", "Financed"),
            stage_color(Stage::Completed),
        ),
    ]
    .into_iter()
    .map(|(label, color)| LegendItem {
        label: label.to_string(),
        swatch: Swatch::Fill(color),
    })
    .collect::<Vec<_>>();
    let used = canvas.legend(&legend, body)?;
    let area = Rect {
        y0: body.y0 + used,
        ..body
    };
    let row_labels: Vec<RowLabel> = FUNNEL
        .iter()
        .map(|s| RowLabel::new(s.label(lang).to_string(), None))
        .collect();
    let layout = Rows::layout(canvas, area, &row_labels, false);
    layout.draw_labels(canvas, &row_labels)?;
    let px = canvas.type_px(size::TEXT);
    let texts: Vec<String> = stages
        .iter()
        .map(|s| {
            let count = labels::counted(
                s.projects,
                lang,
                ("proyecto", "proyectos"),
                ("project", "projects"),
            );
            if s.capex_minor > 0 {
                format!("{count} · {}", ctx.money(s.capex_minor))
            } else {
                count
            }
        })
        .collect();
    let reserve = texts
        .iter()
        .map(|t| text_width(t, px, true))
        .fold(0.0, f64::max)
        + canvas.px(24.0);
    let center = layout.plot.x0 + (layout.plot.w() - reserve) / 2.0;
    let half_max = (layout.plot.w() - reserve) / 2.0;
    // Width by capital cost; by number of projects when no cost was recorded at all.
    let share = |s: &StageTotal| -> f64 {
        if max_capex > 0 {
            s.capex_minor as f64 / max_capex as f64
        } else {
            let most = stages.iter().map(|s| s.projects).max().unwrap_or(1).max(1);
            s.projects as f64 / most as f64
        }
    };
    canvas.line(
        &[(center, layout.plot.y0), (center, layout.plot.y1)],
        super::canvas::GRID,
        canvas.px(2.0),
    )?;
    for (i, (stage, total)) in FUNNEL.iter().zip(&stages).enumerate() {
        let half = (half_max * share(total)).max(if total.projects > 0 {
            canvas.px(4.0)
        } else {
            0.0
        });
        let (y0, y1) = layout.bar(i, 0.78);
        canvas.fill(
            Rect {
                x0: center - half,
                y0,
                x1: center + half,
                y1,
            },
            stage_color(*stage),
        )?;
        canvas.text(
            &texts[i],
            (center + half + canvas.px(14.0), layout.center(i)),
            px,
            total.projects > 0,
            INK,
            Anchor::LEFT,
        )?;
    }

    let ready: i64 = stages[3..].iter().map(|s| s.capex_minor).sum();
    let ready_projects: i64 = stages[3..].iter().map(|s| s.projects).sum();
    let mut figures = vec![
        ctx.figure(
            ctx.pick("Proyectos en cartera", "Projects in the portfolio"),
            format::number(total_projects as f64, 0),
        ),
        ctx.figure(
            ctx.pick("Costo de capital estimado", "Estimated capital cost"),
            ctx.money(total_capex),
        ),
        ctx.figure(
            ctx.pick("Financiables o más avanzados", "Bankable or further"),
            format!(
                "{} · {}",
                labels::counted(
                    ready_projects,
                    lang,
                    ("proyecto", "proyectos"),
                    ("project", "projects")
                ),
                ctx.money(ready)
            ),
        ),
    ];
    if dropped > 0 {
        figures.push(ctx.figure(
            ctx.pick(
                "Proyectos descartados (fuera del embudo)",
                "Dropped projects (not shown)",
            ),
            format::number(dropped as f64, 0),
        ));
    }
    Ok(Drawn {
        figures,
        empty: false,
        warnings,
    })
}
