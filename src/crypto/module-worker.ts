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

/**
 * Resolves when the worker posts `{ type: 'ready' }`; rejects with `fail(message)` if it errors,
 * exits or stays silent for `timeoutMs`. `label` names the worker in those messages.
 */
export function waitWorkerReady(
  worker: Worker,
  label: string,
  timeoutMs: number,
  fail: (message: string) => Error = (message) => new Error(message),
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => done(fail(`${label} did not start in ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (msg: { readonly type?: unknown }): void => {
      if (msg?.type === 'ready') done();
    };
    const onError = (err: Error): void => done(fail(`${label} failed to start: ${err.message}`));
    const onExit = (code: number): void => done(fail(`${label} exited during start-up (code ${code})`));
    function done(err?: Error): void {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (err === undefined) resolve();
      else reject(err);
    }
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}
