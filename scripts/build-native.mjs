#!/usr/bin/env node
/**
 * Builds the fused recurrent kernels (native/, a Node-API addon) with node-gyp.
 *
 * As the package's `install` script it must never fail `npm install` / `npm ci`: without a
 * compiler the studio still trains on tfjs' own kernels, so a failed build prints one warning
 * line and exits 0. `--strict` (npm run build:native) shows node-gyp's output and fails instead.
 *
 * No downloads: node-gyp is told where the installed Node's headers are (npm_config_nodedir from
 * npm's config when run by npm, else <prefix>/include/node next to this node binary).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const strict = process.argv.includes('--strict');
const addon = join(nativeDir, 'build', 'Release', 'fused_rnn.node');

function nodeGypScript() {
  // npm points lifecycle scripts at its bundled node-gyp; outside npm, use the project's copy.
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  try {
    return createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return null;
  }
}

function localHeaders() {
  if (process.env.npm_config_nodedir) return null; // node-gyp reads it from the environment
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

function giveUp(reason) {
  if (strict) {
    console.error(`build-native: ${reason}`);
    process.exit(1);
  }
  console.warn(`sentiment-studio: fused LSTM/GRU kernels not built (${reason}); training uses tfjs' kernels. Retry with \`npm run build:native\`.`);
  process.exit(0);
}

const script = nodeGypScript();
if (!script) giveUp('node-gyp not found');
const args = [script, 'rebuild', '--release'];
const headers = localHeaders();
if (headers) args.push(`--nodedir=${headers}`);
const result = spawnSync(process.execPath, args, { cwd: nativeDir, stdio: strict ? 'inherit' : 'pipe', encoding: 'utf8' });
if (result.error) giveUp(result.error.message);
if (result.status !== 0) {
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  const firstError = output.split('\n').find((line) => /error|not found|No such file/i.test(line) && !/^gyp info/.test(line));
  giveUp(firstError ? firstError.trim().slice(0, 200) : `node-gyp exited with ${result.status}`);
}
if (!existsSync(addon)) giveUp(`node-gyp finished but ${addon} is missing`);
// A build that cannot load (wrong architecture, missing symbol) is as good as none.
try {
  createRequire(import.meta.url)(addon).capabilities();
} catch (error) {
  giveUp(`the built addon does not load: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
}
if (strict) console.log(`build-native: ${addon}`);
