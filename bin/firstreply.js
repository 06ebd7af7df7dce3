#!/usr/bin/env node
// Entry point of the installed command: registers tsx and runs the TypeScript CLI in this process.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
