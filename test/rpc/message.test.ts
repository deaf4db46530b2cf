import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { hash160 } from '../../src/crypto/hash.js';
import { publicKeyCreate } from '../../src/crypto/secp256k1.js';
import { decodeBase64, encodeBase64 } from '../../src/encoding/base64.js';
import { RpcErrorCode as E } from '../../src/rpc/errors.js';
import { addressFromScript } from '../../src/script/address.js';
import { p2pkh, witnessProgram } from '../../src/script/templates.js';
import { encodeWif } from '../../src/wallet/keys/wif.js';
import { RpcHarness, rejectsRpc } from './support.js';
import { WalletHarness } from './wallet-support.js';

/** Core's test/functional/rpc_signmessage.py vector. */
const PRIVKEY = 'cUeKHd5orzT3mz8P9pxyREHfsWtVfgsfDjiZZBcjUBAaGk1BTj7N';
const ADDRESS = 'mpLQjfK79b7CCV4VMJWEWAj5Mpx8Up5zxB';
const MESSAGE = 'This is just a test message';
const SIGNATURE = 'INbVnW4e6PeRmsv2Qgu8NuopvrVjkcxob+sX8OcZG0SALhWybUjzMLPdAsXI46YZGb0KQTRii+wWIQzRpG/U+S0=';

const p2pkhAddress = (pubkey: Uint8Array) =>
  addressFromScript(p2pkh(hash160(pubkey)), regtest.addressPrefixes)!;
const SEGWIT_ADDRESS = addressFromScript(
  witnessProgram(0, hash160(publicKeyCreate(new Uint8Array(32).fill(3)))),
  regtest.addressPrefixes,
)!;

