//! Chart 7: meetings held with each network in the period, split on the left by what the
//! city asked for and on the right by what came of it. Both bars of a row add up to the
//! report's `meetings_held` for that network; meetings without an ask have their own
//! grey segment on the right, since they had nothing to achieve.

use std::cmp::Reverse;
use std::collections::HashMap;

use plotters::style::RGBColor;

use super::canvas::{count_ticks, okabe_ito as oi, size, Anchor, Canvas, LegendItem, Rect};
use super::canvas::{Scale, Swatch, INK};
use super::cost_by_category::others_label;
use super::font::text_width;
use super::rows::{self, RowLabel, Rows};
use super::{ChartContext, ChartKind, Drawn};
use crate::error::Result;
use crate::format;
use crate::model::{Ask, MeetingResult};

const ASKS: [Ask; 5] = [
    Ask::FinancingPathway,
    Ask::ProjectPartnership,
    Ask::TechnicalAssistance,
    Ask::PolicyExchange,
    Ask::None,
];

fn ask_color(a: Ask) -> RGBColor {
    match a {
        Ask::FinancingPathway => oi::BLUE,
        Ask::ProjectPartnership => oi::BLUISH_GREEN,
        Ask::TechnicalAssistance => oi::ORANGE,
        Ask::PolicyExchange => oi::REDDISH_PURPLE,
        Ask::None => oi::GREY,
    }
}

/// Right-hand segments: the four results of meetings with an ask, then "no ask".
#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Result(MeetingResult),
    NoAsk,
}

const OUTCOMES: [Outcome; 5] = [
    Outcome::Result(MeetingResult::Achieved),
    Outcome::Result(MeetingResult::Partly),
    Outcome::Result(MeetingResult::NotAchieved),
    Outcome::Result(MeetingResult::Pending),
    Outcome::NoAsk,
];

fn outcome_color(o: Outcome) -> RGBColor {
    match o {
        Outcome::Result(MeetingResult::Achieved) => oi::BLUISH_GREEN,
        Outcome::Result(MeetingResult::Partly) => oi::YELLOW,
        Outcome::Result(MeetingResult::NotAchieved) => oi::VERMILLION,
        Outcome::Result(MeetingResult::Pending) => oi::SKY_BLUE,
        Outcome::NoAsk => oi::GREY,
    }
}

#[derive(Clone)]
struct NetworkMeetings {
    label: RowLabel,
    asks: [i64; 5],
    outcomes: [i64; 5],
}

impl NetworkMeetings {
    fn total(&self) -> i64 {
        self.asks.iter().sum()
    }
}

