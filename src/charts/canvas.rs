//! A small drawing layer over plotters' SVG backend: text in the embedded font at sizes
//! that scale with the output, the frame every chart shares (title, unit, period, data
//! date, source), legends, value axes and label fitting. Charts lay themselves out here
//! in pixels rather than through plotters' label areas, so that long network names,
//! thirty rows and projector-size type can be placed without overlaps.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::{self, FONT_FAMILY};
use crate::error::{Error, Result};

pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Okabe–Ito, the palette that stays distinct for the common colour-vision deficiencies.
pub(crate) mod okabe_ito {
    use plotters::style::RGBColor;
    pub const BLACK: RGBColor = RGBColor(0, 0, 0);
    pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
    pub const BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
    pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    pub const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
    /// The grey that usually completes the palette, for "other" and "none".
    pub const GREY: RGBColor = RGBColor(0x99, 0x99, 0x99);
}

/// Text and rule colours of the frame.
pub(crate) const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
pub(crate) const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub(crate) const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
pub(crate) const WARNING: RGBColor = RGBColor(0xA3, 0x3F, 0x00);

/// Type sizes (the SVG `font-size`) at a 1080-pixel-high output. The smallest is 24 so
/// that every text reads from the back of a council chamber on a projector.
pub(crate) mod size {
    pub const TITLE: f64 = 46.0;
    pub const SUBTITLE: f64 = 28.0;
    pub const TEXT: f64 = 24.0;
    pub const NO_DATA: f64 = 56.0;
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn w(&self) -> f64 {
        self.x1 - self.x0
    }
    pub fn h(&self) -> f64 {
        self.y1 - self.y0
    }
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
}

/// How a text is anchored on its point.
#[derive(Clone, Copy)]
pub(crate) struct Anchor(pub HPos, pub VPos);

impl Anchor {
    pub const LEFT: Anchor = Anchor(HPos::Left, VPos::Center);
    pub const RIGHT: Anchor = Anchor(HPos::Right, VPos::Center);
    pub const CENTER: Anchor = Anchor(HPos::Center, VPos::Center);
    pub const TOP_LEFT: Anchor = Anchor(HPos::Left, VPos::Top);
    pub const TOP_RIGHT: Anchor = Anchor(HPos::Right, VPos::Top);
    pub const TOP_CENTER: Anchor = Anchor(HPos::Center, VPos::Top);
}

/// What a legend entry shows beside its label.
#[derive(Clone, Copy)]
pub(crate) enum Swatch {
    Fill(RGBColor),
    Outline(RGBColor),
    Line(RGBColor, bool),
    Marker(Marker, RGBColor),
}

/// Point shapes, so classifications differ by shape as well as by colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    Cross,
}

pub(crate) struct LegendItem {
    pub label: String,
    pub swatch: Swatch,
}

/// The texts of a chart's frame.
pub(crate) struct Frame<'t> {
    pub title: &'t str,
    pub subtitle: String,
    pub source: String,
    pub data_date: String,
    /// Data warnings, already summarised to one line.
    pub note: Option<String>,
}

pub(crate) fn draw_error(e: impl std::fmt::Display) -> Error {
    Error::Chart(e.to_string())
}

pub(crate) struct Canvas<'a> {
    area: Area<'a>,
    pub width: f64,
    pub height: f64,
    /// Scale of type, strokes and margins against a 1920×1080 output.
    pub s: f64,
}

