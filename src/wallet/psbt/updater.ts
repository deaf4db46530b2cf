import { equalBytes } from '../../encoding/bytes.js';
import { hash160, sha256 } from '../../crypto/hash.js';
import type { OutPoint } from '../../primitives/outpoint.js';
import type { Transaction } from '../../primitives/transaction.js';
import type { TxOut } from '../../primitives/txout.js';
import { isWitnessProgram } from '../../script/script.js';
import { taprootTweakPublicKey } from '../../script/taproot.js';
import { classifyScript } from '../../script/templates.js';
import { PsbtError } from './errors.js';
import type { Psbt } from './psbt.js';
import type { Bip32Derivation, TapBip32Derivation } from './types.js';

/**
 * The BIP174 Updater: adds what it knows about inputs and outputs (UTXOs, redeem and witness
 * scripts, BIP32 key paths, the sighash type). Each item is added only where it belongs: a script
 * whose hash the scriptPubKey commits to, a key path for a key the script uses.
 */
export interface UpdaterSources {
  /** Transactions whose outputs the PSBT spends. */
  previousTransactions?: readonly Transaction[];
  /**
   * Spent outputs known without their transaction (a node's UTXO set, as Core's utxoupdatepsbt
   * uses): attached as witness UTXOs to segwit inputs only, since a legacy signer needs the whole
   * previous transaction to trust the amount.
   */
  utxos?: readonly { outpoint: OutPoint; output: TxOut }[];
  redeemScripts?: readonly Uint8Array[];
  witnessScripts?: readonly Uint8Array[];
  derivations?: readonly Bip32Derivation[];
  /**
   * Key-path-only taproot keys (BIP86) with their origins: an input or output paying the output
   * key one of them tweaks to (no script tree) gets BIP371's TAP_INTERNAL_KEY and
   * TAP_BIP32_DERIVATION, which let a signer find its key and the finalizer complete the input.
   */
  tapDerivations?: readonly TapBip32Derivation[];
  /** False: write TAP_INTERNAL_KEY only, not the origins (Core's bip32derivs=false hides origins). */
  tapOrigins?: boolean;
  /** PSBT_IN_SIGHASH_TYPE for every input that has none. */
  sighashType?: number;
  /**
   * Also attach the whole previous transaction to segwit v0 inputs (default true). BIP143 signs
   * the amount of the input being signed only, so a signer seeing just witness UTXOs can be made
   * to overpay fees by a lie about another input's amount; many signers therefore demand it.
   */
  nonWitnessUtxoForSegwit?: boolean;
}

/** The script a spend of `scriptPubKey` finally runs, with the wrappers it resolved. */
interface Resolved {
  redeemScript: Uint8Array | undefined;
  witnessScript: Uint8Array | undefined;
  /** The innermost script (where the keys are). */
  script: Uint8Array;
}

function resolve(
  scriptPubKey: Uint8Array,
  knownRedeem: Uint8Array | undefined,
  knownWitness: Uint8Array | undefined,
  sources: UpdaterSources,
): Resolved {
  let script = scriptPubKey;
  let redeemScript = knownRedeem;
  let witnessScript = knownWitness;
  const outer = classifyScript(script);
  if (outer.type === 'scripthash') {
    redeemScript ??= sources.redeemScripts?.find((s) => equalBytes(hash160(s), outer.hash));
    if (redeemScript !== undefined) script = redeemScript;
  }
  const inner = classifyScript(script);
  if (inner.type === 'witness_v0_scripthash') {
    witnessScript ??= sources.witnessScripts?.find((s) => equalBytes(sha256(s), inner.program));
    if (witnessScript !== undefined) script = witnessScript;
  }
  return { redeemScript, witnessScript, script };
}

/** Derivations for the keys `script` checks signatures against (multisig, P2PK, P2PKH, P2WPKH). */
function derivationsFor(script: Uint8Array, derivations: readonly Bip32Derivation[]): Bip32Derivation[] {
  const c = classifyScript(script);
  const uses = (pubkey: Uint8Array): boolean => {
    if (c.type === 'multisig') return c.pubkeys.some((k) => equalBytes(k, pubkey));
    if (c.type === 'pubkey') return equalBytes(c.pubkey, pubkey);
    if (c.type === 'pubkeyhash') return equalBytes(c.hash, hash160(pubkey));
    if (c.type === 'witness_v0_keyhash') return equalBytes(c.program, hash160(pubkey));
    return false;
  };
  return derivations.filter((d) => uses(d.pubkey));
}

