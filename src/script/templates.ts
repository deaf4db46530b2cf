import { hash160, sha256 } from '../crypto/hash.js';
import { decodeOpN, encodeOpN, Op } from './opcodes.js';
import {
  checkMinimalPush,
  isPayToScriptHash,
  isPushOnly,
  isWitnessProgram,
  MAX_PUBKEYS_PER_MULTISIG,
  pushData,
  ScriptBuilder,
  ScriptCursor,
} from './script.js';
import { decodeScriptNum } from './script-num.js';

/**
 * Standard output templates: recognition with Core's Solver (script/solver.cpp) and builders.
 * The type names are Core's GetTxnOutputType strings, as RPC shows them.
 */
export type ScriptType =
  | 'nonstandard'
  | 'pubkey'
  | 'pubkeyhash'
  | 'scripthash'
  | 'multisig'
  | 'nulldata'
  | 'witness_v0_keyhash'
  | 'witness_v0_scripthash'
  | 'witness_v1_taproot'
  | 'anchor'
  | 'witness_unknown';

export type ClassifiedScript =
  | { type: 'nonstandard' }
  | { type: 'nulldata' }
  | { type: 'pubkey'; pubkey: Uint8Array }
  | { type: 'pubkeyhash'; hash: Uint8Array }
  | { type: 'scripthash'; hash: Uint8Array }
  | { type: 'multisig'; required: number; pubkeys: Uint8Array[] }
  | { type: 'witness_v0_keyhash'; program: Uint8Array }
  | { type: 'witness_v0_scripthash'; program: Uint8Array }
  | { type: 'witness_v1_taproot'; program: Uint8Array }
  | { type: 'anchor'; program: Uint8Array }
  | { type: 'witness_unknown'; version: number; program: Uint8Array };

/** CPubKey::ValidSize: the length its header byte promises (hybrid 06/07 included, as Core). */
function isValidPubkeySize(key: Uint8Array): boolean {
  const h = key[0];
  if (h === 2 || h === 3) return key.length === 33;
  if (h === 4 || h === 6 || h === 7) return key.length === 65;
  return false;
}

/** BIP-less "pay to anchor" (Core 28): OP_1 <0x4e73>, the keyless ephemeral anchor output. */
function isPayToAnchor(script: Uint8Array): boolean {
  return (
    script.length === 4 &&
    script[0] === Op.OP_1 &&
    script[1] === 2 &&
    script[2] === 0x4e &&
    script[3] === 0x73
  );
}

/** Core's GetScriptNumber for multisig counts: OP_1..OP_16 or a minimal number push in [min, max]. */
function multisigCount(c: ScriptCursor, min: number, max: number): number | null {
  let n: number | undefined;
  if (c.op >= Op.OP_1 && c.op <= Op.OP_16) n = decodeOpN(c.op);
  else if (c.op > Op.OP_0 && c.op <= Op.OP_PUSHDATA4) {
    const data = c.data();
    if (!checkMinimalPush(data, c.op)) return null;
    n = decodeScriptNum(data, true);
  }
  return n !== undefined && n >= min && n <= max ? n : null;
}

function matchMultisig(script: Uint8Array): { required: number; pubkeys: Uint8Array[] } | null {
  if (script.length < 1 || script[script.length - 1] !== Op.OP_CHECKMULTISIG) return null;
  const c = new ScriptCursor(script);
  if (!c.next()) return null;
  const required = multisigCount(c, 1, MAX_PUBKEYS_PER_MULTISIG);
  if (required === null) return null;
  const pubkeys: Uint8Array[] = [];
  let ok = c.next();
  while (ok && isValidPubkeySize(c.data())) {
    pubkeys.push(c.data());
    ok = c.next();
  }
  if (!ok) return null;
  const count = multisigCount(c, required, MAX_PUBKEYS_PER_MULTISIG);
  if (count === null || pubkeys.length !== count) return null;
  // Only OP_CHECKMULTISIG may follow.
  return c.pos + 1 === script.length ? { required, pubkeys } : null;
}

