// The wasm binary format's unsigned LEB128 integers (section sizes, counts, indices), for
// the scripts that rewrite the release build's wasm (drop-exports.mjs, short-names.mjs).

/// The u32 at `pos` in `buf`, and the position after it.
export function readU32(buf, pos) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = buf[pos++];
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return [value >>> 0, pos];
}

/// `n` encoded.
export function u32(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Buffer.from(out);
}
