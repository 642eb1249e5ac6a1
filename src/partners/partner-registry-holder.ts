import { unwatchFile, watchFile } from 'node:fs';
import type { Logger } from 'winston';
import type { PartnerRegistry } from './partner';
import { PartnersFileError } from './load-partners';

export type ReloadTrigger = 'sighup' | 'file-change' | 'manual';

export interface ReloadResult {
  readonly ok: boolean;
  readonly problems?: readonly string[];
}

/**
 * Holds the registry in force. A reload builds a whole new registry and swaps one reference:
 * a request in flight keeps the registry it started with, and a broken file leaves the old
 * one in force (logged and counted), so a typo never takes the service down.
 */
export class PartnerRegistryHolder {
  private current: PartnerRegistry;
  private watching: string | undefined;

  constructor(
    initial: PartnerRegistry,
    private readonly load: (() => PartnerRegistry) | undefined,
    private readonly logger: Logger,
    private readonly onReload?: (outcome: 'ok' | 'failed') => void,
  ) {
    this.current = initial;
  }

  get(): PartnerRegistry {
    return this.current;
  }

  reload(trigger: ReloadTrigger): ReloadResult {
    if (this.load === undefined) {
      this.logger.info('partner registry reload skipped: no PARTNERS_FILE (env settings apply until restart)', { trigger });
      return { ok: true };
    }
    try {
      const next = this.load();
      this.current = next;
      this.onReload?.('ok');
      this.logger.info('partner registry reloaded', { trigger, source: next.source, partners: next.partners.map((p) => p.name) });
      return { ok: true };
    } catch (e) {
      const problems = e instanceof PartnersFileError ? e.problems : [(e as Error).message];
      this.onReload?.('failed');
      this.logger.error('partner registry reload failed: the previous registry stays in force', { trigger, problems });
      return { ok: false, problems };
    }
  }

  /** Polls the file's mtime and size (robust to the symlink swap of a Kubernetes ConfigMap). */
  watch(file: string, intervalMs = 1_000): void {
    this.watching = file;
    watchFile(file, { interval: intervalMs, persistent: false }, (cur, prev) => {
      if (cur.mtimeMs !== prev.mtimeMs || cur.size !== prev.size || cur.ino !== prev.ino) this.reload('file-change');
    });
  }

  stop(): void {
    if (this.watching !== undefined) unwatchFile(this.watching);
    this.watching = undefined;
  }
}
