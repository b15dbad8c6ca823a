//! Chart 1: what taking part in each network cost, stacked by category. Amounts are the
//! report's per-network roll-ups (`RoiRollUp.cost`), largest first.

use std::cmp::Reverse;

use super::canvas::{okabe_ito as oi, ticks, Canvas, LegendItem, Rect, Scale, Swatch, INK};
use super::canvas::{size, Anchor};
use super::rows::{self, RowLabel, Rows};
use super::{ChartContext, ChartKind, Drawn};
use crate::error::Result;
use crate::model::CostCategory;
use crate::roi::CategoryCosts;
use plotters::style::RGBColor;

pub(crate) fn category_color(c: CostCategory) -> RGBColor {
    match c {
        CostCategory::Dues => oi::BLUE,
        CostCategory::Travel => oi::ORANGE,
        CostCategory::StaffTime => oi::BLUISH_GREEN,
        CostCategory::OfficialsTime => oi::REDDISH_PURPLE,
        CostCategory::Hosting => oi::SKY_BLUE,
        CostCategory::Other => oi::GREY,
    }
}

/// Adds `other` into `sum`, category by category, saturating (a chart never wraps).
fn add_costs(sum: &mut CategoryCosts, other: &CategoryCosts) {
    sum.dues = sum.dues.saturating_add(other.dues);
    sum.travel = sum.travel.saturating_add(other.travel);
    sum.staff_time = sum.staff_time.saturating_add(other.staff_time);
    sum.officials_time = sum.officials_time.saturating_add(other.officials_time);
    sum.hosting = sum.hosting.saturating_add(other.hosting);
    sum.other = sum.other.saturating_add(other.other);
}

struct Bar {
    label: RowLabel,
    cost: CategoryCosts,
    total: i64,
}

pub(super) fn draw(ctx: &ChartContext, canvas: &Canvas) -> Result<Drawn> {
    let kind = ChartKind::CostByCategory;
    let lang = ctx.lang;
    let totals = &ctx.report.totals;
    let mut bars: Vec<Bar> = ctx
        .report
        .by_network
        .iter()
        .filter(|n| n.cost_total_minor > 0)
        .map(|n| {
            let (acronym, name) = ctx.network_names(&n.id);
            Bar {
                label: rows::network_label(acronym, name),
                cost: n.cost.clone(),
                total: n.cost_total_minor,
            }
        })
        .collect();
    // Costs tied to no membership are money spent too: they have their own bar.
    let mut general = CategoryCosts::default();
    for g in &ctx.report.general {
        add_costs(&mut general, &g.cost);
    }
    let general_total = general.total().unwrap_or(i64::MAX);
    if general_total > 0 {
        bars.push(Bar {
            label: RowLabel::new(crate::explain::general_work_label(lang).to_string(), None),
            cost: general,
            total: general_total,
        });
    }
    bars.sort_by_key(|b| Reverse(b.total));
    let Some(largest) = bars.first() else {
        return ctx.no_data(canvas, kind, &ctx.amount_unit(0.0));
    };
    let max_major = ctx.major(largest.total as f64);
    let warnings = ctx.report_warnings();
    let unit = ctx.amount_unit(max_major);
    let body = ctx.frame(canvas, kind, &unit, None, &warnings)?;

    let categories: Vec<CostCategory> = CostCategory::ALL
        .iter()
        .copied()
        .filter(|c| totals.cost.get(*c) > 0)
        .collect();
    let legend: Vec<LegendItem> = categories
        .iter()
        .map(|c| LegendItem {
            label: c.label(lang).to_string(),
            swatch: Swatch::Fill(category_color(*c)),
        })
        .collect();
    let used = canvas.legend(&legend, body)?;
    let area = Rect {
        y0: body.y0 + used,
        ..body
    };

    let room = rows::capacity(canvas, area, true);
    if bars.len() > room {
        // The smallest networks share the last row, so every network still counts.
        let rest = bars.split_off(room.saturating_sub(1));
        let mut cost = CategoryCosts::default();
        for b in &rest {
            add_costs(&mut cost, &b.cost);
        }
        bars.push(Bar {
            label: RowLabel::new(others_label(rest.len(), lang), None),
            total: cost.total().unwrap_or(i64::MAX),
            cost,
        });
    }

    let labels_only: Vec<RowLabel> = bars.iter().map(|b| b.label.clone()).collect();
    let layout = Rows::layout(canvas, area, &labels_only, true);
    let px = canvas.type_px(size::TEXT);
    let value_labels: Vec<String> = bars.iter().map(|b| ctx.short(b.total as f64)).collect();
    let reserve = value_labels
        .iter()
        .map(|l| super::font::text_width(l, px, true))
        .fold(0.0, f64::max)
        + canvas.px(24.0);
    // The merged last row may be the longest.
    let max_major = bars
        .iter()
        .map(|b| ctx.major(b.total as f64))
        .fold(max_major, f64::max);
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
        p1: layout.plot.x1 - reserve,
    };
    let axis_area = Rect {
        x1: scale.p1,
        ..layout.plot
    };
    canvas.x_axis(axis_area, scale, &tick_values, |v| {
        crate::format::abbreviate(v, lang)
    })?;
    layout.draw_labels(canvas, &labels_only)?;

    for (i, bar) in bars.iter().enumerate() {
        let (y0, y1) = layout.bar(i, 0.72);
        let mut x = scale.map(0.0);
        for c in &categories {
            let value = ctx.major(bar.cost.get(*c) as f64);
            if value <= 0.0 {
                continue;
            }
            let x_end = x + scale.map(value) - scale.map(0.0);
            canvas.fill(
                Rect {
                    x0: x,
                    y0,
                    x1: x_end,
                    y1,
                },
                category_color(*c),
            )?;
            x = x_end;
        }
        canvas.text(
            &value_labels[i],
            (x + canvas.px(10.0), layout.center(i)),
            px,
            true,
            INK,
            Anchor::LEFT,
        )?;
    }

    let total = totals.cost_total_minor;
    let mut figures = vec![ctx.figure(ctx.pick("Costo total", "Total cost"), ctx.money(total))];
    for c in &categories {
        let v = totals.cost.get(*c);
        figures.push(ctx.figure(
            c.label(lang),
            format!("{} ({})", ctx.money(v), ctx.percent(v as f64, total as f64)),
        ));
    }
    if totals.general_cost_minor > 0 {
        figures.push(ctx.figure(
            crate::explain::general_work_label(lang),
            ctx.money(totals.general_cost_minor),
        ));
    }
    if let Some(costliest) = ctx
        .report
        .by_network
        .iter()
        .max_by_key(|n| n.cost_total_minor)
        .filter(|n| n.cost_total_minor > 0)
    {
        let (acronym, _) = ctx.network_names(&costliest.id);
        figures.push(ctx.figure(
            ctx.pick("Red de mayor costo", "Costliest network"),
            format!("{acronym} ({})", ctx.money(costliest.cost_total_minor)),
        ));
    }
    Ok(Drawn {
        figures,
        empty: false,
        warnings,
    })
}

/// "Otras 12 redes" / "12 other networks".
pub(crate) fn others_label(n: usize, lang: crate::format::Lang) -> String {
    match lang {
        crate::format::Lang::Es => format!("Otras {n} redes"),
        crate::format::Lang::En => format!("{n} other networks"),
    }
}
