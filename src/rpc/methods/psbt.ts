import { toHex } from '../../encoding/hex.js';
import type { Transaction } from '../../primitives/transaction.js';
import type { TxOut } from '../../primitives/txout.js';
import { analyzePsbt } from '../../wallet/psbt/analyzer.js';
import { combinePsbts } from '../../wallet/psbt/combiner.js';
import { psbtFromTransaction } from '../../wallet/psbt/creator.js';
import { PsbtError } from '../../wallet/psbt/errors.js';
import { extractTransaction } from '../../wallet/psbt/extractor.js';
import { finalizePsbt } from '../../wallet/psbt/finalizer.js';
import { Psbt } from '../../wallet/psbt/psbt.js';
import { updatePsbt } from '../../wallet/psbt/updater.js';
import type { OutPoint } from '../../primitives/outpoint.js';
import { ensureChain, type RpcContext } from '../context.js';
import { RpcError, RpcErrorCode, typeError } from '../errors.js';
import { analyzePsbtJson, decodePsbtJson, sighashFromString } from '../json/psbt.js';
import type { RpcMethod } from '../registry.js';
import { decodeTransactionHex } from '../tx-decode.js';
import { readBlock } from './blockchain.js';
import { type SolvingData, solvingDataFromDescriptors } from './psbt-descriptors.js';
import {
  constructTransaction,
  parseLocktime,
  parseRawInputs,
  parseRawOutputs,
  parseTxVersion,
} from './psbt-construct.js';

type Method = RpcMethod<RpcContext>;

/**
 * The node's PSBT methods (Core's rpc/rawtransaction.cpp): BIP174 roles that need no wallet —
 * creator, updater from the node's own UTXO set, combiner, finalizer, extractor, and analysis.
 */

/**
 * Core's ParseSighashString; DEFAULT (0) signs as ALL, which is what it means for the ECDSA
 * (non-taproot) inputs Tally's wallet signs.
 */
export function parseSighash(value: unknown): number {
  if (value === null || value === undefined) return 0x01;
  if (typeof value !== 'string') throw typeError(value, 'string');
  const type = sighashFromString(value);
  if (type === undefined) {
    throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, `'${value}' is not a valid sighash parameter.`);
  }
  return type === 0 ? 0x01 : type;
}

/** Core's DecodeBase64PSBT failure: "TX decode failed <reason>". */
export function decodePsbtArg(value: unknown): Psbt {
  if (typeof value !== 'string') throw typeError(value, 'string');
  try {
    return Psbt.fromBase64(value);
  } catch (err) {
    if (err instanceof PsbtError) {
      throw new RpcError(RpcErrorCode.RPC_DESERIALIZATION_ERROR, `TX decode failed ${err.message}`);
    }
    throw err;
  }
}

/** The `psbt` argument of the methods that take one PSBT. */
const psbtParam = {
  name: 'psbt',
  type: 'string',
  required: true,
  description: 'A base64 string of a PSBT',
} as const;

/** The `txs` argument of combinepsbt and joinpsbts. */
export const psbtListParam = {
  name: 'txs',
  type: 'array',
  required: true,
  description: 'The base64 strings of partially signed transactions',
  oneline: '["psbt",...]',
} as const;

/** The help result of the methods that answer one PSBT. */
export const PSBT_RESULT = '"str"    (string) The base64-encoded partially signed transaction';

export const inputsParam = {
  name: 'inputs',
  type: 'array',
  required: true,
  description: 'The json objects',
  oneline: '[{"txid":"hex","vout":n,"sequence":n},...]',
} as const;

export const outputsParam = {
  name: 'outputs',
  type: 'any',
  helpType: 'json array',
  required: true,
  description:
    'The outputs specified as key-value pairs.\n' +
    "Each key may only appear once, i.e. there can only be one 'data' output, and no address may be duplicated.\n" +
    'At least one output of either type must be specified.\n' +
    'For compatibility reasons, a dictionary, which holds the key-value pairs directly, is also\n' +
    '                             accepted as second parameter.',
  oneline: '[{"address":amount,...},{"data":"hex"},...]',
} as const;

export const createpsbt: Method = {
  name: 'createpsbt',
  category: 'rawtransactions',
  params: [
    inputsParam,
    outputsParam,
    {
      name: 'locktime',
      type: 'number',
      default: 0,
      description: 'Raw locktime. Non-0 value also locktime-activates inputs',
    },
    {
      name: 'replaceable',
      type: 'boolean',
      default: true,
      description:
        'Marks this transaction as BIP125-replaceable.\n' +
        'Allows this transaction to be replaced by a transaction with higher fees. If provided, it is an error if explicit sequence numbers are incompatible.',
    },
    { name: 'version', type: 'number', default: 2, description: 'Transaction version' },
  ],
  description:
    'Creates a transaction in the Partially Signed Transaction format.\n' +
    'Implements the Creator role.\n' +
    "Note that the transaction's inputs are not signed, and\n" +
    'it is not stored in the wallet or transmitted to the network.',
  result: '"str"    (string) The resulting raw transaction (base64-encoded string)',
  examples: ['\'[{"txid":"myid","vout":0}]\' \'[{"data":"00010203"}]\''],
  handler: (ctx, args) => {
    // Core's ConstructTransaction order: locktime, version, inputs, outputs, then RBF consistency.
    const locktime = parseLocktime(args.raw(2));
    const version = parseTxVersion(args.raw(4));
    const rbf = args.isNull(3) ? undefined : args.bool(3);
    const inputs = parseRawInputs(args.raw(0));
    const outputs = parseRawOutputs(args.raw(1), ctx.network.addressPrefixes);
    const tx = constructTransaction(inputs, outputs, locktime, rbf, version);
    return new Psbt(tx).toBase64();
  },
};

