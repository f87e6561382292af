// Jest transform for the few ES-module-only packages Puls uses (jose): jest 29's module system
// cannot require() an ES module, so esbuild turns those files into CommonJS for the tests. Plain
// Node (npm start) loads them as they are.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads transformers as CommonJS
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      format: 'cjs',
      loader: 'js',
      target: 'node20',
      sourcefile: filename,
      sourcemap: 'external',
    });
    return { code, map };
  },
};
