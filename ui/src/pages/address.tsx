/**
 * An address (/address/<addr>): balance, received and sent, unconfirmed change, its transactions
 * newest first and its unspent outputs. While the node's address index is still being built the
 * page shows the progress and tries again.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import {
  type Column,
  ErrorBox,
  Fetched,
  Hash,
  Kv,
  Loading,
  Pager,
  Section,
  Table,
  TxLink,
} from '../components/common.js';
import { btc, int, short, signedBtc, utcTime } from '../format.js';
import { useLive } from '../live.js';
import { Link } from '../router.js';
import { useApi, useRenderedMark } from '../use-api.js';

const LIMIT = 25;
/** How often to look again while the address index is building. */
const SYNC_RETRY_MS = 3000;
const TX_COLUMNS: readonly Column[] = [
  ['Txid'],
  ['Block', 'wide-only'],
  ['Change', 'num'],
  ['Time', 'wide-only'],
];
const UTXO_COLUMNS: readonly Column[] = [['Output'], ['Value', 'num'], ['Confirmations', 'num wide-only']];

export function AddressPage({ address }: { address: string }) {
  const info = useApi((s) => api.address(address, s), [address]);
  const [txOffset, setTxOffset] = useState(0);
  const [utxoOffset, setUtxoOffset] = useState(0);
  const txs = useApi((s) => api.addressTxs(address, txOffset, LIMIT, s), [address, txOffset]);
  const utxos = useApi((s) => api.addressUtxos(address, utxoOffset, LIMIT, s), [address, utxoOffset]);
  const reload = () => {
    info.reload();
    txs.reload();
    utxos.reload();
  };
  useLive('block', reload);
  useLive('reorg', reload);
  useLive('resync', reload);
  const syncing = info.error?.code === 'address-index-syncing';
  useEffect(() => {
    if (!syncing) return;
    const t = setTimeout(reload, SYNC_RETRY_MS);
    return () => clearTimeout(t);
  });
  useRenderedMark(info.data !== undefined && txs.data !== undefined);

  if (info.error !== null) {
    return (
      <>
        <h1 class="page-title">Address</h1>
        <p>
          <code class="hash">{address}</code>
        </p>
        <ErrorBox error={info.error} />
        {syncing && <p class="muted">This page will update by itself when the index is ready.</p>}
      </>
    );
  }
  const a = info.data;
  if (a === undefined) return <Loading what={`address ${address}`} />;
  return (
    <>
      <h1 class="page-title">
        Address<span class="badge">{a.type}</span>
      </h1>
      <Section title="Summary">
        <Kv
          rows={[
            ['Address', <Hash key="a" value={a.address} />],
            [
              'Balance',
              <strong key="b" data-testid="address-balance">
                {btc(a.balance)}
              </strong>,
            ],
            ['Received', btc(a.received)],
            ['Sent', btc(a.sent)],
            ['Transactions', int(a.txCount)],
            ['Unspent outputs', int(a.utxoCount)],
            [
              'Unconfirmed',
              a.unconfirmed.txCount === 0
                ? 'none'
                : `${signedBtc(a.unconfirmed.balance)} in ${int(a.unconfirmed.txCount)} tx`,
            ],
            ['Script', <Hash key="s" value={a.scriptPubKey} />],
            ['Indexed to', `#${int(a.index.height)}${a.index.synced ? '' : ' (catching up)'}`],
          ]}
        />
      </Section>
      <Section title={`Transactions (${int(a.txCount)})`} id="address-txs">
        <Fetched data={txs.data} error={txs.error} loading="transactions">
          {(page) => (
            <>
              <Table columns={TX_COLUMNS}>
                {page.items.map((t) => (
                  <tr key={t.txid}>
                    <td>
                      <TxLink txid={t.txid}>{short(t.txid, 8)}</TxLink>
                    </td>
                    <td class="wide-only">
                      {t.height === null ? (
                        'mempool'
                      ) : (
                        <Link href={`/block/${t.height}`}>#{int(t.height)}</Link>
                      )}
                    </td>
                    <td class={`num ${t.delta < 0 ? 'neg' : 'pos'}`}>{signedBtc(t.delta)}</td>
                    <td class="wide-only">{t.time === null ? '—' : utcTime(t.time)}</td>
                  </tr>
                ))}
              </Table>
              <Pager offset={txOffset} limit={LIMIT} next={page.next} onPage={setTxOffset} />
            </>
          )}
        </Fetched>
      </Section>
      <Section title={`Unspent outputs (${int(a.utxoCount)})`} id="address-utxos">
        {utxos.error !== null && <ErrorBox error={utxos.error} />}
        {utxos.data !== undefined && (
          <>
            <Table columns={UTXO_COLUMNS}>
              {utxos.data.items.map((u) => (
                <tr key={`${u.txid}:${u.vout}`}>
                  <td>
                    <TxLink txid={u.txid}>
                      {short(u.txid, 8)}:{u.vout}
                    </TxLink>
                    {u.spentBy !== null && (
                      <div class="muted">
                        being spent by <TxLink txid={u.spentBy.txid}>{short(u.spentBy.txid, 8)}</TxLink>{' '}
                        (unconfirmed)
                      </div>
                    )}
                  </td>
                  <td class="num">{btc(u.value)}</td>
                  <td class="num wide-only">{int(u.confirmations)}</td>
                </tr>
              ))}
            </Table>
            <Pager offset={utxoOffset} limit={LIMIT} next={utxos.data.next} onPage={setUtxoOffset} />
          </>
        )}
      </Section>
    </>
  );
}
