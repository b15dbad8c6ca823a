//! Chart 3: financing committed through the networks, accumulated over the period and
//! stacked by instrument, with the accumulated disbursed amount as a dashed line. Each
//! step is one attributed outcome credited by the ROI engine's own rule
//! (`roi::financing_credit`), so the last step equals the report's totals.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Months, NaiveDate};
use plotters::style::RGBColor;

use super::canvas::{okabe_ito as oi, size, ticks, Anchor, Canvas, LegendItem, Rect, Scale};
use super::canvas::{Swatch, INK};
use super::font::text_width;
use super::labels;
use super::{ChartContext, ChartKind, Drawn};
use crate::error::Result;
use crate::format::{self, Lang};
use crate::model::{Instrument, OutcomeKind};
use crate::roi::{financing_credit, FinancingCredit};

fn instrument_color(i: Option<Instrument>) -> RGBColor {
    match i {
        Some(Instrument::Grant) => oi::BLUISH_GREEN,
        Some(Instrument::ConcessionalLoan) => oi::BLUE,
        Some(Instrument::Loan) => oi::SKY_BLUE,
        Some(Instrument::Guarantee) => oi::REDDISH_PURPLE,
        Some(Instrument::Equity) => oi::ORANGE,
        Some(Instrument::TechnicalAssistance) => oi::YELLOW,
        None => oi::GREY,
    }
}

/// Order of the stack, bottom first; outcomes without an instrument on top.
fn instrument_order() -> Vec<Option<Instrument>> {
    Instrument::ALL
        .iter()
        .copied()
        .map(Some)
        .chain(std::iter::once(None))
        .collect()
}

/// The accumulated amounts just after one date, in major units.
struct Cumulative {
    on: NaiveDate,
    committed: Vec<f64>,
    disbursed: f64,
}

struct Credit {
    on: NaiveDate,
    instrument: Option<Instrument>,
    committed: f64,
    disbursed: f64,
}

