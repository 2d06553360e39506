// Pagefind's own Node API (npm `pagefind`, pinned in package.json) over custom records:
// one JSON record a line on stdin ({url, content, language, meta, filters, sort}), the bundle
// written to the folder given.  Usage: node records.mjs <pagefind/lib/index.js> <output folder>
import { pathToFileURL } from "node:url";
import readline from "node:readline";

const [api, out] = process.argv.slice(2);
const pagefind = await import(pathToFileURL(api).href);
const { index, errors } = await pagefind.createIndex({ forceLanguage: "vi" });
if (!index) {
  console.error(errors.join("\n"));
  process.exit(1);
}
let count = 0;
const failed = [];
async function settle(pending) {
  for (const { errors } of await Promise.all(pending)) failed.push(...errors);
}
let pending = [];
for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line.trim()) continue;
  pending.push(index.addCustomRecord(JSON.parse(line)));
  count += 1;
  if (pending.length >= 1000) await settle(pending.splice(0));
}
await settle(pending);
const written = await index.writeFiles({ outputPath: out });
await pagefind.close();
if (failed.length || written.errors.length) {
  console.error([...failed, ...written.errors].slice(0, 20).join("\n"));
  process.exit(1);
}
console.log(`Indexed ${count} records`);
