import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { mainnet } from '../../../src/consensus/networks/main.js';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { testnet } from '../../../src/consensus/networks/testnet.js';
import { hash160 } from '../../../src/crypto/hash.js';
import { base58CheckDecode } from '../../../src/encoding/base58.js';
import { toHex } from '../../../src/encoding/hex.js';
import { scriptFromAddress } from '../../../src/script/address.js';
import {
  accountPath,
  CHANGE_CHAIN,
  coinType,
  decodeWif,
  encodeWif,
  formatPath,
  HDAccount,
  HDKey,
  mnemonicToSeed,
  RECEIVE_CHAIN,
} from '../../../src/wallet/keys/index.js';

const ABANDON =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const master = HDKey.fromSeed(mnemonicToSeed(ABANDON));

/**
 * BIP49/BIP84 and SLIP-132 print keys with their own version bytes (ypub, zprv, uprv...), which
 * Core and BIP32 do not use; everything after the 4 version bytes must match our xpub/tpub.
 */
function sameKeyIgnoringVersion(ours: string, theirs: string): void {
  assert.equal(toHex(base58CheckDecode(ours).subarray(4)), toHex(base58CheckDecode(theirs).subarray(4)));
}

describe('BIP84 test vectors (bip-0084.mediawiki, mainnet)', () => {
  const account = HDAccount.fromMaster(master, 84, mainnet, 0);

  it('root and account keys', () => {
    sameKeyIgnoringVersion(
      master.toBase58(mainnet),
      'zprvAWgYBBk7JR8Gjrh4UJQ2uJdG1r3WNRRfURiABBE3RvMXYSrRJL62XuezvGdPvG6GFBZduosCc1YP5wixPox7zhZLfiUm8aunE96BBa4Kei5',
    );
    sameKeyIgnoringVersion(
      master.neuter().toBase58(mainnet),
      'zpub6jftahH18ngZxLmXaKw3GSZzZsszmt9WqedkyZdezFtWRFBZqsQH5hyUmb4pCEeZGmVfQuP5bedXTB8is6fTv19U1GQRyQUKQGUTzyHACMF',
    );
    assert.equal(formatPath(account.origin!.path), "m/84'/0'/0'");
    sameKeyIgnoringVersion(
      account.accountKey.toBase58(mainnet),
      'zprvAdG4iTXWBoARxkkzNpNh8r6Qag3irQB8PzEMkAFeTRXxHpbF9z4QgEvBRmfvqWvGp42t42nvgGpNgYSJA9iefm1yYNZKEm7z6qUWCroSQnE',
    );
    sameKeyIgnoringVersion(
      account.extendedPublicKey,
      'zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs',
    );
  });

  it('first two receive addresses and the first change address', () => {
    const cases: [0 | 1, number, string, string, string][] = [
      [
        RECEIVE_CHAIN,
        0,
        'KyZpNDKnfs94vbrwhJneDi77V6jF64PWPF8x5cdJb8ifgg2DUc9d',
        '0330d54fd0dd420a6e5f8d3624f5f3482cae350f79d5f0753bf5beef9c2d91af3c',
        'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu',
      ],
      [
        RECEIVE_CHAIN,
        1,
        'Kxpf5b8p3qX56DKEe5NqWbNUP9MnqoRFzZwHRtsFqhzuvUJsYZCy',
        '03e775fd51f0dfb8cd865d9ff1cca2a158cf651fe997fdc9fee9c1d3b5e995ea77',
        'bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g',
      ],
      [
        CHANGE_CHAIN,
        0,
        'KxuoxufJL5csa1Wieb2kp29VNdn92Us8CoaUG3aGtPtcF3AzeXvF',
        '03025324888e429ab8e3dbaf1f7802648b9cd01e9b418485c5fa4c1b9b5700e1a6',
        'bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el',
      ],
    ];
    for (const [chain, index, wif, pubkey, address] of cases) {
      const a = account.address(chain, index);
      assert.equal(a.index, index);
      assert.equal(toHex(a.publicKey), pubkey);
      assert.equal(a.address, address);
      assert.deepEqual(a.scriptPubKey, scriptFromAddress(address, mainnet.addressPrefixes));
      assert.equal(a.redeemScript, null);
      assert.equal(encodeWif(account.privateKey(chain, index), true, mainnet), wif);
      assert.equal(formatPath(a.origin!.path), `m/84'/0'/0'/${chain}/${index}`);
      assert.equal(a.origin!.masterFingerprint, master.fingerprint);
    }
    assert.equal(account.receive(1).address, cases[1]![4]);
    assert.equal(account.change(0).address, cases[2]![4]);
  });
});

