import type { ChainEntry } from '../../chain/chain-entry.js';
import { TxValidationResult } from '../../consensus/errors.js';
import { equalBytes } from '../../encoding/bytes.js';
import { fromDisplayHex, toDisplayHex, toHex } from '../../encoding/hex.js';
import type { MempoolRejection } from '../../mempool/options.js';
import { feeForSize, feeRateOf } from '../../policy/fee-rate.js';
import { OutPoint } from '../../primitives/outpoint.js';
import type { Transaction } from '../../primitives/transaction.js';
import { isUnspendable } from '../../script/script.js';
import { ensureChain, ensureMempool, type RpcContext } from '../context.js';
import { RpcError, RpcErrorCode, typeError } from '../errors.js';
import { Amount } from '../json/amount.js';
import { decodeScriptJson } from '../json/script.js';
import { transactionJson } from '../json/transaction.js';
import { amountFromValue, parseFeeRate, parseHash, parseHex, parseVerbosity } from '../params.js';
import type { RpcMethod } from '../registry.js';
import { decodeTransactionHex, hasValidOps } from '../tx-decode.js';
import { readBlock } from './blockchain.js';

type Method = RpcMethod<RpcContext>;

/** Core's DEFAULT_MAX_RAW_TX_FEE_RATE: 0.10 BTC/kvB. */
const DEFAULT_MAX_FEE_RATE = 0.1;
/** Core's MAX_PACKAGE_COUNT. */
const MAX_PACKAGE_COUNT = 25;

/** Core's TxValidationState::ToString: reason, and the debug message after a comma when there is one. */
function stateString(r: MempoolRejection): string {
  return r.debug === '' ? r.reason : `${r.reason}, ${r.debug}`;
}

export const decoderawtransaction: Method = {
  name: 'decoderawtransaction',
  category: 'rawtransactions',
  params: [
    { name: 'hexstring', type: 'hex', required: true, description: 'The transaction hex string' },
    {
      name: 'iswitness',
      type: 'boolean',
      defaultHint: 'depends on heuristic tests',
      description:
        'Whether the transaction hex is a serialized witness transaction.\n' +
        'If iswitness is not present, heuristic tests will be used in decoding.',
    },
  ],
  description: 'Return a JSON object representing the serialized, hex-encoded transaction.',
  result:
    '{ "txid", "hash", "size", "vsize", "weight", "version", "locktime", "vin" : [...], "vout" : [...] }',
  examples: ['"hexstring"'],
  handler: (ctx, args) => {
    const witness = args.isNull(1) ? undefined : args.bool(1);
    const tx = decodeTransactionHex(args.str(0), {
      tryWitness: witness ?? true,
      tryNoWitness: witness === undefined ? true : !witness,
    });
    if (tx === undefined) throw new RpcError(RpcErrorCode.RPC_DESERIALIZATION_ERROR, 'TX decode failed');
    return transactionJson(tx, ctx.network.addressPrefixes);
  },
};

export const decodescript: Method = {
  name: 'decodescript',
  category: 'rawtransactions',
  params: [{ name: 'hexstring', type: 'hex', required: true, description: 'the hex-encoded script' }],
  description: 'Decode a hex-encoded script.',
  result: `{ "asm", "desc", "address", "type", "p2sh",
  "segwit" : { "asm", "desc", "hex", "address", "type", "p2sh-segwit" } }`,
  examples: ['"hexstring"'],
  handler: (ctx, args) => {
    const hex = args.str(0);
    // An empty script is valid here (Core skips the hex check for it).
    const script = hex.length === 0 ? new Uint8Array(0) : parseHex(hex, 'argument');
    return decodeScriptJson(script, ctx.network.addressPrefixes);
  },
};

/** Adds what TxToJSON adds after the transaction itself: where it was mined and how deep. */
function confirmationFields(ctx: RpcContext, json: Record<string, unknown>, entry: ChainEntry): void {
  const chain = ensureChain(ctx);
  json.blockhash = entry.hashHex();
  if (chain.isOnActiveChain(entry)) {
    json.confirmations = chain.height - entry.height + 1;
    json.time = entry.time;
    json.blocktime = entry.time;
  } else {
    json.confirmations = 0;
  }
}

