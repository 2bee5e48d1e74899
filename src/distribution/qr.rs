//! QR codes for survey links and posters, as SVG text (scales to any poster
//! size, prints crisp) and as PNG bytes (for saving or sharing an image).
//!
//! The module matrix comes from `qrcode` with its default features off, so
//! neither its `image` dependency nor its renderers reach the respondent's
//! download. Both renderers here are a few lines over the matrix; the PNG is
//! written with `miniz_oxide` and `formats::crc32`, which the link codec already
//! brings, instead of adding the `png` crate and its second deflate stack.

use miniz_oxide::deflate::compress_to_vec_zlib;
use qrcode::bits::Bits;
use qrcode::types::QrError as EncodeError;
use qrcode::{Color, EcLevel, QrCode, Version};

use crate::i18n::Lang;

/// Above this version the modules get too small for a phone camera at
/// poster distance, and cheap phones start to fail; a longer link should
/// be offered as a short link instead.
pub const MAX_SCANNABLE_VERSION: u8 = 20;

/// Light modules around the code, as the standard requires; without them
/// scanners miss codes printed close to other content.
pub const QUIET_ZONE: usize = 4;

/// The largest PNG module size: a version 40 code at this scale is about
/// 6000 px square, enough for an A2 poster.
pub const MAX_PNG_SCALE: u32 = 32;

/// Error correction: how much of the code may be dirty or covered and still
/// read. Each step up makes the code denser for the same text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Ecl {
    /// About 7 % recoverable.
    L,
    /// About 15 %: the usual choice for printed codes.
    #[default]
    M,
    /// About 25 %.
    Q,
    /// About 30 %.
    H,
}

impl Ecl {
    fn level(self) -> EcLevel {
        match self {
            Ecl::L => EcLevel::L,
            Ecl::M => EcLevel::M,
            Ecl::Q => EcLevel::Q,
            Ecl::H => EcLevel::H,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrError {
    /// More than a version 40 code holds at this error correction.
    TooLong { bytes: usize, ecl: Ecl },
}

impl QrError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (QrError::TooLong { bytes, ecl }, Lang::Ru) => format!(
                "Ссылка слишком длинная для QR-кода ({bytes} байт, коррекция {ecl:?}). \
                 Используйте короткую ссылку."
            ),
            (QrError::TooLong { bytes, ecl }, Lang::En) => format!(
                "The link is too long for a QR code ({bytes} bytes, error correction {ecl:?}). \
                 Use a short link instead."
            ),
        }
    }
}

/// The modules of a QR code, row by row, without the quiet zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    /// 1–40.
    pub version: u8,
    /// Modules per side.
    pub width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    pub fn new(text: &str, ecl: Ecl) -> Result<QrMatrix, QrError> {
        let code =
            QrCode::with_bits(bits(text, ecl)?, ecl.level()).map_err(|_| too_long(text, ecl))?;
        let version = version_number(code.version());
        let width = code.width();
        let dark = code
            .into_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Ok(QrMatrix {
            version,
            width,
            dark,
        })
    }

    /// Whether the module at column `x`, row `y` is dark; outside the code
    /// (the quiet zone) everything is light.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }
}

/// Segments for `text`. ASCII gets qrcode's optimal mix of modes; anything
/// else is sent as plain bytes, because qrcode's optimiser takes runs of
/// some UTF-8 byte pairs (Cyrillic "ЖЖЖ" among them) for Shift-JIS kanji,
/// and phone scanners would show those as Japanese characters.
fn bits(text: &str, ecl: Ecl) -> Result<Bits, QrError> {
    if text.is_ascii() {
        return qrcode::bits::encode_auto(text.as_bytes(), ecl.level())
            .map_err(|_: EncodeError| too_long(text, ecl));
    }
    for v in 1..=40 {
        let mut bits = Bits::new(Version::Normal(v));
        if bits.push_byte_data(text.as_bytes()).is_ok() && bits.push_terminator(ecl.level()).is_ok()
        {
            return Ok(bits);
        }
    }
    Err(too_long(text, ecl))
}

