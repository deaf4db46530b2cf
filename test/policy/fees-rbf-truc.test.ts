import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Reject } from '../../src/consensus/reject.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { Transaction } from '../../src/primitives/transaction.js';
import { TxIn } from '../../src/primitives/txin.js';
import { TxOut } from '../../src/primitives/txout.js';
import {
  MANDATORY_SCRIPT_VERIFY_FLAGS,
  STANDARD_NOT_MANDATORY_VERIFY_FLAGS,
  STANDARD_SCRIPT_VERIFY_FLAGS,
} from '../../src/policy/constants.js';
import { checkEphemeralFee, checkEphemeralSpends } from '../../src/policy/ephemeral.js';
import {
  compareFeeRates,
  feeForSize,
  feeRateOf,
  formatFeeRate,
  formatMoney,
} from '../../src/policy/fee-rate.js';
import { paysForRbf, paysMoreThanConflicts, signalsOptInRbf } from '../../src/policy/rbf.js';
import { nonMandatoryScriptReason, PolicyReject } from '../../src/policy/reject.js';
import { checkTruc, type TrucPoolTx } from '../../src/policy/truc.js';
import { virtualSize } from '../../src/policy/vsize.js';
import { ScriptFlags, scriptFlagNames } from '../../src/script/flags.js';
import { p2wpkh } from '../../src/script/templates.js';

const txid = new Uint8Array(32).fill(0xab);
const display = 'ab'.repeat(32);

function tx(
  version: number,
  parents: Transaction[] = [],
  outputs = [new TxOut(10_000, p2wpkh(new Uint8Array(20)))],
) {
  const inputs =
    parents.length > 0
      ? parents.map((p) => new TxIn(new OutPoint(p.txid(), 0), new Uint8Array(0)))
      : [new TxIn(new OutPoint(new Uint8Array(32).fill(version + 9), 0), new Uint8Array(0))];
  return new Transaction(version, inputs, outputs, 0);
}

describe('policy: fee rates (CFeeRate arithmetic)', () => {
  it('GetFee rounds up and never gives 0 for a positive rate', () => {
    assert.equal(feeForSize(1000, 250), 250);
    assert.equal(feeForSize(1000, 141), 141);
    assert.equal(feeForSize(1, 141), 1);
    assert.equal(feeForSize(1500, 141), 212); // 211.5 -> 212
    assert.equal(feeForSize(0, 141), 0);
  });
  it('the fee rate of a fee and size truncates to sat/kvB', () => {
    assert.equal(feeRateOf(1000, 141), 7092);
    assert.equal(feeRateOf(5, 0), 0);
  });
  it('formats as Core: BTC/kvB with 8 decimals, FormatMoney with at least 2', () => {
    assert.equal(formatFeeRate(1000), '0.00001000 BTC/kvB');
    assert.equal(formatFeeRate(123_456_789), '1.23456789 BTC/kvB');
    assert.equal(formatMoney(0), '0.00');
    assert.equal(formatMoney(1000), '0.00001');
    assert.equal(formatMoney(150_000_000), '1.50');
  });
  it('compares rates by cross-multiplying', () => {
    assert.ok(compareFeeRates(1, 2, 2, 3) < 0);
    assert.equal(compareFeeRates(2, 4, 1, 2), 0);
  });
  it('virtual size: weight/4 rounded up, or sigops x bytespersigop when larger', () => {
    assert.equal(virtualSize(561, 0, 20), 141);
    assert.equal(virtualSize(400, 80, 20), 400); // 80 sigops x 20 = 1,600 weight units
  });
});

describe('policy: script flags', () => {
  it('mandatory flags are every consensus soft fork; standard adds the policy rules', () => {
    assert.deepEqual(scriptFlagNames(MANDATORY_SCRIPT_VERIFY_FLAGS), [
      'P2SH',
      'DERSIG',
      'NULLDUMMY',
      'CHECKLOCKTIMEVERIFY',
      'CHECKSEQUENCEVERIFY',
      'WITNESS',
      'TAPROOT',
    ]);
    assert.equal(STANDARD_SCRIPT_VERIFY_FLAGS & MANDATORY_SCRIPT_VERIFY_FLAGS, MANDATORY_SCRIPT_VERIFY_FLAGS);
    assert.equal(STANDARD_NOT_MANDATORY_VERIFY_FLAGS & ScriptFlags.LOW_S, ScriptFlags.LOW_S);
    // Every flag the interpreter knows is standard except SIGPUSHONLY (IsStandardTx checks push-only
    // scriptSigs itself, so Core never sets it).
    const all = Object.keys(ScriptFlags).filter((n) => n !== 'NONE');
    assert.deepEqual(
      all.filter((n) => !scriptFlagNames(STANDARD_SCRIPT_VERIFY_FLAGS).includes(n as never)),
      ['SIGPUSHONLY'],
    );
  });
});

describe('policy: reject reasons', () => {
  it('are unique and never collide with consensus reasons', () => {
    const policy = Object.values(PolicyReject);
    assert.equal(new Set(policy).size, policy.length);
    const consensus = new Set<string>(Object.values(Reject));
    for (const reason of policy) assert.equal(consensus.has(reason), false, reason);
  });
  it('non-mandatory script failures read as Core writes them', () => {
    assert.equal(
      nonMandatoryScriptReason('Non-canonical signature: S value is unnecessarily high'),
      'non-mandatory-script-verify-flag (Non-canonical signature: S value is unnecessarily high)',
    );
  });
});

