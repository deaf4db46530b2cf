import { Transaction } from '../../primitives/transaction.js';
import { TxIn } from '../../primitives/txin.js';
import type { TxOut } from '../../primitives/txout.js';
import { Psbt } from '../../wallet/psbt/psbt.js';
import type { RpcContext } from '../context.js';
import { RpcError, RpcErrorCode } from '../errors.js';
import type { RpcMethod } from '../registry.js';
import { decodePsbtArg, PSBT_RESULT, psbtListParam } from './psbt.js';

/**
 * joinpsbts (Core's rpc/rawtransaction.cpp): one PSBT holding the inputs and outputs of several,
 * in a random order so the result does not reveal which parts came from whom.
 */

/** Fisher-Yates with crypto randomness (Core shuffles with FastRandomContext). */
function shuffle<T>(items: T[]): T[] {
  const random = new Uint32Array(items.length);
  crypto.getRandomValues(random);
  for (let i = items.length - 1; i > 0; i--) {
    const j = random[i]! % (i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export const joinpsbts: RpcMethod<RpcContext> = {
  name: 'joinpsbts',
  category: 'rawtransactions',
  params: [psbtListParam],
  description:
    'Joins multiple distinct PSBTs with different inputs and outputs into one PSBT with inputs and outputs from all of the PSBTs\n' +
    'No input in any of the PSBTs can be in more than one of the PSBTs.',
  result: PSBT_RESULT,
  examples: ['\'["psbt1", "psbt2"]\''],
  handler: (_ctx, args) => {
    const txs = args.array(0);
    if (txs.length <= 1) {
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_PARAMETER,
        'At least two PSBTs are required to join PSBTs.',
      );
    }
    const psbts = txs.map(decodePsbtArg);
    // Highest version, lowest locktime (Core's choice).
    let version = 1;
    let locktime = 0xffffffff;
    for (const p of psbts) {
      if (p.unsignedTx.version >>> 0 > version) version = p.unsignedTx.version >>> 0;
      if (p.unsignedTx.locktime < locktime) locktime = p.unsignedTx.locktime;
    }
    const seen = new Set<string>();
    const inputs: { txin: TxIn; map: Psbt['inputs'][number] }[] = [];
    const outputs: { txout: TxOut; map: Psbt['outputs'][number] }[] = [];
    const xpubs: Psbt['xpubs'] = [];
    const unknown: Psbt['unknown'] = [];
    for (const p of psbts) {
      p.unsignedTx.inputs.forEach((txin, i) => {
        const key = txin.prevout.key();
        if (seen.has(key)) {
          throw new RpcError(
            RpcErrorCode.RPC_INVALID_PARAMETER,
            `Input ${txin.prevout.txid()}:${txin.prevout.index} exists in multiple PSBTs`,
          );
        }
        seen.add(key);
        inputs.push({ txin, map: p.inputs[i]! });
      });
      p.unsignedTx.outputs.forEach((txout, i) => {
        outputs.push({ txout, map: p.outputs[i]! });
      });
      for (const x of p.xpubs) if (!xpubs.some((y) => Buffer.compare(x.xpub, y.xpub) === 0)) xpubs.push(x);
      for (const r of p.unknown)
        if (!unknown.some((u) => Buffer.compare(u.key, r.key) === 0)) unknown.push(r);
    }
    shuffle(inputs);
    shuffle(outputs);
    const tx = new Transaction(
      version,
      inputs.map(({ txin }) => new TxIn(txin.prevout, new Uint8Array(0), txin.sequence)),
      outputs.map(({ txout }) => txout),
      locktime,
    );
    const joined = new Psbt(tx);
    inputs.forEach(({ map }, i) => {
      joined.inputs[i] = map;
    });
    outputs.forEach(({ map }, i) => {
      joined.outputs[i] = map;
    });
    joined.xpubs = xpubs;
    joined.unknown = unknown;
    // Through the codec: the result shares no field with the decoded arguments.
    return joined.clone().toBase64();
  },
};
