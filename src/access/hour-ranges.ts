/** A range of the day in Asia/Jakarta, [start, end) in minutes; it may wrap past midnight. */
export interface HourRange {
  readonly startMinute: number;
  readonly endMinute: number;
  readonly text: string;
}

const JAKARTA_OFFSET_MS = 7 * 3600_000;
const DAY_MINUTES = 24 * 60;

function minuteOf(hhmm: string, allow24: boolean): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (m === null) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && (min !== 0 || !allow24))) return undefined;
  return h * 60 + min;
}

/** `02:00-03:00`; `22:00-02:00` wraps midnight; `00:00-24:00` is the whole day. Start = end is refused. */
export function parseHourRange(text: string): HourRange | undefined {
  const parts = text.trim().split('-');
  if (parts.length !== 2) return undefined;
  const startMinute = minuteOf(parts[0]!.trim(), false);
  const endMinute = minuteOf(parts[1]!.trim(), true);
  if (startMinute === undefined || endMinute === undefined || startMinute === endMinute) return undefined;
  return { startMinute, endMinute, text: text.trim() };
}

/**
 * Minute of the day on the Asia/Jakarta clock. WIB is UTC+7 all year (no daylight saving),
 * so a fixed offset is exact and the host's TZ never matters.
 */
export function jakartaMinuteOfDay(epochMs: number): number {
  const ms = (((epochMs + JAKARTA_OFFSET_MS) % 86_400_000) + 86_400_000) % 86_400_000;
  return Math.floor(ms / 60_000);
}

export function inHourRange(range: HourRange, minute: number): boolean {
  const end = range.endMinute === DAY_MINUTES ? DAY_MINUTES : range.endMinute;
  if (range.startMinute < end) return minute >= range.startMinute && minute < end;
  return minute >= range.startMinute || minute < end;
}
