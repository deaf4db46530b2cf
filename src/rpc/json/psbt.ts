import { moneyRange } from '../../consensus/subsidy.js';
import { base58CheckEncode } from '../../encoding/base58.js';
import { toHex } from '../../encoding/hex.js';
import { toAsm } from '../../script/asm.js';
import type { AddressPrefixes } from '../../script/address.js';
import { SIGHASH_NAMES } from '../../script/sig-encoding.js';
import { classifyScript } from '../../script/templates.js';
import { formatPath } from '../../wallet/keys/path-string.js';
import type { PsbtAnalysis } from '../../wallet/psbt/analyzer.js';
import type { Psbt } from '../../wallet/psbt/psbt.js';
import type { KeyOrigin, RawRecord, TapBip32Derivation } from '../../wallet/psbt/types.js';
import { Amount } from './amount.js';
import { scriptPubKeyJson, transactionJson } from './transaction.js';

/**
 * decodepsbt and analyzepsbt results in bitcoind's shape (rpc/rawtransaction.cpp decodepsbt,
 * analyzepsbt): the same keys in the same order, optional members only when the PSBT has them, so
 * tools that read bitcoind's output read Tally's.
 */

type Json = Record<string, unknown>;

/**
 * Core's SighashToStr (mapSigHashTypes): the names asm decodes plus DEFAULT (0, taproot's implicit
 * ALL); an undefined type prints as the empty string.
 */
const SIGHASH_STRINGS: ReadonlyMap<number, string> = new Map([[0x00, 'DEFAULT'], ...SIGHASH_NAMES]);

export function sighashToString(type: number): string {
  return SIGHASH_STRINGS.get(type) ?? '';
}

/** Core's ParseSighashString: the names above; undefined for anything else. */
export function sighashFromString(name: string): number | undefined {
  for (const [type, text] of SIGHASH_STRINGS) if (text === name) return type;
  return undefined;
}

/** Core's ScriptToUniv without address: asm, hex, type (redeem and witness scripts). */
function scriptJson(script: Uint8Array): Json {
  return { asm: toAsm(script), hex: toHex(script), type: classifyScript(script).type };
}

function fingerprintHex(origin: KeyOrigin): string {
  return toHex(origin.fingerprint);
}

/** WriteHDKeypath: Core prints hardened steps with 'h' since v23. */
function pathText(origin: KeyOrigin): string {
  return formatPath(origin.path, 'h');
}

function derivationsJson(list: readonly { pubkey: Uint8Array; origin: KeyOrigin }[]): Json[] {
  return list.map((d) => ({
    pubkey: toHex(d.pubkey),
    master_fingerprint: fingerprintHex(d.origin),
    path: pathText(d.origin),
  }));
}

/** Taproot derivations: the x-only key and the leaves it signs for, besides its origin. */
function tapDerivationsJson(list: readonly TapBip32Derivation[]): Json[] {
  return list.map((d) => ({
    pubkey: toHex(d.xonly),
    master_fingerprint: fingerprintHex(d.origin),
    path: pathText(d.origin),
    leaf_hashes: d.leafHashes.map(toHex),
  }));
}

/** A proprietary record's key: 0xfc, compact-size identifier length, identifier, subtype, key. */
function proprietaryJson(records: readonly RawRecord[]): Json[] {
  return records.map((r) => {
    // The key starts with its type byte (0xfc); the identifier length is a compact size.
    let pos = 1;
    let len = r.key[pos]!;
    pos += 1;
    if (len === 0xfd) {
      len = r.key[pos]! | (r.key[pos + 1]! << 8);
      pos += 2;
    }
    const identifier = r.key.subarray(pos, pos + len);
    pos += len;
    // The subtype is a compact size too; values below 0xfd are one byte.
    const subtype = r.key[pos] ?? 0;
    return {
      identifier: toHex(identifier),
      subtype,
      key: toHex(r.key.subarray(pos + 1)),
      value: toHex(r.value),
    };
  });
}

