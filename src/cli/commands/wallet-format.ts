import { formatBtc } from '../../rpc/json/amount.js';
import { RawNumber } from '../../rpc/json/parse.js';

/**
 * Human output for `tally wallet`: aligned tables, BTC amounts with 8 decimals (as bitcoind writes
 * them, so a figure can be compared with `--json` output), confirmations in words. Input is the
 * RPC result as RpcClient parsed it (numbers kept as RawNumber text), in bitcoind's JSON shapes.
 */

export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RawNumber)
  );
}

/** A JSON number (RawNumber from the client, or a plain number) as a JS number; NaN otherwise. */
export function num(value: unknown): number {
  if (value instanceof RawNumber) return Number(value.text);
  if (typeof value === 'number') return value;
  return Number.NaN;
}

/** A BTC amount in satoshis, exact from the number's text (no binary floating point on the way). */
export function amountSats(value: unknown): number {
  const text = value instanceof RawNumber ? value.text : typeof value === 'number' ? String(value) : '';
  const m = /^(-?)(\d+)(?:\.(\d{1,8}))?$/.exec(text);
  if (m === null) return Math.round(num(value) * 1e8);
  const sats = Number(m[2]) * 1e8 + Number((m[3] ?? '').padEnd(8, '0'));
  return m[1] === '-' ? -sats : sats;
}

/** "1.50000000 BTC"; with `signed`, "+1.50000000 BTC" for incoming amounts. */
export function btc(value: unknown, signed = false): string {
  const sats = amountSats(value);
  if (Number.isNaN(sats)) return '?';
  return `${signed && sats > 0 ? '+' : ''}${formatBtc(sats)} BTC`;
}

/** bitcoind's confirmation count in words: negative means the transaction conflicts with the chain. */
export function confirmations(value: unknown): string {
  const n = num(value);
  if (Number.isNaN(n)) return '?';
  if (n < 0) return 'conflicted';
  if (n === 0) return 'unconfirmed';
  return n === 1 ? '1 confirmation' : `${n} confirmations`;
}

/** Unix seconds as UTC "YYYY-MM-DD HH:MM:SS". */
export function time(value: unknown): string {
  const s = num(value);
  if (!Number.isFinite(s)) return '?';
  return new Date(s * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof RawNumber) return value.text;
  return String(value);
}

export interface Column {
  readonly title: string;
  /** Numbers and amounts read best right-aligned. */
  readonly right?: boolean;
}

/** Columns padded to their widest cell, two spaces apart, without trailing spaces. */
export function table(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        const width = widths[i] ?? 0;
        return c.right === true ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), ...rows.map(line)].join('\n');
}

/** `label: value` lines with the values aligned; undefined values are left out. */
export function fields(pairs: readonly (readonly [string, string | undefined])[]): string {
  const present = pairs.filter((p): p is readonly [string, string] => p[1] !== undefined);
  const width = Math.max(0, ...present.map(([k]) => k.length + 1));
  return present.map(([k, v]) => `${`${k}:`.padEnd(width)}  ${v}`).join('\n');
}

/** getbalances: what can be spent now, what waits for confirmations, what is immature coinbase. */
export function formatBalances(result: unknown): string {
  const mine = isObject(result) && isObject(result.mine) ? result.mine : {};
  return fields([
    ['Spendable', btc(mine.trusted)],
    ['Pending', btc(mine.untrusted_pending)],
    ['Immature', btc(mine.immature)],
  ]);
}

/**
 * getwalletinfo, with getbalances for the amounts (bitcoind deprecated and then dropped getwalletinfo's
 * balance fields; they are used only when getbalances is not given). `unlocked_until` is absent for an
 * unencrypted wallet and 0 when it is locked.
 */
export function formatWalletInfo(info: unknown, balances?: unknown): string {
  if (!isObject(info)) return text(info);
  const mine = isObject(balances) && isObject(balances.mine) ? balances.mine : undefined;
  const amount = (fromBalances: unknown, legacy: unknown) => {
    const value = mine !== undefined ? fromBalances : legacy;
    return value === undefined ? undefined : btc(value);
  };
  return fields([
    ['Wallet', text(info.walletname)],
    ['Encryption', encryptionState(info)],
    ['Spendable', amount(mine?.trusted, info.balance)],
    ['Pending', amount(mine?.untrusted_pending, info.unconfirmed_balance)],
    ['Immature', amount(mine?.immature, info.immature_balance)],
    ['Transactions', text(info.txcount)],
    ['Keypool', info.keypoolsize === undefined ? undefined : text(info.keypoolsize)],
    ['Private keys', info.private_keys_enabled === false ? 'disabled (watch-only)' : undefined],
  ]);
}

