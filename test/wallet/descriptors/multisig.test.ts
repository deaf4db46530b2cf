/**
 * createMultisig against outputs of Bitcoin Core's createmultisig (published testnet/regtest
 * sessions: Learning-Bitcoin-from-the-Command-Line and others), and Core's limits and messages.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { testnet } from '../../../src/consensus/networks/testnet.js';
import { fromHex, toHex } from '../../../src/encoding/hex.js';
import {
  createMultisig,
  DescriptorError,
  hexToPubKey,
  parseDescriptor,
} from '../../../src/wallet/descriptors/index.js';

const keys = (...hex: string[]) => hex.map((h) => fromHex(h));
const K3 = keys(
  '0284f7b351afa43829e114bb82df27d2edb4c47c137155e9ba637312f09997f7d4',
  '034c753eba402a724142ddb70f13457911309c5779f81c905a5b49d3ab11940b34',
  '03ccca0d6863280825db37ce3fd6dfa290699c2d5532065a2ddab41c021fdd4c55',
);
const K3_SCRIPT =
  '52210284f7b351afa43829e114bb82df27d2edb4c47c137155e9ba637312f09997f7d421034c753eba402a724142ddb70f13457911309c5779f81c905a5b49d3ab11940b342103ccca0d6863280825db37ce3fd6dfa290699c2d5532065a2ddab41c021fdd4c5553ae';
const K3_MULTI = `multi(2,${K3.map(toHex).join(',')})`;
const UNCOMPRESSED =
  '0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8';

function fails(fn: () => unknown, kind: string, message: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DescriptorError, String(err));
    assert.equal(err.kind, kind);
    assert.equal(err.message, message);
    return true;
  });
}

describe('createMultisig', () => {
  it('matches Core for legacy', () => {
    const r = createMultisig(2, K3, 'legacy', testnet);
    assert.equal(r.address, '2N8R8ak8rSL9hCKXGfyMRxKP5oHGBrETtBA');
    assert.equal(toHex(r.redeemScript), K3_SCRIPT);
    assert.equal(r.descriptor, `sh(${K3_MULTI})#npg9ftp7`);
    assert.equal(toHex(r.scriptPubKey), 'a914a66988a6e2b380597fb077231c2641cf5f95b46887');
    assert.equal(r.witnessScript, undefined);
    assert.deepEqual(r.warnings, []);

    const two = createMultisig(
      2,
      keys(
        '02da2f10746e9778dd57bd0276a4f84101c4e0a711f9cfd9f09cde55acbdd2d191',
        '02bfde48be4aa8f4bf76c570e98a8d287f9be5638412ab38dede8e78df82f33fa3',
      ),
      'legacy',
      regtest,
    );
    assert.equal(two.address, '2N8MytPW2ih27LctLjn6LfLFZZb1PFSsqBr');
    assert.equal(
      two.descriptor,
      'sh(multi(2,02da2f10746e9778dd57bd0276a4f84101c4e0a711f9cfd9f09cde55acbdd2d191,02bfde48be4aa8f4bf76c570e98a8d287f9be5638412ab38dede8e78df82f33fa3))#0pazcr4y',
    );
    const three = createMultisig(
      2,
      keys(
        '02c3eb5147ead06273e48b71fb2ce3e0f1484b3222c75b2039beb720c480ecb00c',
        '02b6d8bd0cd403f488df6dccc5281c61029052a31d6ce57a0d6dcb64890a4ea814',
        '0234965dbaff057b7a1fd08b8e40b3117c23abaa05345ab3cedf129c0c50b17e5f',
      ),
      'legacy',
      regtest,
    );
    assert.equal(three.address, '2N2Zxm7Kf3v4DKMSWW3zYz5Szi8tmGCvtKx');
    assert.ok(three.descriptor.endsWith('#q6zdklmm'));
  });

  it('matches Core for bech32 (P2WSH; redeemScript is the witness script)', () => {
    const r = createMultisig(2, K3, 'bech32', testnet);
    assert.equal(r.address, 'tb1qy6txdvdrlxnwjkx0t87eph3zljljw0emcxysldsx4z6fvctxf27shmsf0a');
    assert.equal(toHex(r.redeemScript), K3_SCRIPT);
    assert.equal(toHex(r.witnessScript!), K3_SCRIPT);
    assert.equal(r.descriptor, `wsh(${K3_MULTI})#xn99d3lq`);
  });

  it('makes p2sh-segwit as sh(wsh(multi())), consistent with the descriptor parser', () => {
    const r = createMultisig(2, K3, 'p2sh-segwit', testnet);
    assert.ok(r.descriptor.startsWith(`sh(wsh(${K3_MULTI}))#`));
    const expanded = parseDescriptor(r.descriptor, { network: testnet, requireChecksum: true }).expand();
    assert.equal(toHex(expanded.scriptPubKey), toHex(r.scriptPubKey));
    assert.equal(toHex(expanded.witnessScript!), K3_SCRIPT);
    assert.equal(expanded.outputType, 'p2sh-segwit');
    assert.equal(r.address[0], '2');
  });

  it('falls back to legacy for uncompressed keys, with Core warning', () => {
    const r = createMultisig(1, keys(UNCOMPRESSED, toHex(K3[0]!)), 'bech32', regtest);
    assert.equal(r.outputType, 'legacy');
    assert.ok(r.descriptor.startsWith(`sh(multi(1,${UNCOMPRESSED},`));
    assert.deepEqual(r.warnings, [
      'Unable to make chosen address type, please ensure no uncompressed public keys are present.',
    ]);
    assert.deepEqual(createMultisig(1, keys(UNCOMPRESSED), 'legacy', regtest).warnings, []);
  });

  it('enforces Core limits with its messages', () => {
    fails(
      () => createMultisig(0, K3, 'legacy', regtest),
      'parameter',
      'a multisignature address must require at least one key to redeem',
    );
    fails(
      () => createMultisig(4, K3, 'legacy', regtest),
      'parameter',
      'not enough keys supplied (got 3 keys, but need at least 4 to redeem)',
    );
    const many = Array.from({ length: 21 }, () => K3[0]!);
    fails(
      () => createMultisig(1, many, 'bech32', regtest),
      'parameter',
      'Number of keys involved in the multisignature address creation > 20\nReduce the number',
    );
    // 16 compressed keys: 1 + 16 * 34 + 1 + 1 = 547 bytes, over the 520-byte P2SH push limit.
    fails(
      () => createMultisig(1, many.slice(0, 16), 'legacy', regtest),
      'parameter',
      'redeemScript exceeds size limit: 547 > 520',
    );
    assert.equal(createMultisig(1, many.slice(0, 16), 'bech32', regtest).outputType, 'bech32');
    fails(
      () => createMultisig(1, K3, 'bech32m', regtest),
      'key',
      'createmultisig cannot create bech32m multisig addresses',
    );
  });

  it('parses keys as Core HexToPubKey', () => {
    assert.equal(toHex(hexToPubKey(toHex(K3[0]!))), toHex(K3[0]!));
    fails(() => hexToPubKey('zz'), 'key', 'Pubkey "zz" must be a hex string');
    fails(() => hexToPubKey('0279'), 'key', 'Pubkey "0279" must have a length of either 33 or 65 bytes');
    const offCurve = `02${'00'.repeat(32)}`;
    fails(() => hexToPubKey(offCurve), 'key', `Pubkey "${offCurve}" must be cryptographically valid.`);
  });
});
