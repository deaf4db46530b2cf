/**
 * One transaction (/tx/<txid>): status and confirmations, fee, size and weight, inputs and
 * outputs, and, once confirmed, its Merkle proof drawn and verified in the browser.
 */
import { api } from '../api/client.js';
import { ErrorBox, Hash, Kv, Loading, Section } from '../components/common.js';
import { loadCheckedProof, ProofView } from '../components/proof-view.js';
import { btc, feeRate, int, utcTime } from '../format.js';
import { useLive } from '../live.js';
import { Link } from '../router.js';
import { Inputs, Outputs } from './tx-io.js';
import { useApi, useRenderedMark } from '../use-api.js';

export function TxPage({ txid }: { txid: string }) {
  const tx = useApi((s) => api.tx(txid, s), [txid]);
  // Requested beside the tx (not after it renders): the proof and its checks are on the critical
  // path of the page's first render.
  const proof = useApi((s) => loadCheckedProof(txid, s), [txid]);
  const reload = () => {
    tx.reload();
    proof.reload();
  };
  useLive('block', reload);
  useLive('reorg', reload);
  useLive('resync', reload);

  const t = tx.data;
  const confirmed = t?.status.confirmed === true;
  // A confirmed tx counts as rendered once its proof is checked too.
  useRenderedMark(t !== undefined && (!confirmed || proof.data != null || proof.error !== null));
  if (tx.error !== null) return <ErrorBox error={tx.error} what={`Transaction ${txid}`} />;
  if (t === undefined) return <Loading what={`transaction ${txid}`} />;
  const st = t.status;
  const totalOut = t.vout.reduce((sum, o) => sum + o.value, 0);
  return (
    <>
      <h1 class="page-title">
        Transaction
        {t.coinbase && <span class="badge">coinbase</span>}
        <span class={`badge ${confirmed ? 'ok' : 'warn'}`} data-testid="tx-status">
          {confirmed
            ? `${int(st.confirmations)} confirmation${st.confirmations === 1 ? '' : 's'}`
            : 'unconfirmed'}
        </span>
      </h1>
      <Section title="Summary">
        <Kv
          rows={[
            ['Txid', <Hash key="t" value={t.txid} />],
            ['Wtxid', <Hash key="w" value={t.wtxid} />],
            [
              'Status',
              confirmed && st.blockHash !== undefined ? (
                <span key="s">
                  in block <Link href={`/block/${st.blockHash}`}>#{int(st.height ?? 0)}</Link> at position{' '}
                  {int(st.index ?? 0)}
                  {st.time !== undefined && `, ${utcTime(st.time)}`}
                </span>
              ) : (
                'in the mempool, waiting for a block'
              ),
            ],
            ['Fee', t.fee === null ? 'none (coinbase)' : `${btc(t.fee)} (${feeRate(t.feeRate)})`],
            ['Output total', btc(totalOut)],
            ['Size', `${int(t.size)} B, ${int(t.vsize)} vB, ${int(t.weight)} WU`],
            ['Version', String(t.version)],
            ['Locktime', int(t.locktime)],
          ]}
        />
      </Section>
      <div class="grid two">
        <Section title={`Inputs (${t.vin.length})`} id="inputs">
          <Inputs vin={t.vin} />
        </Section>
        <Section title={`Outputs (${t.vout.length})`} id="outputs">
          <Outputs vout={t.vout} />
        </Section>
      </div>
      {confirmed && <ProofView checked={proof.data === null ? undefined : proof.data} error={proof.error} />}
    </>
  );
}
