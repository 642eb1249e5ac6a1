interface Span {
  readonly start: number; // index of the value's first character (a quote for strings)
  readonly end: number; // index after the value
  readonly text: string; // the value's source text, quotes included for strings
}

/** Source spans of the top-level members of a minified JSON object, keyed by raw key text. */
function topLevelSpans(json: string): Map<string, Span> {
  const spans = new Map<string, Span>();
  if (json[0] !== '{') return spans;
  let depth = 0;
  let i = 0;
  let pendingKey: string | undefined;
  let expectKey = false;
  while (i < json.length) {
    const c = json[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < json.length && json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      const text = json.slice(i, j + 1);
      if (depth === 1 && expectKey) {
        pendingKey = text.slice(1, -1);
        expectKey = false;
      } else if (depth === 1 && pendingKey !== undefined) {
        spans.set(pendingKey, { start: i, end: j + 1, text });
        pendingKey = undefined;
      }
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',' && depth === 1) {
      expectKey = true;
      pendingKey = undefined;
    } else if (depth === 1 && pendingKey !== undefined && c !== ':') {
      let j = i;
      while (j < json.length && !',}'.includes(json[j]!)) j++;
      spans.set(pendingKey, { start: i, end: j, text: json.slice(i, j) });
      pendingKey = undefined;
      i = j;
      continue;
    }
    i++;
  }
  return spans;
}

const PAD_WIDTH = 8;

/**
 * Candidate body 3 of spec §1.4/§1.5: the Faspay sandbox signs a body whose
 * partnerServiceId is left-padded with spaces to 8 characters and whose
 * virtualAccountNo is rebuilt as pad8(partnerServiceId) + customerNo, while the body
 * on the wire carries less padding. Only these two ID fields change, so the
 * candidate cannot let anyone alter amounts or other IDs.
 * Returns undefined when the body has no such fields or is already padded.
 */
export function repadIds(minified: string): string | undefined {
  const spans = topLevelSpans(minified);
  const psid = spans.get('partnerServiceId');
  const va = spans.get('virtualAccountNo');
  const customer = spans.get('customerNo');
  if (psid === undefined || va === undefined || customer === undefined) return undefined;
  if (!/^" *\d{1,8}"$/.test(psid.text) || !/^"? *\d{1,20}"?$/.test(customer.text)) return undefined;
  const padded = psid.text.slice(1, -1).trim().padStart(PAD_WIDTH, ' ');
  const customerDigits = customer.text.replace(/[" ]/g, '');
  const edits = [
    { span: psid, text: `"${padded}"` },
    { span: va, text: `"${padded}${customerDigits}"` },
  ].sort((a, b) => b.span.start - a.span.start);
  let out = minified;
  for (const { span, text } of edits) out = out.slice(0, span.start) + text + out.slice(span.end);
  return out === minified ? undefined : out;
}
