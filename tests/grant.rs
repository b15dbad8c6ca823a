//! The grant element of a loan against values worked out by hand: each expected value
//! is the discounted sum of the loan's cash flows written out period by period (or the
//! OECD-DAC closed formula), never a call to the code under test. The literals in the
//! comments were checked with python3.

use cabildo::format::Lang;
use cabildo::grant::{
    grant_element, loan_grant_element, GrantElement, LoanTerms, RepaymentProfile, TermsProblem,
};
use cabildo::model::Instrument;

const EPS: f64 = 1e-9;

/// 1 − Σ flow_t / (1 + δ)^t, t = 1, 2…: the grant element of the debt service `flows`
/// on a face value of 1 disbursed at t = 0.
fn by_hand(flows: &[f64], delta: f64) -> f64 {
    let pv: f64 = flows
        .iter()
        .enumerate()
        .map(|(i, flow)| flow / (1.0 + delta).powi(i as i32 + 1))
        .sum();
    1.0 - pv
}

/// The OECD-DAC formula for equal principal payments: interest `r` a year, `a`
/// payments a year, grace `g` and maturity `m` in years, `d` the discount per period.
fn dac(r: f64, a: f64, g: f64, m: f64, d: f64) -> f64 {
    (1.0 - (r / a) / d)
        * (1.0
            - (1.0 / (1.0 + d).powf(a * g) - 1.0 / (1.0 + d).powf(a * m)) / (d * (a * m - a * g)))
}

/// The discount per period, (1 + D)^(1/m) − 1.
fn per_period(discount: f64, m: u32) -> f64 {
    (1.0 + discount).powf(1.0 / m as f64) - 1.0
}

fn terms(rate: f64, tenor: f64, grace: f64, profile: RepaymentProfile, m: u32) -> LoanTerms {
    LoanTerms {
        interest_rate_pct: rate,
        tenor_years: tenor,
        grace_years: grace,
        profile,
        payments_per_year: m,
    }
}

fn ge(t: LoanTerms, discount_pct: f64) -> f64 {
    loan_grant_element(&t, discount_pct).expect("valid terms")
}

fn close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < EPS,
        "{actual} differs from {expected}"
    );
}

use RepaymentProfile::{Annuity, Bullet, EqualPrincipal};

#[test]
fn equal_principal_annual_matches_flows_and_the_dac_formula() {
    // 10 years, 2 of grace, 2 %, annual: years 1–2 interest only; years 3–10 pay 1/8
    // of principal plus 2 % of the balance before it (1, 7/8, …, 1/8).
    let flows = [
        0.02,
        0.02,
        0.125 + 0.02 * 1.0,
        0.125 + 0.02 * 0.875,
        0.125 + 0.02 * 0.75,
        0.125 + 0.02 * 0.625,
        0.125 + 0.02 * 0.5,
        0.125 + 0.02 * 0.375,
        0.125 + 0.02 * 0.25,
        0.125 + 0.02 * 0.125,
    ];
    let expected = by_hand(&flows, 0.05); // 0.160325662624064
    let actual = ge(terms(2.0, 10.0, 2.0, EqualPrincipal, 1), 5.0);
    close(actual, expected);
    close(actual, dac(0.02, 1.0, 2.0, 10.0, 0.05));
    close(actual, 0.160325662624064);
}

#[test]
fn grace_longer_than_half_the_tenor() {
    // 8 years, 5 of grace, 1 %: five years of interest, then three thirds of principal
    // with interest on 1, 2/3, 1/3.
    let third = 1.0 / 3.0;
    let flows = [
        0.01,
        0.01,
        0.01,
        0.01,
        0.01,
        third + 0.01,
        third + 0.01 * 2.0 * third,
        third + 0.01 * third,
    ];
    let actual = ge(terms(1.0, 8.0, 5.0, EqualPrincipal, 1), 5.0);
    close(actual, by_hand(&flows, 0.05)); // 0.231003709654551
    close(actual, dac(0.01, 1.0, 5.0, 8.0, 0.05));
}

