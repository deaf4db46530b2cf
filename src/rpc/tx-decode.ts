import { DecodeError } from '../encoding/errors.js';
import { fromHex } from '../encoding/hex.js';
import { BufferReader } from '../encoding/reader.js';
import { OutPoint } from '../primitives/outpoint.js';
import { Transaction } from '../primitives/transaction.js';
import { TxIn } from '../primitives/txin.js';
import { TxOut } from '../primitives/txout.js';
import { Op } from '../script/opcodes.js';
import { MAX_SCRIPT_ELEMENT_SIZE, MAX_SCRIPT_SIZE, ScriptCursor } from '../script/script.js';

/**
 * Core's DecodeHexTx (core_read.cpp). Bytes starting `<version> 00 01` read either as a segwit
 * transaction (marker and flag) or as a legacy one with no inputs and one output; Core tries both,
 * keeps those that consume every byte, and prefers the one whose scripts are sane. Both readings
 * matter to decoderawtransaction users holding unsigned zero-input transactions (fundrawtransaction
 * templates), which Tally's consensus decoder alone would read as segwit and reject.
 */
export function decodeTransactionHex(
  hex: string,
  { tryNoWitness = true, tryWitness = true }: { tryNoWitness?: boolean; tryWitness?: boolean } = {},
): Transaction | undefined {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) return undefined;
  const bytes = fromHex(hex);
  const extended = tryWitness ? attempt(() => Transaction.decode(bytes)) : undefined;
  if (extended !== undefined && scriptsSane(extended)) return extended;
  const legacy = tryNoWitness ? attempt(() => decodeLegacy(bytes)) : undefined;
  if (legacy !== undefined && scriptsSane(legacy)) return legacy;
  return extended ?? legacy;
}

function attempt(decode: () => Transaction): Transaction | undefined {
  try {
    return decode();
  } catch (err) {
    if (err instanceof DecodeError || err instanceof RangeError) return undefined;
    throw err;
  }
}

/** Serialization without the BIP144 marker: an empty input list is just that. */
function decodeLegacy(bytes: Uint8Array): Transaction {
  const r = new BufferReader(bytes);
  const version = r.u32();
  const nIn = r.compactSize();
  if (nIn * 41 > r.remaining) throw new DecodeError('truncated', 'input count exceeds remaining bytes');
  const inputs: TxIn[] = [];
  for (let i = 0; i < nIn; i++) {
    const prevout = OutPoint.read(r);
    const scriptSig = r.varBytes();
    inputs.push(new TxIn(prevout, scriptSig, r.u32()));
  }
  const nOut = r.compactSize();
  if (nOut * 9 > r.remaining) throw new DecodeError('truncated', 'output count exceeds remaining bytes');
  const outputs: TxOut[] = [];
  for (let i = 0; i < nOut; i++) {
    const raw = r.i64();
    const value = Number(raw);
    outputs.push(new TxOut(value, r.varBytes(), Number.isSafeInteger(value) ? undefined : raw));
  }
  const tx = new Transaction(version, inputs, outputs, r.u32());
  r.end();
  return tx;
}

/** Core's CScript::HasValidOps: every instruction parses, is a known opcode, pushes ≤ 520 bytes. */
export function hasValidOps(script: Uint8Array): boolean {
  const c = new ScriptCursor(script);
  while (!c.done) {
    if (!c.next() || c.op > Op.OP_NOP10 || c.dataLength > MAX_SCRIPT_ELEMENT_SIZE) return false;
  }
  return true;
}

/** Core's CheckTxScriptsSanity. */
function scriptsSane(tx: Transaction): boolean {
  if (!tx.isCoinbase()) {
    for (const input of tx.inputs) {
      if (!hasValidOps(input.scriptSig) || input.scriptSig.length > MAX_SCRIPT_SIZE) return false;
    }
  }
  for (const output of tx.outputs) {
    if (!hasValidOps(output.scriptPubKey) || output.scriptPubKey.length > MAX_SCRIPT_SIZE) return false;
  }
  return true;
}
