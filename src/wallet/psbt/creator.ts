import { DecodeError } from '../../encoding/errors.js';
import { fromDisplayHex } from '../../encoding/hex.js';
import { moneyRange } from '../../consensus/subsidy.js';
import { OutPoint } from '../../primitives/outpoint.js';
import { Transaction } from '../../primitives/transaction.js';
import { SEQUENCE_FINAL, TxIn } from '../../primitives/txin.js';
import { TxOut } from '../../primitives/txout.js';
import { PsbtError } from './errors.js';
import { Psbt } from './psbt.js';
import { stripTransaction } from './tx-codec.js';

/**
 * The BIP174 Creator, as Core's createpsbt: an unsigned transaction from outpoints and outputs,
 * wrapped in a PSBT with empty maps. Addresses are resolved by the caller (the RPC layer knows the
 * network); here outputs are scripts.
 */

export interface CreatorInput {
  /** The txid as Bitcoin shows it (byte-reversed hex). */
  txid: string;
  vout: number;
  /** Default as Core's createrawtransaction: see `replaceable` and `locktime`. */
  sequence?: number;
}

export interface CreatorOutput {
  script: Uint8Array;
  /** Satoshis. */
  value: number;
}

export interface CreatorOptions {
  locktime?: number;
  /** Transaction version; default 2 like Core's createrawtransaction. */
  version?: number;
  /**
   * Signal BIP125 replaceability with sequence 0xfffffffd on inputs without an explicit one.
   * Default false here; Core's RPC defaults differ between versions, so the RPC layer passes it.
   */
  replaceable?: boolean;
}

const MAX_BIP125_RBF_SEQUENCE = 0xfffffffd;
/** Core's CTxIn::MAX_SEQUENCE_NONFINAL: the highest sequence that still enables nLockTime. */
const MAX_SEQUENCE_NONFINAL = 0xfffffffe;

const isUint32 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;

function parseTxid(txid: string): Uint8Array {
  try {
    return fromDisplayHex(txid);
  } catch (error) {
    if (error instanceof DecodeError)
      throw new PsbtError('bad-argument', 'txid must be hexadecimal string of 64 characters');
    throw error;
  }
}

export function createPsbt(
  inputs: readonly CreatorInput[],
  outputs: readonly CreatorOutput[],
  options: CreatorOptions = {},
): Psbt {
  const locktime = options.locktime ?? 0;
  if (!isUint32(locktime)) throw new PsbtError('bad-argument', 'Invalid parameter, locktime out of range');
  const version = options.version ?? 2;
  if (!isUint32(version)) throw new PsbtError('bad-argument', 'Invalid parameter, version out of range');
  // Core's ConstructTransaction: RBF signalling, else a sequence that keeps nLockTime enforced.
  const defaultSequence = options.replaceable
    ? MAX_BIP125_RBF_SEQUENCE
    : locktime !== 0
      ? MAX_SEQUENCE_NONFINAL
      : SEQUENCE_FINAL;
  const seen = new Set<string>();
  const txins = inputs.map(({ txid, vout, sequence }) => {
    if (!isUint32(vout)) throw new PsbtError('bad-argument', 'Invalid parameter, vout cannot be negative');
    if (sequence !== undefined && !isUint32(sequence)) {
      throw new PsbtError('bad-argument', 'Invalid parameter, sequence number is out of range');
    }
    const prevout = new OutPoint(parseTxid(txid), vout);
    // A transaction spending one outpoint twice is invalid (CVE-2018-17144 was the node missing that).
    if (seen.has(prevout.key()))
      throw new PsbtError('bad-argument', `Invalid parameter, duplicated input: ${prevout}`);
    seen.add(prevout.key());
    return new TxIn(prevout, new Uint8Array(0), sequence ?? defaultSequence);
  });
  const txouts = outputs.map(({ script, value }) => {
    if (!moneyRange(value)) throw new PsbtError('bad-argument', 'Invalid amount');
    return new TxOut(value, script.slice());
  });
  return new Psbt(new Transaction(version, txins, txouts, locktime));
}

/**
 * Core's converttopsbt: a PSBT for an existing transaction. Its scriptSigs and witnesses must be
 * empty unless `dropSignatures` is set, which discards them (the PSBT then needs signing again).
 */
export function psbtFromTransaction(tx: Transaction, dropSignatures = false): Psbt {
  const signed = tx.inputs.some((input) => input.scriptSig.length > 0 || input.witness.length > 0);
  if (signed && !dropSignatures) {
    throw new PsbtError('bad-unsigned-tx', 'Inputs must not have scriptSigs and scriptWitnesses');
  }
  return new Psbt(stripTransaction(tx));
}
