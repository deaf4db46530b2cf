/**
 * A small client-side router over the history API: the shareable paths (/block/…, /tx/…,
 * /address/…, /mempool, /blocks) are real URLs the node answers with index.html, and links inside
 * the UI change the page without a reload.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { dropPreloaded } from './preload.js';

const listeners = new Set<(path: string) => void>();

function current(): string {
  return location.pathname;
}

export function navigate(path: string, replace = false): void {
  if (path === current() + location.search) return;
  dropPreloaded();
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.scrollTo(0, 0);
  for (const fn of listeners) fn(current());
}

addEventListener('popstate', () => {
  for (const fn of listeners) fn(current());
});

export function usePath(): string {
  const [path, setPath] = useState(current());
  useEffect(() => {
    listeners.add(setPath);
    return () => listeners.delete(setPath);
  }, []);
  return path;
}

/** Matches `/kind/<param>` and returns the decoded param, or null. */
export function matchParam(path: string, kind: string): string | null {
  const prefix = `/${kind}/`;
  if (!path.startsWith(prefix)) return null;
  const rest = path.slice(prefix.length).replace(/\/$/, '');
  if (rest === '' || rest.includes('/')) return null;
  try {
    return decodeURIComponent(rest);
  } catch {
    return null;
  }
}

interface LinkProps {
  href: string;
  class?: string | undefined;
  title?: string;
  /** Runs before navigating (e.g. to close a notice). */
  onClick?: () => void;
  children?: ComponentChildren;
}

/** An anchor that navigates in-page on a plain click and still works as a normal link otherwise. */
export function Link({ href, children, onClick, ...rest }: LinkProps) {
  const click = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    onClick?.();
    navigate(href);
  };
  return (
    <a href={href} onClick={click} {...rest}>
      {children}
    </a>
  );
}
