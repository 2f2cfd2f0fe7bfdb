// Removes wasm-bindgen's JS glue for the exports drop-exports.mjs removed from the wasm
// (wasm-streams' IntoUnderlying* classes: nothing imports them, and their methods call
// the removed exports), so terser does not keep them for their side-effecting lines.
// Fails if it finds none: the glue changed shape, and the page would quietly grow.
// Usage: node scripts/drop-js-glue.mjs <playground.js>
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
const lines = readFileSync(file, "utf8").split("\n");
const out = [];
let dropped = 0;
for (let k = 0; k < lines.length; k++) {
  const line = lines[k];
  if (/^export class IntoUnderlying\w* \{$/.test(line)) {
    // The class runs to its closing brace at column 0.
    while (k < lines.length && lines[k] !== "}") k++;
    dropped++;
  } else if (/^if \(Symbol\.dispose\) IntoUnderlying\w*\.prototype/.test(line)) {
    dropped++;
  } else if (/^const IntoUnderlying\w*Finalization = /.test(line)) {
    // Three lines: the test, the stub, the registry.
    k += 2;
    dropped++;
  } else {
    out.push(line);
  }
}
if (dropped !== 9) {
  console.error(`drop-js-glue: expected 3 classes, 3 dispose lines and 3 registries, removed ${dropped}; update scripts/drop-js-glue.mjs`);
  process.exit(1);
}
if (/IntoUnderlying/.test(out.join("\n"))) {
  console.error("drop-js-glue: IntoUnderlying is still referenced; update scripts/drop-js-glue.mjs");
  process.exit(1);
}
writeFileSync(file, out.join("\n"));
console.error(`drop-js-glue: removed ${dropped} pieces of dead stream glue`);
