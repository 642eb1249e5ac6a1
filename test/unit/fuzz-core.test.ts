import fc from 'fast-check';
import { JsonNumber, JsonSyntaxError, isJsonObject, parseJson, toPlain } from '../../src/snap/parse-json';
import { minifyJson } from '../../src/snap/minify-json';
import { readPaymentRequest } from '../../src/snap/payment-request';
import { readInquiryRequest } from '../../src/snap/inquiry-request';
import { SnapFieldError } from '../../src/snap/request-fields';
import { parseIsoDateTime, formatJakarta } from '../../src/snap/timestamp';
import { verifySignature } from '../../src/snap/verify-signature';
import { SignatureError } from '../../src/snap/signature-error';
import { parsePublicKeys } from '../../src/snap/public-keys';
import { makeKeyPair, snapSignature } from '../helpers/signer';

// Property tests of the pure core (README "Proof under faults" → fuzzing). Seeded: a failure prints the
// seed and path, and FUZZ_SEED=<seed> replays it. FUZZ_RUNS raises the count for a long run.
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const params = { seed: SEED, numRuns: RUNS };

/** JSON text with the shapes that break parsers: deep nesting, huge numbers, unicode, escapes. */
const jsonText = fc.oneof(
  fc.json({ depthSize: 'large' }),
  fc.integer({ min: 1, max: 5_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((n) => `{"n":${n},"f":${n}.5e3}`),
  fc.string({ unit: 'grapheme' }).map((s) => JSON.stringify({ customerNo: s, virtualAccountName: s })),
  fc.string({ unit: 'binary' }),
);

describe('fuzzing the pure core', () => {
  it('parseJson either parses or throws JsonSyntaxError, never anything else, and keeps big numbers exact', () => {
    fc.assert(fc.property(jsonText, (text) => {
      let v;
      try {
        v = parseJson(text);
      } catch (e) {
        expect(e).toBeInstanceOf(JsonSyntaxError);
        return;
      }
      toPlain(v); // walks every node
      const big = /^\{"n":(-?\d+),/.exec(text)?.[1];
      if (big !== undefined && isJsonObject(v)) expect((v.n as JsonNumber).raw).toBe(big);
    }), params);
  });

  it('minifyJson never throws, never grows the body, and is idempotent', () => {
    fc.assert(fc.property(fc.oneof(jsonText.map((t) => Buffer.from(t)), fc.uint8Array({ maxLength: 2_000 }).map((a) => Buffer.from(a))), (raw) => {
      const once = minifyJson(raw);
      expect(once.length).toBeLessThanOrEqual(raw.length);
      expect(minifyJson(once).equals(once)).toBe(true);
    }), params);
  });

  it('the request readers accept or refuse with SnapFieldError on any JSON object, with unicode in every field', () => {
    const field = fc.oneof(fc.string({ unit: 'grapheme' }), fc.integer(), fc.double(), fc.constant(null), fc.boolean(), fc.array(fc.string()), fc.dictionary(fc.string(), fc.string()));
    const body = fc.record({
      partnerServiceId: field, customerNo: field, virtualAccountNo: field, inquiryRequestId: field, paymentRequestId: field,
      paidAmount: fc.oneof(field, fc.record({ value: field, currency: field })), trxDateTime: field, channelCode: field,
    }, { requiredKeys: [] });
    fc.assert(fc.property(body, (b) => {
      for (const read of [readPaymentRequest, readInquiryRequest]) {
        try {
          const parsed = parseJson(JSON.stringify(b));
          if (isJsonObject(parsed)) read(parsed);
        } catch (e) {
          expect(e).toBeInstanceOf(SnapFieldError);
        }
      }
    }), params);
  });

  it('parseIsoDateTime answers a number or undefined for any text, and reads back what formatJakarta wrote at every edge', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' })), (s) => {
      const v = parseIsoDateTime(s);
      expect(v === undefined || Number.isFinite(v)).toBe(true);
    }), params);
    const edges = fc.oneof(
      fc.integer({ min: Date.parse('1970-01-01T00:00:00Z'), max: Date.parse('9999-12-31T16:59:59Z') }),
      fc.constantFrom(0, Date.parse('2026-12-31T16:59:59Z'), Date.parse('2026-12-31T17:00:00Z'), Date.parse('2028-02-29T00:00:00+07:00')),
    );
    fc.assert(fc.property(edges, (ms) => {
      const whole = Math.floor(ms / 1000) * 1000;
      expect(parseIsoDateTime(formatJakarta(whole))).toBe(whole);
    }), params);
  });

  it('verifySignature refuses anything not signed by the key with a SignatureError, and accepts what is', () => {
    const pair = makeKeyPair();
    const keys = parsePublicKeys(pair.publicKeyPem);
    const now = Date.parse('2026-11-22T10:00:00+07:00');
    const opts = { method: 'POST', canonicalPath: '/v1.0/transfer-va/payment', actualPath: '/v1.0/transfer-va/payment', keys, nowMs: now, maxSkewSeconds: 300, repadCandidate: true } as const;
    const header = fc.oneof(fc.constant(undefined), fc.string(), fc.string({ unit: 'binary' }), fc.base64String(), fc.string({ minLength: 5_000, maxLength: 6_000 }));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 500 }), header, header, (body, timestamp, signature) => {
      try {
        verifySignature(Buffer.from(body), { timestamp, signature }, opts);
        throw new Error('an unsigned request verified');
      } catch (e) {
        expect(e).toBeInstanceOf(SignatureError);
      }
    }), { ...params, numRuns: Math.min(RUNS, 300) });
    fc.assert(fc.property(fc.json(), fc.integer({ min: -299, max: 299 }), (text, skew) => {
      const ts = formatJakarta(now + skew * 1000);
      const sig = snapSignature(pair.privateKey, 'POST', opts.canonicalPath, text, ts);
      expect(verifySignature(Buffer.from(text), { timestamp: ts, signature: sig }, opts).body).toBe('raw');
    }), { ...params, numRuns: 50 });
  });
});
