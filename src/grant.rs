//! The grant element of a loan: how much of its face value is a gift, as the share
//! (face value − present value of the debt service) / face value, the debt service
//! being every interest and principal payment discounted at a discount rate (5 % by
//! default, the IMF/World Bank unified rate; 10 % is the older OECD-DAC convention).
//!
//! Conventions (those of the OECD-DAC formula):
//! - the whole face value, taken as 1, is disbursed at t = 0;
//! - `m` payments a year (1 or 2): interest per period is the annual rate / m, and the
//!   discount per period is δ = (1 + D)^(1/m) − 1, so that a year discounts by 1 + D
//!   whatever the schedule;
//! - n = round(tenor × m) periods in all, g = round(grace × m) of grace, during which
//!   only interest on the whole face value is paid;
//! - after grace, `EqualPrincipal` repays n − g equal instalments of principal plus the
//!   interest on the balance, `Annuity` n − g level payments; `Bullet` pays interest every
//!   period and all the principal at period n, whatever the grace.
//!
//! A negative grant element (interest above the discount rate) is returned as it is.

use crate::format::Lang;
use crate::model::Instrument;

pub use crate::model::RepaymentProfile;

/// The terms of a loan, rates in percent a year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoanTerms {
    pub interest_rate_pct: f64,
    pub tenor_years: f64,
    pub grace_years: f64,
    pub profile: RepaymentProfile,
    pub payments_per_year: u32,
}

/// Why a loan's terms give no grant element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermsProblem {
    /// A NaN or an infinity, in the field of that name (`interest_rate`, `tenor_years`,
    /// `grace_years`, `discount_rate`).
    NotFinite(&'static str),
    /// The interest rate is below 0 or above 100 % a year.
    InterestOutOfRange,
    /// The discount rate is not above 0, or is above 100 % a year.
    DiscountOutOfRange,
    /// The tenor is not positive, or shorter than one payment period once rounded.
    TenorNotPositive,
    /// The tenor is longer than 100 years.
    TenorTooLong,
    GraceNegative,
    /// The grace period, rounded to periods, leaves no period to repay the principal in.
    GraceNotShorterThanTenor,
    /// Payments per year other than 1 or 2.
    PaymentsPerYear,
}

/// The longest tenor accepted: 200 periods at most, and a bound past which the terms
/// are more likely a typing slip than a loan.
const MAX_TENOR_YEARS: f64 = 100.0;

impl TermsProblem {
    pub fn code(&self) -> &'static str {
        match self {
            TermsProblem::NotFinite(_) => "not_finite",
            TermsProblem::InterestOutOfRange => "interest_out_of_range",
            TermsProblem::DiscountOutOfRange => "discount_out_of_range",
            TermsProblem::TenorNotPositive => "tenor_not_positive",
            TermsProblem::TenorTooLong => "tenor_too_long",
            TermsProblem::GraceNegative => "grace_negative",
            TermsProblem::GraceNotShorterThanTenor => "grace_not_shorter_than_tenor",
            TermsProblem::PaymentsPerYear => "payments_per_year",
        }
    }

    /// The problem as a sentence for people.
    pub fn text(&self, lang: Lang) -> String {
        let text = match self {
            TermsProblem::NotFinite(field) => {
                let (es, en) = match *field {
                    "interest_rate" => ("La tasa de interés", "The interest rate"),
                    "tenor_years" => ("El plazo", "The tenor"),
                    "grace_years" => ("El periodo de gracia", "The grace period"),
                    "discount_rate" => ("La tasa de descuento", "The discount rate"),
                    _ => ("Un dato del préstamo", "A term of the loan"),
                };
                return format!(
                    "{} {}",
                    lang.pick(es, en),
                    lang.pick("no es un número finito.", "is not a finite number.")
                );
            }
            TermsProblem::InterestOutOfRange => lang.pick(
                "La tasa de interés debe estar entre 0 y 100 % anual.",
                "The interest rate must be between 0 and 100 % a year.",
            ),
            TermsProblem::DiscountOutOfRange => lang.pick(
                "La tasa de descuento debe ser mayor que 0 y de hasta 100 % anual.",
                "The discount rate must be above 0 and at most 100 % a year.",
            ),
            TermsProblem::TenorNotPositive => lang.pick(
                "El plazo debe ser positivo y cubrir al menos un periodo de pago.",
                "The tenor must be positive and cover at least one payment period.",
            ),
            TermsProblem::TenorTooLong => lang.pick(
                "El plazo no puede pasar de 100 años.",
                "The tenor cannot be longer than 100 years.",
            ),
            TermsProblem::GraceNegative => lang.pick(
                "El periodo de gracia no puede ser negativo.",
                "The grace period cannot be negative.",
            ),
            TermsProblem::GraceNotShorterThanTenor => lang.pick(
                "El periodo de gracia debe ser más corto que el plazo.",
                "The grace period must be shorter than the tenor.",
            ),
            TermsProblem::PaymentsPerYear => lang.pick(
                "Los pagos por año deben ser 1 (anuales) o 2 (semestrales).",
                "Payments per year must be 1 (annual) or 2 (semi-annual).",
            ),
        };
        text.to_string()
    }
}

