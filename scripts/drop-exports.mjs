// Removes exports from a wasm module's export section, so wasm-opt can then delete the
// code only they reached. Used on the release build for wasm-streams' three JS classes
// (IntoUnderlyingSource/Sink/ByteSource): leptos pulls them in through server_fn, the page
// never constructs them, and wasm-bindgen must keep every export.
// With a second pattern, the function table's entries for functions whose names match it
// (from the name section) are pointed at one of the table's other functions: the futures
// those classes' methods spawned are only reachable through the table, which wasm-bindgen
// exports, so wasm-opt would keep them even with the classes gone. Nothing can call them
// (only the dropped exports created those futures).
// Usage: node scripts/drop-exports.mjs <in.wasm> <out.wasm> <export regex> [<table function regex>]
import { readFileSync, writeFileSync } from "node:fs";
import { readU32, u32 } from "./leb128.mjs";

const [, , input, output, pattern, tablePattern] = process.argv;
const wasm = readFileSync(input);
const drop = new RegExp(pattern);

/// Function index → name, from the "name" custom section's function names.
function functionNames() {
  const names = new Map();
  for (let pos = 8; pos < wasm.length; ) {
    const id = wasm[pos];
    const [size, start] = readU32(wasm, pos + 1);
    const end = start + size;
    if (id === 0) {
      const [len, nameAt] = readU32(wasm, start);
      if (wasm.subarray(nameAt, nameAt + len).toString() === "name") {
        for (let at = nameAt + len; at < end; ) {
          const sub = wasm[at];
          const [subSize, subStart] = readU32(wasm, at + 1);
          if (sub === 1) {
            let [count, p] = readU32(wasm, subStart);
            for (let i = 0; i < count; i++) {
              let index, n;
              [index, p] = readU32(wasm, p);
              [n, p] = readU32(wasm, p);
              names.set(index, wasm.subarray(p, p + n).toString());
              p += n;
            }
          }
          at = subStart + subSize;
        }
      }
    }
    pos = end;
  }
  return names;
}

/// The element section with the matching functions' entries replaced by a kept entry.
/// Only the form rustc emits is rewritten (active segments of function indices, flags 0);
/// any other form is left as it is.
function rewriteElements(body, names, match) {
  let [count, at] = readU32(body, 0);
  const out = [u32(count)];
  let replaced = 0;
  for (let s = 0; s < count; s++) {
    const segStart = at;
    const [flags, afterFlags] = readU32(body, at);
    if (flags !== 0) {
      // Not a form this script knows how to walk: keep the rest of the section whole.
      out.push(body.subarray(segStart));
      return [Buffer.concat(out), replaced];
    }
    let p = afterFlags;
    while (body[p] !== 0x0b) p++; // the offset expression, up to its `end`
    p++;
    const head = body.subarray(segStart, p);
    let n;
    [n, p] = readU32(body, p);
    const indices = [];
    for (let i = 0; i < n; i++) {
      let f;
      [f, p] = readU32(body, p);
      indices.push(f);
    }
    const keep = indices.find((f) => !match.test(names.get(f) ?? ""));
    const rewritten = indices.map((f) => {
      if (keep !== undefined && match.test(names.get(f) ?? "")) {
        replaced++;
        return keep;
      }
      return f;
    });
    out.push(head, u32(n), ...rewritten.map(u32));
    at = p;
  }
  return [Buffer.concat(out), replaced];
}

const EXPORT_SECTION = 7;
const ELEMENT_SECTION = 9;
const names = tablePattern ? functionNames() : new Map();
const parts = [wasm.subarray(0, 8)]; // magic and version
let dropped = 0;
let unlinked = 0;
for (let pos = 8; pos < wasm.length; ) {
  const id = wasm[pos];
  const [size, start] = readU32(wasm, pos + 1);
  const end = start + size;
  if (id === ELEMENT_SECTION && tablePattern) {
    const [section, replaced] = rewriteElements(wasm.subarray(start, end), names, new RegExp(tablePattern));
    unlinked += replaced;
    parts.push(Buffer.from([ELEMENT_SECTION]), u32(section.length), section);
  } else if (id !== EXPORT_SECTION) {
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
if (tablePattern) {
  console.error(`drop-exports: unlinked ${unlinked} table entries matching /${tablePattern}/`);
  if (unlinked === 0) {
    console.error("drop-exports: no table entry matched (or the module has no names): update the pattern in scripts/setup.sh");
    process.exit(1);
  }
}
if (dropped === 0) {
  console.error("drop-exports: nothing matched: the exports were renamed, so the page would keep dead code; update the pattern in scripts/setup.sh");
  process.exit(1);
}
