//! The demo database: a fictional Mexican city ("Villa Esperanza", clearly marked as
//! fictional) with two years of work in its networks, anchored on a given date so the
//! default dashboard period always has data. Deterministic for an anchor date: same
//! records, same ids. Every classification appears at least once.

use chrono::{Datelike, Months, NaiveDate};

use crate::error::Result;
use crate::ids::IdSource;
use crate::model::*;
use crate::store::{NewOffice, Record, Store};

struct Demo<'a> {
    store: &'a mut Store,
    ids: IdSource,
    anchor: NaiveDate,
    city: String,
}

impl Demo<'_> {
    /// A date `months_ago` months before the anchor, on `day`; never after the anchor
    /// (the demo's history ends on it: nothing was spent or achieved later).
    fn ago(&self, months_ago: u32, day: u32) -> NaiveDate {
        let d = self
            .anchor
            .checked_sub_months(Months::new(months_ago))
            .unwrap_or(self.anchor);
        NaiveDate::from_ymd_opt(d.year(), d.month(), day.min(28))
            .unwrap_or(d)
            .min(self.anchor)
    }

    fn ahead(&self, months: u32) -> NaiveDate {
        self.anchor
            .checked_add_months(Months::new(months))
            .unwrap_or(self.anchor)
    }

    fn put<T: Record>(&mut self, mut record: T) -> Result<String> {
        *record.meta_mut() = self.ids.meta();
        Ok(self.store.insert(record)?.meta().id.clone())
    }

    fn network(&self, acronym: &str) -> Result<String> {
        let networks: Vec<Network> = self.store.list(None)?;
        networks
            .into_iter()
            .find(|n| n.acronym == acronym)
            .map(|n| n.meta.id)
            .ok_or_else(|| crate::Error::NotFound(acronym.into()))
    }

    #[allow(clippy::too_many_arguments)]
    fn membership(
        &mut self,
        acronym: &str,
        joined: NaiveDate,
        status: MembershipStatus,
        role: MembershipRole,
        core: bool,
        dues: Option<(i64, &str)>,
        ended: Option<NaiveDate>,
    ) -> Result<String> {
        let network_id = self.network(acronym)?;
        let renewal = self.ahead(if core { 2 } else { 5 });
        self.put(Membership {
            meta: Meta::default(),
            city_id: self.city.clone(),
            network_id,
            joined_on: Some(joined),
            ended_on: ended,
            status,
            role,
            focal_point: Some("Dirección de Asuntos Internacionales".into()),
            renewal_on: (status == MembershipStatus::Active).then_some(renewal),
            dues_minor: dues.map(|d| d.0),
            dues_currency: dues.map(|d| d.1.to_string()),
            core,
            notes: None,
        })
    }

    fn money_cost(
        &mut self,
        membership: Option<&str>,
        on: NaiveDate,
        category: CostCategory,
        minor: i64,
        currency: &str,
        what: &str,
    ) -> Result<String> {
        self.put(CostEntry {
            meta: Meta::default(),
            city_id: self.city.clone(),
            membership_id: membership.map(str::to_string),
            meeting_id: None,
            spent_on: on,
            category,
            amount_minor: Some(minor),
            currency: Some(currency.into()),
            hours: None,
            role: None,
            description: Some(what.into()),
            invoice_id: None,
            reference: None,
        })
    }

    fn hours(
        &mut self,
        membership: &str,
        on: NaiveDate,
        category: CostCategory,
        hours: f64,
        role: &str,
        what: &str,
    ) -> Result<String> {
        self.put(CostEntry {
            meta: Meta::default(),
            city_id: self.city.clone(),
            membership_id: Some(membership.into()),
            meeting_id: None,
            spent_on: on,
            category,
            amount_minor: None,
            currency: None,
            hours: Some(hours),
            role: Some(role.into()),
            description: Some(what.into()),
            invoice_id: None,
            reference: None,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn meeting(
        &mut self,
        membership: &str,
        on: NaiveDate,
        title: &str,
        place: &str,
        ask: Ask,
        counterpart: &str,
        result: MeetingResult,
        follow_up: Option<&str>,
    ) -> Result<String> {
        self.put(Meeting {
            meta: Meta::default(),
            membership_id: membership.into(),
            title: title.into(),
            start_on: on,
            end_on: on.succ_opt(),
            place: Some(place.into()),
            attendees: Some("Directora de Asuntos Internacionales; especialista técnico".into()),
            ask,
            counterpart: Some(counterpart.into()),
            result,
            follow_up: follow_up.map(str::to_string),
            follow_up_due: follow_up.map(|_| on.checked_add_months(Months::new(2)).unwrap_or(on)),
        })
    }

    fn attribute(&mut self, outcome: &str, membership: &str, share_bp: i32) -> Result<String> {
        self.put(Attribution {
            meta: Meta::default(),
            outcome_id: outcome.into(),
            membership_id: membership.into(),
            share_bp,
        })
    }

    fn outcome(
        &mut self,
        kind: OutcomeKind,
        on: NaiveDate,
        description: &str,
        evidence: &str,
    ) -> Outcome {
        Outcome {
            evidence: Some(evidence.into()),
            ..Outcome::new(&self.city, kind, on, description)
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn project(
        &mut self,
        name: &str,
        sector: Sector,
        stage: Stage,
        capex: i64,
        start: NaiveDate,
        baseline: i32,
        actual: i32,
    ) -> Result<String> {
        self.put(Project {
            meta: Meta::default(),
            city_id: self.city.clone(),
            name: name.into(),
            sector,
            stage,
            capex_minor: Some(capex),
            capex_currency: Some("MXN".into()),
            start_on: Some(start),
            baseline_months: Some(baseline),
            actual_months: Some(actual),
            notes: None,
        })
    }
}

/// The name of the demo city; the "(ficticia)" is part of it on purpose.
pub const DEMO_CITY: &str = "Villa Esperanza (ciudad ficticia)";

/// Creates the demo database at `path` (which must not exist yet).
pub fn create(path: &std::path::Path, anchor: NaiveDate) -> Result<Store> {
    let office = NewOffice {
        id: None,
        name: "Villa Esperanza — Asuntos Internacionales".into(),
        reporting_currency: "MXN".into(),
        language: "es".into(),
    };
    let mut store = Store::create(path, &office)?;
    populate(&mut store, anchor)?;
    Ok(store)
}

/// Adds the demo city and its history to an open store, in one transaction.
pub fn populate(store: &mut Store, anchor: NaiveDate) -> Result<()> {
    store.transaction(|store| populate_in(store, anchor))
}

fn populate_in(store: &mut Store, anchor: NaiveDate) -> Result<()> {
    let millis = anchor
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp_millis() as u64)
        .unwrap_or(0);
    let mut d = Demo {
        store,
        ids: IdSource::new(0x0CAB_11D0, millis),
        anchor,
        city: String::new(),
    };
    d.city = d.put(City {
        meta: Meta::default(),
        name: DEMO_CITY.into(),
        country: "MX".into(),
        population: Some(1_250_000),
        population_year: Some(2020),
        latitude: Some(20.62),
        longitude: Some(-103.41),
        region: Some("Latin America".into()),
        cdp_account: None,
        income_group: Some(IncomeGroup::UpperMiddle),
    })?;

    // Exchange rates to MXN, monthly for 27 months; role rates with a raise a year ago.
    for m in 0..27u32 {
        let on = d.ago(26 - m, 1);
        let wave = ((m % 7) as f64 - 3.0) * 0.15;
        for (currency, rate) in [
            ("USD", 17.4 + m as f64 * 0.06 + wave),
            ("EUR", 18.9 + m as f64 * 0.07 + wave),
        ] {
            d.put(ExchangeRate {
                meta: Meta::default(),
                on_date: on,
                currency: currency.into(),
                quote_currency: "MXN".into(),
                rate: (rate * 10_000.0).round() / 10_000.0,
                source: Some("Banxico FIX".into()),
            })?;
        }
    }
    let start_rates = d.ago(36, 1);
    let raise = d.ago(12, 1);
    for (role, before, after) in [
        ("Especialista técnico", 420_00, 450_00),
        ("Directora de Asuntos Internacionales", 850_00, 900_00),
        ("Alcaldesa", 2_400_00, 2_500_00),
    ] {
        d.put(RoleRate {
            meta: Meta::default(),
            role: role.into(),
            hourly_minor: before,
            currency: "MXN".into(),
            valid_from: start_rates,
            valid_to: raise.pred_opt(),
        })?;
        d.put(RoleRate {
            meta: Meta::default(),
            role: role.into(),
            hourly_minor: after,
            currency: "MXN".into(),
            valid_from: raise,
            valid_to: None,
        })?;
    }

    let active = MembershipStatus::Active;
    // C40 charges no dues: recorded as zero, so the budget knows rather than guesses.
    let c40 = d.membership(
        "C40",
        d.ago(60, 15),
        active,
        MembershipRole::Board,
        true,
        Some((0, "USD")),
        None,
    )?;
    let iclei = d.membership(
        "ICLEI",
        d.ago(96, 1),
        active,
        MembershipRole::Member,
        true,
        Some((8_500_00, "EUR")),
        None,
    )?;
    // Inspired by Guadalajara, a Metropolis member since 1987.
    let metropolis = d.membership(
        "Metropolis",
        NaiveDate::from_ymd_opt(1987, 5, 1).unwrap_or(anchor),
        active,
        MembershipRole::Member,
        false,
        Some((11_010_00, "EUR")),
        None,
    )?;
    let uclg = d.membership(
        "UCLG",
        d.ago(30, 1),
        active,
        MembershipRole::Member,
        false,
        Some((6_000_00, "USD")),
        None,
    )?;
    let mercociudades = d.membership(
        "Mercociudades",
        d.ago(40, 1),
        active,
        MembershipRole::Observer,
        false,
        Some((2_000_00, "USD")),
        None,
    )?;
    let gcom = d.membership(
        "GCoM",
        d.ago(84, 1),
        MembershipStatus::Ended,
        MembershipRole::Member,
        false,
        None,
        Some(d.ago(14, 30)),
    )?;

    // Theses: C40 and ICLEI current; UCLG just started; Metropolis had one that expired.
    let thesis = |membership: &str, statement: &str, start: NaiveDate, horizon: NaiveDate| Thesis {
        meta: Meta::default(),
        membership_id: membership.into(),
        statement: statement.into(),
        start_on: start,
        horizon_on: horizon,
        review_on: Some(horizon),
        verdict: None,
        decision: None,
        reviewed_on: None,
    };
    let t = thesis(&c40, "Cerrar el financiamiento de la Línea 4 del BRT y acelerar su ejecución con asistencia técnica de C40.", d.ago(10, 1), d.ahead(6));
    d.put(t)?;
    let mut t = thesis(&iclei, "Adoptar el modelo de compra pública de alumbrado LED y obtener una donación para eficiencia energética.", d.ago(14, 1), d.ahead(3));
    t.review_on = Some(d.ago(1, 15));
    d.put(t)?;
    let t = thesis(
        &uclg,
        "Conseguir una alianza técnica para la ventanilla digital de trámites municipales.",
        d.ago(3, 1),
        d.ahead(12),
    );
    d.put(t)?;
    let mut old = thesis(
        &metropolis,
        "Posicionar a la ciudad en la agenda metropolitana global.",
        d.ago(36, 1),
        d.ago(22, 1),
    );
    old.verdict = Some(Verdict::NotAchieved);
    old.decision = Some(Decision::Reduce);
    old.reviewed_on = Some(d.ago(21, 15));
    d.put(old)?;

    // Costs over two years: dues, travel, hosting, hours.
    // The latest year's dues payments settle the invoices recorded at the end.
    let mut paid_dues: Vec<String> = Vec::new();
    for year in 0..2u32 {
        let base = 12 * year;
        let id = d.money_cost(
            Some(&iclei),
            d.ago(base + 2, 10),
            CostCategory::Dues,
            8_500_00,
            "EUR",
            "Cuota anual ICLEI",
        )?;
        let id_metropolis = d.money_cost(
            Some(&metropolis),
            d.ago(base + 3, 5),
            CostCategory::Dues,
            11_010_00,
            "EUR",
            "Cuota anual Metropolis",
        )?;
        let id_uclg = d.money_cost(
            Some(&uclg),
            d.ago(base + 4, 12),
            CostCategory::Dues,
            6_000_00,
            "USD",
            "Cuota anual CGLU",
        )?;
        let id_mercociudades = d.money_cost(
            Some(&mercociudades),
            d.ago(base + 6, 20),
            CostCategory::Dues,
            2_000_00,
            "USD",
            "Cuota anual Mercociudades",
        )?;
        if year == 0 {
            paid_dues.extend([id, id_metropolis, id_uclg, id_mercociudades]);
        }
        d.money_cost(
            Some(&metropolis),
            d.ago(base + 5, 18),
            CostCategory::Travel,
            6_850_00,
            "EUR",
            "Viaje a la cumbre anual de Metropolis",
        )?;
        d.money_cost(
            Some(&metropolis),
            d.ago(base + 5, 19),
            CostCategory::Travel,
            4_100_00,
            "EUR",
            "Viaje de la comitiva de la alcaldesa a la cumbre",
        )?;
        d.money_cost(
            Some(&c40),
            d.ago(base + 7, 3),
            CostCategory::Travel,
            5_200_00,
            "USD",
            "Taller de financiamiento climático de C40",
        )?;
        d.money_cost(
            Some(&iclei),
            d.ago(base + 8, 14),
            CostCategory::Travel,
            3_400_00,
            "EUR",
            "Congreso mundial de ICLEI",
        )?;
        d.money_cost(
            Some(&mercociudades),
            d.ago(base + 9, 2),
            CostCategory::Travel,
            38_000_00,
            "MXN",
            "Cumbre de Mercociudades",
        )?;
        d.hours(
            &metropolis,
            d.ago(base + 5, 18),
            CostCategory::OfficialsTime,
            24.0,
            "Alcaldesa",
            "Agenda de la alcaldesa en la cumbre",
        )?;
        d.hours(
            &c40,
            d.ago(base + 7, 3),
            CostCategory::OfficialsTime,
            12.0,
            "Alcaldesa",
            "Participación de la alcaldesa en el taller",
        )?;
    }
    d.money_cost(
        Some(&c40),
        d.ago(4, 22),
        CostCategory::Hosting,
        420_000_00,
        "MXN",
        "Sede del foro regional de movilidad C40",
    )?;
    d.money_cost(
        Some(&gcom),
        d.ago(20, 8),
        CostCategory::Other,
        15_000_00,
        "MXN",
        "Inventario de emisiones para reporte GCoM",
    )?;
    d.money_cost(
        None,
        d.ago(6, 11),
        CostCategory::Other,
        25_000_00,
        "MXN",
        "Traducción de la estrategia internacional",
    )?;
    for m in 0..24u32 {
        d.hours(
            &c40,
            d.ago(m, 28),
            CostCategory::StaffTime,
            30.0,
            "Especialista técnico",
            "Seguimiento técnico de redes",
        )?;
        d.hours(
            &iclei,
            d.ago(m, 28),
            CostCategory::StaffTime,
            16.0,
            "Especialista técnico",
            "Seguimiento técnico de redes",
        )?;
        if m % 3 == 0 {
            d.hours(
                &metropolis,
                d.ago(m, 27),
                CostCategory::StaffTime,
                6.0,
                "Directora de Asuntos Internacionales",
                "Coordinación de la membresía",
            )?;
            d.hours(
                &uclg,
                d.ago(m, 27),
                CostCategory::StaffTime,
                8.0,
                "Especialista técnico",
                "Coordinación de la membresía",
            )?;
            d.hours(
                &mercociudades,
                d.ago(m, 26),
                CostCategory::StaffTime,
                5.0,
                "Especialista técnico",
                "Coordinación de la membresía",
            )?;
        }
    }

    // Meetings with asks and results.
    d.meeting(
        &c40,
        d.ago(9, 12),
        "Mesa de financiamiento de la Línea 4",
        "Ciudad de México",
        Ask::FinancingPathway,
        "C40 Cities Finance Facility",
        MeetingResult::Achieved,
        Some("Enviar estudio de factibilidad actualizado"),
    )?;
    d.meeting(
        &c40,
        d.ago(7, 3),
        "Taller de financiamiento climático",
        "Bogotá",
        Ask::TechnicalAssistance,
        "C40 — equipo de transporte",
        MeetingResult::Achieved,
        None,
    )?;
    d.meeting(
        &c40,
        d.ago(2, 17),
        "Revisión de avance con C40",
        "En línea",
        Ask::ProjectPartnership,
        "C40 — oficina regional",
        MeetingResult::Pending,
        Some("Confirmar visita técnica"),
    )?;
    d.meeting(
        &iclei,
        d.ago(8, 14),
        "Congreso mundial de ICLEI",
        "Malmö",
        Ask::PolicyExchange,
        "ICLEI — compras sostenibles",
        MeetingResult::Achieved,
        None,
    )?;
    d.meeting(
        &iclei,
        d.ago(5, 9),
        "Solicitud al fondo de eficiencia",
        "En línea",
        Ask::FinancingPathway,
        "ICLEI — Transformative Actions Program",
        MeetingResult::Partly,
        Some("Completar la ficha del proyecto solar"),
    )?;
    d.meeting(
        &metropolis,
        d.ago(5, 18),
        "Cumbre anual de Metropolis",
        "Seúl",
        Ask::None,
        "Metropolis",
        MeetingResult::Pending,
        None,
    )?;
    d.meeting(
        &metropolis,
        d.ago(17, 18),
        "Cumbre anual de Metropolis",
        "Barcelona",
        Ask::TechnicalAssistance,
        "Metropolis — secretaría",
        MeetingResult::NotAchieved,
        None,
    )?;
    d.meeting(
        &uclg,
        d.ago(2, 6),
        "Primera reunión de la alianza digital",
        "En línea",
        Ask::ProjectPartnership,
        "CGLU — comunidad de práctica digital",
        MeetingResult::Pending,
        Some("Enviar términos de referencia"),
    )?;
    d.meeting(
        &mercociudades,
        d.ago(9, 2),
        "Cumbre de Mercociudades",
        "Montevideo",
        Ask::PolicyExchange,
        "Unidad temática de desarrollo urbano",
        MeetingResult::Achieved,
        None,
    )?;

    // Projects.
    let brt = d.project(
        "BRT Línea 4",
        Sector::Mobility,
        Stage::Implementation,
        4_200_000_000_00,
        d.ago(20, 1),
        48,
        40,
    )?;
    let water = d.project(
        "Planta potabilizadora Oriente",
        Sector::Water,
        Stage::FinancingSecured,
        1_350_000_000_00,
        d.ago(16, 1),
        36,
        32,
    )?;
    let solar = d.project(
        "Techos solares en edificios municipales",
        Sector::Energy,
        Stage::Bankable,
        180_000_000_00,
        d.ago(10, 1),
        24,
        21,
    )?;
    d.project(
        "Ventanilla digital de trámites",
        Sector::Digitalization,
        Stage::Feasibility,
        95_000_000_00,
        d.ago(4, 1),
        18,
        18,
    )?;
    d.project(
        "Corredor verde del río",
        Sector::Resilience,
        Stage::PreFeasibility,
        260_000_000_00,
        d.ago(2, 1),
        30,
        30,
    )?;
    d.project(
        "Estaciones de transferencia de residuos",
        Sector::Waste,
        Stage::Concept,
        75_000_000_00,
        d.ago(1, 1),
        20,
        20,
    )?;

    // Outcomes of the three kinds, attributed with shares.
    let mut o = d.outcome(
        OutcomeKind::Financing,
        d.ago(6, 20),
        "Crédito de Banobras en pesos para la Línea 4 del BRT (fondeado por CAF)",
        "Contrato de crédito con Banobras, expediente DAI-2025-114",
    );
    // A Mexican municipality borrows only from Mexican lenders and in pesos
    // (Constitution, art. 117-VIII): the development bank's money reaches it through
    // the national development bank.
    o.amount_minor = Some(210_000_000_00);
    o.currency = Some("MXN".into());
    o.instrument = Some(Instrument::ConcessionalLoan);
    o.source_type = Some(SourceType::DevelopmentBank);
    o.source_name = Some("Banobras, con recursos de CAF".into());
    o.interest_rate = Some(9.2);
    o.tenor_years = Some(18.0);
    o.grace_years = Some(4.0);
    o.repayment_profile = Some(RepaymentProfile::Annuity);
    o.payments_per_year = Some(2);
    o.financing_status = Some(FinancingStatus::Disbursed);
    o.committed_minor = Some(210_000_000_00);
    o.disbursed_minor = Some(52_500_000_00);
    let loan = d.put(o)?;
    d.attribute(&loan, &c40, 6_000)?;

    let mut o = d.outcome(
        OutcomeKind::Acceleration,
        d.ago(5, 2),
        "Asistencia técnica de C40 recortó la licitación de la Línea 4",
        "Informe de avance del proyecto, marzo",
    );
    o.project_id = Some(brt);
    o.months_saved = Some(8.0);
    let accel = d.put(o)?;
    d.attribute(&accel, &c40, 10_000)?;

    let mut o = d.outcome(
        OutcomeKind::PolicyTransfer,
        d.ago(7, 15),
        "Modelo de compra pública de alumbrado LED adoptado",
        "Acuerdo de cabildo 2025/118",
    );
    o.policy_instrument = Some(PolicyInstrument::ContractModel);
    o.source_peer = Some("ICLEI — Procura+ (Malmö)".into());
    o.adopted_on = Some(d.ago(7, 15));
    let led = d.put(o)?;
    d.attribute(&led, &iclei, 10_000)?;

    let mut o = d.outcome(
        OutcomeKind::Financing,
        d.ago(4, 10),
        "Donación para techos solares en edificios municipales",
        "Convenio de donación firmado",
    );
    o.amount_minor = Some(1_500_000_00);
    o.currency = Some("EUR".into());
    o.instrument = Some(Instrument::Grant);
    o.source_type = Some(SourceType::ClimateFund);
    o.source_name = Some("Fondo de eficiencia energética (vía ICLEI)".into());
    o.financing_status = Some(FinancingStatus::Committed);
    o.committed_minor = Some(1_500_000_00);
    o.disbursed_minor = Some(0);
    let grant = d.put(o)?;
    d.attribute(&grant, &iclei, 8_000)?;

    let mut o = d.outcome(
        OutcomeKind::Acceleration,
        d.ago(3, 12),
        "Intercambio con ICLEI adelantó el diseño de la planta",
        "Minuta técnica",
    );
    o.project_id = Some(water);
    o.months_saved = Some(4.0);
    let w = d.put(o)?;
    d.attribute(&w, &iclei, 5_000)?;

    let mut o = d.outcome(
        OutcomeKind::PolicyTransfer,
        d.ago(5, 25),
        "Indicador de tiempo de respuesta de servicios urbanos adoptado de Montevideo",
        "Tablero municipal de indicadores",
    );
    o.policy_instrument = Some(PolicyInstrument::PerformanceMetric);
    o.source_peer = Some("Montevideo (Mercociudades)".into());
    o.adopted_on = Some(d.ago(5, 25));
    let kpi = d.put(o)?;
    d.attribute(&kpi, &mercociudades, 10_000)?;

    let mut o = d.outcome(
        OutcomeKind::Financing,
        d.ago(1, 8),
        "Cooperación técnica no reembolsable para preparar el corredor verde",
        "Nota conceptual enviada",
    );
    o.amount_minor = Some(400_000_00);
    o.currency = Some("USD".into());
    o.instrument = Some(Instrument::TechnicalAssistance);
    o.source_type = Some(SourceType::DevelopmentBank);
    o.source_name = Some("Banco Interamericano de Desarrollo".into());
    o.financing_status = Some(FinancingStatus::Pipeline);
    let pipeline = d.put(o)?;
    d.attribute(&pipeline, &c40, 3_000)?;
    let _ = solar;

    // Comparable metrics.
    let this_year = anchor.year();
    for (year, name, value, text, unit, source) in [
        (
            this_year - 2,
            "emissions_tco2e",
            Some(4_850_000.0),
            None,
            "tCO2e",
            "Inventario municipal de GEI",
        ),
        (
            this_year - 1,
            "emissions_tco2e",
            Some(4_610_000.0),
            None,
            "tCO2e",
            "Inventario municipal de GEI",
        ),
        (this_year - 2, "cdp_score", None, Some("B"), "", "CDP"),
        (this_year - 1, "cdp_score", None, Some("A-"), "", "CDP"),
        (
            this_year - 1,
            "gcom_badge",
            None,
            Some("Mitigación"),
            "",
            "GCoM",
        ),
        (
            2020,
            "population",
            Some(1_250_000.0),
            None,
            "habitantes",
            "Censo 2020 (ficticio)",
        ),
    ] {
        d.put(Metric {
            meta: Meta::default(),
            city_id: d.city.clone(),
            year,
            name: name.into(),
            value,
            value_text: text.map(str::to_string),
            unit: (!unit.is_empty()).then(|| unit.to_string()),
            source: Some(source.into()),
        })?;
    }
    budget_cycle(
        &mut d,
        &paid_dues,
        [&c40, &iclei, &metropolis, &uclg, &mercociudades],
    )?;
    Ok(())
}

/// The budget cycle's records, written last so the records before keep their ids:
/// this year's dues invoices (the latest payments settle four, Mercociudades' is in
/// arrears), next year's plans and budget rates, and a second loan on other terms.
fn budget_cycle(d: &mut Demo, paid_dues: &[String], memberships: [&String; 5]) -> Result<()> {
    let [c40, iclei, metropolis, uclg, mercociudades] = memberships;
    let year = d.anchor.year();
    // (membership, dues year, amount, currency, due: months ago and day, number);
    // Mercociudades paid last year's dues late.
    let invoices = [
        (iclei, year, 8_500_00, "EUR", (2, 1), "ICLEI-0412"),
        (metropolis, year, 11_010_00, "EUR", (3, 1), "MET-118"),
        (uclg, year, 6_000_00, "USD", (4, 1), "UCLG-2291"),
        (mercociudades, year - 1, 2_000_00, "USD", (7, 1), "MC-0087"),
    ];
    for ((membership, dues_year, amount, currency, (months, day), number), payment) in
        invoices.into_iter().zip(paid_dues)
    {
        let due_on = d.ago(months, day);
        let invoice = d.put(Invoice {
            meta: Meta::default(),
            membership_id: membership.clone(),
            year: dues_year,
            amount_minor: amount,
            currency: currency.into(),
            issued_on: due_on.checked_sub_days(chrono::Days::new(30)),
            due_on,
            waived: false,
            reference: Some(number.into()),
            notes: None,
        })?;
        let mut cost: CostEntry = d.store.get(payment)?;
        cost.invoice_id = Some(invoice);
        cost.reference = Some(format!("SPEI {number}"));
        d.store.update(cost)?;
    }
    // This year's Mercociudades dues: issued, due two months ago, not paid.
    let due_on = d.ago(2, 15);
    d.put(Invoice {
        meta: Meta::default(),
        membership_id: mercociudades.clone(),
        year,
        amount_minor: 2_000_00,
        currency: "USD".into(),
        issued_on: due_on.checked_sub_days(chrono::Days::new(30)),
        due_on,
        waived: false,
        reference: Some("MC-0131".into()),
        notes: None,
    })?;

    // Next year's plans: trips, people, days; hours by role.
    let next = year + 1;
    let plan = |membership: &str,
                (trips, travellers, days): (i64, i64, f64),
                (fare, daily, currency): (i64, i64, &str),
                staff: f64,
                officials: f64| BudgetPlan {
        meta: Meta::default(),
        membership_id: membership.into(),
        fiscal_year: next,
        trips: Some(trips),
        travellers: Some(travellers),
        days: Some(days),
        fare_minor: Some(fare),
        daily_minor: Some(daily),
        travel_currency: Some(currency.into()),
        staff_hours: (staff > 0.0).then_some(staff),
        staff_role: (staff > 0.0).then(|| "Especialista técnico".into()),
        officials_hours: (officials > 0.0).then_some(officials),
        officials_role: (officials > 0.0).then(|| "Alcaldesa".into()),
        decision: None,
        justification: None,
        notes: None,
    };
    for p in [
        plan(c40, (2, 2, 4.0), (1_100_00, 320_00, "USD"), 360.0, 24.0),
        plan(iclei, (1, 2, 5.0), (1_050_00, 280_00, "EUR"), 192.0, 0.0),
        plan(
            metropolis,
            (1, 3, 4.0),
            (1_200_00, 300_00, "EUR"),
            24.0,
            24.0,
        ),
        plan(uclg, (1, 1, 4.0), (950_00, 260_00, "USD"), 96.0, 0.0),
        plan(
            mercociudades,
            (1, 2, 3.0),
            (14_000_00, 3_800_00, "MXN"),
            60.0,
            0.0,
        ),
    ] {
        d.put(p)?;
    }
    // The treasury's rates for next year's budget package.
    for (currency, rate) in [("USD", 19.50), ("EUR", 21.20)] {
        d.put(BudgetRate {
            meta: Meta::default(),
            fiscal_year: next,
            currency: currency.into(),
            quote_currency: "MXN".into(),
            rate,
            source: Some("Tesorería municipal, paquete económico".into()),
        })?;
    }

    // A second loan on softer terms, still in the pipeline (no figure counts it yet).
    let mut o = d.outcome(
        OutcomeKind::Financing,
        d.ago(2, 3),
        "Préstamo del Banco Mundial para drenaje pluvial (vía Banobras), en negociación",
        "Minuta de negociación",
    );
    o.amount_minor = Some(400_000_000_00);
    o.currency = Some("MXN".into());
    o.instrument = Some(Instrument::Loan);
    o.source_type = Some(SourceType::DevelopmentBank);
    o.source_name = Some("Banco Mundial, con Banobras".into());
    o.interest_rate = Some(3.1);
    o.tenor_years = Some(25.0);
    o.grace_years = Some(5.0);
    o.repayment_profile = Some(RepaymentProfile::EqualPrincipal);
    o.payments_per_year = Some(2);
    o.financing_status = Some(FinancingStatus::Pipeline);
    d.put(o)?;
    Ok(())
}
