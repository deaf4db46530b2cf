import { signMessage as signWithKey } from '../crypto/message-signing.js';
import { keyHashOfAddress } from '../script/signed-message.js';
import { p2pkh } from '../script/templates.js';
import { WALLET_MESSAGES, WalletError } from './api.js';
import { scriptKey } from './keychain/owned-script.js';
import { wipe } from './keys/secret.js';
import { withWalletKeys } from './spend/wallet-keys.js';
import type { WalletState } from './wallet-state.js';

/** Core's SigningResultString(PRIVATE_KEY_NOT_AVAILABLE), reported as RPC_WALLET_ERROR. */
const notAvailable = () => new WalletError('WALLET_ERROR', 'Private key not available');

/**
 * signmessage (Core's wallet/rpc/signmessage.cpp and CWallet::SignMessage), checks in Core's
 * order: a locked wallet fails first (-13), then an invalid address (-5), then one that is not
 * P2PKH (-3, the legacy scheme reveals a key only a P2PKH address commits to), then a P2PKH
 * script the wallet does not hold the private key of (-4). Like a descriptor wallet in Core, only
 * scripts the wallet itself has (getnewaddress "" legacy, an imported pkh() with its private key)
 * count: the P2PKH form of a key the wallet uses for segwit is another script, not the wallet's.
 * Reads only: nothing is written, and the private key copy is wiped after signing.
 */
export function signWalletMessage(s: WalletState, address: string, message: string): string {
  if (s.keystore?.isLocked === true) throw new WalletError('UNLOCK_NEEDED', WALLET_MESSAGES.UNLOCK_NEEDED);
  const decoded = keyHashOfAddress(address, s.network.addressPrefixes);
  if (!decoded.ok) {
    throw decoded.error === 'invalid-address'
      ? new WalletError('INVALID_ADDRESS_OR_KEY', 'Invalid address')
      : new WalletError('TYPE_ERROR', 'Address does not refer to key');
  }
  const owned = s.scripts.get(scriptKey(p2pkh(decoded.keyHash)));
  const pubkey = owned?.pubkey;
  if (s.keystore === undefined || pubkey === undefined) throw notAvailable();
  return withWalletKeys(s.keystore, s.scripts, s.signingKeys, (keyFor) => {
    const key = keyFor(pubkey, owned);
    if (key === undefined) throw notAvailable();
    try {
      // The address is HASH160 of the key as serialised, so its length says which form signed.
      return signWithKey(message, key, pubkey.length === 33);
    } catch {
      throw new WalletError('INVALID_ADDRESS_OR_KEY', 'Sign failed');
    } finally {
      wipe(key);
    }
  });
}
