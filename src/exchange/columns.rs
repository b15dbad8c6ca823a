//! What each column of each record kind is, for people and for checks: its name in
//! Spanish and English, and its domain (dates, currencies, enumerations, money).

use crate::format::Lang;
use crate::model::*;
use crate::records::RecordKind;
use crate::store::incoming::ColumnDomain;

fn codes<T: Copy>(all: &[T], code: fn(T) -> String) -> ColumnDomain {
    ColumnDomain::OneOf(all.iter().map(|v| code(*v)).collect())
}

/// True for columns holding a calendar date (`YYYY-MM-DD`).
pub fn is_date(column: &str) -> bool {
    column.ends_with("_on")
        || matches!(
            column,
            "as_of" | "valid_from" | "valid_to" | "follow_up_due"
        )
}

/// The currency column that goes with a money column (`*_minor`), if it is one.
pub fn money_currency(kind: RecordKind, column: &str) -> Option<&'static str> {
    kind.number_fields()
        .iter()
        .find_map(|(field, number)| match number {
            crate::records::NumberField::Money(currency) if *field == column => Some(*currency),
            _ => None,
        })
}

/// The domain of a column beyond its SQL type, as a received file is checked.
pub fn domain(kind: RecordKind, column: &str) -> ColumnDomain {
    use RecordKind as K;
    match (kind, column) {
        (K::Network, "scope") => codes(Scope::ALL, Scope::code),
        (K::Membership, "status") => codes(MembershipStatus::ALL, MembershipStatus::code),
        (K::Membership, "role") => codes(MembershipRole::ALL, MembershipRole::code),
        (K::Thesis, "verdict") => codes(Verdict::ALL, Verdict::code),
        (K::Thesis, "decision") => codes(Decision::ALL, Decision::code),
        (K::Meeting, "ask") => codes(Ask::ALL, Ask::code),
        (K::Meeting, "result") => codes(MeetingResult::ALL, MeetingResult::code),
        (K::CostEntry, "category") => codes(CostCategory::ALL, CostCategory::code),
        (K::Project, "sector") => codes(Sector::ALL, Sector::code),
        (K::Project, "stage") => codes(Stage::ALL, Stage::code),
        (K::Outcome, "kind") => codes(OutcomeKind::ALL, OutcomeKind::code),
        (K::Outcome, "instrument") => codes(Instrument::ALL, Instrument::code),
        (K::Outcome, "source_type") => codes(SourceType::ALL, SourceType::code),
        (K::Outcome, "financing_status") => codes(FinancingStatus::ALL, FinancingStatus::code),
        (K::Outcome, "policy_instrument") => codes(PolicyInstrument::ALL, PolicyInstrument::code),
        (_, c) if is_date(c) => ColumnDomain::Date,
        (_, c) if c == "currency" || c.ends_with("_currency") => ColumnDomain::Currency,
        _ => ColumnDomain::Free,
    }
}

/// The sheet (or file) name of a kind.
pub fn kind_label(kind: RecordKind, lang: Lang) -> &'static str {
    use RecordKind as K;
    let (es, en) = match kind {
        K::City => ("Ciudades", "Cities"),
        K::Network => ("Redes", "Networks"),
        K::Membership => ("Membresías", "Memberships"),
        K::Thesis => ("Tesis", "Theses"),
        K::Meeting => ("Reuniones", "Meetings"),
        K::CostEntry => ("Costos", "Costs"),
        K::RoleRate => ("Tarifas por hora", "Hourly rates"),
        K::ExchangeRate => ("Tipos de cambio", "Exchange rates"),
        K::Project => ("Proyectos", "Projects"),
        K::Outcome => ("Resultados", "Outcomes"),
        K::Attribution => ("Atribuciones", "Attributions"),
        K::Metric => ("Indicadores", "Metrics"),
    };
    lang.pick(es, en)
}

