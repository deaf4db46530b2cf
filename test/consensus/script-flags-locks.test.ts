import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCKTIME_VERIFY_SEQUENCE } from '../../src/consensus/constants.js';
import { mainnet } from '../../src/consensus/networks/main.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { testnet } from '../../src/consensus/networks/testnet.js';
import { blockScriptFlags } from '../../src/consensus/script-flags.js';
import {
  calculateSequenceLocks,
  checkSequenceLocks,
  evaluateSequenceLocks,
} from '../../src/consensus/sequence-locks.js';
import { fromDisplayHex } from '../../src/encoding/hex.js';
import { parseScriptFlags, scriptFlagNames } from '../../src/script/flags.js';
import { outpoint, spend } from './helpers.js';

const anyHash = new Uint8Array(32).fill(7);
const names = (flags: number) => scriptFlagNames(flags).sort().join(',');

describe("blockScriptFlags (Core's GetBlockScriptFlags)", () => {
  const main = mainnet.consensus;

  it('P2SH, WITNESS and TAPROOT from genesis; the rest by height', () => {
    assert.equal(names(blockScriptFlags(0, anyHash, main)), 'P2SH,TAPROOT,WITNESS');
    assert.equal(names(blockScriptFlags(363725, anyHash, main)), 'DERSIG,P2SH,TAPROOT,WITNESS');
    assert.equal(
      names(blockScriptFlags(419328, anyHash, main)),
      'CHECKLOCKTIMEVERIFY,CHECKSEQUENCEVERIFY,DERSIG,P2SH,TAPROOT,WITNESS',
    );
    assert.equal(
      blockScriptFlags(481824, anyHash, main),
      parseScriptFlags('P2SH,WITNESS,TAPROOT,DERSIG,CHECKLOCKTIMEVERIFY,CHECKSEQUENCEVERIFY,NULLDUMMY'),
    );
  });

  it('the BIP16 exception block runs with no flags', () => {
    const hash = fromDisplayHex('00000000000002dc756eebf4f49723ed8d30cc28a5f108eb94b1ba88ac4f9c22');
    assert.equal(blockScriptFlags(170060, hash, main), 0);
    const tHash = fromDisplayHex('00000000dd30457c001f4095d208cc1296b0eed002427aa599874af7a432b105');
    assert.equal(blockScriptFlags(514, tHash, testnet.consensus), 0);
    // The mainnet exception means nothing on testnet.
    assert.equal(names(blockScriptFlags(170060, hash, testnet.consensus)), 'P2SH,TAPROOT,WITNESS');
  });

  it('the taproot exception replaces the default but keeps the height-gated flags', () => {
    const hash = fromDisplayHex('0000000000000000000f14c35b2d841e986ab5441de8c585d5ffe55ea1e395ad');
    assert.equal(
      names(blockScriptFlags(692261, hash, main)),
      'CHECKLOCKTIMEVERIFY,CHECKSEQUENCEVERIFY,DERSIG,NULLDUMMY,P2SH,WITNESS',
    );
  });

  it('regtest has everything from height 1', () => {
    assert.equal(names(blockScriptFlags(0, anyHash, regtest.consensus)), 'NULLDUMMY,P2SH,TAPROOT,WITNESS');
    assert.equal(
      names(blockScriptFlags(1, anyHash, regtest.consensus)),
      'CHECKLOCKTIMEVERIFY,CHECKSEQUENCEVERIFY,DERSIG,NULLDUMMY,P2SH,TAPROOT,WITNESS',
    );
  });
});

describe('BIP68 sequence locks', () => {
  const TYPE = 1 << 22;
  const DISABLE = 0x80000000;
  const tx = (sequences: number[], version = 2) => {
    const t = spend(
      sequences.map((_, i) => outpoint(i + 1)),
      [1],
      { version },
    );
    sequences.forEach((s, i) => {
      t.inputs[i]!.sequence = s;
    });
    return t;
  };
  const mtp = (h: number) => 1_000_000 + h * 600;

  it('height locks: the coin height plus the value, minus one (last invalid height)', () => {
    const lock = calculateSequenceLocks(tx([10]), LOCKTIME_VERIFY_SEQUENCE, [100], mtp);
    assert.deepEqual(lock, { minHeight: 109, minTime: -1 });
    assert.ok(!evaluateSequenceLocks(109, 0, lock));
    assert.ok(evaluateSequenceLocks(110, 0, lock));
  });

  it('time locks: 512-second units from the MTP of the block before the coin', () => {
    const asked: number[] = [];
    const lock = calculateSequenceLocks(tx([TYPE | 3]), LOCKTIME_VERIFY_SEQUENCE, [100], (h) => {
      asked.push(h);
      return mtp(h);
    });
    assert.deepEqual(asked, [99]);
    assert.deepEqual(lock, { minHeight: -1, minTime: mtp(99) + 3 * 512 - 1 });
    assert.ok(!evaluateSequenceLocks(200, mtp(99) + 1535, lock));
    assert.ok(evaluateSequenceLocks(200, mtp(99) + 1536, lock));
    // A coin in the genesis block measures from genesis itself.
    calculateSequenceLocks(tx([TYPE | 1]), LOCKTIME_VERIFY_SEQUENCE, [0], (h) => {
      assert.equal(h, 0);
      return 0;
    });
  });

  it('takes the maximum over inputs and ignores disabled ones', () => {
    const lock = calculateSequenceLocks(
      tx([5, DISABLE | 1000, 20, TYPE | 1]),
      LOCKTIME_VERIFY_SEQUENCE,
      [50, 1, 40, 10],
      mtp,
    );
    assert.deepEqual(lock, { minHeight: 59, minTime: mtp(9) + 511 });
  });

  it('is off for version 1, without the flag, and honours unsigned versions', () => {
    assert.deepEqual(calculateSequenceLocks(tx([10], 1), LOCKTIME_VERIFY_SEQUENCE, [100], mtp), {
      minHeight: -1,
      minTime: -1,
    });
    assert.deepEqual(calculateSequenceLocks(tx([10]), 0, [100], mtp), { minHeight: -1, minTime: -1 });
    // nVersion 0xffffffff is -1 signed but >= 2 unsigned: BIP68 applies.
    assert.equal(
      calculateSequenceLocks(tx([10], 0xffffffff), LOCKTIME_VERIFY_SEQUENCE, [100], mtp).minHeight,
      109,
    );
  });

  it('checkSequenceLocks combines both steps', () => {
    const block = { height: 110, prevMedianTimePast: 0 };
    assert.ok(checkSequenceLocks(tx([10]), LOCKTIME_VERIFY_SEQUENCE, [100], block, mtp));
    assert.ok(!checkSequenceLocks(tx([11]), LOCKTIME_VERIFY_SEQUENCE, [100], block, mtp));
  });
});