function unknownJson(records: readonly RawRecord[]): Json {
  const out: Json = {};
  for (const r of records) out[toHex(r.key)] = toHex(r.value);
  return out;
}

function preimagesJson(list: readonly { hash: Uint8Array; preimage: Uint8Array }[]): Json {
  const out: Json = {};
  for (const p of list) out[toHex(p.hash)] = toHex(p.preimage);
  return out;
}

function inputJson(psbt: Psbt, i: number, prefixes: AddressPrefixes): Json {
  const input = psbt.inputs[i]!;
  const json: Json = {};
  if (input.witnessUtxo !== undefined) {
    json.witness_utxo = {
      amount: new Amount(input.witnessUtxo.value),
      scriptPubKey: scriptPubKeyJson(input.witnessUtxo.scriptPubKey, prefixes),
    };
  }
  if (input.nonWitnessUtxo !== undefined) {
    json.non_witness_utxo = transactionJson(input.nonWitnessUtxo, prefixes);
  }
  if (input.partialSigs.length > 0) {
    const sigs: Json = {};
    for (const s of input.partialSigs) sigs[toHex(s.pubkey)] = toHex(s.signature);
    json.partial_signatures = sigs;
  }
  if (input.sighashType !== undefined) json.sighash = sighashToString(input.sighashType & 0xff);
  if (input.redeemScript !== undefined) json.redeem_script = scriptJson(input.redeemScript);
  if (input.witnessScript !== undefined) json.witness_script = scriptJson(input.witnessScript);
  if (input.bip32Derivations.length > 0) json.bip32_derivs = derivationsJson(input.bip32Derivations);
  if (input.finalScriptSig !== undefined) {
    json.final_scriptSig = { asm: toAsm(input.finalScriptSig, true), hex: toHex(input.finalScriptSig) };
  }
  if (input.finalScriptWitness !== undefined) json.final_scriptwitness = input.finalScriptWitness.map(toHex);
  for (const kind of ['ripemd160', 'sha256', 'hash160', 'hash256'] as const) {
    if (input.preimages[kind].length > 0) json[`${kind}_preimages`] = preimagesJson(input.preimages[kind]);
  }
  if (input.tapKeySig !== undefined) json.taproot_key_path_sig = toHex(input.tapKeySig);
  if (input.tapScriptSigs.length > 0) {
    json.taproot_script_path_sigs = input.tapScriptSigs.map((s) => ({
      pubkey: toHex(s.xonly),
      leaf_hash: toHex(s.leafHash),
      sig: toHex(s.signature),
    }));
  }
  if (input.tapLeafScripts.length > 0) {
    // Core groups control blocks by (script, leaf version).
    const groups = new Map<string, Json & { control_blocks: string[] }>();
    for (const leaf of input.tapLeafScripts) {
      const key = `${toHex(leaf.script)}/${leaf.leafVersion}`;
      let group = groups.get(key);
      if (group === undefined) {
        group = { script: toHex(leaf.script), leaf_ver: leaf.leafVersion, control_blocks: [] };
        groups.set(key, group);
      }
      group.control_blocks.push(toHex(leaf.controlBlock));
    }
    json.taproot_scripts = [...groups.values()];
  }
  if (input.tapBip32Derivations.length > 0) {
    json.taproot_bip32_derivs = tapDerivationsJson(input.tapBip32Derivations);
  }
  if (input.tapInternalKey !== undefined) json.taproot_internal_key = toHex(input.tapInternalKey);
  if (input.tapMerkleRoot !== undefined) json.taproot_merkle_root = toHex(input.tapMerkleRoot);
  if (input.proprietary.length > 0) json.proprietary = proprietaryJson(input.proprietary);
  if (input.unknown.length > 0) json.unknown = unknownJson(input.unknown);
  return json;
}

