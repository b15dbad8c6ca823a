//! The one reader of typed numbers. Forms, the command line and imports send the text
//! the user wrote; this module reads it by the office's number format into a number,
//! an amount in minor units (exactly, by the currency's decimals) or a percentage.
//! Nothing is rounded: text with more decimals than its field allows is refused, and
//! text that fits another format than the office's is refused with the number written
//! the office's way, so the user sees how to write it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::format::Lang;

/// How an office writes numbers: its grouping mark and its decimal mark.
#[derive(Serialize, Deserialize, TS, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "snake_case")]
pub enum NumberFormat {
    /// `1,234.56`: Mexico, the United States, the United Kingdom.
    #[default]
    CommaPoint,
    /// `1.234,56`: Colombia, Argentina, Chile, Spain, Brazil, Germany.
    PointComma,
    /// `1 234,56`: France, Canada (fr), much of Europe.
    SpaceComma,
}

impl NumberFormat {
    pub const ALL: [NumberFormat; 3] = [
        NumberFormat::CommaPoint,
        NumberFormat::PointComma,
        NumberFormat::SpaceComma,
    ];

    /// The format an office gets before it chooses one: Spanish is Mexico's.
    pub fn for_language(_lang: Lang) -> NumberFormat {
        NumberFormat::CommaPoint
    }

    pub fn code(self) -> &'static str {
        match self {
            NumberFormat::CommaPoint => "comma_point",
            NumberFormat::PointComma => "point_comma",
            NumberFormat::SpaceComma => "space_comma",
        }
    }

    pub fn parse(code: &str) -> Option<NumberFormat> {
        NumberFormat::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn decimal_mark(self) -> char {
        match self {
            NumberFormat::CommaPoint => '.',
            NumberFormat::PointComma | NumberFormat::SpaceComma => ',',
        }
    }

    /// The mark this format writes between thousands.
    pub fn group_mark(self) -> char {
        match self {
            NumberFormat::CommaPoint => ',',
            NumberFormat::PointComma => '.',
            // A no-break space, so a number never breaks across lines.
            NumberFormat::SpaceComma => '\u{a0}',
        }
    }

    fn is_group_mark(self, ch: char) -> bool {
        match self {
            NumberFormat::CommaPoint => ch == ',',
            NumberFormat::PointComma => ch == '.',
            NumberFormat::SpaceComma => matches!(ch, ' ' | '\u{a0}' | '\u{202f}'),
        }
    }

    /// Writes `mantissa × 10^-scale` in this format, grouped: "1,234.56", "1.234,56".
    fn write(self, negative: bool, mantissa: u128, scale: u32) -> String {
        let digits = format!("{mantissa:0>width$}", width = scale as usize + 1);
        let (whole, fraction) = digits.split_at(digits.len() - scale as usize);
        let mut out = String::new();
        if negative {
            out.push('-');
        }
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(if self == NumberFormat::SpaceComma {
                    ' '
                } else {
                    self.group_mark()
                });
            }
            out.push(ch);
        }
        if !fraction.is_empty() {
            out.push(self.decimal_mark());
            out.push_str(fraction);
        }
        out
    }

    /// The rule code for "write decimals with this format's mark".
    fn decimal_rule(self) -> &'static str {
        match self.decimal_mark() {
            '.' => "decimal_point_expected",
            _ => "decimal_comma_expected",
        }
    }
}

/// A number as written: sign, digits and how many of them are decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub negative: bool,
    pub mantissa: u128,
    pub scale: u32,
}

impl Decimal {
    /// The same value without trailing zero decimals ("1.50" → "1.5").
    fn normalised(mut self) -> Decimal {
        while self.scale > 0 && self.mantissa.is_multiple_of(10) {
            self.mantissa /= 10;
            self.scale -= 1;
        }
        self
    }

    fn to_f64(self) -> f64 {
        let value = self.mantissa as f64 / 10f64.powi(self.scale as i32);
        if self.negative {
            -value
        } else {
            value
        }
    }
}

/// More digits than any field can hold; longer text is refused before it is read.
const MAX_DIGITS: usize = 30;
/// Largest plain number (hours, months, rates, coordinates, metric values) accepted.
pub const MAX_PLAIN: f64 = 1e15;