fn too_long(text: &str, ecl: Ecl) -> QrError {
    QrError::TooLong {
        bytes: text.len(),
        ecl,
    }
}

fn version_number(version: Version) -> u8 {
    match version {
        Version::Normal(v) | Version::Micro(v) => u8::try_from(v).unwrap_or(u8::MAX),
    }
}

/// The smallest version that holds `text`, without drawing the code.
pub fn version_for(text: &str, ecl: Ecl) -> Result<u8, QrError> {
    bits(text, ecl).map(|b| version_number(b.version()))
}

/// Whether `text` fits a code of at most `max_version`.
pub fn fits(text: &str, ecl: Ecl, max_version: u8) -> bool {
    version_for(text, ecl).is_ok_and(|v| v <= max_version)
}

/// Whether `text` makes a code phones read easily from a poster: at most
/// [`MAX_SCANNABLE_VERSION`] at error correction M.
pub fn is_scannable(text: &str) -> bool {
    fits(text, Ecl::M, MAX_SCANNABLE_VERSION)
}

/// An SVG of the code with its quiet zone. Sized by its `viewBox` only (one
/// unit per module), so it fills whatever box the page or poster gives it.
pub fn qr_svg(text: &str, ecl: Ecl) -> Result<(String, u8), QrError> {
    let m = QrMatrix::new(text, ecl)?;
    let side = m.width + 2 * QUIET_ZONE;
    let mut path = String::new();
    for y in 0..m.width {
        let mut x = 0;
        while x < m.width {
            if !m.is_dark(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while m.is_dark(x, y) {
                x += 1;
            }
            // One rectangle per horizontal run keeps the path short.
            let run = x - start;
            path.push_str(&format!(
                "M{} {}h{run}v1h-{run}z",
                start + QUIET_ZONE,
                y + QUIET_ZONE
            ));
        }
    }
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{side}\" height=\"{side}\" \
         fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    );
    Ok((svg, m.version))
}

/// An `<img>` source for an SVG of [`qr_svg`]: a data URL (the app's CSP
/// allows `data:` images), so no markup is inserted into the page.
pub fn svg_data_url(svg: &str) -> String {
    let mut out = String::from("data:image/svg+xml,");
    for b in svg.bytes() {
        if b.is_ascii_alphanumeric() || b" -./:=".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A black-and-white PNG of the code with its quiet zone, `scale` pixels
/// per module (clamped to 1..=[`MAX_PNG_SCALE`]).
pub fn qr_png(text: &str, ecl: Ecl, scale: u32) -> Result<(Vec<u8>, u8), QrError> {
    let m = QrMatrix::new(text, ecl)?;
    let scale = scale.clamp(1, MAX_PNG_SCALE) as usize;
    let side = (m.width + 2 * QUIET_ZONE) * scale;
    let dark = |px: usize, py: usize| {
        let (x, y) = (px / scale, py / scale);
        x >= QUIET_ZONE && y >= QUIET_ZONE && m.is_dark(x - QUIET_ZONE, y - QUIET_ZONE)
    };
    Ok((png_1bit(side, dark), m.version))
}

/// A square 1-bit greyscale PNG, the smallest lossless form of a
/// two-colour image.
fn png_1bit(side: usize, dark: impl Fn(usize, usize) -> bool) -> Vec<u8> {
    let row_bytes = side.div_ceil(8);
    let mut raw = Vec::with_capacity((row_bytes + 1) * side);
    for y in 0..side {
        // Filter type 0: 1-bit rows gain little from PNG's filters.
        raw.push(0);
        for byte in 0..row_bytes {
            let mut packed = 0u8;
            for bit in 0..8 {
                let x = byte * 8 + bit;
                // 1 is white in greyscale; the padding past the edge too.
                if x >= side || !dark(x, y) {
                    packed |= 0x80 >> bit;
                }
            }
            raw.push(packed);
        }
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let side = u32::try_from(side).expect("a QR image is far below 4 billion pixels wide");
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&side.to_be_bytes());
    // Bit depth 1, colour type 0 (greyscale), deflate, adaptive filtering,
    // no interlace.
    header.extend_from_slice(&[1, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &compress_to_vec_zlib(&raw, 9));
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let len = u32::try_from(data.len()).expect("a QR image chunk is far below 4 GiB");
    out.extend_from_slice(&len.to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crate::link::crc32::hash(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::domain::{Location, QuestionnaireKind};
    use crate::link::{link_url, LinkMode, LinkPayload};
    use crate::templates;

    const APP: &str = "https://example.org/app/";

    /// Reads every code in a greyscale image with `rqrr`, a decoder written
    /// independently of `qrcode`.
    fn read_grey(w: usize, h: usize, grey: &[u8]) -> Vec<(usize, String)> {
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| grey[y * w + x]);
        img.detect_grids()
            .into_iter()
            .map(|g| {
                let (meta, text) = g.decode().expect("rqrr decodes the code");
                (meta.version.0, text)
            })
            .collect()
    }

    /// The PNG through the `png` crate's decoder, then `rqrr`.
    fn read_png(bytes: &[u8]) -> (usize, String) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().expect("a valid PNG");
        let info = reader.info();
        assert_eq!(
            (info.bit_depth, info.color_type),
            (png::BitDepth::One, png::ColorType::Grayscale)
        );
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut buf).expect("PNG pixels");
        assert_eq!(frame.width, frame.height);
        let (w, h) = (frame.width as usize, frame.height as usize);
        assert_eq!(frame.line_size, w, "8-bit grey after expansion");
        let codes = read_grey(w, h, &buf[..w * h]);
        assert_eq!(codes.len(), 1);
        codes.into_iter().next().unwrap()
    }

    /// Rasterises the SVG this module writes (its `M x yhNv1h-Nz` runs) at
    /// 4 px per unit, then `rqrr`.
    fn read_svg(svg: &str) -> (usize, String) {
        let view = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
        let side: usize = view.split(' ').next().unwrap().parse().unwrap();
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        const S: usize = 4;
        let w = side * S;
        let mut grey = vec![255u8; w * w];
        for run in d.split('z').filter(|r| !r.is_empty()) {
            let rest = run.strip_prefix('M').unwrap();
            let (x, rest) = rest.split_once(' ').unwrap();
            let (y, rest) = rest.split_once('h').unwrap();
            let (len, rest) = rest.split_once("v1h-").unwrap();
            assert_eq!(rest, len, "{run}");
            let (x, y, len): (usize, usize, usize) =
                (x.parse().unwrap(), y.parse().unwrap(), len.parse().unwrap());
            assert!(x + len <= side && y < side);
            for py in y * S..(y + 1) * S {
                for px in x * S..(x + len) * S {
                    grey[py * w + px] = 0;
                }
            }
        }
        let codes = read_grey(w, w, &grey);
        assert_eq!(codes.len(), 1);
        codes.into_iter().next().unwrap()
    }

    fn assert_reads_back(text: &str, ecl: Ecl) -> u8 {
        let (svg, version) = qr_svg(text, ecl).unwrap();
        let (png, png_version) = qr_png(text, ecl, 3).unwrap();
        assert_eq!(version, png_version);
        assert_eq!(version_for(text, ecl), Ok(version));
        assert_eq!(read_png(&png), (usize::from(version), text.to_owned()));
        assert_eq!(read_svg(&svg), (usize::from(version), text.to_owned()));
        version
    }

    fn survey_links() -> Vec<(String, LinkMode, String)> {
        let location = Location {
            id: "loc-7f3a".into(),
            name: "Магазин на Ленина, 12".into(),
        };
        let mut out = Vec::new();
        for q in templates::built_in() {
            if q.kind != QuestionnaireKind::Survey {
                continue;
            }
            for mode in [LinkMode::Customer, LinkMode::Kiosk] {
                let payload = LinkPayload {
                    questionnaire: q.clone(),
                    location: Some(location.clone()),
                    mode,
                    inbox: None,
                };
                out.push((q.id.clone(), mode, link_url(APP, &payload)));
            }
        }
        out
    }

    #[test]
    fn every_survey_link_reads_back_from_its_code() {
        let links = survey_links();
        assert!(links.len() >= 4, "two survey templates, two modes each");
        for (id, mode, url) in links {
            let version = assert_reads_back(&url, Ecl::M);
            println!(
                "QR {id} {mode:?}: {} chars, version {version} at M",
                url.len()
            );
            assert!(
                version <= MAX_SCANNABLE_VERSION,
                "{id} {mode:?}: version {version}"
            );
            assert!(is_scannable(&url));
            assert_eq!(crate::link::decode(&url).map(|p| p.mode), Ok(mode));
        }
    }

    /// What the distribution screen puts in the code for every built-in
    /// questionnaire, with and without a location: the full link when it
    /// scans, else the short link. `rqrr` must read each back, at most
    /// version 20.
    #[test]
    fn every_distribution_code_reads_back() {
        use crate::distribution::short_link::plan;
        let location = Location {
            id: "loc-7f3a".into(),
            name: "Магазин на Ленина, 12".into(),
        };
        let mut short = 0;
        for q in templates::built_in() {
            for loc in [None, Some(&location)] {
                let d = plan(APP, &q, loc, LinkMode::Customer, None);
                let text = d.qr_text(APP);
                let version = assert_reads_back(&text, Ecl::M);
                assert!(version <= MAX_SCANNABLE_VERSION, "{} {version}", q.id);
                short += usize::from(d.short.is_some());
            }
        }
        assert!(short >= 2, "the big audits take the short link");
    }

    /// Prints the code version of every template's link (`--nocapture`);
    /// audits are handed out as links or files, not printed on posters.
    #[test]
    fn every_template_link_has_a_known_code_size() {
        for q in templates::built_in() {
            let url = link_url(APP, &LinkPayload::new(q.clone()));
            match version_for(&url, Ecl::M) {
                Ok(v) => println!("QR {:<22} {} chars: version {v} at M", q.id, url.len()),
                Err(e) => println!(
                    "QR {:<22} {} chars: {}",
                    q.id,
                    url.len(),
                    e.message(Lang::En)
                ),
            }
        }
    }

    #[test]
    fn every_error_correction_level_reads_back() {
        let text = "https://example.org/app/#/q/1.AbC-_x9";
        let mut versions = Vec::new();
        for ecl in [Ecl::L, Ecl::M, Ecl::Q, Ecl::H] {
            versions.push(assert_reads_back(text, ecl));
        }
        assert!(versions.windows(2).all(|w| w[0] <= w[1]), "{versions:?}");
        assert_eq!(Ecl::default(), Ecl::M);
    }

    #[test]
    fn non_ascii_text_is_sent_as_utf8_bytes() {
        // "Ж" is D0 96 in UTF-8; a run of them reads as Shift-JIS kanji to
        // qrcode's own optimiser.
        let kanji_trap = "ЖЖЖЖЖЖЖЖЖЖЖЖ";
        let segments: Vec<_> = qrcode::optimize::Parser::new(kanji_trap.as_bytes()).collect();
        let auto: Vec<_> =
            qrcode::optimize::Optimizer::new(segments.into_iter(), Version::Normal(1)).collect();
        assert!(auto.iter().any(|s| s.mode == qrcode::types::Mode::Kanji));
        let ours = QrMatrix::new(kanji_trap, Ecl::M).unwrap();
        let theirs = QrCode::new(kanji_trap.as_bytes()).unwrap();
        let theirs: Vec<bool> = theirs
            .to_colors()
            .iter()
            .map(|c| *c == Color::Dark)
            .collect();
        assert_ne!(ours.dark, theirs);
        for text in [
            kanji_trap,
            "Магазин «Радуга» – 2 этаж",
            "–",
            "Ёлка — ёж",
            "a\u{1F600}b",
        ] {
            assert_reads_back(text, Ecl::M);
        }
    }

    #[test]
    fn capacity_limits_are_reported() {
        // Version 20 at M holds 666 bytes.
        let fits_20 = "a".repeat(666);
        assert_eq!(version_for(&fits_20, Ecl::M), Ok(20));
        assert!(is_scannable(&fits_20));
        let over_20 = "a".repeat(667);
        assert_eq!(version_for(&over_20, Ecl::M), Ok(21));
        assert!(!is_scannable(&over_20));
        assert!(fits(&over_20, Ecl::M, 40));
        assert!(!fits(&over_20, Ecl::H, 21));
        // Version 40 at M holds 2331 bytes.
        let too_long = "a".repeat(2332);
        let e = QrError::TooLong {
            bytes: 2332,
            ecl: Ecl::M,
        };
        assert_eq!(version_for(&too_long, Ecl::M), Err(e.clone()));
        assert_eq!(qr_svg(&too_long, Ecl::M).map(|_| ()), Err(e.clone()));
        assert_eq!(qr_png(&too_long, Ecl::M, 4).map(|_| ()), Err(e.clone()));
        assert!(!fits(&too_long, Ecl::M, 40));
        // Version 36 at L holds 2369.
        assert_eq!(version_for(&too_long, Ecl::L), Ok(36));
        let long_utf8 = "ж".repeat(1200);
        assert!(matches!(
            version_for(&long_utf8, Ecl::M),
            Err(QrError::TooLong { bytes: 2400, .. })
        ));
        assert!(e.message(Lang::En).contains("short link"));
        assert!(e.message(Lang::Ru).contains("короткую ссылку"));
    }

    #[test]
    fn png_size_follows_the_scale_and_quiet_zone() {
        let side = |png: &[u8]| u32::from_be_bytes(png[16..20].try_into().unwrap());
        let (png, v) = qr_png("hello", Ecl::M, 5).unwrap();
        assert_eq!(v, 1);
        assert_eq!(side(&png), (21 + 8) * 5);
        assert_eq!(side(&qr_png("hello", Ecl::M, 0).unwrap().0), 29);
        assert_eq!(
            side(&qr_png("hello", Ecl::M, 1000).unwrap().0),
            29 * MAX_PNG_SCALE
        );
        // Odd widths exercise the padding bits at the end of each row.
        for scale in [1, 2, 7] {
            let (png, _) = qr_png("hello", Ecl::M, scale).unwrap();
            assert_eq!(read_png(&png).1, "hello");
        }
    }

    #[test]
    fn svg_data_urls_escape_markup() {
        let (svg, _) = qr_svg("hello", Ecl::M).unwrap();
        let url = svg_data_url(&svg);
        assert!(url.starts_with("data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22"));
        assert!(!url[19..].contains(['<', '>', '"', '#']), "{url}");
        // Percent-decoding gives the SVG back.
        let mut back = Vec::new();
        let bytes = url["data:image/svg+xml,".len()..].as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                back.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            } else {
                back.push(bytes[i]);
                i += 1;
            }
        }
        assert_eq!(String::from_utf8(back).unwrap(), svg);
    }

    #[test]
    fn svg_scales_to_its_box() {
        let (svg, v) = qr_svg("hello", Ecl::M).unwrap();
        assert_eq!(v, 1);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 29 29\""));
        assert!(!svg.contains(" width=\"29\" height=\"29\" viewBox"));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn the_matrix_matches_the_renderers() {
        let m = QrMatrix::new("hello", Ecl::M).unwrap();
        assert_eq!((m.version, m.width), (1, 21));
        // Finder pattern corners are dark; outside the code is light.
        assert!(m.is_dark(0, 0) && m.is_dark(20, 0) && m.is_dark(0, 20));
        assert!(!m.is_dark(21, 0) && !m.is_dark(0, 21) && !m.is_dark(7, 7));
    }
}
