//! Words the charts show beyond the enumerations' own (`model.rs`, `kinds.rs`).

use crate::format::Lang;
use crate::model::Instrument;

/// An instrument's word, or that there is none.
pub(crate) fn instrument(i: Option<Instrument>, lang: Lang) -> &'static str {
    match i {
        Some(i) => i.label(lang),
        None => lang.pick("Sin instrumento", "No instrument"),
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
    //! enumerations' words are the core's alone (exported to the UI as CORE_WORDS);
    //! the few words the core and the UI both write are held equal here.
    use super::*;

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
    fn the_words_both_write_are_the_same() {
        for (lang, table) in [
            (Lang::Es, include_str!("../../ui/src/lib/locales/es.ts")),
            (Lang::En, include_str!("../../ui/src/lib/locales/en.ts")),
        ] {
            assert_eq!(
                crate::explain::general_work_label(lang),
                ui_word(table, "dashboard.generalWork")
            );
            // The UI's tables do not write the core's words again.
            assert!(!table.contains("'enum."), "an enum word in the UI's table");
            assert!(!table.contains("'field."), "a field word in the UI's table");
        }
    }
}
