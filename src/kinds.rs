//! Each record kind described once: its table, its city scope, its label rule, its
//! words, and its fields (type, when it applies, whether it is required, its bounds,
//! its words). Everything else is derived from here: the generic checks of typed and
//! received records, the numbers read from typed text, the merge's column domains,
//! the Excel and CSV columns, and — exported by `cabildo bindings` — the UI's forms,
//! list columns, filters and words.
//!
//! Adding a field: its line here, its member in the kind's struct (`model.rs`) and
//! its column in a migration; `tests/kinds.rs` fails until the three agree.

use crate::model::*;

crate::model::text_enum!(
    /// Every kind of record, parents before children (the order merges apply in).
    RecordKind "record_kind" {
        City = "city" ("Ciudad", "City"),
        Network = "network" ("Red", "Network"),
        FeeRule = "fee_rule" ("Regla de cuota", "Fee rule"),
        Membership = "membership" ("Membresía", "Membership"),
        Invoice = "invoice" ("Factura de cuota", "Dues invoice"),
        BudgetPlan = "budget_plan" ("Plan presupuestario", "Budget plan"),
        Thesis = "thesis" ("Tesis", "Thesis"),
        Meeting = "meeting" ("Reunión", "Meeting"),
        CostEntry = "cost_entry" ("Costo", "Cost"),
        RoleRate = "role_rate" ("Tarifa por rol", "Role rate"),
        ExchangeRate = "exchange_rate" ("Tipo de cambio", "Exchange rate"),
        BudgetRate = "budget_rate" ("Tipo de cambio presupuestario", "Budget exchange rate"),
        Project = "project" ("Proyecto", "Project"),
        Outcome = "outcome" ("Resultado", "Outcome"),
        Attribution = "attribution" ("Atribución", "Attribution"),
        Metric = "metric" ("Indicador", "Metric"),
    }
);

/// How a kind's rows belong to a city, for the city selector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CityScope {
    /// Shared by all cities (the catalog, rates).
    None,
    /// The city itself.
    SelfId,
    /// A `city_id` column.
    Column,
    /// Through its `membership_id`.
    ViaMembership,
}

impl CityScope {
    pub fn code(self) -> &'static str {
        match self {
            CityScope::None => "none",
            CityScope::SelfId => "self",
            CityScope::Column => "column",
            CityScope::ViaMembership => "via_membership",
        }
    }
}

/// What a field holds, and so how it is checked, read, exported and edited.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldType {
    /// One line of text.
    Text,
    /// Several lines of text.
    LongText,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    Bool,
    /// An ISO 4217 code.
    Currency,
    /// Minor units of the currency held in the named field.
    Money {
        currency: &'static str,
    },
    /// One of the values of an enumeration.
    Enum {
        name: &'static str,
        values: &'static [EnumWord],
    },
    /// The id of a record of a kind.
    Ref(RecordKind),
    /// A whole number.
    Integer,
    /// A year: a whole number shown without grouping.
    Year,
    /// A plain decimal number.
    Decimal,
    /// Hours worked.
    Hours,
    /// A number of percent (4.1 for 4.1 %).
    Percent,
    /// Percent with two decimals, stored in basis points (2500 is 25 %).
    PercentBp,
}

impl FieldType {
    pub fn code(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::LongText => "long_text",
            FieldType::Date => "date",
            FieldType::Bool => "bool",
            FieldType::Currency => "currency",
            FieldType::Money { .. } => "money",
            FieldType::Enum { .. } => "enum",
            FieldType::Ref(_) => "ref",
            FieldType::Integer => "integer",
            FieldType::Year => "year",
            FieldType::Decimal => "decimal",
            FieldType::Hours => "hours",
            FieldType::Percent => "percent",
            FieldType::PercentBp => "percent_bp",
        }
    }

    /// True for the types typed as numbers (read by `numbers` in the office format).
    pub fn is_number(self) -> bool {
        matches!(
            self,
            FieldType::Money { .. }
                | FieldType::Integer
                | FieldType::Year
                | FieldType::Decimal
                | FieldType::Hours
                | FieldType::Percent
                | FieldType::PercentBp
        )
    }
}

/// A field applies only when another field holds (or does not hold) one of some codes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct When {
    pub field: &'static str,
    pub any_of: &'static [&'static str],
    /// True: the field applies when the other holds none of them.
    pub negate: bool,
}

impl When {
    /// True when the condition holds for a record's value of `field` (its code).
    pub fn holds(&self, value: Option<&str>) -> bool {
        let hit = value.is_some_and(|v| self.any_of.contains(&v));
        hit != self.negate
    }
}

/// The inclusive range a number must be in. Below a lower bound of zero is
/// `negative`, above it `too_large`; outside a range that does not start at zero is
/// `out_of_range`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub min: f64,
    pub max: f64,
}

