import type { Command } from 'commander';
import { performance } from 'node:perf_hooks';
import { BlockVerifier } from '../../chain/block-verifier.js';
import { MapCoinView } from '../../consensus/coin-view.js';
import { type ConnectContext, shouldEnforceBIP30 } from '../../consensus/connect-block.js';
import { checkBlock } from '../../consensus/check-block.js';
import { contextualCheckBlock } from '../../consensus/contextual.js';
import type { BlockCheck } from '../../consensus/errors.js';
import type { NetworkParams } from '../../consensus/params.js';
import { blockScriptFlags } from '../../consensus/script-flags.js';
import { SignatureVerifyPool } from '../../crypto/verify-pool.js';
import { DecodeError } from '../../encoding/errors.js';
import { Block } from '../../primitives/block.js';
import { coinbaseHeight } from '../../consensus/coinbase-height.js';
import { UsageError } from '../errors.js';
import { networkFromOption } from '../network-option.js';
import { loadPrevouts } from '../prevouts.js';
import { binaryOrHex, readInputFile } from '../read-input.js';

interface VerifyOptions {
  prevouts?: string;
  network?: string;
  height?: string;
  mtp?: string;
  pow: boolean;
  threads?: string;
}

interface VerifyReport {
  hash: string;
  height: number | null;
  txs: number;
  inputs: number;
  valid: boolean;
  reason?: string;
  debug?: string;
  /** 'full' with prevouts (every input script); 'context-free' without. */
  checked: 'full' | 'context-free';
  ms: number;
}

export function registerBlockCommands(program: Command): void {
  const block = program.command('block').description('inspect and verify blocks');
  block
    .command('verify')
    .description('decode a raw block and run every consensus check (with --prevouts: every input script too)')
    .argument('<raw-block-file>', 'the block as raw bytes or hex')
    .option('--prevouts <json>', 'the coins the block spends (format: ../shared/blocks/README.md)')
    .option('--network <name>', 'main, testnet or regtest (default: from the prevouts file, else main)')
    .option('--height <n>', 'block height (default: from the prevouts file, else the BIP34 coinbase)')
    .option('--mtp <seconds>', "median time past of the parent (default: the block's own time)")
    .option('--threads <n>', 'threads verifying signatures (default: every core)')
    .option('--no-pow', 'skip the proof-of-work check (for deliberately modified blocks)')
    .action(async (file: string, opts: VerifyOptions) => {
      const report = await verifyBlockFile(file, opts);
      process.stdout.write(`${JSON.stringify(report)}\n`);
      process.exitCode = report.valid ? 0 : 1;
    });
}

async function verifyBlockFile(file: string, opts: VerifyOptions): Promise<VerifyReport> {
  const raw = binaryOrHex(readInputFile(file, 'block file'));
  const started = performance.now();
  let block: Block;
  try {
    block = Block.decode(raw);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    return {
      hash: '',
      height: null,
      txs: 0,
      inputs: 0,
      valid: false,
      reason: 'block-decode-failed',
      debug: err.message,
      checked: 'context-free',
      ms: round(performance.now() - started),
    };
  }
  const prevouts = opts.prevouts === undefined ? undefined : loadPrevouts(opts.prevouts, block);
  const params = networkFromOption(opts.network ?? prevouts?.network ?? undefined);
  const height = parseIntOption(opts.height, 'height') ?? prevouts?.height ?? coinbaseHeight(block);
  const inputs = block.txs.reduce((n, tx) => n + (tx.isCoinbase() ? 0 : tx.inputs.length), 0);
  const mtp = parseIntOption(opts.mtp, 'mtp') ?? block.header.time;
  const report = (result: BlockCheck, checked: VerifyReport['checked'], ms: number): VerifyReport => ({
    hash: block.hashHex(),
    height,
    txs: block.txs.length,
    inputs,
    valid: result.ok,
    ...(result.ok ? {} : { reason: result.reason, debug: result.debug }),
    checked,
    ms: round(ms),
  });

  if (prevouts === undefined) {
    const result = contextFreeChecks(block, params, height, mtp, opts.pow);
    return report(result, 'context-free', performance.now() - started);
  }
  if (height === null) throw new UsageError('the block height is unknown: pass --height');
  const view = new MapCoinView();
  for (const { outpoint, coin } of prevouts.coins.values()) view.add(outpoint, coin);
  const ctx: ConnectContext = {
    height,
    flags: blockScriptFlags(height, block.hash(), params.consensus),
    enforceBIP30: shouldEnforceBIP30(height, block.hash(), undefined, params.consensus),
    prevMedianTimePast: mtp,
    medianTimePastAt: () => mtp,
  };
  const threads = parseIntOption(opts.threads, 'threads') ?? undefined;
  const pool = await SignatureVerifyPool.create(threads === undefined ? {} : { threads });
  try {
    // Timed from here: decoding and the pool's one-time start-up are not part of validation.
    const t0 = performance.now();
    const result = await new BlockVerifier({ pool }).verify(block, view, ctx, params, { checkPoW: opts.pow });
    return report(result, 'full', performance.now() - t0);
  } finally {
    await pool.close();
  }
}

function contextFreeChecks(
  block: Block,
  params: NetworkParams,
  height: number | null,
  mtp: number,
  pow: boolean,
): BlockCheck {
  const result = checkBlock(block, params.consensus, { checkPoW: pow, checkMerkleRoot: true });
  if (!result.ok || height === null) return result;
  return contextualCheckBlock(block, { height, prevMedianTimePast: mtp }, params.consensus);
}

function parseIntOption(value: string | undefined, name: string): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a non-negative integer, got '${value}'`);
  return Number(value);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
