#!/usr/bin/env node
// Entry point for `npx quell …`: runs the TypeScript CLI through tsx (Quell ships as source).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
