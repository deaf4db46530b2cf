/**
 * The mempool: size, fee-rate spread, a fee-rate histogram (vsize per fee-rate band, drawn with
 * plain CSS bars) and the transactions paying the most per vbyte. Refreshed on `tx` events, at
 * most every 2 s, and on every block.
 */
import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { type Column, Fetched, Kv, Section, Table, TxLink } from '../components/common.js';
import { btc, bytes, feeRate, int, short, vbytes } from '../format.js';
import { throttle, useLive } from '../live.js';
import { useApi, useRenderedMark } from '../use-api.js';

const REFRESH_MS = 2000;
const TX_COLUMNS: readonly Column[] = [
  ['Txid'],
  ['Fee rate', 'num'],
  ['Fee', 'num wide-only'],
  ['Size', 'num wide-only'],
];

export function MempoolPage() {
  const summary = useApi((s) => api.mempool(s), []);
  const txs = useApi((s) => api.mempoolTxs(50, s), []);
  const [refresh] = useState(() =>
    throttle(() => {
      summary.reload();
      txs.reload();
    }, REFRESH_MS),
  );
  useLive('tx', refresh);
  useLive('block', refresh);
  useLive('reorg', refresh);
  useLive('resync', refresh);
  useRenderedMark(summary.data !== undefined && txs.data !== undefined);

  const maxVsize = Math.max(1, ...(summary.data?.histogram ?? []).map(([, v]) => v));
  return (
    <>
      <h1 class="page-title">Mempool</h1>
      <Fetched data={summary.data} error={summary.error} loading="the mempool">
        {(m) => (
          <div class="grid two">
            <Section title="Summary">
              <Kv
                rows={[
                  [
                    'Transactions',
                    <span key="c" data-testid="mempool-count">
                      {int(m.count)}
                    </span>,
                  ],
                  ['Size', `${vbytes(m.vsize)} (${bytes(m.bytes)})`],
                  ['Total fees', btc(m.totalFee)],
                  ['Lowest fee rate', feeRate(m.count > 0 ? m.feeRates.min : null)],
                  ['Median fee rate', feeRate(m.count > 0 ? m.feeRates.p50 : null)],
                  ['Highest fee rate', feeRate(m.count > 0 ? m.feeRates.max : null)],
                ]}
              />
            </Section>
            <Section title="Fee rates">
              {m.histogram.length === 0 ? (
                <p class="muted">Empty.</p>
              ) : (
                <ul class="histogram">
                  {m.histogram.map(([rate, vsize]) => (
                    <li key={rate}>
                      <span class="h-label">≥ {feeRate(rate)}</span>
                      <span class="h-bar" style={{ width: `${(100 * vsize) / maxVsize}%` }} />
                      <span class="h-value">{vbytes(vsize)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
          </div>
        )}
      </Fetched>
      <Section title="Highest fee rate first">
        <Fetched data={txs.data} error={txs.error} loading="transactions">
          {(page) =>
            page.items.length === 0 ? (
              <p class="muted">No transactions are waiting.</p>
            ) : (
              <Table columns={TX_COLUMNS}>
                {page.items.map((t) => (
                  <tr key={t.txid}>
                    <td>
                      <TxLink txid={t.txid}>{short(t.txid, 10)}</TxLink>
                    </td>
                    <td class="num">{feeRate(t.feeRate)}</td>
                    <td class="num wide-only">{btc(t.fee)}</td>
                    <td class="num wide-only">{vbytes(t.vsize)}</td>
                  </tr>
                ))}
              </Table>
            )
          }
        </Fetched>
      </Section>
    </>
  );
}
