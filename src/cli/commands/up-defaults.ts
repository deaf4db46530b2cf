/**
 * `tally up`'s defaults, shared with `tally wallet` so that the next steps `tally up` prints work as
 * typed: a regtest chain in ./.tally (beside the checkout, like a project's node_modules), bitcoind's
 * regtest RPC port, and a wallet named "default".
 */
export const UP_DEFAULTS = {
  datadir: './.tally',
  network: 'regtest',
  rpcport: 18443,
  wallet: 'default',
  /** 101 blocks: the first coinbase matures after 100 more (COINBASE_MATURITY), so 50 BTC is spendable. */
  initialBlocks: 101,
  /** Seconds a transaction waits in the mempool before `tally up` mines it: long enough to see it unconfirmed. */
  mineIntervalSeconds: 3,
} as const;

/** bitcoind's MAX_SLEEP_TIME: the longest walletpassphrase timeout (about 3 years). */
export const MAX_UNLOCK_SECONDS = 100_000_000;
