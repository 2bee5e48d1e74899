//! CRC-32 (IEEE 802.3, the one of zlib, PNG and ZIP) with one 1 KiB table
//! built at compile time. The link codec and the QR PNG writer checksum a
//! few kilobytes at most, so the table-per-byte loop is plenty; `crc32fast`
//! would add its 16 KiB of slice-by-16 tables to the customer's download
//! (`respond.html`), where barely compressible tables cost as much gzipped
//! as raw. The tests check it against `crc32fast`.

const POLY: u32 = 0xEDB8_8320;

const TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { POLY ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// The CRC-32 of `data`.
pub fn hash(data: &[u8]) -> u32 {
    !data
        .iter()
        .fold(!0u32, |c, &b| TABLE[usize::from((c as u8) ^ b)] ^ (c >> 8))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_values() {
        assert_eq!(hash(b""), 0);
        // The check value of CRC-32/ISO-HDLC.
        assert_eq!(hash(b"123456789"), 0xCBF4_3926);
        assert_eq!(hash(b"IEND"), 0xAE42_6082);
    }

    proptest! {
        #[test]
        fn equals_crc32fast(data in proptest::collection::vec(any::<u8>(), 0..4096)) {
            prop_assert_eq!(hash(&data), crc32fast::hash(&data));
        }
    }
}