function encryptionState(info: JsonObject): string {
  if (info.unlocked_until === undefined) return 'not encrypted';
  const until = num(info.unlocked_until);
  return until === 0 ? 'encrypted, locked' : `encrypted, unlocked until ${time(until)} UTC`;
}

/** gettransaction: the totals, where it is in the chain, and one line per wallet output touched. */
export function formatTransaction(tx: unknown): string {
  if (!isObject(tx)) return text(tx);
  const confs = num(tx.confirmations);
  let status = confirmations(tx.confirmations);
  if (confs === 0) status += ' (in the mempool; a block will confirm it)';
  const head = fields([
    ['Transaction', text(tx.txid)],
    ['Status', status],
    ['Amount', btc(tx.amount, true)],
    ['Fee', tx.fee === undefined ? undefined : btc(tx.fee)],
    ['Block', tx.blockhash === undefined ? undefined : `${text(tx.blockheight)} (${text(tx.blockhash)})`],
    ['Time', tx.time === undefined ? undefined : `${time(tx.time)} UTC`],
  ]);
  const details = Array.isArray(tx.details) ? tx.details.filter(isObject) : [];
  if (details.length === 0) return head;
  const rows = details.map((d) => [text(d.category), btc(d.amount, true), text(d.address), text(d.vout)]);
  const cols: Column[] = [{ title: 'Category' }, { title: 'Amount', right: true }, { title: 'Address' }];
  return `${head}\n\n${table([...cols, { title: 'Vout', right: true }], rows)}`;
}

/** listtransactions (oldest first, as bitcoind returns them). */
export function formatHistory(entries: unknown): string {
  const list = Array.isArray(entries) ? entries.filter(isObject) : [];
  if (list.length === 0) return 'No transactions yet.';
  const rows = list.map((e) => [
    time(e.time),
    text(e.category),
    btc(e.amount, true),
    text(e.confirmations),
    text(e.address),
    text(e.txid),
  ]);
  return table(
    [
      { title: 'Time (UTC)' },
      { title: 'Category' },
      { title: 'Amount', right: true },
      { title: 'Confs', right: true },
      { title: 'Address' },
      { title: 'Txid' },
    ],
    rows,
  );
}

/** listunspent, with the total. */
export function formatUtxos(utxos: unknown): string {
  const list = Array.isArray(utxos) ? utxos.filter(isObject) : [];
  if (list.length === 0) return 'No unspent outputs.';
  const rows = list.map((u) => [
    `${text(u.txid)}:${text(u.vout)}`,
    btc(u.amount),
    text(u.confirmations),
    text(u.address),
  ]);
  const total = list.reduce((sum, u) => sum + amountSats(u.amount), 0);
  const body = table(
    [
      { title: 'Outpoint' },
      { title: 'Amount', right: true },
      { title: 'Confs', right: true },
      { title: 'Address' },
    ],
    rows,
  );
  return `${body}\n\n${list.length} outputs, ${formatBtc(total)} BTC`;
}

/** A row of `tally wallet list`: loaded wallets carry getwalletinfo and getbalances. */
export interface WalletListRow {
  readonly name: string;
  readonly loaded: boolean;
  readonly info?: unknown;
  readonly balances?: unknown;
}

/** listwallets + listwalletdir: every wallet on disk, whether loaded, and loaded wallets' details. */
export function formatWalletList(rows: readonly WalletListRow[]): string {
  if (rows.length === 0) return 'No wallets. Create one: tally wallet create <name>';
  return table(
    [{ title: 'Wallet' }, { title: 'Loaded' }, { title: 'Encryption' }, { title: 'Spendable', right: true }],
    rows.map((r) => {
      const info = isObject(r.info) ? r.info : undefined;
      let encryption = '';
      if (info !== undefined) {
        if (info.unlocked_until === undefined) encryption = 'none';
        else encryption = num(info.unlocked_until) === 0 ? 'locked' : 'unlocked';
      }
      const mine = isObject(r.balances) && isObject(r.balances.mine) ? r.balances.mine : undefined;
      return [
        r.name === '' ? '""' : r.name,
        r.loaded ? 'yes' : 'no',
        encryption,
        mine === undefined ? '' : btc(mine.trusted),
      ];
    }),
  );
}
