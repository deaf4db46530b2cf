import { resolve } from 'node:path';
import { UP_DEFAULTS } from './up-defaults.js';

export interface NextStepsInput {
  /** The data directory as resolved (absolute). */
  readonly datadir: string;
  readonly rpcPort: number;
  readonly height: number;
  /** Spendable balance of the default wallet, in BTC as the RPC gave it. */
  readonly balance: string;
  /** Whether the default wallet is encrypted (a wallet made by hand may not be). */
  readonly encrypted: boolean;
  readonly cookieFile: string;
  /** The explorer's address when it answers, undefined when it is off or not in this build. */
  readonly explorerUrl?: string;
  /** The directory commands are typed in (default: this process's). */
  readonly cwd?: string;
}

/** The heading the next steps start with (tests wait for it). */
export const NEXT_STEPS_HEADING = 'Next steps';

/**
 * What `tally up` prints once the chain is ready: where things are, and commands to copy into
 * another terminal. Flags are added only where they differ from `tally wallet`'s defaults (which are
 * `tally up`'s), so the common case reads as the README shows it.
 */
export function formatNextSteps(o: NextStepsInput): string {
  const cwd = o.cwd ?? process.cwd();
  const flags: string[] = [];
  if (resolve(cwd, UP_DEFAULTS.datadir) !== o.datadir) flags.push(`--datadir ${shellWord(o.datadir)}`);
  if (o.rpcPort !== UP_DEFAULTS.rpcport) flags.push(`--rpcport ${o.rpcPort}`);
  const f = flags.length === 0 ? '' : ` ${flags.join(' ')}`;
  const rpcFlags = `--network regtest --datadir ${shellWord(o.datadir)}${o.rpcPort === UP_DEFAULTS.rpcport ? '' : ` --rpcport ${o.rpcPort}`}`;
  const steps: [string, string][] = [
    [`npx tally wallet balance${f}`, 'what "default" can spend'],
    [`npx tally wallet create bob${f}`, 'a second wallet (asks for a passphrase)'],
    [`npx tally wallet -w bob address${f}`, "bob's receiving address"],
    [`npx tally wallet send <address> 1.5${f}`, 'pay bob 1.5 BTC from "default"'],
    [`npx tally wallet tx <txid>${f}`, 'watch its confirmations rise'],
    [`npx tally wallet -w bob balance${f}`, "bob's side"],
    [`npx tally rpc ${rpcFlags} getblockcount`, 'any bitcoind RPC'],
  ];
  const width = Math.max(...steps.map(([cmd]) => cmd.length));
  const lines = [
    '',
    `Tally is up: a regtest chain at height ${o.height}, data in ${o.datadir}`,
    `  JSON-RPC  127.0.0.1:${o.rpcPort} (cookie ${o.cookieFile})`,
    `  Wallet    "default": ${o.balance} BTC spendable, ${o.encrypted ? 'encrypted on disk, unlocked while tally up runs' : 'not encrypted'}`,
    o.explorerUrl === undefined ? undefined : `  Explorer  ${o.explorerUrl}`,
    '',
    `${NEXT_STEPS_HEADING} (in another terminal, in this directory):`,
    ...steps.map(([cmd, why]) => `  ${cmd.padEnd(width)}  # ${why}`),
    '',
    'A block is mined once a transaction has waited a few seconds. Ctrl-C stops the chain; tally up resumes it.',
  ];
  return lines.filter((l) => l !== undefined).join('\n');
}

/** Quotes a path for a POSIX shell only when it needs it. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