function outputJson(psbt: Psbt, i: number): Json {
  const output = psbt.outputs[i]!;
  const json: Json = {};
  if (output.redeemScript !== undefined) json.redeem_script = scriptJson(output.redeemScript);
  if (output.witnessScript !== undefined) json.witness_script = scriptJson(output.witnessScript);
  if (output.bip32Derivations.length > 0) json.bip32_derivs = derivationsJson(output.bip32Derivations);
  if (output.tapInternalKey !== undefined) json.taproot_internal_key = toHex(output.tapInternalKey);
  if (output.tapTree !== undefined && output.tapTree.length > 0) {
    json.taproot_tree = output.tapTree.map((l) => ({
      depth: l.depth,
      leaf_ver: l.leafVersion,
      script: toHex(l.script),
    }));
  }
  if (output.tapBip32Derivations.length > 0) {
    json.taproot_bip32_derivs = tapDerivationsJson(output.tapBip32Derivations);
  }
  if (output.proprietary.length > 0) json.proprietary = proprietaryJson(output.proprietary);
  if (output.unknown.length > 0) json.unknown = unknownJson(output.unknown);
  return json;
}

/** The fee when every input's UTXO is known and every amount is in range (Core's decodepsbt). */
function psbtFee(psbt: Psbt): number | undefined {
  let totalIn = 0;
  for (let i = 0; i < psbt.inputs.length; i++) {
    const input = psbt.inputs[i]!;
    const prevout = psbt.unsignedTx.inputs[i]!.prevout;
    // As Core: the non-witness UTXO's output wins when both are present.
    const utxo = input.nonWitnessUtxo?.outputs[prevout.index] ?? input.witnessUtxo;
    if (utxo === undefined || !moneyRange(utxo.value) || !moneyRange(totalIn + utxo.value)) return undefined;
    totalIn += utxo.value;
  }
  let totalOut = 0;
  for (const out of psbt.unsignedTx.outputs) {
    if (!moneyRange(out.value) || !moneyRange(totalOut + out.value)) return undefined;
    totalOut += out.value;
  }
  return totalIn - totalOut;
}

export function decodePsbtJson(psbt: Psbt, prefixes: AddressPrefixes): Json {
  const json: Json = {
    tx: transactionJson(psbt.unsignedTx, prefixes),
    global_xpubs: psbt.xpubs.map((x) => ({
      xpub: base58CheckEncode(x.xpub),
      master_fingerprint: fingerprintHex(x.origin),
      path: pathText(x.origin),
    })),
    psbt_version: psbt.version ?? 0,
    proprietary: proprietaryJson(psbt.proprietary),
    unknown: unknownJson(psbt.unknown),
    inputs: psbt.inputs.map((_, i) => inputJson(psbt, i, prefixes)),
    outputs: psbt.outputs.map((_, i) => outputJson(psbt, i)),
  };
  const fee = psbtFee(psbt);
  if (fee !== undefined) json.fee = new Amount(fee);
  return json;
}

/** analyzepsbt's result (Core: inputs only when there are any, optional members when known). */
export function analyzePsbtJson(analysis: PsbtAnalysis): Json {
  const json: Json = {};
  const inputs = analysis.inputs.map((input) => {
    const entry: Json = { has_utxo: input.hasUtxo, is_final: input.isFinal, next: input.next };
    const m = input.missing;
    if (m !== undefined) {
      const missing: Json = {};
      if (m.pubkeys.length > 0) missing.pubkeys = m.pubkeys.map(toHex);
      if (m.redeemScript !== undefined) missing.redeemscript = toHex(m.redeemScript);
      if (m.witnessScript !== undefined) missing.witnessscript = toHex(m.witnessScript);
      if (m.signatures.length > 0) missing.signatures = m.signatures.map(toHex);
      if (Object.keys(missing).length > 0) entry.missing = missing;
    }
    return entry;
  });
  if (inputs.length > 0) json.inputs = inputs;
  if (analysis.estimatedVsize !== undefined) json.estimated_vsize = analysis.estimatedVsize;
  if (analysis.estimatedFeeRate !== undefined) json.estimated_feerate = new Amount(analysis.estimatedFeeRate);
  if (analysis.fee !== undefined) json.fee = new Amount(analysis.fee);
  json.next = analysis.next;
  if (analysis.error !== undefined) json.error = analysis.error;
  return json;
}
