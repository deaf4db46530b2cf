import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hash160 } from '../../src/crypto/hash.js';
import { publicKeyCreate } from '../../src/crypto/secp256k1.js';
import { toHex } from '../../src/encoding/hex.js';
import { RpcErrorCode as E } from '../../src/rpc/errors.js';
import { addressFromScript } from '../../src/script/address.js';
import {
  multisig,
  p2pkh,
  p2shOfScript,
  p2wpkh,
  p2wshOfScript,
  witnessProgram,
} from '../../src/script/templates.js';
import { addChecksum } from '../../src/wallet/descriptors/index.js';
import { RpcHarness, rejectsRpc } from './support.js';

type Json = Record<string, unknown>;

const key = (byte: number) => publicKeyCreate(new Uint8Array(32).fill(byte), true);
const K1 = key(1);
const K2 = key(2);
const UNCOMPRESSED = publicKeyCreate(new Uint8Array(32).fill(3), false);
/** BIP32 test vector 1 master key on test networks (rpc_deriveaddresses.py's). */
const TPRV =
  'tprv8ZgxMBicQKsPd7Uf69XL1XwhmjHopUGep8GuEiJDZmbQz6o58LninorQAfcKZWARbtRtfnLcJ5MQ2AtHcQJCCRUcMRvmDUjyEmNUWwx8UbK';
const TPUB =
  'tpubD6NzVbkrYhZ4WaWSyoBvQwbpLkojyoTZPRsgXELWz3Popb3qkjcJyJUGLnL4qHHoQvao8ESaAstxYSnhyswJ76uZPStJRJCTKvosUCJZL5B';
/** rpc_deriveaddresses.py's first address, wpkh(TPRV/1/1/0). */
const ADDR0 = 'bcrt1qjqmxmkpmxt80xz4y3746zgt0q3u3ferr34acd5';

describe('generatetodescriptor and generateblock pay any single-script descriptor', () => {
  let h: RpcHarness;

  before(async () => {
    h = await RpcHarness.create({ blocks: 1 });
  });
  after(() => h.destroy());

  /** The script the coinbase of block `hash` pays its subsidy to. */
  async function coinbaseScript(hash: string): Promise<string> {
    const block = (await h.call('getblock', [hash, 2])) as { tx: Json[] };
    const vout = block.tx[0]!.vout as { scriptPubKey: { hex: string } }[];
    return vout[0]!.scriptPubKey.hex;
  }

  async function mineTo(descriptor: string): Promise<string> {
    const hashes = (await h.call('generatetodescriptor', [1, descriptor])) as string[];
    assert.equal(hashes.length, 1);
    assert.equal(await h.call('getbestblockhash'), hashes[0]);
    return coinbaseScript(hashes[0]!);
  }

  it('mines to pkh, wpkh, sh(wpkh), wsh(multi), combo, raw and addr descriptors', async () => {
    const k1 = toHex(K1);
    const k2 = toHex(K2);
    const cases: [string, Uint8Array][] = [
      [`pkh(${k1})`, p2pkh(hash160(K1))],
      [`wpkh(${k1})`, p2wpkh(hash160(K1))],
      [`sh(wpkh(${k1}))`, p2shOfScript(p2wpkh(hash160(K1)))],
      [`wsh(multi(1,${k1},${k2}))`, p2wshOfScript(multisig(1, [K1, K2]))],
      [`sh(wsh(multi(2,${k2},${k1})))`, p2shOfScript(p2wshOfScript(multisig(2, [K2, K1])))],
      // combo(): P2WPKH for a compressed key, P2PKH for an uncompressed one (Core's pick).
      [`combo(${k1})`, p2wpkh(hash160(K1))],
      [`combo(${toHex(UNCOMPRESSED)})`, p2pkh(hash160(UNCOMPRESSED))],
      [`raw(${toHex(witnessProgram(1, K1.subarray(1)))})`, witnessProgram(1, K1.subarray(1))],
    ];
    for (const [descriptor, script] of cases) {
      assert.equal(await mineTo(descriptor), toHex(script), descriptor);
      // A checksum, when given, is checked and changes nothing.
      assert.equal(await mineTo(addChecksum(descriptor)), toHex(script), `${descriptor} with checksum`);
    }
    // addr(): the address's own script, checked by reading the address back from it.
    const viaAddr = await mineTo(`addr(${ADDR0})`);
    assert.equal(addressFromScript(Buffer.from(viaAddr, 'hex'), h.tc.network.addressPrefixes), ADDR0);
    // An unranged path under an extended key: the same script as the address it derives.
    assert.equal(await mineTo(`wpkh(${TPUB}/1/1/0)`), viaAddr);
    assert.equal(await mineTo(`wpkh(${TPRV}/1/1/0)`), viaAddr);
  });

  it('refuses ranged, multipath and underivable descriptors with Core errors, mining nothing', async () => {
    const height = h.chain.height;
    await rejectsRpc(
      h.call('generatetodescriptor', [1, `wpkh(${TPUB}/1/*)`]),
      E.RPC_INVALID_PARAMETER,
      'Ranged descriptor not accepted. Maybe pass through deriveaddresses first?',
    );
    await rejectsRpc(
      h.call('generatetodescriptor', [1, `wpkh(${TPUB}/<0;1>/2)`]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Multipath descriptor not accepted',
    );
    await rejectsRpc(
      h.call('generatetodescriptor', [1, `wpkh(${TPUB}/1h)`]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Cannot derive script without private keys',
    );
    await rejectsRpc(
      h.call('generatetodescriptor', [1, 'wpkh(x)']),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      "wpkh(): key 'x' is not valid",
    );
    const good = addChecksum(`wpkh(${toHex(K1)})`);
    const badChecksum = `${good.slice(0, -1)}${good.endsWith('q') ? 'p' : 'q'}`;
    await rejectsRpc(
      h.call('generatetodescriptor', [1, badChecksum]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      /checksum/i,
    );
    assert.equal(h.chain.height, height);
  });

  it('generateblock takes a descriptor or an address, passing on Core’s descriptor refusals', async () => {
    const made = (await h.call('generateblock', [`sh(wpkh(${toHex(K2)}))`, []])) as Json;
    assert.equal(await coinbaseScript(String(made.hash)), toHex(p2shOfScript(p2wpkh(hash160(K2)))));
    const byAddress = (await h.call('generateblock', [ADDR0, []])) as Json;
    assert.equal(
      addressFromScript(
        Buffer.from(await coinbaseScript(String(byAddress.hash)), 'hex'),
        h.tc.network.addressPrefixes,
      ),
      ADDR0,
    );
    const height = h.chain.height;
    await rejectsRpc(
      h.call('generateblock', [`wpkh(${TPUB}/*)`, []]),
      E.RPC_INVALID_PARAMETER,
      'Ranged descriptor not accepted. Maybe pass through deriveaddresses first?',
    );
    await rejectsRpc(
      h.call('generateblock', [`pkh(${TPUB}/<0;1>)`, []]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Multipath descriptor not accepted',
    );
    // A descriptor Core cannot expand (or parse) falls back to the address reading, which fails too.
    for (const text of [`wpkh(${TPUB}/1h)`, 'wpkh(x)']) {
      await rejectsRpc(
        h.call('generateblock', [text, []]),
        E.RPC_INVALID_ADDRESS_OR_KEY,
        'Error: Invalid address or descriptor',
      );
    }
    assert.equal(h.chain.height, height);
  });
});
