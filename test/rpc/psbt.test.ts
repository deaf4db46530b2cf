import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hash160, sha256 } from '../../src/crypto/hash.js';
import { toHex } from '../../src/encoding/hex.js';
import { publicKeyConvert } from '../../src/crypto/secp256k1.js';
import { RpcErrorCode as E } from '../../src/rpc/errors.js';
import { addressFromScript } from '../../src/script/address.js';
import { multisig, p2shOfScript, p2wsh } from '../../src/script/templates.js';
import { Psbt } from '../../src/wallet/psbt/psbt.js';
import { privateKeySigner, signPsbt } from '../../src/wallet/psbt/signer.js';
import { encodeWif } from '../../src/wallet/keys/wif.js';
import { TestKey } from '../support/test-chain.js';
import { RpcHarness, rejectsRpc } from './support.js';

type Json = Record<string, unknown>;

describe('PSBT and multisig RPCs (node level)', () => {
  let h: RpcHarness;
  let nextCoin = 0;
  const coin = () => h.tc.coinbaseOutput(h.blocks[nextCoin++]!);
  const keys = [1, 2, 3].map((n) => TestKey.fromSeed(`psbt-rpc-${n}`));
  const hexKeys = keys.map((k) => toHex(k.publicKey));
  const witnessScript = multisig(
    2,
    keys.map((k) => k.publicKey),
  );
  const prefixes = () => h.chain.network.addressPrefixes;
  const payee = TestKey.fromSeed('psbt-rpc-payee');

  before(async () => {
    h = await RpcHarness.create({ blocks: 110 });
  });
  after(() => h.destroy());

  it('createmultisig builds the three address types with Core descriptors', async () => {
    const wsh = (await h.call('createmultisig', [2, hexKeys, 'bech32'])) as Json;
    assert.equal(wsh.redeemScript, toHex(witnessScript));
    assert.equal(wsh.address, addressFromScript(p2wsh(sha256(witnessScript)), prefixes()));
    assert.match(
      String(wsh.descriptor),
      new RegExp(`^wsh\\(multi\\(2,${hexKeys.join(',')}\\)\\)#[a-z0-9]{8}$`),
    );
    const legacy = (await h.call('createmultisig', [2, hexKeys])) as Json;
    assert.equal(legacy.address, addressFromScript(p2shOfScript(witnessScript), prefixes()));
    assert.match(String(legacy.descriptor), /^sh\(multi\(2,/);
    const nested = (await h.call('createmultisig', [2, hexKeys, 'p2sh-segwit'])) as Json;
    assert.equal(nested.address, addressFromScript(p2shOfScript(p2wsh(sha256(witnessScript))), prefixes()));
    assert.match(String(nested.descriptor), /^sh\(wsh\(multi\(2,/);
    assert.equal(wsh.warnings, undefined);
    // An uncompressed key rules out segwit: legacy P2SH and Core's warning.
    const uncompressed = toHex(publicKeyConvert(keys[0]!.publicKey, false)!);
    const fallback = (await h.call('createmultisig', [1, [uncompressed, hexKeys[1]], 'bech32'])) as Json;
    assert.match(String(fallback.descriptor), /^sh\(multi\(1,/);
    assert.deepEqual(fallback.warnings, [
      'Unable to make chosen address type, please ensure no uncompressed public keys are present.',
    ]);
  });

  it('createmultisig refuses bad arguments with Core errors', async () => {
    await rejectsRpc(
      h.call('createmultisig', [0, hexKeys]),
      E.RPC_INVALID_PARAMETER,
      'a multisignature address must require at least one key to redeem',
    );
    await rejectsRpc(
      h.call('createmultisig', [4, hexKeys]),
      E.RPC_INVALID_PARAMETER,
      'not enough keys supplied (got 3 keys, but need at least 4 to redeem)',
    );
    await rejectsRpc(
      h.call('createmultisig', [1, ['zz']]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Pubkey "zz" must be a hex string',
    );
    await rejectsRpc(
      h.call('createmultisig', [1, ['0202']]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Pubkey "0202" must have a length of either 33 or 65 bytes',
    );
    await rejectsRpc(
      h.call('createmultisig', [1, [`02${'00'.repeat(32)}`]]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      `Pubkey "02${'00'.repeat(32)}" must be cryptographically valid.`,
    );
    await rejectsRpc(
      h.call('createmultisig', [1, hexKeys, 'bech32m']),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'createmultisig cannot create bech32m multisig addresses',
    );
    await rejectsRpc(
      h.call('createmultisig', [1, hexKeys, 'p2tr']),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      "Unknown address type 'p2tr'",
    );
    await rejectsRpc(h.call('createmultisig', ['2', hexKeys]), E.RPC_TYPE_ERROR);
  });

  it('createpsbt and decodepsbt round-trip, with Core argument errors', async () => {
    const address = addressFromScript(payee.p2wpkh(), prefixes())!;
    const txid = 'ab'.repeat(32);
    const base64 = (await h.call('createpsbt', [
      [{ txid, vout: 1 }],
      [{ [address]: 0.5 }, { data: '00ff' }],
      7,
    ])) as string;
    const psbt = Psbt.fromBase64(base64);
    assert.equal(psbt.unsignedTx.inputs[0]!.sequence, 0xfffffffd, 'replaceable by default');
    assert.equal(psbt.unsignedTx.locktime, 7);
    const decoded = (await h.call('decodepsbt', [base64])) as Json;
    const tx = decoded.tx as Json;
    assert.deepEqual(Object.keys(decoded), [
      'tx',
      'global_xpubs',
      'psbt_version',
      'proprietary',
      'unknown',
      'inputs',
      'outputs',
    ]);
    assert.equal((tx.vin as Json[])[0]!.txid, txid);
    assert.equal(((tx.vout as Json[])[0]!.scriptPubKey as Json).address, address);
    assert.equal((tx.vout as Json[])[0]!.value, 0.5);
    assert.deepEqual(decoded.inputs, [{}]);
    assert.equal(decoded.fee, undefined, 'no fee without UTXOs');
    const final = Psbt.fromBase64(
      (await h.call('createpsbt', [[{ txid, vout: 0 }], { [address]: 1 }, 0, false])) as string,
    );
    assert.equal(final.unsignedTx.inputs[0]!.sequence, 0xffffffff);

    await rejectsRpc(
      h.call('createpsbt', [[], { nonsense: 1 }]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Invalid Bitcoin address: nonsense',
    );
    await rejectsRpc(
      h.call('createpsbt', [[], [{ [address]: 1 }, { [address]: 2 }]]),
      E.RPC_INVALID_PARAMETER,
      `Invalid parameter, duplicated address: ${address}`,
    );
    await rejectsRpc(
      h.call('createpsbt', [[{ txid }], { [address]: 1 }]),
      E.RPC_INVALID_PARAMETER,
      'Invalid parameter, missing vout key',
    );
    await rejectsRpc(
      h.call('createpsbt', [[{ txid, vout: -1 }], { [address]: 1 }]),
      E.RPC_INVALID_PARAMETER,
      'Invalid parameter, vout cannot be negative',
    );
    await rejectsRpc(
      h.call('createpsbt', [[{ txid: 'xy', vout: 0 }], { [address]: 1 }]),
      E.RPC_INVALID_PARAMETER,
      "txid must be of length 64 (not 2, for 'xy')",
    );
    await rejectsRpc(h.call('createpsbt', [[], { [address]: -1 }]), E.RPC_TYPE_ERROR, 'Amount out of range');
    await rejectsRpc(
      h.call('createpsbt', [[], { [address]: 1 }, -1]),
      E.RPC_INVALID_PARAMETER,
      'Invalid parameter, locktime out of range',
    );
    await rejectsRpc(
      h.call('createpsbt', [[{ txid, vout: 0, sequence: 0xffffffff }], { [address]: 1 }, 0, true]),
      E.RPC_INVALID_PARAMETER,
      'Invalid parameter combination: Sequence number(s) contradict replaceable option',
    );
    await rejectsRpc(
      h.call('createpsbt', [[], [{ [address]: 1, data: '00' }]]),
      E.RPC_INVALID_PARAMETER,
      'Invalid parameter, key-value pair must contain exactly one key',
    );
    await rejectsRpc(
      h.call('createpsbt', [[], { data: 'zz' }]),
      E.RPC_INVALID_PARAMETER,
      "Data must be hexadecimal string (not 'zz')",
    );
    await rejectsRpc(
      h.call('decodepsbt', ['not base64!']),
      E.RPC_DESERIALIZATION_ERROR,
      'TX decode failed invalid base64',
    );
    await rejectsRpc(
      h.call('decodepsbt', [Buffer.from('psbu').toString('base64')]),
      E.RPC_DESERIALIZATION_ERROR,
      /^TX decode failed /,
    );
  });

  it('a 2-of-3 P2WSH spend through every node-level role', async () => {
    // Fund the multisig from a coinbase and confirm it.
    const spent = coin();
    const funding = h.tc.spend([spent], {
      outputs: [
        { value: 10_000_000, scriptPubKey: p2wsh(sha256(witnessScript)) },
        { value: spent.value - 10_100_000 },
      ],
    });
    await h.call('sendrawtransaction', [toHex(funding.encode())]);
    const payeeAddress = addressFromScript(payee.p2wpkh(), prefixes())!;
    await h.call('generatetoaddress', [1, payeeAddress]);

    const created = (await h.call('createpsbt', [
      [{ txid: funding.txidHex(), vout: 0 }],
      [{ [payeeAddress]: 0.0999 }],
    ])) as string;
    const fresh = (await h.call('analyzepsbt', [created])) as Json;
    assert.deepEqual(fresh, {
      inputs: [{ has_utxo: false, is_final: false, next: 'updater' }],
      next: 'updater',
    });

    // The node knows the output (UTXO set): it adds the witness UTXO; the script is still missing.
    const updated = (await h.call('utxoupdatepsbt', [created])) as string;
    const needsScript = (await h.call('analyzepsbt', [updated])) as Json;
    assert.deepEqual(needsScript.inputs, [
      {
        has_utxo: true,
        is_final: false,
        next: 'updater',
        missing: { witnessscript: toHex(sha256(witnessScript)) },
      },
    ]);
    assert.equal(needsScript.fee, 0.0001);

    // The descriptor supplies the witness script (utxoupdatepsbt's solving data).
    const wshDescriptor = ((await h.call('createmultisig', [2, hexKeys, 'bech32'])) as Json)
      .descriptor as string;
    const solved = (await h.call('utxoupdatepsbt', [created, [wshDescriptor]])) as string;
    assert.equal(((await h.call('analyzepsbt', [solved])) as Json).next, 'signer');
    const withScript = Psbt.fromBase64(solved);
    assert.equal(toHex(withScript.inputs[0]!.witnessScript!), toHex(witnessScript));
    assert.equal(withScript.inputs[0]!.bip32Derivations.length, 3, 'each key, as its own origin');
    for (const [bad, code, message] of [
      [[5], E.RPC_INVALID_PARAMETER, 'Scan object needs to be either a string or an object'],
      [[{ range: 1 }], E.RPC_INVALID_PARAMETER, 'Descriptor needs to be provided in scan object'],
      [
        [{ desc: wshDescriptor, range: [-1, 5] }],
        E.RPC_INVALID_PARAMETER,
        'Range should be greater or equal than 0',
      ],
      [
        [{ desc: wshDescriptor, range: [5, 1] }],
        E.RPC_INVALID_PARAMETER,
        'Range specified as [begin,end] must not have begin after end',
      ],
      [['wsh(nonsense)'], E.RPC_INVALID_ADDRESS_OR_KEY, undefined],
    ] as const) {
      await rejectsRpc(h.call('utxoupdatepsbt', [created, bad]), code, message);
    }
    const partA = withScript.clone();
    signPsbt(partA, [privateKeySigner(keys[0]!.privateKey)]);
    const partC = withScript.clone();
    signPsbt(partC, [privateKeySigner(keys[2]!.privateKey)]);

    const oneSig = (await h.call('analyzepsbt', [partA.toBase64()])) as Json;
    assert.equal(oneSig.next, 'signer');
    const missing = ((oneSig.inputs as Json[])[0]!.missing as Json).signatures as string[];
    assert.ok(missing.includes(toHex(hash160(keys[1]!.publicKey))));
    const notYet = (await h.call('finalizepsbt', [partA.toBase64()])) as Json;
    assert.equal(notYet.complete, false);
    assert.equal(typeof notYet.psbt, 'string');

    const combined = (await h.call('combinepsbt', [[partA.toBase64(), partC.toBase64()]])) as string;
    const decoded = (await h.call('decodepsbt', [combined])) as Json;
    const input = (decoded.inputs as Json[])[0]!;
    // The harness keeps a transaction index, so the whole funding transaction was added too (as Core).
    assert.deepEqual(Object.keys(input), [
      'witness_utxo',
      'non_witness_utxo',
      'partial_signatures',
      'witness_script',
      'bip32_derivs',
    ]);
    assert.equal((input.non_witness_utxo as Json).txid, funding.txidHex());
    assert.equal((input.witness_utxo as Json).amount, 0.1);
    assert.deepEqual(Object.keys(input.partial_signatures as Json).sort(), [hexKeys[0], hexKeys[2]].sort());
    assert.equal((input.witness_script as Json).type, 'multisig');
    assert.equal(decoded.fee, 0.0001);
    const ready = (await h.call('analyzepsbt', [combined])) as Json;
    assert.equal(ready.next, 'finalizer');
    assert.equal(typeof ready.estimated_vsize, 'number');

    // descriptorprocesspsbt signs with a key given in a descriptor (cosigner B, no wallet involved).
    const withKeyB = `wsh(multi(2,${hexKeys[0]},${encodeWif(keys[1]!.privateKey, true, h.chain.network)},${hexKeys[2]}))`;
    const byDescriptor = (await h.call('descriptorprocesspsbt', [partA.toBase64(), [withKeyB]])) as Json;
    assert.equal(byDescriptor.complete, true);
    const [accepted] = (await h.call('testmempoolaccept', [[byDescriptor.hex]])) as Json[];
    assert.equal(accepted!.allowed, true);
    const unsignedByB = (await h.call('descriptorprocesspsbt', [partA.toBase64(), [wshDescriptor]])) as Json;
    assert.equal(unsignedByB.complete, false, 'a public descriptor signs nothing');
    await rejectsRpc(
      h.call('descriptorprocesspsbt', [partA.toBase64(), [withKeyB], 'ALL|SOME']),
      E.RPC_INVALID_PARAMETER,
      "'ALL|SOME' is not a valid sighash parameter.",
    );

    const kept = (await h.call('finalizepsbt', [combined, false])) as Json;
    assert.equal(kept.complete, true);
    assert.equal(((await h.call('analyzepsbt', [kept.psbt])) as Json).next, 'extractor');
    const final = (await h.call('finalizepsbt', [combined])) as Json;
    assert.equal(final.complete, true);
    const txid = (await h.call('sendrawtransaction', [final.hex])) as string;
    await h.call('generatetoaddress', [1, payeeAddress]);
    const out = (await h.call('gettxout', [txid, 0])) as Json;
    assert.equal(out.value, 0.0999);
    assert.equal(out.confirmations, 1);

    await rejectsRpc(h.call('combinepsbt', [[]]), E.RPC_INVALID_PARAMETER, "Parameter 'txs' cannot be empty");
    const other = (await h.call('createpsbt', [
      [{ txid: 'cd'.repeat(32), vout: 0 }],
      { [payeeAddress]: 1 },
    ])) as string;
    await rejectsRpc(
      h.call('combinepsbt', [[combined, other]]),
      E.RPC_TRANSACTION_ERROR,
      'PSBTs not compatible (different transactions)',
    );
  });

  it('wallet methods on a node without wallet support, and their help category', async () => {
    await rejectsRpc(h.call('listwallets'), E.RPC_INTERNAL_ERROR, 'Wallet context not found');
    await rejectsRpc(h.call('getbalance'), E.RPC_INTERNAL_ERROR, 'Wallet context not found');
    const help = (await h.call('help')) as string;
    assert.match(
      help,
      /== Wallet ==\n(?:.*\n)*walletprocesspsbt "psbt" \( sign "sighashtype" bip32derivs finalize \)/,
    );
    assert.match(help, /== Rawtransactions ==\n(?:.*\n)*decodepsbt "psbt"/);
  });

  it('joinpsbts and converttopsbt', async () => {
    const address = addressFromScript(payee.p2wpkh(), prefixes())!;
    const a = (await h.call('createpsbt', [
      [{ txid: '01'.repeat(32), vout: 0 }],
      { [address]: 1 },
      5,
    ])) as string;
    const b = (await h.call('createpsbt', [
      [{ txid: '02'.repeat(32), vout: 3 }],
      { data: '00' },
      9,
    ])) as string;
    const joined = Psbt.fromBase64((await h.call('joinpsbts', [[a, b]])) as string);
    assert.equal(joined.unsignedTx.inputs.length, 2);
    assert.equal(joined.unsignedTx.outputs.length, 2);
    assert.equal(joined.unsignedTx.locktime, 5, 'the lowest locktime');
    await rejectsRpc(
      h.call('joinpsbts', [[a]]),
      E.RPC_INVALID_PARAMETER,
      'At least two PSBTs are required to join PSBTs.',
    );
    await rejectsRpc(
      h.call('joinpsbts', [[a, a]]),
      E.RPC_INVALID_PARAMETER,
      `Input ${'01'.repeat(32)}:0 exists in multiple PSBTs`,
    );

    const signed = h.tc.spend([coin()]);
    const hex = toHex(signed.encode());
    await rejectsRpc(h.call('converttopsbt', [hex]), E.RPC_DESERIALIZATION_ERROR);
    const converted = Psbt.fromBase64((await h.call('converttopsbt', [hex, true])) as string);
    assert.equal(converted.txid().toString(), signed.txid().toString());
    assert.equal(converted.unsignedTx.inputs[0]!.witness.length, 0);
    const unsigned = toHex(joined.unsignedTx.encode(false));
    assert.equal(
      Psbt.fromBase64((await h.call('converttopsbt', [unsigned])) as string).unsignedTx.inputs.length,
      2,
    );
    await rejectsRpc(h.call('converttopsbt', ['zz']), E.RPC_DESERIALIZATION_ERROR, 'TX decode failed');
  });
});
