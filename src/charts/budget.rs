//! Chart 8: this year's cost of each network against next fiscal year's proposal (the
//! budget cycle, issue 14). The proposal is the core's (`budget::proposal`) for the
//! fiscal year after the one the period ends in; this year is the fiscal year before it.

use std::cmp::Reverse;

use super::canvas::{
    okabe_ito as oi, size, ticks, Anchor, Canvas, LegendItem, Rect, Scale, Swatch, INK,
};
use super::cost_by_category::others_label;
use super::rows::{self, RowLabel, Rows};
use super::{ChartContext, ChartKind, Drawn};
use crate::budget::{BudgetProposal, BudgetQuery};
use crate::error::Result;

const THIS_YEAR: plotters::style::RGBColor = oi::GREY;
const PROPOSED: plotters::style::RGBColor = oi::BLUE;

/// The proposal the chart and the pack's budget page show: the fiscal year after the
/// one the report's period ends in, for the report's city and currency.
pub(crate) fn proposal_for(ctx: &ChartContext) -> Result<BudgetProposal> {
    let settings = ctx.store.budget_settings()?;
    let query = ctx.query();
    crate::budget::proposal(
        ctx.store,
        &BudgetQuery {
            fiscal_year: settings.year_of(query.to) + 1,
            city_id: query.city_id.clone(),
            currency: query.currency.clone(),
            as_of: query.to,
        },
    )
}

struct Pair {
    label: RowLabel,
    actual: i64,
    proposed: i64,
}

pub(super) fn draw(ctx: &ChartContext, canvas: &Canvas) -> Result<Drawn> {
    let proposal = proposal_for(ctx)?;
    draw_with(ctx, canvas, &proposal)
}

pub(crate) fn draw_with(ctx: &ChartContext, canvas: &Canvas, p: &BudgetProposal) -> Result<Drawn> {
    let kind = ChartKind::Budget;
    let lang = ctx.lang;
    let year = p.query.fiscal_year;
    let mut pairs: Vec<Pair> = p
        .by_network
        .iter()
        .filter(|n| n.actual_minor > 0 || n.proposed_minor > 0)
        .map(|n| {
            let (acronym, name) = ctx.network_names(&n.network_id);
            let acronym = if acronym.is_empty() {
                n.label.clone()
            } else {
                acronym
            };
            Pair {
                label: rows::network_label(acronym, name),
                actual: n.actual_minor,
                proposed: n.proposed_minor,
            }
        })
        .collect();
    pairs.sort_by_key(|x| Reverse(x.actual.max(x.proposed)));
    let warnings: Vec<String> = p.warnings.iter().map(|w| w.text(year, lang)).collect();
    let largest = pairs
        .iter()
        .map(|x| x.actual.max(x.proposed))
        .max()
        .unwrap_or(0);
    if pairs.is_empty() {
        return ctx.no_data(canvas, kind, &ctx.amount_unit(0.0));
    }
    let max_major = ctx.major(largest as f64);
    let unit = ctx.amount_unit(max_major);
    let fy = crate::budget::fiscal_year_text(&p.settings, year, lang);
    let extra = format!("{} {fy}", ctx.pick("Propuesta", "Proposal"));
    let body = ctx.frame(canvas, kind, &unit, Some(&extra), &warnings)?;
    let legend = [
        LegendItem {
            label: format!(
                "{} ({})",
                ctx.pick("Este año", "This year"),
                crate::budget::fiscal_year_text(&p.settings, year - 1, lang)
            ),
            swatch: Swatch::Fill(THIS_YEAR),
        },
        LegendItem {
            label: format!("{} {fy}", ctx.pick("Propuesta", "Proposal")),
            swatch: Swatch::Fill(PROPOSED),
        },
    ];
    let used = canvas.legend(&legend, body)?;
    let area = Rect {
        y0: body.y0 + used,
        ..body
    };
    let room = rows::capacity(canvas, area, true);
    if pairs.len() > room {
        // The smallest networks share the last row ("others"), so every one still counts.
        let rest = pairs.split_off(room.saturating_sub(1));
        pairs.push(Pair {
            label: RowLabel::new(others_label(rest.len(), lang), None),
            actual: rest
                .iter()
                .map(|x| x.actual)
                .fold(0i64, i64::saturating_add),
            proposed: rest
                .iter()
                .map(|x| x.proposed)
                .fold(0i64, i64::saturating_add),
        });
    }
    let labels: Vec<RowLabel> = pairs.iter().map(|x| x.label.clone()).collect();
    let layout = Rows::layout(canvas, area, &labels, true);
    let px = canvas.type_px(size::TEXT);
    let value = |v: i64| ctx.short(v as f64);
    let reserve = pairs
        .iter()
        .flat_map(|x| [value(x.actual), value(x.proposed)])
        .map(|l| super::font::text_width(&l, px, true))
        .fold(0.0, f64::max)
        + canvas.px(24.0);
    let max_major = pairs
        .iter()
        .map(|x| ctx.major(x.actual.max(x.proposed) as f64))
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
    canvas.x_axis(
        Rect {
            x1: scale.p1,
            ..layout.plot
        },
        scale,
        &tick_values,
        |v| crate::format::abbreviate(v, lang),
    )?;
    layout.draw_labels(canvas, &labels)?;
    for (i, pair) in pairs.iter().enumerate() {
        let (y0, y1) = layout.bar(i, 0.8);
        let mid = (y0 + y1) / 2.0;
        for (v, color, (a, b)) in [
            (pair.actual, THIS_YEAR, (y0, mid)),
            (pair.proposed, PROPOSED, (mid, y1)),
        ] {
            let x1 = scale.map(ctx.major(v as f64));
            if v > 0 {
                canvas.fill(
                    Rect {
                        x0: scale.map(0.0),
                        y0: a,
                        x1,
                        y1: b,
                    },
                    color,
                )?;
            }
            canvas.text(
                &value(v),
                (x1 + canvas.px(10.0), (a + b) / 2.0),
                px,
                true,
                INK,
                Anchor::LEFT,
            )?;
        }
    }

    let mut figures = vec![
        ctx.figure(ctx.pick("Este año", "This year"), ctx.money(p.actual_minor)),
        ctx.figure(
            format!("{} {fy}", ctx.pick("Propuesta", "Proposal")),
            ctx.money(p.proposed_minor),
        ),
        ctx.figure(
            ctx.pick("Diferencia con este año", "Difference from this year"),
            ctx.money(p.proposed_minor.saturating_sub(p.actual_minor)),
        ),
        ctx.figure(
            ctx.pick(
                "Ahorro de reducciones y salidas",
                "Saving of reductions and exits",
            ),
            ctx.money(p.saving_minor),
        ),
    ];
    for decision in [crate::model::Decision::Exit, crate::model::Decision::Reduce] {
        let names: Vec<&str> = p
            .rows
            .iter()
            .filter(|r| r.decision == decision)
            .map(|r| r.network_acronym.as_str())
            .collect();
        if !names.is_empty() {
            figures.push(ctx.figure(decision.label(lang), names.join(", ")));
        }
    }
    // The office's decisions that depart from the recommendation, with their reason.
    for r in p.rows.iter().filter(|r| r.overridden) {
        figures.push(ctx.figure(
            format!(
                "{} · {} ({})",
                r.network_acronym,
                r.decision.label(lang),
                ctx.pick("decisión de la oficina", "the office's decision")
            ),
            r.justification.clone().unwrap_or_default(),
        ));
    }
    Ok(Drawn {
        figures,
        empty: false,
        warnings,
    })
}