describe('BIP49 test vector (bip-0049.mediawiki, testnet)', () => {
  it('account keys, first receive key and its P2SH-P2WPKH address', () => {
    sameKeyIgnoringVersion(
      master.toBase58(testnet),
      'uprv8tXDerPXZ1QsVNjUJWTurs9kA1KGfKUAts74GCkcXtU8GwnH33GDRbNJpEqTvipfCyycARtQJhmdfWf8oKt41X9LL1zeD2pLsWmxEk3VAwd',
    );
    const account = HDAccount.fromMaster(master, 49, testnet, 0);
    assert.equal(formatPath(account.origin!.path), "m/49'/1'/0'");
    sameKeyIgnoringVersion(
      account.accountKey.toBase58(testnet),
      'uprv91G7gZkzehuMVxDJTYE6tLivdF8e4rvzSu1LFfKw3b2Qx1Aj8vpoFnHdfUZ3hmi9jsvPifmZ24RTN2KhwB8BfMLTVqaBReibyaFFcTP1s9n',
    );
    sameKeyIgnoringVersion(
      account.extendedPublicKey,
      'upub5EFU65HtV5TeiSHmZZm7FUffBGy8UKeqp7vw43jYbvZPpoVsgU93oac7Wk3u6moKegAEWtGNF8DehrnHtv21XXEMYRUocHqguyjknFHYfgY',
    );
    const key = account.privateKey(RECEIVE_CHAIN, 0);
    assert.equal(toHex(key), 'c9bdb49cfbaedca21c4b1f3a7803c34636b1d7dc55a717132443fc3f4c5867e8');
    assert.equal(encodeWif(key, true, testnet), 'cULrpoZGXiuC19Uhvykx7NugygA3k86b3hmdCeyvHYQZSxojGyXJ');
    const a = account.receive(0);
    assert.equal(toHex(a.publicKey), '03a1af804ac108a8a51782198c2d034b28bf90c8803f5a53f76276fa69a4eae77f');
    assert.equal(toHex(hash160(a.publicKey)), '38971f73930f6c141d977ac4fd4a727c854935b3');
    assert.equal(toHex(a.redeemScript!), '001438971f73930f6c141d977ac4fd4a727c854935b3');
    assert.equal(toHex(hash160(a.redeemScript!)), '336caa13e08b96080a32b5d818d59b4ab3b36742');
    assert.equal(toHex(a.scriptPubKey), 'a914336caa13e08b96080a32b5d818d59b4ab3b3674287');
    assert.equal(a.address, '2Mww8dCYPUpKHofjgcXcBCEGmniw9CoaiD2');
  });
});

// SLIP-0132 "Bitcoin Test Vectors" (satoshilabs/slips slip-0132.md): the same mnemonic's account
// keys and first receive address for BIP44, BIP49 and BIP84 on mainnet. BIP44 has no vectors of
// its own; these are the ones wallets (and Core's pkh() descriptors) are checked against.
describe('SLIP-0132 vectors for BIP44, BIP49, BIP84 (mainnet)', () => {
  const cases: [44 | 49 | 84, string, string, string][] = [
    [
      44,
      'xprv9xpXFhFpqdQK3TmytPBqXtGSwS3DLjojFhTGht8gwAAii8py5X6pxeBnQ6ehJiyJ6nDjWGJfZ95WxByFXVkDxHXrqu53WCRGypk2ttuqncb',
      'xpub6BosfCnifzxcFwrSzQiqu2DBVTshkCXacvNsWGYJVVhhawA7d4R5WSWGFNbi8Aw6ZRc1brxMyWMzG3DSSSSoekkudhUd9yLb6qx39T9nMdj',
      '1LqBGSKuX5yYUonjxT5qGfpUsXKYYWeabA',
    ],
    [
      49,
      'yprvAHwhK6RbpuS3dgCYHM5jc2ZvEKd7Bi61u9FVhYMpgMSuZS613T1xxQeKTffhrHY79hZ5PsskBjcc6C2V7DrnsMsNaGDaWev3GLRQRgV7hxF',
      'ypub6Ww3ibxVfGzLrAH1PNcjyAWenMTbbAosGNB6VvmSEgytSER9azLDWCxoJwW7Ke7icmizBMXrzBx9979FfaHxHcrArf3zbeJJJUZPf663zsP',
      '37VucYSaXLCAsxYyAPfbSi9eh4iEcbShgf',
    ],
    [
      84,
      'zprvAdG4iTXWBoARxkkzNpNh8r6Qag3irQB8PzEMkAFeTRXxHpbF9z4QgEvBRmfvqWvGp42t42nvgGpNgYSJA9iefm1yYNZKEm7z6qUWCroSQnE',
      'zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs',
      'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu',
    ],
  ];
  for (const [purpose, prv, pub, address] of cases) {
    it(`m/${purpose}'/0'/0' and its first receive address`, () => {
      const account = HDAccount.fromMaster(master, purpose, mainnet);
      sameKeyIgnoringVersion(account.accountKey.toBase58(mainnet), prv);
      sameKeyIgnoringVersion(account.extendedPublicKey, pub);
      if (purpose === 44) {
        // BIP44 uses plain xprv/xpub, so the strings themselves match.
        assert.equal(account.accountKey.toBase58(mainnet), prv);
        assert.equal(account.extendedPublicKey, pub);
      }
      assert.equal(account.receive(0).address, address);
    });
  }
});

