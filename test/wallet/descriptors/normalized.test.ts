/** toNormalizedString (Core's ToNormalizedString, shown by listdescriptors). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { toHex } from '../../../src/encoding/hex.js';
import { addChecksum, DescriptorError, parseDescriptor } from '../../../src/wallet/descriptors/index.js';

const network = regtest;
// wallet_listdescriptors.py: an xprv with a hardened account path lists as the account xpub.
const XPRV =
  'tprv8ZgxMBicQKsPeuVhWwi6wuMQGfPKi9Li5GtX35jVNknACgqe3CY4g5xgkfDDJcmtF7o1QnxWDRYw4H5P26PXq7sbcUkEqeR4fg3Kxp2tigg';
const XPUB_ACC =
  'tpubDCMVLhErorrAGfApiJSJzEKwqeaf2z3NrkVMxgYQjZLzMjXMBeRw2muGNYbvaekAE8rUFLftyEar4LdrG2wXyyTJQZ26zptmeTEjPTaATts';

describe('toNormalizedString', () => {
  it("gives Core's listdescriptors form", () => {
    for (const marker of ['h', "'"]) {
      const d = parseDescriptor(`wpkh(${XPRV}/84${marker}/1${marker}/0${marker}/0/*)`, { network });
      assert.equal(d.toNormalizedString(), addChecksum(`wpkh([80002067/84h/1h/0h]${XPUB_ACC}/0/*)`));
    }
  });

  it('expands like the private descriptor, without private keys', () => {
    const prv = parseDescriptor(`sh(wpkh(${XPRV}/49h/1h/0h/1/*))`, { network });
    const pub = parseDescriptor(prv.toNormalizedString(), { network, requireChecksum: true });
    assert.equal(pub.hasPrivateKeys, false);
    for (const i of [0, 1, 7]) {
      const a = prv.expand(i);
      const b = pub.expand(i);
      assert.equal(toHex(b.scriptPubKey), toHex(a.scriptPubKey));
      assert.deepEqual(b.keys[0]!.origin, a.keys[0]!.origin);
    }
  });

  it('merges an explicit origin with the derived one', () => {
    const d = parseDescriptor(`wpkh([deadbeef/1']${XPRV}/84'/1'/0'/0/*)`, { network });
    const text = d.toNormalizedString();
    assert.equal(text, addChecksum(`wpkh([deadbeef/1h/84h/1h/0h]${XPUB_ACC}/0/*)`));
    const pub = parseDescriptor(text, { network });
    assert.deepEqual(pub.expand(2).keys[0]!.origin.path, d.expand(2).keys[0]!.origin.path);
  });

  it('leaves keys without hardened steps alone and needs the xprv otherwise', () => {
    const key = '02df12b7035bdac8e3bab862a3a83d06ea6b17b6753d52edecba9be46f5d09e076';
    const plain = parseDescriptor(`wsh(multi(1,${key},${XPRV}/0/*))`, { network });
    assert.equal(plain.toNormalizedString(), plain.toString());
    const xpub = parseDescriptor(plain.toString(), { network });
    assert.equal(xpub.toNormalizedString(), xpub.toString());
    const hardened = parseDescriptor(`wpkh(${XPUB_ACC}/0h/*)`, { network });
    assert.throws(() => hardened.toNormalizedString(), DescriptorError);
    // A hardened wildcard cannot be made public: Core prints the root xpub with 'h' markers.
    const wild = parseDescriptor(`wpkh(${XPRV}/0'/*')`, { network });
    assert.equal(wild.toNormalizedString(), addChecksum(wild.toString().split('#')[0]!.replaceAll("'", 'h')));
    assert.ok(wild.toString().startsWith('wpkh(tpub'));
  });
});
