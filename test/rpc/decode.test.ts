import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mainnet } from '../../src/consensus/networks/main.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import type { NetworkParams } from '../../src/consensus/params.js';
import { hash160, sha256 } from '../../src/crypto/hash.js';
import { publicKeyCreate } from '../../src/crypto/secp256k1.js';
import { base58CheckDecode } from '../../src/encoding/base58.js';
import { fromHex, toHex } from '../../src/encoding/hex.js';
import { Block } from '../../src/primitives/block.js';
import { Transaction } from '../../src/primitives/transaction.js';
import { addressFromScript } from '../../src/script/address.js';
import {
  multisig,
  nullData,
  p2pkh,
  p2shOfScript,
  p2wpkh,
  p2wshOfScript,
} from '../../src/script/templates.js';
import type { RpcContext } from '../../src/rpc/context.js';
import { RpcError } from '../../src/rpc/errors.js';
import { descriptorChecksum } from '../../src/rpc/json/descriptor.js';
import { writeJson } from '../../src/rpc/json/write.js';
import { createRegistry } from '../../src/rpc/methods/index.js';
import { readShared, readSharedJson } from '../support/shared.js';

const registry = createRegistry();
const ctx = (network: NetworkParams): RpcContext => ({ network, startTime: 0, now: () => 0 });
const call = (method: string, params: unknown[], network: NetworkParams = regtest) =>
  registry.execute(ctx(network), method, params, { user: undefined, wallet: undefined, uri: '/' });

async function fails(p: Promise<unknown>, code: number, message: string | RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof RpcError);
    assert.equal(err.code, code, err.message);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

const BLOCK1 = Block.decode(readShared('blocks', 'mainnet', 'block1.raw'));
const BLOCK1_COINBASE_HEX = toHex(BLOCK1.txs[0]!.encode());
const GENESIS_KEY =
  '0496b538e853519c726a2c91e61ec11600ae1390813a627c66fb8be7947be63c52da7589379515d4e0a604f8141781e62294721166bf621e73a82cbf2342c858ee';

describe('decoderawtransaction', () => {
  it('matches bitcoind byte for byte on mainnet block 1 coinbase', async () => {
    const result = await call('decoderawtransaction', [BLOCK1_COINBASE_HEX], mainnet);
    // bitcoind 0.2x output for this transaction (the desc checksum included).
    assert.equal(
      writeJson(result),
      '{"txid":"0e3e2357e806b6cdb1f70b54c3a3a17b6714ee1f0e68bebb44a74b1efd512098",' +
        '"hash":"0e3e2357e806b6cdb1f70b54c3a3a17b6714ee1f0e68bebb44a74b1efd512098","version":1,"size":134,' +
        '"vsize":134,"weight":536,"locktime":0,"vin":[{"coinbase":"04ffff001d0104","sequence":4294967295}],' +
        `"vout":[{"value":50.00000000,"n":0,"scriptPubKey":{"asm":"${GENESIS_KEY} OP_CHECKSIG",` +
        `"desc":"pk(${GENESIS_KEY})#qnv32gt7","hex":"41${GENESIS_KEY}ac","type":"pubkey"}}]}`,
    );
  });

  it("decodes every transaction of Core's tx_valid.json", async () => {
    const rows = readSharedJson<unknown[][]>('vectors', 'bitcoin-core', 'tx_valid.json');
    let n = 0;
    for (const row of rows) {
      if (row.length < 3 || typeof row[1] !== 'string') continue;
      const json = (await call('decoderawtransaction', [row[1]])) as { txid: string; vin: unknown[] };
      assert.equal(json.txid, Transaction.decode(fromHex(row[1])).txidHex());
      n++;
    }
    assert.ok(n > 100);
  });

  it('reads a zero-input transaction the legacy way, as Core does', async () => {
    // version 2, no inputs, one output of 1 sat paying OP_TRUE, locktime 0.
    const hex = '02000000000101000000000000000151' + '00000000';
    const json = (await call('decoderawtransaction', [hex])) as {
      vin: unknown[];
      vout: { value: unknown }[];
    };
    assert.equal(json.vin.length, 0);
    assert.equal(writeJson(json.vout[0]!.value), '0.00000001');
    await fails(call('decoderawtransaction', [hex, true]), -22, 'TX decode failed');
  });

  it('refuses bad input with bitcoind codes', async () => {
    await fails(call('decoderawtransaction', ['zz']), -22, 'TX decode failed');
    await fails(call('decoderawtransaction', ['00']), -22, 'TX decode failed');
    await fails(call('decoderawtransaction', [`${BLOCK1_COINBASE_HEX}00`]), -22, 'TX decode failed');
    await fails(
      call('decoderawtransaction', [5]),
      -3,
      /JSON value of type number is not of expected type string/,
    );
    await fails(call('decoderawtransaction', []), -1, /^decoderawtransaction "hexstring" \( iswitness \)/);
  });
});