#[test]
fn zero_interest_annuity_and_equal_principal() {
    // At 0 % both profiles pay nothing for 2 years, then 1/8 for 8 years.
    let flows = [
        0.0, 0.0, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125,
    ];
    let expected = by_hand(&flows, 0.05); // 0.267209437706774
    close(ge(terms(0.0, 10.0, 2.0, Annuity, 1), 5.0), expected);
    close(ge(terms(0.0, 10.0, 2.0, EqualPrincipal, 1), 5.0), expected);
    // Bullet at 0 %: only the face value at year 10.
    close(
        ge(terms(0.0, 10.0, 0.0, Bullet, 1), 5.0),
        1.0 - 1.05_f64.powi(-10),
    );
    // A rate too small to tell from 0 gives the same level payment, not 0 / 0.
    close(ge(terms(1e-300, 10.0, 2.0, Annuity, 1), 5.0), expected);
}

#[test]
fn interest_above_the_discount_rate_is_negative_and_not_clamped() {
    // Bullet, 5 years at 8 %: 0.08 for four years, then 1.08.
    let flows = [0.08, 0.08, 0.08, 0.08, 1.08];
    let actual = ge(terms(8.0, 5.0, 0.0, Bullet, 1), 5.0);
    close(actual, by_hand(&flows, 0.05)); // -0.129884300118925
                                          // Closed form of a bullet: (1 − r/d)(1 − (1 + d)^−n).
    close(actual, (1.0 - 0.08 / 0.05) * (1.0 - 1.05_f64.powi(-5)));
    assert!(actual < 0.0);
    // Equal principal, 10 years, 2 of grace, at 8 %.
    let ep = ge(terms(8.0, 10.0, 2.0, EqualPrincipal, 1), 5.0);
    close(ep, dac(0.08, 1.0, 2.0, 10.0, 0.05)); // -0.160325662624064
    assert!(ep < 0.0);
}

#[test]
fn semi_annual_annuity() {
    // 5 years, 1 of grace, 3 %, two payments a year: 10 periods, 2 of grace at 1.5 %,
    // then 8 level payments A = 0.015 / (1 − 1.015^−8), discounted at √1.05 − 1.
    let d = per_period(0.05, 2);
    let a = 0.015 / (1.0 - 1.015_f64.powi(-8));
    let flows = [0.015, 0.015, a, a, a, a, a, a, a, a];
    let actual = ge(terms(3.0, 5.0, 1.0, Annuity, 2), 5.0);
    close(actual, by_hand(&flows, d)); // 0.0576831175919355
    close(actual, 0.0576831175919355);
}

#[test]
fn bullet_pays_principal_at_maturity_whatever_the_grace() {
    // 3 years at 4 %, semi-annual: 2 % for five half-years, then 1.02.
    let d = per_period(0.05, 2);
    let flows = [0.02, 0.02, 0.02, 0.02, 0.02, 1.02];
    let expected = by_hand(&flows, d); // 0.0258874639202032
    close(ge(terms(4.0, 3.0, 0.0, Bullet, 2), 5.0), expected);
    close(ge(terms(4.0, 3.0, 2.0, Bullet, 2), 5.0), expected);
    // A grace as long as the tenor does not matter to a bullet.
    close(ge(terms(4.0, 3.0, 3.0, Bullet, 2), 5.0), expected);
}

#[test]
fn a_higher_discount_rate_gives_a_higher_grant_element() {
    let loan = terms(2.0, 10.0, 2.0, EqualPrincipal, 1);
    let at_5 = ge(loan, 5.0);
    let at_10 = ge(loan, 10.0);
    close(at_5, dac(0.02, 1.0, 2.0, 10.0, 0.05));
    close(at_10, dac(0.02, 1.0, 2.0, 10.0, 0.10)); // 0.359097008437796
    assert!(at_10 > at_5);
    // Semi-annual at 10 %: d = √1.10 − 1 per half-year.
    let semi = ge(terms(2.0, 10.0, 2.0, EqualPrincipal, 2), 10.0);
    close(semi, dac(0.02, 2.0, 2.0, 10.0, per_period(0.10, 2)));
    assert!(semi > ge(terms(2.0, 10.0, 2.0, EqualPrincipal, 2), 5.0));
}

