import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { fromHex } from '../../encoding/hex.js';
import { parseBindAddress } from '../../rpc/net-access.js';
import { Block } from '../../primitives/block.js';
import { BlockHeader } from '../../primitives/block-header.js';
import { buildTxProof, type TxProof, verifyTxProof } from '../../web/tx-proof.js';
import { UsageError } from '../errors.js';
import { addConnectionOptions, type ConnectionFlags, connect } from '../rpc-connection.js';
import { networkFromOption } from '../network-option.js';

type ConnectionOptions = ConnectionFlags;

interface GetOptions extends ConnectionOptions {
  out?: string;
}

interface VerifyOptions extends ConnectionOptions {
  rpc?: boolean;
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

/** `tally rpc`'s defaults: the main network's node in ~/.tally. */
const DEFAULTS = { datadir: join(homedir(), '.tally'), network: 'main' };

const connectionFlags = (cmd: Command): Command => addConnectionOptions(cmd, DEFAULTS);

/**
 * `tally proof get <txid>` and `tally proof verify <file>`: fetch a transaction's inclusion proof
 * from a node (the explorer's REST API, or JSON-RPC when the explorer is off) and check one offline
 * (src/web/tx-proof.ts), optionally asking a node whether the block is on its active chain.
 */
export function registerProofCommands(program: Command): void {
  const proof = program.command('proof').description('transaction inclusion proofs: fetch and verify');
  connectionFlags(
    proof
      .command('get')
      .description(
        "fetch a confirmed transaction's Merkle proof from a node (REST /api/tx/<txid>/proof, else JSON-RPC)",
      )
      .argument('<txid>', 'transaction id (64 hex characters)')
      .option('--out <file>', 'write the proof here instead of standard output'),
  ).action(async (txid: string, opts: GetOptions) => {
    if (!HEX64.test(txid)) throw new UsageError('txid must be 64 hex characters');
    const node = endpoint(opts);
    const result = (await viaRest(node, txid)) ?? (await viaRpc(opts, txid));
    const text = `${JSON.stringify(result, null, 2)}\n`;
    if (opts.out === undefined) process.stdout.write(text);
    else {
      writeFileSync(opts.out, text);
      process.stdout.write(`proof of ${txid} (block ${result.height}) written to ${opts.out}\n`);
    }
  });

  connectionFlags(
    proof
      .command('verify')
      .description('check a proof offline: Merkle branch to the header root, header proof of work')
      .argument('<file>', 'proof JSON file (as `tally proof get` writes it; - for standard input)')
      .option('--rpc', 'also ask the node (connection flags) whether the block is on its active chain')
      .option('--node', 'same as --rpc'),
  ).action(async (file: string, opts: VerifyOptions & { node?: boolean }) => {
    let text: string;
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
    // --network bounds the target by that network's proof-of-work limit; without it any valid
    // target is accepted (the proof alone does not say which network it is from).
    const powLimit =
      opts.network === undefined ? undefined : networkFromOption(opts.network).consensus.powLimit;
    const verdict = verifyTxProof(text, powLimit);
    for (const check of verdict.checks)
      process.stdout.write(`${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}\n`);
    if (!verdict.valid) {
      process.stdout.write(`invalid: ${verdict.reason}\n`);
      process.exitCode = 1;
      return;
    }
    if (opts.rpc || opts.node) {
      const proofData = JSON.parse(text) as TxProof;
      const reason = await activeChainCheck(opts, proofData);
      if (reason !== undefined) {
        process.stdout.write(`✗ active-chain: ${reason}\ninvalid: ${reason}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(
        `✓ active-chain: block ${proofData.blockhash} is at height ${proofData.height} of the node's active chain\n`,
      );
    }
    process.stdout.write('valid\n');
  });
}

function endpoint(opts: ConnectionOptions): { host: string; port: number } {
  const network = networkFromOption(opts.network ?? DEFAULTS.network);
  const port = opts.rpcport === undefined ? network.rpcPort : Number(opts.rpcport);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UsageError(`invalid --rpcport '${opts.rpcport}'`);
  try {
    return parseBindAddress(opts.rpcconnect ?? '127.0.0.1', port);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The REST proof, or undefined when the node serves no explorer (its 404 then has no JSON body). */
async function viaRest(node: { host: string; port: number }, txid: string): Promise<TxProof | undefined> {
  const host = node.host.includes(':') ? `[${node.host}]` : node.host;
  let res: Response;
  try {
    res = await fetch(`http://${host}:${node.port}/api/tx/${txid}/proof`, {
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new Error(
      `cannot reach the node at ${host}:${node.port}: ${(err as Error).cause ?? (err as Error).message}`,
    );
  }
  const body = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (res.ok) return json as TxProof;
  const error = (json as { error?: { message?: string } }).error;
  if (error?.message !== undefined) throw new Error(error.message);
  return undefined;
}

/** Core's RPCs: gettxoutproof names the block, getblock gives its transactions for the branch. */
async function viaRpc(opts: ConnectionOptions, txid: string): Promise<TxProof> {
  const client = connect(opts, DEFAULTS);
  try {
    // A merkleblock starts with the 80-byte header of the block holding the transaction.
    const merkleBlock = String(await client.call('gettxoutproof', [[txid]]));
    const blockhash = BlockHeader.decode(fromHex(merkleBlock.slice(0, 160))).hashHex();
    const block = Block.decode(fromHex(String(await client.call('getblock', [blockhash, 0]))));
    const header = (await client.call('getblockheader', [blockhash, true])) as { height: unknown };
    const txids = block.txs.map((tx) => tx.txid());
    const index = block.txs.findIndex((tx) => tx.txidHex() === txid.toLowerCase());
    if (index < 0) throw new Error(`block ${blockhash} does not contain ${txid}`);
    return buildTxProof(block.header, Number(header.height), txids, index);
  } finally {
    client.close();
  }
}

/** Undefined when the node has the proof's block on its active chain at the proof's height. */
async function activeChainCheck(opts: ConnectionOptions, proof: TxProof): Promise<string | undefined> {
  const client = connect(opts, DEFAULTS);
  try {
    const header = (await client.call('getblockheader', [proof.blockhash, true])) as {
      height: unknown;
      confirmations: unknown;
    };
    if (Number(header.confirmations) < 1) return `block ${proof.blockhash} is not on the node's active chain`;
    if (Number(header.height) !== proof.height) {
      return `block ${proof.blockhash} is at height ${Number(header.height)}, the proof says ${proof.height}`;
    }
    return undefined;
  } catch (err) {
    return `the node does not know block ${proof.blockhash}: ${(err as Error).message}`;
  } finally {
    client.close();
  }
}
