//! Domain records. Field names equal column names of the schema: the store maps
//! records to rows through serde, driven by the table's declared columns.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The columns every record shares: identity, stamps for merging, and the tombstone.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq, Default)]
pub struct Meta {
    #[serde(default)]
    pub id: String,
    /// UTC milliseconds.
    #[serde(default)]
    #[ts(type = "number")]
    pub created_at: i64,
    #[serde(default)]
    #[ts(type = "number")]
    pub updated_at: i64,
    /// The office that last wrote the record.
    #[serde(default)]
    pub updated_by: String,
    #[serde(default)]
    pub deleted: bool,
    /// The record whose deletion took this one to the trash with it.
    #[serde(default)]
    pub trashed_with: Option<String>,
}

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident $key:literal {
        $($variant:ident = $code:literal ($es:literal, $en:literal)),+ $(,)?
    }) => {
        $(#[$doc])*
        #[derive(::serde::Serialize, ::serde::Deserialize, ::ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $(#[serde(rename = $code)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The enum's name in the words' keys: `enum.<NAME>.<code>`.
            pub const NAME: &'static str = $key;
            /// Every value's code with its words in Spanish and English.
            pub const WORDS: &'static [$crate::model::EnumWord] =
                &[$($crate::model::EnumWord { code: $code, es: $es, en: $en }),+];
            /// The stored (and serialized) code of this value, e.g. `staff_time`.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            pub fn code(self) -> String {
                self.as_str().to_string()
            }
            /// The value's word for people.
            pub fn label(self, lang: $crate::format::Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($es, $en)),+ }
            }
        }
    };
}
pub(crate) use text_enum;

/// One value of an enumeration: its stored code and its words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EnumWord {
    pub code: &'static str,
    pub es: &'static str,
    pub en: &'static str,
}

