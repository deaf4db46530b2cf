import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { mainnet } from '../../../src/consensus/networks/main.js';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { testnet } from '../../../src/consensus/networks/testnet.js';
import { hash160 } from '../../../src/crypto/hash.js';
import { DecodeError } from '../../../src/encoding/errors.js';
import { fromHex, toHex } from '../../../src/encoding/hex.js';
import {
  firstValidChild,
  formatPath,
  HARDENED,
  HDKey,
  HDKeyError,
  isZeroed,
  mnemonicToSeed,
  parsePath,
} from '../../../src/wallet/keys/index.js';
import { readSharedJson } from '../../support/shared.js';

type Chain = { pub: string; prv: string };
type Vector = { seed: string } & Record<string, Chain | string>;
type Bip32Json = { vector1: Vector; vector2: Vector } & Record<string, string | Vector>;

const json = readSharedJson<Bip32Json>('vectors', 'bip', 'bip32.json');

/** Every (path, chain) entry of a seed vector: all keys but "seed". */
function chainsOf(vector: Vector): [string, Chain][] {
  return Object.entries(vector).filter((e): e is [string, Chain] => e[0] !== 'seed');
}

function checkVector(seedHex: string, chains: [string, Chain][]): number {
  const master = HDKey.fromSeed(fromHex(seedHex));
  let checked = 0;
  for (const [path, expected] of chains) {
    const key = master.derive(path);
    assert.equal(key.toBase58(mainnet), expected.prv, `${path} prv`);
    assert.equal(key.neuter().toBase58(mainnet), expected.pub, `${path} pub`);
    // Decoding and re-encoding is the identity on valid keys.
    assert.equal(HDKey.fromBase58(expected.prv, mainnet).toBase58(mainnet), expected.prv);
    assert.equal(HDKey.fromBase58(expected.pub, mainnet).toBase58(mainnet), expected.pub);
    checked += 2;
  }
  return checked;
}

// BIP32 test vectors 3 and 4 (leading-zero retention), typed in from bitcoin/bips
// bip-0032.mediawiki "Test Vectors"; ../shared/vectors/bip/bip32.json carries vectors 1 and 2.
const VECTOR3: [string, [string, Chain][]] = [
  '4b381541583be4423346c643850da4b320e46a87ae3d2a4e6da11eba819cd4acba45d239319ac14f863b8d5ab5a0d0c64d2e8a1e7d1457df2e5a3c51c73235be',
  [
    [
      'm',
      {
        pub: 'xpub661MyMwAqRbcEZVB4dScxMAdx6d4nFc9nvyvH3v4gJL378CSRZiYmhRoP7mBy6gSPSCYk6SzXPTf3ND1cZAceL7SfJ1Z3GC8vBgp2epUt13',
        prv: 'xprv9s21ZrQH143K25QhxbucbDDuQ4naNntJRi4KUfWT7xo4EKsHt2QJDu7KXp1A3u7Bi1j8ph3EGsZ9Xvz9dGuVrtHHs7pXeTzjuxBrCmmhgC6',
      },
    ],
    [
      "m/0'",
      {
        pub: 'xpub68NZiKmJWnxxS6aaHmn81bvJeTESw724CRDs6HbuccFQN9Ku14VQrADWgqbhhTHBaohPX4CjNLf9fq9MYo6oDaPPLPxSb7gwQN3ih19Zm4Y',
        prv: 'xprv9uPDJpEQgRQfDcW7BkF7eTya6RPxXeJCqCJGHuCJ4GiRVLzkTXBAJMu2qaMWPrS7AANYqdq6vcBcBUdJCVVFceUvJFjaPdGZ2y9WACViL4L',
      },
    ],
  ],
];
const VECTOR4: [string, [string, Chain][]] = [
  '3ddd5602285899a946114506157c7997e5444528f3003f6134712147db19b678',
  [
    [
      'm',
      {
        pub: 'xpub661MyMwAqRbcGczjuMoRm6dXaLDEhW1u34gKenbeYqAix21mdUKJyuyu5F1rzYGVxyL6tmgBUAEPrEz92mBXjByMRiJdba9wpnN37RLLAXa',
        prv: 'xprv9s21ZrQH143K48vGoLGRPxgo2JNkJ3J3fqkirQC2zVdk5Dgd5w14S7fRDyHH4dWNHUgkvsvNDCkvAwcSHNAQwhwgNMgZhLtQC63zxwhQmRv',
      },
    ],
    [
      "m/0'",
      {
        pub: 'xpub69AUMk3qDBi3uW1sXgjCmVjJ2G6WQoYSnNHyzkmdCHEhSZ4tBok37xfFEqHd2AddP56Tqp4o56AePAgCjYdvpW2PU2jbUPFKsav5ut6Ch1m',
        prv: 'xprv9vB7xEWwNp9kh1wQRfCCQMnZUEG21LpbR9NPCNN1dwhiZkjjeGRnaALmPXCX7SgjFTiCTT6bXes17boXtjq3xLpcDjzEuGLQBM5ohqkao9G',
      },
    ],
    [
      "m/0'/1'",
      {
        pub: 'xpub6BJA1jSqiukeaesWfxe6sNK9CCGaujFFSJLomWHprUL9DePQ4JDkM5d88n49sMGJxrhpjazuXYWdMf17C9T5XnxkopaeS7jGk1GyyVziaMt',
        prv: 'xprv9xJocDuwtYCMNAo3Zw76WENQeAS6WGXQ55RCy7tDJ8oALr4FWkuVoHJeHVAcAqiZLE7Je3vZJHxspZdFHfnBEjHqU5hG1Jaj32dVoS6XLT1',
      },
    ],
  ],
];

