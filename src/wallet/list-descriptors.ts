import { type AddressType, type ListedDescriptor, WALLET_MESSAGES, WalletError } from './api.js';
import { parseDescriptor, splitChecksum } from './descriptors/index.js';
import { HDKey } from './keys/bip32.js';
import { formatPath } from './keys/path-string.js';
import { accountPath } from './keys/paths.js';
import { encodeWif } from './keys/wif.js';
import {
  type DescriptorRecord,
  originExtends,
  originText as originTextOf,
  parseOriginText,
} from './keychain/descriptor-scripts.js';
import { hdChainId, PURPOSE_OF } from './keychain/key-chain.js';
import type { AddressChain } from './keychain/owned-script.js';
import { ADDRESS_TYPES } from './keychain/wallet-scripts.js';
import type { WalletSecrets } from './keystore/secrets.js';
import { hdKeyOf } from './spend/wallet-keys.js';
import { Prefix } from './layout.js';
import type { ImportedScriptRecord } from './store/records.js';
import { decodeJson } from './store/wallet-db.js';
import { fromKeystoreError } from './wallet-errors.js';
import type { WalletState } from './wallet-state.js';

/** Core's message when a descriptor cannot be printed in the form asked (GetDescriptorString). */
export const CANT_GET_DESCRIPTOR = "Can't get descriptor string.";

/** The script wrapped around each account's key, as Core's GenerateWalletDescriptor writes it. */
const WRAP: Readonly<Record<AddressType, (key: string) => string>> = {
  legacy: (k) => `pkh(${k})`,
  'p2sh-segwit': (k) => `sh(wpkh(${k}))`,
  bech32: (k) => `wpkh(${k})`,
  bech32m: (k) => `tr(${k})`,
};

/** "/84h/1h/0h": the account path without the leading "m". */
function accountSuffix(type: AddressType, state: WalletState): string {
  return formatPath(accountPath(PURPOSE_OF[type], state.network, 0), 'h').slice(1);
}

/** What Core's listdescriptors reports of one address chain: active, internal, range, next index. */
function chainFields(
  chain: AddressChain | undefined,
  state: WalletState,
  rangeStart: number,
): Pick<ListedDescriptor, 'active' | 'internal' | 'range' | 'nextIndex'> {
  if (chain === undefined) return { active: false };
  const active = chain.type !== undefined && state.scripts.chain(chain.type, chain.internal) === chain;
  return {
    active,
    // Core's IsInternalScriptPubKeyMan: only an active chain is internal or external.
    ...(active ? { internal: chain.internal } : {}),
    // Core prints range_end - 1, the last index derived so far (next index + lookahead - 1).
    range: [rangeStart, Math.max(rangeStart, chain.nextIndex + chain.available) - 1],
    nextIndex: chain.nextIndex,
  };
}

/**
 * The wallet's own HD chains as Core's descriptor wallets list them: public
 * `wpkh([fingerprint/84h/1h/0h]tpub…/0/*)` from the account xpubs in the database (no unlock
 * needed); private `wpkh(tprv…/84h/1h/0h/0/*)` with the master key, as Core prints it, so the
 * child keys are never exposed beside the parent xpub.
 */
function hdDescriptors(state: WalletState, master: HDKey | undefined): ListedDescriptor[] {
  const { meta } = state;
  const out: ListedDescriptor[] = [];
  for (const type of ADDRESS_TYPES) {
    const xpub = meta.accounts?.[type];
    if (xpub === undefined) continue;
    for (const internal of [false, true]) {
      const tail = `/${internal ? 1 : 0}/*`;
      const text =
        master === undefined
          ? WRAP[type](`[${meta.masterFingerprint ?? '00000000'}${accountSuffix(type, state)}]${xpub}${tail}`)
          : WRAP[type](`${master.toBase58(state.network)}${accountSuffix(type, state)}${tail}`);
      const desc = parseDescriptor(text, { network: state.network });
      out.push({
        desc: master === undefined ? desc.toString() : desc.toPrivateString(),
        timestamp: meta.birthTime,
        ...chainFields(state.scripts.chainById(hdChainId(type, internal)), state, 0),
      });
    }
  }
  return out;
}

/**
 * An imported descriptor with its private keys put back. Keys imported one by one are held by
 * public key (the record lists which): each hex public key in the text becomes its WIF. Keys below
 * an extended private key (a ranged xprv descriptor, stored in normalized form
 * `[fp/84h/1h/0h]tpub…/0/*`) become that key with the rest of the path, as Core prints them:
 * `tprv…/84h/1h/0h/0/*` for a master key, `[fp/84h/1h/0h]tprv…/0/*` for one imported with its origin.
 */