text_enum!(
    /// Reach of a network.
    Scope "scope" {
        Global = "global" ("Global", "Global"),
        Regional = "regional" ("Regional", "Regional"),
        Metropolitan = "metropolitan" ("Metropolitana", "Metropolitan"),
        National = "national" ("Nacional", "National"),
    }
);
text_enum!(
    MembershipStatus "membership_status" {
        Active = "active" ("Activa", "Active"),
        Suspended = "suspended" ("Suspendida", "Suspended"),
        Ended = "ended" ("Terminada", "Ended"),
    }
);
text_enum!(
    MembershipRole "membership_role" {
        Member = "member" ("Miembro", "Member"),
        Board = "board" ("Consejo directivo", "Board"),
        Presidency = "presidency" ("Presidencia", "Presidency"),
        VicePresidency = "vice_presidency" ("Vicepresidencia", "Vice-presidency"),
        Observer = "observer" ("Observadora", "Observer"),
        Partner = "partner" ("Socia", "Partner"),
    }
);
text_enum!(
    Verdict "verdict" {
        Achieved = "achieved" ("Cumplida", "Achieved"),
        Partly = "partly" ("Cumplida en parte", "Partly achieved"),
        NotAchieved = "not_achieved" ("No cumplida", "Not achieved"),
    }
);
text_enum!(
    Decision "decision" {
        Keep = "keep" ("Mantener", "Keep"),
        Upgrade = "upgrade" ("Ampliar", "Upgrade"),
        Reduce = "reduce" ("Reducir", "Reduce"),
        Exit = "exit" ("Salir", "Exit"),
    }
);
text_enum!(
    CostCategory "cost_category" {
        Dues = "dues" ("Cuotas", "Dues"),
        Travel = "travel" ("Viajes", "Travel"),
        StaffTime = "staff_time" ("Tiempo del personal técnico", "Staff time"),
        OfficialsTime = "officials_time" ("Tiempo de autoridades", "Officials’ time"),
        Hosting = "hosting" ("Sede de eventos", "Hosting"),
        Other = "other" ("Otros", "Other"),
    }
);
text_enum!(
    Ask "ask" {
        TechnicalAssistance = "technical_assistance" ("Asistencia técnica", "Technical assistance"),
        ProjectPartnership = "project_partnership" ("Alianza de proyecto", "Project partnership"),
        FinancingPathway = "financing_pathway" ("Ruta de financiamiento", "Financing pathway"),
        PolicyExchange = "policy_exchange" ("Intercambio de políticas", "Policy exchange"),
        None = "none" ("Sin solicitud", "No ask"),
    }
);
text_enum!(
    MeetingResult "meeting_result" {
        Pending = "pending" ("Pendiente", "Pending"),
        Achieved = "achieved" ("Logrado", "Achieved"),
        Partly = "partly" ("Logrado en parte", "Partly achieved"),
        NotAchieved = "not_achieved" ("No logrado", "Not achieved"),
    }
);
text_enum!(
    Sector "sector" {
        Mobility = "mobility" ("Movilidad", "Mobility"),
        Water = "water" ("Agua", "Water"),
        Energy = "energy" ("Energía", "Energy"),
        Digitalization = "digitalization" ("Digitalización", "Digitalization"),
        Waste = "waste" ("Residuos", "Waste"),
        Resilience = "resilience" ("Resiliencia", "Resilience"),
        Housing = "housing" ("Vivienda", "Housing"),
        Other = "other" ("Otro", "Other"),
    }
);
text_enum!(
    Stage "stage" {
        Concept = "concept" ("Concepto", "Concept"),
        PreFeasibility = "pre_feasibility" ("Prefactibilidad", "Pre-feasibility"),
        Feasibility = "feasibility" ("Factibilidad", "Feasibility"),
        Bankable = "bankable" ("Financiable", "Bankable"),
        FinancingSecured = "financing_secured" ("Financiamiento asegurado", "Financing secured"),
        Implementation = "implementation" ("Ejecución", "Implementation"),
        Completed = "completed" ("Concluido", "Completed"),
        Dropped = "dropped" ("Descartado", "Dropped"),
    }
);
text_enum!(
    OutcomeKind "outcome_kind" {
        Acceleration = "acceleration" ("Proyecto acelerado", "Project accelerated"),
        Financing = "financing" ("Financiamiento movilizado", "Financing mobilized"),
        PolicyTransfer = "policy_transfer" ("Política transferida", "Policy transferred"),
    }
);
text_enum!(
    Instrument "instrument" {
        Grant = "grant" ("Donación", "Grant"),
        ConcessionalLoan = "concessional_loan" ("Préstamo concesional", "Concessional loan"),
        Loan = "loan" ("Préstamo", "Loan"),
        Guarantee = "guarantee" ("Garantía", "Guarantee"),
        Equity = "equity" ("Capital", "Equity"),
        TechnicalAssistance = "technical_assistance" ("Asistencia técnica", "Technical assistance"),
    }
);
text_enum!(
    SourceType "source_type" {
        DevelopmentBank = "development_bank" ("Banca de desarrollo", "Development bank"),
        ClimateFund = "climate_fund" ("Fondo climático", "Climate fund"),
        Philanthropy = "philanthropy" ("Filantropía", "Philanthropy"),
        NationalGovernment = "national_government" ("Gobierno nacional", "National government"),
        Private = "private" ("Privada", "Private"),
        Network = "network" ("La red", "The network"),
    }
);
text_enum!(
    FinancingStatus "financing_status" {
        Pipeline = "pipeline" ("En gestión", "Pipeline"),
        Committed = "committed" ("Comprometido", "Committed"),
        Disbursed = "disbursed" ("Desembolsado", "Disbursed"),
    }
);
text_enum!(
    PolicyInstrument "policy_instrument" {
        Regulation = "regulation" ("Reglamento", "Regulation"),
        ContractModel = "contract_model" ("Modelo de contrato o compra", "Contract or procurement model"),
        PerformanceMetric = "performance_metric" ("Indicador de desempeño", "Performance metric"),
        Programme = "programme" ("Programa", "Programme"),
    }
);

