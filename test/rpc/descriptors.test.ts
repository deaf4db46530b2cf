/**
 * getdescriptorinfo and deriveaddresses through the method table, with Core's functional test
 * values (rpc_deriveaddresses.py, rpc_getdescriptorinfo.py) and error codes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mainnet } from '../../src/consensus/networks/main.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import type { NetworkParams } from '../../src/consensus/params.js';
import type { RpcContext } from '../../src/rpc/context.js';
import { RpcError } from '../../src/rpc/errors.js';
import { toHex } from '../../src/encoding/hex.js';
import { scriptFromAddress } from '../../src/script/address.js';
import { scriptFromDescriptor } from '../../src/rpc/methods/descriptors.js';
import { createRegistry } from '../../src/rpc/methods/index.js';
import { addChecksum } from '../../src/wallet/descriptors/index.js';

const registry = createRegistry();
const ctx = (network: NetworkParams): RpcContext => ({ network, startTime: 0, now: () => 0 });
const call = (method: string, params: unknown[], network: NetworkParams = regtest) =>
  registry.execute(ctx(network), method, params, { user: undefined, wallet: undefined, uri: '/' });

async function fails(p: Promise<unknown>, code: number, message: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof RpcError, String(err));
    assert.equal(err.code, code, err.message);
    assert.equal(err.message, message);
    return true;
  });
}

const TPRV =
  'tprv8ZgxMBicQKsPd7Uf69XL1XwhmjHopUGep8GuEiJDZmbQz6o58LninorQAfcKZWARbtRtfnLcJ5MQ2AtHcQJCCRUcMRvmDUjyEmNUWwx8UbK';
const TPUB =
  'tpubD6NzVbkrYhZ4WaWSyoBvQwbpLkojyoTZPRsgXELWz3Popb3qkjcJyJUGLnL4qHHoQvao8ESaAstxYSnhyswJ76uZPStJRJCTKvosUCJZL5B';
const ADDR0 = 'bcrt1qjqmxmkpmxt80xz4y3746zgt0q3u3ferr34acd5';
const ADDR1 = 'bcrt1qhku5rq7jz8ulufe2y6fkcpnlvpsta7rq4442dy';
const ADDR2 = 'bcrt1qpgptk2gvshyl0s9lqshsmx932l9ccsv265tvaq';

describe('deriveaddresses (rpc_deriveaddresses.py)', () => {
  it('derives the functional test addresses', async () => {
    assert.deepEqual(await call('deriveaddresses', [`wpkh(${TPRV}/1/1/0)#t6wfjs64`]), [ADDR0]);
    assert.deepEqual(await call('deriveaddresses', [addChecksum(`wpkh(${TPUB}/1/1/0)`)]), [ADDR0]);
    const ranged = `wpkh(${TPRV}/1/1/*)#kft60nuy`;
    assert.deepEqual(await call('deriveaddresses', [ranged, [1, 2]]), [ADDR1, ADDR2]);
    assert.deepEqual(await call('deriveaddresses', [ranged, 2]), [ADDR0, ADDR1, ADDR2]);
    // combo(): P2PK has no address and is skipped.
    assert.deepEqual(await call('deriveaddresses', [addChecksum(`combo(${TPRV}/1/1/0)`)]), [
      'mtfUoUax9L4tzXARpw1oTGxWyoogp52KhJ',
      ADDR0,
      '2NDvEwGfpEqJWfybzpKPHF2XH3jwoQV3D7x',
    ]);
  });

  it('answers Core errors', async () => {
    const unranged = `wpkh(${TPRV}/1/1/0)#t6wfjs64`;
    const ranged = `wpkh(${TPRV}/1/1/*)#kft60nuy`;
    await fails(call('deriveaddresses', ['a']), -5, 'Missing checksum');
    await fails(call('deriveaddresses', [`wpkh(${TPRV}/1/1/0)`]), -5, 'Missing checksum');
    await fails(
      call('deriveaddresses', [unranged, 2]),
      -8,
      'Range should not be specified for an un-ranged descriptor',
    );
    await fails(
      call('deriveaddresses', [unranged, null]),
      -8,
      'Range should not be specified for an un-ranged descriptor',
    );
    await fails(call('deriveaddresses', [ranged]), -8, 'Range must be specified for a ranged descriptor');
    await fails(call('deriveaddresses', [ranged, 10000000000]), -8, 'End of range is too high');
    await fails(call('deriveaddresses', [ranged, [1000000000, 2000000000]]), -8, 'Range is too large');
    await fails(
      call('deriveaddresses', [ranged, [2, 0]]),
      -8,
      'Range specified as [begin,end] must not have begin after end',
    );
    await fails(call('deriveaddresses', [ranged, [-1, 0]]), -8, 'Range should be greater or equal than 0');
    await fails(
      call('deriveaddresses', [ranged, 'x']),
      -8,
      'Range must be specified as end or as [begin,end]',
    );
    await fails(
      call('deriveaddresses', [addChecksum(`wpkh(${TPUB}/1h/*)`), 1]),
      -5,
      'Cannot derive script without private keys',
    );
    await fails(
      call('deriveaddresses', [
        addChecksum('pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)'),
      ]),
      -5,
      'Descriptor does not have a corresponding address',
    );
    await fails(
      call('deriveaddresses', [addChecksum('raw(6a)')]),
      -5,
      'Descriptor does not have a corresponding address',
    );
    // A mainnet key on regtest.
    await fails(
      call('deriveaddresses', [
        addChecksum(
          'wpkh(xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB/0)',
        ),
      ]),
      -5,
      "wpkh(): key 'xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB' is not valid",
    );
  });

  it('derives hardened ranges from a tprv', async () => {
    const out = (await call('deriveaddresses', [
      addChecksum(`wpkh(${TPRV}/84h/1h/0h/0/*)`),
      [0, 4],
    ])) as string[];
    assert.equal(out.length, 5);
    assert.equal(new Set(out).size, 5);
  });
});

describe('getdescriptorinfo', () => {
  it('analyses descriptors as Core does', async () => {
    // Core's help example.
    const key = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';
    assert.deepEqual(await call('getdescriptorinfo', [`wpkh([d34db33f/84h/0h/0h]${key})`], mainnet), {
      descriptor: `wpkh([d34db33f/84h/0h/0h]${key})#5fp02c75`,
      checksum: '5fp02c75',
      isrange: false,
      issolvable: true,
      hasprivatekeys: false,
    });
    // Private keys become public in `descriptor`; `checksum` is that of the input as given.
    const info = (await call('getdescriptorinfo', [`wpkh(${TPRV}/1/1/*)`])) as Record<string, unknown>;
    assert.deepEqual(info, {
      descriptor: addChecksum(`wpkh(${TPUB}/1/1/*)`),
      checksum: 'kft60nuy',
      isrange: true,
      issolvable: true,
      hasprivatekeys: true,
    });
    const addr = (await call('getdescriptorinfo', [`addr(${ADDR0})`])) as Record<string, unknown>;
    assert.equal(addr.issolvable, false);
    assert.equal(addr.descriptor, addChecksum(`addr(${ADDR0})`));
    // A checksum is optional here, but verified when present.
    await fails(
      call('getdescriptorinfo', [`wpkh(${TPRV}/1/1/*)#00000000`]),
      -5,
      "Provided checksum '00000000' does not match computed checksum 'kft60nuy'",
    );
    await fails(call('getdescriptorinfo', ['a']), -5, "'a' is not a valid descriptor function");
    await fails(
      call('getdescriptorinfo', [
        'multi(3,02ff12471208c14bd580709cb2358d98975247d8765f92bc25eab3b2763ed605f8,02fe6f0a5a297eb38c391581c4413e084773ea23954d93f7753db7dc0adc188b2f)',
      ]),
      -5,
      'Multisig threshold cannot be larger than the number of keys; threshold is 3 but only 2 keys specified',
    );
  });

  it("answers rpc_getdescriptorinfo.py's cases", async () => {
    const internal = '79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';
    const script = 'c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5';
    await fails(call('getdescriptorinfo', ['']), -5, "'' is not a valid descriptor function");
    await fails(
      call('getdescriptorinfo', [1]),
      -3,
      'Wrong type passed:\n{\n    "Position 1 (descriptor)": "JSON value of type number is not of expected type string"\n}',
    );
    await fails(
      call('getdescriptorinfo', [`tr( ${internal})`]),
      -5,
      `tr(): Key ' ${internal}' is invalid due to whitespace`,
    );
    await fails(
      call('getdescriptorinfo', [`tr(${internal} )`]),
      -5,
      `tr(): Key '${internal} ' is invalid due to whitespace`,
    );
    const cases: [string, boolean, boolean][] = [
      [`tr(${internal})`, false, true],
      [`rawtr(${internal})`, false, true],
      [`tr(${internal},pk(${script}))`, false, true],
      [`raw(5120${internal})`, false, false],
      ['raw(6a0464617461)', false, false],
      [`tr(${TPUB}/0/*)`, true, true],
    ];
    for (const [desc, isrange, issolvable] of cases) {
      const info = await call('getdescriptorinfo', [desc]);
      assert.deepEqual(await call('getdescriptorinfo', [addChecksum(desc)]), info);
      assert.deepEqual(info, {
        descriptor: addChecksum(desc),
        checksum: addChecksum(desc).slice(-8),
        isrange,
        issolvable,
        hasprivatekeys: false,
      });
    }
    const multipath = `tr(${TPUB}/<0;1>/*)`;
    assert.deepEqual(await call('getdescriptorinfo', [multipath]), {
      descriptor: addChecksum(`tr(${TPUB}/0/*)`),
      multipath_expansion: [addChecksum(`tr(${TPUB}/0/*)`), addChecksum(`tr(${TPUB}/1/*)`)],
      checksum: addChecksum(multipath).slice(-8),
      isrange: true,
      issolvable: true,
      hasprivatekeys: false,
    });
  });
});

describe('deriveaddresses with multipath (BIP389)', () => {
  it('answers one list per expansion', async () => {
    const out = await call('deriveaddresses', [addChecksum(`wpkh(${TPRV}/1/<1;2>/*)`), [0, 1]]);
    const receive = await call('deriveaddresses', [addChecksum(`wpkh(${TPRV}/1/1/*)`), [0, 1]]);
    const change = await call('deriveaddresses', [addChecksum(`wpkh(${TPRV}/1/2/*)`), [0, 1]]);
    assert.deepEqual(out, [receive, change]);
    assert.deepEqual((out as string[][])[0], [ADDR0, ADDR1]);
  });
});

describe('scriptFromDescriptor (Core getScriptFromDescriptor)', () => {
  const script = (text: string) => toHex(scriptFromDescriptor(ctx(regtest), text));
  const rejects = (text: string, code: number, message: string) =>
    assert.throws(
      () => scriptFromDescriptor(ctx(regtest), text),
      (err: unknown) => err instanceof RpcError && err.code === code && err.message === message,
    );

  it('picks the script generatetodescriptor pays to', () => {
    // The P2WPKH script of rpc_deriveaddresses.py's address.
    const expected = toHex(scriptFromAddress(ADDR0, regtest.addressPrefixes));
    assert.equal(script(`wpkh(${TPRV}/1/1/0)`), expected);
    // combo(): P2WPKH for a compressed key, P2PKH for an uncompressed one.
    assert.equal(script(`combo(${TPRV}/1/1/0)`), expected);
    const uncompressed =
      '0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8';
    assert.equal(script(`combo(${uncompressed})`), script(`pkh(${uncompressed})`));
  });

  it('refuses what Core refuses', () => {
    rejects(
      `wpkh(${TPRV}/1/1/*)`,
      -8,
      'Ranged descriptor not accepted. Maybe pass through deriveaddresses first?',
    );
    rejects(`wpkh(${TPRV}/1/<1;2>)`, -5, 'Multipath descriptor not accepted');
    rejects(`wpkh(${TPUB}/1h)`, -5, 'Cannot derive script without private keys');
    rejects('wpkh(x)', -5, "wpkh(): key 'x' is not valid");
  });
});
