import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  amountSats,
  btc,
  confirmations,
  formatBalances,
  formatHistory,
  formatTransaction,
  formatUtxos,
  formatWalletInfo,
  formatWalletList,
  table,
} from '../../src/cli/commands/wallet-format.js';
import { parseJsonKeepNumbers } from '../../src/rpc/json/parse.js';

/** Results as RpcClient hands them over: parsed from bitcoind's JSON text, numbers kept as text. */
const reply = (json: string) => parseJsonKeepNumbers(json);

describe('tally wallet output', () => {
  it('reads amounts exactly from the JSON text, including values a double would round', () => {
    assert.equal(amountSats(reply('1.50000000')), 150_000_000);
    assert.equal(amountSats(reply('-0.00000001')), -1);
    assert.equal(amountSats(reply('20999999.97690000')), 2_099_999_997_690_000);
    assert.equal(amountSats(reply('0.1')), 10_000_000);
    assert.equal(amountSats(0.3), 30_000_000);
    assert.equal(btc(reply('1.5')), '1.50000000 BTC');
    assert.equal(btc(reply('1.5'), true), '+1.50000000 BTC');
    assert.equal(btc(reply('-1.5'), true), '-1.50000000 BTC');
    assert.equal(btc('not a number'), '?');
  });

  it('says confirmations in words, with conflicts for negative counts', () => {
    assert.equal(confirmations(reply('0')), 'unconfirmed');
    assert.equal(confirmations(reply('1')), '1 confirmation');
    assert.equal(confirmations(reply('7')), '7 confirmations');
    assert.equal(confirmations(reply('-2')), 'conflicted');
  });

  it('aligns table columns, right-aligning numbers, without trailing spaces', () => {
    const out = table(
      [{ title: 'Name' }, { title: 'Amount', right: true }, { title: 'Note' }],
      [
        ['a', '1.00000000 BTC', ''],
        ['longer', '10.00000000 BTC', 'x'],
      ],
    );
    assert.equal(
      out,
      ['Name             Amount  Note', 'a        1.00000000 BTC', 'longer  10.00000000 BTC  x'].join('\n'),
    );
  });

  it('formats getbalances', () => {
    const out = formatBalances(
      reply('{"mine":{"trusted":50.00000000,"untrusted_pending":0.00000000,"immature":5000.00000000}}'),
    );
    assert.equal(
      out,
      ['Spendable:  50.00000000 BTC', 'Pending:    0.00000000 BTC', 'Immature:   5000.00000000 BTC'].join(
        '\n',
      ),
    );
  });

  it('formats getwalletinfo for locked, unlocked and unencrypted wallets', () => {
    const base = '"walletname":"carol","balance":1.00000000,"txcount":3,"keypoolsize":1000';
    assert.match(formatWalletInfo(reply(`{${base},"unlocked_until":0}`)), /Encryption:\s+encrypted, locked/);
    assert.match(
      formatWalletInfo(reply(`{${base},"unlocked_until":1800000000}`)),
      /Encryption:\s+encrypted, unlocked until 2027-01-15 08:00:00 UTC/,
    );
    const plain = formatWalletInfo(reply(`{${base}}`));
    assert.match(plain, /Encryption:\s+not encrypted/);
    assert.match(plain, /Spendable:\s+1\.00000000 BTC/);
    assert.match(plain, /Transactions:\s+3/);
    // getbalances wins over getwalletinfo's legacy balance fields.
    const withBalances = formatWalletInfo(
      reply(`{${base}}`),
      reply('{"mine":{"trusted":2.5,"untrusted_pending":0.1,"immature":50}}'),
    );
    assert.match(
      withBalances,
      /Spendable:\s+2\.50000000 BTC\nPending:\s+0\.10000000 BTC\nImmature:\s+50\.00000000 BTC/,
    );
  });

  it('formats gettransaction: status, amount, fee, block and details', () => {
    const txid = 'ab'.repeat(32);
    const pending = formatTransaction(
      reply(
        `{"amount":-1.50000000,"fee":-0.00001410,"confirmations":0,"txid":"${txid}","time":1700000000,` +
          '"details":[{"address":"bcrt1qxyz","category":"send","amount":-1.50000000,"vout":1,"fee":-0.00001410}]}',
      ),
    );
    assert.match(pending, new RegExp(`Transaction:\\s+${txid}`));
    assert.match(pending, /Status:\s+unconfirmed \(in the mempool/);
    assert.match(pending, /Amount:\s+-1\.50000000 BTC/);
    assert.match(pending, /Fee:\s+-0\.00001410 BTC/);
    assert.match(pending, /send\s+-1\.50000000 BTC\s+bcrt1qxyz\s+1/);
    assert.doesNotMatch(pending, /Block:/);
    const mined = formatTransaction(
      reply(
        `{"amount":1.5,"confirmations":2,"blockhash":"00ff","blockheight":102,"txid":"${txid}","details":[]}`,
      ),
    );
    assert.match(mined, /Status:\s+2 confirmations$/m);
    assert.match(mined, /Amount:\s+\+1\.50000000 BTC/);
    assert.match(mined, /Block:\s+102 \(00ff\)/);
  });

  it('formats listtransactions, listunspent and the wallet list, and says when they are empty', () => {
    assert.equal(formatHistory(reply('[]')), 'No transactions yet.');
    const history = formatHistory(
      reply(
        '[{"address":"bcrt1qa","category":"receive","amount":1.5,"confirmations":3,"txid":"t1","time":0},' +
          '{"address":"bcrt1qb","category":"send","amount":-0.25,"confirmations":0,"txid":"t2","time":60}]',
      ),
    );
    const lines = history.split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[1]!, /^1970-01-01 00:00:00\s+receive\s+\+1\.50000000 BTC\s+3\s+bcrt1qa\s+t1$/);
    assert.match(lines[2]!, /^1970-01-01 00:01:00\s+send\s+-0\.25000000 BTC\s+0\s+bcrt1qb\s+t2$/);

    assert.equal(formatUtxos(reply('[]')), 'No unspent outputs.');
    const utxos = formatUtxos(
      reply(
        '[{"txid":"aa","vout":0,"amount":0.1,"confirmations":1},{"txid":"bb","vout":2,"amount":0.2,"confirmations":5}]',
      ),
    );
    assert.match(utxos, /aa:0\s+0\.10000000 BTC\s+1/);
    assert.match(utxos, /2 outputs, 0\.30000000 BTC$/);

    assert.match(formatWalletList([]), /No wallets/);
    const list = formatWalletList([
      {
        name: 'bob',
        loaded: true,
        info: reply('{"unlocked_until":0}'),
        balances: reply('{"mine":{"trusted":1.5}}'),
      },
      { name: 'default', loaded: true, info: reply('{}'), balances: reply('{"mine":{"trusted":48.5}}') },
      { name: 'old', loaded: false },
    ]);
    assert.match(list, /bob\s+yes\s+locked\s+1\.50000000 BTC/);
    assert.match(list, /default\s+yes\s+none\s+48\.50000000 BTC/);
    assert.match(list, /old\s+no$/m);
  });
});
