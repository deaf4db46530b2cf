import { equalBytes } from '../encoding/bytes.js';
import { fromDisplayHex, toDisplayHex } from '../encoding/hex.js';
import type { Block } from '../primitives/block.js';
import { Coin } from '../primitives/coin.js';
import { OutPoint } from '../primitives/outpoint.js';
import type { Transaction } from '../primitives/transaction.js';
import type { EcdsaVerify, SchnorrVerify } from '../script/checker.js';
import { scriptErrorMessage } from '../script/errors.js';
import { isUnspendable } from '../script/script.js';
import {
  checkTxInputCoins,
  findSpentCoins,
  runScriptCheck,
  type ScriptCheckJob,
  scriptCheckJobsOfCoins,
  transactionSigOpCostOfCoins,
} from './check-inputs.js';
import { transactionValueOut } from './check-transaction.js';
import type { CoinView } from './coin-view.js';
import { LOCKTIME_VERIFY_SEQUENCE, MAX_BLOCK_SIGOPS_COST } from './constants.js';
import { type BlockCheck, BlockValidationResult, invalidBlock, txFailureInBlock, VALID } from './errors.js';
import type { ConsensusParams } from './params.js';
import { Reject, scriptFailureReason } from './reject.js';
import { checkSequenceLocks } from './sequence-locks.js';
import { blockSubsidy, moneyRange } from './subsidy.js';

/** The two mainnet blocks whose coinbases overwrote earlier ones (BIP30's grandfathered violations). */
const BIP30_REPEATS: readonly { height: number; hash: string }[] = [
  { height: 91842, hash: '00000000000a4d0a398161ffc163c503763b1f4360639393e0e4c8e300e0caec' },
  { height: 91880, hash: '00000000000743f190a18c5577a3c2d2a1f610ae9601ac046a38084ccb7cd721' },
];

/**
 * Coinbases of blocks before BIP34 that claim a later height could be repeated from this height on,
 * so BIP30 must be checked again from here (Core's BIP34_IMPLIES_BIP30_LIMIT).
 */
export const BIP34_IMPLIES_BIP30_LIMIT = 1_983_702;

/**
 * Whether ConnectBlock must check BIP30 (no transaction may overwrite an unspent output of an earlier
 * one with the same txid). Skipped for the two grandfathered blocks, and on a chain whose BIP34
 * activation block is the known one, since BIP34 then prevents duplicate coinbases, until the height
 * where pre-BIP34 coinbases could collide again.
 *
 * @param bip34AncestorHash the hash of this chain's block at params.bip34Height, if the block's parent
 *   is at or above that height.
 */
export function shouldEnforceBIP30(
  height: number,
  blockHash: Uint8Array,
  bip34AncestorHash: Uint8Array | undefined,
  params: Pick<ConsensusParams, 'bip34Hash'>,
): boolean {
  const hex = toDisplayHex(blockHash);
  if (BIP30_REPEATS.some((r) => r.height === height && r.hash === hex)) return false;
  if (height >= BIP34_IMPLIES_BIP30_LIMIT) return true;
  const onKnownBip34Chain =
    bip34AncestorHash !== undefined &&
    params.bip34Hash !== null &&
    equalBytes(bip34AncestorHash, fromDisplayHex(params.bip34Hash));
  return !onKnownBip34Chain;
}

/** The facts ConnectBlock needs beyond the block and the coins, passed as data. */
export interface ConnectContext {
  readonly height: number;
  /** Script flags for this block: blockScriptFlags(height, hash, params). */
  readonly flags: number;
  /** Result of shouldEnforceBIP30 for this block. */
  readonly enforceBIP30: boolean;
  /** Median time past of the parent (BIP68 time locks). */
  readonly prevMedianTimePast: number;
  /** Median time past of this chain's block at a height (BIP68 time locks; see calculateSequenceLocks). */
  readonly medianTimePastAt: (height: number) => number;
}

export interface ConnectResult {
  readonly fees: number;
  readonly sigOpsCost: number;
  /** Every input's script check, in block order: run them in any order or in parallel. */
  readonly scriptChecks: ScriptCheckJob[];
  /** The coins each non-coinbase transaction spent, in block order (the block's undo data). */
  readonly spentCoins: Coin[][];
}

