import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mainnet } from '../../../src/consensus/networks/main.js';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { randomBytes } from 'node:crypto';
import { schnorrVerify } from '../../../src/crypto/secp256k1.js';
import { signTaprootKeyPath, taprootTweakPrivateKey } from '../../../src/crypto/taproot-sign.js';
import { fromHex, toHex } from '../../../src/encoding/hex.js';
import {
  bip86OutputKey,
  formatPath,
  HDAccount,
  HDKey,
  mnemonicToSeed,
} from '../../../src/wallet/keys/index.js';
import { taprootKeyDescriptor } from '../../../src/wallet/keychain/key-chain.js';

const ABANDON =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const master = HDKey.fromSeed(mnemonicToSeed(ABANDON));

/** bip-0086.mediawiki "Test vectors" (mainnet, account 0). */
const VECTORS = [
  {
    path: "m/86'/0'/0'/0/0",
    chain: 0 as const,
    index: 0,
    internalKey: 'cc8a4bc64d897bddc5fbc2f670f7a8ba0b386779106cf1223c6fc5d7cd6fc115',
    outputKey: 'a60869f0dbcf1dc659c9cecbaf8050135ea9e8cdc487053f1dc6880949dc684c',
    scriptPubKey: '5120a60869f0dbcf1dc659c9cecbaf8050135ea9e8cdc487053f1dc6880949dc684c',
    address: 'bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr',
  },
  {
    path: "m/86'/0'/0'/0/1",
    chain: 0 as const,
    index: 1,
    internalKey: '83dfe85a3151d2517290da461fe2815591ef69f2b18a2ce63f01697a8b313145',
    outputKey: 'a82f29944d65b86ae6b5e5cc75e294ead6c59391a1edc5e016e3498c67fc7bbb',
    scriptPubKey: '5120a82f29944d65b86ae6b5e5cc75e294ead6c59391a1edc5e016e3498c67fc7bbb',
    address: 'bc1p4qhjn9zdvkux4e44uhx8tc55attvtyu358kutcqkudyccelu0was9fqzwh',
  },
  {
    path: "m/86'/0'/0'/1/0",
    chain: 1 as const,
    index: 0,
    internalKey: '399f1b2f4393f29a18c937859c5dd8a77350103157eb880f02e8c08214277cef',
    outputKey: '882d74e5d0572d5a816cef0041a96b6c1de832f6f9676d9605c44d5e9a97d3dc',
    scriptPubKey: '5120882d74e5d0572d5a816cef0041a96b6c1de832f6f9676d9605c44d5e9a97d3dc',
    address: 'bc1p3qkhfews2uk44qtvauqyr2ttdsw7svhkl9nkm9s9c3x4ax5h60wqwruhk7',
  },
];

describe('BIP86 test vectors (bip-0086.mediawiki, mainnet)', () => {
  const account = HDAccount.fromMaster(master, 86, mainnet, 0);

  it('account keys at m/86h/0h/0h', () => {
    assert.equal(formatPath(account.origin!.path), "m/86'/0'/0'");
    assert.equal(
      account.accountKey.toBase58(mainnet),
      'xprv9xgqHN7yz9MwCkxsBPN5qetuNdQSUttZNKw1dcYTV4mkaAFiBVGQziHs3NRSWMkCzvgjEe3n9xV8oYywvM8at9yRqyaZVz6TYYhX98VjsUk',
    );
    assert.equal(
      account.extendedPublicKey,
      'xpub6BgBgsespWvERF3LHQu6CnqdvfEvtMcQjYrcRzx53QJjSxarj2afYWcLteoGVky7D3UKDP9QyrLprQ3VCECoY49yfdDEHGCtMMj92pReUsQ',
    );
    assert.equal(account.type, 'p2tr');
  });

  for (const v of VECTORS) {
    it(`${v.path}: internal key, output key, scriptPubKey, address`, () => {
      const d = account.address(v.chain, v.index);
      assert.equal(formatPath(d.origin!.path), v.path);
      assert.equal(toHex(d.publicKey.subarray(1)), v.internalKey);
      assert.equal(toHex(bip86OutputKey(d.publicKey)), v.outputKey);
      assert.equal(toHex(d.scriptPubKey), v.scriptPubKey);
      assert.equal(d.address, v.address);
      assert.equal(d.redeemScript, null);
    });

    it(`${v.path}: the tweaked private key owns the output key and signs for it`, () => {
      const priv = account.privateKey(v.chain, v.index);
      const tweaked = taprootTweakPrivateKey(priv)!;
      assert.equal(toHex(tweaked.outputKey), v.outputKey);
      const msg = new Uint8Array(randomBytes(32));
      const sig = signTaprootKeyPath(msg, priv, new Uint8Array(32));
      assert.ok(schnorrVerify(sig, msg, fromHex(v.outputKey)));
      // The untweaked key's signature must not pass for the output key (the tweak is applied).
      assert.ok(!schnorrVerify(sig, msg, fromHex(v.internalKey)));
    });
  }

  it('a watch-only account from the xpub derives the same addresses', () => {
    const watch = HDAccount.fromExtendedPublicKey(account.extendedPublicKey, 86, mainnet);
    assert.equal(watch.receive(0).address, VECTORS[0]!.address);
    assert.equal(watch.change(0).address, VECTORS[2]!.address);
  });

  it('regtest uses coin type 1 and bcrt1p addresses (as Core)', () => {
    const rt = HDAccount.fromMaster(master, 86, regtest, 0);
    assert.equal(formatPath(rt.origin!.path), "m/86'/1'/0'");
    assert.match(rt.receive(0).address, /^bcrt1p[02-9ac-hj-np-z]{58}$/);
  });

  it("desc is Core's tr([fingerprint/86h/0h/0h/0/0]xonly) with checksum", () => {
    const d = account.address(0, 0);
    const desc = taprootKeyDescriptor(d.publicKey, d.origin!.path, '73c5da0a');
    assert.match(
      desc,
      new RegExp(`^tr\\(\\[73c5da0a/86h/0h/0h/0/0\\]${VECTORS[0]!.internalKey}\\)#[a-z0-9]{8}$`),
    );
  });

  it('a key whose public key has odd Y is negated before the tweak (BIP341)', () => {
    // Find a derived key with an 03 prefix among the first few; the tweak must still match.
    for (let i = 0; i < 16; i++) {
      const d = account.address(0, i);
      if (d.publicKey[0] !== 0x03) continue;
      const tweaked = taprootTweakPrivateKey(account.privateKey(0, i))!;
      assert.equal(toHex(tweaked.outputKey), toHex(bip86OutputKey(d.publicKey)));
      return;
    }
    assert.fail('no odd-Y key in the first 16 indexes');
  });
});