export const getrawtransaction: Method = {
  name: 'getrawtransaction',
  category: 'rawtransactions',
  params: [
    { name: 'txid', type: 'hex', required: true, description: 'The transaction id' },
    {
      name: 'verbosity|verbose',
      type: 'any',
      helpType: 'numeric',
      default: 0,
      description: '0 for hex-encoded data, 1 for a JSON object, and 2 for JSON object with fee and prevout',
    },
    { name: 'blockhash', type: 'hex', description: 'The block in which to look for the transaction' },
  ],
  description:
    'By default, this call only returns a transaction if it is in the mempool. If -txindex is enabled\n' +
    'and no blockhash argument is passed, it will return the transaction if it is in the mempool or any block.\n' +
    'If a blockhash argument is passed, it will return the transaction if\n' +
    'the specified block is available and the transaction is in that block.',
  result:
    '"hex" (verbosity 0), or the decoded transaction with "hex", "blockhash", "confirmations", "time", "blocktime"',
  examples: ['"mytxid"', '"mytxid" 1', '"mytxid" 0 "myblockhash"'],
  handler: async (ctx, args) => {
    const chain = ensureChain(ctx);
    const txid = parseHash(args.raw(0), 'parameter 1');
    if (equalBytes(txid, fromDisplayHex(ctx.network.genesis.merkleRoot))) {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY,
        'The genesis block coinbase is not considered an ordinary transaction and cannot be retrieved',
      );
    }
    const verbosity = parseVerbosity(args.raw(1), 0, true);
    let entry: ChainEntry | undefined;
    if (!args.isNull(2)) {
      entry = chain.getEntry(parseHash(args.raw(2), 'parameter 3'));
      if (entry === undefined)
        throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Block hash not found');
    }
    const given = entry !== undefined;
    let tx: Transaction | undefined;
    let index = -1;
    if (entry === undefined) {
      tx = ctx.mempool?.get(txid)?.tx;
      if (tx === undefined && chain.txIndex) {
        const location = await chain.getTxLocation(txid);
        entry = location === undefined ? undefined : chain.getEntry(location.blockHash);
        if (location !== undefined && entry !== undefined) {
          tx = (await readBlock(chain, entry)).txs[location.index];
          index = location.index;
        }
      }
    } else {
      if (!entry.hasData()) throw new RpcError(RpcErrorCode.RPC_MISC_ERROR, 'Block not available');
      const block = await readBlock(chain, entry);
      index = block.txs.findIndex((t) => equalBytes(t.txid(), txid));
      tx = block.txs[index];
    }
    if (tx === undefined) {
      let message: string;
      if (given) message = 'No such transaction found in the provided block';
      else if (!chain.txIndex) {
        message =
          'No such mempool transaction. Use -txindex or provide a block hash to enable blockchain transaction queries';
      } else message = 'No such mempool or blockchain transaction';
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY,
        `${message}. Use gettransaction for wallet transactions.`,
      );
    }
    if (verbosity <= 0) return toHex(tx.encode(true));
    const json: Record<string, unknown> = {};
    if (given) json.in_active_chain = chain.isOnActiveChain(entry!);
    // Verbosity 2 adds fee and prevouts for a confirmed non-coinbase transaction whose undo data exists.
    const prevouts =
      verbosity >= 2 && entry !== undefined && index > 0 ? await chain.getUndo(entry.hash) : undefined;
    const spent = prevouts?.[index - 1];
    Object.assign(
      json,
      transactionJson(tx, ctx.network.addressPrefixes, {
        includeHex: true,
        ...(spent !== undefined && { prevouts: spent, showPrevouts: true }),
      }),
    );
    if (entry !== undefined) confirmationFields(ctx, json, entry);
    return json;
  },
};

const maxFeeRateParam = {
  name: 'maxfeerate',
  type: 'amount',
  default: DEFAULT_MAX_FEE_RATE,
  description:
    'Reject transactions whose fee rate is higher than the specified value, expressed in BTC/kvB.\n' +
    'Fee rates larger than 1BTC/kvB are rejected.\nSet to 0 to accept any fee rate.',
} as const;

