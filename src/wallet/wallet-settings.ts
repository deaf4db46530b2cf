import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from './keystore/atomic-file.js';

/**
 * `<networkDir>/settings.json`, Core's read-write settings file: its `wallet` entry lists the
 * wallets to load at start-up (createwallet/loadwallet load_on_startup). Other entries are kept.
 */
export class WalletSettings {
  constructor(readonly path: string) {}

  #read(): Record<string, unknown> {
    if (!existsSync(this.path)) return {};
    const parsed: unknown = JSON.parse(readFileSync(this.path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  }

  /** Wallet names to load at start-up. */
  startupWallets(): string[] {
    const w = this.#read().wallet;
    if (typeof w === 'string') return [w];
    return Array.isArray(w) ? w.filter((x): x is string => typeof x === 'string') : [];
  }

  /** Adds or removes `name` from the start-up list (Core's UpdateWalletSetting). */
  async setStartup(name: string, load: boolean): Promise<void> {
    const settings = this.#read();
    const names = this.startupWallets().filter((n) => n !== name);
    if (load) names.push(name);
    settings.wallet = names;
    await writeFileAtomic(
      this.path,
      new Uint8Array(Buffer.from(`${JSON.stringify(settings, null, 2)}\n`, 'utf8')),
    );
  }
}
