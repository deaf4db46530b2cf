import type { WalletInfo } from './api.js';
import type { ScanProgress } from './tracking/rescan.js';
import type { WalletState } from './wallet-state.js';

/** getwalletinfo's fields (Core's wallet/rpc/wallet.cpp), rescan progress included. */
export function walletInfo(s: WalletState, progress: ScanProgress | undefined): WalletInfo {
  const pools = s.scripts.keypoolSizes();
  const ks = s.keystore;
  const last = s.lastBlock ?? { hash: '', height: -1 };
  return {
    name: s.name,
    txCount: s.book.txs.size,
    keypoolSize: pools.external,
    keypoolSizeHdInternal: pools.internal,
    ...(ks?.isEncrypted === true ? { unlockedUntil: Math.floor((ks.unlockedUntil ?? 0) / 1000) } : {}),
    privateKeysEnabled: !s.meta.disablePrivateKeys,
    encrypted: ks?.isEncrypted === true,
    scanning:
      progress === undefined
        ? false
        : {
            duration: Math.floor((Date.now() - progress.startTime) / 1000),
            progress:
              progress.stopHeight <= progress.startHeight
                ? 1
                : (progress.current - progress.startHeight) / (progress.stopHeight - progress.startHeight),
          },
    lastProcessedBlock: { hash: last.hash, height: last.height },
    birthTime: s.meta.birthTime,
    descriptors: true,
    blank: s.meta.blank,
  };
}
