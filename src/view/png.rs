//! Pictures as PNG data URLs, for the worker's figures of big matrices: one pixel an entry
//! and an 8-bit palette, so a 64 × 64 factor is about 4 KB of text where an SVG rectangle
//! per entry was 200 KB and 4 096 elements to build. The image data is stored, not
//! compressed (zlib's stored blocks): a palette picture of at most a few hundred pixels a
//! side is small as it is, and an encoder would be a dependency of the worker for that
//! alone.

use base64::Engine as _;

/// CRC-32 (ISO-HDLC, as PNG's chunks use).
fn crc32(bytes: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in bytes {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
    }
    !c
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in bytes {
        a = (a + x as u32) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A `width` × `height` PNG of palette indices (row-major), as a `data:` URL.
pub fn palette_png(width: usize, height: usize, palette: &[[u8; 3]], pixels: &[u8]) -> String {
    debug_assert_eq!(pixels.len(), width * height);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&(width as u32).to_be_bytes());
    header.extend_from_slice(&(height as u32).to_be_bytes());
    // 8 bits a pixel, colour type 3 (palette), deflate, filter 0, no interlace.
    header.extend_from_slice(&[8, 3, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"PLTE", &palette.concat());
    // Each row after its filter byte (0: none).
    let mut raw = Vec::with_capacity(height * (width + 1));
    for row in pixels.chunks(width.max(1)) {
        raw.push(0);
        raw.extend_from_slice(row);
    }
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (k, block) in blocks.iter().enumerate() {
        z.push((k + 1 == blocks.len()) as u8);
        let len = block.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    if blocks.is_empty() {
        z.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    z.extend_from_slice(&adler32(&raw).to_be_bytes());
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(out))
}

#[cfg(test)]
mod tests {
    #[test]
    fn checksums_match_their_definitions() {
        // The standard check values of CRC-32 and Adler-32.
        assert_eq!(super::crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(super::adler32(b"Wikipedia"), 0x11E6_0398);
    }
}
