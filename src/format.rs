//! Locale formatting for text the core writes (classification reasons, chart labels).
//! Spanish follows es-MX, English en-US.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::money::exponent;
use crate::numbers::NumberFormat;

#[derive(Serialize, Deserialize, TS, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Es,
    En,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "es" => Some(Lang::Es),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    /// Picks the text of this language.
    pub fn pick<'a>(self, es: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Es => es,
            Lang::En => en,
        }
    }
}

const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

thread_local! {
    /// The marks `number` writes with, set for the length of a report or chart.
    static NUMBER_FORMAT: std::cell::Cell<NumberFormat> =
        const { std::cell::Cell::new(NumberFormat::CommaPoint) };
}

/// Runs `f` with the numbers this module writes (chart labels, classification
/// reasons) in `format`, the office's, then puts the previous format back.
pub fn with_number_format<R>(format: NumberFormat, f: impl FnOnce() -> R) -> R {
    let previous = NUMBER_FORMAT.with(|cell| cell.replace(format));
    struct Restore(NumberFormat);
    impl Drop for Restore {
        fn drop(&mut self) {
            NUMBER_FORMAT.with(|cell| cell.set(self.0));
        }
    }
    let _restore = Restore(previous);
    f()
}

/// Groups digits by thousands and marks decimals the office's way (`1,234.56` unless
/// `with_number_format` says otherwise).
pub fn number(value: f64, decimals: usize) -> String {
    let format = NUMBER_FORMAT.with(|cell| cell.get());
    let negative = value < 0.0;
    let text = format!("{:.*}", decimals, value.abs());
    let (int_part, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (text, None),
    };
    let mut grouped = String::new();
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(format.group_mark());
        }
        grouped.push(ch);
    }
    let mut out = if negative {
        format!("-{grouped}")
    } else {
        grouped
    };
    if let Some(f) = frac {
        out.push(format.decimal_mark());
        out.push_str(&f);
    }
    out
}

/// Full amount: "MXN 1,234,567.89".
pub fn money(minor: i64, currency: &str) -> String {
    let exp = exponent(currency);
    let value = minor as f64 / 10f64.powi(exp as i32);
    format!("{currency} {}", number(value, exp as usize))
}

/// Abbreviated amount for sentences and charts: "MXN 1.2 M", "USD 350 mil" / "USD 350K".
pub fn money_short(minor: i64, currency: &str, lang: Lang) -> String {
    let value = minor as f64 / 10f64.powi(exponent(currency) as i32);
    format!("{currency} {}", abbreviate(value, lang))
}

/// "1.2 M", "350 mil", "12 mil M" (es) / "1.2M", "350K", "12B" (en).
pub fn abbreviate(value: f64, lang: Lang) -> String {
    let abs = value.abs();
    let (divisor, es, en) = if abs >= 1e9 {
        (1e9, " mil M", "B")
    } else if abs >= 1e6 {
        (1e6, " M", "M")
    } else if abs >= 1e3 {
        (1e3, " mil", "K")
    } else {
        (1.0, "", "")
    };
    let scaled = value / divisor;
    let decimals = if divisor > 1.0 && scaled.abs() < 10.0 {
        1
    } else {
        0
    };
    let mut text = number(scaled, decimals);
    let zero = format!("{}0", NUMBER_FORMAT.with(|cell| cell.get()).decimal_mark());
    if text.ends_with(&zero) {
        text.truncate(text.len() - zero.len());
    }
    format!("{text}{}", lang.pick(es, en))
}

/// "15 mar 2025" / "Mar 15, 2025".
pub fn date(d: NaiveDate, lang: Lang) -> String {
    let m = d.month0() as usize;
    match lang {
        Lang::Es => format!("{} {} {}", d.day(), &MONTHS_ES[m][..3], d.year()),
        Lang::En => format!("{} {}, {}", &MONTHS_EN[m][..3], d.day(), d.year()),
    }
}

/// "marzo de 2025" / "March 2025".
pub fn month_year(d: NaiveDate, lang: Lang) -> String {
    let m = d.month0() as usize;
    match lang {
        Lang::Es => format!("{} de {}", MONTHS_ES[m], d.year()),
        Lang::En => format!("{} {}", MONTHS_EN[m], d.year()),
    }
}

/// A decimal count without trailing zeros: 2.5, 3.
pub fn count(value: f64) -> String {
    let text = number(value, 1);
    let zero = format!("{}0", NUMBER_FORMAT.with(|cell| cell.get()).decimal_mark());
    text.strip_suffix(zero.as_str())
        .map(str::to_string)
        .unwrap_or(text)
}
