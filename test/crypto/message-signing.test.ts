import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secp256k1 as noble } from '@noble/curves/secp256k1.js';
import { mainnet } from '../../src/consensus/networks/main.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { hash256 } from '../../src/crypto/hash.js';
import {
  MESSAGE_MAGIC,
  messageHash,
  recoverCompact,
  signCompact,
  signMessage,
} from '../../src/crypto/message-signing.js';
import { ecdsaRecover, ecdsaSignRecoverable, publicKeyCreate } from '../../src/crypto/secp256k1.js';
import { decodeBase64, encodeBase64 } from '../../src/encoding/base64.js';
import { concatBytes, utf8 } from '../../src/encoding/bytes.js';
import { fromHex, toHex } from '../../src/encoding/hex.js';
import { messageVerify } from '../../src/script/signed-message.js';
import { decodeWif } from '../../src/wallet/keys/wif.js';
import { det, withBackend } from './secp256k1-support.js';

const BACKENDS = ['native', 'noble'] as const;
const MAIN = mainnet.addressPrefixes;

/** Core's util_tests message_sign key; its address is 15CRxFdyRpGZLW9w8HnHvVduizdL5jKNbs. */
const CORE_UNIT_KEY = fromHex('d97f5108f11cda6eeebaaa420fef0726b1f898060b98489fa3098463c0032866');
const CORE_UNIT_SIG =
  'IPojfrX2dfPnH26UegfbGQQLrdK844DlHq5157/P6h57WyuS/Qsl+h/WSVGDF4MUi4rWSswW38oimDYfNNUBUOk=';
/** The private key 1 (bitcoinjs-message's fixtures): uncompressed and compressed signatures. */
const KEY_ONE = fromHex(`${'00'.repeat(31)}01`);
const ONE_UNCOMPRESSED_SIG =
  'HF8nHqFr3K2UKYahhX3soVeoW8W1ECNbr0wfck7lzyXjCS5Q16Ek45zyBuy1Fiy9sTPKVgsqqOuPvbycuVSSVl8=';
const ONE_COMPRESSED_SIG =
  'IF8nHqFr3K2UKYahhX3soVeoW8W1ECNbr0wfck7lzyXjCS5Q16Ek45zyBuy1Fiy9sTPKVgsqqOuPvbycuVSSVl8=';

describe('message hash (Core MessageHash)', () => {
  it("matches bitcoinjs-message's magicHash vectors", () => {
    assert.equal(toHex(messageHash('')), '80e795d4a4caadd7047af389d9f7f220562feb6196032e2131e10563352c4bcc');
    assert.equal(
      toHex(messageHash('Vires is Numeris')),
      'f8a5affbef4a3241b19067aa694562f64f513310817297089a8929a930f4f933',
    );
  });

  it("is SHA256d of the length-prefixed magic and message, never the message's own hash (util_tests)", () => {
    const tx = '...';
    const prefixed = concatBytes(
      Uint8Array.of(MESSAGE_MAGIC.length),
      utf8(MESSAGE_MAGIC),
      Uint8Array.of(tx.length),
      utf8(tx),
    );
    assert.deepEqual(messageHash(tx), hash256(prefixed));
    assert.notDeepEqual(messageHash(tx), hash256(utf8(tx)));
    // A 300-byte message takes a 3-byte CompactSize prefix (0xfd, little-endian length).
    const long = 'x'.repeat(300);
    const expected = hash256(
      concatBytes(Uint8Array.of(24), utf8(MESSAGE_MAGIC), Uint8Array.of(0xfd, 0x2c, 0x01), utf8(long)),
    );
    assert.deepEqual(messageHash(long), expected);
    // UTF-8, as bitcoind receives the JSON string.
    assert.deepEqual(
      messageHash('\u20ac'),
      hash256(concatBytes(Uint8Array.of(24), utf8(MESSAGE_MAGIC), Uint8Array.of(3, 0xe2, 0x82, 0xac))),
    );
  });
});