text_enum!(
    /// The World Bank's classification of a country by income, which several networks'
    /// dues tables follow.
    IncomeGroup "income_group" {
        Low = "low" ("Ingreso bajo", "Low income"),
        LowerMiddle = "lower_middle" ("Ingreso mediano bajo", "Lower-middle income"),
        UpperMiddle = "upper_middle" ("Ingreso mediano alto", "Upper-middle income"),
        High = "high" ("Ingreso alto", "High income"),
    }
);
text_enum!(
    /// How a network's fee rule sets the dues.
    FeeBasis "fee_basis" {
        Flat = "flat" ("Monto fijo", "Flat amount"),
        PerResident = "per_resident" ("Por habitante", "Per resident"),
        IncomeGroup = "income_group" ("Por grupo de ingreso del país", "By the country's income group"),
        PopulationIncome = "population_income" ("Por población y grupo de ingreso", "By population and income group"),
        Unpublished = "unpublished" ("Monto no publicado", "Amount not published"),
    }
);
text_enum!(
    /// How a loan's principal is repaid.
    RepaymentProfile "repayment_profile" {
        EqualPrincipal = "equal_principal" ("Amortización constante", "Equal principal payments"),
        Annuity = "annuity" ("Cuota constante", "Annuity (level payments)"),
        Bullet = "bullet" ("Pago único al vencimiento", "Single payment at maturity"),
    }
);

