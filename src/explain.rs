//! Where a figure comes from: the records one figure of the summary sums, each with
//! its amount in its own currency, the rates and date used, its share, and what it
//! contributes. The contributions are computed by the same rules as the summary
//! (`store::roi::value_cost`, `roi::financing_credit`, `money::to_minor`), so their
//! total is the figure itself, to the minor unit.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::format::Lang;
use crate::kinds::RecordKind;
use crate::model::{CostCategory, OutcomeKind};
use crate::money::{RateUsed, RoleRates};
use crate::roi::{checked, financing_amounts, financing_credit, months_credit, RoiQuery};
use crate::store::roi::{value_cost, CostValue};
use crate::store::Store;

/// A figure of a summary row that can be opened to its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    CostTotal,
    Cost(CostCategory),
    StaffHours,
    OfficialsHours,
    FinancingCommitted,
    FinancingDisbursed,
    MonthsSaved,
    PoliciesTransferred,
}

impl Figure {
    /// Reads a figure's name as the summary's JSON names it: `cost_total`,
    /// `cost.travel`, `financing_committed`, `months_saved`…
    pub fn parse(name: &str) -> Result<Figure> {
        let name = name.trim();
        let name = name.strip_suffix("_minor").unwrap_or(name);
        if let Some(category) = name.strip_prefix("cost.") {
            return CostCategory::ALL
                .iter()
                .find(|c| c.code() == category)
                .map(|c| Figure::Cost(*c))
                .ok_or_else(|| Error::invalid_because("figure", "unknown_figure", name));
        }
        Ok(match name {
            "cost_total" => Figure::CostTotal,
            "staff_hours" => Figure::StaffHours,
            "officials_hours" => Figure::OfficialsHours,
            "financing_committed" => Figure::FinancingCommitted,
            "financing_disbursed" => Figure::FinancingDisbursed,
            "months_saved" => Figure::MonthsSaved,
            "policies_transferred" => Figure::PoliciesTransferred,
            _ => return Err(Error::invalid_because("figure", "unknown_figure", name)),
        })
    }

    pub fn code(self) -> String {
        match self {
            Figure::CostTotal => "cost_total".into(),
            Figure::Cost(c) => format!("cost.{}", c.code()),
            Figure::StaffHours => "staff_hours".into(),
            Figure::OfficialsHours => "officials_hours".into(),
            Figure::FinancingCommitted => "financing_committed".into(),
            Figure::FinancingDisbursed => "financing_disbursed".into(),
            Figure::MonthsSaved => "months_saved".into(),
            Figure::PoliciesTransferred => "policies_transferred".into(),
        }
    }

    fn unit(self) -> FigureUnit {
        match self {
            Figure::CostTotal
            | Figure::Cost(_)
            | Figure::FinancingCommitted
            | Figure::FinancingDisbursed => FigureUnit::Money,
            Figure::StaffHours | Figure::OfficialsHours => FigureUnit::Hours,
            Figure::MonthsSaved => FigureUnit::Months,
            Figure::PoliciesTransferred => FigureUnit::Count,
        }
    }
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FigureUnit {
    /// Minor units of the query's currency (`total_minor`, `contributes_minor`).
    Money,
    Hours,
    Months,
    Count,
}

/// One record's part in a figure.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Contribution {
    pub kind: RecordKind,
    pub id: String,
    pub on: NaiveDate,
    /// What the record is, for people: a cost's description, an outcome's.
    pub label: String,
    /// A cost's category code; empty for outcomes.
    pub category: String,
    /// The amount in the record's own currency (money costs, financing).
    #[ts(type = "number | null")]
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    /// Hours and the role's hourly rate (time costs).
    pub hours: Option<f64>,
    pub role: Option<String>,
    #[ts(type = "number | null")]
    pub hourly_minor: Option<i64>,
    pub hourly_currency: Option<String>,
    /// The exchange rates the conversion used, in order.
    pub rates: Vec<RateUsed>,
    /// The share counted (basis points, after any scaling to 100 %), for outcomes.
    pub share_bp: Option<f64>,
    /// What it adds to the figure: minor units of the query's currency for money
    /// figures; `None` when it could not be valued (see `missing`).
    #[ts(type = "number | null")]
    pub contributes_minor: Option<i64>,
    /// What it adds to an hours, months or count figure.
    pub contributes: f64,
    /// Why it adds nothing: `missing_exchange_rate`, `missing_role_rate`,
    /// `value_out_of_range`.
    pub missing: Option<String>,
}

/// A figure and the records it sums.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Explanation {
    pub query: RoiQuery,
    /// The membership, or `None` for the general international work.
    pub membership_id: Option<String>,
    /// The row as people name it: "Guadalajara · C40", or the general work's name.
    pub subject: String,
    pub figure: String,
    pub unit: FigureUnit,
    /// The figure for money: the exact sum of `contributes_minor`.
    #[ts(type = "number")]
    pub total_minor: i64,
    /// The figure for hours, months and counts: the sum of `contributes`.
    pub total: f64,
    pub contributions: Vec<Contribution>,
}