impl<'a> Canvas<'a> {
    pub fn new(svg: &'a mut String, width: u32, height: u32) -> Result<Canvas<'a>> {
        font::register()?;
        let area = SVGBackend::with_string(svg, (width, height)).into_drawing_area();
        area.fill(&WHITE).map_err(draw_error)?;
        let (w, h) = (f64::from(width), f64::from(height));
        // Type follows the height (the projector's constraint) unless the picture is much
        // narrower than 4:3, where it follows the width so labels still fit across.
        let s = (h / 1080.0).min(w / 1440.0);
        Ok(Canvas {
            area,
            width: w,
            height: h,
            s,
        })
    }

    pub fn finish(self) -> Result<()> {
        self.area.present().map_err(draw_error)
    }

    /// A length given at 1080 pixels, for this output.
    pub fn px(&self, at_1080: f64) -> f64 {
        at_1080 * self.s
    }

    /// A type size given at 1080 pixels, for this output.
    pub fn type_px(&self, at_1080: f64) -> f64 {
        at_1080 * self.s
    }

    pub fn text(
        &self,
        text: &str,
        (x, y): (f64, f64),
        px: f64,
        bold: bool,
        color: RGBColor,
        anchor: Anchor,
    ) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        // plotters writes `font-size` as the given size divided by 1.24.
        let desc = FontDesc::new(
            FontFamily::Name(FONT_FAMILY),
            px * 1.24,
            if bold {
                FontStyle::Bold
            } else {
                FontStyle::Normal
            },
        );
        let style = TextStyle::from(desc)
            .color(&color)
            .pos(Pos::new(anchor.0, anchor.1));
        self.area
            .draw(&Text::new(text.to_string(), (round(x), round(y)), style))
            .map_err(draw_error)
    }

    pub fn fill(&self, r: Rect, color: RGBColor) -> Result<()> {
        if r.w() <= 0.0 || r.h() <= 0.0 {
            return Ok(());
        }
        self.area
            .draw(&Rectangle::new(
                [(round(r.x0), round(r.y0)), (round(r.x1), round(r.y1))],
                color.filled(),
            ))
            .map_err(draw_error)
    }

    pub fn fill_alpha(&self, r: Rect, color: RGBColor, alpha: f64) -> Result<()> {
        if r.w() <= 0.0 || r.h() <= 0.0 {
            return Ok(());
        }
        self.area
            .draw(&Rectangle::new(
                [(round(r.x0), round(r.y0)), (round(r.x1), round(r.y1))],
                color.mix(alpha).filled(),
            ))
            .map_err(draw_error)
    }

    pub fn outline(&self, r: Rect, color: RGBColor, width: f64) -> Result<()> {
        self.area
            .draw(&Rectangle::new(
                [(round(r.x0), round(r.y0)), (round(r.x1), round(r.y1))],
                color.stroke_width(stroke(width)),
            ))
            .map_err(draw_error)
    }

    pub fn line(&self, points: &[(f64, f64)], color: RGBColor, width: f64) -> Result<()> {
        let points: Vec<(i32, i32)> = points.iter().map(|(x, y)| (round(*x), round(*y))).collect();
        self.area
            .draw(&PathElement::new(points, color.stroke_width(stroke(width))))
            .map_err(draw_error)
    }

    pub fn dashed(&self, points: &[(f64, f64)], color: RGBColor, width: f64) -> Result<()> {
        let points: Vec<(i32, i32)> = points.iter().map(|(x, y)| (round(*x), round(*y))).collect();
        let dash = round(self.px(14.0)).max(2);
        let gap = round(self.px(9.0)).max(2);
        self.area
            .draw(&DashedPathElement::new(
                points,
                dash,
                gap,
                color.stroke_width(stroke(width)),
            ))
            .map_err(draw_error)
    }

    pub fn polygon(&self, points: &[(f64, f64)], color: RGBColor) -> Result<()> {
        let points: Vec<(i32, i32)> = points.iter().map(|(x, y)| (round(*x), round(*y))).collect();
        self.area
            .draw(&Polygon::new(points, color.filled()))
            .map_err(draw_error)
    }

