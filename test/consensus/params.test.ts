import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toDisplayHex, toHex } from '../../src/encoding/hex.js';
import { buildGenesisBlock, genesisCoinbase } from '../../src/consensus/genesis.js';
import {
  difficultyAdjustmentInterval,
  getNetwork,
  NETWORK_NAMES,
  type NetworkParams,
} from '../../src/consensus/params.js';
import { compactToTarget, checkProofOfWork } from '../../src/consensus/pow.js';
import { mainnet } from '../../src/consensus/networks/main.js';
import { testnet } from '../../src/consensus/networks/testnet.js';
import { regtest } from '../../src/consensus/networks/regtest.js';

const GENESIS = {
  main: '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f',
  testnet: '000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943',
  regtest: '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206',
} as const;
const MERKLE = '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b';

describe('network parameters', () => {
  for (const name of NETWORK_NAMES) {
    const net = getNetwork(name) as NetworkParams;

    it(`${name}: genesis block hashes to Bitcoin's genesis hash`, () => {
      const block = buildGenesisBlock(net);
      assert.equal(block.hashHex(), GENESIS[name]);
      assert.equal(toDisplayHex(block.header.merkleRoot), MERKLE);
      assert.equal(net.genesis.hash, GENESIS[name]);
      assert.equal(net.consensus.hashGenesisBlock, GENESIS[name]);
    });

    it(`${name}: Core's sanity_check_chainparams`, () => {
      const c = net.consensus;
      assert.equal(c.powTargetTimespan % c.powTargetSpacing, 0);
      const { target, negative, overflow } = compactToTarget(net.genesis.bits);
      assert.ok(!negative && target !== 0n && !overflow);
      assert.ok(c.powLimit >= target);
      if (!c.powNoRetargeting) {
        // The retarget product powLimit * 4 * timespan must fit in 256 bits.
        assert.ok(c.powLimit < ((1n << 256n) - 1n) / BigInt(c.powTargetTimespan * 4));
      }
      assert.ok(checkProofOfWork(buildGenesisBlock(net).hash(), net.genesis.bits, c));
      assert.equal(c.coinbaseMaturity, 100);
    });
  }

  it('the genesis coinbase is the one Satoshi wrote', () => {
    const cb = genesisCoinbase(mainnet.genesis);
    assert.equal(
      toHex(cb.inputs[0]!.scriptSig),
      '04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73',
    );
    assert.equal(cb.outputs[0]!.value, 5_000_000_000);
    assert.equal(toHex(cb.outputs[0]!.scriptPubKey).slice(0, 2), '41');
    assert.equal(toHex(cb.outputs[0]!.scriptPubKey).slice(-2), 'ac');
    // The whole mainnet genesis block, as every node stores it (285 bytes).
    assert.equal(buildGenesisBlock(mainnet).encode().length, 285);
  });

  it('ports, magic bytes and address prefixes match Core', () => {
    assert.deepEqual([mainnet.defaultPort, testnet.defaultPort, regtest.defaultPort], [8333, 18333, 18444]);
    assert.deepEqual([mainnet.rpcPort, testnet.rpcPort, regtest.rpcPort], [8332, 18332, 18443]);
    assert.deepEqual(mainnet.messageStart, [0xf9, 0xbe, 0xb4, 0xd9]);
    assert.deepEqual(testnet.messageStart, [0x0b, 0x11, 0x09, 0x07]);
    assert.deepEqual(regtest.messageStart, [0xfa, 0xbf, 0xb5, 0xda]);
    assert.deepEqual(mainnet.addressPrefixes, { pubKeyHash: 0x00, scriptHash: 0x05, bech32: 'bc' });
    assert.deepEqual(testnet.addressPrefixes, { pubKeyHash: 0x6f, scriptHash: 0xc4, bech32: 'tb' });
    assert.deepEqual(regtest.addressPrefixes, { pubKeyHash: 0x6f, scriptHash: 0xc4, bech32: 'bcrt' });
    assert.deepEqual([mainnet.wifPrefix, testnet.wifPrefix, regtest.wifPrefix], [0x80, 0xef, 0xef]);
  });

  it('consensus heights and PoW settings match Core', () => {
    const m = mainnet.consensus;
    assert.deepEqual(
      [m.bip34Height, m.bip65Height, m.bip66Height, m.csvHeight, m.segwitHeight],
      [227931, 388381, 363725, 419328, 481824],
    );
    assert.equal(m.bip16ExceptionHash, '00000000000002dc756eebf4f49723ed8d30cc28a5f108eb94b1ba88ac4f9c22');
    assert.equal(difficultyAdjustmentInterval(m), 2016);
    assert.equal(m.subsidyHalvingInterval, 210000);
    assert.equal(m.powLimit, (1n << 224n) - 1n);
    const t = testnet.consensus;
    assert.deepEqual(
      [t.bip34Height, t.bip65Height, t.bip66Height, t.csvHeight, t.segwitHeight],
      [21111, 581885, 330776, 770112, 834624],
    );
    assert.ok(t.powAllowMinDifficultyBlocks && !t.powNoRetargeting);
    const r = regtest.consensus;
    assert.equal(r.subsidyHalvingInterval, 150);
    assert.ok(r.powAllowMinDifficultyBlocks && r.powNoRetargeting);
    assert.equal(r.powLimit, (1n << 255n) - 1n);
    assert.equal(difficultyAdjustmentInterval(r), 144);
    assert.deepEqual(
      [r.bip34Height, r.bip65Height, r.bip66Height, r.csvHeight, r.segwitHeight],
      [1, 1, 1, 1, 0],
    );
  });

  it('getNetwork returns undefined for an unknown name', () => {
    assert.equal(getNetwork('signet'), undefined);
    assert.equal(getNetwork('main'), mainnet);
  });
});
