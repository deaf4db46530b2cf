import { Command, CommanderError } from 'commander';
import { registerBlockCommands } from './commands/block.js';
import { registerNodeCommand } from './commands/node.js';
import { registerScriptCommands } from './commands/script.js';
import { registerTxCommands } from './commands/tx.js';
import { UsageError } from './errors.js';

/**
 * `tally`: one binary for users and for debugging. Each command family registers itself from its own
 * file; this file only wires them and turns errors into exit codes (0 ok, 1 invalid/failed, 2 usage).
 */
const program = new Command('tally')
  .description('Tally: a Bitcoin-exact node and toolkit for payment institutions')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

registerBlockCommands(program);
registerNodeCommand(program);
registerTxCommands(program);
registerScriptCommands(program);
(await import('./commands/rpc.js')).registerRpcCommand(program);
(await import('./commands/proof.js')).registerProofCommands(program);
(await import('./commands/up.js')).registerUpCommand(program);
(await import('./commands/wallet.js')).registerWalletCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof UsageError) {
    process.stderr.write(`tally: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`tally: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
