import { MAX_BIP125_RBF_SEQUENCE, TX_MAX_STANDARD_VERSION } from '../../policy/constants.js';
import { signalsOptInRbf } from '../../policy/rbf.js';
import type { AddressPrefixes } from '../../script/address.js';
import { OutPoint } from '../../primitives/outpoint.js';
import { Transaction } from '../../primitives/transaction.js';
import { SEQUENCE_FINAL, TxIn } from '../../primitives/txin.js';
import { TxOut } from '../../primitives/txout.js';
import { nullData } from '../../script/templates.js';
import { isJsonObject, toInt32 } from '../args.js';
import { decodeDestination } from '../destination.js';
import { RpcError, RpcErrorCode, typeError } from '../errors.js';
import { amountFromValue, parseHash, parseHex } from '../params.js';

/**
 * Core's ConstructTransaction (rpc/rawtransaction_util.cpp) for createpsbt and the wallet's
 * walletcreatefundedpsbt: inputs, outputs (an object or an array of one-key objects), locktime,
 * replaceability and version, with Core's argument errors.
 */

const MAX_SEQUENCE_NONFINAL = 0xfffffffe;
const LOCKTIME_MAX = 0xffffffff;
/** Core 29's TX_MIN_STANDARD_VERSION; the upper bound is policy's TX_MAX_STANDARD_VERSION. */
const TX_MIN_STANDARD_VERSION = 1;

export interface RawInput {
  readonly prevout: OutPoint;
  readonly sequence: number | undefined;
}

export interface RawOutput {
  readonly script: Uint8Array;
  readonly value: number;
  /** The address as given; undefined for the `data` output. */
  readonly address: string | undefined;
}

const invalid = (message: string) => new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, message);

/** UniValue getInt<int64_t> as the RPC layer can see it: a safe integer, else a Core-like error. */
function int64(v: unknown): number {
  if (typeof v !== 'number') throw typeError(v, 'number');
  if (!Number.isSafeInteger(v)) throw new RpcError(RpcErrorCode.RPC_MISC_ERROR, 'JSON integer out of range');
  return v;
}

export function parseRawInputs(value: unknown): RawInput[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw typeError(value, 'array');
  return value.map((input) => {
    if (!isJsonObject(input)) throw typeError(input, 'object');
    const txid = parseHash(input.txid ?? null, 'txid');
    const vout = input.vout;
    if (typeof vout !== 'number') throw invalid('Invalid parameter, missing vout key');
    const n = toInt32(vout);
    if (n < 0) throw invalid('Invalid parameter, vout cannot be negative');
    let sequence: number | undefined;
    if (typeof input.sequence === 'number') {
      const seq = int64(input.sequence);
      if (seq < 0 || seq > SEQUENCE_FINAL)
        throw invalid('Invalid parameter, sequence number is out of range');
      sequence = seq;
    }
    return { prevout: new OutPoint(txid, n), sequence };
  });
}

/** Core's NormalizeOutputs + ParseOutputs: the outputs in the order given, duplicates refused. */
export function parseRawOutputs(value: unknown, prefixes: AddressPrefixes): RawOutput[] {
  let pairs: [string, unknown][];
  if (isJsonObject(value)) pairs = Object.entries(value);
  else if (Array.isArray(value)) {
    pairs = value.map((item) => {
      if (!isJsonObject(item)) throw invalid('Invalid parameter, key-value pair not an object as expected');
      const entries = Object.entries(item);
      if (entries.length !== 1)
        throw invalid('Invalid parameter, key-value pair must contain exactly one key');
      return entries[0]!;
    });
  } else if (value === null || value === undefined) {
    throw invalid('Invalid parameter, output argument must be non-null');
  } else throw typeError(value, 'array');

  const seen = new Set<string>();
  let hasData = false;
  return pairs.map(([name, amount]): RawOutput => {
    if (name === 'data') {
      if (hasData) throw invalid('Invalid parameter, duplicate key: data');
      hasData = true;
      // getValStr: a number's text, the empty string for other non-strings.
      const text = typeof amount === 'string' ? amount : typeof amount === 'number' ? String(amount) : '';
      return { script: nullData(parseHex(text, 'Data')), value: 0, address: undefined };
    }
    const sats = amountFromValue(amount);
    const decoded = decodeDestination(name, prefixes);
    if (!decoded.ok) {
      throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, `Invalid Bitcoin address: ${name}`);
    }
    const key = Buffer.from(decoded.destination.script).toString('hex');
    if (seen.has(key)) throw invalid(`Invalid parameter, duplicated address: ${name}`);
    seen.add(key);
    return { script: decoded.destination.script, value: sats, address: name };
  });
}

export function parseLocktime(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const n = int64(value);
  if (n < 0 || n > LOCKTIME_MAX) throw invalid('Invalid parameter, locktime out of range');
  return n;
}

export function parseTxVersion(value: unknown): number {
  if (value === null || value === undefined) return 2;
  const n = int64(value);
  if (n < TX_MIN_STANDARD_VERSION || n > TX_MAX_STANDARD_VERSION) {
    throw invalid(
      `Invalid parameter, version out of range(${TX_MIN_STANDARD_VERSION}~${TX_MAX_STANDARD_VERSION})`,
    );
  }
  return n;
}

/**
 * The unsigned transaction. `rbf` undefined means "not given": the default sequence still signals
 * RBF (Core's rbf.value_or(true)), but only an explicit `true` is checked against explicit sequences.
 */
export function constructTransaction(
  inputs: readonly RawInput[],
  outputs: readonly RawOutput[],
  locktime: number,
  rbf: boolean | undefined,
  version = 2,
): Transaction {
  const defaultSequence =
    (rbf ?? true) ? MAX_BIP125_RBF_SEQUENCE : locktime !== 0 ? MAX_SEQUENCE_NONFINAL : SEQUENCE_FINAL;
  const txins = inputs.map((i) => new TxIn(i.prevout, new Uint8Array(0), i.sequence ?? defaultSequence));
  const txouts = outputs.map((o) => new TxOut(o.value, o.script));
  const tx = new Transaction(version, txins, txouts, locktime);
  if (rbf === true && txins.length > 0 && !signalsOptInRbf(tx)) {
    throw invalid('Invalid parameter combination: Sequence number(s) contradict replaceable option');
  }
  return tx;
}