pub(crate) fn day(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

/// First days of months between `from` and `to`, every 1, 2, 3, 6, 12 or 24 months so
/// that at most `max` fall in the range.
pub(crate) fn date_ticks(from: NaiveDate, to: NaiveDate, max: usize) -> (Vec<NaiveDate>, u32) {
    let months = ((to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32).max(1);
    let step = [1u32, 2, 3, 6, 12, 24, 60, 120]
        .into_iter()
        .find(|s| months as f64 / f64::from(*s) <= max as f64)
        .unwrap_or(120);
    let mut d = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).unwrap_or(from);
    let mut out = Vec::new();
    while d <= to {
        let index = i64::from(d.year()) * 12 + i64::from(d.month0());
        if d >= from && index % i64::from(step) == 0 {
            out.push(d);
        }
        match d.checked_add_months(Months::new(1)) {
            Some(next) => d = next,
            None => break,
        }
    }
    (out, step)
}

/// A date tick's label: the month and year, or only the year for yearly ticks.
pub(crate) fn date_label(d: NaiveDate, step: u32, lang: Lang) -> String {
    if step >= 12 {
        d.year().to_string()
    } else {
        format::month_year(d, lang)
    }
}

pub(super) fn draw(ctx: &ChartContext, canvas: &Canvas) -> Result<Drawn> {
    let kind = ChartKind::FinancingOverTime;
    let lang = ctx.lang;
    let query = ctx.query();
    let totals = &ctx.report.totals;
    let rates = ctx.store.rate_table()?;
    let city = query.city_id.as_deref();
    // The attributions the report read, walked by its memberships.
    let outcomes = ctx.store.report_outcomes(query.to, city)?;
    let mut memberships: HashSet<&str> = HashSet::new();
    let mut credits: Vec<(Credit, i64)> = Vec::new();
    let mut outcome_rowids: HashSet<i64> = HashSet::new();
    for row in &ctx.report.rows {
        if !memberships.insert(&row.membership_id) {
            continue;
        }
        for (o, share) in outcomes.of_membership(&row.membership_id, query.to, city) {
            let facts = &o.facts;
            if facts.kind != OutcomeKind::Financing || facts.occurred_on < query.from {
                continue;
            }
            if let FinancingCredit::Amounts {
                committed,
                disbursed,
            } = financing_credit(facts, share, &query.currency, &rates)
            {
                if committed > 0.0 || disbursed > 0.0 {
                    outcome_rowids.insert(o.rowid);
                    let credit = Credit {
                        on: facts.occurred_on,
                        instrument: facts.financing().instrument,
                        committed,
                        disbursed,
                    };
                    credits.push((credit, o.rowid));
                }
            }
        }
    }
    // By date, then outcome: the order the engine reads them in.
    credits.sort_by_key(|(c, rowid)| (c.on, *rowid));
    let credits: Vec<Credit> = credits.into_iter().map(|(c, _)| c).collect();
    if credits.is_empty() {
        return ctx.no_data(canvas, kind, &ctx.amount_unit(0.0));
    }
    let order: Vec<Option<Instrument>> = instrument_order()
        .into_iter()
        .filter(|i| {
            credits
                .iter()
                .any(|c| c.instrument == *i && c.committed > 0.0)
        })
        .collect();

    // Cumulative value of each instrument and of the disbursed total after each date.
    let mut by_date: BTreeMap<NaiveDate, (Vec<f64>, f64)> = BTreeMap::new();
    for c in &credits {
        let entry = by_date
            .entry(c.on)
            .or_insert_with(|| (vec![0.0; order.len()], 0.0));
        if let Some(k) = order.iter().position(|i| *i == c.instrument) {
            entry.0[k] += c.committed;
        }
        entry.1 += c.disbursed;
    }
    let mut cumulative: Vec<Cumulative> = Vec::new();
    let (mut running, mut disbursed_minor) = (vec![0.0; order.len()], 0.0);
    for (on, (add, add_disbursed)) in &by_date {
        for (r, a) in running.iter_mut().zip(add) {
            *r += *a;
        }
        disbursed_minor += *add_disbursed;
        cumulative.push(Cumulative {
            on: *on,
            committed: running.iter().map(|v| ctx.major(*v)).collect(),
            disbursed: ctx.major(disbursed_minor),
        });
    }
    let final_committed = ctx.major(running.iter().sum());
    let disbursed = ctx.major(disbursed_minor);
    let max_major = final_committed.max(disbursed);
    let warnings = ctx.report_warnings();
    let body = ctx.frame(canvas, kind, &ctx.amount_unit(max_major), None, &warnings)?;

    let mut legend: Vec<LegendItem> = order
        .iter()
        .map(|i| LegendItem {
            label: format!(
                "{} ({})",
                labels::instrument(*i, lang),
                ctx.pick("comprometido", "committed")
            ),
            swatch: Swatch::Fill(instrument_color(*i)),
        })
        .collect();
    legend.push(LegendItem {
        label: ctx.pick("Desembolsado", "Disbursed").to_string(),
        swatch: Swatch::Line(oi::BLACK, true),
    });
    let used = canvas.legend(&legend, body)?;

    let px = canvas.type_px(size::TEXT);
    let tick_values = ticks(max_major, 5);
    let top = tick_values
        .last()
        .copied()
        .unwrap_or(max_major)
        .max(max_major);
    let tick_w = tick_values
        .iter()
        .map(|v| text_width(&format::abbreviate(*v, lang), px, false))
        .fold(0.0, f64::max);
    let end_labels = [
        format!(
            "{}: {}",
            ctx.pick("Comprometido", "Committed"),
            ctx.short(totals.financing_committed_minor as f64)
        ),
        format!(
            "{}: {}",
            ctx.pick("Desembolsado", "Disbursed"),
            ctx.short(totals.financing_disbursed_minor as f64)
        ),
    ];
    let end_w = end_labels
        .iter()
        .map(|l| text_width(l, px, true))
        .fold(0.0, f64::max);
    let plot = Rect {
        x0: body.x0 + tick_w + canvas.px(16.0),
        y0: body.y0 + used + canvas.px(8.0),
        x1: body.x1 - end_w - canvas.px(20.0),
        y1: body.y1 - px * 1.7,
    };
    let y = Scale {
        d0: 0.0,
        d1: top,
        p0: plot.y1,
        p1: plot.y0,
    };
    let x = Scale {
        d0: day(query.from),
        d1: day(query.to),
        p0: plot.x0,
        p1: plot.x1,
    };
    canvas.y_axis(plot, y, &tick_values, |v| format::abbreviate(v, lang))?;
    let max_ticks = (plot.w() / canvas.px(260.0)).floor().max(2.0) as usize;
    let (date_values, step) = date_ticks(query.from, query.to, max_ticks);
    let day_values: Vec<f64> = date_values.iter().map(|d| day(*d)).collect();
    canvas.x_axis(plot, x, &day_values, |v| {
        let d = NaiveDate::from_num_days_from_ce_opt(v as i32).unwrap_or(query.from);
        date_label(d, step, lang)
    })?;

    // Step outline of a cumulative series: flat until each date, then up.
    let steps = |value: &dyn Fn(&Cumulative) -> f64| -> Vec<(f64, f64)> {
        let mut points = vec![(x.map(day(query.from)), y.map(0.0))];
        let mut previous = 0.0;
        for point in &cumulative {
            let px_x = x.map(day(point.on));
            let v = value(point);
            points.push((px_x, y.map(previous)));
            points.push((px_x, y.map(v)));
            previous = v;
        }
        points.push((x.map(day(query.to)), y.map(previous)));
        points
    };
    for k in (0..order.len()).rev() {
        let upper = steps(&|p| p.committed[..=k].iter().sum());
        let mut polygon = upper.clone();
        polygon.push((x.map(day(query.to)), y.map(0.0)));
        polygon.push((x.map(day(query.from)), y.map(0.0)));
        canvas.polygon(&polygon, instrument_color(order[k]))?;
    }
    let line = steps(&|p| p.disbursed);
    canvas.dashed(&line, oi::BLACK, canvas.px(4.0))?;
    canvas.line(
        &[(plot.x0, plot.y1), (plot.x1, plot.y1)],
        INK,
        canvas.px(2.0),
    )?;

    // Final values at the right end, pushed apart when they would touch.
    let mut y_committed = y.map(final_committed);
    let mut y_disbursed = y.map(disbursed);
    let gap = px * 1.3;
    if (y_disbursed - y_committed).abs() < gap {
        let mid = (y_disbursed + y_committed) / 2.0;
        y_committed = mid - gap / 2.0;
        y_disbursed = mid + gap / 2.0;
    }
    for (text, at) in end_labels.iter().zip([y_committed, y_disbursed]) {
        canvas.text(
            text,
            (plot.x1 + canvas.px(12.0), at),
            px,
            true,
            INK,
            Anchor::LEFT,
        )?;
    }

    let mut figures = vec![
        ctx.figure(
            ctx.pick("Financiamiento comprometido", "Financing committed"),
            ctx.money(totals.financing_committed_minor),
        ),
        ctx.figure(
            ctx.pick("Financiamiento desembolsado", "Financing disbursed"),
            format!(
                "{} ({} {})",
                ctx.money(totals.financing_disbursed_minor),
                ctx.percent(
                    totals.financing_disbursed_minor as f64,
                    totals.financing_committed_minor as f64
                ),
                ctx.pick("de lo comprometido", "of committed")
            ),
        ),
        ctx.figure(
            ctx.pick("Resultados de financiamiento", "Financing outcomes"),
            format::number(outcome_rowids.len() as f64, 0),
        ),
    ];
    for (k, i) in order.iter().enumerate() {
        let minor = running[k].round() as i64;
        figures.push(ctx.figure(
            format!(
                "{} ({})",
                labels::instrument(*i, lang),
                ctx.pick("comprometido", "committed")
            ),
            ctx.money(minor),
        ));
    }
    Ok(Drawn {
        figures,
        empty: false,
        warnings,
    })
}
