import { toHex } from '../encoding/hex.js';
import { WALLET_MESSAGES, WalletError } from './api.js';
import type { Descriptor } from './descriptors/index.js';
import { wipe } from './keys/secret.js';
import { type ImportedKey, WalletSecrets } from './keystore/secrets.js';
import { fromKeystoreError } from './wallet-errors.js';
import type { WalletState } from './wallet-state.js';

/**
 * The private keys of a descriptor with private keys (WIF or xprv), over `range`, moved into the
 * keystore (encrypted when the wallet is) so they never reach the database. Returns the public
 * keys now held, which the descriptor's record lists so the wallet knows, even while locked,
 * which of its scripts it can sign. A ranged xprv descriptor's keys are held for the imported
 * range only: scripts derived beyond it (the lookahead) are watched but not signable until
 * imported with a larger range.
 */
export async function importDescriptorKeys(
  s: WalletState,
  desc: Descriptor,
  range: readonly [number, number],
): Promise<string[]> {
  const keystore = s.keystore;
  if (keystore === undefined) {
    throw new WalletError(
      'WALLET_ERROR',
      'Cannot import private keys to a wallet with private keys disabled',
    );
  }
  if (keystore.isLocked) throw new WalletError('UNLOCK_NEEDED', WALLET_MESSAGES.UNLOCK_NEEDED);
  const found = new Map<string, ImportedKey>();
  const [from, to] = desc.isRange ? range : [0, 0];
  for (let i = from; i <= to; i++) {
    for (const out of desc.expandAll(i)) {
      for (const k of out.keys) {
        if (k.privateKey !== undefined)
          found.set(toHex(k.pubkey), { privateKey: k.privateKey, compressed: k.pubkey.length === 33 });
      }
    }
  }
  let current: WalletSecrets;
  try {
    current = keystore.getSecrets();
  } catch (e) {
    throw fromKeystoreError(e);
  }
  const have = new Set(s.signingKeys.importedPubkeys(current));
  const added = [...found].filter(([hex]) => !have.has(hex));
  const next = new WalletSecrets({
    seed: current.seed,
    mnemonic: current.mnemonicBytes,
    importedKeys: [...current.importedKeys, ...added.map(([, k]) => k)],
  });
  try {
    await keystore.setSecrets(next);
  } catch (e) {
    throw fromKeystoreError(e);
  } finally {
    next.wipe();
    for (const k of found.values()) wipe(k.privateKey);
  }
  s.signingKeys.wipe(); // rebuilt from the new secrets on next use
  return [...found.keys()];
}
