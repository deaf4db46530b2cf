import { WalletError } from './api.js';
import { ADDRESS_TYPES } from './keychain/wallet-scripts.js';
import type { WalletState } from './wallet-state.js';

/**
 * keypoolrefill (Core's TopUpKeyPool through the RPC): derives each active chain's scripts up to
 * `newSize` beyond its next index (0 or absent: the configured -keypool). Core requires an unlocked
 * wallet because a legacy keypool holds private keys; this wallet derives from the account xpubs
 * in its database (and imported ranged descriptors from their public keys), so a locked encrypted
 * wallet refills too. The larger lookahead lives until the wallet is unloaded: addresses actually
 * handed out are persisted by their chain index, so nothing a restart forgets was ever shown.
 */
export function keypoolRefill(state: WalletState, newSize = 0): void {
  if (!Number.isInteger(newSize) || newSize < 0) {
    throw new WalletError('INVALID_PARAMETER', 'Invalid parameter, expected valid size.');
  }
  const { scripts } = state;
  const lookahead = newSize === 0 ? scripts.keypool : newSize;
  for (const type of ADDRESS_TYPES) {
    for (const internal of [false, true]) {
      const chain = scripts.chain(type, internal);
      if (chain === undefined) continue;
      for (const s of chain.topUp(lookahead)) scripts.add(s);
    }
  }
  // Core's check: its keypool size (both sides of every active chain) must reach the size asked.
  const sizes = scripts.keypoolSizes();
  if (sizes.external + sizes.internal < newSize) {
    throw new WalletError('WALLET_ERROR', 'Error refreshing keypool.');
  }
}
