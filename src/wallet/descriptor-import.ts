import type { NetworkParams } from '../consensus/params.js';
import type { ImportDescriptorRequest, ImportDescriptorResult } from './api.js';
import { WALLET_ERROR_RPC_CODES, WALLET_MESSAGES, WalletError } from './api.js';
import { type Descriptor, parseDescriptor } from './descriptors/index.js';
import { DescriptorChain, type DescriptorRecord, scriptsAt } from './keychain/descriptor-scripts.js';
import { descriptorKey, labelKey } from './layout.js';
import { type DescriptorKeys, importDescriptorKeys } from './private-import.js';
import { put, type WalletDbOp } from './store/wallet-db.js';
import type { Wallet } from './wallet.js';

/** Core's TIMESTAMP_WINDOW: blocks up to 2 hours older than a key's birth time are scanned. */
const TIMESTAMP_WINDOW = 2 * 60 * 60;

function failure(code: keyof typeof WALLET_ERROR_RPC_CODES, message: string): ImportDescriptorResult {
  return { success: false, error: { code: WALLET_ERROR_RPC_CODES[code], message } };
}

/** The first height whose block time is within TIMESTAMP_WINDOW of `time` (Core's FindFirstBlockWithTimeAndHeight). */
function heightForTime(wallet: Wallet, time: number): number {
  const chain = wallet.state.chain;
  for (let h = 0; h <= chain.height; h++) {
    const e = chain.getEntryAtHeight(h);
    if (e !== undefined && e.header.time >= time - TIMESTAMP_WINDOW) return h;
  }
  return chain.height + 1;
}

/** Core's checks of one request (ProcessDescriptorImport), with its messages; the range to use. */
function checkRequest(
  wallet: Wallet,
  req: ImportDescriptorRequest,
  desc: Descriptor,
): { range: [number, number] } | { error: ImportDescriptorResult } {
  const s = wallet.state;
  const fail = (code: keyof typeof WALLET_ERROR_RPC_CODES, message: string) => ({
    error: failure(code, message),
  });
  if (desc.hasPrivateKeys && s.meta.disablePrivateKeys) {
    return fail('WALLET_ERROR', 'Cannot import private keys to a wallet with private keys disabled');
  }
  if (!desc.hasPrivateKeys && !s.meta.disablePrivateKeys) {
    return fail(
      'WALLET_ERROR',
      'Cannot import descriptor without private keys to a wallet with private keys enabled',
    );
  }
  if (!desc.isRange && req.range !== undefined) {
    return fail('INVALID_PARAMETER', 'Range should not be specified for an un-ranged descriptor');
  }
  if (desc.isRange && req.label !== undefined && req.label !== '') {
    return fail('INVALID_PARAMETER', 'Ranged descriptors should not have a label');
  }
  if (req.internal === true && req.label !== undefined && req.label !== '') {
    return fail('INVALID_PARAMETER', 'Internal addresses should not have a label');
  }
  if (req.active === true && !desc.isRange)
    return fail('INVALID_PARAMETER', 'Active descriptors must be ranged');
  const range: [number, number] = !desc.isRange
    ? [0, 0]
    : req.range === undefined
      ? [0, s.scripts.keypool - 1]
      : typeof req.range === 'number'
        ? [0, req.range]
        : req.range;
  if (range[0] < 0 || range[1] < range[0] || range[1] >= 0x80000000) {
    return fail('INVALID_PARAMETER', 'Range specified as [begin,end] must not have begin after end');
  }
  if (req.nextIndex !== undefined && (req.nextIndex < range[0] || req.nextIndex > range[1])) {
    return fail('INVALID_PARAMETER', 'next_index is out of range');
  }
  try {
    desc.expand(range[0]); // a hardened step under an xpub fails here, before anything is added
  } catch (e) {
    return fail('INVALID_ADDRESS_OR_KEY', e instanceof Error ? e.message : String(e));
  }
  return { range };
}

/**
 * The form of the descriptor the database keeps: the public one, or for a private descriptor with
 * hardened steps after its key (listdescriptors true prints tprv/84h/1h/0h/0/*), which has no public
 * form that derives, the normalized one (the xpub at the last hardened step, with the origin): it
 * derives the same scripts, as Core caches them. Checked to derive before any key is stored.
 */
