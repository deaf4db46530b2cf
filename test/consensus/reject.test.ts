import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlockValidationResult, invalidBlock, TxValidationResult } from '../../src/consensus/errors.js';
import { badVersionReason, Reject, scriptFailureReason } from '../../src/consensus/reject.js';

describe('reject reasons and result codes', () => {
  it('every reject reason is unique', () => {
    const values = Object.values(Reject);
    assert.equal(new Set(values).size, values.length);
  });

  it('result codes are unique across blocks and transactions', () => {
    const values = [...Object.values(BlockValidationResult), ...Object.values(TxValidationResult)];
    assert.equal(new Set(values).size, values.length);
  });

  it("keeps Core's exact strings", () => {
    assert.equal(Reject.TXNMRKLROOT, 'bad-txnmrklroot');
    assert.equal(Reject.TXNS_BIP30, 'bad-txns-BIP30');
    assert.equal(Reject.NON_BIP68_FINAL, 'non-BIP68-final');
    assert.equal(Reject.TXNS_INPUTS_MISSINGORSPENT, 'bad-txns-inputs-missingorspent');
    for (const reason of Object.values(Reject)) assert.match(reason, /^[a-zA-Z0-9-]+$/);
  });

  it('formats the reasons with a variable part as Core does', () => {
    assert.equal(badVersionReason(1), 'bad-version(0x00000001)');
    assert.equal(badVersionReason(-1), 'bad-version(0xffffffff)');
    assert.equal(badVersionReason(0x20000000), 'bad-version(0x20000000)');
    assert.equal(
      scriptFailureReason(Reject.MANDATORY_SCRIPT_VERIFY_FLAG_FAILED, 'Script failed an OP_VERIFY operation'),
      'mandatory-script-verify-flag-failed (Script failed an OP_VERIFY operation)',
    );
  });

  it('a rejection carries result, reason and debug message apart', () => {
    const r = invalidBlock(BlockValidationResult.MUTATED, Reject.TXNS_DUPLICATE, 'duplicate transaction');
    assert.deepEqual(r, {
      ok: false,
      result: 'BLOCK_MUTATED',
      reason: 'bad-txns-duplicate',
      debug: 'duplicate transaction',
    });
  });
});