function privateForm(record: DescriptorRecord, state: WalletState, secrets: WalletSecrets): string {
  const pubkeys = state.signingKeys.importedPubkeys(secrets);
  let body = splitChecksum(record.desc, false).body;
  for (const hex of record.privatePubkeys ?? []) {
    const i = pubkeys.indexOf(hex);
    const key = i < 0 ? undefined : secrets.importedKeys[i];
    if (key === undefined) continue;
    body = body.split(hex).join(encodeWif(key.privateKey, key.compressed, state.network));
  }
  if (record.privateKeyOrigins !== undefined) body = withExtendedKeys(body, secrets, state);
  const desc = parseDescriptor(body, { network: state.network });
  if (!desc.hasAllPrivateKeys) throw new WalletError('WALLET_ERROR', CANT_GET_DESCRIPTOR);
  return desc.toPrivateString();
}

/** `[origin]tpub…` key expressions of a normalized descriptor. */
const ORIGIN_XPUB = /\[([0-9a-f]{8}(?:\/\d+[h']?)*)\][tx]pub[1-9A-HJ-NP-Za-km-z]+/g;

/** Replaces each `[origin]xpub` below a held extended private key with that key and the rest of the path. */
function withExtendedKeys(body: string, secrets: WalletSecrets, state: WalletState): string {
  return body.replace(ORIGIN_XPUB, (whole, originText: string) => {
    const origin = parseOriginText(originText);
    const held = secrets.extendedKeys.find((k) =>
      originExtends(origin, { fingerprint: k.originFingerprint, path: k.originPath }),
    );
    if (held === undefined) return whole;
    const key = hdKeyOf(held, state.network);
    try {
      const own =
        held.originPath.length === 0
          ? ''
          : `[${originTextOf({ fingerprint: held.originFingerprint, path: held.originPath })}]`;
      const rest = formatPath(origin.path.slice(held.originPath.length), 'h').slice(1);
      return `${own}${key.toBase58(state.network)}${rest}`;
    } finally {
      key.wipe();
    }
  });
}

/**
 * listdescriptors (Core's wallet/rpc/backup.cpp): the wallet's HD chains and imported descriptors,
 * sorted by descriptor text. `priv` needs an unlocked wallet and every descriptor's private keys;
 * a watch-only wallet has none, so Core's "Can't get descriptor string." (RPC_WALLET_ERROR).
 */
export async function listDescriptors(state: WalletState, priv: boolean): Promise<ListedDescriptor[]> {
  let secrets: WalletSecrets | undefined;
  if (priv) {
    if (state.keystore === undefined) throw new WalletError('WALLET_ERROR', CANT_GET_DESCRIPTOR);
    if (state.keystore.isLocked) throw new WalletError('UNLOCK_NEEDED', WALLET_MESSAGES.UNLOCK_NEEDED);
    try {
      secrets = state.keystore.getSecrets();
    } catch (e) {
      throw fromKeystoreError(e);
    }
  }
  const master =
    secrets !== undefined && state.meta.accounts !== undefined ? HDKey.fromSeed(secrets.seed) : undefined;
  const listed: ListedDescriptor[] = [];
  try {
    if (master !== undefined) checkMaster(master, state);
    listed.push(...hdDescriptors(state, master));
  } finally {
    master?.wipe();
  }
  for (const [, value] of await state.db.entries(Prefix.DESCRIPTOR)) {
    const record = decodeJson<DescriptorRecord>(value);
    const ranged = parseDescriptor(record.desc, { network: state.network }).isRange;
    const chain = ranged ? state.scripts.chainById(`desc:${record.desc}`) : undefined;
    listed.push({
      desc: secrets === undefined ? record.desc : privateForm(record, state, secrets),
      timestamp: record.timestamp,
      ...(ranged ? chainFields(chain, state, record.range[0]) : { active: false }),
    });
  }
  if (secrets === undefined) {
    // importaddress / addmultisigaddress scripts (Core's descriptor wallets have no such imports):
    // listed publicly with their descriptor; they hold no private keys to print.
    for (const [, value] of await state.db.entries(Prefix.IMPORTED)) {
      const record = decodeJson<ImportedScriptRecord>(value);
      if (record.desc !== undefined)
        listed.push({ desc: record.desc, timestamp: record.time, active: false });
    }
  }
  return listed.sort((a, b) => (a.desc < b.desc ? -1 : a.desc > b.desc ? 1 : 0));
}

/** The keystore's seed must be the one the database's xpubs came from (a mismatch is corruption). */
function checkMaster(master: HDKey, state: WalletState): void {
  const fp = master.fingerprint.toString(16).padStart(8, '0');
  if (state.meta.masterFingerprint !== undefined && fp !== state.meta.masterFingerprint) {
    throw new WalletError('WALLET_ERROR', CANT_GET_DESCRIPTOR);
  }
}