function publicFormOf(
  desc: Descriptor,
  network: NetworkParams,
  index: number,
): { text: string } | { error: ImportDescriptorResult } {
  try {
    const text = desc.hasPrivateKeys ? desc.toNormalizedString() : desc.toString();
    parseDescriptor(text, { network, requireChecksum: true }).expandAll(index);
    return { text };
  } catch (e) {
    // A hardened wildcard (/*h): its scripts need the private key at every index, and the wallet
    // derives addresses while locked, from the database alone.
    const why = e instanceof Error ? e.message : String(e);
    return { error: failure('INVALID_ADDRESS_OR_KEY', why) };
  }
}

/**
 * importdescriptors: each descriptor is expanded over its range into the wallet's scripts (a
 * ranged one becomes an address chain with lookahead; `active` ones serve new addresses), private
 * keys go to the keystore and only the public form to the database, and the chain is scanned from
 * the earliest timestamp given. Like Core, an encrypted wallet must be unlocked.
 */
export async function importDescriptors(
  wallet: Wallet,
  reqs: ImportDescriptorRequest[],
): Promise<ImportDescriptorResult[]> {
  const s = wallet.state;
  if (s.keystore?.isLocked === true) throw new WalletError('UNLOCK_NEEDED', WALLET_MESSAGES.UNLOCK_NEEDED);
  const results: ImportDescriptorResult[] = [];
  let rescanFrom: number | undefined;
  for (const req of reqs) {
    let desc: Descriptor;
    try {
      desc = parseDescriptor(req.desc, { network: s.network, requireChecksum: true });
    } catch (e) {
      results.push(failure('INVALID_ADDRESS_OR_KEY', e instanceof Error ? e.message : String(e)));
      continue;
    }
    const checked = checkRequest(wallet, req, desc);
    if ('error' in checked) {
      results.push(checked.error);
      continue;
    }
    const { range } = checked;
    const publicForm = publicFormOf(desc, s.network, range[0]);
    if ('error' in publicForm) {
      results.push(publicForm.error);
      continue;
    }
    let held: DescriptorKeys | undefined;
    if (desc.hasPrivateKeys) {
      try {
        held = await importDescriptorKeys(s, desc, range);
      } catch (e) {
        if (!(e instanceof WalletError)) throw e;
        results.push({ success: false, error: { code: e.rpcCode, message: e.message } });
        continue;
      }
      // The keystore holds them now, whatever happens to the record below.
      s.scripts.holdKeys(held.pubkeys);
    }
    const record: DescriptorRecord = {
      desc: publicForm.text,
      range,
      internal: req.internal === true,
      ...(req.label === undefined ? {} : { label: req.label }),
      timestamp: req.timestamp === 'now' ? s.now() : req.timestamp,
      ...(req.active === true ? { active: true } : {}),
      ...(desc.isRange ? { nextIndex: req.nextIndex ?? range[0] } : {}),
      ...(held === undefined || held.pubkeys.length === 0 ? {} : { privatePubkeys: held.pubkeys }),
      ...(held === undefined || held.origins.length === 0 ? {} : { privateKeyOrigins: held.origins }),
    };
    const ops: WalletDbOp[] = [put(descriptorKey(record.desc), record)];
    const singles = desc.isRange ? [] : scriptsAt(desc, 0, record, s.scripts);
    const labelled = singles.filter((owned) => owned.address !== null && !record.internal);
    for (const owned of labelled) ops.push(put(labelKey(owned.address!), { label: req.label ?? '' }));
    // Written before the wallet uses it: a failed write leaves the scripts unregistered.
    await wallet.queue.write(ops, true);
    if (desc.isRange) {
      s.scripts.addChain(new DescriptorChain(record, s.scripts), record.active === true);
    } else {
      for (const owned of singles) s.scripts.add(owned);
      for (const owned of labelled) s.labels.set(owned.address!, req.label ?? '');
    }
    if (req.timestamp !== 'now') {
      const h = heightForTime(wallet, req.timestamp);
      rescanFrom = Math.min(rescanFrom ?? h, h);
    }
    results.push({ success: true });
  }
  if (rescanFrom !== undefined && rescanFrom <= s.chain.height) await wallet.rescan(rescanFrom);
  return results;
}