/// The words for the costs not tied to a membership.
pub fn general_work_label(lang: Lang) -> &'static str {
    lang.pick(
        "Trabajo internacional general",
        "General international work",
    )
}

/// The records behind one figure of a membership's row (or, with `membership_id`
/// `None`, of the general international work of the query's city or of all cities).
pub fn explain(
    store: &Store,
    query: &RoiQuery,
    membership_id: Option<&str>,
    figure: Figure,
    lang: Lang,
) -> Result<Explanation> {
    if query.to < query.from {
        return Err(Error::invalid("to", "end_before_start"));
    }
    crate::money::check_currency("currency", &query.currency)?;
    let subject = match membership_id {
        Some(id) => {
            if !store.exists(RecordKind::Membership, id)? {
                return Err(Error::NotFound(id.to_string()));
            }
            store.label_of(RecordKind::Membership, id)?
        }
        None => general_work_label(lang).to_string(),
    };
    let rates = store.rate_table()?;
    let mut contributions = match figure.unit() {
        FigureUnit::Money | FigureUnit::Hours
            if !matches!(
                figure,
                Figure::FinancingCommitted | Figure::FinancingDisbursed
            ) =>
        {
            let roles = store.role_rates()?;
            cost_contributions(store, query, membership_id, figure, &rates, &roles)?
        }
        _ => match membership_id {
            Some(id) => outcome_contributions(store, query, id, figure, &rates)?,
            // General work has no outcomes.
            None => Vec::new(),
        },
    };
    let total_minor = checked(
        contributions
            .iter()
            .filter_map(|c| c.contributes_minor)
            .map(i128::from)
            .sum(),
    )?;
    // Summed in the order the summary sums, then shown by date.
    // `0.0 +`: an empty sum of floats is -0.0, which people would read as "-0".
    let total = 0.0 + contributions.iter().map(|c| c.contributes).sum::<f64>();
    contributions.sort_by(|a, b| (a.on, &a.id).cmp(&(b.on, &b.id)));
    Ok(Explanation {
        query: query.clone(),
        membership_id: membership_id.map(str::to_string),
        subject,
        figure: figure.code(),
        unit: figure.unit(),
        total_minor,
        total,
        contributions,
    })
}

fn cost_contributions(
    store: &Store,
    query: &RoiQuery,
    membership_id: Option<&str>,
    figure: Figure,
    rates: &crate::money::RateTable,
    roles: &RoleRates,
) -> Result<Vec<Contribution>> {
    let wanted = |c: CostCategory| match figure {
        Figure::CostTotal => true,
        Figure::Cost(k) => k == c,
        Figure::StaffHours => c == CostCategory::StaffTime,
        Figure::OfficialsHours => c == CostCategory::OfficialsTime,
        _ => false,
    };
    let rows = store.cost_rows(
        membership_id,
        query.city_id.as_deref(),
        query.from,
        query.to,
    )?;
    let mut out = Vec::new();
    for row in rows.into_iter().filter(|r| wanted(r.category)) {
        let hourly = row
            .hours
            .and_then(|_| roles.hourly(row.role.as_deref().unwrap_or(""), row.spent_on));
        let source_currency = match (row.hours, hourly) {
            (Some(_), Some((_, cur))) => Some(cur.to_string()),
            (Some(_), None) => None,
            (None, _) => row.currency.clone(),
        };
        let conversion = source_currency
            .as_deref()
            .and_then(|cur| rates.conversion(cur, &query.currency, row.spent_on));
        let value = value_cost(
            row.amount_minor,
            row.currency.as_deref(),
            row.hours,
            row.role.as_deref(),
            row.spent_on,
            roles,
            |cur| rates.factor(cur, &query.currency, row.spent_on),
        );
        let (contributes_minor, missing) = match value {
            CostValue::Minor(m) => (Some(m), None),
            CostValue::MissingExchange(..) => (None, Some("missing_exchange_rate")),
            CostValue::MissingRole(..) => (None, Some("missing_role_rate")),
            CostValue::OutOfRange => (None, Some("value_out_of_range")),
        };
        let hours_figure = matches!(figure, Figure::StaffHours | Figure::OfficialsHours);
        out.push(Contribution {
            kind: RecordKind::CostEntry,
            id: row.id,
            on: row.spent_on,
            label: row.description.unwrap_or_default(),
            category: row.category.code(),
            amount_minor: row.amount_minor,
            currency: row.currency,
            hours: row.hours,
            role: row.role,
            hourly_minor: hourly.map(|(h, _)| h),
            hourly_currency: hourly.map(|(_, c)| c.to_string()),
            rates: conversion.map(|c| c.rates).unwrap_or_default(),
            share_bp: None,
            contributes_minor: if hours_figure {
                None
            } else {
                contributes_minor
            },
            contributes: if hours_figure {
                row.hours.unwrap_or(0.0)
            } else {
                0.0
            },
            missing: if hours_figure {
                None
            } else {
                missing.map(str::to_string)
            },
        });
    }
    Ok(out)
}

