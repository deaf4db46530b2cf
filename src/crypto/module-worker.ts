import { Worker } from 'node:worker_threads';

/**
 * Starts the worker module `<name>.js` or `<name>.ts` that sits beside the caller (`callerUrl` is the
 * caller's import.meta.url), with the caller's own extension: .js from dist/, .ts when the sources
 * run under tsx (tests, bench). Node 20 does not apply the parent's `--import tsx` inside a worker
 * (measured: a .ts entry or import() fails with ERR_UNKNOWN_FILE_EXTENSION), so the .ts case boots
 * through a one-line script that registers tsx's loader in the worker first. Used by the signature
 * pool and the miner's nonce search.
 */
export function spawnModuleWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), { workerData });
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData });
}
