import { formatJakarta } from '../snap/timestamp';

/** `YYYY-MM-DD HH:MM:SS` on the Jakarta clock: the legacy date format (spec §6.1). */
export function legacyDate(epochMs: number): string {
  return formatJakarta(epochMs).slice(0, 19).replace('T', ' ');
}

/**
 * The legacy JSON acknowledgement of spec §6.1: `response_code` "00" tells Faspay the
 * notification is taken; anything else makes it resend. `echo` carries the identifying
 * fields of the notification (trx_id, merchant_id, bill_no, member_id) back.
 */
export function legacyAck(response: string, echo: Readonly<Record<string, string | undefined>>, code: string, desc: string, nowMs: number): string {
  return JSON.stringify(legacyAckFields(response, echo, code, desc, nowMs));
}

/** The acknowledgement's fields in their order, for either encoding (JSON or XML). */
export function legacyAckFields(response: string, echo: Readonly<Record<string, string | undefined>>, code: string, desc: string, nowMs: number): Record<string, string> {
  const body: Record<string, string> = { response };
  for (const [k, v] of Object.entries(echo)) if (v !== undefined) body[k] = v;
  body.response_code = code;
  body.response_desc = desc;
  body.response_date = legacyDate(nowMs);
  return body;
}
