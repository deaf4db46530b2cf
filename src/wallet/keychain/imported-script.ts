import { fromHex } from '../../encoding/hex.js';
import { addressFromScript } from '../../script/address.js';
import { classifyScript } from '../../script/templates.js';
import type { SpendType } from '../fees/tx-size.js';
import type { ImportedScriptRecord } from '../store/records.js';
import { type OwnedScript, scriptKey } from './owned-script.js';
import type { WalletScripts } from './wallet-scripts.js';

const MULTISIG_SPEND = {
  legacy: 'p2sh-multisig',
  'p2sh-segwit': 'p2sh-p2wsh-multisig',
  bech32: 'p2wsh-multisig',
} as const;

/**
 * The OwnedScript of an imported record: a watch-only address or script, or a multisig script the
 * wallet can solve (and sign, when it holds at least m of the keys in its HD chains).
 */
export function importedScript(
  scriptPubKey: Uint8Array,
  r: ImportedScriptRecord,
  scripts: WalletScripts,
): OwnedScript {
  const base = {
    scriptPubKey,
    key: scriptKey(scriptPubKey),
    address: addressFromScript(scriptPubKey, scripts.network.addressPrefixes),
    internal: false,
    ...(r.desc === undefined ? {} : { desc: r.desc }),
  };
  // addmultisigaddress makes legacy, p2sh-segwit and bech32 addresses only (no bech32m multisig).
  if (r.kind !== 'multisig' || r.type === undefined || r.type === 'bech32m') {
    return { ...base, spendable: false, watchOnly: true };
  }
  const redeemScript = r.redeemScript === undefined ? undefined : fromHex(r.redeemScript);
  const witnessScript = r.witnessScript === undefined ? undefined : fromHex(r.witnessScript);
  const inner = classifyScript(witnessScript ?? redeemScript ?? new Uint8Array(0));
  if (inner.type !== 'multisig') return { ...base, spendable: false, watchOnly: true };
  let held = 0;
  for (const pk of inner.pubkeys) if (scripts.canSign(pk)) held++;
  const spendable = held >= inner.required;
  const spend: SpendType = { kind: MULTISIG_SPEND[r.type], m: inner.required, n: inner.pubkeys.length };
  return {
    ...base,
    type: r.type,
    ...(redeemScript === undefined ? {} : { redeemScript }),
    ...(witnessScript === undefined ? {} : { witnessScript }),
    multisig: { m: inner.required, pubkeys: inner.pubkeys },
    spend,
    spendable,
    watchOnly: !spendable,
  };
}