/// Currency marks a typed amount may carry before or after its digits, with the
/// currency each names (`$`: a dollar or peso sign of any country).
const CURRENCY_MARKS: &[(&str, &str)] = &[
    ("US$", "USD"),
    ("USD$", "USD"),
    ("MX$", "MXN"),
    ("MEX$", "MXN"),
    ("R$", "BRL"),
    ("COL$", "COP"),
    ("CLP$", "CLP"),
    ("AR$", "ARS"),
    ("C$", "CAD"),
    ("A$", "AUD"),
    ("S/", "PEN"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "JPY"),
    ("₹", "INR"),
    ("₩", "KRW"),
    ("$", "$"),
];

fn err(rule: &'static str) -> Error {
    // The field is named by the caller (`for_field`).
    Error::invalid("", rule)
}

/// Names the field in an error of the reader.
fn for_field(field: &str, e: Error) -> Error {
    match e {
        Error::Invalid { rule, detail, .. } => Error::Invalid {
            field: field.to_string(),
            rule,
            detail,
        },
        other => other,
    }
}

/// Takes a currency mark off the start or the end of `text`: returns the rest and the
/// currency the mark names, if it had one (an ISO code, or `$` for any dollar or peso).
fn strip_currency(text: &str) -> Result<(&str, Option<String>)> {
    let text = text.trim();
    // The longest mark first: "5 AR$" is pesos, not "5 A" and reais.
    let mut marks: Vec<&(&str, &str)> = CURRENCY_MARKS.iter().collect();
    marks.sort_by_key(|(mark, _)| std::cmp::Reverse(mark.len()));
    for (mark, code) in marks {
        if let Some(rest) = text.strip_prefix(mark) {
            return Ok((rest.trim_start(), Some(code.to_string())));
        }
        if let Some(rest) = text.strip_suffix(mark) {
            return Ok((rest.trim_end(), Some(code.to_string())));
        }
    }
    let letters = |s: &str| s.len() == 3 && s.chars().all(|c| c.is_ascii_alphabetic());
    if let Some((head, rest)) = text.split_once(char::is_whitespace) {
        if letters(head) {
            return Ok((rest.trim_start(), Some(head.to_ascii_uppercase())));
        }
    }
    if let Some((rest, tail)) = text.rsplit_once(char::is_whitespace) {
        if letters(tail) {
            return Ok((rest.trim_end(), Some(tail.to_ascii_uppercase())));
        }
    }
    Ok((text, None))
}

/// Takes one sign off the start: (negative, rest, whether there was a sign).
fn strip_sign(text: &str) -> (bool, &str, bool) {
    let text = text.trim();
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        return (true, inner.trim(), true);
    }
    for minus in ['-', '−', '–'] {
        if let Some(rest) = text.strip_prefix(minus) {
            return (true, rest.trim_start(), true);
        }
    }
    match text.strip_prefix('+') {
        Some(rest) => (false, rest.trim_start(), true),
        None => (false, text, false),
    }
}

