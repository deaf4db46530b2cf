import { toDisplayHex, toHex } from '../../encoding/hex.js';
import { MEMPOOL_HEIGHT } from '../../mempool/coin-view.js';
import type { Coin } from '../../primitives/coin.js';
import { MerkleBlock } from '../../primitives/merkle-block.js';
import { OutPoint } from '../../primitives/outpoint.js';
import { ensureChain, type RpcContext } from '../context.js';
import { RpcError, RpcErrorCode } from '../errors.js';
import { Amount } from '../json/amount.js';
import { scriptPubKeyJson } from '../json/transaction.js';
import { parseHash, parseHex } from '../params.js';
import type { RpcMethod } from '../registry.js';
import { lookupBlock, readBlock } from './blockchain.js';

type Method = RpcMethod<RpcContext>;

/** Core's MAX_OUTPUTS_PER_BLOCK: the most outputs one transaction can have (AccessByTxid's scan). */
const MAX_OUTPUTS_PER_BLOCK = Math.floor(4_000_000 / 36);

export const gettxout: Method = {
  name: 'gettxout',
  category: 'blockchain',
  params: [
    { name: 'txid', type: 'hex', required: true, description: 'The transaction id' },
    { name: 'n', type: 'number', required: true, description: 'vout number' },
    {
      name: 'include_mempool',
      type: 'boolean',
      default: true,
      description: 'Whether to include the mempool.',
    },
  ],
  description:
    'Returns details about an unspent transaction output.\n' +
    "Note that an unspent output that is spent in the mempool won't appear when include_mempool is true.",
  result: `null if the output is spent or unknown, else
{ "bestblock" : "hex", "confirmations" : n, "value" : n, "scriptPubKey" : {...}, "coinbase" : true|false }`,
  examples: ['"txid" 1'],
  handler: (ctx, args) => {
    const chain = ensureChain(ctx);
    const txid = parseHash(args.raw(0), 'txid');
    // A negative n becomes a huge uint32 in Core's COutPoint: an output that cannot exist.
    const outpoint = new OutPoint(txid, args.int(1) >>> 0);
    let coin: Coin | undefined;
    if (args.bool(2) && ctx.mempool !== undefined) {
      if (ctx.mempool.spender(outpoint) !== undefined) return null;
      coin = ctx.mempool.getCoin(outpoint) ?? chain.getCoin(outpoint);
    } else {
      coin = chain.getCoin(outpoint);
    }
    if (coin === undefined) return null;
    const tip = chain.tip;
    return {
      bestblock: tip.hashHex(),
      confirmations: coin.height === MEMPOOL_HEIGHT ? 0 : tip.height - coin.height + 1,
      value: new Amount(coin.value),
      scriptPubKey: scriptPubKeyJson(coin.scriptPubKey, ctx.network.addressPrefixes),
      coinbase: coin.coinbase,
    };
  },
};

export const gettxoutsetinfo: Method = {
  name: 'gettxoutsetinfo',
  category: 'blockchain',
  params: [
    {
      name: 'hash_type',
      type: 'string',
      default: 'hash_serialized_3',
      description:
        "Which UTXO set hash should be calculated. Options: 'hash_serialized_3' (the legacy algorithm), 'none'.",
    },
    {
      name: 'hash_or_height',
      type: 'any',
      helpType: 'string or numeric',
      description: 'The block hash or height of the target height (only available with coinstatsindex).',
      defaultHint: 'the current best block',
    },
    { name: 'use_index', type: 'boolean', default: true, description: 'Use coinstatsindex, if available.' },
  ],
  description:
    'Returns statistics about the unspent transaction output set.\nNote this call may take some time.',
  result: `{ "height" : n, "bestblock" : "hex", "txouts" : n, "bogosize" : n, "hash_serialized_3" : "hex",
  "total_amount" : n, "transactions" : n, "disk_size" : n }`,
  examples: ['', '"none"'],
  handler: async (ctx, args) => {
    const chain = ensureChain(ctx);
    const hashType = args.str(0);
    if (hashType === 'muhash') {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_PARAMETER,
        "hash_type 'muhash' is not supported by Tally yet",
      );
    }
    if (hashType !== 'hash_serialized_3' && hashType !== 'none') {
      throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, `'${hashType}' is not a valid hash_type`);
    }
    if (!args.isNull(1)) {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_PARAMETER,
        'Querying specific block heights requires coinstatsindex',
      );
    }
    const d = await chain.utxoDigest();
    return {
      height: d.height,
      bestblock: toDisplayHex(d.bestblock),
      txouts: d.txouts,
      bogosize: d.bogosize,
      hash_serialized_3: hashType === 'none' ? undefined : toDisplayHex(d.hash_serialized_3),
      total_amount: new Amount(d.total_amount),
      transactions: d.transactions,
      disk_size: ctx.chainstateSize?.() ?? 0,
    };
  },
};

