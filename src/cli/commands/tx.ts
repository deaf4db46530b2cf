import type { Command } from 'commander';
import { DecodeError } from '../../encoding/errors.js';
import { fromHex } from '../../encoding/hex.js';
import { Transaction } from '../../primitives/transaction.js';
import { transactionJson } from '../../rpc/json/transaction.js';
import { UsageError } from '../errors.js';
import { networkFromOption } from '../network-option.js';

export function registerTxCommands(program: Command): void {
  const tx = program.command('tx').description('inspect transactions');
  tx.command('decode')
    .description('decode a raw transaction (hex) into JSON shaped like bitcoind decoderawtransaction')
    .argument('<hex>', 'serialized transaction in hex')
    .option('--network <name>', 'main, testnet or regtest (for addresses)', 'main')
    .action((hex: string, opts: { network: string }) => {
      const params = networkFromOption(opts.network);
      let decoded: Transaction;
      try {
        decoded = Transaction.decode(fromHex(hex.trim()));
      } catch (err) {
        if (err instanceof DecodeError) throw new UsageError(`TX decode failed: ${err.message}`);
        throw err;
      }
      process.stdout.write(`${JSON.stringify(transactionJson(decoded, params.addressPrefixes), null, 2)}\n`);
    });
}
