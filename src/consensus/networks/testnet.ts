import type { NetworkParams } from '../params.js';
import { GENESIS_MERKLE_ROOT, SATOSHI_GENESIS_PUBKEY, SATOSHI_HEADLINE } from './main.js';

const TESTNET_GENESIS_HASH = '000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943';
/** The one testnet3 block that violates BIP16 (validated with no script flags). */
const TESTNET_BIP16_EXCEPTION = '00000000dd30457c001f4095d208cc1296b0eed002427aa599874af7a432b105';

/** Bitcoin testnet3 (Core's CTestNetParams). */
export const testnet: NetworkParams = {
  name: 'testnet',
  messageStart: [0x0b, 0x11, 0x09, 0x07],
  defaultPort: 18333,
  rpcPort: 18332,
  genesis: {
    time: 1296688602,
    nonce: 414098458,
    bits: 0x1d00ffff,
    version: 1,
    reward: 50 * 100_000_000,
    headline: SATOSHI_HEADLINE,
    outputPubKey: SATOSHI_GENESIS_PUBKEY,
    hash: TESTNET_GENESIS_HASH,
    merkleRoot: GENESIS_MERKLE_ROOT,
  },
  consensus: {
    hashGenesisBlock: TESTNET_GENESIS_HASH,
    subsidyHalvingInterval: 210_000,
    bip16ExceptionHash: TESTNET_BIP16_EXCEPTION,
    scriptFlagExceptions: [{ blockHash: TESTNET_BIP16_EXCEPTION, flags: [] }],
    bip34Height: 21_111,
    bip34Hash: '0000000023b3a96d3484e5abb3755c413e7d41500f8e2a5c3f0dd01299cd8ef8',
    bip65Height: 581_885, // 00000000007f6655f22f98e72ed80d8b06dc761d5da09df0fa1dc4be4f861eb6
    bip66Height: 330_776, // 000000002104c8c45e99a8853285a3b592602a3ccde2b832481da85e9e4ba182
    csvHeight: 770_112, // 00000000025e930139bac5c6c31a403776da130831ab85be56578f3fa75369bb
    segwitHeight: 834_624, // 00000000002b980fcd729daaa248fd9316a5200e9b367f4ff2c42453e84201ca
    powLimit: 0x00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffffn,
    powTargetTimespan: 14 * 24 * 60 * 60,
    powTargetSpacing: 10 * 60,
    powAllowMinDifficultyBlocks: true,
    powNoRetargeting: false,
    enforceBIP94: false,
    coinbaseMaturity: 100,
    minimumChainWork: 0x0000000000000000000000000000000000000000000016dd270dd94fac1d7632n,
    defaultAssumeValid: '0000000000000065c6c38258e201971a3fdfcc2ceee0dd6e85a6c022d45dee34', // 4550000
  },
  addressPrefixes: { pubKeyHash: 0x6f, scriptHash: 0xc4, bech32: 'tb' },
  wifPrefix: 0xef,
  extPublicKeyPrefix: 0x043587cf,
  extSecretKeyPrefix: 0x04358394,
};
