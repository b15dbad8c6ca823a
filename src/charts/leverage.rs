//! Chart 4: each membership placed by what it cost (x) and the financing committed through
//! it (y), marked by the engine's classification. Both axes are logarithmic because
//! costs and financing differ by orders of magnitude; the dashed diagonal is leverage 1
//! (financing equal to cost). Memberships with no financing sit in a strip under the
//! plot, where passive ones, drawn last and larger, stand out.

use std::collections::HashSet;

use plotters::style::RGBColor;

use super::canvas::{fit, okabe_ito as oi, size, Anchor, Canvas, LegendItem, Marker, Rect};
use super::canvas::{Swatch, GRID, INK, MUTED, WARNING};
use super::font::text_width;
use super::labels;
use super::{ChartContext, ChartKind, Drawn};
use crate::error::Result;
use crate::format;
use crate::roi::{Classification, RoiRow};

fn style(c: Classification) -> (Marker, RGBColor) {
    match c {
        Classification::Strategic => (Marker::Circle, oi::BLUISH_GREEN),
        Classification::Developing => (Marker::Square, oi::SKY_BLUE),
        Classification::Unsteered => (Marker::Diamond, oi::ORANGE),
        Classification::Passive => (Marker::Triangle, oi::VERMILLION),
        Classification::Inactive => (Marker::Cross, oi::GREY),
    }
}

/// Above this many points, markers hidden under one of their class are not written.
const THIN_ABOVE: usize = 1_000;

/// Drawing order: passive last, so it is never hidden under another marker.
const DRAW_ORDER: [Classification; 5] = [
    Classification::Inactive,
    Classification::Strategic,
    Classification::Developing,
    Classification::Unsteered,
    Classification::Passive,
];

/// A base-10 logarithmic axis over whole decades.
#[derive(Clone, Copy)]
struct LogScale {
    lo: f64,
    hi: f64,
    p0: f64,
    p1: f64,
}

impl LogScale {
    fn over(min: f64, max: f64, p0: f64, p1: f64) -> LogScale {
        let lo = min.max(1e-9).log10().floor();
        let mut hi = max.max(1e-9).log10().ceil();
        if hi <= lo {
            hi = lo + 1.0;
        }
        LogScale { lo, hi, p0, p1 }
    }

    fn map(&self, v: f64) -> f64 {
        let t = (v.max(1e-9).log10() - self.lo) / (self.hi - self.lo);
        self.p0 + t.clamp(0.0, 1.0) * (self.p1 - self.p0)
    }

    /// Decades, and 2× and 5× between them when the axis spans two decades or fewer.
    fn ticks(&self) -> Vec<f64> {
        let dense = self.hi - self.lo <= 2.0;
        let mut out = Vec::new();
        let mut e = self.lo;
        while e <= self.hi {
            let base = 10f64.powf(e);
            out.push(base);
            if dense && e < self.hi {
                out.push(2.0 * base);
                out.push(5.0 * base);
            }
            e += 1.0;
        }
        out
    }
}

/// The markers of one class already written. Thousands of them pile up: one whose
/// centre falls in the same half-radius cell as one already drawn adds no visible
/// ink, only bytes (a coordinator's 276,000 memberships would make a 50 MB SVG).
struct Inked {
    cell: f64,
    thin: bool,
    cells: HashSet<(i64, i64)>,
}

impl Inked {
    fn new(points: usize, radius: f64) -> Inked {
        Inked {
            cell: (radius / 2.0).max(f64::MIN_POSITIVE),
            thin: points > THIN_ABOVE,
            cells: HashSet::new(),
        }
    }

    /// Whether a marker at (x, y) shows something the ones drawn before do not.
    fn adds(&mut self, x: f64, y: f64) -> bool {
        // Saturating casts: a non-finite position lands in an edge cell, never panics.
        let cell = (
            (x / self.cell).floor() as i64,
            (y / self.cell).floor() as i64,
        );
        !self.thin || self.cells.insert(cell)
    }
}

