/**
 * `tally up` at a terminal: the new wallet's passphrase is asked twice without echo (and no
 * passphrase file is written), Ctrl-C typed on the terminal stops it cleanly, and the next run asks
 * for the passphrase again, once, allowing another try after a wrong one.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { NEXT_STEPS_HEADING } from '../../src/cli/commands/up-next-steps.js';
import { runOnTerminal } from './run-on-terminal.js';

const datadir = mkdtempSync(join(tmpdir(), 'tally-up-tty-'));
after(() => rmSync(datadir, { recursive: true, force: true }));

const SECRET = 'typed at the keyboard';
const READY = new RegExp(NEXT_STEPS_HEADING);
const UP = ['up', '--datadir', datadir, '--rpcport', '0'];

describe('tally up on a terminal', { timeout: 300_000 }, () => {
  it('asks for a new passphrase twice, keeps no passphrase file, and stops on Ctrl-C', async () => {
    const first = await runOnTerminal(
      UP,
      [
        { expect: /Enter a passphrase for the new wallet "default": /, type: `${SECRET}\r` },
        { expect: /Repeat the passphrase: /, type: `${SECRET}\r` },
        { expect: READY, type: '\x03' },
      ],
      150_000,
    );
    assert.equal(first.status, 0, first.screen);
    assert.match(first.screen, /Created wallet "default" \(encrypted\)/);
    assert.match(first.screen, /height 101\/101/);
    assert.match(first.screen, /Stopped\./);
    assert.ok(!first.screen.includes(SECRET), `echoed:\n${first.screen}`);
    assert.equal(existsSync(join(datadir, 'regtest', 'wallets', 'default.passphrase')), false);
  });

  it('asks once on the next run, again after a wrong passphrase, and resumes the chain', async () => {
    const second = await runOnTerminal(
      UP,
      [
        { expect: /Passphrase for wallet "default": /, type: 'wrong\r' },
        { expect: /Passphrase for wallet "default": /, type: `${SECRET}\r` },
        { expect: READY, type: '\x03' },
      ],
      150_000,
    );
    assert.equal(second.status, 0, second.screen);
    assert.match(second.screen, /The wallet passphrase entered was incorrect\. Try again\./);
    assert.match(second.screen, /Loaded wallet "default" and unlocked it/);
    assert.match(second.screen, /a regtest chain at height 101\b/);
    assert.doesNotMatch(second.screen, /Mining \d+ blocks/);
    assert.ok(!second.screen.includes(SECRET) && !second.screen.includes('wrong\r'), second.screen);
  });
});