#[test]
fn interest_equal_to_the_discount_rate() {
    // Annual: interest per period equals the discount per period, so every profile's
    // debt service is worth exactly its face value.
    for profile in RepaymentProfile::ALL {
        close(ge(terms(5.0, 10.0, 2.0, *profile, 1), 5.0), 0.0);
        close(ge(terms(10.0, 7.0, 3.0, *profile, 1), 10.0), 0.0);
    }
    // Semi-annual: 5 % / 2 = 2.5 % a half-year is above √1.05 − 1 ≈ 2.4695 %, so the
    // DAC convention gives a slightly negative grant element. Bullet over one year:
    let d = per_period(0.05, 2);
    let semi = ge(terms(5.0, 1.0, 0.0, Bullet, 2), 5.0);
    close(semi, by_hand(&[0.025, 1.025], d)); // -0.000587978014189
    assert!(semi < 0.0);
}

#[test]
fn instruments_other_than_loans() {
    for instrument in [Instrument::Grant, Instrument::TechnicalAssistance] {
        assert_eq!(
            grant_element(instrument, None, None, None, None, None, 5.0),
            GrantElement::Full
        );
        // Terms recorded on a grant change nothing.
        assert_eq!(
            grant_element(
                instrument,
                Some(f64::NAN),
                Some(-1.0),
                None,
                None,
                Some(7),
                5.0
            ),
            GrantElement::Full
        );
    }
    for instrument in [Instrument::Guarantee, Instrument::Equity] {
        assert_eq!(
            grant_element(instrument, Some(2.0), Some(10.0), None, None, None, 5.0),
            GrantElement::NotApplicable
        );
    }
}

#[test]
fn a_loan_without_its_terms_names_what_is_missing() {
    for instrument in [Instrument::Loan, Instrument::ConcessionalLoan] {
        assert_eq!(
            grant_element(instrument, Some(2.0), None, Some(1.0), None, None, 5.0),
            GrantElement::MissingTerms(vec!["tenor_years"])
        );
        assert_eq!(
            grant_element(instrument, None, Some(10.0), None, None, None, 5.0),
            GrantElement::MissingTerms(vec!["interest_rate"])
        );
        assert_eq!(
            grant_element(instrument, None, None, None, None, None, 5.0),
            GrantElement::MissingTerms(vec!["interest_rate", "tenor_years"])
        );
    }
}

#[test]
fn a_loan_defaults_to_no_grace_equal_principal_semi_annual() {
    // 2 %, 10 years, nothing else: 20 half-years of equal principal, no grace.
    let expected = dac(0.02, 2.0, 0.0, 10.0, per_period(0.05, 2)); // 0.129897091328415
    match grant_element(
        Instrument::ConcessionalLoan,
        Some(2.0),
        Some(10.0),
        None,
        None,
        None,
        5.0,
    ) {
        GrantElement::Share(share) => close(share, expected),
        other => panic!("{other:?}"),
    }
    // Given terms are used: annual annuity at 0 % with 2 years of grace.
    let zero = by_hand(
        &[
            0.0, 0.0, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125,
        ],
        0.05,
    );
    match grant_element(
        Instrument::Loan,
        Some(0.0),
        Some(10.0),
        Some(2.0),
        Some(Annuity),
        Some(1),
        5.0,
    ) {
        GrantElement::Share(share) => close(share, zero),
        other => panic!("{other:?}"),
    }
}

#[test]
fn grace_not_shorter_than_the_tenor_is_bad_terms() {
    for profile in [EqualPrincipal, Annuity] {
        for grace in [10.0, 12.0, 9.8, 1e300] {
            assert_eq!(
                grant_element(
                    Instrument::Loan,
                    Some(2.0),
                    Some(10.0),
                    Some(grace),
                    Some(profile),
                    Some(1),
                    5.0
                ),
                GrantElement::BadTerms(TermsProblem::GraceNotShorterThanTenor),
                "{profile:?} grace {grace}"
            );
        }
    }
    // 9.7 years rounds to 19 half-years, one short of the 20: still a loan.
    assert!(matches!(
        grant_element(
            Instrument::Loan,
            Some(2.0),
            Some(10.0),
            Some(9.7),
            None,
            None,
            5.0
        ),
        GrantElement::Share(_)
    ));
}

fn problem(t: LoanTerms, discount: f64) -> TermsProblem {
    loan_grant_element(&t, discount).expect_err("bad terms")
}

