// The static checks of `npm test`, side by side: ESLint, Prettier and the two TypeScript projects are
// independent and each mostly uses one core, so running them together takes about as long as the
// slowest instead of the sum. Each one's output is printed whole when it ends; the exit code is the
// first failure's (or 0).
import { spawn } from 'node:child_process';
import path from 'node:path';
import process from 'node:process';

const root = path.join(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const CHECKS = [
  ['eslint', bin('eslint'), ['.']],
  ['prettier', bin('prettier'), ['--check', '--cache', '.']],
  ['tsc', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
  ['tsc web', bin('tsc'), ['-p', 'web/tsconfig.json', '--noEmit']],
];

function run([name, command, args]) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (err) => {
      out += String(err);
    });
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const status = code === 0 ? 'ok' : `failed (exit ${code})`;
      process.stdout.write(`${name}: ${status} in ${seconds} s\n${code === 0 ? '' : out}`);
      resolve(code ?? 1);
    });
  });
}

Promise.all(CHECKS.map(run)).then((codes) => {
  process.exitCode = codes.find((c) => c !== 0) ?? 0;
});
