import { isJsonObject, parseJson } from '../snap/parse-json';

/**
 * A legacy Debit notification sent to a SNAP URL (spec §6.1, §9 #16: Faspay's sandbox does it):
 * XML with a `<faspay>` root, or JSON whose `request` is "Payment Notification" and that carries
 * a `signature` field (SNAP bodies have neither).
 */
export function isLegacyShape(raw: Buffer, mediaType: string | undefined): boolean {
  const head = raw.subarray(0, 512).toString('utf8').trimStart();
  if (head.startsWith('<')) return /^(<\?xml[^>]*\?>\s*)?<faspay[\s>]/i.test(head);
  if (mediaType === 'application/x-www-form-urlencoded') {
    const p = new URLSearchParams(raw.toString('utf8'));
    return p.get('request') === 'Payment Notification' && p.has('signature');
  }
  // a JSON body names its signature field literally or with a \u escape: without either, it is SNAP (the usual case, and no parse)
  if (!raw.includes('signature') && !raw.includes('\\u')) return false;
  try {
    const v = parseJson(raw.toString('utf8'));
    return isJsonObject(v) && v.request === 'Payment Notification' && typeof v.signature === 'string';
  } catch {
    return false;
  }
}
