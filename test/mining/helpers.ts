import { OutPoint } from '../../src/primitives/outpoint.js';
import { Transaction } from '../../src/primitives/transaction.js';
import { TxIn } from '../../src/primitives/txin.js';
import { TxOut } from '../../src/primitives/txout.js';
import { BlockTemplate, type TemplateTransaction } from '../../src/mining/block-template.js';

/** Test builders for mining tests (not a test file itself). */

/** OP_TRUE: spendable with an empty scriptSig (and, as P2WSH-less bare script, no witness). */
export const OP_TRUE = Uint8Array.of(0x51);

/** A distinct, non-null outpoint. */
export function fakeOutpoint(n: number, index = 0): OutPoint {
  const hash = new Uint8Array(32);
  hash[0] = n & 0xff;
  hash[1] = (n >> 8) & 0xff;
  hash[31] = 0x42;
  return new OutPoint(hash, index);
}

/** A transaction spending `prevouts`; with `witness` every input carries a one-item witness. */
export function fakeTx(prevouts: OutPoint[], value: number, witness = false): Transaction {
  return new Transaction(
    2,
    prevouts.map((p) => new TxIn(p, new Uint8Array(0), 0xffffffff, witness ? [Uint8Array.of(1, 2, 3)] : [])),
    [new TxOut(value, OP_TRUE)],
    0,
  );
}

export function templateTx(tx: Transaction, fee = 1000, depends: number[] = []): TemplateTransaction {
  return { tx, fee, sigOpCost: 0, weight: tx.weight(), depends };
}

/** A template built from data alone (no chain), regtest-like unless overridden. */
export function makeTemplate(
  over: Partial<ConstructorParameters<typeof BlockTemplate>[0]> = {},
): BlockTemplate {
  return new BlockTemplate({
    version: 0x20000000,
    prevBlock: new Uint8Array(32).fill(7),
    height: 1,
    bits: 0x207fffff,
    time: 1_700_000_000,
    minTime: 1_600_000_001,
    coinbaseScript: OP_TRUE,
    subsidy: 50 * 100_000_000,
    transactions: [],
    segwit: true,
    longPollId: 'x',
    rules: ['csv', '!segwit', 'taproot'],
    ...over,
  });
}
