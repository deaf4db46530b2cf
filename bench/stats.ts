/** Timing helpers shared by the benchmarks: run, warm up, report medians (the machine is noisy). */
export interface Sample {
  median: number;
  p90: number;
  min: number;
  runs: number;
}

export async function measure(
  runs: number,
  warmup: number,
  fn: () => unknown | Promise<unknown>,
): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { median: at(0.5), p90: at(0.9), min: times[0]!, runs };
}

export function fmt(ms: number): string {
  return `${ms.toFixed(2)} ms`;
}

export function perSecond(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
}

export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}