describe('decodescript', () => {
  const key = publicKeyCreate(sha256(new Uint8Array([1])), true);
  const key2 = publicKeyCreate(sha256(new Uint8Array([2])), true);
  const addr = (script: Uint8Array) => addressFromScript(script, regtest.addressPrefixes);

  it('P2PK with an uncompressed key: pk() descriptor, P2SH but no segwit', async () => {
    const script = fromHex(`41${GENESIS_KEY}ac`);
    const json = (await call('decodescript', [toHex(script)], mainnet)) as Record<string, unknown>;
    assert.deepEqual(json, {
      asm: `${GENESIS_KEY} OP_CHECKSIG`,
      desc: `pk(${GENESIS_KEY})#qnv32gt7`,
      type: 'pubkey',
      p2sh: addressFromScript(p2shOfScript(script), mainnet.addressPrefixes),
    });
  });

  it('P2PKH: address, P2SH wrapping and the P2WPKH of the same key', async () => {
    const script = p2pkh(hash160(key));
    const json = (await call('decodescript', [toHex(script)])) as Record<string, Record<string, unknown>>;
    assert.equal(json.type as unknown, 'pubkeyhash');
    assert.equal(json.address as unknown, addr(script));
    assert.equal(
      json.desc as unknown,
      `addr(${addr(script)})#${descriptorChecksum(`addr(${addr(script)})`)}`,
    );
    assert.equal(json.p2sh as unknown, addr(p2shOfScript(script)));
    const segwit = p2wpkh(hash160(key));
    assert.equal(json.segwit!.hex, toHex(segwit));
    assert.equal(json.segwit!.type, 'witness_v0_keyhash');
    assert.equal(json.segwit!.address, addr(segwit));
    assert.equal(json.segwit!['p2sh-segwit'], addr(p2shOfScript(segwit)));
  });

  it('multisig: multi() descriptor and wsh(multi()) for its segwit form', async () => {
    const script = multisig(1, [key, key2]);
    const json = (await call('decodescript', [toHex(script)])) as Record<string, Record<string, unknown>>;
    const multi = `multi(1,${toHex(key)},${toHex(key2)})`;
    assert.equal(json.desc as unknown, `${multi}#${descriptorChecksum(multi)}`);
    assert.equal(json.address, undefined);
    assert.equal(json.segwit!.desc, `wsh(${multi})#${descriptorChecksum(`wsh(${multi})`)}`);
    assert.equal(json.segwit!.address, addr(p2wshOfScript(script)));
  });

  it('no wrapping for OP_RETURN, witness programs keep P2SH only, OP_CAT scripts none', async () => {
    const data = (await call('decodescript', [toHex(nullData(new Uint8Array([1, 2])))])) as Record<
      string,
      unknown
    >;
    assert.equal(data.type, 'nulldata');
    assert.equal(data.p2sh, undefined);
    const wpkh = (await call('decodescript', [toHex(p2wpkh(hash160(key)))])) as Record<string, unknown>;
    assert.equal(wpkh.p2sh, addr(p2shOfScript(p2wpkh(hash160(key)))));
    assert.equal(wpkh.segwit, undefined);
    const cat = (await call('decodescript', ['7e'])) as Record<string, unknown>;
    assert.deepEqual(cat, {
      asm: 'OP_CAT',
      desc: `raw(7e)#${descriptorChecksum('raw(7e)')}`,
      type: 'nonstandard',
    });
  });

  it('accepts the empty script and refuses non-hex', async () => {
    const empty = (await call('decodescript', [''])) as Record<string, unknown>;
    assert.equal(empty.asm, '');
    assert.equal(empty.type, 'nonstandard');
    await fails(call('decodescript', ['zz']), -8, "argument must be hexadecimal string (not 'zz')");
    await fails(call('decodescript', ['abc']), -8, "argument must be hexadecimal string (not 'abc')");
  });

  it('descriptor checksums match BIP380', () => {
    assert.equal(descriptorChecksum('raw(deadbeef)'), '89f8spxm');
    assert.equal(descriptorChecksum('raw(Ü)'), '');
  });
});