/// The grant element as a share of face value (0.35 is 35 %), or why it cannot be computed.
pub fn loan_grant_element(terms: &LoanTerms, discount_rate_pct: f64) -> Result<f64, TermsProblem> {
    let m = match terms.payments_per_year {
        1 | 2 => terms.payments_per_year as usize,
        _ => return Err(TermsProblem::PaymentsPerYear),
    };
    let finite = |value: f64, field| {
        if value.is_finite() {
            Ok(value)
        } else {
            Err(TermsProblem::NotFinite(field))
        }
    };
    let rate = finite(terms.interest_rate_pct, "interest_rate")?;
    let tenor = finite(terms.tenor_years, "tenor_years")?;
    let grace = finite(terms.grace_years, "grace_years")?;
    let discount = finite(discount_rate_pct, "discount_rate")?;
    if !(0.0..=100.0).contains(&rate) {
        return Err(TermsProblem::InterestOutOfRange);
    }
    if !(discount > 0.0 && discount <= 100.0) {
        return Err(TermsProblem::DiscountOutOfRange);
    }
    if tenor <= 0.0 {
        return Err(TermsProblem::TenorNotPositive);
    }
    if tenor > MAX_TENOR_YEARS {
        return Err(TermsProblem::TenorTooLong);
    }
    if grace < 0.0 {
        return Err(TermsProblem::GraceNegative);
    }
    // The tenor is bounded here (≤ 100 years), so n ≤ 200; a huge grace saturates in
    // the cast (`as` never wraps nor panics) and is refused as not shorter than the tenor.
    let n = (tenor * m as f64).round() as usize;
    if n == 0 {
        return Err(TermsProblem::TenorNotPositive);
    }
    let g = match terms.profile {
        RepaymentProfile::Bullet => 0,
        _ => (grace * m as f64).round() as usize,
    };
    if g >= n {
        return Err(TermsProblem::GraceNotShorterThanTenor);
    }

    let r = rate / 100.0 / m as f64;
    let v = 1.0 / (1.0 + discount / 100.0).powf(1.0 / m as f64);
    let repaid = (n - g) as f64;
    // The level payment of an annuity: r / (1 − (1 + r)^−k), written with ln_1p and
    // exp_m1 so that a rate near 0 tends to 1 / k instead of dividing 0 by 0.
    let level = if r == 0.0 {
        1.0 / repaid
    } else {
        -r / (-repaid * r.ln_1p()).exp_m1()
    };

    let mut present_value = 0.0;
    let mut factor = 1.0;
    for period in 1..=n {
        factor *= v;
        let payment = if period <= g {
            // Grace: interest on the whole face value.
            r
        } else {
            match terms.profile {
                RepaymentProfile::EqualPrincipal => {
                    // The balance before this instalment, from the count of those paid
                    // (no running subtraction to drift).
                    let balance = 1.0 - (period - g - 1) as f64 / repaid;
                    r * balance + 1.0 / repaid
                }
                RepaymentProfile::Annuity => level,
                RepaymentProfile::Bullet if period == n => r + 1.0,
                RepaymentProfile::Bullet => r,
            }
        };
        present_value += payment * factor;
    }
    Ok(1.0 - present_value)
}

