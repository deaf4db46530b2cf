import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlockValidationResult, TxValidationResult } from '../../src/consensus/errors.js';
import {
  type PeerActionKind,
  PROTOCOL_VIOLATIONS,
  type ProtocolViolation,
  penaltyFor,
} from '../../src/net/penalty.js';
import { WIRE_ERROR_CODES, type WireErrorCode } from '../../src/net/wire/errors.js';

/**
 * Expected actions, one table per input kind. Each table is a Record over the enum, so adding an
 * enum value without deciding its penalty fails to compile; the tests then check every row against
 * Core's MaybePunishNodeForBlock / MaybePunishNodeForTx (net_processing.cpp, Core 28+).
 */
interface BlockExpectation {
  /** Full block from an outbound peer. */
  outbound: PeerActionKind;
  /** Full block from an inbound peer. */
  inbound: PeerActionKind;
  /** Via a BIP152 compact block (outbound). */
  compact: PeerActionKind;
}

const BLOCK: Record<BlockValidationResult, BlockExpectation> = {
  [BlockValidationResult.CONSENSUS]: { outbound: 'discourage', inbound: 'discourage', compact: 'none' },
  [BlockValidationResult.MUTATED]: { outbound: 'discourage', inbound: 'discourage', compact: 'none' },
  [BlockValidationResult.CACHED_INVALID]: { outbound: 'discourage', inbound: 'none', compact: 'none' },
  [BlockValidationResult.INVALID_HEADER]: {
    outbound: 'discourage',
    inbound: 'discourage',
    compact: 'discourage',
  },
  [BlockValidationResult.INVALID_PREV]: {
    outbound: 'discourage',
    inbound: 'discourage',
    compact: 'discourage',
  },
  [BlockValidationResult.MISSING_PREV]: {
    outbound: 'discourage',
    inbound: 'discourage',
    compact: 'discourage',
  },
  [BlockValidationResult.TIME_FUTURE]: { outbound: 'none', inbound: 'none', compact: 'none' },
  [BlockValidationResult.HEADER_LOW_WORK]: { outbound: 'none', inbound: 'none', compact: 'none' },
};

const TX: Record<TxValidationResult, PeerActionKind> = {
  [TxValidationResult.CONSENSUS]: 'discourage',
  [TxValidationResult.INPUTS_NOT_STANDARD]: 'none',
  [TxValidationResult.NOT_STANDARD]: 'none',
  [TxValidationResult.MISSING_INPUTS]: 'none',
  [TxValidationResult.PREMATURE_SPEND]: 'none',
  [TxValidationResult.WITNESS_MUTATED]: 'none',
  [TxValidationResult.WITNESS_STRIPPED]: 'none',
  [TxValidationResult.CONFLICT]: 'none',
  [TxValidationResult.MEMPOOL_POLICY]: 'none',
  [TxValidationResult.NO_MEMPOOL]: 'none',
  [TxValidationResult.RECONSIDERABLE]: 'none',
  [TxValidationResult.UNKNOWN]: 'none',
};

/** Wire errors, with the command where it matters. */
const WIRE: Record<WireErrorCode, Array<[command: string | undefined, action: PeerActionKind]>> = {
  'bad-magic': [[undefined, 'disconnect']],
  oversized: [
    [undefined, 'disconnect'],
    ['block', 'disconnect'],
  ],
  'bad-command': [[undefined, 'none']],
  'bad-checksum': [
    [undefined, 'none'],
    ['tx', 'none'],
  ],
  'malformed-payload': [
    ['tx', 'none'],
    ['block', 'none'],
    ['inv', 'none'],
    ['version', 'disconnect'],
  ],
  'too-many-items': [
    ['inv', 'discourage'],
    ['getdata', 'discourage'],
    ['headers', 'discourage'],
    ['addr', 'discourage'],
    ['addrv2', 'discourage'],
    ['getheaders', 'disconnect'],
    ['getblocks', 'disconnect'],
    ['notfound', 'none'],
  ],
};

const PROTOCOL: Record<ProtocolViolation, PeerActionKind> = {
  'no-version-first': 'discourage',
  'handshake-timeout': 'disconnect',
  'self-connection': 'disconnect',
  'obsolete-version': 'disconnect',
  'missing-services': 'disconnect',
  'late-negotiation': 'disconnect',
  'ping-timeout': 'disconnect',
  'send-buffer-overflow': 'disconnect',
};

describe('penaltyFor', () => {
  for (const result of Object.values(BlockValidationResult)) {
    it(`block ${result}`, () => {
      const want = BLOCK[result];
      assert.equal(penaltyFor({ kind: 'block', result }).action, want.outbound);
      assert.equal(penaltyFor({ kind: 'block', result, inbound: true }).action, want.inbound);
      assert.equal(penaltyFor({ kind: 'block', result, viaCompactBlock: true }).action, want.compact);
      assert.equal(
        penaltyFor({ kind: 'block', result, viaCompactBlock: true, inbound: true }).action,
        want.compact === 'discourage' ? 'discourage' : 'none',
      );
    });
  }

  for (const result of Object.values(TxValidationResult)) {
    it(`tx ${result}`, () => {
      assert.equal(penaltyFor({ kind: 'tx', result }).action, TX[result]);
    });
  }

  for (const code of WIRE_ERROR_CODES) {
    it(`wire ${code}`, () => {
      for (const [command, action] of WIRE[code]) {
        assert.equal(penaltyFor({ kind: 'wire', code, command }).action, action, `${code} in ${command}`);
      }
    });
  }

  for (const code of PROTOCOL_VIOLATIONS) {
    it(`protocol ${code}`, () => {
      assert.equal(penaltyFor({ kind: 'protocol', code }).action, PROTOCOL[code]);
    });
  }

  it('the enumerations tested are complete', () => {
    assert.equal(Object.keys(BLOCK).length, Object.values(BlockValidationResult).length);
    assert.equal(Object.keys(TX).length, Object.values(TxValidationResult).length);
    assert.deepEqual([...WIRE_ERROR_CODES].sort(), Object.keys(WIRE).sort());
    assert.deepEqual([...PROTOCOL_VIOLATIONS].sort(), Object.keys(PROTOCOL).sort());
    assert.equal(new Set(WIRE_ERROR_CODES).size, WIRE_ERROR_CODES.length, 'wire codes are unique');
    assert.equal(new Set(PROTOCOL_VIOLATIONS).size, PROTOCOL_VIOLATIONS.length, 'violations are unique');
  });

  it('discourage always carries the threshold score; other actions none, and every action a reason', () => {
    const inputs = [
      ...Object.values(BlockValidationResult).map((result) => penaltyFor({ kind: 'block', result })),
      ...Object.values(TxValidationResult).map((result) => penaltyFor({ kind: 'tx', result })),
      ...PROTOCOL_VIOLATIONS.map((code) => penaltyFor({ kind: 'protocol', code })),
    ];
    for (const a of inputs) {
      assert.equal(a.score, a.action === 'discourage' ? 100 : undefined);
      assert.ok(a.reason.length > 0);
    }
  });
});
