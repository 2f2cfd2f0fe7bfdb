// Removes exports from a wasm module's export section, so wasm-opt can then delete the
// code only they reached. Used on the release build for wasm-streams' three JS classes
// (IntoUnderlyingSource/Sink/ByteSource): leptos pulls them in through server_fn, the page
// never constructs them, and wasm-bindgen must keep every export.
// Usage: node scripts/drop-exports.mjs <in.wasm> <out.wasm> <name regex>
import { readFileSync, writeFileSync } from "node:fs";

const [, , input, output, pattern] = process.argv;
const wasm = readFileSync(input);
const drop = new RegExp(pattern);

function readU32(buf, pos) {
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

function u32(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Buffer.from(out);
}

const EXPORT_SECTION = 7;
const parts = [wasm.subarray(0, 8)]; // magic and version
let dropped = 0;
for (let pos = 8; pos < wasm.length; ) {
  const id = wasm[pos];
  const [size, start] = readU32(wasm, pos + 1);
  const end = start + size;
  if (id !== EXPORT_SECTION) {
    parts.push(wasm.subarray(pos, end));
  } else {
    const body = wasm.subarray(start, end);
    let [count, at] = readU32(body, 0);
    const kept = [];
    for (let i = 0; i < count; i++) {
      const entry = at;
      const [len, nameAt] = readU32(body, at);
      const name = body.subarray(nameAt, nameAt + len).toString();
      [, at] = readU32(body, nameAt + len + 1); // kind byte, then index
      if (drop.test(name)) dropped++;
      else kept.push(body.subarray(entry, at));
    }
    const section = Buffer.concat([u32(kept.length), ...kept]);
    parts.push(Buffer.from([EXPORT_SECTION]), u32(section.length), section);
  }
  pos = end;
}
writeFileSync(output, Buffer.concat(parts));
console.error(`drop-exports: removed ${dropped} exports matching /${pattern}/`);
if (dropped === 0) {
  console.error("drop-exports: nothing matched: the exports were renamed, so the page would keep dead code; update the pattern in scripts/setup.sh");
  process.exit(1);
}
