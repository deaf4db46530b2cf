/**
 * A transaction's inputs and outputs with their scripts decoded (asm), script types, addresses and
 * amounts; spent outputs link to the spending transaction.
 */
import type { TxInput, TxOutput } from '../api/types.js';
import { btc, int } from '../format.js';
import { TxLink } from '../components/common.js';
import { Link } from '../router.js';

function Address({ address, type }: { address: string | null; type: string }) {
  return address === null ? (
    <span class="muted">{type}</span>
  ) : (
    <Link class="mono addr" href={`/address/${address}`}>
      {address}
    </Link>
  );
}

export function Inputs({ vin }: { vin: TxInput[] }) {
  return (
    <ol class="io" start={0}>
      {vin.map((input, i) => (
        <li key={i} class="io-item">
          {input.coinbase !== undefined ? (
            <>
              <div class="io-head">
                <span class="badge">coinbase</span>
              </div>
              <div class="script">
                <span class="muted">data</span> <code>{input.coinbase}</code>
              </div>
            </>
          ) : (
            <>
              <div class="io-head">
                {input.prevout !== null && (
                  <Address
                    address={input.prevout.scriptPubKey.address}
                    type={input.prevout.scriptPubKey.type}
                  />
                )}
                <span class="amount">{input.prevout === null ? '' : btc(input.prevout.value)}</span>
              </div>
              <div class="script">
                <span class="muted">spends</span>{' '}
                <TxLink txid={input.txid}>
                  {input.txid}:{input.vout}
                </TxLink>
              </div>
              {input.scriptSig.asm !== '' && (
                <div class="script">
                  <span class="muted">scriptSig</span> <code>{input.scriptSig.asm}</code>
                </div>
              )}
              {input.witness.length > 0 && (
                <div class="script">
                  <span class="muted">witness</span> <code>{input.witness.join(' ')}</code>
                </div>
              )}
            </>
          )}
          <div class="script muted">sequence 0x{input.sequence.toString(16).padStart(8, '0')}</div>
        </li>
      ))}
    </ol>
  );
}

export function Outputs({ vout }: { vout: TxOutput[] }) {
  return (
    <ol class="io" start={0}>
      {vout.map((output) => (
        <li key={output.n} class="io-item" data-vout={output.n}>
          <div class="io-head">
            <Address address={output.scriptPubKey.address} type={output.scriptPubKey.type} />
            <span class="amount">{btc(output.value)}</span>
          </div>
          <div class="script">
            <span class="muted">{output.scriptPubKey.type}</span> <code>{output.scriptPubKey.asm}</code>
          </div>
          {output.spentBy != null && (
            <div class="script">
              <span class="muted">spent by</span>{' '}
              <TxLink txid={output.spentBy.txid}>
                {output.spentBy.txid}:{int(output.spentBy.vin)}
              </TxLink>
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}
