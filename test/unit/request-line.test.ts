import { setFlagsFromString } from 'node:v8';
import { createLogger } from '../../src/logging/create-logger';
import { requestLine } from '../../src/logging/request-line';
import { Capture, strayRequestLineFields } from '../helpers/harness';

const MESSAGE = Symbol.for('message');

// V8's own test of an object's layout (a dictionary-mode object has slow properties)
setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;

/** What the pipeline writes on a first payment, in its order. */
function fillFirstPayment(line: Record<string, unknown>): void {
  Object.assign(line, { snapService: 'payment', partnerId: '82150', externalId: '0001', channelId: '77001', clientIp: '127.0.0.1', partner: 'faspay' });
  line.signature = { keyId: 'k1', path: 'canonical', body: 'raw' };
  line.dedup = 'new';
  line.paymentRequestId = 'p-1';
  line.payment = 'accepted';
  line.eventId = 'pay_1';
  line.enqueued = 'script';
  line.responseCode = '2002500';
  line.httpStatus = 200;
  line.latencyMs = 2.5;
}

function logged(line: Record<string, unknown>): Record<string | symbol, unknown> {
  const logger = createLogger('info');
  const capture = new Capture();
  logger.clear().add(capture);
  logger.log(line as { level: string; message: string });
  return capture.lines[0]!;
}

describe('the request line', () => {
  it('writes only the fields a request filled, level and message first, service and timestamp last', () => {
    const line = requestLine('r-1', 'va-payment');
    fillFirstPayment(line);
    const written = JSON.parse(logged(line)[MESSAGE] as string) as Record<string, unknown>;
    expect(Object.keys(written)).toEqual(['level', 'message', 'requestId', 'kind', 'snapService', 'partnerId', 'externalId', 'channelId', 'clientIp', 'partner', 'signature',
      'dedup', 'paymentRequestId', 'payment', 'eventId', 'enqueued', 'responseCode', 'httpStatus', 'latencyMs', 'service', 'timestamp']);
    expect(Object.values(written)).not.toContain(null);
  });

  it('keeps V8\'s fast layout through winston where a line built field by field does not', () => {
    const shaped = requestLine('r-1', 'va-payment');
    fillFirstPayment(shaped);
    expect(hasFastProperties(logged(shaped))).toBe(true);
    const grown: Record<string, unknown> = { level: 'info', message: 'snap request', requestId: 'r-1', kind: 'va-payment' };
    fillFirstPayment(grown);
    expect(hasFastProperties(logged(grown))).toBe(false);
  });

  it('names the fields a run logged on request lines that the shape does not declare, and only those', () => {
    const line = requestLine('r-1', 'va-inquiry');
    fillFirstPayment(line);
    expect(strayRequestLineFields([line, { message: 'snap request', path: '/x', responseCode: '4040000' }, { message: 'other', novel: 1 }])).toEqual([]);
    expect(strayRequestLineFields([{ ...line, novel: 1 }])).toEqual(['novel']);
  });
});
