import type { NetworkParams } from '../params.js';
import { GENESIS_MERKLE_ROOT, SATOSHI_GENESIS_PUBKEY, SATOSHI_HEADLINE } from './main.js';

const REGTEST_GENESIS_HASH = '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206';

/**
 * Regression test network (Core's CRegTestParams with default options): minimal difficulty that
 * never retargets, halvings every 150 blocks, and every soft fork active from (almost) the start.
 */
export const regtest: NetworkParams = {
  name: 'regtest',
  messageStart: [0xfa, 0xbf, 0xb5, 0xda],
  defaultPort: 18444,
  rpcPort: 18443,
  genesis: {
    time: 1296688602,
    nonce: 2,
    bits: 0x207fffff,
    version: 1,
    reward: 50 * 100_000_000,
    headline: SATOSHI_HEADLINE,
    outputPubKey: SATOSHI_GENESIS_PUBKEY,
    hash: REGTEST_GENESIS_HASH,
    merkleRoot: GENESIS_MERKLE_ROOT,
  },
  consensus: {
    hashGenesisBlock: REGTEST_GENESIS_HASH,
    subsidyHalvingInterval: 150,
    bip16ExceptionHash: null,
    scriptFlagExceptions: [],
    bip34Height: 1,
    bip34Hash: null,
    bip65Height: 1,
    bip66Height: 1,
    csvHeight: 1,
    segwitHeight: 0,
    powLimit: 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffn,
    powTargetTimespan: 24 * 60 * 60,
    powTargetSpacing: 10 * 60,
    powAllowMinDifficultyBlocks: true,
    powNoRetargeting: true,
    enforceBIP94: false,
    coinbaseMaturity: 100,
    minimumChainWork: 0n,
    defaultAssumeValid: null,
  },
  addressPrefixes: { pubKeyHash: 0x6f, scriptHash: 0xc4, bech32: 'bcrt' },
  wifPrefix: 0xef,
  extPublicKeyPrefix: 0x043587cf,
  extSecretKeyPrefix: 0x04358394,
};
