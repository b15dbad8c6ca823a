//! Chart 5: each project's timeline without the network (baseline, the outlined bar) and
//! as it runs (actual or projected, the solid bar), from its start date, coloured by
//! sector, with the months saved written at the end. Projects shown are those of the
//! city (or cities) whose timeline touches the period; when they do not all fit, those
//! that saved the most months are shown and the subtitle says how many.

use std::cmp::Reverse;
use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use plotters::style::RGBColor;

use super::canvas::{okabe_ito as oi, size, Anchor, Canvas, LegendItem, Rect, Scale, Swatch};
use super::canvas::{INK, MUTED};
use super::financing_over_time::{date_label, date_ticks, day};
use super::font::text_width;
use super::rows::{self, RowLabel, Rows};
use super::{ChartContext, ChartKind, Drawn};
use crate::error::Result;
use crate::format::{self, Lang};
use crate::model::{City, Project, Sector, Stage};

pub(crate) fn sector_color(s: Sector) -> RGBColor {
    match s {
        Sector::Mobility => oi::BLUE,
        Sector::Water => oi::SKY_BLUE,
        Sector::Energy => oi::ORANGE,
        Sector::Digitalization => oi::REDDISH_PURPLE,
        Sector::Waste => oi::YELLOW,
        Sector::Resilience => oi::BLUISH_GREEN,
        Sector::Housing => oi::VERMILLION,
        Sector::Other => oi::GREY,
    }
}

struct Timeline<'p> {
    project: &'p Project,
    start: NaiveDate,
    baseline_end: NaiveDate,
    actual_end: NaiveDate,
    baseline: i32,
    actual: i32,
}

impl Timeline<'_> {
    fn months_saved(&self) -> i32 {
        self.baseline - self.actual
    }
}

/// "8 meses menos" / "8 months sooner"; "3 meses más" when it runs late.
fn saving_text(saved: i32, lang: Lang) -> String {
    let n = format::number(f64::from(saved.abs()), 0);
    match (saved.signum(), lang) {
        (0, _) => lang.pick("sin ahorro", "no saving").to_string(),
        (1, Lang::Es) if saved == 1 => format!("{n} mes menos"),
        (1, Lang::Es) => format!("{n} meses menos"),
        (1, Lang::En) if saved == 1 => format!("{n} month sooner"),
        (1, Lang::En) => format!("{n} months sooner"),
        (_, Lang::Es) if saved == -1 => format!("{n} mes más"),
        (_, Lang::Es) => format!("{n} meses más"),
        (_, Lang::En) if saved == -1 => format!("{n} month later"),
        (_, Lang::En) => format!("{n} months later"),
    }
}

fn add_months(d: NaiveDate, months: i32) -> NaiveDate {
    d.checked_add_months(Months::new(months.max(0) as u32))
        .unwrap_or(d)
}

