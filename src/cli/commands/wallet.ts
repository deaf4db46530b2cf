import type { Command } from 'commander';
import { convertParam } from '../../rpc/client.js';
import { RpcError, RpcErrorCode } from '../../rpc/errors.js';
import { UsageError } from '../errors.js';
import { canPrompt, promptNewPassphrase, readPassphrase, readPassphraseFile } from '../passphrase.js';
import {
  btc,
  formatBalances,
  formatHistory,
  formatTransaction,
  formatUtxos,
  formatWalletInfo,
  formatWalletList,
  isObject,
  type WalletListRow,
} from './wallet-format.js';
import { common, DEFAULTS, run, sub, warnings } from './wallet-session.js';
import { registerWalletToolCommands } from './wallet-tools.js';

const DEFAULT_UNLOCK_SECONDS = 300;

/**
 * `tally wallet <command>`: the wallet RPCs of bitcoind (createwallet, getbalances, sendtoaddress,
 * gettransaction, ...) with output for people; `--json` prints the RPC result as `tally rpc` would.
 * Errors print the RPC's message (plus a hint where one helps) and exit 1.
 */
export function registerWalletCommands(program: Command): void {
  const wallet = common(program.command('wallet'))
    .description('use the wallets of a running node (tally up): addresses, balances, payments')
    .addHelpText(
      'after',
      `\nDefaults match \`tally up\`: --datadir ${DEFAULTS.datadir} --network ${DEFAULTS.network}, wallet "default".`,
    );

  sub(wallet, 'create <name>', 'create a wallet (encrypted unless --no-passphrase)')
    .option('--passphrase-file <file>', 'encrypt with the passphrase in this file (first line)')
    .option('--no-passphrase', 'do not encrypt the wallet')
    .action(
      run(async (s, name: string, opts: { passphraseFile?: string; passphrase: boolean }) => {
        let passphrase = '';
        if (opts.passphraseFile !== undefined) passphrase = readPassphraseFile(opts.passphraseFile);
        else if (opts.passphrase) {
          if (!canPrompt()) {
            throw new UsageError(
              'no terminal to ask for a passphrase: use --passphrase-file <file> or --no-passphrase',
            );
          }
          passphrase = await promptNewPassphrase(`wallet "${name}"`);
        }
        // Without a passphrase the parameter is left out: an empty one makes bitcoind warn.
        const params = passphrase === '' ? [name] : [name, false, false, passphrase];
        const result = await s.node('createwallet', params);
        s.print(result, () => {
          const state =
            passphrase === ''
              ? 'not encrypted'
              : `encrypted and locked; unlock: tally wallet -w ${name} unlock`;
          return `Created wallet "${name}" (${state}).${warnings(result)}\nNew address: tally wallet -w ${name} address`;
        });
      }),
    );

  sub(wallet, 'list', 'wallets on disk, which are loaded, their balances').action(
    run(async (s) => {
      const loaded = names(await s.node('listwallets'));
      let onDisk: string[] = [];
      try {
        const dir = await s.node('listwalletdir');
        if (isObject(dir) && Array.isArray(dir.wallets))
          onDisk = dir.wallets.filter(isObject).map((w) => String(w.name));
      } catch (err) {
        if (!(err instanceof RpcError && err.code === RpcErrorCode.RPC_METHOD_NOT_FOUND)) throw err;
      }
      const all = [...new Set([...loaded, ...onDisk])].sort();
      const rows: WalletListRow[] = [];
      for (const name of all) {
        if (!loaded.includes(name)) {
          rows.push({ name, loaded: false });
          continue;
        }
        const info = await s.walletNamed(name, 'getwalletinfo');
        rows.push({ name, loaded: true, info, balances: await s.walletNamed(name, 'getbalances') });
      }
      s.print({ loaded, on_disk: onDisk }, () => formatWalletList(rows));
    }),
  );

  sub(wallet, 'load <name>', 'load a wallet from disk').action(
    run(async (s, name: string) => {
      const result = await s.node('loadwallet', [name]);
      s.print(result, () => `Loaded wallet "${name}".${warnings(result)}`);
    }),
  );

  sub(wallet, 'unload [name]', 'unload a wallet (default: the -w wallet)').action(
    run(async (s, name: string | undefined) => {
      const target = name ?? s.walletName;
      const result = await s.node('unloadwallet', [target]);
      s.print(result, () => `Unloaded wallet "${target}".${warnings(result)}`);
    }),
  );

  sub(wallet, 'info', 'the wallet: encryption, balances, transaction count').action(
    run(async (s) => {
      const info = await s.wallet('getwalletinfo');
      // --json prints getwalletinfo alone; the text adds the balances from getbalances.
      const balances = s.json ? undefined : await s.wallet('getbalances');
      s.print(info, (i) => formatWalletInfo(i, balances));
    }),
  );

  sub(wallet, 'balance', 'spendable, pending and immature balances').action(
    run(async (s) => s.print(await s.wallet('getbalances'), formatBalances)),
  );

  sub(wallet, 'address', 'a new receiving address')
    .option('--type <type>', 'bech32, bech32m (taproot), p2sh-segwit or legacy (default: bech32)')
    .option('--label <label>', 'label for the address', '')
    .action(
      run(async (s, opts: { type?: string; label: string }) => {
        const params: unknown[] = opts.type === undefined ? [opts.label] : [opts.label, opts.type];
        s.print(await s.wallet('getnewaddress', params), String);
      }),
    );

  sub(wallet, 'send <address> <amount>', 'pay <amount> BTC to <address>')
    .option('--fee-rate <sat/vB>', 'fee rate in sat/vB (default: estimated)')
    .option('--subtract-fee', 'the recipient pays the fee out of <amount>')
    .action(
      run(async (s, address: string, amount: string, opts: { feeRate?: string; subtractFee?: boolean }) => {
        const params: Record<string, unknown> = { address, amount: convertParam(amount, false) };
        if (opts.subtractFee === true) params.subtractfeefromamount = true;
        if (opts.feeRate !== undefined) params.fee_rate = convertParam(opts.feeRate, false);
        const txid = await s.wallet('sendtoaddress', params);
        s.print(txid, () =>
          [
            `Sent ${btc(convertParam(amount, false))} to ${address}${opts.subtractFee === true ? ' (the fee taken out of it)' : ''}`,
            `Transaction: ${String(txid)}`,
            `Watch it confirm: tally wallet${s.walletName === 'default' ? '' : ` -w ${s.walletName}`} tx ${String(txid)}`,
          ].join('\n'),
        );
      }),
    );

  sub(wallet, 'tx <txid>', 'one transaction: amount, fee, confirmations').action(
    run(async (s, txid: string) => s.print(await s.wallet('gettransaction', [txid]), formatTransaction)),
  );

  sub(wallet, 'history', 'recent transactions, oldest first')
    .option('--count <n>', 'how many', '10')
    .action(
      run(async (s, opts: { count: string }) => {
        const count = Number(opts.count);
        if (!Number.isInteger(count) || count < 0) throw new UsageError(`invalid --count '${opts.count}'`);
        s.print(await s.wallet('listtransactions', ['*', count]), formatHistory);
      }),
    );

  sub(wallet, 'utxos', 'unspent outputs').action(
    run(async (s) => s.print(await s.wallet('listunspent'), formatUtxos)),
  );

  sub(wallet, 'unlock', 'unlock an encrypted wallet (passphrase from the terminal, stdin or a file)')
    .option('--timeout <seconds>', 'lock again after this long', String(DEFAULT_UNLOCK_SECONDS))
    .option('--passphrase-file <file>', 'read the passphrase from this file')
    .action(
      run(async (s, opts: { timeout: string; passphraseFile?: string }) => {
        const seconds = Number(opts.timeout);
        if (!Number.isInteger(seconds) || seconds <= 0)
          throw new UsageError(`invalid --timeout '${opts.timeout}'`);
        const passphrase =
          opts.passphraseFile !== undefined
            ? readPassphraseFile(opts.passphraseFile)
            : await readPassphrase(`Passphrase for wallet "${s.walletName}": `);
        const result = await s.wallet('walletpassphrase', [passphrase, seconds]);
        s.print(result, () => `Wallet "${s.walletName}" unlocked for ${seconds} s.`);
      }),
    );

  sub(wallet, 'lock', 'lock an encrypted wallet now').action(
    run(async (s) => {
      const result = await s.wallet('walletlock');
      s.print(result, () => `Wallet "${s.walletName}" locked.`);
    }),
  );

  sub(wallet, 'encrypt', 'encrypt an unencrypted wallet (passphrase typed twice, or from a file)')
    .option('--passphrase-file <file>', 'read the new passphrase from this file')
    .action(
      run(async (s, opts: { passphraseFile?: string }) => {
        let passphrase: string;
        if (opts.passphraseFile !== undefined) passphrase = readPassphraseFile(opts.passphraseFile);
        else if (canPrompt()) passphrase = await promptNewPassphrase(`wallet "${s.walletName}"`);
        else throw new UsageError('no terminal to ask for a passphrase: use --passphrase-file <file>');
        const result = await s.wallet('encryptwallet', [passphrase]);
        s.print(result, () => `Wallet "${s.walletName}" encrypted and locked.`);
      }),
    );

  registerWalletToolCommands(wallet);
}

function names(result: unknown): string[] {
  return Array.isArray(result) ? result.map(String) : [];
}