fn outcome_contributions(
    store: &Store,
    query: &RoiQuery,
    membership_id: &str,
    figure: Figure,
    rates: &crate::money::RateTable,
) -> Result<Vec<Contribution>> {
    let kind = match figure {
        Figure::FinancingCommitted | Figure::FinancingDisbursed => OutcomeKind::Financing,
        Figure::MonthsSaved => OutcomeKind::Acceleration,
        _ => OutcomeKind::PolicyTransfer,
    };
    let attributed: Vec<_> = store
        .roi_outcomes_of(membership_id, query.to, query.city_id.as_deref())?
        .into_iter()
        .filter(|o| o.occurred_on >= query.from && o.kind == kind)
        .collect();
    let ids: HashSet<&str> = attributed.iter().map(|o| o.outcome_id.as_str()).collect();
    let mut labels = std::collections::HashMap::new();
    for id in ids {
        let outcome: crate::model::Outcome = store.get(id)?;
        labels.insert(id, outcome.description);
    }
    let mut out = Vec::new();
    for o in &attributed {
        let mut c = Contribution {
            kind: RecordKind::Outcome,
            id: o.outcome_id.clone(),
            on: o.occurred_on,
            label: labels
                .get(o.outcome_id.as_str())
                .cloned()
                .unwrap_or_default(),
            category: String::new(),
            amount_minor: None,
            currency: o.currency().map(str::to_string),
            hours: None,
            role: None,
            hourly_minor: None,
            hourly_currency: None,
            rates: Vec::new(),
            share_bp: Some(o.share * 10_000.0),
            contributes_minor: None,
            contributes: 0.0,
            missing: None,
        };
        match figure {
            Figure::FinancingCommitted | Figure::FinancingDisbursed => {
                let committed_figure = figure == Figure::FinancingCommitted;
                let (committed, disbursed) = financing_amounts(o);
                c.amount_minor = Some(if committed_figure {
                    committed
                } else {
                    disbursed
                });
                if let Some(cur) = o.currency() {
                    if let Some(conv) = rates.conversion(cur, &query.currency, o.occurred_on) {
                        c.rates = conv.rates;
                    }
                }
                match financing_credit(o, o.share, &query.currency, rates) {
                    crate::roi::FinancingCredit::Amounts {
                        committed,
                        disbursed,
                    } => {
                        let value = if committed_figure {
                            committed
                        } else {
                            disbursed
                        };
                        match (
                            crate::money::to_minor(committed),
                            crate::money::to_minor(disbursed),
                        ) {
                            // The summary counts an attribution only when both fit.
                            (Some(_), Some(_)) => {
                                c.contributes_minor = crate::money::to_minor(value)
                            }
                            _ => c.missing = Some("value_out_of_range".into()),
                        }
                    }
                    crate::roi::FinancingCredit::NoCurrency => c.contributes_minor = Some(0),
                    crate::roi::FinancingCredit::MissingRate(_) => {
                        c.missing = Some("missing_exchange_rate".into())
                    }
                }
            }
            Figure::MonthsSaved => c.contributes = months_credit(o, o.share),
            _ => c.contributes = o.share,
        }
        out.push(c);
    }
    Ok(out)
}

/// The breakdown as CSV rows (header first), in `lang`, for a spreadsheet SUM.
pub fn explanation_table(e: &Explanation, lang: Lang) -> Vec<Vec<String>> {
    let l = |es: &str, en: &str| lang.pick(es, en).to_string();
    let mut rows = vec![vec![
        l("Tipo", "Kind"),
        l("Id", "Id"),
        l("Fecha", "Date"),
        l("Descripción", "Description"),
        l("Categoría", "Category"),
        l("Monto", "Amount"),
        l("Moneda", "Currency"),
        l("Horas", "Hours"),
        l("Rol", "Role"),
        l("Tarifa por hora", "Hourly rate"),
        l("Tipos de cambio", "Exchange rates"),
        l("Participación (%)", "Share (%)"),
        format!("{} ({})", l("Aporta", "Contributes"), e.query.currency),
        l("Sin valor porque", "Not valued because"),
    ]];
    let minor = |m: Option<i64>, cur: Option<&str>| match (m, cur) {
        (Some(m), Some(cur)) => {
            crate::numbers::write_minor(m, cur, Default::default()).replace(',', "")
        }
        (Some(m), None) => m.to_string(),
        _ => String::new(),
    };
    for c in &e.contributions {
        let rates = crate::money::RateUsed::list_text(&c.rates);
        let contributes = match e.unit {
            FigureUnit::Money => minor(c.contributes_minor, Some(&e.query.currency)),
            _ => c.contributes.to_string(),
        };
        rows.push(vec![
            c.kind.code(),
            c.id.clone(),
            c.on.to_string(),
            c.label.clone(),
            c.category.clone(),
            minor(c.amount_minor, c.currency.as_deref()),
            c.currency.clone().unwrap_or_default(),
            c.hours.map(|h| h.to_string()).unwrap_or_default(),
            c.role.clone().unwrap_or_default(),
            minor(c.hourly_minor, c.hourly_currency.as_deref()),
            rates,
            c.share_bp
                .map(|bp| format!("{}", bp / 100.0))
                .unwrap_or_default(),
            contributes,
            c.missing.clone().unwrap_or_default(),
        ]);
    }
    rows
}
