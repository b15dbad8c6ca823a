//! The other formats of the same SVG: PNG through resvg and PDF through svg2pdf, both
//! reading text with the embedded font only, so every output shows the same glyphs.

use pdf_writer::{Content, Finish, Name, Pdf, Rect as PdfRect, Ref};
use resvg::tiny_skia;
use resvg::usvg;

use super::font;
use crate::error::{Error, Result};

/// Width of every PDF page in points: A4 landscape (297 mm). Heights follow each SVG.
pub const PDF_PAGE_WIDTH_PT: f32 = 841.89;

fn parse(svg: &str) -> Result<usvg::Tree> {
    usvg::Tree::from_str(svg, &font::usvg_options())
        .map_err(|e| Error::Chart(format!("the SVG could not be read: {e}")))
}

/// Rasterises an SVG to a PNG of exactly `width` × `height` pixels on white, scaling the
/// drawing to fit (charts drawn at that size map one to one).
pub fn png(svg: &str, width: u32, height: u32) -> Result<Vec<u8>> {
    super::check_size(width, height)?;
    let tree = parse(svg)?;
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| Error::Chart("the picture is too large".into()))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    let size = tree.size();
    let scale_x = width as f32 / size.width();
    let scale_y = height as f32 / size.height();
    let scale = scale_x.min(scale_y);
    // Centre the drawing when the aspect ratios differ.
    let dx = (width as f32 - size.width() * scale) / 2.0;
    let dy = (height as f32 - size.height() * scale) / 2.0;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_row(scale, 0.0, 0.0, scale, dx, dy),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| Error::Chart(format!("PNG encoding failed: {e}")))
}

/// One PDF with one page per SVG, each page A4-landscape wide and as tall as its SVG's
/// proportions ask. Text stays text: the embedded font is subset into the file.
pub fn pdf<S: AsRef<str>>(pages: &[S]) -> Result<Vec<u8>> {
    if pages.is_empty() {
        return Err(Error::Argument("a PDF needs at least one page".into()));
    }
    let mut alloc = Ref::new(1);
    let catalog_id = alloc.bump();
    let tree_id = alloc.bump();
    let mut pdf = Pdf::new();
    let mut page_ids = Vec::with_capacity(pages.len());
    let name = Name(b"S1");
    for svg in pages {
        let tree = parse(svg.as_ref())?;
        let (chunk, svg_id) = svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default())
            .map_err(|e| Error::Chart(format!("PDF conversion failed: {e}")))?;
        // Renumber the page's objects into the document's numbering.
        let mut map = std::collections::HashMap::new();
        let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(|| alloc.bump()));
        let svg_id = *map
            .get(&svg_id)
            .ok_or_else(|| Error::Chart("PDF conversion lost the drawing".into()))?;
        let size = tree.size();
        let w = PDF_PAGE_WIDTH_PT;
        let h = w * size.height() / size.width();
        let page_id = alloc.bump();
        let content_id = alloc.bump();
        page_ids.push(page_id);
        let mut page = pdf.page(page_id);
        page.media_box(PdfRect::new(0.0, 0.0, w, h));
        page.parent(tree_id);
        page.contents(content_id);
        page.resources().x_objects().pair(name, svg_id);
        page.finish();
        let mut content = Content::new();
        // The drawing is a one-point square XObject: scale it to the page.
        content.transform([w, 0.0, 0.0, h, 0.0, 0.0]).x_object(name);
        pdf.stream(content_id, &content.finish());
        pdf.extend(&chunk);
    }
    pdf.catalog(catalog_id).pages(tree_id);
    let count = page_ids.len() as i32;
    pdf.pages(tree_id).kids(page_ids).count(count);
    Ok(pdf.finish())
}