describe('policy: replacement rules (BIP125 as Core v29)', () => {
  it('signalling: some nSequence at or below 0xfffffffd', () => {
    const t = tx(2);
    t.inputs[0]!.sequence = 0xfffffffe;
    assert.equal(signalsOptInRbf(t), false);
    t.inputs[0]!.sequence = 0xfffffffd;
    assert.equal(signalsOptInRbf(t), true);
  });
  it('rule 6: the new fee rate must be strictly higher than each direct conflict', () => {
    const old = [{ txid, modifiedFee: 1000, vsize: 100 }];
    assert.equal(
      paysMoreThanConflicts(old, 1000, 100, txid),
      `rejecting replacement ${display}; new feerate 0.00010000 BTC/kvB <= old feerate 0.00010000 BTC/kvB`,
    );
    assert.equal(paysMoreThanConflicts(old, 1001, 100, txid), undefined);
  });
  it('rules 3 and 4: more total fees, and the difference pays its own relay', () => {
    assert.equal(
      paysForRbf(2000, 1999, 100, 1000, txid),
      `rejecting replacement ${display}, less fees than conflicting txs; 0.00001999 < 0.00002`,
    );
    assert.equal(
      paysForRbf(2000, 2099, 100, 1000, txid),
      `rejecting replacement ${display}, not enough additional fees to relay; 0.00000099 < 0.000001`,
    );
    assert.equal(paysForRbf(2000, 2100, 100, 1000, txid), undefined);
  });
});

describe('policy: TRUC (BIP431)', () => {
  const pool = (t: Transaction, children: TrucPoolTx[] = [], parentCount = 0): TrucPoolTx => ({
    tx: t,
    parentCount,
    children,
  });
  const none = () => false;
  it('version 3 and other versions may not depend on each other', () => {
    const v2 = tx(2);
    const v3 = tx(3);
    assert.match(
      checkTruc(tx(3, [v2]), 100, [pool(v2)], none)!.message,
      /^version=3 tx .* cannot spend from non-version=3 tx/,
    );
    assert.match(
      checkTruc(tx(2, [v3]), 100, [pool(v3)], none)!.message,
      /^non-version=3 tx .* cannot spend from version=3 tx/,
    );
  });
  it('size limits: 10,000 vB alone, 1,000 vB as a child', () => {
    assert.match(checkTruc(tx(3), 10_001, [], none)!.message, /is too big: 10001 > 10000 virtual bytes$/);
    assert.equal(checkTruc(tx(3), 10_000, [], none), undefined);
    const parent = tx(3);
    assert.match(
      checkTruc(tx(3, [parent]), 1001, [pool(parent)], none)!.message,
      /child tx .* is too big: 1001 > 1000/,
    );
  });
  it('one parent, no grandparent, one child; a lone childless sibling may be evicted', () => {
    const a = tx(3);
    const b = tx(3);
    assert.match(
      checkTruc(tx(3, [a, b]), 100, [pool(a), pool(b)], none)!.message,
      /would have too many ancestors$/,
    );
    assert.match(
      checkTruc(tx(3, [a]), 100, [pool(a, [], 1)], none)!.message,
      /would have too many ancestors$/,
    );
    const sibling = pool(tx(3, [a]));
    const v = checkTruc(tx(3, [a]), 100, [pool(a, [sibling])], none)!;
    assert.match(v.message, /would exceed descendant count limit$/);
    assert.equal(v.sibling, sibling);
    assert.equal(
      checkTruc(tx(3, [a]), 100, [pool(a, [sibling])], (t) => t === sibling.tx),
      undefined,
    );
  });
});

describe('policy: ephemeral dust', () => {
  const dusty = new Transaction(
    3,
    [new TxIn(new OutPoint(txid, 0), new Uint8Array(0))],
    [new TxOut(0, p2wpkh(new Uint8Array(20))), new TxOut(10_000, p2wpkh(new Uint8Array(20).fill(1)))],
  );
  it('a transaction with dust must pay no fee', () => {
    assert.equal(checkEphemeralFee(dusty, 3000, 1, 1), 'tx with dust output must be 0-fee');
    assert.equal(checkEphemeralFee(dusty, 3000, 0, 0), undefined);
  });
  it("a child must spend all of its mempool parents' dust", () => {
    const child = new Transaction(
      3,
      [new TxIn(new OutPoint(dusty.txid(), 1), new Uint8Array(0))],
      [new TxOut(9000, p2wpkh(new Uint8Array(20)))],
    );
    const lookup = (h: Uint8Array) => (h.every((b, i) => b === dusty.txid()[i]) ? dusty : undefined);
    assert.match(checkEphemeralSpends(child, 3000, lookup)!, /did not spend parent's ephemeral dust$/);
    child.inputs.push(new TxIn(new OutPoint(dusty.txid(), 0), new Uint8Array(0)));
    assert.equal(checkEphemeralSpends(child, 3000, lookup), undefined);
  });
});