/** The key-path-only derivation whose BIP341 output key `scriptPubKey` pays, if any. */
function taprootKeyFor(
  scriptPubKey: Uint8Array,
  derivations: readonly TapBip32Derivation[],
): TapBip32Derivation | undefined {
  const c = classifyScript(scriptPubKey);
  if (c.type !== 'witness_v1_taproot') return undefined;
  return derivations.find((d) => {
    if (d.leafHashes.length !== 0) return false;
    const tweaked = taprootTweakPublicKey(d.xonly);
    return tweaked !== null && equalBytes(tweaked.outputKey, c.program);
  });
}

/** Sets the internal key (unless another is there) and adds its derivation once. */
function addTapKey(
  target: { tapInternalKey: Uint8Array | undefined; tapBip32Derivations: TapBip32Derivation[] },
  d: TapBip32Derivation | undefined,
  withOrigin: boolean,
): void {
  if (d === undefined) return;
  if (target.tapInternalKey !== undefined && !equalBytes(target.tapInternalKey, d.xonly)) return;
  target.tapInternalKey ??= d.xonly.slice();
  if (!withOrigin || target.tapBip32Derivations.some((e) => equalBytes(e.xonly, d.xonly))) return;
  target.tapBip32Derivations.push({
    xonly: d.xonly.slice(),
    leafHashes: [],
    origin: { fingerprint: d.origin.fingerprint.slice(), path: [...d.origin.path] },
  });
}

function addDerivations(into: Bip32Derivation[], from: readonly Bip32Derivation[]): void {
  for (const d of from) {
    if (!into.some((e) => equalBytes(e.pubkey, d.pubkey))) {
      into.push({
        pubkey: d.pubkey.slice(),
        origin: { fingerprint: d.origin.fingerprint.slice(), path: [...d.origin.path] },
      });
    }
  }
}

function updateInput(psbt: Psbt, index: number, sources: UpdaterSources): void {
  const input = psbt.inputs[index]!;
  const prevout = psbt.unsignedTx.inputs[index]!.prevout;
  const prev = sources.previousTransactions?.find((tx) => equalBytes(tx.txid(), prevout.hash));
  if (prev !== undefined && prev.outputs[prevout.index] === undefined) {
    throw new PsbtError(
      'bad-argument',
      `input ${index}: the previous transaction has no output ${prevout.index}`,
    );
  }
  const spent =
    prev?.outputs[prevout.index] ?? sources.utxos?.find((u) => u.outpoint.equals(prevout))?.output;
  const scriptPubKey = spent?.scriptPubKey ?? psbt.utxo(index)?.scriptPubKey;
  const r =
    scriptPubKey === undefined
      ? undefined
      : resolve(scriptPubKey, input.redeemScript, input.witnessScript, sources);
  if (spent !== undefined && r !== undefined) {
    const segwit = isWitnessProgram(r.redeemScript ?? spent.scriptPubKey) !== null;
    if (segwit) input.witnessUtxo ??= spent;
    if (prev !== undefined && (!segwit || (sources.nonWitnessUtxoForSegwit ?? true)))
      input.nonWitnessUtxo ??= prev;
  }
  // A finalized input needs nothing more than its UTXO (BIP174: the finalizer cleared the rest).
  if (input.isFinalized()) return;
  if (sources.sighashType !== undefined) input.sighashType ??= sources.sighashType;
  if (r === undefined) return;
  if (scriptPubKey !== undefined)
    addTapKey(input, taprootKeyFor(scriptPubKey, sources.tapDerivations ?? []), sources.tapOrigins ?? true);
  input.redeemScript = r.redeemScript;
  input.witnessScript = r.witnessScript;
  addDerivations(input.bip32Derivations, derivationsFor(r.script, sources.derivations ?? []));
}

function updateOutput(psbt: Psbt, index: number, sources: UpdaterSources): void {
  const output = psbt.outputs[index]!;
  const scriptPubKey = psbt.unsignedTx.outputs[index]!.scriptPubKey;
  addTapKey(output, taprootKeyFor(scriptPubKey, sources.tapDerivations ?? []), sources.tapOrigins ?? true);
  const r = resolve(scriptPubKey, output.redeemScript, output.witnessScript, sources);
  output.redeemScript = r.redeemScript;
  output.witnessScript = r.witnessScript;
  addDerivations(output.bip32Derivations, derivationsFor(r.script, sources.derivations ?? []));
}

/** Updates `psbt` in place with whatever in `sources` fits its inputs and outputs. */
export function updatePsbt(psbt: Psbt, sources: UpdaterSources): void {
  const t = sources.sighashType;
  if (t !== undefined && !(Number.isInteger(t) && t >= 0 && t <= 0xffffffff)) {
    throw new PsbtError('bad-argument', 'sighash type must be a uint32');
  }
  for (let i = 0; i < psbt.inputs.length; i++) updateInput(psbt, i, sources);
  for (let i = 0; i < psbt.outputs.length; i++) updateOutput(psbt, i, sources);
}
