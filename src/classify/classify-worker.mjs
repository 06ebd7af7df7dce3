// Entry of the classifier's worker thread: TypeScript through tsx, as bin/firstreply.js runs the CLI.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { serveJobs } = await import('./classify-worker.ts');
if (parentPort) serveJobs(parentPort);