/// Reads the digits and marks of a number (no sign, no currency) in one format.
fn read_body(body: &str, format: NumberFormat) -> Option<Decimal> {
    if body.is_empty() {
        return None;
    }
    let decimal = format.decimal_mark();
    let (whole, fraction) = match body.split_once(decimal) {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    if let Some(f) = fraction {
        if !f.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    // Thousands marks are optional, but where they are, every group has three digits.
    let groups: Vec<&str> = whole.split(|c| format.is_group_mark(c)).collect();
    if groups
        .iter()
        .any(|g| !g.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    if groups.len() > 1 {
        let first = groups[0].len();
        if !(1..=3).contains(&first) || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    let whole_digits: String = groups.concat();
    let fraction_digits = fraction.unwrap_or("");
    if whole_digits.is_empty() && fraction_digits.is_empty() {
        return None;
    }
    if whole_digits.len() + fraction_digits.len() > MAX_DIGITS {
        return None;
    }
    let mut mantissa: u128 = 0;
    for b in whole_digits.bytes().chain(fraction_digits.bytes()) {
        mantissa = mantissa
            .checked_mul(10)?
            .checked_add(u128::from(b - b'0'))?;
    }
    Some(Decimal {
        negative: false,
        mantissa,
        scale: fraction_digits.len() as u32,
    })
}

/// Reads `text` as a decimal number written in `format`. Refuses, with a rule code,
/// empty text, text that is not a number, text written in another format (the error's
/// detail is the number written in `format`), and numbers with too many digits.
/// `currency` is what a currency mark in the text named, when it had one.
pub fn read_decimal(text: &str, format: NumberFormat) -> Result<(Decimal, Option<String>)> {
    let (negative_outside, rest, signed_outside) = strip_sign(text);
    let (rest, currency) = strip_currency(rest)?;
    let (negative_inside, body, signed_inside) = strip_sign(rest);
    // One sign at most: "--5" or "-(5)" is a typo, never a plus.
    if signed_outside && signed_inside {
        return Err(err("not_a_number"));
    }
    if body.is_empty() {
        return Err(err(if text.trim().is_empty() {
            "required"
        } else {
            "not_a_number"
        }));
    }
    if body.chars().filter(|c| c.is_ascii_digit()).count() > MAX_DIGITS {
        return Err(err("too_large"));
    }
    let negative = negative_outside || negative_inside;
    if let Some(d) = read_body(body, format) {
        return Ok((Decimal { negative, ..d }, currency));
    }
    // Written another way? Say how to write it in the office's format.
    for other in NumberFormat::ALL {
        if other == format {
            continue;
        }
        if let Some(d) = read_body(body, other) {
            let shown = format.write(negative, d.mantissa, d.scale);
            return Err(Error::invalid_because("", format.decimal_rule(), shown));
        }
    }
    Err(err("not_a_number"))
}

/// A plain number (hours, months, rates, coordinates): finite, at most `MAX_PLAIN`.
pub fn read_number(field: &str, text: &str, format: NumberFormat) -> Result<f64> {
    let read = || -> Result<f64> {
        let (d, currency) = read_decimal(text, format)?;
        if currency.is_some() {
            return Err(err("not_a_number"));
        }
        let value = d.to_f64();
        if !value.is_finite() || value.abs() > MAX_PLAIN {
            return Err(err("too_large"));
        }
        Ok(value)
    };
    read().map_err(|e| for_field(field, e))
}

/// A whole number (years, months, population), grouping marks allowed.
pub fn read_integer(field: &str, text: &str, format: NumberFormat) -> Result<i64> {
    let read = || -> Result<i64> {
        let (d, currency) = read_decimal(text, format)?;
        if currency.is_some() {
            return Err(err("not_a_number"));
        }
        let d = d.normalised();
        if d.scale > 0 {
            return Err(err("not_an_integer"));
        }
        let value = i64::try_from(d.mantissa).map_err(|_| err("too_large"))?;
        Ok(if d.negative { -value } else { value })
    };
    read().map_err(|e| for_field(field, e))
}

/// An amount in minor units of `currency`, exactly: "1.500,50" EUR → 150050. More
/// decimals than the currency has are refused, never rounded; a currency mark in the
/// text must name `currency` (or be a plain `$`).
pub fn read_minor(field: &str, text: &str, format: NumberFormat, currency: &str) -> Result<i64> {
    let read = || -> Result<i64> {
        let (d, named) = read_decimal(text, format)?;
        if let Some(named) = named.filter(|n| n != "$") {
            if !named.eq_ignore_ascii_case(currency) {
                return Err(Error::invalid_because("", "currency_mismatch", named));
            }
        }
        // The decimals as written count: "1.500" for a currency of two decimals is
        // a thousands group typed the wrong way, not 1.50.
        let exponent = crate::money::exponent(currency);
        if d.scale > exponent {
            return Err(Error::invalid_because(
                "",
                "too_many_decimals",
                exponent.to_string(),
            ));
        }
        let minor = d
            .mantissa
            .checked_mul(10u128.pow(exponent - d.scale))
            .ok_or_else(|| err("too_large"))?;
        if minor > crate::kinds::MAX_MINOR as u128 {
            return Err(err("too_large"));
        }
        let minor = minor as i64;
        Ok(if d.negative { -minor } else { minor })
    };
    read().map_err(|e| for_field(field, e))
}

/// A percentage with at most two decimals as basis points: "25" → 2500, "12,5 %" →
/// 1250 in `1.234,56`.
pub fn read_percent_bp(field: &str, text: &str, format: NumberFormat) -> Result<i64> {
    let read = || -> Result<i64> {
        let text = text.trim();
        let text = text.strip_suffix('%').unwrap_or(text);
        let (d, currency) = read_decimal(text, format)?;
        if currency.is_some() {
            return Err(err("not_a_number"));
        }
        let d = d.normalised();
        if d.scale > 2 {
            return Err(Error::invalid_because("", "too_many_decimals", "2"));
        }
        let bp = d
            .mantissa
            .checked_mul(10u128.pow(2 - d.scale))
            .filter(|bp| *bp <= 1_000_000)
            .ok_or_else(|| err("too_large"))? as i64;
        Ok(if d.negative { -bp } else { bp })
    };
    read().map_err(|e| for_field(field, e))
}

/// A percentage as a plain number of percent ("4,1 %" → 4.1).
pub fn read_percent(field: &str, text: &str, format: NumberFormat) -> Result<f64> {
    let trimmed = text.trim();
    read_number(field, trimmed.strip_suffix('%').unwrap_or(trimmed), format)
}

/// Writes a plain number in `format` with at most `decimals` decimals, grouped.
pub fn write_number(value: f64, decimals: u32, format: NumberFormat) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let scaled = (value.abs() * 10f64.powi(decimals as i32)).round();
    let mantissa = if scaled >= u128::MAX as f64 {
        u128::MAX
    } else {
        scaled as u128
    };
    let d = Decimal {
        negative: value < 0.0 && mantissa > 0,
        mantissa,
        scale: decimals,
    };
    format.write(d.negative, d.mantissa, d.scale)
}

/// Writes minor units of `currency` as its decimal amount in `format`: 150050 MXN →
/// "1,500.50".
pub fn write_minor(minor: i64, currency: &str, format: NumberFormat) -> String {
    format.write(
        minor < 0,
        u128::from(minor.unsigned_abs()),
        crate::money::exponent(currency),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const CP: NumberFormat = NumberFormat::CommaPoint;
    const PC: NumberFormat = NumberFormat::PointComma;
    const SC: NumberFormat = NumberFormat::SpaceComma;

    fn code_of<T: std::fmt::Debug>(r: Result<T>) -> String {
        match r {
            Ok(v) => format!("ok {v:?}"),
            Err(e) => e.code(),
        }
    }

    #[test]
    fn amounts_read_by_the_office_format_or_refused_with_their_rule() {
        // (format, text, currency, expected minor units or error code)
        let cases: &[(NumberFormat, &str, &str, std::result::Result<i64, &str>)] = &[
            (CP, "1500.5", "MXN", Ok(150050)),
            (CP, "1,500.50", "MXN", Ok(150050)),
            (CP, "1,234,567.89", "MXN", Ok(123456789)),
            (CP, "$1,200", "MXN", Ok(120000)),
            (CP, "US$ 1,200.00", "USD", Ok(120000)),
            (CP, "MX$ 1,200", "USD", Err("invalid.currency_mismatch")),
            (CP, "1,200 USD", "USD", Ok(120000)),
            (CP, "EUR 3.5", "EUR", Ok(350)),
            (CP, "-12.5", "MXN", Ok(-1250)),
            (CP, "(12.50)", "MXN", Ok(-1250)),
            (CP, "+7", "MXN", Ok(700)),
            (CP, "  42  ", "MXN", Ok(4200)),
            (CP, ".5", "MXN", Ok(50)),
            (CP, "1500,5", "MXN", Err("invalid.decimal_point_expected")),
            (CP, "17,25", "MXN", Err("invalid.decimal_point_expected")),
            (CP, "1,50", "MXN", Err("invalid.decimal_point_expected")),
            (CP, "1.234,56", "MXN", Err("invalid.decimal_point_expected")),
            (CP, "1.505", "MXN", Err("invalid.too_many_decimals")),
            (CP, "1.500", "MXN", Err("invalid.too_many_decimals")),
            (CP, "1.50", "MXN", Ok(150)),
            (CP, "--5", "MXN", Err("invalid.not_a_number")),
            (CP, "-(5)", "MXN", Err("invalid.not_a_number")),
            (CP, "-$-5", "MXN", Err("invalid.not_a_number")),
            (CP, "+-5", "MXN", Err("invalid.not_a_number")),
            (CP, "5 AR$", "ARS", Ok(500)),
            (PC, "1,500", "MXN", Err("invalid.too_many_decimals")),
            (CP, "100", "JPY", Ok(100)),
            (CP, "100.5", "JPY", Err("invalid.too_many_decimals")),
            (CP, "1.234", "KWD", Ok(1234)),
            (CP, "", "MXN", Err("invalid.required")),
            (CP, "   ", "MXN", Err("invalid.required")),
            (CP, "abc", "MXN", Err("invalid.not_a_number")),
            (CP, "12a", "MXN", Err("invalid.not_a_number")),
            (CP, "1e5", "MXN", Err("invalid.not_a_number")),
            (CP, "1..5", "MXN", Err("invalid.not_a_number")),
            (
                CP,
                "99999999999999999999999999",
                "MXN",
                Err("invalid.too_large"),
            ),
            (CP, "10000000000001", "MXN", Err("invalid.too_large")),
            (
                CP,
                "1234567890123456789012345678901234",
                "MXN",
                Err("invalid.too_large"),
            ),
            (PC, "1.500,50", "MXN", Ok(150050)),
            (PC, "1500,5", "MXN", Ok(150050)),
            (PC, "12.500,00", "EUR", Ok(1250000)),
            (PC, "8.940.000", "COP", Ok(894000000)),
            (PC, "R$ 3.215.450,50", "BRL", Ok(321545050)),
            (PC, "1500.5", "MXN", Err("invalid.decimal_comma_expected")),
            (PC, "1,234.56", "MXN", Err("invalid.decimal_comma_expected")),
            (PC, "1.5", "MXN", Err("invalid.decimal_comma_expected")),
            (PC, "€ -2,5", "EUR", Ok(-250)),
            (SC, "1 234,56", "EUR", Ok(123456)),
            (SC, "1\u{a0}234,56", "EUR", Ok(123456)),
            (SC, "1\u{202f}234\u{202f}567", "EUR", Ok(123456700)),
            (SC, "1234,5 €", "EUR", Ok(123450)),
            (SC, "1 23,5", "EUR", Err("invalid.not_a_number")),
            (SC, "1,234.56", "EUR", Err("invalid.decimal_comma_expected")),
        ];
        assert!(cases.len() >= 40);
        for (format, text, currency, expected) in cases {
            let got = read_minor("amount_minor", text, *format, currency);
            match (expected, got) {
                (Ok(want), Ok(got)) => assert_eq!(*want, got, "{text:?} in {format:?}"),
                (Err(want), Err(e)) => {
                    assert_eq!(*want, e.code(), "{text:?} in {format:?}");
                    assert_eq!(e.field_and_detail().0, Some("amount_minor"));
                }
                (want, got) => panic!("{text:?} in {format:?}: want {want:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn a_number_in_another_format_is_refused_with_the_number_written_the_office_way() {
        let e = read_minor("amount_minor", "1500,5", CP, "MXN").unwrap_err();
        assert_eq!(e.code(), "invalid.decimal_point_expected");
        assert!(e.to_string().contains("1,500.5"), "{e}");
        let e = read_number("rate", "17.25", PC).unwrap_err();
        assert!(e.to_string().contains("17,25"), "{e}");
        let e = read_number("rate", "17.25", SC).unwrap_err();
        assert!(e.to_string().contains("17,25"), "{e}");
    }

    #[test]
    fn plain_numbers_percentages_and_integers() {
        assert_eq!(read_number("rate", "17,25", PC).unwrap(), 17.25);
        assert_eq!(read_number("rate", "17.25", CP).unwrap(), 17.25);
        assert_eq!(
            code_of(read_number("rate", "17,25", CP)),
            "invalid.decimal_point_expected"
        );
        assert_eq!(read_number("rate", "0.000061", CP).unwrap(), 0.000061);
        assert_eq!(
            code_of(read_number("h", "1e400", CP)),
            "invalid.not_a_number"
        );
        assert_eq!(code_of(read_number("h", "$5", CP)), "invalid.not_a_number");
        assert_eq!(read_percent("interest_rate", "4,1 %", PC).unwrap(), 4.1);
        assert_eq!(
            code_of(read_percent("interest_rate", "4,1", CP)),
            "invalid.decimal_point_expected"
        );
        assert_eq!(read_percent_bp("share_bp", "25", CP).unwrap(), 2500);
        assert_eq!(read_percent_bp("share_bp", "12,5 %", PC).unwrap(), 1250);
        assert_eq!(
            code_of(read_percent_bp("share_bp", "12.345", CP)),
            "invalid.too_many_decimals"
        );
        assert_eq!(
            read_integer("population", "1,500,000", CP).unwrap(),
            1_500_000
        );
        assert_eq!(
            read_integer("population", "1.500.000", PC).unwrap(),
            1_500_000
        );
        assert_eq!(
            code_of(read_integer("year", "2025.5", CP)),
            "invalid.not_an_integer"
        );
    }

    #[test]
    fn numbers_are_written_in_each_format() {
        assert_eq!(write_minor(150050, "MXN", CP), "1,500.50");
        assert_eq!(write_minor(150050, "MXN", PC), "1.500,50");
        assert_eq!(write_minor(150050, "MXN", SC), "1 500,50");
        assert_eq!(write_minor(-5, "JPY", CP), "-5");
        assert_eq!(write_number(17.25, 2, PC), "17,25");
        assert_eq!(write_number(-0.0001, 2, CP), "0.00");
    }
}
