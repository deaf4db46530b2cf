import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hash160 } from '../../src/crypto/hash.js';
import { fromHex, toHex } from '../../src/encoding/index.js';
import {
  type AddressPrefixes,
  AddressError,
  addressFromScript,
  classifyScript,
  multisig,
  nullData,
  Op,
  p2pk,
  p2pkh,
  p2sh,
  p2shOfScript,
  p2tr,
  p2wpkh,
  p2wsh,
  parseAsm,
  scriptFromAddress,
  witnessProgram,
} from '../../src/script/index.js';

const MAIN: AddressPrefixes = { pubKeyHash: 0x00, scriptHash: 0x05, bech32: 'bc' };
const TEST: AddressPrefixes = { pubKeyHash: 0x6f, scriptHash: 0xc4, bech32: 'tb' };

/** The public key of private key 1 (the generator point). */
const G_COMPRESSED = fromHex('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
const G_UNCOMPRESSED = fromHex(
  '0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798' +
    '483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8',
);

describe('classifyScript (Core Solver)', () => {
  it('recognizes every standard template and extracts its data', () => {
    const h20 = Uint8Array.from(hash160(G_COMPRESSED));
    const h32 = new Uint8Array(32).fill(7);
    assert.deepEqual(classifyScript(p2pkh(h20)), { type: 'pubkeyhash', hash: h20 });
    assert.deepEqual(classifyScript(p2sh(h20)), { type: 'scripthash', hash: h20 });
    assert.deepEqual(classifyScript(p2wpkh(h20)), { type: 'witness_v0_keyhash', program: h20 });
    assert.deepEqual(classifyScript(p2wsh(h32)), { type: 'witness_v0_scripthash', program: h32 });
    assert.deepEqual(classifyScript(p2tr(h32)), { type: 'witness_v1_taproot', program: h32 });
    assert.deepEqual(classifyScript(p2pk(G_COMPRESSED)), { type: 'pubkey', pubkey: G_COMPRESSED });
    assert.deepEqual(classifyScript(p2pk(G_UNCOMPRESSED)), { type: 'pubkey', pubkey: G_UNCOMPRESSED });
    assert.deepEqual(classifyScript(witnessProgram(2, fromHex('abcd'))), {
      type: 'witness_unknown',
      version: 2,
      program: fromHex('abcd'),
    });
    assert.equal(classifyScript(fromHex('51024e73')).type, 'anchor');
    assert.equal(classifyScript(nullData(fromHex('deadbeef'))).type, 'nulldata');
    assert.equal(classifyScript(Uint8Array.of(Op.OP_RETURN)).type, 'nulldata');
  });

  it('recognizes multisig, including 20 keys with number-push counts', () => {
    const keys = [G_COMPRESSED, G_UNCOMPRESSED, G_COMPRESSED];
    assert.deepEqual(classifyScript(multisig(2, keys)), { type: 'multisig', required: 2, pubkeys: keys });
    const twenty = Array.from({ length: 20 }, () => G_COMPRESSED);
    const script = multisig(20, twenty);
    assert.equal(script[0], 0x01, '20 is pushed as a number, not an opcode');
    const c = classifyScript(script);
    assert.equal(c.type, 'multisig');
    assert.equal(c.type === 'multisig' && c.pubkeys.length, 20);
  });

  it('rejects near misses as nonstandard', () => {
    const h20 = hash160(G_COMPRESSED);
    const cases = [
      new Uint8Array(0),
      Uint8Array.of(Op.OP_RETURN, Op.OP_DUP), // OP_RETURN then a non-push
      witnessProgram(0, new Uint8Array(25)), // v0 with a wrong length
      p2pk(G_COMPRESSED.subarray(0, 32)), // not a key size
      Uint8Array.of(...p2pkh(h20).subarray(0, 24), Op.OP_CHECKSIGVERIFY),
      parseAsm(`2 0x21 0x${toHex(G_COMPRESSED)} 1 CHECKMULTISIG`), // m > n
      parseAsm(`1 0x21 0x${toHex(G_COMPRESSED)} 0x01 0x01 CHECKMULTISIG`), // non-minimal count
      parseAsm(`1 0x21 0x${toHex(G_COMPRESSED)} 1 CHECKMULTISIG CHECKMULTISIG`),
    ];
    for (const s of cases) assert.equal(classifyScript(s).type, 'nonstandard', toHex(s));
  });
});

describe('addresses', () => {
  it('encodes and decodes the well-known addresses of key 1', () => {
    const h = hash160(G_COMPRESSED);
    assert.equal(toHex(h), '751e76e8199196d454941c45d1b3a323f1433bd6');
    const cases: [Uint8Array, string, AddressPrefixes][] = [
      [p2pkh(h), '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH', MAIN],
      [p2pkh(h), 'mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r', TEST],
      [p2wpkh(h), 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', MAIN],
      [
        p2wsh(fromHex('1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262')),
        'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3',
        MAIN,
      ],
      [
        p2tr(G_COMPRESSED.subarray(1)),
        'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
        MAIN,
      ],
    ];
    for (const [script, address, prefixes] of cases) {
      assert.equal(addressFromScript(script, prefixes), address);
      assert.equal(toHex(scriptFromAddress(address, prefixes)), toHex(script));
    }
  });

  it('round-trips P2SH and unknown witness versions', () => {
    const redeem = multisig(1, [G_COMPRESSED]);
    for (const script of [p2shOfScript(redeem), witnessProgram(16, fromHex('0102'))]) {
      for (const prefixes of [MAIN, TEST]) {
        const address = addressFromScript(script, prefixes);
        assert.ok(address !== null);
        assert.equal(toHex(scriptFromAddress(address, prefixes)), toHex(script));
      }
    }
  });

  it('has no address for bare keys, multisig, data or nonstandard scripts', () => {
    for (const s of [p2pk(G_COMPRESSED), multisig(1, [G_COMPRESSED]), nullData(), Uint8Array.of(Op.OP_1)]) {
      assert.equal(addressFromScript(s, MAIN), null);
    }
  });

  it('refuses addresses of another network, bad checksums and garbage with AddressError', () => {
    const bad = [
      'mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r', // testnet P2PKH on mainnet
      'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', // testnet bech32 on mainnet
      '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMJ', // checksum
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', // checksum
      '',
      'not an address',
    ];
    for (const a of bad) assert.throws(() => scriptFromAddress(a, MAIN), AddressError, a);
  });
});
