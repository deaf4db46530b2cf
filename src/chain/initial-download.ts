import type { NetworkParams } from '../consensus/params.js';
import type { ChainEntry } from './chain-entry.js';

/** Core's DEFAULT_MAX_TIP_AGE: a tip older than a day means the node is still catching up. */
export const MAX_TIP_AGE_SECONDS = 24 * 60 * 60;

/**
 * Core's IsInitialBlockDownload without its latch: the tip has less work than the network's
 * minimum chain work, or is older than a day at `now` (Unix seconds). Used where Core holds back
 * while syncing: getblocktemplate, the wallet's rebroadcast, getblockchaininfo.
 */
export function isInitialBlockDownload(tip: ChainEntry, network: NetworkParams, now: number): boolean {
  return tip.chainwork < network.consensus.minimumChainWork || tip.time < now - MAX_TIP_AGE_SECONDS;
}
