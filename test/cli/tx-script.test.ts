import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from './run-cli.js';

// tx_valid.json's first case (mainnet 23b397ed…): the first standard-form CHECKMULTISIG transaction.
const TX_HEX =
  '0100000001b14bdcbc3e01bdaad36cc08e81e69c82e1060bc14e518db2b49aa43ad90ba26000000000490047304402203f16c6f40162ab686621ef3000b04e75418a0c0cb2d8aebeac894ae360ac1e780220ddc15ecdfc3507ac48e1681a33eb60996631bf6bf5bc0a0682c4db743ce7ca2b01ffffffff0140420f00000000001976a914660d4ef3a743e3e696ad990364e555c271ad504b88ac00000000';

describe('tally tx decode', () => {
  it('prints decoderawtransaction-shaped JSON', () => {
    const res = runCli(['tx', 'decode', TX_HEX]);
    assert.equal(res.status, 0, res.stderr);
    const tx = JSON.parse(res.stdout) as {
      txid: string;
      size: number;
      vin: { txid: string; vout: number }[];
      vout: { value: number; scriptPubKey: { type: string; address: string } }[];
    };
    assert.equal(tx.txid, '23b397edccd3740a74adb603c9756370fafcde9bcc4483eb271ecad09a94dd63');
    assert.equal(tx.size, 158);
    assert.equal(tx.vin[0]!.txid, '60a20bd93aa49ab4b28d514ec10b06e1829ce6818ec06cd3aabd013ebcdc4bb1');
    assert.equal(tx.vout[0]!.value, 0.01);
    assert.equal(tx.vout[0]!.scriptPubKey.type, 'pubkeyhash');
    assert.equal(tx.vout[0]!.scriptPubKey.address, '1AJbsFZ64EpEfS5UAjAfcUG8pH8Jn3rn1F');
  });

  it('rejects malformed hex and truncated transactions with a usage error', () => {
    for (const bad of ['zz', TX_HEX.slice(0, 60), `${TX_HEX}00`]) {
      const res = runCli(['tx', 'decode', bad]);
      assert.equal(res.status, 2, `expected usage error for ${bad.slice(0, 12)}…`);
      assert.match(res.stderr, /TX decode failed|invalid hex/);
    }
  });
});

describe('tally script verify', () => {
  it('accepts a valid script and names the failure of an invalid one', () => {
    const ok = runCli(['script', 'verify', '--script-sig', '1 2', '--script-pubkey', 'ADD 3 EQUAL']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).error, 'OK');
    const bad = runCli(['script', 'verify', '--script-sig', '1 2', '--script-pubkey', 'ADD 4 EQUAL']);
    assert.equal(bad.status, 1);
    const out = JSON.parse(bad.stdout) as { valid: boolean; error: string };
    assert.equal(out.valid, false);
    assert.equal(out.error, 'EVAL_FALSE');
  });

  it('applies the named flags (SIGPUSHONLY) and refuses unknown ones', () => {
    const res = runCli([
      'script',
      'verify',
      '--script-sig',
      '1 DUP',
      '--script-pubkey',
      'DROP',
      '--flags',
      'SIGPUSHONLY',
    ]);
    assert.equal(JSON.parse(res.stdout).error, 'SIG_PUSHONLY');
    const unknown = runCli([
      'script',
      'verify',
      '--script-sig',
      '1',
      '--script-pubkey',
      '1',
      '--flags',
      'FOO',
    ]);
    assert.equal(unknown.status, 2);
  });
});