impl Bounds {
    /// Refuses a value outside the bounds, with the code the bounds' shape gives.
    pub fn check(&self, field: &str, value: f64) -> crate::Result<()> {
        use crate::error::Error;
        if !value.is_finite() {
            return Err(Error::invalid(field, "not_a_number"));
        }
        let from_zero = self.min == 0.0;
        if value < self.min {
            let code = if from_zero {
                "negative"
            } else {
                "out_of_range"
            };
            return Err(Error::invalid(field, code));
        }
        if value > self.max {
            let code = if from_zero {
                "too_large"
            } else {
                "out_of_range"
            };
            return Err(Error::invalid(field, code));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    pub name: &'static str,
    pub ty: FieldType,
    /// Required (where it applies).
    pub required: bool,
    /// Applies only when this holds (the fields of one outcome kind); else always.
    pub when: Option<When>,
    pub bounds: Option<Bounds>,
    pub es: &'static str,
    pub en: &'static str,
}

impl Field {
    pub fn label(&self, lang: crate::format::Lang) -> &'static str {
        lang.pick(self.es, self.en)
    }

    /// True when the field applies to a record (a JSON object of column → value).
    pub fn applies(&self, record: &serde_json::Map<String, serde_json::Value>) -> bool {
        match &self.when {
            None => true,
            Some(when) => when.holds(record.get(when.field).and_then(|v| v.as_str())),
        }
    }
}

/// One part of how people name a record: a field's value, a fixed text, the first
/// non-empty of two fields, or a field of the record a reference names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LabelPart {
    Field(&'static str),
    Text(&'static str),
    Either(&'static str, &'static str),
    /// (reference field, field of the referenced record)
    Via(&'static str, &'static str),
}

/// The description of one record kind.
#[derive(Debug, Clone, Copy)]
pub struct KindDesc {
    pub kind: RecordKind,
    pub table: &'static str,
    pub city_scope: CityScope,
    /// How people name a record (lists, references, the trash, the conflict log).
    pub label: &'static [LabelPart],
    /// The kind's name in the plural (a sheet, a file, a list).
    pub plural: (&'static str, &'static str),
    pub fields: &'static [Field],
}

impl KindDesc {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The label as an SQL expression over alias `t` (the trash, the conflict log).
    /// Dates stay ISO and numbers plain: the SQL has no language.
    pub fn label_sql(&self) -> String {
        self.label_sql_over("t")
    }

    /// The label as an SQL expression over the given alias (a referenced record's label
    /// inside a query over another kind). `alias` is the core's, never user input.
    pub fn label_sql_over(&self, t: &str) -> String {
        let value = |name: &str| match self.field(name).map(|f| f.ty) {
            Some(FieldType::PercentBp) => format!("printf('%g %%', {t}.{name} / 100.0)"),
            _ => format!("{t}.{name}"),
        };
        // The referenced record's own alias, distinct at each depth.
        let x = format!("{t}x");
        let parts: Vec<String> = self
            .label
            .iter()
            .map(|part| match part {
                LabelPart::Field(name) => format!("COALESCE({}, '')", value(name)),
                LabelPart::Text(text) => format!("'{}'", text.replace('\'', "''")),
                LabelPart::Either(a, b) => {
                    format!("COALESCE(NULLIF({t}.{a}, ''), {t}.{b}, '')")
                }
                LabelPart::Via(reference, field) => {
                    let target = match self.field(reference).map(|f| f.ty) {
                        Some(FieldType::Ref(kind)) => kind.desc().table,
                        _ => "",
                    };
                    format!(
                        "COALESCE((SELECT {x}.{field} FROM {target} {x} WHERE {x}.id = {t}.{reference}), '')"
                    )
                }
            })
            .collect();
        format!("TRIM({})", parts.join(" || "))
    }
}

impl KindDesc {
    /// The rules the description states, over a record as JSON (column → value): text
    /// length, required fields where they apply, currency codes, money and other
    /// bounds. Typed and received records pass the same checks.
    pub fn check(&self, record: &serde_json::Map<String, serde_json::Value>) -> crate::Result<()> {
        use crate::error::Error;
        use serde_json::Value;
        for (name, value) in record {
            if let Value::String(s) = value {
                if s.chars().count() > MAX_TEXT_CHARS {
                    return Err(Error::invalid_because(
                        name.clone(),
                        "too_long",
                        format!("max {}", MAX_TEXT_CHARS),
                    ));
                }
            }
        }
        for field in self.fields {
            let value = record.get(field.name).unwrap_or(&Value::Null);
            let empty = match value {
                Value::Null => true,
                Value::String(s) => s.trim().is_empty(),
                _ => false,
            };
            if empty {
                if field.required && field.ty != FieldType::Bool && field.applies(record) {
                    return Err(Error::invalid(field.name, "required"));
                }
                continue;
            }
            match (field.ty, value) {
                (FieldType::Currency, Value::String(code)) => {
                    crate::money::check_currency(field.name, code)?
                }
                (FieldType::Money { .. }, Value::Number(n)) => {
                    let v = n
                        .as_i64()
                        .ok_or_else(|| Error::invalid(field.name, "too_large"))?;
                    if v < 0 {
                        return Err(Error::invalid(field.name, "negative"));
                    }
                    if v > MAX_MINOR {
                        return Err(Error::invalid(field.name, "too_large"));
                    }
                }
                (_, Value::Number(n)) => {
                    let v = n
                        .as_f64()
                        .ok_or_else(|| Error::invalid(field.name, "not_a_number"))?;
                    if let Some(bounds) = field.bounds {
                        bounds.check(field.name, v)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The columns every record shares (`Meta`), with their words.
pub const META_FIELDS: &[Field] = &[
    f("id", FieldType::Text, "Identificador", "ID"),
    f("created_at", FieldType::Integer, "Creado", "Created"),
    f("updated_at", FieldType::Integer, "Modificado", "Updated"),
    f(
        "updated_by",
        FieldType::Text,
        "Modificado por (oficina)",
        "Updated by (office)",
    ),
    f("deleted", FieldType::Bool, "En la papelera", "In the trash"),
    f(
        "trashed_with",
        FieldType::Text,
        "En la papelera con",
        "Trashed with",
    ),
];

// ---- bounds ---------------------------------------------------------------------------
// Each bound keeps every product and sum the engine makes finite and exact: an amount
// (MAX_MINOR) times a conversion factor stays far inside f64's exact range per entry,
// and fourteen million entries sum in i128 without wrapping.

/// Rates are between these (1 VND in BTC-like units is out; 1 IRR in USD is in).
pub const MIN_RATE: f64 = 1e-9;
pub const MAX_RATE: f64 = 1e9;
/// Largest hourly rate, in minor units (a hundred million an hour).
pub const MAX_HOURLY_MINOR: i64 = 10_000_000_000;
/// Most hours one cost entry may record.
pub const MAX_HOURS: f64 = 100_000.0;

/// Longest text accepted in any field, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Largest money amount accepted, in minor units (10^15: room to sum a million of them).
pub const MAX_MINOR: i64 = 1_000_000_000_000_000;

// ---- building blocks -------------------------------------------------------------------

const fn f(name: &'static str, ty: FieldType, es: &'static str, en: &'static str) -> Field {
    Field {
        name,
        ty,
        required: false,
        when: None,
        bounds: None,
        es,
        en,
    }
}

const fn req(field: Field) -> Field {
    Field {
        required: true,
        ..field
    }
}

const fn when(w: When, field: Field) -> Field {
    Field {
        when: Some(w),
        ..field
    }
}

const fn bounded(min: f64, max: f64, field: Field) -> Field {
    Field {
        bounds: Some(Bounds { min, max }),
        ..field
    }
}

const fn one_of(name: &'static str, values: &'static [EnumWord]) -> FieldType {
    FieldType::Enum { name, values }
}

const fn money(currency: &'static str) -> FieldType {
    FieldType::Money { currency }
}

use FieldType::{Bool, Currency, Date, Decimal, Hours, Integer, LongText, Percent, Text, Year};

/// A year as people write one.
const YEARS: Bounds = Bounds {
    min: 0.0,
    max: 9999.0,
};
/// Months a project can take or be saved: a century.
const MONTHS: f64 = 1200.0;

const fn year(name: &'static str, es: &'static str, en: &'static str) -> Field {
    Field {
        bounds: Some(YEARS),
        ..f(name, Year, es, en)
    }
}

const TIME: When = When {
    field: "category",
    any_of: CostCategory::TIME_CODES,
    negate: false,
};
const NOT_TIME: When = When {
    negate: true,
    ..TIME
};
const DUES: When = When {
    field: "category",
    any_of: &["dues"],
    negate: false,
};
const PUBLISHED: When = When {
    field: "basis",
    any_of: &["unpublished"],
    negate: true,
};
const FLAT: When = When {
    field: "basis",
    any_of: &["flat"],
    negate: false,
};
const PER_RESIDENT: When = When {
    field: "basis",
    any_of: &["per_resident"],
    negate: false,
};
const BOUNDED_FEE: When = When {
    field: "basis",
    any_of: &["per_resident", "income_group", "population_income"],
    negate: false,
};
const BY_INCOME: When = When {
    field: "basis",
    any_of: &["income_group", "population_income"],
    negate: false,
};
const BY_POPULATION: When = When {
    field: "basis",
    any_of: &["population_income"],
    negate: false,
};
const LOAN: When = When {
    field: "instrument",
    any_of: &["loan", "concessional_loan"],
    negate: false,
};
const ACCELERATION: When = When {
    field: "kind",
    any_of: &["acceleration"],
    negate: false,
};
const FINANCING: When = When {
    field: "kind",
    any_of: &["financing"],
    negate: false,
};
const POLICY: When = When {
    field: "kind",
    any_of: &["policy_transfer"],
    negate: false,
};

// ---- the kinds ------------------------------------------------------------------------

static CITY: KindDesc = KindDesc {
    kind: RecordKind::City,
    table: "city",
    city_scope: CityScope::SelfId,
    label: &[LabelPart::Field("name")],
    plural: ("Ciudades", "Cities"),
    fields: &[
        req(f("name", Text, "Ciudad", "City")),
        req(f(
            "country",
            Text,
            "País (código ISO)",
            "Country (ISO code)",
        )),
        bounded(
            0.0,
            100_000_000_000.0,
            f("population", Integer, "Población", "Population"),
        ),
        year("population_year", "Año de la población", "Population year"),
        bounded(-90.0, 90.0, f("latitude", Decimal, "Latitud", "Latitude")),
        bounded(
            -180.0,
            180.0,
            f("longitude", Decimal, "Longitud", "Longitude"),
        ),
        f("region", Text, "Región", "Region"),
        bounded(
            0.0,
            1e18,
            f("cdp_account", Integer, "Cuenta CDP", "CDP account"),
        ),
        f(
            "income_group",
            one_of(IncomeGroup::NAME, IncomeGroup::WORDS),
            "Grupo de ingreso del país (Banco Mundial)",
            "Country income group (World Bank)",
        ),
    ],
};

static NETWORK: KindDesc = KindDesc {
    kind: RecordKind::Network,
    table: "network",
    city_scope: CityScope::None,
    label: &[
        LabelPart::Field("acronym"),
        LabelPart::Text(" — "),
        LabelPart::Field("name"),
    ],
    plural: ("Redes", "Networks"),
    fields: &[
        req(f("name", Text, "Red", "Network")),
        req(f("acronym", Text, "Siglas", "Acronym")),
        year("founded_year", "Año de fundación", "Founded"),
        f("headquarters", Text, "Sede", "Headquarters"),
        req(f(
            "scope",
            one_of(Scope::NAME, Scope::WORDS),
            "Alcance",
            "Scope",
        )),
        f("focus", LongText, "Enfoque", "Focus"),
        f("member_count", Text, "Miembros", "Members"),
        f("fee_model", Text, "Modelo de cuotas", "Fee model"),
        f("website", Text, "Sitio web", "Website"),
        f("source", Text, "Fuente", "Source"),
        f("as_of", Date, "Vigente al", "As of"),
    ],
};

static MEMBERSHIP: KindDesc = KindDesc {
    kind: RecordKind::Membership,
    table: "membership",
    city_scope: CityScope::Column,
    label: &[
        LabelPart::Via("network_id", "acronym"),
        LabelPart::Text(" · "),
        LabelPart::Via("city_id", "name"),
    ],
    plural: ("Membresías", "Memberships"),
    fields: &[
        req(f(
            "city_id",
            FieldType::Ref(RecordKind::City),
            "Ciudad",
            "City",
        )),
        req(f(
            "network_id",
            FieldType::Ref(RecordKind::Network),
            "Red",
            "Network",
        )),
        f("joined_on", Date, "Ingreso", "Joined"),
        f("ended_on", Date, "Salida", "Ended"),
        req(f(
            "status",
            one_of(MembershipStatus::NAME, MembershipStatus::WORDS),
            "Estado",
            "Status",
        )),
        req(f(
            "role",
            one_of(MembershipRole::NAME, MembershipRole::WORDS),
            "Papel en la red",
            "Role in the network",
        )),
        f("focal_point", Text, "Enlace", "Focal point"),
        f("renewal_on", Date, "Renovación", "Renewal"),
        f(
            "dues_minor",
            money("dues_currency"),
            "Cuota anual",
            "Annual dues",
        ),
        f(
            "dues_currency",
            Currency,
            "Moneda de la cuota",
            "Dues currency",
        ),
        f("core", Bool, "Red prioritaria", "Core network"),
        f("notes", LongText, "Notas", "Notes"),
    ],
};

static THESIS: KindDesc = KindDesc {
    kind: RecordKind::Thesis,
    table: "thesis",
    city_scope: CityScope::ViaMembership,
    label: &[LabelPart::Field("statement")],
    plural: ("Tesis", "Theses"),
    fields: &[
        req(f(
            "membership_id",
            FieldType::Ref(RecordKind::Membership),
            "Membresía",
            "Membership",
        )),
        req(f(
            "statement",
            LongText,
            "Tesis: qué quiere la ciudad de la red",
            "Thesis: what the city wants from the network",
        )),
        req(f("start_on", Date, "Inicio", "Start")),
        req(f("horizon_on", Date, "Horizonte", "Horizon")),
        f("review_on", Date, "Revisión prevista", "Review planned"),
        f(
            "verdict",
            one_of(Verdict::NAME, Verdict::WORDS),
            "Veredicto",
            "Verdict",
        ),
        f(
            "decision",
            one_of(Decision::NAME, Decision::WORDS),
            "Decisión",
            "Decision",
        ),
        f("reviewed_on", Date, "Revisada el", "Reviewed on"),
    ],
};

static MEETING: KindDesc = KindDesc {
    kind: RecordKind::Meeting,
    table: "meeting",
    city_scope: CityScope::ViaMembership,
    label: &[
        LabelPart::Field("start_on"),
        LabelPart::Text(" "),
        LabelPart::Field("title"),
    ],
    plural: ("Reuniones", "Meetings"),
    fields: &[
        req(f(
            "membership_id",
            FieldType::Ref(RecordKind::Membership),
            "Membresía",
            "Membership",
        )),
        req(f("title", Text, "Título", "Title")),
        req(f("start_on", Date, "Fecha", "Date")),
        f("end_on", Date, "Fin", "End"),
        f("place", Text, "Lugar", "Place"),
        f("attendees", Text, "Asistentes", "Attendees"),
        req(f("ask", one_of(Ask::NAME, Ask::WORDS), "Solicitud", "Ask")),
        f("counterpart", Text, "Contraparte", "Counterpart"),
        req(f(
            "result",
            one_of(MeetingResult::NAME, MeetingResult::WORDS),
            "Resultado",
            "Result",
        )),
        f("follow_up", LongText, "Seguimiento", "Follow-up"),
        f(
            "follow_up_due",
            Date,
            "Fecha de seguimiento",
            "Follow-up due",
        ),
    ],
};

static COST_ENTRY: KindDesc = KindDesc {
    kind: RecordKind::CostEntry,
    table: "cost_entry",
    city_scope: CityScope::Column,
    // No category: the trash's label is SQL, and codes like `staff_time` are not words.
    label: &[
        LabelPart::Field("spent_on"),
        LabelPart::Text(" "),
        LabelPart::Either("description", "role"),
    ],
    plural: ("Costos", "Costs"),
    fields: &[
        req(f(
            "city_id",
            FieldType::Ref(RecordKind::City),
            "Ciudad",
            "City",
        )),
        f(
            "membership_id",
            FieldType::Ref(RecordKind::Membership),
            "Membresía",
            "Membership",
        ),
        f(
            "meeting_id",
            FieldType::Ref(RecordKind::Meeting),
            "Reunión",
            "Meeting",
        ),
        req(f("spent_on", Date, "Fecha", "Date")),
        req(f(
            "category",
            one_of(CostCategory::NAME, CostCategory::WORDS),
            "Categoría",
            "Category",
        )),
        when(
            NOT_TIME,
            req(f("amount_minor", money("currency"), "Monto", "Amount")),
        ),
        when(NOT_TIME, req(f("currency", Currency, "Moneda", "Currency"))),
        when(
            TIME,
            req(bounded(0.0, MAX_HOURS, f("hours", Hours, "Horas", "Hours"))),
        ),
        when(TIME, req(f("role", Text, "Puesto", "Staff role"))),
        f("description", Text, "Descripción", "Description"),
        when(
            DUES,
            f(
                "invoice_id",
                FieldType::Ref(RecordKind::Invoice),
                "Factura que paga",
                "Invoice it pays",
            ),
        ),
        when(
            DUES,
            f(
                "reference",
                Text,
                "Referencia del pago",
                "Payment reference",
            ),
        ),
    ],
};

static ROLE_RATE: KindDesc = KindDesc {
    kind: RecordKind::RoleRate,
    table: "role_rate",
    city_scope: CityScope::None,
    label: &[
        LabelPart::Field("role"),
        LabelPart::Text(" "),
        LabelPart::Field("valid_from"),
    ],
    plural: ("Tarifas por hora", "Hourly rates"),
    fields: &[
        req(f("role", Text, "Puesto", "Staff role")),
        req(f(
            "hourly_minor",
            money("currency"),
            "Tarifa por hora",
            "Hourly rate",
        )),
        req(f("currency", Currency, "Moneda", "Currency")),
        req(f("valid_from", Date, "Vigente desde", "Valid from")),
        f("valid_to", Date, "Vigente hasta", "Valid to"),
    ],
};

static EXCHANGE_RATE: KindDesc = KindDesc {
    kind: RecordKind::ExchangeRate,
    table: "exchange_rate",
    city_scope: CityScope::None,
    label: &[
        LabelPart::Text("1 "),
        LabelPart::Field("currency"),
        LabelPart::Text(" = "),
        LabelPart::Field("rate"),
        LabelPart::Text(" "),
        LabelPart::Field("quote_currency"),
        LabelPart::Text(" · "),
        LabelPart::Field("on_date"),
    ],
    plural: ("Tipos de cambio", "Exchange rates"),
    // "1 currency = rate quote_currency": a rate names both its currencies.
    fields: &[
        req(f("on_date", Date, "Fecha", "Date")),
        req(f(
            "currency",
            Currency,
            "Moneda (1 unidad)",
            "Currency (1 unit)",
        )),
        req(f(
            "quote_currency",
            Currency,
            "Vale en (moneda)",
            "Is worth (currency)",
        )),
        req(f("rate", Decimal, "Tipo de cambio", "Rate")),
        f("source", Text, "Fuente", "Source"),
    ],
};

static PROJECT: KindDesc = KindDesc {
    kind: RecordKind::Project,
    table: "project",
    city_scope: CityScope::Column,
    label: &[LabelPart::Field("name")],
    plural: ("Proyectos", "Projects"),
    fields: &[
        req(f(
            "city_id",
            FieldType::Ref(RecordKind::City),
            "Ciudad",
            "City",
        )),
        req(f("name", Text, "Proyecto", "Project")),
        req(f(
            "sector",
            one_of(Sector::NAME, Sector::WORDS),
            "Sector",
            "Sector",
        )),
        req(f(
            "stage",
            one_of(Stage::NAME, Stage::WORDS),
            "Etapa",
            "Stage",
        )),
        f(
            "capex_minor",
            money("capex_currency"),
            "Inversión (CAPEX)",
            "Capital cost (capex)",
        ),
        f(
            "capex_currency",
            Currency,
            "Moneda de la inversión",
            "Capex currency",
        ),
        f("start_on", Date, "Inicio", "Start"),
        bounded(
            0.0,
            MONTHS,
            f(
                "baseline_months",
                Integer,
                "Meses sin la red",
                "Months without the network",
            ),
        ),
        bounded(
            0.0,
            MONTHS,
            f(
                "actual_months",
                Integer,
                "Meses reales o previstos",
                "Actual or projected months",
            ),
        ),
        f("notes", LongText, "Notas", "Notes"),
    ],
};

static OUTCOME: KindDesc = KindDesc {
    kind: RecordKind::Outcome,
    table: "outcome",
    city_scope: CityScope::Column,
    label: &[
        LabelPart::Field("occurred_on"),
        LabelPart::Text(" "),
        LabelPart::Field("description"),
    ],
    plural: ("Resultados", "Outcomes"),
    fields: &[
        req(f(
            "city_id",
            FieldType::Ref(RecordKind::City),
            "Ciudad",
            "City",
        )),
        req(f(
            "kind",
            one_of(OutcomeKind::NAME, OutcomeKind::WORDS),
            "Tipo de resultado",
            "Outcome kind",
        )),
        req(f("occurred_on", Date, "Fecha", "Date")),
        req(f("description", LongText, "Descripción", "Description")),
        f("evidence", Text, "Evidencia", "Evidence"),
        when(
            ACCELERATION,
            req(f(
                "project_id",
                FieldType::Ref(RecordKind::Project),
                "Proyecto",
                "Project",
            )),
        ),
        when(
            ACCELERATION,
            req(bounded(
                0.0,
                MONTHS,
                f("months_saved", Decimal, "Meses ahorrados", "Months saved"),
            )),
        ),
        when(
            FINANCING,
            req(f("amount_minor", money("currency"), "Monto", "Amount")),
        ),
        when(
            FINANCING,
            req(f("currency", Currency, "Moneda", "Currency")),
        ),
        when(
            FINANCING,
            req(f(
                "instrument",
                one_of(Instrument::NAME, Instrument::WORDS),
                "Instrumento",
                "Instrument",
            )),
        ),
        when(
            FINANCING,
            f(
                "source_type",
                one_of(SourceType::NAME, SourceType::WORDS),
                "Tipo de fuente",
                "Source type",
            ),
        ),
        when(
            FINANCING,
            f(
                "source_name",
                Text,
                "Fuente del financiamiento",
                "Financing source",
            ),
        ),
        when(
            FINANCING,
            bounded(
                0.0,
                100.0,
                f(
                    "interest_rate",
                    Percent,
                    "Tasa de interés (% anual)",
                    "Interest rate (% a year)",
                ),
            ),
        ),
        when(
            FINANCING,
            bounded(
                0.0,
                100.0,
                f("tenor_years", Decimal, "Plazo (años)", "Tenor (years)"),
            ),
        ),
        when(
            FINANCING,
            bounded(
                0.0,
                100.0,
                f("grace_years", Decimal, "Gracia (años)", "Grace (years)"),
            ),
        ),
        when(
            LOAN,
            f(
                "repayment_profile",
                one_of(RepaymentProfile::NAME, RepaymentProfile::WORDS),
                "Forma de amortización",
                "Repayment profile",
            ),
        ),
        when(
            LOAN,
            bounded(
                1.0,
                2.0,
                f(
                    "payments_per_year",
                    Integer,
                    "Pagos por año (1 o 2)",
                    "Payments a year (1 or 2)",
                ),
            ),
        ),
        when(
            FINANCING,
            req(f(
                "financing_status",
                one_of(FinancingStatus::NAME, FinancingStatus::WORDS),
                "Estado del financiamiento",
                "Financing status",
            )),
        ),
        when(
            FINANCING,
            f(
                "committed_minor",
                money("currency"),
                "Comprometido",
                "Committed",
            ),
        ),
        when(
            FINANCING,
            f(
                "disbursed_minor",
                money("currency"),
                "Desembolsado",
                "Disbursed",
            ),
        ),
        when(
            POLICY,
            req(f(
                "policy_instrument",
                one_of(PolicyInstrument::NAME, PolicyInstrument::WORDS),
                "Instrumento de política",
                "Policy instrument",
            )),
        ),
        when(
            POLICY,
            req(f(
                "source_peer",
                Text,
                "Ciudad o red de origen",
                "Source peer",
            )),
        ),
        when(POLICY, f("adopted_on", Date, "Adoptada el", "Adopted on")),
    ],
};

static ATTRIBUTION: KindDesc = KindDesc {
    kind: RecordKind::Attribution,
    table: "attribution",
    city_scope: CityScope::ViaMembership,
    label: &[
        LabelPart::Via("outcome_id", "description"),
        LabelPart::Text(" "),
        LabelPart::Field("share_bp"),
    ],
    plural: ("Atribuciones", "Attributions"),
    fields: &[
        req(f(
            "outcome_id",
            FieldType::Ref(RecordKind::Outcome),
            "Resultado",
            "Outcome",
        )),
        req(f(
            "membership_id",
            FieldType::Ref(RecordKind::Membership),
            "Membresía",
            "Membership",
        )),
        req(f(
            "share_bp",
            FieldType::PercentBp,
            "Participación (%)",
            "Share (%)",
        )),
    ],
};

static METRIC: KindDesc = KindDesc {
    kind: RecordKind::Metric,
    table: "metric",
    city_scope: CityScope::Column,
    label: &[
        LabelPart::Field("name"),
        LabelPart::Text(" "),
        LabelPart::Field("year"),
    ],
    plural: ("Indicadores", "Metrics"),
    fields: &[
        req(f(
            "city_id",
            FieldType::Ref(RecordKind::City),
            "Ciudad",
            "City",
        )),
        req(bounded(1900.0, 2200.0, f("year", Year, "Año", "Year"))),
        req(f("name", Text, "Indicador", "Metric")),
        f("value", Decimal, "Valor", "Value"),
        f("value_text", Text, "Valor (texto)", "Value (text)"),
        f("unit", Text, "Unidad", "Unit"),
        f("source", Text, "Fuente", "Source"),
    ],
};

/// A fee amount in the rule's currency.
const fn fee(name: &'static str, es: &'static str, en: &'static str) -> Field {
    f(name, money("currency"), es, en)
}

static FEE_RULE: KindDesc = KindDesc {
    kind: RecordKind::FeeRule,
    table: "fee_rule",
    city_scope: CityScope::None,
    label: &[
        LabelPart::Via("network_id", "acronym"),
        LabelPart::Text(" · "),
        LabelPart::Field("valid_from"),
    ],
    plural: ("Reglas de cuota", "Fee rules"),
    fields: &[
        req(f(
            "network_id",
            FieldType::Ref(RecordKind::Network),
            "Red",
            "Network",
        )),
        req(f("valid_from", Date, "Vigente desde", "Valid from")),
        f("valid_to", Date, "Vigente hasta", "Valid to"),
        req(f(
            "basis",
            one_of(FeeBasis::NAME, FeeBasis::WORDS),
            "Base de la cuota",
            "Fee basis",
        )),
        when(
            PUBLISHED,
            req(f("currency", Currency, "Moneda", "Currency")),
        ),
        when(FLAT, req(fee("amount_minor", "Cuota anual", "Annual fee"))),
        when(
            PER_RESIDENT,
            req(bounded(
                0.0,
                1_000_000.0,
                f(
                    "per_resident",
                    Decimal,
                    "Cuota por habitante",
                    "Fee per resident",
                ),
            )),
        ),
        when(BOUNDED_FEE, fee("min_minor", "Mínimo", "Minimum")),
        when(BOUNDED_FEE, fee("max_minor", "Máximo", "Maximum")),
        when(
            BY_POPULATION,
            bounded(
                0.0,
                100_000_000_000.0,
                f(
                    "population_from",
                    Integer,
                    "Población desde",
                    "Population from",
                ),
            ),
        ),
        when(
            BY_POPULATION,
            bounded(
                0.0,
                100_000_000_000.0,
                f("population_to", Integer, "Población hasta", "Population to"),
            ),
        ),
        when(BY_INCOME, fee("low_minor", "Ingreso bajo", "Low income")),
        when(
            BY_INCOME,
            fee(
                "lower_middle_minor",
                "Ingreso mediano bajo",
                "Lower-middle income",
            ),
        ),
        when(
            BY_INCOME,
            fee(
                "upper_middle_minor",
                "Ingreso mediano alto",
                "Upper-middle income",
            ),
        ),
        when(BY_INCOME, fee("high_minor", "Ingreso alto", "High income")),
        req(f("source", Text, "Fuente", "Source")),
        f("notes", LongText, "Notas", "Notes"),
    ],
};

static INVOICE: KindDesc = KindDesc {
    kind: RecordKind::Invoice,
    table: "invoice",
    city_scope: CityScope::ViaMembership,
    label: &[
        LabelPart::Field("year"),
        LabelPart::Text(" "),
        LabelPart::Field("reference"),
    ],
    plural: ("Facturas de cuotas", "Dues invoices"),
    fields: &[
        req(f(
            "membership_id",
            FieldType::Ref(RecordKind::Membership),
            "Membresía",
            "Membership",
        )),
        req(bounded(
            1900.0,
            2200.0,
            f("year", Year, "Año de la cuota", "Dues year"),
        )),
        req(f(
            "amount_minor",
            money("currency"),
            "Monto adeudado",
            "Amount due",
        )),
        req(f("currency", Currency, "Moneda", "Currency")),
        f("issued_on", Date, "Emitida el", "Issued on"),
        req(f("due_on", Date, "Vence el", "Due on")),
        f(
            "waived",
            Bool,
            "Condonada por la red",
            "Waived by the network",
        ),
        f("reference", Text, "Número de factura", "Invoice number"),
        f("notes", LongText, "Notas", "Notes"),
    ],
};

/// A count of a plan (trips, people): up to ten thousand.
const fn count(name: &'static str, es: &'static str, en: &'static str) -> Field {
    bounded(0.0, 10_000.0, f(name, Integer, es, en))
}

static BUDGET_PLAN: KindDesc = KindDesc {
    kind: RecordKind::BudgetPlan,
    table: "budget_plan",
    city_scope: CityScope::ViaMembership,
    label: &[LabelPart::Text("Plan "), LabelPart::Field("fiscal_year")],
    plural: ("Planes presupuestarios", "Budget plans"),
    fields: &[
        req(f(
            "membership_id",
            FieldType::Ref(RecordKind::Membership),
            "Membresía",
            "Membership",
        )),
        req(bounded(
            1900.0,
            2200.0,
            f("fiscal_year", Year, "Ejercicio fiscal", "Fiscal year"),
        )),
        count("trips", "Viajes", "Trips"),
        count("travellers", "Personas por viaje", "People per trip"),
        bounded(
            0.0,
            366.0,
            f("days", Decimal, "Días por viaje", "Days per trip"),
        ),
        f(
            "travel_currency",
            Currency,
            "Moneda de los viajes",
            "Travel currency",
        ),
        f(
            "fare_minor",
            money("travel_currency"),
            "Pasaje por persona",
            "Fare per person",
        ),
        f(
            "daily_minor",
            money("travel_currency"),
            "Viáticos por persona y día",
            "Per diem per person and day",
        ),
        bounded(
            0.0,
            MAX_HOURS,
            f(
                "staff_hours",
                Hours,
                "Horas del personal técnico",
                "Staff hours",
            ),
        ),
        f("staff_role", Text, "Puesto del personal", "Staff role"),
        bounded(
            0.0,
            MAX_HOURS,
            f(
                "officials_hours",
                Hours,
                "Horas de autoridades",
                "Officials’ hours",
            ),
        ),
        f(
            "officials_role",
            Text,
            "Cargo de autoridades",
            "Officials’ role",
        ),
        f(
            "decision",
            one_of(Decision::NAME, Decision::WORDS),
            "Decisión de la oficina",
            "The office's decision",
        ),
        f(
            "justification",
            LongText,
            "Justificación de la decisión",
            "Justification of the decision",
        ),
        f("notes", LongText, "Notas", "Notes"),
    ],
};

static BUDGET_RATE: KindDesc = KindDesc {
    kind: RecordKind::BudgetRate,
    table: "budget_rate",
    city_scope: CityScope::None,
    label: &[
        LabelPart::Field("fiscal_year"),
        LabelPart::Text(" · 1 "),
        LabelPart::Field("currency"),
        LabelPart::Text(" = "),
        LabelPart::Field("rate"),
        LabelPart::Text(" "),
        LabelPart::Field("quote_currency"),
    ],
    plural: ("Tipos de cambio presupuestarios", "Budget exchange rates"),
    fields: &[
        req(bounded(
            1900.0,
            2200.0,
            f("fiscal_year", Year, "Ejercicio fiscal", "Fiscal year"),
        )),
        req(f(
            "currency",
            Currency,
            "Moneda (1 unidad)",
            "Currency (1 unit)",
        )),
        req(f(
            "quote_currency",
            Currency,
            "Vale en (moneda)",
            "Is worth (currency)",
        )),
        req(bounded(
            MIN_RATE,
            MAX_RATE,
            f("rate", Decimal, "Tipo de cambio", "Rate"),
        )),
        f("source", Text, "Fuente", "Source"),
    ],
};

impl RecordKind {
    /// The kind's description.
    pub fn desc(self) -> &'static KindDesc {
        match self {
            RecordKind::City => &CITY,
            RecordKind::Network => &NETWORK,
            RecordKind::FeeRule => &FEE_RULE,
            RecordKind::Membership => &MEMBERSHIP,
            RecordKind::Invoice => &INVOICE,
            RecordKind::BudgetPlan => &BUDGET_PLAN,
            RecordKind::Thesis => &THESIS,
            RecordKind::Meeting => &MEETING,
            RecordKind::CostEntry => &COST_ENTRY,
            RecordKind::RoleRate => &ROLE_RATE,
            RecordKind::ExchangeRate => &EXCHANGE_RATE,
            RecordKind::BudgetRate => &BUDGET_RATE,
            RecordKind::Project => &PROJECT,
            RecordKind::Outcome => &OUTCOME,
            RecordKind::Attribution => &ATTRIBUTION,
            RecordKind::Metric => &METRIC,
        }
    }

    /// A field of the kind, or of every record (`META_FIELDS`).
    pub fn field(self, name: &str) -> Option<&'static Field> {
        self.desc()
            .field(name)
            .or_else(|| META_FIELDS.iter().find(|f| f.name == name))
    }

    /// The kind's table.
    pub fn table(self) -> &'static str {
        self.desc().table
    }

    /// The kind's name in the plural ("Costos", "Costs").
    pub fn plural(self, lang: crate::format::Lang) -> &'static str {
        let (es, en) = self.desc().plural;
        lang.pick(es, en)
    }
}