impl CostCategory {
    /// The categories recorded in hours and valued by role rates, by code (the
    /// description of a cost's fields names them as data).
    pub const TIME_CODES: &'static [&'static str] = &["staff_time", "officials_time"];

    /// Time categories are recorded in hours and valued by role rates.
    pub fn is_time(self) -> bool {
        Self::TIME_CODES.contains(&self.as_str())
    }
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct City {
    #[serde(flatten)]
    pub meta: Meta,
    pub name: String,
    /// ISO 3166 alpha-2 or alpha-3 code.
    pub country: String,
    #[ts(type = "number | null")]
    pub population: Option<i64>,
    pub population_year: Option<i32>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    #[serde(default)]
    pub region: Option<String>,
    /// CDP's account number, when the city came from a CDP import.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub cdp_account: Option<i64>,
    /// The country's income group, set by the user (the dues tables that follow it).
    #[serde(default)]
    pub income_group: Option<IncomeGroup>,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Network {
    #[serde(flatten)]
    pub meta: Meta,
    pub name: String,
    pub acronym: String,
    pub founded_year: Option<i32>,
    pub headquarters: Option<String>,
    pub scope: Scope,
    pub focus: Option<String>,
    /// Approximate, as published ("2,500+").
    pub member_count: Option<String>,
    pub fee_model: Option<String>,
    pub website: Option<String>,
    /// Where the facts come from, and when they were true.
    pub source: Option<String>,
    pub as_of: Option<NaiveDate>,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Membership {
    #[serde(flatten)]
    pub meta: Meta,
    pub city_id: String,
    pub network_id: String,
    pub joined_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub status: MembershipStatus,
    pub role: MembershipRole,
    pub focal_point: Option<String>,
    pub renewal_on: Option<NaiveDate>,
    #[ts(type = "number | null")]
    pub dues_minor: Option<i64>,
    pub dues_currency: Option<String>,
    /// One of the one or two networks the city concentrates on.
    pub core: bool,
    pub notes: Option<String>,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Thesis {
    #[serde(flatten)]
    pub meta: Meta,
    pub membership_id: String,
    /// What the city wants from the network in the next 12–18 months.
    pub statement: String,
    pub start_on: NaiveDate,
    pub horizon_on: NaiveDate,
    pub review_on: Option<NaiveDate>,
    pub verdict: Option<Verdict>,
    pub decision: Option<Decision>,
    pub reviewed_on: Option<NaiveDate>,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Meeting {
    #[serde(flatten)]
    pub meta: Meta,
    pub membership_id: String,
    pub title: String,
    pub start_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
    pub place: Option<String>,
    pub attendees: Option<String>,
    pub ask: Ask,
    pub counterpart: Option<String>,
    pub result: MeetingResult,
    pub follow_up: Option<String>,
    pub follow_up_due: Option<NaiveDate>,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct CostEntry {
    #[serde(flatten)]
    pub meta: Meta,
    pub city_id: String,
    /// None for general international work not tied to one network.
    pub membership_id: Option<String>,
    pub meeting_id: Option<String>,
    pub spent_on: NaiveDate,
    pub category: CostCategory,
    /// Money categories: amount in minor units of `currency`.
    #[ts(type = "number | null")]
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    /// Time categories: hours worked by `role`.
    pub hours: Option<f64>,
    pub role: Option<String>,
    pub description: Option<String>,
    /// Dues: the invoice this payment settles (the payment is this cost, counted once).
    #[serde(default)]
    pub invoice_id: Option<String>,
    /// Dues: the payment's reference (transfer, receipt).
    #[serde(default)]
    pub reference: Option<String>,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct RoleRate {
    #[serde(flatten)]
    pub meta: Meta,
    pub role: String,
    #[ts(type = "number")]
    pub hourly_minor: i64,
    pub currency: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct ExchangeRate {
    #[serde(flatten)]
    pub meta: Meta,
    pub on_date: NaiveDate,
    /// The currency of which one unit is priced ("1 USD").
    pub currency: String,
    /// The currency the price is in ("= 17.25 MXN").
    pub quote_currency: String,
    /// Units of `quote_currency` for one unit of `currency`.
    pub rate: f64,
    /// Where the rate comes from (Banxico FIX, the ECB, the finance office…).
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Project {
    #[serde(flatten)]
    pub meta: Meta,
    pub city_id: String,
    pub name: String,
    pub sector: Sector,
    pub stage: Stage,
    #[ts(type = "number | null")]
    pub capex_minor: Option<i64>,
    pub capex_currency: Option<String>,
    pub start_on: Option<NaiveDate>,
    /// Months the project would take without network support.
    pub baseline_months: Option<i32>,
    /// Months it took, or is projected to take.
    pub actual_months: Option<i32>,
    pub notes: Option<String>,
}

/// One outcome of one of three kinds; the fields of the other kinds stay empty.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Outcome {
    #[serde(flatten)]
    pub meta: Meta,
    pub city_id: String,
    pub kind: OutcomeKind,
    pub occurred_on: NaiveDate,
    pub description: String,
    /// A reference text or a file path.
    pub evidence: Option<String>,
    // acceleration
    pub project_id: Option<String>,
    pub months_saved: Option<f64>,
    // financing
    #[ts(type = "number | null")]
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub instrument: Option<Instrument>,
    pub source_type: Option<SourceType>,
    pub source_name: Option<String>,
    /// Percent per year.
    pub interest_rate: Option<f64>,
    pub tenor_years: Option<f64>,
    pub grace_years: Option<f64>,
    #[serde(default)]
    pub repayment_profile: Option<RepaymentProfile>,
    /// 1 or 2.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub payments_per_year: Option<i64>,
    pub financing_status: Option<FinancingStatus>,
    #[ts(type = "number | null")]
    pub committed_minor: Option<i64>,
    #[ts(type = "number | null")]
    pub disbursed_minor: Option<i64>,
    // policy transfer
    pub policy_instrument: Option<PolicyInstrument>,
    pub source_peer: Option<String>,
    pub adopted_on: Option<NaiveDate>,
}

impl Membership {
    /// An active, plain membership of a city in a network, every optional field
    /// empty, for the caller to fill in what it knows.
    pub fn new(city_id: &str, network_id: &str) -> Membership {
        Membership {
            meta: Meta::default(),
            city_id: city_id.to_string(),
            network_id: network_id.to_string(),
            joined_on: None,
            ended_on: None,
            status: MembershipStatus::Active,
            role: MembershipRole::Member,
            focal_point: None,
            renewal_on: None,
            dues_minor: None,
            dues_currency: None,
            core: false,
            notes: None,
        }
    }
}

impl Outcome {
    /// An outcome of `kind` with the fields of every kind still empty, for the caller
    /// to fill in those of its own kind.
    pub fn new(
        city_id: &str,
        kind: OutcomeKind,
        occurred_on: NaiveDate,
        description: &str,
    ) -> Outcome {
        Outcome {
            meta: Meta::default(),
            city_id: city_id.to_string(),
            kind,
            occurred_on,
            description: description.to_string(),
            evidence: None,
            project_id: None,
            months_saved: None,
            amount_minor: None,
            currency: None,
            instrument: None,
            source_type: None,
            source_name: None,
            interest_rate: None,
            tenor_years: None,
            grace_years: None,
            repayment_profile: None,
            payments_per_year: None,
            financing_status: None,
            committed_minor: None,
            disbursed_minor: None,
            policy_instrument: None,
            source_peer: None,
            adopted_on: None,
        }
    }
}

/// The share of an outcome credited to one membership, in basis points (10000 = 100 %).
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Attribution {
    #[serde(flatten)]
    pub meta: Meta,
    pub outcome_id: String,
    pub membership_id: String,
    pub share_bp: i32,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Metric {
    #[serde(flatten)]
    pub meta: Meta,
    pub city_id: String,
    pub year: i32,
    /// e.g. "emissions_tco2e", "cdp_score", "gcom_badge", "population".
    pub name: String,
    pub value: Option<f64>,
    pub value_text: Option<String>,
    pub unit: Option<String>,
    pub source: Option<String>,
}

/// A network's rule for its dues over a period, with its source. A table by population
/// band and income group is one rule per band, all with the same dates.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct FeeRule {
    #[serde(flatten)]
    pub meta: Meta,
    pub network_id: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub basis: FeeBasis,
    pub currency: Option<String>,
    /// Flat: the yearly amount.
    #[ts(type = "number | null")]
    pub amount_minor: Option<i64>,
    /// Per resident: major units per resident (0.0073 EUR).
    pub per_resident: Option<f64>,
    #[ts(type = "number | null")]
    pub min_minor: Option<i64>,
    #[ts(type = "number | null")]
    pub max_minor: Option<i64>,
    /// Population band (inclusive), for a table by population and income group.
    #[ts(type = "number | null")]
    pub population_from: Option<i64>,
    #[ts(type = "number | null")]
    pub population_to: Option<i64>,
    #[ts(type = "number | null")]
    pub low_minor: Option<i64>,
    #[ts(type = "number | null")]
    pub lower_middle_minor: Option<i64>,
    #[ts(type = "number | null")]
    pub upper_middle_minor: Option<i64>,
    #[ts(type = "number | null")]
    pub high_minor: Option<i64>,
    pub source: String,
    pub notes: Option<String>,
}

/// What a membership owes for a year of dues. Its payments are the dues costs that
/// name it.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Invoice {
    #[serde(flatten)]
    pub meta: Meta,
    pub membership_id: String,
    pub year: i32,
    #[ts(type = "number")]
    pub amount_minor: i64,
    pub currency: String,
    pub issued_on: Option<NaiveDate>,
    pub due_on: NaiveDate,
    /// The network waived the dues.
    pub waived: bool,
    pub reference: Option<String>,
    pub notes: Option<String>,
}

/// The plan of a membership for a fiscal year: trips, people and days, hours by role,
/// and the office's decision when it departs from the core's recommendation.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct BudgetPlan {
    #[serde(flatten)]
    pub meta: Meta,
    pub membership_id: String,
    pub fiscal_year: i32,
    #[ts(type = "number | null")]
    pub trips: Option<i64>,
    /// People per trip.
    #[ts(type = "number | null")]
    pub travellers: Option<i64>,
    /// Days per trip.
    pub days: Option<f64>,
    /// Fare per person and trip.
    #[ts(type = "number | null")]
    pub fare_minor: Option<i64>,
    /// Lodging and per diem per person and day.
    #[ts(type = "number | null")]
    pub daily_minor: Option<i64>,
    pub travel_currency: Option<String>,
    pub staff_hours: Option<f64>,
    pub staff_role: Option<String>,
    pub officials_hours: Option<f64>,
    pub officials_role: Option<String>,
    /// The office's decision, when it overrides the recommendation.
    pub decision: Option<Decision>,
    /// Why, required with a decision.
    pub justification: Option<String>,
    pub notes: Option<String>,
}

/// The rate the office fixes for a fiscal year's budget: 1 `currency` = `rate` `quote_currency`.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct BudgetRate {
    #[serde(flatten)]
    pub meta: Meta,
    pub fiscal_year: i32,
    pub currency: String,
    pub quote_currency: String,
    pub rate: f64,
    pub source: Option<String>,
}