export const gettxoutproof: Method = {
  name: 'gettxoutproof',
  category: 'blockchain',
  params: [
    {
      name: 'txids',
      type: 'array',
      required: true,
      description: 'The txids to filter',
      oneline: '["txid",...]',
    },
    {
      name: 'blockhash',
      type: 'hex',
      description: 'If specified, looks for txid in the block with this hash',
    },
  ],
  description:
    'Returns a hex-encoded proof that "txid" was included in a block.\n\n' +
    'NOTE: By default this function only works sometimes. This is when there is an\n' +
    'unspent output in the utxo for this transaction. To make it always work,\n' +
    'you need to maintain a transaction index, using the -txindex command line option or\n' +
    'specify the block in which the transaction is included manually (by blockhash).',
  result: '"str"    (string) A string that is a serialized, hex-encoded data for the proof.',
  examples: ['\'["txid"]\''],
  handler: async (ctx, args) => {
    const chain = ensureChain(ctx);
    const txidValues = args.array(0);
    if (txidValues.length === 0) {
      throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, "Parameter 'txids' cannot be empty");
    }
    const wanted = new Map<string, Uint8Array>();
    for (const value of txidValues) {
      const txid = parseHash(value, 'txid');
      const key = toHex(txid);
      if (wanted.has(key)) {
        throw new RpcError(
          RpcErrorCode.RPC_INVALID_PARAMETER,
          `Invalid parameter, duplicated txid: ${value as string}`,
        );
      }
      wanted.set(key, txid);
    }
    let entry = args.isNull(1) ? undefined : lookupBlock(chain, parseHash(args.raw(1), 'blockhash'));
    if (entry === undefined) {
      // Core walks its txid set in uint256 order (memcmp of the internal bytes, as hex sorts).
      const txids = [...wanted.keys()].sort().map((k) => wanted.get(k)!);
      // Core first looks for an unspent output of each txid (the coin's height names the block), then
      // asks the tx index about the first txid. With a tx index the answer is the same block and the
      // index is one lookup where the UTXO scan is up to 111,111 per transaction, so it goes first.
      if (!chain.txIndex) entry = findByUnspentOutput(ctx, txids);
      if (entry === undefined) {
        const location = await chain.getTxLocation(txids[0]!);
        if (location === undefined) {
          throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Transaction not yet in block');
        }
        entry = chain.getEntry(location.blockHash);
        if (entry === undefined)
          throw new RpcError(RpcErrorCode.RPC_INTERNAL_ERROR, 'Transaction index corrupt');
      }
    }
    const block = await readBlock(chain, entry);
    let found = 0;
    for (const tx of block.txs) if (wanted.has(toHex(tx.txid()))) found++;
    if (found !== wanted.size) {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY,
        'Not all transactions found in specified or retrieved block',
      );
    }
    return toHex(MerkleBlock.fromBlock(block, (txid) => wanted.has(toHex(txid))).encode());
  },
};

/** Core's AccessByTxid over the UTXO set: the block of the first txid with an unspent output. */
function findByUnspentOutput(ctx: RpcContext, txids: readonly Uint8Array[]) {
  const chain = ensureChain(ctx);
  for (const txid of txids) {
    for (let n = 0; n < MAX_OUTPUTS_PER_BLOCK; n++) {
      const coin = chain.getCoin(new OutPoint(txid, n));
      if (coin !== undefined) return chain.getEntryAtHeight(coin.height);
    }
  }
  return undefined;
}

export const verifytxoutproof: Method = {
  name: 'verifytxoutproof',
  category: 'blockchain',
  params: [
    {
      name: 'proof',
      type: 'hex',
      required: true,
      description: 'The hex-encoded proof generated by gettxoutproof',
    },
  ],
  description:
    'Verifies that a proof points to a transaction in a block, returning the transaction it commits to\n' +
    'and throwing an RPC error if the block is not in our best chain',
  result:
    '[ "hex", ... ]    (json array) The txid(s) which the proof commits to, or empty array if the proof cannot be validated.',
  examples: ['"proof"'],
  handler: async (ctx, args) => {
    const chain = ensureChain(ctx);
    let proof: MerkleBlock;
    try {
      proof = MerkleBlock.decode(parseHex(args.raw(0), 'proof'));
    } catch (err) {
      if (err instanceof RpcError) throw err;
      throw new RpcError(
        RpcErrorCode.RPC_DESERIALIZATION_ERROR,
        `Proof decode failed: ${(err as Error).message}`,
      );
    }
    const verified = proof.verify();
    if (!verified.ok) return [];
    const entry = chain.getEntry(proof.header.hash());
    if (entry === undefined || !chain.isOnActiveChain(entry) || !entry.hasData()) {
      throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Block not found in chain');
    }
    const block = await readBlock(chain, entry);
    // The tree must cover every transaction of the block, or it proves a different tree shape.
    if (block.txs.length !== proof.tree.totalTransactions) return [];
    return verified.matches.map((m) => toDisplayHex(m.hash));
  },
};
