/**
 * inferDescriptor (Core's InferDescriptor): what a script says given what a provider knows, and
 * that the RPC layer's key-less form (decodescript's `desc`) is unchanged.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mainnet } from '../../../src/consensus/networks/main.js';
import { hash160 } from '../../../src/crypto/hash.js';
import { equalBytes } from '../../../src/encoding/bytes.js';
import { fromHex, toHex } from '../../../src/encoding/hex.js';
import { inferDescriptor as rpcInfer } from '../../../src/rpc/json/descriptor.js';
import {
  multisig,
  p2pk,
  p2pkh,
  p2shOfScript,
  p2tr,
  p2wpkh,
  p2wshOfScript,
} from '../../../src/script/templates.js';
import { HARDENED } from '../../../src/wallet/keys/index.js';
import {
  addChecksum,
  type InferOptions,
  inferDescriptor,
  type KeyOrigin,
} from '../../../src/wallet/descriptors/index.js';

const PUB = '03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd';
const PUB2 = '02df12b7035bdac8e3bab862a3a83d06ea6b17b6753d52edecba9be46f5d09e076';
const UNCOMPRESSED =
  '04a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd5b8dec5235a0fa8722476c7709c02559e3aa73aa03918ba2d492eea75abea235';
const prefixes = mainnet.addressPrefixes;

/** A provider knowing these keys and scripts (by HASH160), and origins by key. */
function provider(
  keys: string[],
  scripts: Uint8Array[],
  origins: Record<string, KeyOrigin> = {},
): InferOptions {
  const pubkeys = keys.map((k) => fromHex(k));
  return {
    addressPrefixes: prefixes,
    getPubKey: (id) => pubkeys.find((k) => equalBytes(hash160(k), id)),
    getScript: (id) => scripts.find((s) => equalBytes(hash160(s), id)),
    getKeyOrigin: (id) => {
      const key = pubkeys.find((k) => equalBytes(hash160(k), id));
      return key === undefined ? undefined : origins[toHex(key)];
    },
  };
}

const infer = (script: Uint8Array, o: InferOptions = provider([], [])) =>
  inferDescriptor(script, o).toString();

describe('inferDescriptor', () => {
  it('infers key-hash outputs when the provider knows the key', () => {
    const key = fromHex(PUB);
    assert.equal(infer(p2pkh(hash160(key)), provider([PUB], [])), addChecksum(`pkh(${PUB})`));
    assert.equal(infer(p2wpkh(hash160(key)), provider([PUB], [])), addChecksum(`wpkh(${PUB})`));
    const nested = p2wpkh(hash160(key));
    assert.equal(infer(p2shOfScript(nested), provider([PUB], [nested])), addChecksum(`sh(wpkh(${PUB}))`));
    // Unknown key: only the address can be said.
    const addr = inferDescriptor(p2wpkh(hash160(key)), provider([], []));
    assert.ok(addr.toString().startsWith('addr(bc1q'));
    assert.equal(addr.isSolvable, false);
  });

  it('infers scripts behind P2SH and P2WSH, with key origins', () => {
    const ms = multisig(1, [fromHex(PUB), fromHex(PUB2)]);
    const wsh = p2wshOfScript(ms);
    const origin = {
      fingerprint: fromHex('d34db33f'),
      path: [HARDENED + 48, HARDENED, HARDENED, HARDENED + 2, 0, 7],
    };
    const o = provider([PUB, PUB2], [ms, wsh], { [PUB]: origin });
    assert.equal(
      infer(p2shOfScript(wsh), o),
      addChecksum(`sh(wsh(multi(1,[d34db33f/48h/0h/0h/2h/0/7]${PUB},${PUB2})))`),
    );
    assert.equal(infer(wsh, o), addChecksum(`wsh(multi(1,[d34db33f/48h/0h/0h/2h/0/7]${PUB},${PUB2}))`));
    assert.equal(
      infer(p2shOfScript(ms), o),
      addChecksum(`sh(multi(1,[d34db33f/48h/0h/0h/2h/0/7]${PUB},${PUB2}))`),
    );
  });

  it('keeps uncompressed keys out of segwit and hybrid keys out of everything', () => {
    const ms = multisig(1, [fromHex(UNCOMPRESSED)]);
    assert.equal(infer(p2shOfScript(ms), provider([], [ms])), addChecksum(`sh(multi(1,${UNCOMPRESSED}))`));
    // In P2WSH the same script cannot be described: the address is all there is.
    const wsh = p2wshOfScript(ms);
    assert.ok(infer(wsh, provider([], [ms])).startsWith('addr(bc1q'));
    assert.equal(infer(p2pk(fromHex(UNCOMPRESSED))), addChecksum(`pk(${UNCOMPRESSED})`));
    const hybrid = `06${UNCOMPRESSED.slice(2)}`;
    assert.equal(infer(p2pk(fromHex(hybrid))), addChecksum(`raw(41${hybrid}ac)`));
  });

  it('says rawtr() for taproot outputs on the curve and addr() otherwise', () => {
    const x = PUB.slice(2);
    assert.equal(infer(p2tr(fromHex(x))), addChecksum(`rawtr(${x})`));
    const notOnCurve = `${'00'.repeat(31)}05`;
    assert.ok(infer(p2tr(fromHex(notOnCurve))).startsWith('addr(bc1p'));
    assert.equal(infer(fromHex('6a0102')), addChecksum('raw(6a0102)'));
  });

  it("keeps decodescript's key-less desc (rpc/json/descriptor.ts) as before", () => {
    const ms = multisig(2, [fromHex(PUB), fromHex(PUB2)]);
    assert.equal(rpcInfer(ms, prefixes), addChecksum(`multi(2,${PUB},${PUB2})`));
    assert.equal(rpcInfer(p2wshOfScript(ms), prefixes, ms), addChecksum(`wsh(multi(2,${PUB},${PUB2}))`));
    // A P2SH of the same script is not inferred from a witness script.
    assert.ok(rpcInfer(p2shOfScript(ms), prefixes, ms).startsWith('addr(3'));
    assert.ok(rpcInfer(p2pkh(hash160(fromHex(PUB))), prefixes).startsWith('addr(1'));
  });
});
