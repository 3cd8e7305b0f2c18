#!/usr/bin/env node
// The CLI runs from TypeScript sources through tsx, so `npm run cli` and the installed bin are one code path.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src-main/node/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
