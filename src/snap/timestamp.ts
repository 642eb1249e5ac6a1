const JAKARTA_OFFSET_MS = 7 * 3600_000;

// Extended `2020-12-17T10:55:00+07:00`, with optional fraction and `Z`, and the basic
// form `20201231T235959Z` that Faspay's own samples use (spec §9 #9).
const EXTENDED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;
const BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/** Epoch milliseconds of an ISO-8601 date-time with an explicit offset, or undefined if invalid. */
export function parseIsoDateTime(text: string): number | undefined {
  const m = EXTENDED.exec(text) ?? BASIC.exec(text);
  if (m === null) return undefined;
  // Number() on each group and no Date object: this runs twice per payment (README "Hot-path benchmark")
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  if (d > 28 && new Date(local).getUTCDate() !== d) return undefined; // 31 April and friends
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const zone = m[8]!;
  let offsetMs = 0;
  if (zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(-2));
    if (oh > 14 || om > 59) return undefined;
    offsetMs = (zone[0] === '-' ? -1 : 1) * (oh * 3600_000 + om * 60_000);
  }
  return local + fraction - offsetMs;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `yyyy-MM-ddTHH:mm:ss+07:00`, the form SNAP responses carry (spec §2.4). */
export function formatJakarta(epochMs: number): string {
  const t = new Date(epochMs + JAKARTA_OFFSET_MS);
  return (
    `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}` +
    `T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}+07:00`
  );
}

/** `format` of an instant, computed once per period (periods start `offsetMs` before each multiple of `periodMs`). */
function oncePer(periodMs: number, offsetMs: number, format: (epochMs: number) => string): (epochMs: number) => string {
  let index = Number.NaN;
  let text = '';
  return (epochMs) => {
    const i = Math.floor((epochMs + offsetMs) / periodMs);
    if (i !== index) {
      text = format(epochMs);
      index = i;
    }
    return text;
  };
}

/** `formatJakarta` for response headers (X-TIMESTAMP), formatted once a second. */
export const jakartaStamp = oncePer(1000, 0, formatJakarta);

/** Asia/Jakarta calendar day `YYYYMMDD`: the X-EXTERNAL-ID uniqueness window (spec §2.3); formatted once a day. */
export const jakartaDay = oncePer(86_400_000, JAKARTA_OFFSET_MS, (epochMs) => formatJakarta(epochMs).slice(0, 10).replace(/-/g, ''));
