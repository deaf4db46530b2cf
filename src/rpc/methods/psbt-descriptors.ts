import type { NetworkParams } from '../../consensus/params.js';
import { DescriptorError } from '../../wallet/descriptors/errors.js';
import { parseDescriptors } from '../../wallet/descriptors/parse.js';
import type { Bip32Derivation } from '../../wallet/psbt/types.js';
import { isJsonObject } from '../args.js';
import { RpcError, RpcErrorCode, typeError } from '../errors.js';

/**
 * The solving data utxoupdatepsbt takes from output descriptors (Core's
 * EvalDescriptorStringOrObject and ParseDescriptorRange, rpc/util.cpp): every script and key path the
 * descriptors give over their range, for the PSBT updater to attach where they fit.
 */

export interface SolvingData {
  redeemScripts: Uint8Array[];
  witnessScripts: Uint8Array[];
  derivations: Bip32Derivation[];
  /** Private keys the descriptors hold (descriptorprocesspsbt signs with them), 32 bytes each. */
  privateKeys: { pubkey: Uint8Array; privateKey: Uint8Array }[];
}

const invalid = (m: string) => new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, m);

function int64(v: unknown): number {
  if (typeof v !== 'number') throw typeError(v, 'number');
  if (!Number.isSafeInteger(v)) throw new RpcError(RpcErrorCode.RPC_MISC_ERROR, 'JSON integer out of range');
  return v;
}

/** Core's ParseRange + ParseDescriptorRange. */
export function parseDescriptorRange(value: unknown): [number, number] {
  let low: number;
  let high: number;
  if (typeof value === 'number') {
    low = 0;
    high = int64(value);
  } else if (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'number' &&
    typeof value[1] === 'number'
  ) {
    low = int64(value[0]);
    high = int64(value[1]);
    if (low > high) throw invalid('Range specified as [begin,end] must not have begin after end');
  } else {
    throw invalid('Range must be specified as either a number or [begin,end]');
  }
  if (low < 0) throw invalid('Range should be greater or equal than 0');
  if (high >= 2 ** 31) throw invalid('End of range is too high');
  if (high >= low + 1_000_000) throw invalid('Range is too large');
  return [low, high];
}

/** One scan object: a descriptor string, or { desc, range } (range 0..1000 by default). */
function addDescriptor(item: unknown, network: NetworkParams, out: SolvingData): void {
  let text: string;
  let range: [number, number] = [0, 1000];
  if (typeof item === 'string') text = item;
  else if (isJsonObject(item)) {
    if (item.desc === undefined || item.desc === null)
      throw invalid('Descriptor needs to be provided in scan object');
    if (typeof item.desc !== 'string') throw typeError(item.desc, 'string');
    text = item.desc;
    if (item.range !== undefined && item.range !== null) range = parseDescriptorRange(item.range);
  } else {
    throw invalid('Scan object needs to be either a string or an object');
  }
  let descriptors: ReturnType<typeof parseDescriptors>;
  try {
    descriptors = parseDescriptors(text, { network, requireChecksum: false });
  } catch (err) {
    if (err instanceof DescriptorError)
      throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, err.message);
    throw err;
  }
  for (const desc of descriptors) {
    const [low, high] = desc.isRange ? range : [0, 0];
    for (let i = low; i <= high; i++) {
      let outputs: ReturnType<typeof desc.expandAll>;
      try {
        outputs = desc.expandAll(i);
      } catch (err) {
        if (err instanceof DescriptorError)
          throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, err.message);
        throw err;
      }
      for (const o of outputs) {
        if (o.redeemScript !== undefined) out.redeemScripts.push(o.redeemScript);
        if (o.witnessScript !== undefined) out.witnessScripts.push(o.witnessScript);
        for (const k of o.keys) {
          if (k.privateKey !== undefined)
            out.privateKeys.push({ pubkey: k.pubkey, privateKey: k.privateKey });
          out.derivations.push({
            pubkey: k.pubkey,
            origin: { fingerprint: k.origin.fingerprint, path: [...k.origin.path] },
          });
        }
      }
    }
  }
}

export function solvingDataFromDescriptors(value: unknown, network: NetworkParams): SolvingData {
  const out: SolvingData = { redeemScripts: [], witnessScripts: [], derivations: [], privateKeys: [] };
  if (value === null || value === undefined) return out;
  if (!Array.isArray(value)) throw typeError(value, 'array');
  for (const item of value) addDescriptor(item, network, out);
  return out;
}
