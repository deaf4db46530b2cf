/**
 * `tally up` and `tally wallet` driven as a user drives them: real child processes, no terminal
 * (so up generates the default wallet's passphrase), output read as text. A payment from "default"
 * to bob, its confirmations rising as up mines, both balances; then the errors a user makes
 * (more than the balance, a bad address, a wrong passphrase, a locked wallet), each a clear message
 * with exit 1 and nothing changed; then Ctrl-C, and a restart that resumes the same chain.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { NEXT_STEPS_HEADING } from '../../src/cli/commands/up-next-steps.js';
import { REPO_ROOT } from '../support/shared.js';
import { runCliAsync, TALLY_NODE_ARGS } from './run-cli.js';
import { runOnTerminal } from './run-on-terminal.js';

/**
 * Long enough that a payment is still unconfirmed for the two commands after the send: a CLI start
 * takes ~1-2 s on an idle machine and was seen at 4-5 s with the whole suite running on 2 cores.
 */
const MINE_INTERVAL_S = 15;
const SATS = 100_000_000;

/** A running `tally up`: its output so far, and its exit. */
class Up {
  output = '';
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  constructor(readonly child: ChildProcess) {
    const append = (d: Buffer) => {
      this.output += d.toString();
    };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      });
    });
  }

  static start(datadir: string): Up {
    const args = ['up', '--datadir', datadir, '--rpcport', '0', '--mine-interval', String(MINE_INTERVAL_S)];
    const child = spawn(process.execPath, [...TALLY_NODE_ARGS, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    child.once('exit', () => live.delete(child));
    return new Up(child);
  }

  /** Waits (bounded) until the output matches; fails with the output if up exits first. */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.output.match(pattern);
      if (m !== null) return m;
      if (this.exitCode !== undefined) throw new Error(`tally up exited (${this.exitCode}):\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} after ${timeoutMs} ms:\n${this.output}`);
      await sleep(100);
    }
  }

  /** The RPC port it printed (it was started with --rpcport 0). */
  async ready(): Promise<number> {
    await this.waitFor(new RegExp(NEXT_STEPS_HEADING), 180_000);
    const m = await this.waitFor(/JSON-RPC {2}127\.0\.0\.1:(\d+)/, 1000);
    return Number(m[1]);
  }
}

