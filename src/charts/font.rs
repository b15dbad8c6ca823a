//! The one embedded typeface (Noto Sans, assets/fonts, SIL OFL 1.1). Plotters writes its
//! family name into the SVG; the webview loads the same files through `@font-face`, and
//! resvg/svg2pdf get the same bytes here, so no output depends on installed fonts.

use std::sync::{Arc, OnceLock};

use ab_glyph::{Font, FontRef};
use plotters::style::FontStyle;
use resvg::usvg::{self, fontdb};

use crate::error::{Error, Result};

/// The family name charts use, as the UI's `@font-face` declares it.
pub const FONT_FAMILY: &str = "Noto Sans";

pub(crate) static REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
pub(crate) static BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

/// Registers the font with plotters under every family name a chart may name, once.
pub(crate) fn register() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        [FONT_FAMILY, "sans-serif"].iter().all(|family| {
            plotters::style::register_font(family, FontStyle::Normal, REGULAR).is_ok()
                && plotters::style::register_font(family, FontStyle::Bold, BOLD).is_ok()
        })
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Chart("the embedded font could not be read".into()))
    }
}

fn faces() -> &'static Option<(FontRef<'static>, FontRef<'static>)> {
    static FACES: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    FACES.get_or_init(|| {
        Some((
            FontRef::try_from_slice(REGULAR).ok()?,
            FontRef::try_from_slice(BOLD).ok()?,
        ))
    })
}

/// Advance width of `text` at a font size of `px` (the SVG `font-size`), so labels can be
/// wrapped and fitted before they are drawn. Plotters' own estimate scales by the line
/// height rather than the em, which under-measures by about a tenth.
pub(crate) fn text_width(text: &str, px: f64, bold: bool) -> f64 {
    let Some((regular, bold_face)) = faces() else {
        return text.chars().count() as f64 * px * 0.6;
    };
    let face = if bold { bold_face } else { regular };
    let per_em = f64::from(face.units_per_em().unwrap_or(1000.0));
    let mut units = 0.0f32;
    let mut previous = None;
    for c in text.chars() {
        let glyph = face.glyph_id(c);
        if let Some(p) = previous {
            units += face.kern_unscaled(p, glyph);
        }
        units += face.h_advance_unscaled(glyph);
        previous = Some(glyph);
    }
    f64::from(units) / per_em * px
}

/// The font database resvg and svg2pdf read text with: only the embedded faces, and
/// every generic family pointing at them.
pub(crate) fn database() -> Arc<fontdb::Database> {
    static DATABASE: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DATABASE
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_font_data(REGULAR.to_vec());
            db.load_font_data(BOLD.to_vec());
            db.set_sans_serif_family(FONT_FAMILY);
            db.set_serif_family(FONT_FAMILY);
            db.set_monospace_family(FONT_FAMILY);
            Arc::new(db)
        })
        .clone()
}

/// usvg options that read text with the embedded font only.
pub(crate) fn usvg_options() -> usvg::Options<'static> {
    let mut options = usvg::Options {
        font_family: FONT_FAMILY.to_string(),
        ..usvg::Options::default()
    };
    options.fontdb = database();
    options
}
