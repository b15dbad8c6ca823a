//! Chart 2: per network, what it cost beside the financing committed through it, with the
//! months saved and the policies transferred in two columns at the right. Every figure
//! is the report's per-network roll-up.

use std::cmp::Reverse;

use super::canvas::{okabe_ito as oi, size, ticks, Anchor, Canvas, LegendItem, Rect, Scale};
use super::canvas::{Swatch, INK, MUTED};
use super::cost_by_category::others_label;
use super::font::text_width;
use super::rows::{self, RowLabel, Rows};
use super::{ChartContext, ChartKind, Drawn};
use crate::error::Result;
use crate::format;
use plotters::style::text_anchor::{HPos, VPos};

const COST: plotters::style::RGBColor = oi::ORANGE;
const FINANCING: plotters::style::RGBColor = oi::BLUE;

struct Row {
    label: RowLabel,
    cost: i64,
    committed: i64,
    months: f64,
    policies: f64,
}

pub(super) fn draw(ctx: &ChartContext, canvas: &Canvas) -> Result<Drawn> {
    let kind = ChartKind::CostVsReturn;
    let lang = ctx.lang;
    let totals = &ctx.report.totals;
    let mut networks: Vec<_> = ctx
        .report
        .by_network
        .iter()
        .filter(|n| {
            n.cost_total_minor > 0
                || n.financing_committed_minor > 0
                || n.months_saved > 0.0
                || n.policies_transferred > 0.0
        })
        .collect();
    if networks.is_empty() {
        return ctx.no_data(canvas, kind, &ctx.amount_unit(0.0));
    }
    networks.sort_by_key(|n| {
        (
            Reverse(n.financing_committed_minor),
            Reverse(n.cost_total_minor),
        )
    });
    let warnings = ctx.report_warnings();
    let mut rows_data: Vec<Row> = networks
        .iter()
        .map(|n| {
            let (acronym, name) = ctx.network_names(&n.id);
            Row {
                label: rows::network_label(acronym, name),
                cost: n.cost_total_minor,
                committed: n.financing_committed_minor,
                months: n.months_saved,
                policies: n.policies_transferred,
            }
        })
        .collect();
    let max_of = |rows: &[Row]| {
        rows.iter()
            .map(|r| ctx.major(r.cost.max(r.committed) as f64))
            .fold(0.0, f64::max)
    };
    let body = ctx.frame(
        canvas,
        kind,
        &ctx.amount_unit(max_of(&rows_data)),
        None,
        &warnings,
    )?;
    let legend = [
        LegendItem {
            label: ctx
                .pick("Costo de participación", "Cost of taking part")
                .to_string(),
            swatch: Swatch::Fill(COST),
        },
        LegendItem {
            label: ctx
                .pick("Financiamiento comprometido", "Financing committed")
                .to_string(),
            swatch: Swatch::Fill(FINANCING),
        },
    ];
    let px = canvas.type_px(size::TEXT);

    // Two right-aligned columns at the right: months saved, policies transferred. Their
    // headers share the legend's line; widths allow for a merged "other networks" row.
    let headers = [
        ctx.pick("Meses ahorrados", "Months saved"),
        ctx.pick("Políticas", "Policies"),
    ];
    let count_text = |v: f64| {
        if v > 0.0 {
            format::count(v)
        } else {
            "—".to_string()
        }
    };
    let all_months: f64 = rows_data.iter().map(|r| r.months).sum();
    let all_policies: f64 = rows_data.iter().map(|r| r.policies).sum();
    let column_w = |k: usize| {
        rows_data
            .iter()
            .map(|r| if k == 0 { r.months } else { r.policies })
            .chain([if k == 0 { all_months } else { all_policies }])
            .map(|v| text_width(&count_text(v), px, true))
            .fold(text_width(headers[k], px, true), f64::max)
    };
    let gap = canvas.px(36.0);
    let policies_right = body.x1;
    let months_right = policies_right - column_w(1) - gap;
    let columns_left = months_right - column_w(0);
    let used = canvas.legend(
        &legend,
        Rect {
            x1: columns_left - gap,
            ..body
        },
    )?;
    for (header, right) in headers.iter().zip([months_right, policies_right]) {
        canvas.text(
            header,
            (right, body.y0 + px * 0.8),
            px,
            true,
            MUTED,
            Anchor(HPos::Right, VPos::Center),
        )?;
    }
    let area = Rect {
        y0: body.y0 + used.max(px * 1.6 + canvas.px(8.0)),
        ..body
    };
    let room = rows::capacity(canvas, area, true);
    if rows_data.len() > room {
        let rest = rows_data.split_off(room.saturating_sub(1));
        rows_data.push(Row {
            label: RowLabel::new(others_label(rest.len(), lang), None),
            cost: rest.iter().map(|r| r.cost).sum(),
            committed: rest.iter().map(|r| r.committed).sum(),
            months: rest.iter().map(|r| r.months).sum(),
            policies: rest.iter().map(|r| r.policies).sum(),
        });
    }
    let max_major = max_of(&rows_data);
    let row_labels: Vec<RowLabel> = rows_data.iter().map(|r| r.label.clone()).collect();
    let layout = Rows::layout(canvas, area, &row_labels, true);

    // Amounts are written at the bar ends when a row has room for two lines of type.
    let amounts_fit = layout.band >= px * 2.3;
    let amount_w = if amounts_fit {
        rows_data
            .iter()
            .flat_map(|r| [r.cost, r.committed])
            .map(|v| text_width(&ctx.short(v as f64), px, false))
            .fold(0.0, f64::max)
            + canvas.px(16.0)
    } else {
        0.0
    };
    let tick_values = ticks(max_major, 6);
    let top = tick_values
        .last()
        .copied()
        .unwrap_or(max_major)
        .max(max_major);
    let scale = Scale {
        d0: 0.0,
        d1: top,
        p0: layout.plot.x0,
        p1: columns_left - gap - amount_w,
    };
    canvas.x_axis(
        Rect {
            x1: scale.p1,
            ..layout.plot
        },
        scale,
        &tick_values,
        |v| format::abbreviate(v, lang),
    )?;
    layout.draw_labels(canvas, &row_labels)?;

    for (i, row) in rows_data.iter().enumerate() {
        let c = layout.center(i);
        let (y0, y1) = layout.bar(i, 0.8);
        let bars = [(row.cost, COST, y0, c), (row.committed, FINANCING, c, y1)];
        for (value, color, y0, y1) in bars {
            let x1 = scale.map(ctx.major(value as f64));
            canvas.fill(
                Rect {
                    x0: scale.p0,
                    y0,
                    x1,
                    y1,
                },
                color,
            )?;
            if amounts_fit {
                canvas.text(
                    &ctx.short(value as f64),
                    (x1 + canvas.px(8.0), (y0 + y1) / 2.0),
                    px,
                    false,
                    INK,
                    Anchor::LEFT,
                )?;
            }
        }
        for (value, right) in [(row.months, months_right), (row.policies, policies_right)] {
            canvas.text(
                &count_text(value),
                (right, c),
                px,
                value > 0.0,
                if value > 0.0 { INK } else { MUTED },
                Anchor::RIGHT,
            )?;
        }
    }

    let figures = vec![
        ctx.figure(
            ctx.pick("Costo total", "Total cost"),
            ctx.money(totals.cost_total_minor),
        ),
        ctx.figure(
            ctx.pick("Financiamiento comprometido", "Financing committed"),
            ctx.money(totals.financing_committed_minor),
        ),
        ctx.figure(
            ctx.pick("Financiamiento desembolsado", "Financing disbursed"),
            ctx.money(totals.financing_disbursed_minor),
        ),
        ctx.figure(
            ctx.pick(
                "Apalancamiento (comprometido ÷ costo)",
                "Leverage (committed ÷ cost)",
            ),
            ctx.times(totals.leverage),
        ),
        ctx.figure(
            ctx.pick(
                "Equivalente en donación (comprometido × elemento de donación)",
                "Grant equivalent (committed × grant element)",
            ),
            ctx.money(totals.grant_equivalent_minor),
        ),
        ctx.figure(
            ctx.pick(
                "Apalancamiento en equivalente en donación",
                "Leverage on the grant equivalent",
            ),
            ctx.times(
                (totals.cost_total_minor > 0)
                    .then(|| totals.grant_equivalent_minor as f64 / totals.cost_total_minor as f64),
            ),
        ),
        ctx.figure(
            ctx.pick("Meses ahorrados en proyectos", "Months saved on projects"),
            format::count(totals.months_saved),
        ),
        ctx.figure(
            ctx.pick("Políticas transferidas", "Policies transferred"),
            format::count(totals.policies_transferred),
        ),
    ];
    Ok(Drawn {
        figures,
        empty: false,
        warnings,
    })
}
