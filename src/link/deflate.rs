//! The link body's compression: raw deflate continuing the frozen preset
//! [`DICTIONARY`], and an inflate that stops at [`MAX_INFLATED_BYTES`] (the
//! zip-bomb guard).

use miniz_oxide::deflate::core::{
    compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};
use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

use super::error::LinkError;

/// The cap on the inflated JSON. The largest built-in template is about
/// 15 KB as compact JSON, so this leaves room for very large checklists
/// while a crafted link cannot make a phone allocate more than this.
pub const MAX_INFLATED_BYTES: usize = 1 << 20;

/// miniz's best ratio; links are made once and read on slow phones, and
/// inflating costs the same at any level.
const DEFLATE_LEVEL: i32 = 10;

/// The preset dictionary of link format 1 (see [`super`]), as the
/// encoder wrote those templates when the format was made.
///
/// Frozen: posters printed with a version 1 link must open for years, and
/// the same bytes are needed to inflate them. Templates may change; this
/// file may not. A better dictionary means a new [`super::LINK_VERSION`] that
/// keeps this one for version 1 links.
pub const DICTIONARY: &[u8] = include_bytes!("dictionary_v1.txt");

/// Raw deflate of `data` as the continuation of a stream that began with
/// [`DICTIONARY`], so matches may reach back into it.
pub(super) fn deflate(data: &[u8]) -> Vec<u8> {
    let flags = create_comp_flags_from_zip_params(DEFLATE_LEVEL, 0, 0);
    let mut compressor = CompressorOxide::new(flags);
    // A sync flush ends the dictionary's output on a byte boundary, so what
    // follows is a stream of its own for a decoder whose window already
    // holds the dictionary.
    run_compressor(&mut compressor, DICTIONARY, TDEFLFlush::Sync);
    run_compressor(&mut compressor, data, TDEFLFlush::Finish)
}

fn run_compressor(
    compressor: &mut CompressorOxide,
    mut input: &[u8],
    flush: TDEFLFlush,
) -> Vec<u8> {
    let mut out = vec![0; input.len() / 2 + 64];
    let mut pos = 0;
    loop {
        let (status, used, written) = compress(compressor, input, &mut out[pos..], flush);
        pos += written;
        input = input.get(used..).unwrap_or_default();
        let room_left = pos < out.len();
        match status {
            TDEFLStatus::Done => break,
            // Everything flushed when output space remains.
            TDEFLStatus::Okay if input.is_empty() && room_left && flush != TDEFLFlush::Finish => {
                break
            }
            TDEFLStatus::Okay => {
                if !room_left || out.len() - pos < 64 {
                    out.resize(out.len() * 2, 0);
                }
            }
            // Only a misuse of the compressor (input after `Finish`) gets
            // here; the calls above never do that.
            TDEFLStatus::BadParam | TDEFLStatus::PutBufFailed => {
                unreachable!("miniz refused a fresh compressor: {status:?}")
            }
        }
    }
    out.truncate(pos);
    out
}

