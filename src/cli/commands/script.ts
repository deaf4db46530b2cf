import type { Command } from 'commander';
import { DecodeError } from '../../encoding/errors.js';
import { fromHex } from '../../encoding/hex.js';
import { AsmParseError, parseAsm } from '../../script/asm.js';
import { TransactionSignatureChecker } from '../../script/checker.js';
import { buildCreditingTransaction, buildSpendingTransaction } from '../../script/credit-spend.js';
import { scriptErrorMessage } from '../../script/errors.js';
import { parseScriptFlags, scriptFlagNames } from '../../script/flags.js';
import { verifyScript } from '../../script/interpreter.js';
import { PrecomputedTransactionData } from '../../script/precomputed.js';
import { UsageError } from '../errors.js';

/** Mainnet's consensus flags today: what a block may not violate (Core's mandatory flags). */
const DEFAULT_FLAGS = 'P2SH,DERSIG,NULLDUMMY,CHECKLOCKTIMEVERIFY,CHECKSEQUENCEVERIFY,WITNESS,TAPROOT';

interface ScriptVerifyOptions {
  scriptSig: string;
  scriptPubkey: string;
  flags: string;
  witness?: string;
  amount: string;
}

export function registerScriptCommands(program: Command): void {
  const script = program.command('script').description('run scripts through the interpreter');
  script
    .command('verify')
    .description("verify a scriptSig against a scriptPubKey in Bitcoin Core's script_tests context")
    .requiredOption('--script-sig <asm>', 'unlocking script, in Core test asm (e.g. "0x47 0x3044... 1")')
    .requiredOption(
      '--script-pubkey <asm>',
      'locking script, e.g. "DUP HASH160 0x14 0x... EQUALVERIFY CHECKSIG"',
    )
    .option('--flags <list>', 'comma-separated verification flags, or NONE', DEFAULT_FLAGS)
    .option('--witness <hex,...>', 'witness stack items in hex, comma-separated (bottom first)')
    .option('--amount <sats>', 'value of the coin being spent (segwit signatures commit to it)', '0')
    .action((opts: ScriptVerifyOptions) => {
      const scriptSig = asm(opts.scriptSig, '--script-sig');
      const scriptPubKey = asm(opts.scriptPubkey, '--script-pubkey');
      let flags: number;
      try {
        flags = parseScriptFlags(opts.flags);
      } catch (err) {
        throw new UsageError(`--flags: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (!/^\d+$/.test(opts.amount)) throw new UsageError('--amount must be a non-negative integer');
      const amount = Number(opts.amount);
      const witness = parseWitness(opts.witness);
      const credit = buildCreditingTransaction(scriptPubKey, amount);
      const spend = buildSpendingTransaction(scriptSig, witness, credit);
      // The spent output goes in the precomputed data: BIP341 signatures commit to every spent
      // amount and scriptPubKey, so a taproot spend cannot be checked without it.
      const txdata = new PrecomputedTransactionData(spend, [credit.outputs[0]!]);
      const checker = new TransactionSignatureChecker(spend, 0, amount, txdata);
      const error = verifyScript(scriptSig, scriptPubKey, witness, flags, checker);
      const result = {
        valid: error === 'OK',
        error,
        message: scriptErrorMessage(error),
        flags: scriptFlagNames(flags),
      };
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exitCode = result.valid ? 0 : 1;
    });
}

function asm(text: string, option: string): Uint8Array {
  try {
    return parseAsm(text);
  } catch (err) {
    if (err instanceof AsmParseError) throw new UsageError(`${option}: ${err.message}`);
    throw err;
  }
}

function parseWitness(list: string | undefined): Uint8Array[] {
  if (list === undefined || list === '') return [];
  try {
    return list.split(',').map((item) => fromHex(item.trim()));
  } catch (err) {
    if (err instanceof DecodeError) throw new UsageError(`--witness: ${err.message}`);
    throw err;
  }
}
