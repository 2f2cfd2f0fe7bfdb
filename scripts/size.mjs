// Prints the gzipped size of what a visitor downloads (wasm + JS + CSS) and fails above
// the budget.
import { readdirSync, readFileSync } from "node:fs";
import { join, extname } from "node:path";
import { gzipSync } from "node:zlib";

// 250 KB while the language was scalar-only; vectors, matrices and the network views took
// the page to 300 KB (the networks issue's ceiling), and max, min and norm as nodes and
// gathers for a matrix's columns past it by 1.2 KB, and matrix products as nodes (two
// variable factors, or a batch through known weights) by 3.5 KB more, and PyTorch's and
// NumPy's joiners, unsqueeze, keepdim= and stepped slices by 2.5 KB more (README's size
// history): 308 KB, each step saying what it added.
const BUDGET = 308 * 1024;
const dir = process.argv[2] ?? "dist";
let raw = 0;
let gz = 0;
// The export worker's files load the first time the Export view is open, not with the
// page: printed, and counted apart.
const later = (name) => /export[_-]worker/.test(name);
let laterGz = 0;
// Every file, subfolders too (wasm-bindgen's JS snippets live in dist/snippets/).
for (const name of readdirSync(dir, { recursive: true }).sort()) {
  const path = join(dir, name);
  if (![".wasm", ".js", ".css"].includes(extname(name))) continue;
  const bytes = readFileSync(path);
  const z = gzipSync(bytes, { level: 9 }).length;
  if (later(name)) {
    laterGz += z;
    console.log(`${name.split('/').pop().padEnd(32)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KB  ${(z / 1024).toFixed(1).padStart(7)} KB gzipped (with the Export view)`);
    continue;
  }
  raw += bytes.length;
  gz += z;
  console.log(`${name.split('/').pop().padEnd(32)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KB  ${(z / 1024).toFixed(1).padStart(7)} KB gzipped`);
}
console.log(`total: ${(raw / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB); the Export view loads ${(laterGz / 1024).toFixed(1)} KB more`);
// The page itself is outside the budget's three kinds; printed so its growth is seen (it
// carries the prerendered first screen, scripts/prerender.mjs).
const html = readFileSync(join(dir, "index.html"));
console.log(`index.html (outside the budget): ${(html.length / 1024).toFixed(1)} KB, ${(gzipSync(html, { level: 9 }).length / 1024).toFixed(1)} KB gzipped`);
if (gz > BUDGET) {
  console.error("over the size budget");
  process.exit(1);
}