pub(super) fn draw(ctx: &ChartContext, canvas: &Canvas) -> Result<Drawn> {
    let kind = ChartKind::ProjectTimelines;
    let lang = ctx.lang;
    let query = ctx.query();
    let mut undated = 0usize;
    let mut timelines: Vec<Timeline> = Vec::new();
    for p in ctx.projects()? {
        if p.stage == Stage::Dropped {
            continue;
        }
        let (Some(start), Some(baseline), Some(actual)) =
            (p.start_on, p.baseline_months, p.actual_months)
        else {
            undated += 1;
            continue;
        };
        let baseline_end = add_months(start, baseline);
        let actual_end = add_months(start, actual);
        if start > query.to || baseline_end.max(actual_end) < query.from {
            continue;
        }
        timelines.push(Timeline {
            project: p,
            start,
            baseline_end,
            actual_end,
            baseline,
            actual,
        });
    }
    let unit = ctx.pick("Duración en meses", "Duration in months");
    if timelines.is_empty() {
        return ctx.no_data(canvas, kind, unit);
    }
    let total = timelines.len();
    let saved_total: i32 = timelines.iter().map(|t| t.months_saved().max(0)).sum();
    let accelerated = timelines.iter().filter(|t| t.months_saved() > 0).count();
    let best = timelines
        .iter()
        .max_by_key(|t| t.months_saved())
        .map(|t| (t.project.name.clone(), t.months_saved()));

    // Rough room first (the frame's subtitle may grow by one line when projects are left
    // out); the shown set is the biggest savings, then the biggest projects.
    let frame_probe = Rect {
        y0: canvas.px(300.0),
        y1: canvas.height - canvas.px(150.0),
        x0: 0.0,
        x1: canvas.width,
    };
    let room = rows::capacity(canvas, frame_probe, true);
    let mut shown_note = None;
    if timelines.len() > room {
        timelines.sort_by_key(|t| (Reverse(t.months_saved()), Reverse(t.project.capex_minor)));
        timelines.truncate(room);
        shown_note = Some(match lang {
            Lang::Es => format!(
                "{} de {} proyectos, los de mayor ahorro",
                format::number(room as f64, 0),
                format::number(total as f64, 0)
            ),
            Lang::En => format!(
                "{} of {} projects, those that saved most",
                format::number(room as f64, 0),
                format::number(total as f64, 0)
            ),
        });
    }
    timelines.sort_by_key(|t| (t.start, t.project.name.clone()));

    let warnings = ctx.report_warnings();
    let body = ctx.frame(canvas, kind, unit, shown_note.as_deref(), &warnings)?;
    let mut sectors: Vec<Sector> = timelines.iter().map(|t| t.project.sector).collect();
    sectors.sort();
    sectors.dedup();
    let mut legend: Vec<LegendItem> = vec![
        LegendItem {
            label: ctx
                .pick(
                    "Plazo sin la red (línea base)",
                    "Timeline without the network (baseline)",
                )
                .to_string(),
            swatch: Swatch::Outline(MUTED),
        },
        LegendItem {
            label: ctx
                .pick("Plazo real o previsto", "Actual or projected timeline")
                .to_string(),
            swatch: Swatch::Fill(MUTED),
        },
    ];
    legend.extend(sectors.iter().map(|s| LegendItem {
        label: s.label(lang).to_string(),
        swatch: Swatch::Fill(sector_color(*s)),
    }));
    let used = canvas.legend(&legend, body)?;
    let px = canvas.type_px(size::TEXT);
    // Room above the rows for the "end of period" label.
    let area = Rect {
        y0: body.y0 + used + px * 1.4,
        ..body
    };
    let room = rows::capacity(canvas, area, true);
    timelines.truncate(room);

    let city_names: HashMap<String, String> = if ctx.multi_city {
        ctx.store
            .list::<City>(None)?
            .into_iter()
            .map(|c| (c.meta.id, c.name))
            .collect()
    } else {
        HashMap::new()
    };
    let row_labels: Vec<RowLabel> = timelines
        .iter()
        .map(|t| {
            let city = city_names.get(&t.project.city_id).cloned();
            RowLabel {
                compact: city.as_ref().map(|c| format!("{} · {c}", t.project.name)),
                title: t.project.name.clone(),
                detail: city,
            }
        })
        .collect();
    let layout = Rows::layout(canvas, area, &row_labels, true);
    let texts: Vec<String> = timelines
        .iter()
        .map(|t| saving_text(t.months_saved(), lang))
        .collect();
    let reserve = texts
        .iter()
        .map(|t| text_width(t, px, true))
        .fold(0.0, f64::max)
        + canvas.px(24.0);
    let first = timelines
        .iter()
        .map(|t| t.start)
        .min()
        .unwrap_or(query.from)
        .min(query.to);
    let last = timelines
        .iter()
        .map(|t| t.baseline_end.max(t.actual_end))
        .max()
        .unwrap_or(query.to)
        .max(query.to);
    let x = Scale {
        d0: day(first),
        d1: day(last),
        p0: layout.plot.x0,
        p1: layout.plot.x1 - reserve,
    };
    let max_ticks = ((x.p1 - x.p0) / canvas.px(260.0)).floor().max(2.0) as usize;
    let (dates, step) = date_ticks(first, last, max_ticks);
    let values: Vec<f64> = dates.iter().map(|d| day(*d)).collect();
    canvas.x_axis(
        Rect {
            x1: x.p1,
            ..layout.plot
        },
        x,
        &values,
        |v| {
            let d = NaiveDate::from_num_days_from_ce_opt(v as i32).unwrap_or(first);
            date_label(d, step, lang)
        },
    )?;
    layout.draw_labels(canvas, &row_labels)?;

    // The end of the period, so the council sees which timelines are still running.
    let end_x = x.map(day(query.to));
    canvas.dashed(
        &[(end_x, layout.plot.y0), (end_x, layout.plot.y1)],
        INK,
        canvas.px(2.5),
    )?;

    for (i, t) in timelines.iter().enumerate() {
        let color = sector_color(t.project.sector);
        let (y0, y1) = layout.bar(i, 0.74);
        let baseline = Rect {
            x0: x.map(day(t.start)),
            y0,
            x1: x.map(day(t.baseline_end)),
            y1,
        };
        canvas.fill_alpha(baseline, color, 0.22)?;
        canvas.outline(baseline, color, canvas.px(3.0))?;
        let (a0, a1) = layout.bar(i, 0.36);
        canvas.fill(
            Rect {
                x0: baseline.x0,
                y0: a0,
                x1: x.map(day(t.actual_end)),
                y1: a1,
            },
            color,
        )?;
        let end = x.map(day(t.baseline_end.max(t.actual_end)));
        canvas.text(
            &texts[i],
            (end + canvas.px(12.0), layout.center(i)),
            px,
            t.months_saved() > 0,
            if t.months_saved() > 0 { INK } else { MUTED },
            Anchor::LEFT,
        )?;
    }
    canvas.text(
        ctx.pick("Fin del periodo", "End of period"),
        (end_x - canvas.px(8.0), layout.plot.y0 - px * 0.2),
        px,
        false,
        MUTED,
        Anchor(
            plotters::style::text_anchor::HPos::Right,
            plotters::style::text_anchor::VPos::Bottom,
        ),
    )?;

    let mut figures = vec![
        ctx.figure(
            ctx.pick("Proyectos en el periodo", "Projects in the period"),
            format::number(total as f64, 0),
        ),
        ctx.figure(
            ctx.pick("Proyectos acelerados", "Projects accelerated"),
            format::number(accelerated as f64, 0),
        ),
        ctx.figure(
            ctx.pick(
                "Meses ahorrados (línea base − real)",
                "Months saved (baseline − actual)",
            ),
            format::number(f64::from(saved_total), 0),
        ),
        ctx.figure(
            ctx.pick(
                "Meses ahorrados atribuidos a las redes",
                "Months saved credited to networks",
            ),
            format::count(ctx.report.totals.months_saved),
        ),
    ];
    if let Some((name, saved)) = best.filter(|b| b.1 > 0) {
        figures.push(ctx.figure(
            ctx.pick("Mayor ahorro", "Largest saving"),
            format!("{name} ({})", saving_text(saved, lang)),
        ));
    }
    if undated > 0 {
        figures.push(ctx.figure(
            ctx.pick(
                "Proyectos sin fecha de inicio o sin plazos",
                "Projects without a start date or durations",
            ),
            format::number(undated as f64, 0),
        ));
    }
    Ok(Drawn {
        figures,
        empty: false,
        warnings,
    })
}