export const decodepsbt: Method = {
  name: 'decodepsbt',
  category: 'rawtransactions',
  params: [{ name: 'psbt', type: 'string', required: true, description: 'The PSBT base64 string' }],
  description:
    'Return a JSON object representing the serialized, base64-encoded partially signed Bitcoin transaction.',
  result:
    '{ "tx", "global_xpubs", "psbt_version", "proprietary", "unknown", "inputs" : [...], "outputs" : [...], "fee" }',
  examples: ['"psbt"'],
  handler: (ctx, args) => decodePsbtJson(decodePsbtArg(args.raw(0)), ctx.network.addressPrefixes),
};

export const analyzepsbt: Method = {
  name: 'analyzepsbt',
  category: 'rawtransactions',
  params: [psbtParam],
  description: 'Analyzes and provides information about the current status of a PSBT and its inputs',
  result:
    '{ "inputs" : [ { "has_utxo", "is_final", "missing" : { "pubkeys", "signatures", "redeemscript", "witnessscript" }, "next" } ], "estimated_vsize", "estimated_feerate", "fee", "next", "error" }',
  examples: ['"psbt"'],
  handler: (_ctx, args) => analyzePsbtJson(analyzePsbt(decodePsbtArg(args.raw(0)))),
};

/** Core's JSONRPCTransactionError for a failed PSBT role: RPC_TRANSACTION_ERROR and the reason. */
function psbtRoleError(err: unknown): unknown {
  if (err instanceof PsbtError) return new RpcError(RpcErrorCode.RPC_TRANSACTION_ERROR, err.message);
  return err;
}

export const combinepsbt: Method = {
  name: 'combinepsbt',
  category: 'rawtransactions',
  params: [psbtListParam],
  description:
    'Combine multiple partially signed Bitcoin transactions into one transaction.\n' +
    'Implements the Combiner role.',
  result: PSBT_RESULT,
  examples: ['\'["mybase64_1", "mybase64_2", "mybase64_3"]\''],
  handler: (_ctx, args) => {
    const txs = args.array(0);
    if (txs.length === 0) {
      throw new RpcError(RpcErrorCode.RPC_INVALID_PARAMETER, "Parameter 'txs' cannot be empty");
    }
    const psbts = txs.map(decodePsbtArg);
    try {
      return combinePsbts(psbts).toBase64();
    } catch (err) {
      throw psbtRoleError(err);
    }
  },
};

/** Core's FinalizeAndExtractPSBT: finalize what can be, extract when complete. */
export function finalizeAndExtract(psbt: Psbt): { complete: boolean; tx: Transaction | undefined } {
  const result = finalizePsbt(psbt);
  if (!result.complete) return { complete: false, tx: undefined };
  try {
    return { complete: true, tx: extractTransaction(psbt) };
  } catch (err) {
    if (err instanceof PsbtError) return { complete: false, tx: undefined };
    throw err;
  }
}

export const finalizepsbt: Method = {
  name: 'finalizepsbt',
  category: 'rawtransactions',
  params: [
    psbtParam,
    {
      name: 'extract',
      type: 'boolean',
      default: true,
      description:
        'If true and the transaction is complete,\n' +
        '                             extract and return the complete transaction in normal network serialization instead of the PSBT.',
    },
  ],
  description:
    'Finalize the inputs of a PSBT. If the transaction is fully signed, it will produce a\n' +
    'network serialized transaction which can be broadcast with sendrawtransaction. Otherwise a PSBT will be\n' +
    'created which has the final_scriptSig and final_scriptwitness fields filled for inputs that are complete.\n' +
    'Implements the Finalizer and Extractor roles.',
  result: '{ "psbt", "hex", "complete" }',
  examples: ['"psbt"'],
  handler: (_ctx, args) => {
    const psbt = decodePsbtArg(args.raw(0));
    const extract = args.bool(1);
    const { complete, tx } = finalizeAndExtract(psbt);
    if (complete && extract && tx !== undefined) return { hex: toHex(tx.encode(true)), complete };
    return { psbt: psbt.toBase64(), complete };
  },
};