pub(super) fn draw(ctx: &ChartContext, canvas: &Canvas) -> Result<Drawn> {
    let kind = ChartKind::Leverage;
    let lang = ctx.lang;
    let rows: Vec<&RoiRow> = ctx
        .report
        .rows
        .iter()
        .filter(|r| r.cost_total_minor > 0 || r.financing_committed_minor > 0)
        .collect();
    if rows.is_empty() {
        return ctx.no_data(canvas, kind, &ctx.amount_unit(0.0));
    }
    let cost = |r: &RoiRow| ctx.major(r.cost_total_minor as f64);
    let financing = |r: &RoiRow| ctx.major(r.financing_committed_minor as f64);
    let positive = |values: Vec<f64>| -> (f64, f64) {
        let v: Vec<f64> = values.into_iter().filter(|v| *v > 0.0).collect();
        (
            v.iter().copied().fold(f64::INFINITY, f64::min),
            v.iter().copied().fold(0.0, f64::max),
        )
    };
    let (cost_min, cost_max) = positive(rows.iter().map(|r| cost(r)).collect());
    let (fin_min, fin_max) = positive(rows.iter().map(|r| financing(r)).collect());
    let (cost_min, cost_max) = if cost_max > 0.0 {
        (cost_min, cost_max)
    } else {
        (fin_min, fin_max)
    };
    let max_major = cost_max.max(fin_max);
    let warnings = ctx.report_warnings();
    let body = ctx.frame(canvas, kind, &ctx.amount_unit(max_major), None, &warnings)?;

    let present: Vec<Classification> = Classification::ALL
        .iter()
        .copied()
        .filter(|c| rows.iter().any(|r| r.classification == *c))
        .collect();
    let mut legend: Vec<LegendItem> = present
        .iter()
        .map(|c| {
            let (m, color) = style(*c);
            LegendItem {
                label: c.label(lang).to_string(),
                swatch: Swatch::Marker(m, color),
            }
        })
        .collect();
    legend.push(LegendItem {
        label: ctx
            .pick(
                "Apalancamiento 1: financiamiento igual al costo",
                "Leverage 1: financing equal to cost",
            )
            .to_string(),
        swatch: Swatch::Line(INK, true),
    });
    let used = canvas.legend(&legend, body)?;

    let px = canvas.type_px(size::TEXT);
    let x_probe = LogScale::over(cost_min, cost_max, 0.0, 1.0);
    let y_probe = LogScale::over(
        fin_min.min(10f64.powf(x_probe.lo)),
        fin_max.max(10f64.powf(x_probe.hi)),
        0.0,
        1.0,
    );
    let none_label = ctx.pick("Sin financiamiento", "No financing");
    let widest_word = none_label
        .split_whitespace()
        .map(|w| text_width(w, px, true))
        .fold(0.0, f64::max);
    let tick_w = y_probe
        .ticks()
        .iter()
        .map(|v| text_width(&format::abbreviate(*v, lang), px, false))
        .fold(widest_word, f64::max);
    let y_title_h = px * 1.6;
    let strip_h = canvas.px(76.0);
    let axis_h = px * 1.6 + px * 1.5;
    let plot = Rect {
        x0: body.x0 + tick_w + canvas.px(20.0),
        y0: body.y0 + used + y_title_h,
        x1: body.x1 - canvas.px(10.0),
        y1: body.y1 - axis_h - strip_h - canvas.px(12.0),
    };
    let strip = Rect {
        y0: plot.y1 + canvas.px(12.0),
        y1: plot.y1 + canvas.px(12.0) + strip_h,
        ..plot
    };
    let x = LogScale::over(cost_min, cost_max, plot.x0, plot.x1);
    let y = LogScale {
        p0: plot.y1,
        p1: plot.y0,
        ..y_probe
    };

    // Grid and axes.
    for v in y.ticks() {
        let py = y.map(v);
        canvas.line(&[(plot.x0, py), (plot.x1, py)], GRID, canvas.px(1.5))?;
        canvas.text(
            &format::abbreviate(v, lang),
            (plot.x0 - canvas.px(12.0), py),
            px,
            false,
            MUTED,
            Anchor::RIGHT,
        )?;
    }
    let mut last_right = f64::NEG_INFINITY;
    for v in x.ticks() {
        let px_x = x.map(v);
        canvas.line(&[(px_x, plot.y0), (px_x, strip.y1)], GRID, canvas.px(1.5))?;
        let text = format::abbreviate(v, lang);
        let w = text_width(&text, px, false);
        if px_x - w / 2.0 > last_right + canvas.px(12.0) {
            canvas.text(
                &text,
                (px_x, strip.y1 + canvas.px(10.0)),
                px,
                false,
                MUTED,
                Anchor::TOP_CENTER,
            )?;
            last_right = px_x + w / 2.0;
        }
    }
    canvas.fill_alpha(strip, oi::VERMILLION, 0.07)?;
    canvas.outline(strip, GRID, canvas.px(1.5))?;
    let strip_lines = super::canvas::wrap(none_label, tick_w, px, true, 2);
    let line_h = px * 1.15;
    let strip_mid = (strip.y0 + strip.y1) / 2.0;
    for (i, l) in strip_lines.iter().enumerate() {
        let ly = strip_mid - line_h * (strip_lines.len() as f64 - 1.0) / 2.0 + line_h * i as f64;
        canvas.text(
            l,
            (plot.x0 - canvas.px(12.0), ly),
            px,
            true,
            WARNING,
            Anchor::RIGHT,
        )?;
    }
    canvas.text(
        &format!(
            "{} ({})",
            ctx.pick("Financiamiento comprometido", "Financing committed"),
            ctx.currency()
        ),
        (body.x0, body.y0 + used),
        px,
        true,
        INK,
        Anchor::TOP_LEFT,
    )?;
    canvas.text(
        &format!(
            "{} ({})",
            ctx.pick("Costo de participación", "Cost of taking part"),
            ctx.currency()
        ),
        (
            (plot.x0 + plot.x1) / 2.0,
            strip.y1 + canvas.px(10.0) + px * 1.5,
        ),
        px,
        true,
        INK,
        Anchor::TOP_CENTER,
    )?;

    // Leverage 1, clipped to the plot.
    let lo = x.lo.max(y.lo);
    let hi = x.hi.min(y.hi);
    if hi > lo {
        let (a, b) = (10f64.powf(lo), 10f64.powf(hi));
        canvas.dashed(
            &[(x.map(a), y.map(a)), (x.map(b), y.map(b))],
            INK,
            canvas.px(3.0),
        )?;
    }

    // Points, then their labels where they fit without touching anything.
    let r = match rows.len() {
        0..=30 => canvas.px(13.0),
        31..=200 => canvas.px(9.0),
        _ => canvas.px(6.0),
    };
    let place = |row: &RoiRow| -> (f64, f64) {
        let px_x = if row.cost_total_minor > 0 {
            x.map(cost(row))
        } else {
            plot.x0
        };
        let py = if row.financing_committed_minor > 0 {
            y.map(financing(row))
        } else if rows.len() > 30 {
            // Many points on one line would hide each other: spread them over the strip
            // by a stable hash of the id, so the picture does not change between renders.
            let hash = row
                .membership_id
                .bytes()
                .fold(0u32, |a, b| a.wrapping_mul(31).wrapping_add(u32::from(b)));
            strip_mid + (f64::from(hash % 9) / 8.0 - 0.5) * strip_h * 0.7
        } else {
            strip_mid
        };
        (px_x, py)
    };
    let mut taken: Vec<Rect> = Vec::new();
    for class in DRAW_ORDER {
        let (marker, color) = style(class);
        let radius = if class == Classification::Passive {
            r * 1.2
        } else {
            r
        };
        let mut inked = Inked::new(rows.len(), radius);
        for row in rows.iter().filter(|row| row.classification == class) {
            let (cx, cy) = place(row);
            if !inked.adds(cx, cy) {
                continue;
            }
            canvas.marker(marker, (cx, cy), radius, color)?;
            taken.push(Rect {
                x0: cx - radius,
                y0: cy - radius,
                x1: cx + radius,
                y1: cy + radius,
            });
        }
    }
    if rows.len() <= 30 {
        let bounds = Rect {
            x0: plot.x0,
            y0: plot.y0 - y_title_h * 0.2,
            x1: plot.x1,
            y1: strip.y1,
        };
        for class in DRAW_ORDER.iter().rev() {
            for row in rows.iter().filter(|row| row.classification == *class) {
                let (cx, cy) = place(row);
                let mut text = row.network_acronym.to_string();
                if ctx.multi_city {
                    text = format!(
                        "{text} · {}",
                        fit(&row.city_name, canvas.px(220.0), px, false)
                    );
                }
                let passive = *class == Classification::Passive;
                let w = text_width(&text, px, passive);
                let h = px * 1.2;
                let gap = r * 1.3;
                let candidates = [
                    (cx + gap, cy - h / 2.0),
                    (cx - gap - w, cy - h / 2.0),
                    (cx - w / 2.0, cy - gap - h),
                    (cx - w / 2.0, cy + gap),
                ];
                let spot = candidates.iter().map(|(lx, ly)| Rect {
                    x0: *lx,
                    y0: *ly,
                    x1: lx + w,
                    y1: ly + h,
                });
                let free = spot.clone().find(|b| {
                    b.x0 >= bounds.x0
                        && b.x1 <= bounds.x1
                        && b.y0 >= bounds.y0
                        && b.y1 <= bounds.y1
                        && !taken.iter().any(|t| t.overlaps(b))
                });
                if let Some(b) = free {
                    canvas.text(
                        &text,
                        (b.x0, (b.y0 + b.y1) / 2.0),
                        px,
                        passive,
                        if passive { WARNING } else { INK },
                        Anchor::LEFT,
                    )?;
                    taken.push(b);
                }
            }
        }
    }

    let members = |n: usize| {
        labels::counted(
            n as i64,
            lang,
            ("membresía", "membresías"),
            ("membership", "memberships"),
        )
    };
    let mut figures = Vec::new();
    for c in &present {
        let n = rows.iter().filter(|r| r.classification == *c).count();
        figures.push(ctx.figure(c.label(lang), members(n)));
    }
    let passive_cost: i64 = rows
        .iter()
        .filter(|r| r.classification == Classification::Passive)
        .map(|r| r.cost_total_minor)
        .sum();
    if passive_cost > 0 {
        figures.push(ctx.figure(
            ctx.pick(
                "Costo de las membresías pasivas",
                "Cost of passive memberships",
            ),
            ctx.money(passive_cost),
        ));
    }
    figures.push(ctx.figure(
        ctx.pick("Apalancamiento global", "Overall leverage"),
        ctx.times(ctx.report.totals.leverage),
    ));
    if let Some(best) = rows.iter().filter(|r| r.leverage.is_some()).max_by(|a, b| {
        a.leverage
            .partial_cmp(&b.leverage)
            .unwrap_or(std::cmp::Ordering::Equal)
    }) {
        let name = if ctx.multi_city {
            format!("{} · {}", best.network_acronym, best.city_name)
        } else {
            best.network_acronym.to_string()
        };
        figures.push(ctx.figure(
            ctx.pick("Mayor apalancamiento", "Highest leverage"),
            format!("{name} ({})", ctx.times(best.leverage)),
        ));
    }
    Ok(Drawn {
        figures,
        empty: false,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_markers_on_one_spot_are_written_once_and_few_always() {
        let mut many = Inked::new(THIN_ABOVE + 1, 8.0);
        assert!(many.adds(100.0, 100.0));
        assert!(!many.adds(100.5, 101.0), "same 4 px cell");
        assert!(many.adds(105.0, 100.0), "the next cell shows");
        assert!(many.adds(f64::NAN, f64::INFINITY));
        let mut few = Inked::new(THIN_ABOVE, 8.0);
        assert!(few.adds(100.0, 100.0));
        assert!(
            few.adds(100.0, 100.0),
            "below the threshold every marker is drawn"
        );
    }
}