/// A column's name for people.
pub fn column_label(kind: RecordKind, column: &str, lang: Lang) -> String {
    use RecordKind as K;
    let pair: (&str, &str) = match (kind, column) {
        // names that mean different things in different kinds
        (K::City, "name") => ("Ciudad", "City"),
        (K::Network, "name") => ("Red", "Network"),
        (K::Project, "name") => ("Proyecto", "Project"),
        (K::Metric, "name") => ("Indicador", "Metric"),
        (K::Membership, "role") => ("Papel en la red", "Role in the network"),
        (K::CostEntry | K::RoleRate, "role") => ("Puesto", "Staff role"),
        (K::Outcome, "kind") => ("Tipo de resultado", "Outcome kind"),
        (K::Metric | K::Network | K::ExchangeRate, "source") => ("Fuente", "Source"),
        (K::ExchangeRate, "currency") => ("Moneda (1 unidad)", "Currency (1 unit)"),
        (K::Outcome, "source_name") => ("Fuente del financiamiento", "Financing source"),
        (K::Outcome, "source_type") => ("Tipo de fuente", "Source type"),
        (K::Metric, "year") => ("Año", "Year"),
        (K::Metric, "value") => ("Valor", "Value"),
        (K::Metric, "value_text") => ("Valor (texto)", "Value (text)"),
        (K::Metric, "unit") => ("Unidad", "Unit"),
        (K::Thesis, "start_on") | (K::Project, "start_on") => ("Inicio", "Start"),
        (K::Meeting, "start_on") => ("Fecha", "Date"),
        (K::Meeting, "result") => ("Resultado", "Result"),
        _ => match column {
            "id" => ("Identificador", "ID"),
            "created_at" => ("Creado", "Created"),
            "updated_at" => ("Modificado", "Updated"),
            "updated_by" => ("Modificado por (oficina)", "Updated by (office)"),
            "deleted" => ("En la papelera", "In the trash"),
            "country" => ("País", "Country"),
            "population" => ("Población", "Population"),
            "population_year" => ("Año de la población", "Population year"),
            "latitude" => ("Latitud", "Latitude"),
            "longitude" => ("Longitud", "Longitude"),
            "region" => ("Región", "Region"),
            "cdp_account" => ("Cuenta CDP", "CDP account"),
            "acronym" => ("Siglas", "Acronym"),
            "founded_year" => ("Año de fundación", "Founded"),
            "headquarters" => ("Sede", "Headquarters"),
            "scope" => ("Alcance", "Scope"),
            "focus" => ("Enfoque", "Focus"),
            "member_count" => ("Miembros", "Members"),
            "fee_model" => ("Modelo de cuotas", "Fee model"),
            "website" => ("Sitio web", "Website"),
            "as_of" => ("Vigente al", "As of"),
            "city_id" => ("Ciudad", "City"),
            "network_id" => ("Red", "Network"),
            "membership_id" => ("Membresía", "Membership"),
            "meeting_id" => ("Reunión", "Meeting"),
            "project_id" => ("Proyecto", "Project"),
            "outcome_id" => ("Resultado", "Outcome"),
            "joined_on" => ("Ingreso", "Joined"),
            "ended_on" => ("Salida", "Ended"),
            "status" => ("Estado", "Status"),
            "focal_point" => ("Enlace", "Focal point"),
            "renewal_on" => ("Renovación", "Renewal"),
            "dues_minor" => ("Cuota", "Dues"),
            "dues_currency" => ("Moneda de la cuota", "Dues currency"),
            "core" => ("Red prioritaria", "Core network"),
            "notes" => ("Notas", "Notes"),
            "statement" => ("Tesis", "Thesis"),
            "horizon_on" => ("Horizonte", "Horizon"),
            "review_on" => ("Revisión", "Review"),
            "verdict" => ("Veredicto", "Verdict"),
            "decision" => ("Decisión", "Decision"),
            "reviewed_on" => ("Revisada el", "Reviewed on"),
            "title" => ("Título", "Title"),
            "end_on" => ("Fin", "End"),
            "place" => ("Lugar", "Place"),
            "attendees" => ("Asistentes", "Attendees"),
            "ask" => ("Solicitud", "Ask"),
            "counterpart" => ("Contraparte", "Counterpart"),
            "follow_up" => ("Seguimiento", "Follow-up"),
            "follow_up_due" => ("Fecha del seguimiento", "Follow-up due"),
            "spent_on" => ("Fecha", "Date"),
            "category" => ("Categoría", "Category"),
            "amount_minor" => ("Monto", "Amount"),
            "currency" => ("Moneda", "Currency"),
            "hours" => ("Horas", "Hours"),
            "description" => ("Descripción", "Description"),
            "hourly_minor" => ("Tarifa por hora", "Hourly rate"),
            "valid_from" => ("Vigente desde", "Valid from"),
            "valid_to" => ("Vigente hasta", "Valid to"),
            "on_date" => ("Fecha", "Date"),
            "rate" => ("Tipo de cambio", "Rate"),
            "quote_currency" => ("Vale en (moneda)", "Is worth (currency)"),
            "trashed_with" => ("En la papelera con", "Trashed with"),
            "sector" => ("Sector", "Sector"),
            "stage" => ("Etapa", "Stage"),
            "capex_minor" => ("Inversión", "Capex"),
            "capex_currency" => ("Moneda de la inversión", "Capex currency"),
            "baseline_months" => ("Meses sin la red", "Baseline months"),
            "actual_months" => ("Meses reales", "Actual months"),
            "occurred_on" => ("Fecha", "Date"),
            "evidence" => ("Evidencia", "Evidence"),
            "months_saved" => ("Meses ahorrados", "Months saved"),
            "instrument" => ("Instrumento", "Instrument"),
            "interest_rate" => ("Tasa de interés (%)", "Interest rate (%)"),
            "tenor_years" => ("Plazo (años)", "Tenor (years)"),
            "grace_years" => ("Gracia (años)", "Grace (years)"),
            "financing_status" => ("Estado del financiamiento", "Financing status"),
            "committed_minor" => ("Comprometido", "Committed"),
            "disbursed_minor" => ("Desembolsado", "Disbursed"),
            "policy_instrument" => ("Instrumento de política", "Policy instrument"),
            "source_peer" => ("Ciudad o red de origen", "Source peer"),
            "adopted_on" => ("Adoptada el", "Adopted on"),
            "share_bp" => ("Participación (%)", "Share (%)"),
            other => return other.to_string(),
        },
    };
    lang.pick(pair.0, pair.1).to_string()
}

/// The kind whose records a reference column points to.
pub fn reference_kind(column: &str) -> Option<RecordKind> {
    match column {
        "city_id" => Some(RecordKind::City),
        "network_id" => Some(RecordKind::Network),
        "membership_id" => Some(RecordKind::Membership),
        "meeting_id" => Some(RecordKind::Meeting),
        "project_id" => Some(RecordKind::Project),
        "outcome_id" => Some(RecordKind::Outcome),
        _ => None,
    }
}