// BIP32 test vector 5, typed in from bip-0032.mediawiki: invalid extended keys, with the BIP's
// reason for each and the part of our error message that names it.
const VECTOR5: [string, string, RegExp][] = [
  [
    'xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6LBpB85b3D2yc8sfvZU521AAwdZafEz7mnzBBsz4wKY5fTtTQBm',
    'pubkey version / prvkey mismatch',
    /public key data must start/,
  ],
  [
    'xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFGTQQD3dC4H2D5GBj7vWvSQaaBv5cxi9gafk7NF3pnBju6dwKvH',
    'prvkey version / pubkey mismatch',
    /private key data must start/,
  ],
  [
    'xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6Txnt3siSujt9RCVYsx4qHZGc62TG4McvMGcAUjeuwZdduYEvFn',
    'invalid pubkey prefix 04',
    /not 0x04/,
  ],
  [
    'xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFGpWnsj83BHtEy5Zt8CcDr1UiRXuWCmTQLxEK9vbz5gPstX92JQ',
    'invalid prvkey prefix 04',
    /not 0x04/,
  ],
  [
    'xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6N8ZMMXctdiCjxTNq964yKkwrkBJJwpzZS4HS2fxvyYUA4q2Xe4',
    'invalid pubkey prefix 01',
    /not 0x01/,
  ],
  [
    'xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFAzHGBP2UuGCqWLTAPLcMtD9y5gkZ6Eq3Rjuahrv17fEQ3Qen6J',
    'invalid prvkey prefix 01',
    /not 0x01/,
  ],
  [
    'xprv9s2SPatNQ9Vc6GTbVMFPFo7jsaZySyzk7L8n2uqKXJen3KUmvQNTuLh3fhZMBoG3G4ZW1N2kZuHEPY53qmbZzCHshoQnNf4GvELZfqTUrcv',
    'zero depth with non-zero parent fingerprint',
    /non-zero parent fingerprint/,
  ],
  [
    'xpub661no6RGEX3uJkY4bNnPcw4URcQTrSibUZ4NqJEw5eBkv7ovTwgiT91XX27VbEXGENhYRCf7hyEbWrR3FewATdCEebj6znwMfQkhRYHRLpJ',
    'zero depth with non-zero parent fingerprint',
    /non-zero parent fingerprint/,
  ],
  [
    'xprv9s21ZrQH4r4TsiLvyLXqM9P7k1K3EYhA1kkD6xuquB5i39AU8KF42acDyL3qsDbU9NmZn6MsGSUYZEsuoePmjzsB3eFKSUEh3Gu1N3cqVUN',
    'zero depth with non-zero index',
    /non-zero index/,
  ],
  [
    'xpub661MyMwAuDcm6CRQ5N4qiHKrJ39Xe1R1NyfouMKTTWcguwVcfrZJaNvhpebzGerh7gucBvzEQWRugZDuDXjNDRmXzSZe4c7mnTK97pTvGS8',
    'zero depth with non-zero index',
    /non-zero index/,
  ],
  [
    'DMwo58pR1QLEFihHiXPVykYB6fJmsTeHvyTp7hRThAtCX8CvYzgPcn8XnmdfHGMQzT7ayAmfo4z3gY5KfbrZWZ6St24UVf2Qgo6oujFktLHdHY4',
    'unknown extended key version',
    /unknown version/,
  ],
  [
    'DMwo58pR1QLEFihHiXPVykYB6fJmsTeHvyTp7hRThAtCX8CvYzgPcn8XnmdfHPmHJiEDXkTiJTVV9rHEBUem2mwVbbNfvT2MTcAqj3nesx8uBf9',
    'unknown extended key version',
    /unknown version/,
  ],
  [
    'xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzF93Y5wvzdUayhgkkFoicQZcP3y52uPPxFnfoLZB21Teqt1VvEHx',
    'private key 0 not in 1..n-1',
    /not in 1\.\.n-1/,
  ],
  [
    'xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFAzHGBP2UuGCqWLTAPLcMtD5SDKr24z3aiUvKr9bJpdrcLg1y3G',
    'private key n not in 1..n-1',
    /not in 1\.\.n-1/,
  ],
  [
    'xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6Q5JXayek4PRsn35jii4veMimro1xefsM58PgBMrvdYre8QyULY',
    'invalid pubkey 020000...07',
    /not a point on the curve/,
  ],
  [
    'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHL',
    'invalid checksum',
    /checksum/,
  ],
];