    /// A point marker of radius `r`, with a white rim so overlapping points stay apart.
    pub fn marker(&self, shape: Marker, (x, y): (f64, f64), r: f64, color: RGBColor) -> Result<()> {
        let rim = stroke(self.px(2.0));
        let c = (round(x), round(y));
        let ri = round(r).max(2);
        let points = |pts: &[(f64, f64)]| -> Vec<(i32, i32)> {
            pts.iter()
                .map(|(dx, dy)| (round(x + dx * r), round(y + dy * r)))
                .collect()
        };
        match shape {
            Marker::Circle => {
                self.area
                    .draw(&Circle::new(c, ri, color.filled()))
                    .map_err(draw_error)?;
                self.area
                    .draw(&Circle::new(c, ri, WHITE.stroke_width(rim)))
                    .map_err(draw_error)
            }
            Marker::Square => {
                let k = r * 0.88;
                let sq = Rect {
                    x0: x - k,
                    y0: y - k,
                    x1: x + k,
                    y1: y + k,
                };
                self.fill(sq, color)?;
                self.outline(sq, WHITE, self.px(2.0))
            }
            Marker::Triangle | Marker::Diamond => {
                let shape_points = if shape == Marker::Triangle {
                    points(&[(0.0, -1.15), (1.05, 0.75), (-1.05, 0.75)])
                } else {
                    points(&[(0.0, -1.2), (1.1, 0.0), (0.0, 1.2), (-1.1, 0.0)])
                };
                let mut closed = shape_points.clone();
                if let Some(first) = shape_points.first() {
                    closed.push(*first);
                }
                self.area
                    .draw(&Polygon::new(shape_points, color.filled()))
                    .map_err(draw_error)?;
                self.area
                    .draw(&PathElement::new(closed, WHITE.stroke_width(rim)))
                    .map_err(draw_error)
            }
            Marker::Cross => {
                let w = stroke(r * 0.55);
                for (a, b) in [((-0.9, -0.9), (0.9, 0.9)), ((-0.9, 0.9), (0.9, -0.9))] {
                    self.area
                        .draw(&PathElement::new(points(&[a, b]), color.stroke_width(w)))
                        .map_err(draw_error)?;
                }
                Ok(())
            }
        }
    }

    /// Title, subtitle (unit · period · scope) at the top; note, source and data date at
    /// the bottom. Returns the rectangle left for the chart itself.
    pub fn frame(&self, frame: &Frame) -> Result<Rect> {
        let margin = self.px(48.0);
        let width = self.width - 2.0 * margin;
        let mut y = self.px(30.0);
        let title_px = self.type_px(size::TITLE);
        for line in wrap(frame.title, width, title_px, true, 2) {
            self.text(&line, (margin, y), title_px, true, INK, Anchor::TOP_LEFT)?;
            y += title_px * 1.25;
        }
        y += self.px(2.0);
        let sub_px = self.type_px(size::SUBTITLE);
        for line in wrap(&frame.subtitle, width, sub_px, false, 2) {
            self.text(&line, (margin, y), sub_px, false, MUTED, Anchor::TOP_LEFT)?;
            y += sub_px * 1.3;
        }
        let top = y + self.px(14.0);

        let text_px = self.type_px(size::TEXT);
        let line_h = text_px * 1.35;
        let mut bottom = self.height - self.px(22.0);
        let date_w = font::text_width(&frame.data_date, text_px, true);
        let source_lines = wrap(
            &frame.source,
            width - date_w - self.px(40.0),
            text_px,
            false,
            2,
        );
        bottom -= line_h * source_lines.len() as f64;
        self.text(
            &frame.data_date,
            (self.width - margin, bottom),
            text_px,
            true,
            INK,
            Anchor::TOP_RIGHT,
        )?;
        for (i, line) in source_lines.iter().enumerate() {
            self.text(
                line,
                (margin, bottom + line_h * i as f64),
                text_px,
                false,
                MUTED,
                Anchor::TOP_LEFT,
            )?;
        }
        if let Some(note) = &frame.note {
            let note = fit(note, width, text_px, false);
            bottom -= line_h;
            self.text(
                &note,
                (margin, bottom),
                text_px,
                false,
                WARNING,
                Anchor::TOP_LEFT,
            )?;
        }
        let rule_y = bottom - self.px(10.0);
        self.line(
            &[(margin, rule_y), (self.width - margin, rule_y)],
            GRID,
            self.px(2.0),
        )?;
        Ok(Rect {
            x0: margin,
            y0: top,
            x1: self.width - margin,
            y1: rule_y - self.px(14.0),
        })
    }