#[test]
fn hostile_numbers_are_bad_terms() {
    use TermsProblem::*;
    let ok = terms(2.0, 10.0, 2.0, EqualPrincipal, 2);
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let with = |f: fn(&mut LoanTerms, f64)| {
            let mut t = ok;
            f(&mut t, bad);
            t
        };
        assert_eq!(
            problem(with(|t, x| t.interest_rate_pct = x), 5.0),
            NotFinite("interest_rate")
        );
        assert_eq!(
            problem(with(|t, x| t.tenor_years = x), 5.0),
            NotFinite("tenor_years")
        );
        assert_eq!(
            problem(with(|t, x| t.grace_years = x), 5.0),
            NotFinite("grace_years")
        );
        assert_eq!(problem(ok, bad), NotFinite("discount_rate"));
    }
    let mut t = ok;
    t.interest_rate_pct = -0.5;
    assert_eq!(problem(t, 5.0), InterestOutOfRange);
    t.interest_rate_pct = 100.01;
    assert_eq!(problem(t, 5.0), InterestOutOfRange);
    for discount in [0.0, -5.0, 100.5, 1e300] {
        assert_eq!(problem(ok, discount), DiscountOutOfRange);
    }
    for tenor in [0.0, -3.0, 0.2, 1e-300] {
        let mut t = ok;
        t.tenor_years = tenor;
        assert_eq!(problem(t, 5.0), TenorNotPositive, "tenor {tenor}");
    }
    for tenor in [100.5, 1e300] {
        let mut t = ok;
        t.tenor_years = tenor;
        assert_eq!(problem(t, 5.0), TenorTooLong);
    }
    let mut t = ok;
    t.grace_years = -1.0;
    assert_eq!(problem(t, 5.0), GraceNegative);
    for m in [0, 3, 12, u32::MAX] {
        let mut t = ok;
        t.payments_per_year = m;
        assert_eq!(problem(t, 5.0), PaymentsPerYear);
    }
    for m in [0, 3, -1, -2, i64::MAX, i64::MIN, (1_i64 << 32) | 2] {
        assert_eq!(
            grant_element(
                Instrument::Loan,
                Some(2.0),
                Some(10.0),
                None,
                None,
                Some(m),
                5.0
            ),
            GrantElement::BadTerms(PaymentsPerYear),
            "{m}"
        );
    }
    // The longest tenor, both rates at their bounds: a finite number.
    for profile in RepaymentProfile::ALL {
        for m in [1, 2] {
            let far = ge(terms(100.0, 100.0, 0.0, *profile, m), 1e-9);
            assert!(far.is_finite() && far < 0.0, "{profile:?} {m}: {far}");
            let cheap = ge(terms(0.0, 100.0, 99.0, *profile, m), 10.0);
            assert!(cheap.is_finite() && cheap > 0.0 && cheap < 1.0);
        }
    }
}

#[test]
fn no_input_panics_and_every_share_is_finite() {
    let values = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        -0.0,
        0.0,
        0.4,
        0.5,
        1.0,
        5.0,
        99.9,
        100.0,
        100.4,
        1e18,
    ];
    for &rate in &values {
        for &tenor in &values {
            for &grace in &values {
                for &discount in &values {
                    for profile in RepaymentProfile::ALL {
                        for m in [0, 1, 2, 3] {
                            if let Ok(share) = loan_grant_element(
                                &terms(rate, tenor, grace, *profile, m),
                                discount,
                            ) {
                                assert!(share.is_finite() && share <= 1.0, "{share}");
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn every_problem_has_a_code_and_a_sentence_in_both_languages() {
    use TermsProblem::*;
    let all = [
        NotFinite("interest_rate"),
        NotFinite("tenor_years"),
        NotFinite("grace_years"),
        NotFinite("discount_rate"),
        InterestOutOfRange,
        DiscountOutOfRange,
        TenorNotPositive,
        TenorTooLong,
        GraceNegative,
        GraceNotShorterThanTenor,
        PaymentsPerYear,
    ];
    let mut codes: Vec<&str> = all.iter().map(|p| p.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len() - 3, "one code per kind of problem");
    for p in all {
        let es = p.text(Lang::Es);
        let en = p.text(Lang::En);
        assert!(es.ends_with('.') && en.ends_with('.'), "{es} / {en}");
        assert_ne!(es, en);
    }
    assert_eq!(
        GraceNotShorterThanTenor.text(Lang::Es),
        "El periodo de gracia debe ser más corto que el plazo."
    );
    assert_eq!(
        NotFinite("tenor_years").text(Lang::En),
        "The tenor is not a finite number."
    );
}
