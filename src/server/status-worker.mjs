// Entry of the status worker thread: TypeScript through tsx, as bin/firstreply.js runs the CLI (the build bundles it).
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import('../config/schema.ts');
const { serveStatusJobs } = await import('./status-worker.ts');
if (parentPort) serveStatusJobs(parentPort, workerData);