describe('verifymessage and signmessagewithprivkey (util)', () => {
  let h: RpcHarness;
  before(async () => {
    h = await RpcHarness.create({ bare: true });
  });
  after(() => h.destroy());

  it("reproduces rpc_signmessage.py: signmessagewithprivkey's signature verifies", async () => {
    assert.equal(await h.call('signmessagewithprivkey', [PRIVKEY, MESSAGE]), SIGNATURE);
    assert.equal(await h.call('verifymessage', [ADDRESS, SIGNATURE, MESSAGE]), true);
    assert.equal(
      await h.call('verifymessage', { address: ADDRESS, signature: SIGNATURE, message: MESSAGE }),
      true,
    );
  });

  it('answers false for another message, a tampered signature or a signature that recovers nothing', async () => {
    assert.equal(await h.call('verifymessage', [ADDRESS, SIGNATURE, `${MESSAGE} `]), false);
    const bytes = decodeBase64(SIGNATURE)!;
    bytes[10]! ^= 0x80;
    assert.equal(await h.call('verifymessage', [ADDRESS, encodeBase64(bytes), MESSAGE]), false);
    assert.equal(await h.call('verifymessage', [ADDRESS, 'A'.repeat(88), MESSAGE]), false);
    assert.equal(await h.call('verifymessage', [ADDRESS, '', MESSAGE]), false);
  });

  it('signs and verifies with an uncompressed key, which only its own address accepts', async () => {
    const key = new Uint8Array(32).fill(0x5a);
    const wif = encodeWif(key, false, regtest);
    const signature = await h.call('signmessagewithprivkey', [wif, 'uncompressed']);
    assert.equal(typeof signature, 'string');
    assert.equal(decodeBase64(signature as string)![0]! < 31, true, 'uncompressed header 27..30');
    const uncompressed = p2pkhAddress(publicKeyCreate(key, false));
    const compressed = p2pkhAddress(publicKeyCreate(key, true));
    assert.equal(await h.call('verifymessage', [uncompressed, signature, 'uncompressed']), true);
    assert.equal(await h.call('verifymessage', [compressed, signature, 'uncompressed']), false);
  });

  it("refuses with Core's codes and messages", async () => {
    await rejectsRpc(
      h.call('verifymessage', [ADDRESS, 'not base64!', MESSAGE]),
      E.RPC_TYPE_ERROR,
      'Malformed base64 encoding',
    );
    await rejectsRpc(
      h.call('verifymessage', [SEGWIT_ADDRESS, SIGNATURE, MESSAGE]),
      E.RPC_TYPE_ERROR,
      'Address does not refer to key',
    );
    // An invalid address wins over a malformed signature, as in Core's MessageVerify.
    await rejectsRpc(
      h.call('verifymessage', ['1KqbBpLy5FARmTPD4VZnDDpYjkUvkr82Pm', 'not base64!', MESSAGE]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Invalid address',
    );
    await rejectsRpc(
      h.call('signmessagewithprivkey', ['not a key', MESSAGE]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Invalid private key',
    );
    // A mainnet WIF on regtest is not this network's key.
    await rejectsRpc(
      h.call('signmessagewithprivkey', [
        encodeWif(new Uint8Array(32).fill(1), true, { wifPrefix: 0x80 }),
        'm',
      ]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Invalid private key',
    );
    await rejectsRpc(h.call('verifymessage', [ADDRESS, SIGNATURE, 42]), E.RPC_TYPE_ERROR);
    await rejectsRpc(h.call('verifymessage', [ADDRESS, SIGNATURE]), E.RPC_MISC_ERROR, /^verifymessage/);
  });

  it('lists both in help under Util', async () => {
    const help = (await h.call('help')) as string;
    const util = help.slice(help.indexOf('== Util =='));
    assert.match(util, /\nsignmessagewithprivkey "privkey" "message"\n/);
    assert.match(util, /\nverifymessage "address" "signature" "message"\n/);
  });
});

describe('signmessage (wallet)', () => {
  let h: WalletHarness;
  before(async () => {
    h = await WalletHarness.create();
    await h.call('createwallet', ['w']);
  });
  after(() => h.destroy());

  it('signs with a legacy address of the wallet; verifymessage accepts it for that address only', async () => {
    const w = h.wallet('w');
    const address = await w.call<string>('getnewaddress', ['', 'legacy']);
    const signature = await w.call<string>('signmessage', [address, MESSAGE]);
    assert.equal(await h.call('verifymessage', [address, signature, MESSAGE]), true);
    const other = await w.call<string>('getnewaddress', ['', 'legacy']);
    const otherSignature = await w.call<string>('signmessage', [other, MESSAGE]);
    assert.equal(await h.call('verifymessage', [other, signature, MESSAGE]), false);
    assert.equal(await h.call('verifymessage', [address, otherSignature, MESSAGE]), false);
  });

  it("refuses segwit, foreign and invalid addresses with Core's codes", async () => {
    const w = h.wallet('w');
    const bech32 = await w.call<string>('getnewaddress');
    await rejectsRpc(
      w.call('signmessage', [bech32, MESSAGE]),
      E.RPC_TYPE_ERROR,
      'Address does not refer to key',
    );
    await rejectsRpc(
      w.call('signmessage', [ADDRESS, MESSAGE]),
      E.RPC_WALLET_ERROR,
      'Private key not available',
    );
    await rejectsRpc(
      w.call('signmessage', ['nonsense', MESSAGE]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Invalid address',
    );
  });

  it('a locked wallet answers -13 and is left as it was; unlocked it signs', async () => {
    await h.call('createwallet', { wallet_name: 'vault', passphrase: 'pass' });
    const v = h.wallet('vault');
    const address = await v.call<string>('getnewaddress', ['', 'legacy']);
    const before = await v.call('getwalletinfo');
    await rejectsRpc(
      v.call('signmessage', [address, MESSAGE]),
      E.RPC_WALLET_UNLOCK_NEEDED,
      'Error: Please enter the wallet passphrase with walletpassphrase first.',
    );
    assert.deepEqual(await v.call('getwalletinfo'), before);
    await v.call('walletpassphrase', ['pass', 30]);
    const signature = await v.call<string>('signmessage', [address, MESSAGE]);
    await v.call('walletlock');
    assert.equal(await h.call('verifymessage', [address, signature, MESSAGE]), true);
  });
});
