// Writes dist/precache.json: every file of the build, relative to dist, for the service
// worker (public/sw.js) to cache on install. Run after each Trunk build.
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? "dist";
const files = readdirSync(dir, { recursive: true })
  .map(String)
  .filter((f) => statSync(join(dir, f)).isFile() && !["sw.js", "precache.json"].includes(f))
  .sort();
writeFileSync(join(dir, "precache.json"), JSON.stringify(files));
console.log(`precache.json: ${files.length} files`);
