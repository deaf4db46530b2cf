/**
 * Small building blocks every page uses: key/value lists, hash and transaction links, tables,
 * errors, loading, paging.
 */
import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api/client.js';
import { Link } from '../router.js';

export function Kv({ rows }: { rows: [string, ComponentChildren][] }) {
  return (
    <dl class="kv">
      {rows.map(([k, v]) => (
        <div class="kv-row" key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A hash in monospace that wraps on small screens, optionally a link. */
export function Hash({ value, href }: { value: string; href?: string }) {
  return href === undefined ? (
    <code class="hash">{value}</code>
  ) : (
    <Link class="hash" href={href}>
      {value}
    </Link>
  );
}

/** A link to a transaction's page, labelled by the caller (a short txid, or txid:vout). */
export function TxLink({ txid, children }: { txid: string; children: ComponentChildren }) {
  return (
    <Link class="mono" href={`/tx/${txid}`}>
      {children}
    </Link>
  );
}

/** A column heading and the class of its cells: `num` aligns right, `wide-only` hides on phones. */
export type Column = readonly [label: string, className?: string];

/** A table that scrolls sideways on its own when too wide, so the page never does. */
export function Table({
  columns,
  class: className,
  children,
}: {
  columns: readonly Column[];
  class?: string;
  children: ComponentChildren;
}) {
  return (
    <div class="table-wrap">
      <table class={className}>
        <thead>
          <tr>
            {columns.map(([label, cls]) => (
              <th key={label} class={cls}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function ErrorBox({ error, what }: { error: ApiError; what?: string }) {
  return (
    <div class="error" role="alert" data-error-code={error.code}>
      {what !== undefined && <strong>{what}: </strong>}
      {error.message}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return <p class="loading">Loading {what}…</p>;
}

/**
 * One API answer on a page: its error inline, "Loading <loading>…" until the first answer, then
 * `children` with the data. A failed reload keeps the old data on screen under the error.
 */
export function Fetched<T>({
  data,
  error,
  loading,
  errorLabel,
  children,
}: {
  data: T | undefined;
  error: ApiError | null;
  loading: string;
  /** What failed, in front of the error's message. */
  errorLabel?: string;
  children: (data: T) => ComponentChildren;
}) {
  return (
    <>
      {error !== null && <ErrorBox error={error} what={errorLabel} />}
      {data === undefined ? error === null && <Loading what={loading} /> : children(data)}
    </>
  );
}

export function Section({
  title,
  children,
  id,
}: {
  title: string;
  children: ComponentChildren;
  id?: string;
}) {
  return (
    <section class="card" id={id}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function Pager({
  offset,
  limit,
  next,
  onPage,
}: {
  offset: number;
  limit: number;
  next: number | null;
  onPage: (offset: number) => void;
}) {
  if (offset === 0 && next === null) return null;
  return (
    <div class="pager">
      <button type="button" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))}>
        ← Previous
      </button>
      <button type="button" disabled={next === null} onClick={() => next !== null && onPage(next)}>
        Next →
      </button>
    </div>
  );
}
