import type { SyncProgressReport } from '../net/sync-progress.js';

const WIDTH = 30;

/**
 * One line of initial-sync progress: `[#########.....] 61.2%  12,204/19,944  540 blk/s  4,210 tx/s`.
 * On a terminal the line is redrawn in place; otherwise (logs, CI) each report is its own line.
 */
export function renderSyncProgress(report: SyncProgressReport): string {
  const fraction = Math.max(0, Math.min(1, report.progress));
  const filled = Math.round(fraction * WIDTH);
  const bar = `${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}`;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const state = report.done ? '  synced' : '';
  return `[${bar}] ${(fraction * 100).toFixed(1)}%  ${n(report.height)}/${n(report.headers)}  ${n(report.blocksPerSecond)} blk/s  ${n(report.txPerSecond)} tx/s${state}`;
}

export function writeSyncProgress(stream: NodeJS.WriteStream, report: SyncProgressReport): void {
  const line = renderSyncProgress(report);
  if (stream.isTTY) stream.write(`\r${line}${report.done ? '\n' : ''}`);
  else stream.write(`${line}\n`);
}