/** Core's Solver: which standard template `script` matches, with the data it carries. */
export function classifyScript(script: Uint8Array): ClassifiedScript {
  if (isPayToScriptHash(script)) return { type: 'scripthash', hash: script.subarray(2, 22) };
  const wp = isWitnessProgram(script);
  if (wp !== null) {
    const { version, program } = wp;
    if (version === 0 && program.length === 20) return { type: 'witness_v0_keyhash', program };
    if (version === 0 && program.length === 32) return { type: 'witness_v0_scripthash', program };
    if (version === 1 && program.length === 32) return { type: 'witness_v1_taproot', program };
    if (isPayToAnchor(script)) return { type: 'anchor', program };
    if (version !== 0) return { type: 'witness_unknown', version, program };
    return { type: 'nonstandard' };
  }
  // Provably unspendable data carrier: OP_RETURN followed by pushes only.
  if (script.length >= 1 && script[0] === Op.OP_RETURN && isPushOnly(script, 1)) return { type: 'nulldata' };
  const n = script.length;
  if (
    ((n === 35 && script[0] === 33) || (n === 67 && script[0] === 65)) &&
    script[n - 1] === Op.OP_CHECKSIG &&
    isValidPubkeySize(script.subarray(1, n - 1))
  ) {
    return { type: 'pubkey', pubkey: script.subarray(1, n - 1) };
  }
  if (
    n === 25 &&
    script[0] === Op.OP_DUP &&
    script[1] === Op.OP_HASH160 &&
    script[2] === 20 &&
    script[23] === Op.OP_EQUALVERIFY &&
    script[24] === Op.OP_CHECKSIG
  ) {
    return { type: 'pubkeyhash', hash: script.subarray(3, 23) };
  }
  const multisig = matchMultisig(script);
  if (multisig !== null) return { type: 'multisig', ...multisig };
  return { type: 'nonstandard' };
}

// Builders. They produce the canonical encodings Core's GetScriptForDestination writes.

export function p2pk(pubkey: Uint8Array): Uint8Array {
  return new ScriptBuilder().push(pubkey).op(Op.OP_CHECKSIG).build();
}

export function p2pkh(pubkeyHash: Uint8Array): Uint8Array {
  if (pubkeyHash.length !== 20) throw new RangeError('P2PKH needs a 20-byte hash');
  return new ScriptBuilder()
    .op(Op.OP_DUP, Op.OP_HASH160)
    .push(pubkeyHash)
    .op(Op.OP_EQUALVERIFY, Op.OP_CHECKSIG)
    .build();
}

export function p2sh(scriptHash: Uint8Array): Uint8Array {
  if (scriptHash.length !== 20) throw new RangeError('P2SH needs a 20-byte hash');
  return new ScriptBuilder().op(Op.OP_HASH160).push(scriptHash).op(Op.OP_EQUAL).build();
}

/** P2SH output for a redeem script (BIP16: HASH160 of the script). */
export function p2shOfScript(redeemScript: Uint8Array): Uint8Array {
  return p2sh(hash160(redeemScript));
}

/** Bare m-of-n CHECKMULTISIG (Core's GetScriptForMultisig: counts above 16 become number pushes). */
export function multisig(required: number, pubkeys: readonly Uint8Array[]): Uint8Array {
  const n = pubkeys.length;
  if (!Number.isInteger(required) || required < 1 || required > n || n > MAX_PUBKEYS_PER_MULTISIG) {
    throw new RangeError(`invalid multisig ${required}-of-${n}`);
  }
  const b = new ScriptBuilder().int(required);
  for (const key of pubkeys) b.push(key);
  return b.int(n).op(Op.OP_CHECKMULTISIG).build();
}

/** Segwit output of any version 0..16 (BIP141/BIP350). */
export function witnessProgram(version: number, program: Uint8Array): Uint8Array {
  if (program.length < 2 || program.length > 40) throw new RangeError('witness program must be 2..40 bytes');
  return new ScriptBuilder().op(encodeOpN(version)).push(program).build();
}

export function p2wpkh(pubkeyHash: Uint8Array): Uint8Array {
  if (pubkeyHash.length !== 20) throw new RangeError('P2WPKH needs a 20-byte hash');
  return witnessProgram(0, pubkeyHash);
}

export function p2wsh(scriptHash: Uint8Array): Uint8Array {
  if (scriptHash.length !== 32) throw new RangeError('P2WSH needs a 32-byte hash');
  return witnessProgram(0, scriptHash);
}

/** P2WSH output for a witness script (BIP141: single SHA256 of the script). */
export function p2wshOfScript(witnessScript: Uint8Array): Uint8Array {
  return p2wsh(sha256(witnessScript));
}

export function p2tr(outputKey: Uint8Array): Uint8Array {
  if (outputKey.length !== 32) throw new RangeError('P2TR needs a 32-byte x-only key');
  return witnessProgram(1, outputKey);
}

/** OP_RETURN followed by one push per item (Core's nulldata outputs). */
export function nullData(...items: Uint8Array[]): Uint8Array {
  const b = new ScriptBuilder().op(Op.OP_RETURN);
  for (const item of items) b.raw(pushData(item));
  return b.build();
}