export const converttopsbt: Method = {
  name: 'converttopsbt',
  category: 'rawtransactions',
  params: [
    { name: 'hexstring', type: 'string', required: true, description: 'The hex string of a raw transaction' },
    {
      name: 'permitsigdata',
      type: 'boolean',
      default: false,
      description:
        'If true, any signatures in the input will be discarded and conversion\n' +
        '                              will continue. If false, RPC will fail if any signatures are present.',
    },
    {
      name: 'iswitness',
      type: 'boolean',
      defaultHint: 'depends on heuristic tests',
      description:
        'Whether the transaction hex is a serialized witness transaction.\n' +
        'If iswitness is not present, heuristic tests will be used in decoding.\n' +
        'If true, only witness deserialization will be tried.\n' +
        'If false, only non-witness deserialization will be tried.\n' +
        'This boolean should reflect whether the transaction has inputs\n' +
        '(e.g. fully valid, or on-chain transactions), if known by the caller.',
    },
  ],
  description:
    'Converts a network serialized transaction to a PSBT. This should be used only with createrawtransaction and fundrawtransaction\n' +
    'createpsbt and walletcreatefundedpsbt should be used for new applications.',
  result: '"str"    (string) The resulting raw transaction (base64-encoded string)',
  examples: ['"rawtransaction"'],
  handler: (_ctx, args) => {
    const permitSigData = args.bool(1);
    const witnessGiven = !args.isNull(2);
    const isWitness = witnessGiven ? args.bool(2) : false;
    // Core: without permitsigdata only the non-witness reading is tried (an unsigned tx has no witness).
    const tryWitness = permitSigData ? (witnessGiven ? isWitness : true) : false;
    const tryNoWitness = permitSigData ? (witnessGiven ? !isWitness : true) : true;
    const tx = decodeTransactionHex(args.str(0), { tryWitness, tryNoWitness });
    if (tx === undefined) throw new RpcError(RpcErrorCode.RPC_DESERIALIZATION_ERROR, 'TX decode failed');
    try {
      return psbtFromTransaction(tx, permitSigData).toBase64();
    } catch (err) {
      if (err instanceof PsbtError) {
        throw new RpcError(
          RpcErrorCode.RPC_DESERIALIZATION_ERROR,
          'Inputs must not have scriptSigs and scriptWitnesses',
        );
      }
      throw err;
    }
  },
};

/** The transaction `txid` from the mempool, or from the transaction index when the node keeps one. */
async function findTransaction(ctx: RpcContext, txid: Uint8Array): Promise<Transaction | undefined> {
  const chain = ensureChain(ctx);
  if (chain.txIndex) {
    const location = await chain.getTxLocation(txid);
    const entry = location === undefined ? undefined : chain.getEntry(location.blockHash);
    if (location !== undefined && entry !== undefined) {
      const tx = (await readBlock(chain, entry)).txs[location.index];
      if (tx !== undefined) return tx;
    }
  }
  return ctx.mempool?.get(txid)?.tx;
}

/** Core's FindCoins: the output from a mempool transaction, else from the chain's UTXO set. */
function findCoin(ctx: RpcContext, outpoint: OutPoint): TxOut | undefined {
  const fromPool = ctx.mempool?.getCoin(outpoint);
  if (fromPool !== undefined) return fromPool.toTxOut();
  return ensureChain(ctx).getCoin(outpoint)?.toTxOut();
}

/**
 * Core's ProcessPSBT as utxoupdatepsbt uses it: the previous transaction for inputs that lack it
 * (txindex, then mempool), else the spent output from the UTXO set for segwit inputs.
 */
export async function updateFromNode(ctx: RpcContext, psbt: Psbt, solving?: SolvingData): Promise<void> {
  const previousTransactions: Transaction[] = [];
  const utxos: { outpoint: OutPoint; output: TxOut }[] = [];
  for (let i = 0; i < psbt.inputs.length; i++) {
    if (psbt.inputs[i]!.nonWitnessUtxo !== undefined) continue;
    const prevout = psbt.unsignedTx.inputs[i]!.prevout;
    const tx = await findTransaction(ctx, prevout.hash);
    if (tx !== undefined) previousTransactions.push(tx);
    else {
      const output = findCoin(ctx, prevout);
      if (output !== undefined) utxos.push({ outpoint: prevout, output });
    }
  }
  updatePsbt(psbt, {
    previousTransactions,
    utxos,
    ...(solving !== undefined && {
      redeemScripts: solving.redeemScripts,
      witnessScripts: solving.witnessScripts,
      derivations: solving.derivations,
    }),
  });
}

export const utxoupdatepsbt: Method = {
  name: 'utxoupdatepsbt',
  category: 'rawtransactions',
  params: [
    psbtParam,
    {
      name: 'descriptors',
      type: 'array',
      description:
        'An array of either strings or objects: an output descriptor, or {"desc": descriptor, "range": end or [begin,end]} (range default 1000: up to what index HD chains should be explored)',
      oneline: '["",{"desc":"str","range":n or [n,n]},...]',
    },
  ],
  description:
    'Updates all segwit inputs and outputs in a PSBT with data from output descriptors, the UTXO set, txindex, or the mempool.',
  result: `${PSBT_RESULT} with inputs updated`,
  examples: ['"psbt"'],
  handler: async (ctx, args) => {
    const psbt = decodePsbtArg(args.raw(0));
    const solving = solvingDataFromDescriptors(args.raw(1), ctx.network);
    await updateFromNode(ctx, psbt, solving);
    return psbt.toBase64();
  },
};
