/**
 * The one log line of a request on the public port, made with every field the pipeline or a
 * message kind may fill, in the order they are written; a field left undefined is not written
 * (JSON.stringify skips it). Why all of them up front: V8 gives an object literal a slot for each
 * of its fields. Filled one by one past its slots, the line of a first payment (19 fields) becomes
 * a slow dictionary object the moment winston stores its Symbol(level) on it, and formatting it
 * then costs twice as much (measured in the service: 9 against 5 µs per line; test/bench/HISTORY.md).
 * A field not listed here still works; list it when a kind starts writing it.
 */
export function requestLine(requestId: string, kind: string): Record<string, unknown> {
  return {
    level: 'info',
    message: 'snap request',
    requestId,
    kind,
    snapService: undefined,
    partnerId: undefined,
    externalId: undefined,
    channelId: undefined,
    clientIp: undefined,
    partner: undefined,
    signature: undefined,
    dedup: undefined,
    paymentRequestId: undefined,
    payment: undefined,
    eventId: undefined,
    enqueued: undefined,
    enqueueMs: undefined,
    notification: undefined,
    reference: undefined,
    status: undefined,
    memberId: undefined,
    transactionId: undefined,
    billNo: undefined,
    tokenExpiresIn: undefined,
    replicas: undefined,
    failure: undefined,
    denied: undefined,
    error: undefined,
    responseCode: undefined,
    divertedFrom: undefined,
    httpStatus: undefined,
    latencyMs: undefined,
    // winston's defaultMeta and the format's timestamp, added to every line
    service: undefined,
    timestamp: undefined,
  };
}
