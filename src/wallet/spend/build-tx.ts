import { OutPoint } from '../../primitives/outpoint.js';
import { Transaction } from '../../primitives/transaction.js';
import { TxIn } from '../../primitives/txin.js';
import type { CoinCandidate } from '../coin-selection/types.js';
import {
  type FundedTransaction,
  type FundOptions,
  fundTransaction,
  type Recipient,
} from '../coin-selection/fund.js';
import { randomRange, type RandomSource, secureRandom } from '../coin-selection/random.js';
import {
  ECDSA_MAX_SIGNATURE_SIZE,
  ECDSA_SIGNATURE_SIZE,
  SCHNORR_SIGNATURE_SIZE,
  type SpendType,
  spendWeight,
} from '../fees/tx-size.js';
import { outputTypeOf } from '../keychain/owned-script.js';
import type { WalletOutput } from '../tracking/tx-book.js';

/** BIP125 opt-in signal (Core's MAX_BIP125_RBF_SEQUENCE). */
export const RBF_SEQUENCE = 0xfffffffd;
/** Core's CTxIn::MAX_SEQUENCE_NONFINAL: not replaceable, but nLockTime still enforced. */
export const NONFINAL_SEQUENCE = 0xfffffffe;
/** Core's MAX_ANTI_FEE_SNIPING_TIP_AGE: 8 hours. */
const ANTI_FEE_SNIPING_TIP_AGE = 8 * 60 * 60;

const weightCache = new Map<string, { inputWeight: number; witness: boolean }>();

/**
 * Signatures as this wallet makes them: Core's low-R grinding (crypto ecdsaSignLowR) keeps every
 * ECDSA signature at most 71 bytes with its sighash byte, so its own inputs are sized as Core sizes
 * them. Signatures made elsewhere (a watch-only wallet funding a PSBT, Core's include_watching, or
 * the cosigners of a multisig it cannot complete alone) may be 72 bytes: those inputs are sized
 * for the maximum, as Core's DummySignInput does with use_max_sig, so a 1 sat/vB multisig spend
 * still meets the relay minimum however its cosigners sign.
 */
const OWN_SIGNATURES = { ecdsa: ECDSA_SIGNATURE_SIZE, schnorr: SCHNORR_SIGNATURE_SIZE };
const FOREIGN_SIGNATURES = { ecdsa: ECDSA_MAX_SIGNATURE_SIZE, schnorr: SCHNORR_SIGNATURE_SIZE };

/** spendWeight memoised by spend type and signature size (it serialises dummy scripts each time). */
function weightOf(spend: SpendType, maxSig: boolean): { inputWeight: number; witness: boolean } {
  const id = `${'m' in spend ? `${spend.kind}/${spend.m}/${spend.n}` : spend.kind}/${maxSig ? 'max' : 'own'}`;
  let w = weightCache.get(id);
  if (w === undefined) {
    w = spendWeight(spend, maxSig ? FOREIGN_SIGNATURES : OWN_SIGNATURES);
    weightCache.set(id, w);
  }
  return w;
}

/**
 * A coin as coin selection sees it (Core's COutput). Kept on the output and reused while its
 * confirmations, origin and mempool ancestry stay the same: building 10,000 of them per send (an OutPoint, a weight
 * lookup, an object each) cost more than signing and submitting the payment. `maxSig` sizes it
 * for signatures the wallet does not make itself (include_watching); without it, a coin the
 * wallet cannot sign alone is sized that way too.
 */
export function toCandidate(
  output: WalletOutput,
  depth: number,
  fromMe: boolean,
  ancestry?: { readonly ancestors: number; readonly descendants: number },
  maxSig = false,
): CoinCandidate | undefined {
  const cached = output.candidate;
  if (
    !maxSig &&
    cached !== undefined &&
    cached.confirmations === depth &&
    cached.fromMe === fromMe &&
    cached.ancestors === ancestry?.ancestors &&
    cached.descendants === ancestry?.descendants
  ) {
    return cached;
  }
  const spend = output.script.spend;
  if (spend === undefined) return undefined;
  const w = weightOf(spend, maxSig || !output.script.spendable);
  const outputType = outputTypeOf(output.script);
  const candidate: CoinCandidate = {
    outpoint: new OutPoint(output.wtx.txid, output.vout),
    value: output.value,
    inputWeight: w.inputWeight,
    witness: w.witness,
    confirmations: depth,
    fromMe,
    ...(outputType === undefined ? {} : { outputType }),
    ...(ancestry === undefined ? {} : ancestry),
  };
  // Kept while the confirmations, origin and mempool ancestry it was built for stay the same.
  if (!maxSig) output.candidate = candidate;
  return candidate;
}

/**
 * Core's DiscourageFeeSniping: lock the transaction to the current height so a miner reorging the
 * tip to take its fee gains nothing, sometimes up to 100 blocks earlier so delayed transactions do
 * not stand out; 0 when the tip is older than 8 hours (the node is catching up).
 */
export function antiFeeSnipingLocktime(
  tipHeight: number,
  tipTime: number,
  now: number,
  rng: RandomSource = secureRandom(),
): number {
  if (tipTime < now - ANTI_FEE_SNIPING_TIP_AGE) return 0;
  let locktime = tipHeight;
  if (randomRange(rng, 10) === 0) locktime = Math.max(0, locktime - randomRange(rng, 100));
  return locktime;
}

export interface BuildOptions extends FundOptions {
  readonly replaceable: boolean;
  readonly locktime: number;
  /** Per-input sequences for preset inputs (outpoint key -> nSequence). */
  readonly sequences?: ReadonlyMap<string, number>;
}

/** Funds (Core's CreateTransactionInternal) and assembles the unsigned transaction. */
export function buildTransaction(
  recipients: readonly Recipient[],
  candidates: readonly CoinCandidate[],
  options: BuildOptions,
): { tx: Transaction; funded: FundedTransaction } {
  const funded = fundTransaction(recipients, candidates, options);
  const sequence = options.replaceable ? RBF_SEQUENCE : NONFINAL_SEQUENCE;
  const tx = new Transaction(
    2,
    funded.inputs.map(
      (c) => new TxIn(c.outpoint, new Uint8Array(0), options.sequences?.get(c.outpoint.key()) ?? sequence),
    ),
    funded.outputs.map((o) => o),
    options.locktime,
  );
  return { tx, funded };
}
