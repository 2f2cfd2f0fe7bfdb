// Gives a wasm module's imports and exports one- or two-letter names, in the wasm and in
// its JS glue alike. wasm-bindgen names each import after its JS function plus a 16-digit
// hash (`__wbg_fillRect_e1f0b9915220348b`) and each closure's export after its Rust
// signature (up to 300 characters): names neither gzip can shrink nor anybody reads, once
// in the wasm and once more in the glue.
// Only names the glue and the wasm share are renamed: every import of the glue's module
// (each must appear in the glue exactly once, as its key in the imports object), and the
// wasm-bindgen's own exports (the glue reads them as `<exports>.name`).
// Fails when the glue no longer has that shape, rather than ship a page that cannot link.
// Usage: node scripts/short-names.mjs <name_bg.wasm> <name.js>
import { readFileSync, writeFileSync } from "node:fs";
import { readU32, u32 } from "./leb128.mjs";
import { basename } from "node:path";

const [, , wasmPath, jsPath] = process.argv;
const wasm = readFileSync(wasmPath);
let js = readFileSync(jsPath, "utf8");
// The module wasm-bindgen names the glue by: `./playground_bg.js` for `playground_bg.wasm`.
const MODULE = `./${basename(wasmPath, ".wasm")}.js`;
// wasm-bindgen's own exports (its allocator, closures' entry points, its markers); the
// Rust functions the glue hands on to JS under their own names (`start`, the worker's
// `export_text`) and `memory` keep theirs.
const INTERNAL = /^(__|_WASM_|wasm_bindgen_)/;

const name = (s) => Buffer.concat([u32(Buffer.byteLength(s)), Buffer.from(s)]);

/// The n-th short name: a…z, A…Z, then two letters.
function short(n) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let s = "";
  do {
    s = letters[n % letters.length] + s;
    n = Math.floor(n / letters.length) - 1;
  } while (n >= 0);
  return s;
}

/// An import's description after its names: a function's type index, or a table's,
/// memory's or global's limits and types.
function skipDesc(body, at, kind) {
  if (kind === 0) return readU32(body, at)[1];
  if (kind === 1) at += 1; // the table's element type, then limits
  if (kind === 1 || kind === 2) {
    const flags = body[at];
    at = readU32(body, at + 1)[1];
    if (flags & 1) at = readU32(body, at)[1];
    return at;
  }
  if (kind === 3) return at + 2; // value type, mutability
  throw new Error(`import kind ${kind} not known`);
}

const renamed = new Map();
const sections = [wasm.subarray(0, 8)];
let moduleCount = 0;
let exportCount = 0;
for (let pos = 8; pos < wasm.length; ) {
  const id = wasm[pos];
  const [size, start] = readU32(wasm, pos + 1);
  const body = wasm.subarray(start, start + size);
  const out = [];
  if (id === 2 || id === 7) {
    let [count, at] = readU32(body, 0);
    out.push(u32(count));
    for (let i = 0; i < count; i++) {
      let module = null;
      if (id === 2) {
        const [len, p] = readU32(body, at);
        module = body.subarray(p, p + len).toString();
        at = p + len;
      }
      const [len, p] = readU32(body, at);
      const old = body.subarray(p, p + len).toString();
      at = p + len;
      const descStart = at;
      const kind = body[at];
      at = id === 2 ? skipDesc(body, at + 1, kind) : readU32(body, at + 1)[1];
      let fresh = old;
      if (id === 2 && module === MODULE) {
        fresh = short(renamed.size);
        moduleCount++;
      } else if (id === 7 && INTERNAL.test(old)) {
        fresh = `_${short(exportCount++)}`;
      }
      if (fresh !== old) renamed.set(old, fresh);
      if (module !== null) out.push(name(module === MODULE ? "a" : module));
      out.push(name(fresh), body.subarray(descStart, at));
    }
    if (at !== body.length) throw new Error(`section ${id}: ${body.length - at} bytes left over`);
    const rebuilt = Buffer.concat(out);
    sections.push(Buffer.from([id]), u32(rebuilt.length), rebuilt);
  } else {
    sections.push(wasm.subarray(pos, start + size));
  }
  pos = start + size;
}
if (moduleCount === 0) throw new Error(`no imports from ${MODULE}: the glue's shape changed`);

// The glue: each old name as a whole identifier (one may be another's prefix).
const seen = new Map();
js = js.replace(/[A-Za-z_$][\w$]*/g, (word) => {
  const fresh = renamed.get(word);
  if (fresh === undefined) return word;
  seen.set(word, (seen.get(word) ?? 0) + 1);
  return fresh;
});
for (const [old, fresh] of renamed) {
  const isImport = !fresh.startsWith("_");
  if (isImport && seen.get(old) !== 1) {
    throw new Error(`the import ${old} is in the glue ${seen.get(old) ?? 0} times, not once`);
  }
}
const key = JSON.stringify(MODULE);
if (js.split(key).length !== 2) throw new Error(`the glue names ${key} other than once`);
js = js.replace(key, '"a"');

writeFileSync(wasmPath, Buffer.concat(sections));
writeFileSync(jsPath, js);
console.log(`short-names: ${moduleCount} imports and ${exportCount} exports renamed`);