/**
 * A view of the coins as they stand partway through a block: the base view, minus what earlier
 * transactions spent, plus what they created (Core applies UpdateCoins to its cache as it goes).
 */
class BlockCoinView implements CoinView {
  /**
   * Coins this block created (a Coin) or spent (null), by OutPoint.key(); anything else comes from
   * the base view. One map rather than a created map and a spent set: a lookup is one probe, which
   * measured ~0.2 ms less per connect of block 300025.
   */
  private readonly changed = new Map<string, Coin | null>();

  constructor(private readonly base: CoinView) {}

  getCoin(outpoint: OutPoint): Coin | undefined {
    const coin = this.changed.get(outpoint.key());
    if (coin !== undefined) return coin ?? undefined;
    return this.base.getCoin(outpoint);
  }

  apply(tx: Transaction, height: number): void {
    if (!tx.isCoinbase()) {
      // Always mark spent, even for a coin created earlier in this block: the base view may know
      // it too (a prevouts file lists every spent coin), and a second spend must still fail.
      for (const input of tx.inputs) this.changed.set(input.prevout.key(), null);
    }
    // The outputs' keys share the txid part: built once, not once per output (OutPoint.key()).
    const keyPrefix = OutPoint.keyPrefix(tx.txid());
    const coinbase = tx.isCoinbase();
    const outputs = tx.outputs;
    for (let index = 0; index < outputs.length; index++) {
      const output = outputs[index]!;
      // Core's AddCoins drops provably unspendable outputs: they never enter the UTXO set.
      if (isUnspendable(output.scriptPubKey)) continue;
      this.changed.set(keyPrefix + index, new Coin(output.value, output.scriptPubKey, height, coinbase));
    }
  }
}

/**
 * The UTXO-dependent part of Core's ConnectBlock, without running scripts: BIP30, then per transaction
 * in block order CheckTxInputs (seeing coins created earlier in the block), accumulated fees, BIP68
 * sequence locks (with CSV), the sigop cost limit; then the coinbase may claim at most fees + subsidy.
 * The script checks are returned as jobs for the caller to run (runScriptChecks, or in parallel), and
 * handed to `onScriptChecks` transaction by transaction as soon as each is known. A UTXO rule broken by
 * a later transaction still decides the result, as in Core, whose script checks run in the background.
 *
 * The block must have passed checkBlock and contextualCheckBlock. The genesis block is not connected
 * (its coinbase is unspendable): it passes with no jobs.
 */
