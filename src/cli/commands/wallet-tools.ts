import type { Command } from 'commander';
import { convertParam } from '../../rpc/client.js';
import { UsageError } from '../errors.js';
import { btc, fields, formatHistory, isObject, num, table } from './wallet-format.js';
import { run, sub } from './wallet-session.js';

/**
 * The `tally wallet` commands a back office uses beyond paying and receiving: backups, proof of
 * address ownership (signed messages), fee bumps, the descriptors to audit or watch elsewhere, and
 * polling for payments since the last check. Each is one bitcoind RPC with output for people.
 */
export function registerWalletToolCommands(wallet: Command): void {
  sub(wallet, 'backup <file>', 'write a backup of the wallet to <file> (keys stay encrypted)').action(
    run(async (s, file: string) => {
      const result = await s.wallet('backupwallet', [file]);
      s.print(result, () => `Backed up wallet "${s.walletName}" to ${file}.`);
    }),
  );

  sub(wallet, 'restore <name> <file>', 'create wallet <name> from a backup file and load it').action(
    run(async (s, name: string, file: string) => {
      const result = await s.node('restorewallet', [name, file]);
      s.print(result, () => `Restored wallet "${name}" from ${file}.`);
    }),
  );

  sub(wallet, 'sign-message <address> <message>', 'prove you control a legacy (P2PKH) address').action(
    run(async (s, address: string, message: string) => {
      const signature = await s.wallet('signmessage', [address, message]);
      s.print(signature, (sig) =>
        fields([
          ['Address', address],
          ['Message', JSON.stringify(message)],
          ['Signature', String(sig)],
          ['Check it', `tally wallet verify-message ${address} ${String(sig)} ${JSON.stringify(message)}`],
        ]),
      );
    }),
  );

  sub(wallet, 'verify-message <address> <signature> <message>', 'check a signed message').action(
    run(async (s, address: string, signature: string, message: string) => {
      const valid = await s.node('verifymessage', [address, signature, message]);
      s.print(valid, (v) =>
        v === true
          ? `Valid: the holder of ${address} signed this message.`
          : `NOT valid for ${address}: the signature, address or message differ.`,
      );
      if (valid !== true) process.exitCode = 1;
    }),
  );

  sub(wallet, 'bump <txid>', 'raise the fee of an unconfirmed payment (BIP125 replacement)')
    .option('--fee-rate <sat/vB>', 'the new fee rate (default: estimated)')
    .action(
      run(async (s, txid: string, opts: { feeRate?: string }) => {
        const options = opts.feeRate === undefined ? {} : { fee_rate: convertParam(opts.feeRate, false) };
        const result = await s.wallet('bumpfee', [txid, options]);
        s.print(result, (r) => {
          if (!isObject(r)) return String(r);
          return fields([
            ['Replacement', String(r.txid)],
            ['Fee', `${btc(r.origfee)} -> ${btc(r.fee)}`],
            ['Replaces', txid],
          ]);
        });
      }),
    );

  sub(wallet, 'descriptors', 'the output descriptors the wallet derives its addresses from')
    .option('--private', 'include private keys (the wallet must be unlocked)')
    .action(
      run(async (s, opts: { private?: boolean }) => {
        const result = await s.wallet('listdescriptors', opts.private === true ? [true] : []);
        s.print(result, (r) => {
          const list = isObject(r) && Array.isArray(r.descriptors) ? r.descriptors.filter(isObject) : [];
          if (list.length === 0) return 'No descriptors.';
          return table(
            [
              { title: 'Active' },
              { title: 'Chain' },
              { title: 'Next', right: true },
              { title: 'Descriptor' },
            ],
            list.map((d) => [
              d.active === true ? 'yes' : 'no',
              d.internal === true ? 'change' : d.internal === false ? 'receive' : '',
              d.next_index !== undefined ? String(num(d.next_index)) : '',
              String(d.desc),
            ]),
          );
        });
      }),
    );

  sub(wallet, 'since [blockhash]', 'payments in blocks after <blockhash> (all without), and unconfirmed ones')
    .option('--confirmations <n>', 'lastblock is this many confirmations deep', '1')
    .action(
      run(async (s, blockhash: string | undefined, opts: { confirmations: string }) => {
        const target = Number(opts.confirmations);
        if (!Number.isInteger(target) || target < 1)
          throw new UsageError(`invalid --confirmations '${opts.confirmations}'`);
        const result = await s.wallet('listsinceblock', [blockhash ?? '', target, false, true]);
        s.print(result, (r) => {
          if (!isObject(r)) return String(r);
          const removed = Array.isArray(r.removed) ? r.removed : [];
          const w = s.walletName === 'default' ? '' : ` -w ${s.walletName}`;
          return [
            formatHistory(r.transactions),
            ...(removed.length > 0
              ? ['', 'No longer in the chain (reorganised out):', formatHistory(removed)]
              : []),
            '',
            `Next time: tally wallet${w} since ${String(r.lastblock)}`,
          ].join('\n');
        });
      }),
    );
}