    /// Legend entries in rows across `area`, from its top. Returns the height used.
    pub fn legend(&self, items: &[LegendItem], area: Rect) -> Result<f64> {
        self.titled_legend(None, items, area)
    }

    /// A legend led by a bold heading on its first row ("What was asked:").
    pub fn titled_legend(
        &self,
        heading: Option<&str>,
        items: &[LegendItem],
        area: Rect,
    ) -> Result<f64> {
        if items.is_empty() {
            return Ok(0.0);
        }
        let px = self.type_px(size::TEXT);
        let sw = self.px(26.0);
        let gap = self.px(10.0);
        let spacing = self.px(34.0);
        let row_h = px * 1.6;
        let (mut x, mut y) = (area.x0, area.y0);
        if let Some(heading) = heading {
            self.text(heading, (x, y + row_h / 2.0), px, true, INK, Anchor::LEFT)?;
            x += font::text_width(heading, px, true) + self.px(20.0);
        }
        for item in items {
            let label = fit(&item.label, area.w() - sw - gap, px, false);
            let w = sw + gap + font::text_width(&label, px, false);
            if x > area.x0 && x + w > area.x1 {
                x = area.x0;
                y += row_h;
            }
            let cy = y + row_h / 2.0;
            let sq = Rect {
                x0: x,
                y0: cy - sw / 2.0,
                x1: x + sw,
                y1: cy + sw / 2.0,
            };
            match item.swatch {
                Swatch::Fill(c) => self.fill(sq, c)?,
                Swatch::Outline(c) => {
                    self.fill_alpha(sq, c, 0.25)?;
                    self.outline(sq, c, self.px(3.0))?;
                }
                Swatch::Line(c, dashed) => {
                    let pts = [(sq.x0, cy), (sq.x1, cy)];
                    if dashed {
                        self.line(&[(sq.x0, cy), (sq.x0 + sw * 0.4, cy)], c, self.px(4.0))?;
                        self.line(&[(sq.x1 - sw * 0.4, cy), (sq.x1, cy)], c, self.px(4.0))?;
                    } else {
                        self.line(&pts, c, self.px(4.0))?;
                    }
                }
                Swatch::Marker(m, c) => self.marker(m, (x + sw / 2.0, cy), sw * 0.45, c)?,
            }
            self.text(&label, (x + sw + gap, cy), px, false, INK, Anchor::LEFT)?;
            x += w + spacing;
        }
        Ok(y + row_h - area.y0 + self.px(8.0))
    }

    /// The chart drawn when the period has no data: a clear sentence, never a blank.
    pub fn no_data(&self, area: Rect, message: &str, hint: &str) -> Result<()> {
        let (cx, cy) = ((area.x0 + area.x1) / 2.0, (area.y0 + area.y1) / 2.0);
        let box_w = (font::text_width(message, self.type_px(size::NO_DATA), true) + self.px(120.0))
            .min(area.w());
        let box_h = self.px(210.0).min(area.h());
        let frame = Rect {
            x0: cx - box_w / 2.0,
            y0: cy - box_h / 2.0,
            x1: cx + box_w / 2.0,
            y1: cy + box_h / 2.0,
        };
        self.fill(frame, RGBColor(0xF4, 0xF4, 0xF4))?;
        self.outline(frame, GRID, self.px(3.0))?;
        self.text(
            message,
            (cx, cy - self.px(26.0)),
            self.type_px(size::NO_DATA),
            true,
            INK,
            Anchor::CENTER,
        )?;
        self.text(
            hint,
            (cx, cy + self.px(48.0)),
            self.type_px(size::SUBTITLE),
            false,
            MUTED,
            Anchor::CENTER,
        )
    }
}