/// Inflates `body` after [`DICTIONARY`], stopping at
/// [`MAX_INFLATED_BYTES`]: the buffer grows as output arrives and never
/// past the cap, so a small crafted link cannot claim a large allocation.
pub(super) fn inflate(body: &[u8]) -> Result<Vec<u8>, LinkError> {
    let start = DICTIONARY.len();
    // One byte of room past the cap tells "exactly the cap" from "more".
    let cap = start + MAX_INFLATED_BYTES + 1;
    let mut out = Vec::from(DICTIONARY);
    out.resize((start + body.len().saturating_mul(4) + 1024).min(cap), 0);
    let mut pos = start;
    let mut input = body;
    let mut decompressor = Box::<DecompressorOxide>::default();
    loop {
        let (status, used, written) = decompress(
            &mut decompressor,
            input,
            &mut out,
            pos,
            inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF,
        );
        pos += written;
        input = input.get(used..).unwrap_or_default();
        match status {
            TINFLStatus::Done if pos - start <= MAX_INFLATED_BYTES => {
                out.truncate(pos);
                return Ok(out.split_off(start));
            }
            TINFLStatus::Done => break,
            TINFLStatus::HasMoreOutput if out.len() < cap => {
                let grown = out.len().saturating_mul(2).min(cap);
                out.resize(grown, 0);
            }
            TINFLStatus::HasMoreOutput => break,
            _ => return Err(LinkError::NotDecompressible),
        }
    }
    Err(LinkError::TooLarge {
        limit: MAX_INFLATED_BYTES,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::domain::Text;
    use crate::i18n::Lang;
    use crate::link::tests::{framed, survey};
    use crate::link::wire::drop_defaults;
    use crate::link::{decode, encode, LinkPayload};

    /// Version 1 links on printed posters inflate only with these exact
    /// bytes; see [`DICTIONARY`] before touching the file.
    #[test]
    fn the_version_1_dictionary_is_frozen() {
        assert_eq!(DICTIONARY.len(), 15651);
        assert_eq!(crate::link::crc32::hash(DICTIONARY), 0x334e_b974);
        assert!(DICTIONARY.len() < 32 * 1024, "deflate reaches back 32 KiB");
    }

    #[test]
    fn the_dictionary_shortens_links_and_plain_deflate_still_reads() {
        let q = survey();
        let json = {
            let mut v = serde_json::to_value(&q).unwrap();
            drop_defaults(&mut v);
            json!({ "q": v }).to_string()
        };
        let plain = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 10);
        let primed = deflate(json.as_bytes());
        assert!(
            primed.len() * 10 < plain.len(),
            "{} vs {}",
            primed.len(),
            plain.len()
        );
        // A stream that does not use the dictionary is read just the same.
        assert_eq!(inflate(&plain).unwrap(), json.as_bytes());
        assert_eq!(decode(&framed(&plain)).unwrap().questionnaire, q);
        // A copy with its own id and a changed question still gains.
        let mut mine = q.copy_as("q-8c1e2d4f-0b7a-4c3e-9f1a-2b3c4d5e6f70");
        mine.sections[0].questions[0].text =
            Text::new("Вас быстро обслужили?", "Were you served quickly?");
        let link = encode(&LinkPayload::new(mine.clone()));
        assert!(link.len() < 250, "{}", link.len());
        assert_eq!(decode(&link).unwrap().questionnaire, mine);
    }

    #[test]
    fn a_reference_before_the_dictionary_is_not_decompressible() {
        // A fixed-Huffman block whose first symbol is a match 32768 bytes
        // back, further than the dictionary reaches. Deflate packs bits from
        // the least significant end; Huffman codes go most significant bit
        // first, extra bits least significant first.
        let mut writer = BitWriter::default();
        writer.put(1, 1); // last block
        writer.put(1, 2); // fixed Huffman codes
        writer.huffman(0b000_0001, 7); // length code 257: 3 bytes
        writer.huffman(29, 5); // distance code 29: 24577 + extra
        writer.put(8191, 13); // 24577 + 8191 = 32768
        writer.huffman(0, 7); // end of block
        assert_eq!(
            decode(&framed(&writer.bytes())),
            Err(LinkError::NotDecompressible)
        );
    }

    #[derive(Default)]
    struct BitWriter {
        bits: u64,
        len: u32,
    }

    impl BitWriter {
        fn put(&mut self, value: u64, count: u32) {
            self.bits |= value << self.len;
            self.len += count;
        }

        fn huffman(&mut self, code: u64, count: u32) {
            let reversed =
                (0..count).fold(0, |acc, i| acc | (((code >> i) & 1) << (count - 1 - i)));
            self.put(reversed, count);
        }

        fn bytes(&self) -> Vec<u8> {
            (0..self.len.div_ceil(8))
                .map(|i| (self.bits >> (8 * i)) as u8)
                .collect()
        }
    }

    #[test]
    fn a_broken_deflate_stream_with_a_good_checksum_is_not_decompressible() {
        assert_eq!(
            decode(&framed(&[0xff, 0xff, 0xff, 0xff])),
            Err(LinkError::NotDecompressible)
        );
        assert_eq!(decode(&framed(&[])), Err(LinkError::NotDecompressible));
        let good = miniz_oxide::deflate::compress_to_vec(b"{\"q\":1}", 6);
        assert_eq!(
            decode(&framed(&good[..good.len() - 2])),
            Err(LinkError::NotDecompressible)
        );
    }

    #[test]
    fn a_zip_bomb_is_refused_at_the_cap() {
        // 4 MiB of spaces deflate to a few KB.
        let bomb = vec![b' '; 4 << 20];
        let body = miniz_oxide::deflate::compress_to_vec(&bomb, 1);
        assert!(body.len() < 32 * 1024, "{}", body.len());
        let link = framed(&body);
        assert_eq!(
            decode(&link),
            Err(LinkError::TooLarge {
                limit: MAX_INFLATED_BYTES
            })
        );
        // One byte over the cap is over; exactly at the cap is read (and
        // is then just not a questionnaire).
        let over = miniz_oxide::deflate::compress_to_vec(&vec![b' '; MAX_INFLATED_BYTES + 1], 1);
        assert!(matches!(
            decode(&framed(&over)),
            Err(LinkError::TooLarge { .. })
        ));
        let at = miniz_oxide::deflate::compress_to_vec(&vec![b' '; MAX_INFLATED_BYTES], 1);
        assert!(matches!(
            decode(&framed(&at)),
            Err(LinkError::Malformed { .. })
        ));
        assert!(LinkError::TooLarge { limit: 1 << 20 }
            .message(Lang::En)
            .contains("1024 KiB"));
    }
}
