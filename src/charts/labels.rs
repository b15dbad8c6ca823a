//! Spanish and English names of the domain values the charts show.

use crate::format::Lang;
use crate::model::{Ask, CostCategory, Instrument, MeetingResult, Sector, Stage};

pub(crate) fn cost_category(c: CostCategory, lang: Lang) -> &'static str {
    match c {
        CostCategory::Dues => lang.pick("Cuotas", "Dues"),
        CostCategory::Travel => lang.pick("Viajes", "Travel"),
        CostCategory::StaffTime => lang.pick("Tiempo del personal técnico", "Staff time"),
        CostCategory::OfficialsTime => lang.pick("Tiempo de autoridades", "Officials’ time"),
        CostCategory::Hosting => lang.pick("Sede de eventos", "Hosting"),
        CostCategory::Other => lang.pick("Otros", "Other"),
    }
}

pub(crate) fn instrument(i: Option<Instrument>, lang: Lang) -> &'static str {
    match i {
        Some(Instrument::Grant) => lang.pick("Donación", "Grant"),
        Some(Instrument::ConcessionalLoan) => {
            lang.pick("Préstamo concesional", "Concessional loan")
        }
        Some(Instrument::Loan) => lang.pick("Préstamo", "Loan"),
        Some(Instrument::Guarantee) => lang.pick("Garantía", "Guarantee"),
        Some(Instrument::Equity) => lang.pick("Capital", "Equity"),
        Some(Instrument::TechnicalAssistance) => {
            lang.pick("Asistencia técnica", "Technical assistance")
        }
        None => lang.pick("Sin instrumento", "No instrument"),
    }
}

pub(crate) fn ask(a: Ask, lang: Lang) -> &'static str {
    match a {
        Ask::TechnicalAssistance => lang.pick("Asistencia técnica", "Technical assistance"),
        Ask::ProjectPartnership => lang.pick("Alianza de proyecto", "Project partnership"),
        Ask::FinancingPathway => lang.pick("Ruta de financiamiento", "Financing pathway"),
        Ask::PolicyExchange => lang.pick("Intercambio de políticas", "Policy exchange"),
        Ask::None => lang.pick("Sin solicitud", "No ask"),
    }
}

pub(crate) fn result(r: MeetingResult, lang: Lang) -> &'static str {
    match r {
        MeetingResult::Achieved => lang.pick("Logrado", "Achieved"),
        MeetingResult::Partly => lang.pick("Logrado en parte", "Partly achieved"),
        MeetingResult::NotAchieved => lang.pick("No logrado", "Not achieved"),
        MeetingResult::Pending => lang.pick("Pendiente", "Pending"),
    }
}

pub(crate) fn sector(s: Sector, lang: Lang) -> &'static str {
    match s {
        Sector::Mobility => lang.pick("Movilidad", "Mobility"),
        Sector::Water => lang.pick("Agua", "Water"),
        Sector::Energy => lang.pick("Energía", "Energy"),
        Sector::Digitalization => lang.pick("Digitalización", "Digitalization"),
        Sector::Waste => lang.pick("Residuos", "Waste"),
        Sector::Resilience => lang.pick("Resiliencia", "Resilience"),
        Sector::Housing => lang.pick("Vivienda", "Housing"),
        Sector::Other => lang.pick("Otro", "Other"),
    }
}

pub(crate) fn stage(s: Stage, lang: Lang) -> &'static str {
    match s {
        Stage::Concept => lang.pick("Concepto", "Concept"),
        Stage::PreFeasibility => lang.pick("Prefactibilidad", "Pre-feasibility"),
        Stage::Feasibility => lang.pick("Factibilidad", "Feasibility"),
        Stage::Bankable => lang.pick("Financiable", "Bankable"),
        Stage::FinancingSecured => lang.pick("Financiamiento asegurado", "Financing secured"),
        Stage::Implementation => lang.pick("Ejecución", "Implementation"),
        Stage::Completed => lang.pick("Concluido", "Completed"),
        Stage::Dropped => lang.pick("Descartado", "Dropped"),
    }
}

/// "1 proyecto" / "3 proyectos": a count with its noun in the right number.
pub(crate) fn counted(n: i64, lang: Lang, es: (&str, &str), en: (&str, &str)) -> String {
    let (one, many) = match lang {
        Lang::Es => es,
        Lang::En => en,
    };
    let noun = if n == 1 { one } else { many };
    format!("{} {noun}", crate::format::number(n as f64, 0))
}

#[cfg(test)]
mod tests {
    //! The charts, the council pack and the screens say each thing with one word: the
    //! words the core draws are the UI's translation table's.
    use super::*;
    use crate::roi::Classification;

    fn ui_word(table: &str, key: &str) -> String {
        let line = table
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("'{key}':")))
            .unwrap_or_else(|| panic!("no {key} in the UI's table"));
        let value = line.split_once(':').map(|(_, v)| v.trim()).unwrap_or("");
        value
            .trim_end_matches(',')
            .trim_matches(|c| c == '\'' || c == '"')
            .to_string()
    }

    #[test]
    fn categories_and_classifications_have_the_screens_words() {
        for (lang, table) in [
            (Lang::Es, include_str!("../../ui/src/lib/locales/es.ts")),
            (Lang::En, include_str!("../../ui/src/lib/locales/en.ts")),
        ] {
            for c in CostCategory::ALL {
                let key = format!("enum.cost_category.{}", c.code());
                assert_eq!(cost_category(*c, lang), ui_word(table, &key), "{key}");
            }
            for c in Classification::ALL {
                let code = serde_json::to_value(c).unwrap_or_default();
                let key = format!("enum.classification.{}", code.as_str().unwrap_or(""));
                assert_eq!(c.label(lang), ui_word(table, &key), "{key}");
            }
            let mut differ = Vec::new();
            let mut check = |key: String, core: &str| {
                if core != ui_word(table, &key) {
                    differ.push(format!(
                        "{key}: core «{core}», screens «{}»",
                        ui_word(table, &key)
                    ));
                }
            };
            for i in Instrument::ALL {
                check(
                    format!("enum.instrument.{}", i.code()),
                    instrument(Some(*i), lang),
                );
            }
            for a in Ask::ALL {
                check(format!("enum.ask.{}", a.code()), ask(*a, lang));
            }
            for r in MeetingResult::ALL {
                check(
                    format!("enum.meeting_result.{}", r.code()),
                    result(*r, lang),
                );
            }
            for x in Sector::ALL {
                check(format!("enum.sector.{}", x.code()), sector(*x, lang));
            }
            for x in Stage::ALL {
                check(format!("enum.stage.{}", x.code()), stage(*x, lang));
            }
            check(
                "dashboard.generalWork".into(),
                crate::explain::general_work_label(lang),
            );
            assert!(differ.is_empty(), "{}", differ.join("\n"));
        }
    }
}
