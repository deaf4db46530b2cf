import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { NetworkParams } from '../consensus/params.js';
import type { AddrMan } from './addrman.js';
import { loadAddrMan, saveAddrMan } from './addrman-codec.js';

/**
 * Where the address manager is kept between runs: `<dataDir>/<network>/peers.dat`, or
 * `<dataDir>/peers.dat` on main, beside the chain store (docs/node-architecture.md).
 */
export function peersFilePath(dataDir: string, network: Pick<NetworkParams, 'name'>): string {
  return network.name === 'main' ? join(dataDir, 'peers.dat') : join(dataDir, network.name, 'peers.dat');
}

/** The saved address manager, or a fresh one when the file is missing or unusable (as Core). */
export async function loadPeersFile(path: string, now: () => number, log?: Logger): Promise<AddrMan> {
  const loaded = await loadAddrMan(path, { now });
  if (loaded.problem !== undefined)
    log?.warn({ problem: loaded.problem }, 'peers.dat unusable, starting afresh');
  return loaded.addrman;
}

/** Saves at shutdown; a failure is logged, never thrown: losing gossip must not fail a shutdown. */
export async function savePeersFile(addrman: AddrMan, path: string, log?: Logger): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await saveAddrMan(addrman, path);
  } catch (err) {
    log?.warn({ err }, 'saving peers.dat failed');
  }
}
