import type { NetworkParams } from '../params.js';

/** Values common to the genesis blocks of main, testnet3 and regtest. */
export const SATOSHI_HEADLINE = 'The Times 03/Jan/2009 Chancellor on brink of second bailout for banks';
export const SATOSHI_GENESIS_PUBKEY =
  '04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f';
export const GENESIS_MERKLE_ROOT = '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b';

const MAIN_GENESIS_HASH = '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f';
/** The one mainnet block that violates BIP16 (validated with no script flags). */
const MAIN_BIP16_EXCEPTION = '00000000000002dc756eebf4f49723ed8d30cc28a5f108eb94b1ba88ac4f9c22';
/** The one mainnet block that violates taproot rules (validated with P2SH and WITNESS only). */
const MAIN_TAPROOT_EXCEPTION = '0000000000000000000f14c35b2d841e986ab5441de8c585d5ffe55ea1e395ad';

/** Bitcoin mainnet (Core's CMainParams). */
export const mainnet: NetworkParams = {
  name: 'main',
  messageStart: [0xf9, 0xbe, 0xb4, 0xd9],
  defaultPort: 8333,
  rpcPort: 8332,
  genesis: {
    time: 1231006505,
    nonce: 2083236893,
    bits: 0x1d00ffff,
    version: 1,
    reward: 50 * 100_000_000,
    headline: SATOSHI_HEADLINE,
    outputPubKey: SATOSHI_GENESIS_PUBKEY,
    hash: MAIN_GENESIS_HASH,
    merkleRoot: GENESIS_MERKLE_ROOT,
  },
  consensus: {
    hashGenesisBlock: MAIN_GENESIS_HASH,
    subsidyHalvingInterval: 210_000,
    bip16ExceptionHash: MAIN_BIP16_EXCEPTION,
    scriptFlagExceptions: [
      { blockHash: MAIN_BIP16_EXCEPTION, flags: [] },
      { blockHash: MAIN_TAPROOT_EXCEPTION, flags: ['P2SH', 'WITNESS'] },
    ],
    bip34Height: 227_931,
    bip34Hash: '000000000000024b89b42a942fe0d9fea3bb44ab7bd1b19115dd6a759c0808b8',
    bip65Height: 388_381, // 000000000000000004c2b624ed5d7756c508d90fd0da2c7c679febfa6c4735f0
    bip66Height: 363_725, // 00000000000000000379eaa19dce8c9b722d46ae6a57c2f1a988119488b50931
    csvHeight: 419_328, // 000000000000000004a1b34462cb8aeebd5799177f7a29cf28f2d1961716b5b5
    segwitHeight: 481_824, // 0000000000000000001c8018d9cb3b742ef25114f27563e3fc4a1902167f9893
    powLimit: 0x00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffffn,
    powTargetTimespan: 14 * 24 * 60 * 60,
    powTargetSpacing: 10 * 60,
    powAllowMinDifficultyBlocks: false,
    powNoRetargeting: false,
    enforceBIP94: false,
    coinbaseMaturity: 100,
    minimumChainWork: 0x0000000000000000000000000000000000000000dee8e2a309ad8a9820433c68n,
    defaultAssumeValid: '00000000000000000000611fd22f2df7c8fbd0688745c3a6c3bb5109cc2a12cb', // 912683
  },
  addressPrefixes: { pubKeyHash: 0x00, scriptHash: 0x05, bech32: 'bc' },
  wifPrefix: 0x80,
  extPublicKeyPrefix: 0x0488b21e,
  extSecretKeyPrefix: 0x0488ade4,
};
