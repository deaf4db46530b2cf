import { fromHex } from '../encoding/hex.js';
import { p2wshOfScript } from '../script/templates.js';
import { type AddressType, WalletError } from './api.js';
import { createMultisig, DescriptorError } from './descriptors/index.js';
import { importedScript } from './keychain/imported-script.js';
import { scriptKey } from './keychain/owned-script.js';
import { importedKey, labelKey } from './layout.js';
import type { ImportedScriptRecord } from './store/records.js';
import { put, type WalletDbOp } from './store/wallet-db.js';
import type { Wallet } from './wallet.js';
import { decodeAddress } from './wallet-reads.js';

/** importaddress: a watch-only address or hex script (Core's legacy-wallet command). */
export async function importAddress(
  wallet: Wallet,
  scriptOrAddress: string,
  label: string,
  rescan: boolean,
  _p2sh: boolean,
): Promise<void> {
  const s = wallet.state;
  let script: Uint8Array;
  let kind: ImportedScriptRecord['kind'] = 'address';
  try {
    script = decodeAddress(s, scriptOrAddress);
  } catch {
    if (!/^([0-9a-fA-F]{2})+$/.test(scriptOrAddress)) {
      throw new WalletError('INVALID_ADDRESS_OR_KEY', 'Invalid Bitcoin address or script');
    }
    script = fromHex(scriptOrAddress.toLowerCase());
    kind = 'script';
  }
  const existing = s.scripts.get(scriptKey(script));
  if (existing?.spendable === true) {
    throw new WalletError(
      'WALLET_ERROR',
      'The wallet already contains the private key for this address or script',
    );
  }
  const record: ImportedScriptRecord = { kind, label, time: s.now() };
  const owned = importedScript(script, record, s.scripts);
  const ops: WalletDbOp[] = [put(importedKey(script), record)];
  if (owned.address !== null) {
    ops.push(put(labelKey(owned.address), { label }));
    s.labels.set(owned.address, label);
  }
  s.scripts.add(owned);
  s.imported.set(owned.key, record);
  await wallet.queue.write(ops, true);
  if (rescan) await wallet.rescan(0);
}

/** Core's AddrToPubKey: a wallet address standing for its public key. */
function keyOf(wallet: Wallet, key: string): Uint8Array {
  const s = wallet.state;
  if (/^(02|03)[0-9a-fA-F]{64}$/.test(key) || /^04[0-9a-fA-F]{128}$/.test(key))
    return fromHex(key.toLowerCase());
  let script: Uint8Array;
  try {
    script = decodeAddress(s, key);
  } catch {
    throw new WalletError('INVALID_ADDRESS_OR_KEY', `Invalid address: ${key}`);
  }
  const owned = s.scripts.get(scriptKey(script));
  if (owned?.pubkey === undefined)
    throw new WalletError('INVALID_ADDRESS_OR_KEY', `'${key}' does not refer to a key`);
  return owned.pubkey;
}

/** addmultisigaddress: an m-of-n address whose keys are given as hex or as wallet addresses. */
export async function addMultisigAddress(
  wallet: Wallet,
  nRequired: number,
  keys: string[],
  label: string | undefined,
  type: AddressType,
): Promise<{ address: string; redeemScript: Uint8Array; descriptor: string }> {
  const s = wallet.state;
  const pubkeys = keys.map((k) => keyOf(wallet, k));
  let made: ReturnType<typeof createMultisig>;
  try {
    made = createMultisig(nRequired, pubkeys, type, s.network);
  } catch (e) {
    if (e instanceof DescriptorError) {
      throw new WalletError(
        e.kind === 'parameter' ? 'INVALID_PARAMETER' : 'INVALID_ADDRESS_OR_KEY',
        e.message,
      );
    }
    throw e;
  }
  const ms = made.redeemScript;
  const record: ImportedScriptRecord = {
    kind: 'multisig',
    type: made.outputType,
    time: s.now(),
    desc: made.descriptor,
    ...(label === undefined ? {} : { label }),
    ...(made.outputType === 'legacy'
      ? { redeemScript: Buffer.from(ms).toString('hex') }
      : { witnessScript: Buffer.from(ms).toString('hex') }),
    ...(made.outputType === 'p2sh-segwit'
      ? { redeemScript: Buffer.from(p2wshOfScript(ms)).toString('hex') }
      : {}),
  };
  const owned = importedScript(made.scriptPubKey, record, s.scripts);
  s.scripts.add(owned);
  s.imported.set(owned.key, record);
  const ops: WalletDbOp[] = [put(importedKey(made.scriptPubKey), record)];
  if (label !== undefined) {
    s.labels.set(made.address, label);
    ops.push(put(labelKey(made.address), { label }));
  }
  await wallet.queue.write(ops, true);
  return { address: made.address, redeemScript: ms, descriptor: made.descriptor };
}