describe('BIP32 vectors (../shared/vectors/bip/bip32.json)', () => {
  it('derives every chain of vectors 1 and 2', () => {
    assert.equal(chainsOf(json.vector1).length, 6);
    assert.equal(chainsOf(json.vector2).length, 6);
    const checked =
      checkVector(json.vector1.seed, chainsOf(json.vector1)) +
      checkVector(json.vector2.seed, chainsOf(json.vector2));
    assert.equal(checked, 24);
  });

  it('matches the bcoin-style extras: mnemonic seed, master, children, a zero-padded key', () => {
    // 18 top-level entries: the two vectors and 16 extras (bcoin test/data/hd.json's layout).
    assert.equal(Object.keys(json).length, 18);
    const s = (k: string): string => json[k] as string;
    // The seed is PBKDF2-HMAC-SHA512(phrase, "mnemonic" + "foo"): BIP39 with passphrase "foo",
    // of a phrase whose checksum is not valid, so only with validation explicitly turned off.
    assert.throws(() => mnemonicToSeed(s('phrase'), 'foo'), /checksum/);
    assert.equal(toHex(mnemonicToSeed(s('phrase'), 'foo', { validate: false })), s('seed'));
    const master = HDKey.fromSeed(fromHex(s('seed')));
    const expect = (key: HDKey, name: string): void => {
      if (json[`${name}_priv`] !== undefined) assert.equal(key.toBase58(mainnet), s(`${name}_priv`), name);
      assert.equal(key.neuter().toBase58(mainnet), s(`${name}_pub`), name);
    };
    let checked = 0;
    const cases: [HDKey, string][] = [
      [master, 'master'],
      [master.deriveChild(0), 'child1'],
      [master.neuter().deriveChild(1), 'child2'], // public derivation from the master xpub
      [master.deriveChild(1), 'child3'],
      [master.deriveChild(2), 'child4'],
      [master.deriveChild(2).deriveChild(0), 'child5'],
      [master.deriveChild(2).deriveChild(1), 'child6'],
    ];
    for (const [key, name] of cases) {
      expect(key, name);
      checked += json[`${name}_priv`] !== undefined ? 2 : 1;
    }
    assert.equal(checked, 13);
    // A private key with leading zero bytes survives decoding and derivation (bcoin's values).
    const zero = HDKey.fromBase58(s('zero_priv'), mainnet);
    assert.equal(toHex(zero.privateKey!), '00000055378cf5fafb56c711c674143f9b0ee82ab0ba2924f19b64f5ae7cdbfd');
    assert.equal(zero.toBase58(mainnet), s('zero_priv'));
    assert.equal(
      toHex(zero.derive("m/44'/0'/0'/0/0'").privateKey!),
      '3348069561d2a0fb925e74bf198762acc47dce7db27372257d2d959a9e6f8aeb',
    );
  });
});

describe('BIP32 vectors 3, 4 and 5 (bip-0032.mediawiki)', () => {
  it('retains leading zeros (vectors 3 and 4)', () => {
    assert.equal(checkVector(...VECTOR3) + checkVector(...VECTOR4), 10);
  });

  it('rejects all 16 invalid keys of vector 5, each for its reason', () => {
    assert.equal(VECTOR5.length, 16);
    for (const [key, reason, message] of VECTOR5) {
      assert.throws(
        () => HDKey.fromBase58(key, mainnet),
        (e: unknown) => e instanceof DecodeError && message.test(e.message),
        reason,
      );
    }
  });
});