export const sendrawtransaction: Method = {
  name: 'sendrawtransaction',
  category: 'rawtransactions',
  params: [
    { name: 'hexstring', type: 'hex', required: true, description: 'The hex string of the raw transaction' },
    maxFeeRateParam,
    {
      name: 'maxburnamount',
      type: 'amount',
      default: 0,
      description:
        "Reject transactions with provably unspendable outputs (e.g. 'datacarrier' outputs that use the OP_RETURN opcode) greater than the specified value, expressed in BTC.",
    },
  ],
  description:
    'Submit a raw transaction (serialized, hex-encoded) to local node and network.\n\n' +
    'The transaction will be sent unconditionally to all peers, so using sendrawtransaction\n' +
    "for manual rebroadcast may degrade privacy by leaking the transaction's origin.",
  result: '"hex"    (string) The transaction hash in hex',
  examples: ['"signedhex"'],
  handler: async (ctx, args) => {
    const maxBurn = amountFromValue(args.value(2));
    const tx = decodeTransactionHex(args.str(0));
    if (tx === undefined) {
      throw new RpcError(
        RpcErrorCode.RPC_DESERIALIZATION_ERROR,
        'TX decode failed. Make sure the tx has at least one input.',
      );
    }
    for (const out of tx.outputs) {
      if ((isUnspendable(out.scriptPubKey) || !hasValidOps(out.scriptPubKey)) && out.value > maxBurn) {
        throw new RpcError(
          RpcErrorCode.RPC_TRANSACTION_ERROR,
          'Unspendable output exceeds maximum configured by user (maxburnamount)',
        );
      }
    }
    const maxFee = feeForSize(parseFeeRate(args.value(1)), tx.vsize());
    const mempool = ensureMempool(ctx);
    const chain = ensureChain(ctx);
    const txid = tx.txid();
    // Core's BroadcastTransaction: a transaction already in the pool is just relayed again.
    if (mempool.has(txid)) return tx.txidHex();
    for (let n = 0; n < tx.outputs.length; n++) {
      if (chain.getCoin(new OutPoint(txid, n)) !== undefined) {
        throw new RpcError(
          RpcErrorCode.RPC_VERIFY_ALREADY_IN_UTXO_SET,
          'Transaction outputs already in utxo set',
        );
      }
    }
    if (maxFee > 0) {
      const tested = await mempool.testAccept(tx);
      if (!tested.ok) throw rejection(tested);
      if (tested.entry.fee > maxFee) {
        throw new RpcError(
          RpcErrorCode.RPC_TRANSACTION_ERROR,
          'Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)',
        );
      }
    }
    const accepted = await mempool.accept(tx);
    if (!accepted.ok) throw rejection(accepted);
    return tx.txidHex();
  },
};

/** Core's HandleATMPError + JSONRPCTransactionError. */
function rejection(r: MempoolRejection): RpcError {
  const code =
    r.result === TxValidationResult.MISSING_INPUTS
      ? RpcErrorCode.RPC_TRANSACTION_ERROR
      : RpcErrorCode.RPC_TRANSACTION_REJECTED;
  return new RpcError(code, stateString(r));
}

export const testmempoolaccept: Method = {
  name: 'testmempoolaccept',
  category: 'rawtransactions',
  params: [
    {
      name: 'rawtxs',
      type: 'array',
      required: true,
      description: 'An array of hex strings of raw transactions.',
      oneline: '["rawtx",...]',
    },
    maxFeeRateParam,
  ],
  description:
    'Returns result of mempool acceptance tests indicating if raw transaction(s) (serialized, hex-encoded) would be accepted by mempool.\n\n' +
    'This checks if transactions violate the consensus or policy rules.\n\n' +
    'Tally tests each transaction on its own: a child of another transaction in the same call reports missing-inputs.',
  result:
    '[ { "txid", "wtxid", "allowed", "vsize", "fees" : { "base", "effective-feerate", "effective-includes" }, "reject-reason", "reject-details" }, ... ]',
  examples: ['\'["signedhex"]\''],
  handler: async (ctx, args) => {
    const raws = args.array(0);
    if (raws.length < 1 || raws.length > MAX_PACKAGE_COUNT) {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_PARAMETER,
        `Array must contain between 1 and ${MAX_PACKAGE_COUNT} transactions.`,
      );
    }
    const rate = parseFeeRate(args.value(1));
    const txs = raws.map((raw) => {
      if (typeof raw !== 'string') throw typeError(raw, 'string');
      const tx = decodeTransactionHex(raw);
      if (tx === undefined) {
        throw new RpcError(
          RpcErrorCode.RPC_DESERIALIZATION_ERROR,
          `TX decode failed: ${raw} Make sure the tx has at least one input.`,
        );
      }
      return tx;
    });
    const mempool = ensureMempool(ctx);
    const results: Record<string, unknown>[] = [];
    let exitEarly = false;
    for (const tx of txs) {
      const json: Record<string, unknown> = { txid: tx.txidHex(), wtxid: tx.wtxidHex() };
      results.push(json);
      if (exitEarly) continue;
      const r = await mempool.testAccept(tx);
      if (!r.ok) {
        json.allowed = false;
        if (r.result === TxValidationResult.MISSING_INPUTS) json['reject-reason'] = 'missing-inputs';
        else {
          json['reject-reason'] = r.reason;
          json['reject-details'] = stateString(r);
        }
        continue;
      }
      const { fee, vsize, wtxid } = r.entry;
      const maxFee = feeForSize(rate, vsize);
      if (maxFee > 0 && fee > maxFee) {
        json.allowed = false;
        json['reject-reason'] = 'max-fee-exceeded';
        exitEarly = true;
        continue;
      }
      json.allowed = true;
      json.vsize = vsize;
      json.fees = {
        base: new Amount(fee),
        'effective-feerate': new Amount(feeRateOf(fee, vsize)),
        'effective-includes': [toDisplayHex(wtxid)],
      };
    }
    return results;
  },
};