describe('HD accounts', () => {
  it('use coin type 0 on main and 1 on testnet and regtest, as Core does', () => {
    assert.equal(coinType(mainnet), 0);
    assert.equal(coinType(testnet), 1);
    assert.equal(coinType(regtest), 1);
    assert.equal(formatPath(accountPath(84, regtest, 3)), "m/84'/1'/3'");
    assert.throws(() => accountPath(84, mainnet, -1), RangeError);
    assert.throws(() => accountPath(84, mainnet, 2 ** 31), RangeError);
    // Same key on testnet and regtest; only the address encoding differs.
    const t = HDAccount.fromMaster(master, 84, testnet).receive(0);
    const r = HDAccount.fromMaster(master, 84, regtest).receive(0);
    assert.deepEqual(t.publicKey, r.publicKey);
    assert.match(t.address, /^tb1q/);
    assert.match(r.address, /^bcrt1q/);
    assert.match(HDAccount.fromMaster(master, 44, regtest).receive(0).address, /^[mn]/);
    assert.match(HDAccount.fromMaster(master, 49, regtest).receive(0).address, /^2/);
  });

  it('derive the same addresses watch-only from the account xpub, without private keys', () => {
    for (const purpose of [44, 49, 84] as const) {
      for (const network of [mainnet, testnet]) {
        const full = HDAccount.fromMaster(master, purpose, network, 1);
        const watch = HDAccount.fromExtendedPublicKey(full.extendedPublicKey, purpose, network, full.origin);
        assert.equal(watch.isWatchOnly, true);
        assert.equal(watch.accountKey.hasPrivateKey, false);
        for (const chain of [RECEIVE_CHAIN, CHANGE_CHAIN]) {
          for (const index of [0, 1, 19, 1000]) {
            assert.deepEqual(watch.address(chain, index), full.address(chain, index));
          }
        }
        assert.throws(() => watch.privateKey(RECEIVE_CHAIN, 0), /watch-only/);
        const anonymous = HDAccount.fromExtendedPublicKey(full.extendedPublicKey, purpose, network);
        assert.equal(anonymous.receive(0).origin, null);
        assert.equal(anonymous.receive(0).address, full.receive(0).address);
      }
    }
  });

  it('refuse a private key where a watch-only key is expected, and a non-master for fromMaster', () => {
    const account = HDAccount.fromMaster(master, 84, mainnet);
    assert.throws(
      () => HDAccount.fromExtendedPublicKey(account.accountKey.toBase58(mainnet), 84, mainnet),
      /expected an extended public key/,
    );
    assert.throws(() => HDAccount.fromMaster(account.accountKey, 84, mainnet), /depth 0/);
    assert.throws(() => HDAccount.fromMaster(master.neuter(), 84, mainnet), /master private key/);
    assert.throws(
      () => HDAccount.fromExtendedPublicKey(account.extendedPublicKey, 84, testnet),
      /unknown version/,
    );
  });

  it('wipe their private keys and never log them', () => {
    const seedMaster = HDKey.fromSeed(mnemonicToSeed(ABANDON));
    const account = HDAccount.fromMaster(seedMaster, 84, mainnet);
    const wif = encodeWif(account.privateKey(RECEIVE_CHAIN, 0), true, mainnet);
    const secretHex = toHex(decodeWif(wif, mainnet).privateKey);
    const accountSecret = toHex(account.accountKey.privateKey!);
    for (const text of [inspect(account), JSON.stringify(account)]) {
      assert.ok(!text.includes(secretHex) && !text.includes(accountSecret), text);
    }
    account.wipe();
    assert.equal(account.isWatchOnly, true);
    assert.throws(() => account.privateKey(RECEIVE_CHAIN, 0), /watch-only/);
    assert.equal(account.receive(0).address, 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu');
  });
});
