//! Horizontal rows of bars with their labels on the left: the layout of the per-network
//! and per-project charts. Rows get at least 25.5 px at 1080 so that thirty of them, each
//! with a 24 px label, still read; long names wrap when a row has room for two lines and
//! are shortened with an ellipsis when it does not.

use super::canvas::{fit, size, wrap, Anchor, Canvas, Rect, INK, MUTED};
use super::font;
use crate::error::Result;

/// Smallest row height at 1080 pixels.
const MIN_BAND: f64 = 25.5;

#[derive(Debug, Clone)]
pub(crate) struct RowLabel {
    /// The short name, in bold (a network's acronym, a project's name).
    pub title: String,
    /// A longer description shown under it when the row has room (the full name).
    pub detail: Option<String>,
    /// What to show when the row holds one line only (default: the title), for titles
    /// that need their detail to be told apart ("Project 7 · Puebla").
    pub compact: Option<String>,
}

/// A network's row: the acronym, with the full name under it when there is room.
pub(crate) fn network_label(acronym: String, name: String) -> RowLabel {
    let detail = (name != acronym && !name.is_empty()).then_some(name);
    RowLabel::new(acronym, detail)
}

impl RowLabel {
    pub fn new(title: String, detail: Option<String>) -> RowLabel {
        RowLabel {
            title,
            detail,
            compact: None,
        }
    }
}

pub(crate) struct Rows {
    pub labels: Rect,
    pub plot: Rect,
    pub band: f64,
    /// Thickest bar, so that a few rows do not become slabs.
    max_bar: f64,
}

/// How many rows fit in `area` (minus the axis labels under it when `axis_below`).
pub(crate) fn capacity(canvas: &Canvas, area: Rect, axis_below: bool) -> usize {
    let h = area.h() - if axis_below { axis_height(canvas) } else { 0.0 };
    (h / canvas.px(MIN_BAND)).floor().max(1.0) as usize
}

fn axis_height(canvas: &Canvas) -> f64 {
    canvas.type_px(size::TEXT) * 1.7
}

impl Rows {
    /// Splits `area` into a label column and a plot, with one band per label.
    pub fn layout(canvas: &Canvas, area: Rect, labels: &[RowLabel], axis_below: bool) -> Rows {
        let px = canvas.type_px(size::TEXT);
        let widest = labels
            .iter()
            .map(|l| {
                let title = font::text_width(l.compact.as_deref().unwrap_or(&l.title), px, true);
                let detail = l
                    .detail
                    .as_deref()
                    .map(|d| font::text_width(d, px, false).min(area.w() * 0.22))
                    .unwrap_or(0.0);
                title.max(detail)
            })
            .fold(0.0, f64::max);
        // A little slack over the widest label, so rounding never wraps it.
        let label_w = widest.clamp(area.w() * 0.08, area.w() * 0.28) + canvas.px(22.0);
        let bottom = area.y1 - if axis_below { axis_height(canvas) } else { 0.0 };
        let count = labels.len().max(1);
        // Few rows spread over the height, up to 160 px at 1080 each.
        let band = ((bottom - area.y0) / count as f64).min(canvas.px(160.0));
        let plot = Rect {
            x0: area.x0 + label_w,
            y0: area.y0,
            x1: area.x1,
            y1: area.y0 + band * count as f64,
        };
        Rows {
            labels: Rect {
                x0: area.x0,
                y0: area.y0,
                x1: area.x0 + label_w,
                y1: plot.y1,
            },
            plot,
            band,
            max_bar: canvas.px(76.0),
        }
    }

    pub fn center(&self, i: usize) -> f64 {
        self.plot.y0 + self.band * (i as f64 + 0.5)
    }

    /// The vertical extent of a bar filling `share` of row `i`'s band.
    pub fn bar(&self, i: usize, share: f64) -> (f64, f64) {
        let c = self.center(i);
        let half = (self.band * share).min(self.max_bar) / 2.0;
        (c - half, c + half)
    }

    /// Draws the labels, right-aligned against the plot.
    pub fn draw_labels(&self, canvas: &Canvas, labels: &[RowLabel]) -> Result<()> {
        let px = canvas.type_px(size::TEXT);
        let line_h = px * 1.2;
        let max_w = self.labels.w() - canvas.px(16.0);
        let x = self.labels.x1 - canvas.px(16.0);
        let lines_fit = (self.band / line_h).floor().max(1.0) as usize;
        for (i, label) in labels.iter().enumerate() {
            let mut lines: Vec<(String, bool)> = Vec::new();
            match (&label.detail, lines_fit) {
                (Some(detail), n) if n >= 2 => {
                    lines.push((fit(&label.title, max_w, px, true), true));
                    for l in wrap(detail, max_w, px, false, n - 1) {
                        lines.push((l, false));
                    }
                }
                (_, 1) => {
                    let text = label.compact.as_deref().unwrap_or(&label.title);
                    lines.push((fit(text, max_w, px, true), true));
                }
                _ => {
                    for l in wrap(&label.title, max_w, px, true, lines_fit.min(2)) {
                        lines.push((l, true));
                    }
                }
            }
            let top = self.center(i) - line_h * (lines.len() as f64 - 1.0) / 2.0;
            for (k, (text, bold)) in lines.iter().enumerate() {
                canvas.text(
                    text,
                    (x, top + line_h * k as f64),
                    px,
                    *bold,
                    if *bold { INK } else { MUTED },
                    Anchor::RIGHT,
                )?;
            }
        }
        Ok(())
    }
}