describe('signing (Core MessageSign / CKey::SignCompact)', () => {
  for (const backend of BACKENDS) {
    it(`reproduces Core's and bitcoinjs-message's signatures on the ${backend} backend`, () => {
      withBackend(backend, () => {
        assert.equal(signMessage('Trust no one', CORE_UNIT_KEY, true), CORE_UNIT_SIG);
        // rpc_signmessage.py: signmessagewithprivkey's expected signature.
        const wif = decodeWif('cUeKHd5orzT3mz8P9pxyREHfsWtVfgsfDjiZZBcjUBAaGk1BTj7N', regtest);
        assert.equal(
          signMessage('This is just a test message', wif.privateKey, wif.compressed),
          'INbVnW4e6PeRmsv2Qgu8NuopvrVjkcxob+sX8OcZG0SALhWybUjzMLPdAsXI46YZGb0KQTRii+wWIQzRpG/U+S0=',
        );
        assert.equal(signMessage('vires is numeris', KEY_ONE, false), ONE_UNCOMPRESSED_SIG);
        assert.equal(signMessage('vires is numeris', KEY_ONE, true), ONE_COMPRESSED_SIG);
      });
    });
  }

  it('gives the same signature and recovery id on both backends, and it recovers the key', () => {
    for (let i = 0; i < 48; i++) {
      const hash = det('message', i);
      const key = det('key', i);
      const native = withBackend('native', () => ecdsaSignRecoverable(hash, key));
      const reference = withBackend('noble', () => ecdsaSignRecoverable(hash, key));
      assert.deepEqual(native, reference, `signature ${i}`);
      for (const compressed of [true, false]) {
        const sig = signCompact(hash, key, compressed);
        assert.equal(sig[0], 27 + native.recid + (compressed ? 4 : 0));
        assert.deepEqual(recoverCompact(hash, sig), publicKeyCreate(key, compressed));
      }
    }
  });
});

describe('public key recovery (secp256k1_ecdsa_recover) against the noble reference', () => {
  const N = noble.Point.Fn.ORDER;
  const be32 = (x: bigint) => fromHex(x.toString(16).padStart(64, '0'));

  it('agrees on every recovery id of valid signatures, high S included', () => {
    for (let i = 0; i < 32; i++) {
      const hash = det('recover', i);
      const { signature } = ecdsaSignRecoverable(hash, det('rkey', i));
      // The same r with s negated (high S): recovery accepts it and finds the negated R's key.
      const highS = concatBytes(
        signature.subarray(0, 32),
        be32(N - BigInt(`0x${toHex(signature.subarray(32))}`)),
      );
      for (const sig of [signature, highS]) {
        for (let recid = 0; recid < 4; recid++) {
          const native = withBackend('native', () => ecdsaRecover(sig, recid, hash, true));
          const reference = withBackend('noble', () => ecdsaRecover(sig, recid, hash, true));
          assert.deepEqual(native, reference, `signature ${i} recid ${recid}`);
          let direct: Uint8Array | null = null;
          try {
            direct = noble.recoverPublicKey(Uint8Array.of(recid, ...sig), hash, { prehash: false });
          } catch {
            direct = null;
          }
          assert.deepEqual(native, direct, `noble's own recoverPublicKey, signature ${i} recid ${recid}`);
        }
      }
    }
  });

  it('finds no key for r or s of 0 or >= n, a bad recovery id, or wrong lengths, on both backends', () => {
    const hash = det('edge', 0);
    const good = ecdsaSignRecoverable(hash, det('edge-key', 0)).signature;
    const r = good.subarray(0, 32);
    const s = good.subarray(32);
    const zero = new Uint8Array(32);
    const cases = [
      concatBytes(zero, s),
      concatBytes(r, zero),
      concatBytes(be32(N), s),
      concatBytes(r, be32(N + 1n)),
      concatBytes(fromHex('ff'.repeat(32)), s),
    ];
    for (const backend of BACKENDS) {
      withBackend(backend, () => {
        for (const sig of cases)
          for (let id = 0; id < 4; id++) assert.equal(ecdsaRecover(sig, id, hash, true), null);
        for (const id of [-1, 4, 255, 1.5, Number.NaN])
          assert.equal(ecdsaRecover(good, id, hash, true), null);
        assert.equal(ecdsaRecover(good.subarray(1), 0, hash, true), null);
        assert.equal(ecdsaRecover(good, 0, hash.subarray(1), true), null);
        // recid 2/3 need R.x = r + n < p: with r just below n that is impossible, so no key.
        assert.equal(ecdsaRecover(concatBytes(be32(N - 1n), s), 2, hash, true), null);
      });
    }
  });
});