describe('validateaddress', () => {
  const validate = async (address: string, network = mainnet) =>
    (await call('validateaddress', [address], network)) as Record<string, unknown>;

  it('describes valid addresses as bitcoind does (BIP173/BIP350 vectors)', async () => {
    assert.deepEqual(await validate('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4'), {
      isvalid: true,
      address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      scriptPubKey: '0014751e76e8199196d454941c45d1b3a323f1433bd6',
      isscript: false,
      iswitness: true,
      witness_version: 0,
      witness_program: '751e76e8199196d454941c45d1b3a323f1433bd6',
    });
    const tr = await validate('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0');
    assert.equal(tr.scriptPubKey, '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
    assert.equal(tr.isscript, true);
    assert.deepEqual(await validate('1AJbsFZ64EpEfS5UAjAfcUG8pH8Jn3rn1F'), {
      isvalid: true,
      address: '1AJbsFZ64EpEfS5UAjAfcUG8pH8Jn3rn1F',
      scriptPubKey: toHex(p2pkh(base58CheckDecode('1AJbsFZ64EpEfS5UAjAfcUG8pH8Jn3rn1F').subarray(1))),
      isscript: false,
      iswitness: false,
    });
    const anchor = addressFromScript(fromHex('51024e73'), regtest.addressPrefixes)!;
    assert.deepEqual(await validate(anchor, regtest), {
      isvalid: true,
      address: anchor,
      scriptPubKey: '51024e73',
      isscript: true,
      iswitness: true,
    });
    const future = await validate('bc1sw50qgdz25j');
    assert.deepEqual(future, {
      isvalid: true,
      address: 'bc1sw50qgdz25j',
      scriptPubKey: '6002751e',
      iswitness: true,
      witness_version: 16,
      witness_program: '751e',
    });
  });

  it("gives key_io.cpp's reasons for invalid addresses", async () => {
    const cases: [string, string, number[]?][] = [
      ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', 'Version 0 witness address must use Bech32 checksum'],
      [
        'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd',
        'Version 1+ witness address must use Bech32m checksum',
      ],
      [
        'BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R',
        'Invalid Bech32 address witness version',
      ],
      ['bc1pw5dgrnzv', 'Invalid Bech32 address program size (1 byte)'],
      [
        'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav',
        'Invalid Bech32 address program size (41 bytes)',
      ],
      [
        'BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P',
        'Invalid Bech32 v0 address program size (16 bytes), per BIP141',
      ],
      [
        'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf',
        'Invalid padding in Bech32 data section',
      ],
      ['bc1gmk9yu', 'Empty Bech32 data section'],
      [
        'tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut',
        'Invalid or unsupported Segwit (Bech32) or Base58 encoding.',
      ],
      ['bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4', 'Invalid Base 32 character', [59]],
      [
        'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq',
        'Invalid character or mixed case',
        [58],
      ],
      [`bc1${'q'.repeat(100)}`, 'Bech32 string too long', Array.from({ length: 13 }, (_, i) => 90 + i)],
      ['bcqqqqqqqqqq', 'Missing separator'],
      [
        'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080',
        'Invalid or unsupported prefix for Segwit (Bech32) address (expected bc, got bcrt).',
      ],
      ['1AJbsFZ64EpEfS5UAjAfcUG8pH8Jn3rn1G', 'Invalid checksum or length of Base58 address (P2PKH or P2SH)'],
      ['mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', 'Invalid or unsupported Base58-encoded address.'],
      ['', 'Invalid checksum or length of Base58 address (P2PKH or P2SH)'],
      ['0OIl', 'Invalid or unsupported Segwit (Bech32) or Base58 encoding.'],
    ];
    for (const [address, error, locations] of cases) {
      assert.deepEqual(
        await validate(address),
        { isvalid: false, error_locations: locations ?? [], error },
        address,
      );
    }
  });
});
