/**
 * The workload node-crash.test.ts runs against a `tally node` until it kills it: bursts of chained,
 * signed spends (sendrawtransaction) between small generatetoaddress batches, all paying one
 * deterministic key. The wallet never trusts its own memory across a crash: after every restart it
 * re-derives its coins from what the node holds (the replayed active chain and the mempool).
 */
import { equalBytes } from '../../src/encoding/bytes.js';
import { toHex } from '../../src/encoding/hex.js';
import type { Chain } from '../../src/chain/chain.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import type { Transaction } from '../../src/primitives/transaction.js';
import { RpcError } from '../../src/rpc/errors.js';
import type { NodeProcess } from '../support/node-process.js';
import { type SpendableOutput, TestChain, TestKey } from '../support/test-chain.js';
import { type ActiveChain, type ChainTipJson, regtestAddress } from './node-checks.js';

/** Core's COINBASE_MATURITY. */
const COINBASE_MATURITY = 100;
/** Coins smaller than this are left alone (halving splits would reach dust otherwise). */
const MIN_COIN = 1_000_000;
const FEE = 1000;

/** A small seeded PRNG (mulberry32): the same seed replays the same kill plan and workload. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class WorkloadWallet {
  readonly key = TestKey.fromSeed('node-crash');
  readonly address = regtestAddress(this.key);
  private payees = 0;
  private readonly builder = new TestChain({ key: this.key });
  private coins: SpendableOutput[] = [];

  /**
   * An address never paid before, for blocks mined where an invalidated block may have been: with
   * the same parent, time (MTP + 1 when blocks come faster than the clock), coinbase and mempool,
   * the miner would rebuild the invalidated block byte for byte, which the chain refuses as known
   * invalid ("ProcessNewBlock, block not accepted"). Core's miner does the same; its functional
   * tests mine to another address after invalidateblock for this reason.
   */
  freshAddress(): string {
    return regtestAddress(TestKey.fromSeed(`node-crash-payee-${this.payees++}`));
  }

  get size(): number {
    return this.coins.length;
  }

  /**
   * Our outputs that the replayed chain holds unspent, mature for the next block, not spent by a
   * mempool transaction and worth splitting; largest first.
   */
  rederive(chain: ActiveChain, replay: Chain, mempool: readonly Transaction[]): number {
    const spentInPool = new Set<string>();
    for (const tx of mempool) for (const input of tx.inputs) spentInPool.add(input.prevout.key());
    const nextHeight = chain.blocks.length;
    const script = this.key.p2wpkh();
    const coins: SpendableOutput[] = [];
    for (const block of chain.blocks) {
      for (const tx of block.txs) {
        const txid = tx.txid();
        tx.outputs.forEach((output, i) => {
          if (!equalBytes(output.scriptPubKey, script)) return;
          const outpoint = new OutPoint(txid, i);
          const coin = replay.getCoin(outpoint);
          if (coin === undefined || coin.value < MIN_COIN || spentInPool.has(outpoint.key())) return;
          if (coin.coinbase && nextHeight - coin.height < COINBASE_MATURITY) return;
          coins.push({ outpoint, value: coin.value, scriptPubKey: script });
        });
      }
    }
    this.coins = coins.sort((a, b) => b.value - a.value);
    return coins.length;
  }

  /** Drops the re-derived coins: the chain moved to a branch they were not derived from. */
  forgetCoins(): void {
    this.coins = [];
  }

  /**
   * `n` spends in a chain from our largest coin: each splits its input in two and the next spends
   * the second half (so the pool holds parents and children). Empty when no coin is left.
   */
  nextChain(n: number): Transaction[] {
    let coin = this.coins.shift();
    const txs: Transaction[] = [];
    while (coin !== undefined && txs.length < n && coin.value >= MIN_COIN) {
      const half = Math.floor(coin.value / 2);
      const tx = this.builder.spend([coin], {
        outputs: [{ value: half }, { value: coin.value - half - FEE }],
      });
      txs.push(tx);
      coin = this.builder.outputs(tx)[1];
    }
    return txs;
  }
}

export interface WorkloadResult {
  /** Block hashes generatetoaddress returned (acknowledged: they must survive the crash). */
  readonly mined: string[];
  /**
   * Blocks a reorganization step took off the active chain (or may have, when the kill came in the
   * middle of one): acknowledged, but no longer bound to stay on the chain.
   */
  readonly displaced: string[];
  readonly sent: number;
  /** Reorganization steps that ended back on the old tip. */
  readonly reorgs: number;
  /** Reorganization steps that ended on another branch of equal work (see reorgStep). */
  readonly ties: number;
}

