// The classifier worker, except that it never finishes parsing a message containing "HANG-FOREVER" (the pool's deadline test).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runJob } = await import('../../src/classify/classify-worker.ts');
const port = parentPort;
if (port) {
  port.on('message', (job) => {
    if (job.kind === 'parse' && Buffer.from(job.raw).includes('HANG-FOREVER')) for (;;);
    void runJob(job).then((reply) => port.postMessage(reply));
  });
  port.postMessage({ ready: true });
}
