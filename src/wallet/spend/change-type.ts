import { classifyScript } from '../../script/templates.js';
import type { AddressType } from '../api.js';
import type { WalletScripts } from '../keychain/wallet-scripts.js';

/**
 * Core's CWallet::TransactionChangeType with -changetype unset and -addresstype at its default
 * (bech32): change looks like a recipient when the wallet has a change chain of that type, so an
 * observer cannot tell change by its type (taproot first, then P2WPKH, P2SH, P2PKH, as Core
 * tries them); otherwise bech32m when the wallet has taproot change, else bech32. An explicit
 * `change_type` always wins.
 */
export function transactionChangeType(
  scripts: Pick<WalletScripts, 'chain'>,
  explicit: AddressType | undefined,
  recipientScripts: readonly Uint8Array[],
): AddressType {
  if (explicit !== undefined) return explicit;
  const seen = new Set<string>();
  for (const script of recipientScripts) seen.add(classifyScript(script).type);
  // Core's GetScriptPubKeyMan(type, /*internal=*/true): an active change chain of the type.
  const has = (type: AddressType): boolean => scripts.chain(type, true) !== undefined;
  if (seen.has('witness_v1_taproot') && has('bech32m')) return 'bech32m';
  if (seen.has('witness_v0_keyhash') && has('bech32')) return 'bech32';
  // Core: "As of 2021 about 80% of all SH are wrapping WPKH", so any P2SH gets P2SH-P2WPKH change.
  if (seen.has('scripthash') && has('p2sh-segwit')) return 'p2sh-segwit';
  if (seen.has('pubkeyhash') && has('legacy')) return 'legacy';
  if (has('bech32m')) return 'bech32m';
  return 'bech32';
}
