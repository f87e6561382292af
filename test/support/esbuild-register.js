// A require hook for the child processes tests start (bot/main.ts, workers): esbuild turns each
// TypeScript file into CommonJS as it is loaded. Same semantics as ts-node's transpile-only mode
// (the project compiles with isolatedModules), at about a third of its start-up CPU: ts-node loads
// the TypeScript compiler into every child, ~6 s of CPU each on a busy 2-core machine.
/* eslint-disable @typescript-eslint/no-require-imports -- Node loads -r hooks as CommonJS */
const fs = require('node:fs');
const { transformSync } = require('esbuild');
/* eslint-enable @typescript-eslint/no-require-imports */

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: filename,
    // import() becomes require(), as tsc emits it for CommonJS (bot/main.ts loads Azurite that way).
    supported: { 'dynamic-import': false },
  });
  module._compile(code, filename);
};