describe("verification (Core's MessageVerify, util_tests message_verify)", () => {
  it("returns Core's result for each of its cases", () => {
    const v = (address: string, signature: string, message: string) =>
      messageVerify(address, signature, message, MAIN);
    assert.equal(v('invalid address', 'signature should be irrelevant', 'message too'), 'invalid-address');
    assert.equal(
      v('3B5fQsEXEaV8v6U3ejYc8XaKXAkyQj2MjV', 'signature should be irrelevant', 'x'),
      'address-no-key',
    );
    assert.equal(
      v('1KqbBpLy5FARmTPD4VZnDDpYjkUvkr82Pm', 'invalid signature, not in base64 encoding', 'x'),
      'malformed-signature',
    );
    assert.equal(
      v('1KqbBpLy5FARmTPD4VZnDDpYjkUvkr82Pm', 'A'.repeat(88), 'message should be irrelevant'),
      'pubkey-not-recovered',
    );
    assert.equal(v('15CRxFdyRpGZLW9w8HnHvVduizdL5jKNbs', CORE_UNIT_SIG, 'I never signed this'), 'not-signed');
    assert.equal(v('15CRxFdyRpGZLW9w8HnHvVduizdL5jKNbs', CORE_UNIT_SIG, 'Trust no one'), 'ok');
    assert.equal(
      v(
        '11canuhp9X2NocwCq7xNrQYTmUgZAnLK3',
        'IIcaIENoYW5jZWxsb3Igb24gYnJpbmsgb2Ygc2Vjb25kIGJhaWxvdXQgZm9yIGJhbmtzIAaHRtbCeDZINyavx14=',
        'Trust me',
      ),
      'ok',
    );
  });

  it('checks the address before the signature, and refuses segwit and P2SH addresses', () => {
    const v = (address: string) => messageVerify(address, '!!', 'm', MAIN);
    assert.equal(v('1KqbBpLy5FARmTPD4VZnDDpYjkUvkr82Pm'), 'malformed-signature');
    assert.equal(v('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'), 'address-no-key');
    assert.equal(v('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0'), 'address-no-key');
    // A testnet address on mainnet is invalid, not merely keyless.
    assert.equal(v('mpLQjfK79b7CCV4VMJWEWAj5Mpx8Up5zxB'), 'invalid-address');
  });

  it('tells an uncompressed-key address from the compressed one (no cross verification)', () => {
    const uncompressed = '1EHNa6Q4Jz2uvNExL497mE43ikXhwF6kZm';
    const compressed = '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH';
    const m = 'vires is numeris';
    assert.equal(messageVerify(uncompressed, ONE_UNCOMPRESSED_SIG, m, MAIN), 'ok');
    assert.equal(messageVerify(compressed, ONE_COMPRESSED_SIG, m, MAIN), 'ok');
    assert.equal(messageVerify(compressed, ONE_UNCOMPRESSED_SIG, m, MAIN), 'not-signed');
    assert.equal(messageVerify(uncompressed, ONE_COMPRESSED_SIG, m, MAIN), 'not-signed');
  });

  it("reads any header byte as Core's int arithmetic does: BIP137 segwit headers map onto P2PKH ones", () => {
    const m = 'vires is numeris';
    // 40 = 27 + 13: recid 13 & 3 = 1, compressed since 13 & 4; the same as header 32 of the original.
    const bech32Header =
      'KF8nHqFr3K2UKYahhX3soVeoW8W1ECNbr0wfck7lzyXjCS5Q16Ek45zyBuy1Fiy9sTPKVgsqqOuPvbycuVSSVl8=';
    assert.equal(messageVerify('1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH', bech32Header, m, MAIN), 'ok');
    // Header 0: (0 - 27) & 3 = 1 and & 4 = 4 in two's complement, also recid 1 compressed.
    const sig = decodeBase64(ONE_COMPRESSED_SIG)!;
    sig[0] = 0;
    assert.equal(messageVerify('1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH', encodeBase64(sig), m, MAIN), 'ok');
  });

  it('rejects every single-byte tampering and a signature of another length', () => {
    const address = '15CRxFdyRpGZLW9w8HnHvVduizdL5jKNbs';
    const sig = decodeBase64(CORE_UNIT_SIG)!;
    for (let i = 0; i < sig.length; i++) {
      const tampered = Uint8Array.from(sig);
      tampered[i]! ^= 0x01;
      const result = messageVerify(address, encodeBase64(tampered), 'Trust no one', MAIN);
      assert.notEqual(result, 'ok', `byte ${i}`);
    }
    const longer = encodeBase64(concatBytes(sig, Uint8Array.of(0)));
    assert.equal(messageVerify(address, longer, 'Trust no one', MAIN), 'pubkey-not-recovered');
    assert.equal(messageVerify(address, '', 'Trust no one', MAIN), 'pubkey-not-recovered');
  });
});