export function connectBlockChecks(
  block: Block,
  view: CoinView,
  ctx: ConnectContext,
  params: Pick<ConsensusParams, 'hashGenesisBlock' | 'subsidyHalvingInterval' | 'csvHeight'>,
  onScriptChecks?: (jobs: readonly ScriptCheckJob[]) => void,
): BlockCheck<ConnectResult> {
  if (block.hashHex() === params.hashGenesisBlock) {
    return { ok: true, fees: 0, sigOpsCost: 0, scriptChecks: [], spentCoins: [] };
  }
  if (ctx.enforceBIP30) {
    for (const tx of block.txs) {
      const txid = tx.txid();
      for (let o = 0; o < tx.outputs.length; o++) {
        if (view.getCoin(new OutPoint(txid, o)) !== undefined) {
          return invalidBlock(
            BlockValidationResult.CONSENSUS,
            Reject.TXNS_BIP30,
            'tried to overwrite transaction',
          );
        }
      }
    }
  }
  const lockTimeFlags = ctx.height >= params.csvHeight ? LOCKTIME_VERIFY_SEQUENCE : 0;
  const coins = new BlockCoinView(view);
  const scriptChecks: ScriptCheckJob[] = [];
  const spentCoins: Coin[][] = [];
  let fees = 0;
  let sigOpsCost = 0;
  for (const tx of block.txs) {
    // Each input's coin is looked up once and handed to every check below (CheckTxInputs, BIP68,
    // sigops, the script jobs) instead of being fetched by each.
    let spent: Coin[] = [];
    if (!tx.isCoinbase()) {
      const found = findSpentCoins(tx, coins);
      if (!Array.isArray(found)) return txFailureInBlock(found, `in transaction ${toDisplayHex(tx.txid())}:`);
      spent = found;
      const inputs = checkTxInputCoins(tx, spent, ctx.height);
      if (!inputs.ok) return txFailureInBlock(inputs, `in transaction ${toDisplayHex(tx.txid())}:`);
      fees += inputs.fee;
      if (!moneyRange(fees)) {
        return invalidBlock(
          BlockValidationResult.CONSENSUS,
          Reject.TXNS_ACCUMULATED_FEE_OUTOFRANGE,
          'accumulated fee in the block out of range',
        );
      }
      const prevHeights = spent.map((coin) => coin.height);
      const sequence = { height: ctx.height, prevMedianTimePast: ctx.prevMedianTimePast };
      if (!checkSequenceLocks(tx, lockTimeFlags, prevHeights, sequence, ctx.medianTimePastAt)) {
        return invalidBlock(
          BlockValidationResult.CONSENSUS,
          Reject.TXNS_NONFINAL,
          `contains a non-BIP68-final transaction ${toDisplayHex(tx.txid())}`,
        );
      }
      spentCoins.push(spent);
    }
    sigOpsCost += transactionSigOpCostOfCoins(tx, spent, ctx.flags);
    if (sigOpsCost > MAX_BLOCK_SIGOPS_COST) {
      return invalidBlock(BlockValidationResult.CONSENSUS, Reject.BLK_SIGOPS, 'too many sigops');
    }
    if (!tx.isCoinbase()) {
      const jobs = scriptCheckJobsOfCoins(tx, spent, ctx.flags);
      for (const job of jobs) scriptChecks.push(job);
      // Like Core's check queue: a caller may start on this transaction's scripts while we go on.
      onScriptChecks?.(jobs);
    }
    coins.apply(tx, ctx.height);
  }
  const reward = fees + blockSubsidy(ctx.height, params);
  const coinbaseOut = transactionValueOut(block.txs[0]!);
  if (coinbaseOut > reward) {
    return invalidBlock(
      BlockValidationResult.CONSENSUS,
      Reject.CB_AMOUNT,
      `coinbase pays too much (actual=${coinbaseOut} vs limit=${reward})`,
    );
  }
  return { ok: true, fees, sigOpsCost, scriptChecks, spentCoins };
}

/**
 * Runs script-check jobs in order and stops at the first failure: BLOCK_CONSENSUS
 * `mandatory-script-verify-flag-failed (<script error text>)`, the reason Bitcoin Core gave for a
 * block's failing script until v30 renamed it `block-script-verify-flag-failed` (PR #33183). We keep
 * the long-standing string: it is the one users, explorers and wallets search for.
 */
export function runScriptChecks(
  jobs: readonly ScriptCheckJob[],
  ecdsaVerify?: EcdsaVerify,
  schnorrVerify?: SchnorrVerify,
): BlockCheck {
  for (const job of jobs) {
    const error = runScriptCheck(job, ecdsaVerify, schnorrVerify);
    if (error !== 'OK') {
      const input = job.tx.inputs[job.inputIndex]!;
      return invalidBlock(
        BlockValidationResult.CONSENSUS,
        scriptFailureReason(Reject.MANDATORY_SCRIPT_VERIFY_FLAG_FAILED, scriptErrorMessage(error)),
        `input ${job.inputIndex} of ${toDisplayHex(job.tx.txid())}, spending ${input.prevout}`,
      );
    }
  }
  return VALID;
}

/** connectBlockChecks followed by every script check, sequentially: all of ConnectBlock's rules. */
export function connectBlock(
  block: Block,
  view: CoinView,
  ctx: ConnectContext,
  params: Pick<ConsensusParams, 'hashGenesisBlock' | 'subsidyHalvingInterval' | 'csvHeight'>,
  ecdsaVerify?: EcdsaVerify,
  schnorrVerify?: SchnorrVerify,
): BlockCheck<ConnectResult> {
  const checks = connectBlockChecks(block, view, ctx, params);
  if (!checks.ok) return checks;
  const scripts = runScriptChecks(checks.scriptChecks, ecdsaVerify, schnorrVerify);
  return scripts.ok ? checks : scripts;
}