describe('HDKey', () => {
  const master = HDKey.fromSeed(fromHex(json.vector1.seed));

  it('computes identifier and fingerprint (BIP32 "Key identifiers")', () => {
    assert.deepEqual(master.identifier, hash160(master.publicKey));
    const child = HDKey.fromBase58((json.vector1["m/0'"] as Chain).prv, mainnet);
    assert.equal(child.parentFingerprint, master.fingerprint);
    assert.equal(child.depth, 1);
    assert.equal(child.childNumber, HARDENED);
  });

  it('serialises per network: tprv/tpub on testnet and regtest, refused by another network', () => {
    const tprv = master.toBase58(testnet);
    assert.match(tprv, /^tprv/);
    assert.match(master.neuter().toBase58(regtest), /^tpub/);
    assert.equal(HDKey.fromBase58(tprv, regtest).toBase58(testnet), tprv);
    assert.throws(() => HDKey.fromBase58(tprv, mainnet), /unknown version/);
    assert.throws(() => HDKey.fromBase58(master.toBase58(mainnet), testnet), /unknown version/);
  });

  it('public derivation equals the public half of private derivation (non-hardened)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), fc.nat(HARDENED - 1), (seed, index) => {
        const key = HDKey.fromSeed(seed);
        const viaPrivate = key.deriveChild(index).neuter();
        const viaPublic = key.neuter().deriveChild(index);
        assert.equal(viaPublic.toBase58(mainnet), viaPrivate.toBase58(mainnet));
      }),
      { numRuns: 50 },
    );
  });

  it('refuses hardened children of public keys, bad indices, depth over 255 and bad seeds', () => {
    const code = (c: string) => (e: unknown) => e instanceof HDKeyError && e.code === c;
    assert.throws(() => master.neuter().deriveChild(HARDENED), code('hardened-from-public'));
    assert.throws(() => master.neuter().derive("m/0'"), code('hardened-from-public'));
    assert.throws(() => master.deriveChild(-1), code('index'));
    assert.throws(() => master.deriveChild(2 ** 32), code('index'));
    assert.throws(() => master.deriveChild(1.5), code('index'));
    const deep = master.neuter().derive(new Array<number>(255).fill(0));
    assert.equal(deep.depth, 255);
    assert.throws(() => deep.deriveChild(0), code('depth'));
    assert.throws(() => HDKey.fromSeed(new Uint8Array(15)), code('bad-seed'));
    assert.throws(() => HDKey.fromSeed(new Uint8Array(65)), code('bad-seed'));
  });

  it('skips invalid children to the next index, within the same half (BIP32 CKD)', () => {
    const invalid = new Set([5, 6]);
    assert.deepEqual(
      firstValidChild(5, (i) => (invalid.has(i) ? null : i)),
      { index: 7, value: 7 },
    );
    assert.equal(firstValidChild(HARDENED, (i) => (i === HARDENED ? null : i)).index, HARDENED + 1);
    // The last normal index does not roll over into the hardened range.
    assert.throws(() => firstValidChild(HARDENED - 1, () => null), /no valid child/);
    assert.throws(() => firstValidChild(0xffffffff, () => null), /no valid child/);
  });

  it('parses and formats paths strictly', () => {
    assert.deepEqual(parsePath("m/44'/0h/0'/1/2"), [44 + HARDENED, HARDENED, HARDENED, 1, 2]);
    assert.deepEqual(parsePath('m'), []);
    assert.deepEqual(parsePath('0/1'), [0, 1]);
    assert.equal(formatPath([44 + HARDENED, 1, 2]), "m/44'/1/2");
    assert.equal(formatPath([84 + HARDENED, 5], 'h'), 'm/84h/5');
    for (const bad of [
      '',
      'm/',
      'm//1',
      'm/01',
      'm/-1',
      'm/+1',
      'm/1H',
      "m/1''",
      'm/2147483648',
      'M/1',
      'm/1 ',
    ]) {
      assert.throws(() => parsePath(bad), DecodeError, JSON.stringify(bad));
    }
    assert.equal(parsePath("m/2147483647'")[0], 0xffffffff);
  });

  it('never shows private material in logs, and wipes it on request', () => {
    const key = HDKey.fromSeed(fromHex(json.vector1.seed)).derive("m/0'");
    const secretHex = toHex(key.privateKey!);
    const xprv = key.toBase58(mainnet);
    for (const text of [
      inspect(key),
      JSON.stringify(key),
      JSON.stringify({ nested: [key] }),
      `${inspect({ key })}`,
    ]) {
      assert.ok(!text.includes(secretHex) && !text.includes(xprv), text);
      assert.ok(!text.includes(toHex(key.chainCode)), text);
      assert.match(text, /redacted/);
    }
    const view = key.privateKey!;
    key.wipe();
    assert.ok(isZeroed(view));
    assert.equal(key.hasPrivateKey, false);
    assert.throws(() => key.deriveChild(HARDENED), HDKeyError);
  });
});