fn round(v: f64) -> i32 {
    v.round() as i32
}

fn stroke(width: f64) -> u32 {
    width.round().max(1.0) as u32
}

/// Shortens `text` with an ellipsis until it fits `max_w`.
pub(crate) fn fit(text: &str, max_w: f64, px: f64, bold: bool) -> String {
    if font::text_width(text, px, bold) <= max_w {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if font::text_width(&candidate, px, bold) <= max_w {
            return candidate;
        }
    }
    String::new()
}

/// Breaks `text` into at most `max_lines` lines of `max_w`; the last line is shortened
/// with an ellipsis when the text does not fit.
pub(crate) fn wrap(text: &str, max_w: f64, px: f64, bold: bool, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || font::text_width(&candidate, px, bold) <= max_w {
            current = candidate;
        } else {
            lines.push(std::mem::take(&mut current));
            current = word.to_string();
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines.max(1) {
        let rest = lines.split_off(max_lines.max(1) - 1).join(" ");
        lines.push(rest);
    }
    lines
        .into_iter()
        .map(|l| fit(&l, max_w, px, bold))
        .collect()
}

/// "Nice" tick values from 0 to at least `max` (1, 2, 2.5 or 5 times a power of ten),
/// about `target` of them.
pub(crate) fn ticks(max: f64, target: usize) -> Vec<f64> {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let raw = max / target.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let count = (max / step).ceil() as usize;
    (0..=count).map(|i| i as f64 * step).collect()
}

/// Whole-number ticks for counts (meetings, projects).
pub(crate) fn count_ticks(max: f64, target: usize) -> Vec<f64> {
    let t = ticks(max.max(1.0), target);
    let step = t.get(1).copied().unwrap_or(1.0).max(1.0).ceil();
    let count = (max.max(1.0) / step).ceil() as usize;
    (0..=count).map(|i| i as f64 * step).collect()
}

/// Maps a value range linearly onto a pixel range.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub p0: f64,
    pub p1: f64,
}

impl Scale {
    pub fn map(&self, v: f64) -> f64 {
        if self.d1 == self.d0 {
            return self.p0;
        }
        self.p0 + (v - self.d0) / (self.d1 - self.d0) * (self.p1 - self.p0)
    }
}

impl Canvas<'_> {
    /// Vertical grid lines and labels under `area` for a horizontal value axis.
    pub fn x_axis(
        &self,
        area: Rect,
        scale: Scale,
        tick_values: &[f64],
        label: impl Fn(f64) -> String,
    ) -> Result<()> {
        let px = self.type_px(size::TEXT);
        let mut last_right = f64::NEG_INFINITY;
        for v in tick_values {
            let x = scale.map(*v);
            self.line(&[(x, area.y0), (x, area.y1)], GRID, self.px(1.5))?;
            let text = label(*v);
            let w = font::text_width(&text, px, false);
            // Labels that would touch the previous one are skipped, never overlapped.
            if x - w / 2.0 > last_right + self.px(12.0) {
                self.text(
                    &text,
                    (x, area.y1 + self.px(10.0)),
                    px,
                    false,
                    MUTED,
                    Anchor::TOP_CENTER,
                )?;
                last_right = x + w / 2.0;
            }
        }
        Ok(())
    }

    /// Horizontal grid lines and labels left of `area` for a vertical value axis.
    pub fn y_axis(
        &self,
        area: Rect,
        scale: Scale,
        tick_values: &[f64],
        label: impl Fn(f64) -> String,
    ) -> Result<()> {
        let px = self.type_px(size::TEXT);
        for v in tick_values {
            let y = scale.map(*v);
            self.line(&[(area.x0, y), (area.x1, y)], GRID, self.px(1.5))?;
            self.text(
                &label(*v),
                (area.x0 - self.px(12.0), y),
                px,
                false,
                MUTED,
                Anchor::RIGHT,
            )?;
        }
        Ok(())
    }
}