pub(super) fn draw(ctx: &ChartContext, canvas: &Canvas) -> Result<Drawn> {
    let kind = ChartKind::AsksToResults;
    let lang = ctx.lang;
    let query = ctx.query();
    let unit = ctx.pick("Número de reuniones", "Number of meetings");
    let network_of: HashMap<&str, &str> = ctx
        .report
        .rows
        .iter()
        .map(|r| (&*r.membership_id, &*r.network_id))
        .collect();
    let tallies = ctx
        .store
        .meeting_tallies(query.from, query.to, query.city_id.as_deref())?;
    let mut by_network: HashMap<&str, NetworkMeetings> = HashMap::new();
    for t in &tallies {
        // Meetings of memberships the report does not hold (deleted ones) do not count.
        let Some(network_id) = network_of.get(t.membership_id.as_str()) else {
            continue;
        };
        let entry = by_network.entry(network_id).or_insert_with(|| {
            let (acronym, name) = ctx.network_names(network_id);
            NetworkMeetings {
                label: rows::network_label(acronym, name),
                asks: [0; 5],
                outcomes: [0; 5],
            }
        });
        if let Some(k) = ASKS.iter().position(|a| *a == t.ask) {
            entry.asks[k] += t.meetings;
        }
        let outcome = if t.ask == Ask::None {
            Outcome::NoAsk
        } else {
            Outcome::Result(t.result)
        };
        if let Some(k) = OUTCOMES.iter().position(|o| *o == outcome) {
            entry.outcomes[k] += t.meetings;
        }
    }
    let mut networks: Vec<NetworkMeetings> = by_network.into_values().collect();
    networks.retain(|n| n.total() > 0);
    if networks.is_empty() {
        return ctx.no_data(canvas, kind, unit);
    }
    networks.sort_by_key(|n| (Reverse(n.total()), n.label.title.clone()));

    let warnings = ctx.report_warnings();
    let body = ctx.frame(canvas, kind, unit, None, &warnings)?;
    let px = canvas.type_px(size::TEXT);

    // Two legends side by side, each over its panel; rows are laid out afterwards.
    let asks_present: Vec<usize> = (0..ASKS.len())
        .filter(|k| networks.iter().any(|n| n.asks[*k] > 0))
        .collect();
    let outcomes_present: Vec<usize> = (0..OUTCOMES.len())
        .filter(|k| networks.iter().any(|n| n.outcomes[*k] > 0))
        .collect();
    let outcome_label = |o: Outcome| match o {
        Outcome::Result(r) => r.label(lang).to_string(),
        Outcome::NoAsk => Ask::None.label(lang).to_string(),
    };

    let probe = Rows::layout(
        canvas,
        body,
        &networks.iter().map(|n| n.label.clone()).collect::<Vec<_>>(),
        true,
    );
    let gutter = canvas.px(60.0);
    let panel_w = (body.x1 - probe.labels.x1 - gutter) / 2.0;
    let left = Rect {
        x0: probe.labels.x1,
        x1: probe.labels.x1 + panel_w,
        ..body
    };
    let right = Rect {
        x0: left.x1 + gutter,
        x1: body.x1,
        ..body
    };
    let ask_items: Vec<LegendItem> = asks_present
        .iter()
        .map(|k| LegendItem {
            label: ASKS[*k].label(lang).to_string(),
            swatch: Swatch::Fill(ask_color(ASKS[*k])),
        })
        .collect();
    let outcome_items: Vec<LegendItem> = outcomes_present
        .iter()
        .map(|k| LegendItem {
            label: outcome_label(OUTCOMES[*k]),
            swatch: Swatch::Fill(outcome_color(OUTCOMES[*k])),
        })
        .collect();
    let used_left = canvas.titled_legend(
        Some(ctx.pick("Qué se pidió:", "What was asked:")),
        &ask_items,
        left,
    )?;
    let used_right = canvas.titled_legend(
        Some(ctx.pick("Qué se logró:", "What came of it:")),
        &outcome_items,
        right,
    )?;
    let area = Rect {
        y0: body.y0 + used_left.max(used_right),
        ..body
    };

    let room = rows::capacity(canvas, area, true);
    if networks.len() > room {
        let rest = networks.split_off(room.saturating_sub(1));
        let mut merged = NetworkMeetings {
            label: RowLabel::new(others_label(rest.len(), lang), None),
            asks: [0; 5],
            outcomes: [0; 5],
        };
        for n in &rest {
            for k in 0..5 {
                merged.asks[k] += n.asks[k];
                merged.outcomes[k] += n.outcomes[k];
            }
        }
        networks.push(merged);
    }
    let row_labels: Vec<RowLabel> = networks.iter().map(|n| n.label.clone()).collect();
    let mut layout = Rows::layout(canvas, area, &row_labels, true);
    // Labels keep the width the legends were placed against.
    layout.labels.x1 = probe.labels.x1;
    layout.plot.x0 = probe.labels.x1;
    layout.draw_labels(canvas, &row_labels)?;

    let max_total = networks.iter().map(|n| n.total()).max().unwrap_or(1) as f64;
    let tick_values = count_ticks(max_total, 4);
    let top = tick_values
        .last()
        .copied()
        .unwrap_or(max_total)
        .max(max_total);
    let total_w = text_width(&format::number(max_total, 0), px, true) + canvas.px(20.0);
    for (panel, segments, colors) in [
        (
            left,
            networks.iter().map(|n| n.asks.to_vec()).collect::<Vec<_>>(),
            ASKS.iter().map(|a| ask_color(*a)).collect::<Vec<_>>(),
        ),
        (
            right,
            networks.iter().map(|n| n.outcomes.to_vec()).collect(),
            OUTCOMES.iter().map(|o| outcome_color(*o)).collect(),
        ),
    ] {
        let scale = Scale {
            d0: 0.0,
            d1: top,
            p0: panel.x0,
            p1: panel.x1 - total_w,
        };
        canvas.x_axis(
            Rect {
                x0: panel.x0,
                y0: layout.plot.y0,
                x1: scale.p1,
                y1: layout.plot.y1,
            },
            scale,
            &tick_values,
            |v| format::number(v, 0),
        )?;
        for (i, counts) in segments.iter().enumerate() {
            let (y0, y1) = layout.bar(i, 0.72);
            let mut x = scale.p0;
            for (count, color) in counts.iter().zip(&colors) {
                if *count == 0 {
                    continue;
                }
                let x1 = x + scale.map(*count as f64) - scale.p0;
                canvas.fill(Rect { x0: x, y0, x1, y1 }, *color)?;
                // A thin white gap keeps neighbouring segments apart in print.
                canvas.line(
                    &[(x1, y0), (x1, y1)],
                    plotters::style::WHITE,
                    canvas.px(2.0),
                )?;
                x = x1;
            }
            let total: i64 = counts.iter().sum();
            canvas.text(
                &format::number(total as f64, 0),
                (x + canvas.px(10.0), layout.center(i)),
                px,
                true,
                INK,
                Anchor::LEFT,
            )?;
        }
    }

    let totals = &ctx.report.totals;
    let with_ask: i64 = ctx.report.rows.iter().map(|r| r.meetings_with_ask).sum();
    let achieved: i64 = ctx.report.rows.iter().map(|r| r.asks_achieved).sum();
    let pending: i64 = tallies
        .iter()
        .filter(|t| {
            t.ask != Ask::None
                && t.result == MeetingResult::Pending
                && network_of.contains_key(t.membership_id.as_str())
        })
        .map(|t| t.meetings)
        .sum();
    let figures = vec![
        ctx.figure(
            ctx.pick("Reuniones en el periodo", "Meetings in the period"),
            format::number(totals.meetings_held as f64, 0),
        ),
        ctx.figure(
            ctx.pick("Reuniones con una solicitud", "Meetings with an ask"),
            format::number(with_ask as f64, 0),
        ),
        ctx.figure(
            ctx.pick(
                "Solicitudes logradas (total o en parte)",
                "Asks achieved (fully or partly)",
            ),
            format!(
                "{} ({})",
                format::number(achieved as f64, 0),
                ctx.percent(achieved as f64, with_ask as f64)
            ),
        ),
        ctx.figure(
            ctx.pick("Solicitudes pendientes", "Asks pending"),
            format::number(pending as f64, 0),
        ),
    ];
    Ok(Drawn {
        figures,
        empty: false,
        warnings,
    })
}
