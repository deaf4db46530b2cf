/**
 * The proof view on a confirmed transaction's page: "in block N at position i", the Merkle branch
 * drawn from the transaction to the root, every check run here in the browser with ✓/✗, a
 * download of the proof as JSON, and a form to verify any proof file with the same checks.
 */
import { useState } from 'preact/hooks';
import { ApiError, api } from '../api/client.js';
import type { TxProof } from '../api/types.js';
import { int } from '../format.js';
import { preloadsChained } from '../preload.js';
import { type ChainFacts, type ProofVerification, parseProofJson, verifyProof } from '../proof/verify.js';
import { Link } from '../router.js';
import { Fetched, Section } from './common.js';
import { MerkleDrawing } from './merkle-drawing.js';

/** The node's block hashes at the proof's height and the one below (null where it has none). */
export async function chainFactsFor(proof: TxProof, signal?: AbortSignal): Promise<ChainFacts> {
  const hashAt = async (height: number): Promise<string | null> => {
    if (!Number.isInteger(height) || height < 0) return null;
    try {
      return (await api.block(height, signal)).hash;
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return null;
      throw err;
    }
  };
  await preloadsChained();
  const [hashAtHeight, hashBelow] = await Promise.all([hashAt(proof.height), hashAt(proof.height - 1)]);
  return { hashAtHeight, hashBelow };
}

async function checkProof(proof: TxProof, signal?: AbortSignal): Promise<ProofVerification> {
  return verifyProof(proof, await chainFactsFor(proof, signal));
}

export function ProofResult({ proof, result }: { proof: TxProof; result: ProofVerification }) {
  return (
    <div class={`proof-result ${result.ok ? 'valid' : 'invalid'}`} data-valid={String(result.ok)}>
      <p class="verdict" data-testid="proof-verdict">
        {result.ok ? '✓ Proof verified in this browser' : '✗ Proof is INVALID'}
      </p>
      <p>
        Transaction <code class="hash">{proof.txid}</code> in block{' '}
        <Link href={`/block/${proof.height}`}>#{int(proof.height)}</Link> at position {int(proof.index)}
      </p>
      <ul class="checks">
        {result.checks.map((c) => (
          <li key={c.id} class={c.ok ? 'ok' : 'bad'} data-check={c.id} data-ok={String(c.ok)}>
            <span class="mark" aria-hidden="true">
              {c.ok ? '✓' : '✗'}
            </span>
            <span>
              <strong>{c.label}</strong>
              <span class="detail">{c.detail}</span>
            </span>
          </li>
        ))}
      </ul>
      {result.computedRoot !== null && result.headerRoot !== null && (
        <MerkleDrawing
          txid={proof.txid}
          steps={result.steps}
          computedRoot={result.computedRoot}
          headerRoot={result.headerRoot}
          index={proof.index}
        />
      )}
    </div>
  );
}

function download(proof: TxProof): void {
  const blob = new Blob([`${JSON.stringify(proof, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `proof-${proof.txid}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Paste or upload a proof JSON and run the same checks against this node's chain. */
function VerifyFile() {
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<
    { proof: TxProof; result: ProofVerification } | { error: string } | null
  >(null);
  const [busy, setBusy] = useState(false);
  const run = async (json: string) => {
    setBusy(true);
    setOutcome(null); // never leave the previous verdict beside a new proof
    try {
      const parsed = parseProofJson(json);
      if (!parsed.ok) setOutcome({ error: `Not a proof: ${parsed.why}` });
      else setOutcome({ proof: parsed.proof, result: await checkProof(parsed.proof) });
    } catch (err) {
      setOutcome({ error: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };
  const onFile = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file === undefined) return;
    const json = await file.text();
    setText(json);
    await run(json);
  };
  return (
    <details class="verify-file" id="verify-file">
      <summary>Verify a proof file</summary>
      <p>
        Paste a proof (the JSON “Download proof” saves) or choose a file; it is checked against this node.
      </p>
      <textarea
        name="proof-json"
        rows={6}
        value={text}
        spellcheck={false}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        placeholder='{"txid": "…", "blockhash": "…", "height": 0, "index": 0, "header": "…", "branch": []}'
      />
      <div class="row">
        <button type="button" disabled={busy || text.trim() === ''} onClick={() => run(text)}>
          Verify
        </button>
        <input type="file" accept="application/json,.json" aria-label="Proof file" onChange={onFile} />
      </div>
      <div data-testid="verify-file-result">
        {outcome !== null &&
          ('error' in outcome ? (
            <p class="error" role="alert">
              {outcome.error}
            </p>
          ) : (
            <ProofResult proof={outcome.proof} result={outcome.result} />
          ))}
      </div>
    </details>
  );
}

/** A proof with its checks done, or null when the node has none (the tx is not in a block). */
export interface CheckedProof {
  proof: TxProof;
  result: ProofVerification;
}

/**
 * Fetches the transaction's proof and checks it, all in one promise the tx page starts beside its
 * own request (no render between the steps). A 404 means no proof yet: null.
 */
export async function loadCheckedProof(txid: string, signal?: AbortSignal): Promise<CheckedProof | null> {
  let proof: TxProof;
  try {
    proof = await api.proof(txid, signal);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
  return { proof, result: await checkProof(proof, signal) };
}

export function ProofView({ checked, error }: { checked: CheckedProof | undefined; error: ApiError | null }) {
  return (
    <Section title="Merkle proof" id="proof">
      <Fetched data={checked} error={error} loading="the proof" errorLabel="Proof">
        {(checked) => (
          <>
            <p class="proof-where" data-testid="proof-where">
              In block <Link href={`/block/${checked.proof.blockhash}`}>#{int(checked.proof.height)}</Link> at
              position {int(checked.proof.index)}
            </p>
            <ProofResult proof={checked.proof} result={checked.result} />
            <div class="row">
              <button type="button" onClick={() => download(checked.proof)}>
                Download proof
              </button>
            </div>
          </>
        )}
      </Fetched>
      <VerifyFile />
    </Section>
  );
}