/// What an outcome's instrument and terms give, for the report.
#[derive(Debug, Clone, PartialEq)]
pub enum GrantElement {
    /// A loan whose terms are complete: the share (can be negative).
    Share(f64),
    /// A grant or technical assistance in kind: 100 %.
    Full,
    /// A guarantee or equity: a grant element does not apply.
    NotApplicable,
    /// A loan whose terms are missing: the names of the missing fields (`interest_rate`, `tenor_years`).
    MissingTerms(Vec<&'static str>),
    /// Terms given but impossible (grace not shorter than the tenor…).
    BadTerms(TermsProblem),
}

/// The grant element of an outcome's financing, at `discount_rate_pct` a year.
///
/// A loan (concessional or not) needs its interest rate and tenor; a missing grace is 0
/// years, a missing profile is `EqualPrincipal`, and missing payments per year are 2
/// (semi-annual, the usual schedule of development banks).
pub fn grant_element(
    instrument: Instrument,
    interest_rate: Option<f64>,
    tenor_years: Option<f64>,
    grace_years: Option<f64>,
    profile: Option<RepaymentProfile>,
    payments_per_year: Option<i64>,
    discount_rate_pct: f64,
) -> GrantElement {
    match instrument {
        Instrument::Grant | Instrument::TechnicalAssistance => return GrantElement::Full,
        Instrument::Guarantee | Instrument::Equity => return GrantElement::NotApplicable,
        Instrument::Loan | Instrument::ConcessionalLoan => {}
    }
    let (Some(rate), Some(tenor)) = (interest_rate, tenor_years) else {
        let missing = [
            ("interest_rate", interest_rate),
            ("tenor_years", tenor_years),
        ]
        .into_iter()
        .filter(|(_, value)| value.is_none())
        .map(|(name, _)| name)
        .collect();
        return GrantElement::MissingTerms(missing);
    };
    // Anything but 1 or 2, negative or past u32 included, is refused by the computation.
    let payments_per_year = match payments_per_year {
        None => 2,
        Some(count) => u32::try_from(count).unwrap_or(0),
    };
    let terms = LoanTerms {
        interest_rate_pct: rate,
        tenor_years: tenor,
        grace_years: grace_years.unwrap_or(0.0),
        profile: profile.unwrap_or(RepaymentProfile::EqualPrincipal),
        payments_per_year,
    };
    match loan_grant_element(&terms, discount_rate_pct) {
        Ok(share) => GrantElement::Share(share),
        Err(problem) => GrantElement::BadTerms(problem),
    }
}

/// A financing outcome's grant element as the screens show it.
#[derive(serde::Serialize, serde::Deserialize, ts_rs::TS, Debug, Clone, PartialEq)]
pub struct GrantElementView {
    /// The share (0.35 is 35 %) when there is one.
    pub share: Option<f64>,
    pub text_es: String,
    pub text_en: String,
}

impl GrantElement {
    /// The grant element in words, at `discount_rate_pct`.
    pub fn text(&self, discount_rate_pct: f64, lang: Lang) -> String {
        let rate = crate::format::number(discount_rate_pct, 1);
        match self {
            GrantElement::Share(s) => {
                let pct = crate::format::number(s * 100.0, 1);
                match (lang, *s < 0.0) {
                    (Lang::Es, false) => format!("Elemento de donación: {pct} % (tasa de descuento {rate} %)"),
                    (Lang::En, false) => format!("Grant element: {pct} % (discount rate {rate} %)"),
                    (Lang::Es, true) => format!("Elemento de donación: {pct} % (tasa de descuento {rate} %): el préstamo cuesta más que la tasa de descuento"),
                    (Lang::En, true) => format!("Grant element: {pct} % (discount rate {rate} %): the loan costs more than the discount rate"),
                }
            }
            GrantElement::Full => lang
                .pick(
                    "Elemento de donación: 100 % (donación o asistencia técnica en especie)",
                    "Grant element: 100 % (a grant or technical assistance in kind)",
                )
                .into(),
            GrantElement::NotApplicable => lang
                .pick(
                    "Una garantía o una participación de capital no tiene elemento de donación: no cuenta en el equivalente en donación",
                    "A guarantee or equity has no grant element: it does not count in the grant equivalent",
                )
                .into(),
            GrantElement::MissingTerms(fields) => {
                let names: Vec<&str> = fields
                    .iter()
                    .filter_map(|f| crate::kinds::RecordKind::Outcome.field(f))
                    .map(|f| f.label(lang))
                    .collect();
                match lang {
                    Lang::Es => format!(
                        "Falta {} del préstamo: su elemento de donación no se calcula y queda fuera del equivalente en donación",
                        names.join(" y ")
                    ),
                    Lang::En => format!(
                        "The loan's {} is missing: its grant element is not computed and it is left out of the grant equivalent",
                        names.join(" and ")
                    ),
                }
            }
            GrantElement::BadTerms(problem) => problem.text(lang),
        }
    }
}

/// The grant element of a financing outcome (None for the other kinds, or with no
/// instrument), with its words.
pub fn of_outcome(o: &crate::model::Outcome, discount_rate_pct: f64) -> Option<GrantElementView> {
    if o.kind != crate::model::OutcomeKind::Financing {
        return None;
    }
    let ge = grant_element(
        o.instrument?,
        o.interest_rate,
        o.tenor_years,
        o.grace_years,
        o.repayment_profile,
        o.payments_per_year,
        discount_rate_pct,
    );
    Some(GrantElementView {
        share: match ge {
            GrantElement::Share(s) => Some(s),
            GrantElement::Full => Some(1.0),
            _ => None,
        },
        text_es: ge.text(discount_rate_pct, Lang::Es),
        text_en: ge.text(discount_rate_pct, Lang::En),
    })
}
