import { compareBytes } from '../../encoding/bytes.js';
import type { BufferWriter } from '../../encoding/writer.js';
import { PsbtError } from './errors.js';
import {
  copyRaw,
  decodeBip32Derivation,
  decodeFixed,
  decodeProprietary,
  decodeTapBip32Derivation,
  decodeTapTree,
  encodeKeyOriginValue,
  encodeTapBip32Value,
  encodeTapTree,
  sortedRaw,
} from './field-codec.js';
import { expectKeySize, type MapRecord, makeKey, writeRecord } from './key-value.js';
import {
  type Bip32Derivation,
  OutputType,
  type RawRecord,
  type TapBip32Derivation,
  type TapTreeLeaf,
} from './types.js';

/**
 * One output map of a PSBT: what a signer needs to recognise its own change (scripts and key
 * paths, BIP174 "Change Detection"), plus records kept as bytes.
 */
export class PsbtOutput {
  redeemScript: Uint8Array | undefined;
  witnessScript: Uint8Array | undefined;
  bip32Derivations: Bip32Derivation[] = [];
  tapInternalKey: Uint8Array | undefined;
  tapTree: TapTreeLeaf[] | undefined;
  tapBip32Derivations: TapBip32Derivation[] = [];
  proprietary: RawRecord[] = [];
  unknown: RawRecord[] = [];
}

function applyRecord(output: PsbtOutput, record: MapRecord): void {
  switch (record.type) {
    case OutputType.REDEEM_SCRIPT:
      expectKeySize(record, 1, 'Output redeemScript');
      output.redeemScript = record.value.slice();
      return;
    case OutputType.WITNESS_SCRIPT:
      expectKeySize(record, 1, 'Output witnessScript');
      output.witnessScript = record.value.slice();
      return;
    case OutputType.BIP32_DERIVATION:
      output.bip32Derivations.push(decodeBip32Derivation(record));
      return;
    case OutputType.AMOUNT:
      throw new PsbtError('field-not-allowed', 'Output amount is not allowed in PSBTv0');
    case OutputType.SCRIPT:
      throw new PsbtError('field-not-allowed', 'Output script is not allowed in PSBTv0');
    case OutputType.TAP_INTERNAL_KEY:
      output.tapInternalKey = decodeFixed(record, 32, 'Output Taproot Internal Key');
      return;
    case OutputType.TAP_TREE:
      expectKeySize(record, 1, 'Output Taproot Tree Key');
      output.tapTree = decodeTapTree(record.value);
      return;
    case OutputType.TAP_BIP32_DERIVATION:
      output.tapBip32Derivations.push(decodeTapBip32Derivation(record, 'Output'));
      return;
    case OutputType.PROPRIETARY:
      output.proprietary.push(decodeProprietary(record));
      return;
    default:
      output.unknown.push(copyRaw(record));
  }
}

export function decodeOutputMap(records: readonly MapRecord[]): PsbtOutput {
  const output = new PsbtOutput();
  for (const record of records) applyRecord(output, record);
  return output;
}

/**
 * Core's PSBTOutput::Serialize order. Core writes proprietary records before the taproot fields
 * (unlike the input map); we follow it so both produce the same bytes.
 */
export function encodeOutputMap(w: BufferWriter, output: PsbtOutput): void {
  if (output.redeemScript !== undefined) {
    writeRecord(w, makeKey(OutputType.REDEEM_SCRIPT), output.redeemScript);
  }
  if (output.witnessScript !== undefined) {
    writeRecord(w, makeKey(OutputType.WITNESS_SCRIPT), output.witnessScript);
  }
  for (const d of [...output.bip32Derivations].sort((a, b) => compareBytes(a.pubkey, b.pubkey))) {
    writeRecord(w, makeKey(OutputType.BIP32_DERIVATION, d.pubkey), encodeKeyOriginValue(d));
  }
  for (const record of sortedRaw(output.proprietary)) writeRecord(w, record.key, record.value);
  if (output.tapInternalKey !== undefined) {
    writeRecord(w, makeKey(OutputType.TAP_INTERNAL_KEY), output.tapInternalKey);
  }
  if (output.tapTree !== undefined) {
    writeRecord(w, makeKey(OutputType.TAP_TREE), encodeTapTree(output.tapTree));
  }
  for (const d of [...output.tapBip32Derivations].sort((a, b) => compareBytes(a.xonly, b.xonly))) {
    writeRecord(w, makeKey(OutputType.TAP_BIP32_DERIVATION, d.xonly), encodeTapBip32Value(d));
  }
  for (const record of sortedRaw(output.unknown)) writeRecord(w, record.key, record.value);
  w.u8(0);
}