/** A reorganization step needs a chain this high (coinbases it spends stay mature throughout). */
const REORG_MIN_HEIGHT = 130;

/**
 * Runs bursts of 1-4 chained spends, then generatetoaddress of 1-2 blocks, and now and then a
 * reorganization (reorgStep), until `stopped()` (checked between calls; the call a kill interrupts
 * fails with a transport error and ends the run) or `maxSteps`. A refusal while not stopped is a
 * real failure and is thrown: every spend is valid against the state the wallet re-derived.
 */
export async function runWorkload(
  node: NodeProcess,
  wallet: WorkloadWallet,
  random: () => number,
  stopped: () => boolean,
  onCall: (method: string) => void,
  maxSteps = 2000,
): Promise<WorkloadResult> {
  const result = { mined: [] as string[], displaced: [] as string[], sent: 0, reorgs: 0, ties: 0 };
  for (let step = 0; step < maxSteps && !stopped(); step++) {
    try {
      if (random() < 0.08) {
        const outcome = await reorgStep(node, wallet.freshAddress(), stopped, onCall, result.displaced);
        if (outcome === 'back') result.reorgs++;
        if (outcome === 'tie') {
          result.ties++;
          // The chain now follows another branch (one an earlier crash left behind may confirm
          // spends of the coins this run re-derived): until the next re-derivation, send nothing.
          wallet.forgetCoins();
        }
        continue;
      }
      for (const tx of wallet.nextChain(1 + Math.floor(random() * 4))) {
        if (stopped()) break;
        onCall('sendrawtransaction');
        await node.call('sendrawtransaction', [toHex(tx.encode())]);
        result.sent++;
      }
      if (stopped()) break;
      onCall('generatetoaddress');
      const n = 1 + Math.floor(random() * 2);
      result.mined.push(...(await node.call<string[]>('generatetoaddress', [n, wallet.address])));
    } catch (err) {
      // The call the SIGKILL interrupted; a JSON-RPC error reply is never that.
      if (stopped() && !(err instanceof RpcError)) break;
      throw err;
    }
  }
  return result;
}

/**
 * A reorganization down and back: invalidateblock on the block two below the tip (the tip goes
 * back three blocks, their transactions return to the mempool), mine one block on the fork point,
 * then reconsiderblock: the old branch has three blocks against one, so the chain must reorganize
 * back to the old tip, returning the side block's transactions to the mempool. Returns 'back'
 * then, 'tie' when a branch of equal work left by an earlier crash kept the chain instead, and
 * 'not run' when skipped or stopped part way. The side block pays `address`, a fresh one (see
 * WorkloadWallet.freshAddress).
 */
async function reorgStep(
  node: NodeProcess,
  address: string,
  stopped: () => boolean,
  onCall: (method: string) => void,
  displaced: string[],
): Promise<'back' | 'tie' | 'not run'> {
  onCall('getblockcount');
  const height = await node.call<number>('getblockcount');
  if (height < REORG_MIN_HEIGHT || stopped()) return 'not run';
  const old = await node.batch<string>([2, 1, 0].map((d) => ['getblockhash', [height - d]]));
  displaced.push(...old);
  onCall('invalidateblock');
  await node.call('invalidateblock', [old[0]]);
  if (stopped()) return 'not run';
  onCall('generatetoaddress');
  displaced.push(...(await node.call<string[]>('generatetoaddress', [1, address])));
  if (stopped()) return 'not run';
  onCall('reconsiderblock');
  await node.call('reconsiderblock', [old[0]]);
  // The old branch is valid again and the chain must be on the most work: normally the old tip
  // (three blocks against one). A branch an earlier crash left behind can tie with it (then the
  // current tip stays: Tally's fork choice never switches for merely equal work), or, when it
  // descends from the reconsidered block, beat it (then the chain moves there): the active tip is
  // one of the candidates, so it belongs in the maximum.
  const tips = await node.call<ChainTipJson[]>('getchaintips');
  const active = tips.find((t) => t.status === 'active');
  const oldTip = tips.find((t) => t.hash === old[2]);
  const candidates = tips.filter((t) => t.status === 'valid-fork' || t.status === 'active');
  const most = Math.max(...candidates.map((t) => t.height), height);
  if (active === undefined || active.height !== most || oldTip === undefined || oldTip.status === 'invalid') {
    throw new Error(
      `reconsiderblock ${old[0]}: the chain is not on the most work, or the old branch ${old.join(' ')} ` +
        `is still invalid (side ${displaced.at(-1)}); getchaintips ${JSON.stringify(tips)}`,
    );
  }
  return active.hash === old[2] ? 'back' : 'tie';
}
