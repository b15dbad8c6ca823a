//! The one reader of typed numbers: any text, in every office format, reads to a
//! value or a rule code, never a panic; and an amount it reads, written back the
//! office's way, reads to the same minor units.
#![no_main]

use libfuzzer_sys::fuzz_target;

use cabildo::numbers::{self, NumberFormat};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for format in NumberFormat::ALL {
        for currency in ["MXN", "JPY", "KWD"] {
            match numbers::read_minor("amount_minor", text, format, currency) {
                Ok(minor) => {
                    let written = numbers::write_minor(minor, currency, format);
                    let again = numbers::read_minor("amount_minor", &written, format, currency);
                    assert_eq!(again.ok(), Some(minor), "{text:?} → {written:?}");
                }
                Err(e) => assert!(e.code().starts_with("invalid.")),
            }
        }
        if let Err(e) = numbers::read_number("rate", text, format) {
            assert!(e.code().starts_with("invalid."));
        }
        let _ = numbers::read_integer("year", text, format);
        let _ = numbers::read_percent_bp("share_bp", text, format);
        let _ = numbers::read_percent("interest_rate", text, format);
    }
});
