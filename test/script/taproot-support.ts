import { sha256 } from '../../src/crypto/hash.js';
import {
  privateKeyTweakAdd,
  publicKeyCreate,
  schnorrPublicKey,
  schnorrSign,
} from '../../src/crypto/secp256k1.js';
import { fromHex, toHex, utf8 } from '../../src/encoding/index.js';
import { OutPoint, Transaction, TxIn, type TxOut } from '../../src/primitives/index.js';
import {
  annexHash,
  PrecomputedTransactionData,
  ScriptExecutionData,
  ScriptFlags,
  SigVersion,
  signatureHashTaproot,
  TransactionSignatureChecker,
  tapTweakHash,
  verifyScript,
} from '../../src/script/index.js';
import type { ScriptError } from '../../src/script/index.js';

/** Block validation's flags once every soft fork is active (Core's GetBlockScriptFlags today). */
export const CONSENSUS =
  ScriptFlags.P2SH |
  ScriptFlags.WITNESS |
  ScriptFlags.TAPROOT |
  ScriptFlags.DERSIG |
  ScriptFlags.CHECKLOCKTIMEVERIFY |
  ScriptFlags.CHECKSEQUENCEVERIFY |
  ScriptFlags.NULLDUMMY;

/** Consensus plus the taproot-relevant policy flags (Core's STANDARD_SCRIPT_VERIFY_FLAGS subset). */
export const POLICY =
  CONSENSUS |
  ScriptFlags.DISCOURAGE_UPGRADABLE_TAPROOT_VERSION |
  ScriptFlags.DISCOURAGE_OP_SUCCESS |
  ScriptFlags.DISCOURAGE_UPGRADABLE_PUBKEYTYPE |
  ScriptFlags.DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM |
  ScriptFlags.MINIMALDATA |
  ScriptFlags.CLEANSTACK;

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** A deterministic test key: SHA256 of a label. */
export function testKey(label: string): { priv: Uint8Array; xonly: Uint8Array } {
  const priv = sha256(utf8(`tally taproot test key ${label}`));
  return { priv, xonly: schnorrPublicKey(priv) };
}

/**
 * BIP341 taproot_tweak_seckey: negate the key if its point has odd y (the x-only internal key
 * stands for the even-y point), then add the TapTweak of the internal key and Merkle root.
 */
export function tweakPrivateKey(priv: Uint8Array, merkleRoot?: Uint8Array): Uint8Array {
  const odd = publicKeyCreate(priv, true)[0] === 0x03;
  const d = odd ? fromHex((N - BigInt(`0x${toHex(priv)}`)).toString(16).padStart(64, '0')) : priv;
  const tweaked = privateKeyTweakAdd(d, tapTweakHash(schnorrPublicKey(priv), merkleRoot));
  if (tweaked === null) throw new Error('unusable tweak');
  return tweaked;
}

/** A version-2 transaction spending one outpoint per prevout, paying `outputs`. */
export function spendingTx(prevoutCount: number, outputs: TxOut[]): Transaction {
  const inputs = Array.from(
    { length: prevoutCount },
    (_, i) => new TxIn(new OutPoint(sha256(utf8(`prev ${i}`)), i), new Uint8Array(0), 0xfffffffd - i),
  );
  return new Transaction(2, inputs, outputs, 0);
}

export interface SignOptions {
  readonly hashType?: number;
  readonly annex?: Uint8Array;
  /** Script path: the leaf hash; absent for the key path. */
  readonly leafHash?: Uint8Array;
  readonly codeSeparatorPos?: number;
}

/** A BIP341/342 signature for input `index`: 64 bytes for SIGHASH_DEFAULT, else 65. */
export function signTaproot(
  tx: Transaction,
  index: number,
  spent: readonly TxOut[],
  priv: Uint8Array,
  options: SignOptions = {},
): Uint8Array {
  const hashType = options.hashType ?? 0;
  const execdata = new ScriptExecutionData();
  if (options.annex !== undefined) execdata.annexHash = annexHash(options.annex);
  if (options.leafHash !== undefined) execdata.tapleafHash = options.leafHash;
  if (options.codeSeparatorPos !== undefined) execdata.codeSeparatorPos = options.codeSeparatorPos;
  const sigversion = options.leafHash === undefined ? SigVersion.TAPROOT : SigVersion.TAPSCRIPT;
  const txdata = new PrecomputedTransactionData(tx, spent);
  const sighash = signatureHashTaproot(tx, index, hashType, sigversion, txdata, execdata);
  if (sighash === null) throw new Error(`cannot sign hashtype ${hashType}`);
  const sig = schnorrSign(sighash, priv, sha256(utf8(`aux ${index}`)));
  return hashType === 0 ? sig : Uint8Array.from([...sig, hashType]);
}

/** verifyScript for input `index` of `tx`, exactly as block validation runs it. */
export function verifyInput(
  tx: Transaction,
  index: number,
  spent: readonly TxOut[],
  flags = CONSENSUS,
): ScriptError {
  const txdata = new PrecomputedTransactionData(tx, spent);
  const checker = new TransactionSignatureChecker(tx, index, spent[index]!.value, txdata);
  const input = tx.inputs[index]!;
  return verifyScript(input.scriptSig, spent[index]!.scriptPubKey, input.witness, flags, checker);
}

/** A copy of `tx` whose input `index` carries `witness` (the original is left alone). */
export function withWitness(tx: Transaction, index: number, witness: Uint8Array[]): Transaction {
  const copy = tx.clone();
  copy.inputs[index]!.witness = witness;
  copy.invalidate();
  return copy;
}