const live = new Set<ChildProcess>();
const datadir = mkdtempSync(join(tmpdir(), 'tally-up-e2e-'));
after(() => {
  for (const child of live) child.kill('SIGKILL');
  rmSync(datadir, { recursive: true, force: true });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Satoshis from a BTC amount of a JSON reply (8 decimals: exact after rounding). */
function sats(btc: unknown): number {
  assert.equal(typeof btc, 'number', `not an amount: ${btc}`);
  return Math.round((btc as number) * SATS);
}

/** The fields of bitcoind's replies this test reads. */
interface WalletJson {
  readonly mine: { readonly trusted: number };
  readonly fee: number;
  readonly confirmations: number;
  readonly txcount: number;
}

describe('tally up + tally wallet, end to end', { timeout: 600_000 }, () => {
  let up: Up;
  let port = 0;
  const wallet = async (args: readonly string[], input?: string) =>
    runCliAsync(['wallet', ...args, '--datadir', datadir, '--rpcport', String(port)], input);
  const ok = async (args: readonly string[], input?: string) => {
    const r = await wallet(args, input);
    assert.equal(r.status, 0, `tally wallet ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
    assert.equal(r.stderr, '');
    return r.stdout;
  };
  const json = async (args: readonly string[]) => JSON.parse(await ok([...args, '--json'])) as WalletJson;
  const rpc = async (method: string, params: readonly string[] = []) => {
    const flags = ['--network', 'regtest', '--datadir', datadir, '--rpcport', String(port)];
    const r = await runCliAsync(['rpc', ...flags, method, ...params]);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as unknown;
  };
  /** The wallet's state that no failed command may change: balances and transaction count. */
  const state = async (name: string) => {
    const info = await json(['-w', name, 'info']);
    return { txcount: info.txcount, balances: await ok(['-w', name, 'balance', '--json']) };
  };
  const confirmationsOf = async (txid: string, name = 'default') =>
    Number((await json(['-w', name, 'tx', txid])).confirmations);
  const waitConfirmations = async (txid: string, atLeast: number) => {
    for (let i = 0; i < 40; i++) {
      const n = await confirmationsOf(txid);
      if (n >= atLeast) return n;
      await sleep(1000);
    }
    throw new Error(`${txid} did not reach ${atLeast} confirmations:\n${up.output}`);
  };
  const failure = async (args: readonly string[], message: RegExp, input?: string) => {
    const r = await wallet(args, input);
    assert.equal(r.status, 1, `expected exit 1 from ${args.join(' ')}:\n${r.stderr}${r.stdout}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    return r.stderr;
  };

  let bobAddress = '';
  let payment = '';
  let heightBeforeStop = 0;
  const balancesBeforeStop: Record<string, string> = {};

  it('starts a chain with an encrypted, funded default wallet and prints the next steps', async () => {
    up = Up.start(datadir);
    port = await up.ready();
    const passphraseFile = join(datadir, 'regtest', 'wallets', 'default.passphrase');
    assert.ok(up.output.includes(`saved it in ${passphraseFile}`), up.output);
    assert.match(up.output, /warning: .*demos/);
    assert.equal(statSync(passphraseFile).mode & 0o777, 0o600);
    assert.match(up.output, /height 101\/101/);
    assert.match(up.output, /npx tally wallet create bob --datadir \S+ --rpcport \d+/);
    const info = await ok(['info']);
    assert.match(info, /Encryption:\s+encrypted, unlocked until/);
    assert.match(await ok(['balance']), /^Spendable:\s+50\.00000000 BTC$/m);
    assert.equal(await rpc('getblockcount'), 101);
  });

  it('pays a second wallet and shows the confirmations rising and both balances', async () => {
    assert.match(await ok(['create', 'bob', '--no-passphrase']), /Created wallet "bob" \(not encrypted\)/);
    bobAddress = (await ok(['-w', 'bob', 'address'])).trim();
    assert.match(bobAddress, /^bcrt1[02-9ac-hj-np-z]{8,87}$/);
    const sent = await ok(['send', bobAddress, '1.5']);
    assert.match(sent, new RegExp(`Sent 1\\.50000000 BTC to ${bobAddress}`));
    payment = /Transaction: ([0-9a-f]{64})/.exec(sent)?.[1] ?? '';
    assert.notEqual(payment, '', sent);

    const pending = await ok(['tx', payment]);
    assert.match(pending, /Status:\s+unconfirmed/);
    assert.match(pending, /Amount:\s+-1\.50000000 BTC/);
    assert.match(await ok(['-w', 'bob', 'balance']), /^Pending:\s+1\.50000000 BTC$/m);

    assert.ok((await waitConfirmations(payment, 1)) >= 1);
    assert.match(await ok(['tx', payment]), /Status:\s+1 confirmation\b/);
    assert.match(up.output, /Mined block 102 with 1 transaction\./);
    assert.match(await ok(['-w', 'bob', 'balance']), /^Spendable:\s+1\.50000000 BTC$/m);

    // Bob pays some back: a second transaction, so up mines a second block over the payment.
    const back = await ok(['-w', 'bob', 'send', (await ok(['address'])).trim(), '0.25', '--fee-rate', '5']);
    const backTxid = /Transaction: ([0-9a-f]{64})/.exec(back)?.[1] ?? '';
    assert.ok((await waitConfirmations(payment, 2)) >= 2);
    assert.match(await ok(['tx', payment]), /Status:\s+\d+ confirmations/);
    assert.ok((await confirmationsOf(backTxid, 'bob')) >= 1);

    // Both sides, exactly: bob has 1.5 - 0.25 - his fee; default has its mature coinbases
    // (one per block over 100: COINBASE_MATURITY) - 1.5 - its fee + 0.25.
    const feeOf = async (name: string, txid: string) => sats((await json(['-w', name, 'tx', txid])).fee);
    const bobFee = await feeOf('bob', backTxid);
    const payFee = await feeOf('default', payment);
    assert.ok(payFee < 0 && payFee > -SATS / 1000, `fee ${payFee}`);
    // --fee-rate 5 (sat/vB): the fee covers the transaction's size at that rate (a signature's size
    // is estimated before signing, so allow two vbytes over).
    const { vsize } = (await rpc('getrawtransaction', [backTxid, '1'])) as { vsize: number };
    assert.ok(
      -bobFee >= 5 * vsize && -bobFee <= 5 * (vsize + 2),
      `fee ${bobFee} for ${vsize} vB at 5 sat/vB`,
    );
    const height = Number(await rpc('getblockcount'));
    const bob = sats((await json(['-w', 'bob', 'balance'])).mine.trusted);
    assert.equal(bob, 1.5 * SATS - 0.25 * SATS + bobFee);
    const mine = sats((await json(['balance'])).mine.trusted);
    assert.equal(mine, (height - 100) * 50 * SATS - 1.5 * SATS + payFee + 0.25 * SATS);
    const history = await ok(['history']);
    assert.match(history, /send\s+-1\.50000000 BTC/);
    assert.match(history, /receive\s+\+0\.25000000 BTC/);
    assert.match(await ok(['-w', 'bob', 'utxos']), /1 outputs?, /);
  });

  it('refuses to spend more than the balance, or to an invalid address, and changes nothing', async () => {
    const before = await state('default');
    const mempool = (await rpc('getmempoolinfo')) as { size: number };
    await failure(['send', bobAddress, '100000'], /^error: Insufficient funds$/m);
    await failure(['send', 'bcrt1qnotanaddress', '1'], /^error: Invalid .*address/im);
    await failure(['send', bobAddress, '-1'], /^error: /m);
    assert.deepEqual(await state('default'), before);
    assert.equal(((await rpc('getmempoolinfo')) as { size: number }).size, mempool.size);
  });

  it('rejects a wrong passphrase and a send from a locked wallet, leaving it locked and unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-carol-'));
    const passFile = join(dir, 'carol.pass');
    writeFileSync(passFile, 'correct horse battery staple\n', { mode: 0o600 });
    try {
      assert.match(await ok(['create', 'carol', '--passphrase-file', passFile]), /encrypted and locked/);
      assert.match(await ok(['-w', 'carol', 'info']), /Encryption:\s+encrypted, locked/);
      // Unlock from stdin, take an address, lock again; then fund it.
      assert.match(
        await ok(['-w', 'carol', 'unlock', '--timeout', '60'], 'correct horse battery staple\n'),
        /unlocked for 60 s/,
      );
      const carolAddress = (await ok(['-w', 'carol', 'address'])).trim();
      assert.match(await ok(['-w', 'carol', 'lock']), /locked/);
      const funded = /Transaction: ([0-9a-f]{64})/.exec(await ok(['send', carolAddress, '2']))?.[1] ?? '';
      await waitConfirmations(funded, 1);

      const before = await state('carol');
      assert.match(before.balances, /"trusted": 2\.00000000/);
      await failure(
        ['-w', 'carol', 'unlock'],
        /^error: Error: The wallet passphrase entered was incorrect\.$/m,
        'wrong horse\n',
      );
      assert.match(await ok(['-w', 'carol', 'info']), /Encryption:\s+encrypted, locked/);
      const locked = await failure(
        ['-w', 'carol', 'send', bobAddress, '0.5'],
        /^error: Error: Please enter the wallet passphrase with walletpassphrase first\.$/m,
      );
      assert.match(locked, /hint: unlock it first: tally wallet -w carol unlock/);
      assert.deepEqual(await state('carol'), before);
      await failure(['-w', 'nobody', 'balance'], /^error: .*(not loaded|does not exist)/im);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks for passphrases on a terminal, twice for a new wallet, never echoing them', async () => {
    const flags = ['--datadir', datadir, '--rpcport', String(port)];
    const secret = 'tty secret 42';
    const created = await runOnTerminal(
      ['wallet', 'create', 'dave', ...flags],
      [
        { expect: /Enter a passphrase for wallet "dave": /, type: `${secret}\r` },
        { expect: /Repeat the passphrase: /, type: `${secret}\r` },
      ],
    );
    assert.equal(created.status, 0, created.screen);
    assert.match(created.screen, /Created wallet "dave" \(encrypted and locked/);
    const mismatch = await runOnTerminal(
      ['wallet', 'create', 'erin', ...flags],
      [
        { expect: /Enter a passphrase for wallet "erin": /, type: 'one\r' },
        { expect: /Repeat the passphrase: /, type: 'two\r' },
      ],
    );
    assert.equal(mismatch.status, 2, mismatch.screen);
    assert.match(mismatch.screen, /the passphrases do not match/);
    assert.doesNotMatch(await ok(['list']), /erin/);
    const wrong = await runOnTerminal(
      ['wallet', '-w', 'dave', 'unlock', ...flags],
      [{ expect: /Passphrase for wallet "dave": /, type: 'not it\r' }],
    );
    assert.equal(wrong.status, 1, wrong.screen);
    assert.match(wrong.screen, /The wallet passphrase entered was incorrect/);
    const unlocked = await runOnTerminal(
      ['wallet', '-w', 'dave', 'unlock', '--timeout', '30', ...flags],
      [{ expect: /Passphrase for wallet "dave": /, type: `${secret}\r` }],
    );
    assert.equal(unlocked.status, 0, unlocked.screen);
    assert.match(unlocked.screen, /Wallet "dave" unlocked for 30 s\./);
    for (const screen of [created.screen, wrong.screen, unlocked.screen]) {
      assert.ok(!screen.includes(secret) && !screen.includes('not it'), `echoed:\n${screen}`);
    }
    assert.match(await ok(['-w', 'dave', 'lock']), /Wallet "dave" locked\./);
  });

  it('stops on Ctrl-C with exit 0', async () => {
    heightBeforeStop = Number(await rpc('getblockcount'));
    for (const name of ['default', 'bob', 'carol']) {
      balancesBeforeStop[name] = await ok(['-w', name, 'balance', '--json']);
    }
    up.child.kill('SIGINT');
    const code = await Promise.race([up.exited, sleep(60_000).then(() => 'timeout' as const)]);
    assert.equal(code, 0, up.output);
    assert.match(up.output, /Stopped\./);
  });

  it('resumes the same chain, wallets and balances when started again', async () => {
    up = Up.start(datadir);
    port = await up.ready();
    assert.match(up.output, /Loaded wallet "default" and unlocked it/);
    assert.doesNotMatch(up.output, /Mining \d+ blocks/);
    assert.equal(await rpc('getblockcount'), heightBeforeStop);
    for (const name of ['default', 'bob', 'carol']) {
      assert.equal(await ok(['-w', name, 'balance', '--json']), balancesBeforeStop[name], name);
    }
    assert.match(await ok(['-w', 'carol', 'info']), /Encryption:\s+encrypted, locked/);
    up.child.kill('SIGTERM');
    assert.equal(await up.exited, 0, up.output);
  });
});
