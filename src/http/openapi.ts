import { OUTCOMES, responseCode, SERVICE_CODE, type OutcomeName, type SnapService } from '../snap/response-codes';

// what the notify endpoints can answer (spec §7): no bill is looked up
const NOTIFY_OUTCOMES: readonly OutcomeName[] = [
  'success', 'inProgress', 'badRequest', 'invalidFieldFormat', 'invalidMandatoryField', 'unauthorized', 'invalidToken', 'tokenNotFound',
  'featureNotAllowed', 'featureNotAllowedAtThisTime', 'conflict', 'tooManyRequests', 'generalError', 'internalServerError',
];

// what the token endpoint can answer (spec §1.6): no bill, no ledger, no token of its own to check
const TOKEN_OUTCOMES: readonly OutcomeName[] = [
  'success', 'badRequest', 'invalidFieldFormat', 'invalidMandatoryField', 'unauthorized', 'featureNotAllowed',
  'featureNotAllowedAtThisTime', 'tooManyRequests', 'generalError', 'internalServerError',
];

/** Every responseCode a service can answer, by HTTP status (spec §3.3 as implemented). */
function codesByStatus(service: SnapService): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const skip: OutcomeName[] = ['notFound', 'invalidVirtualAccount', 'notConfigured'];
  const unused: Partial<Record<SnapService, OutcomeName[]>> = { inquiry: ['invalidAmount', 'inconsistentRequest'] };
  for (const name of Object.keys(OUTCOMES) as OutcomeName[]) {
    if (skip.includes(name) || unused[service]?.includes(name)) continue;
    if (service === 'access-token' && !TOKEN_OUTCOMES.includes(name)) continue;
    if ((service === 'debit-notify' || service === 'qr-notify') && !NOTIFY_OUTCOMES.includes(name)) continue;
    const code = responseCode(service, name);
    (out[code.slice(0, 3)] ??= []).push(code);
  }
  out['405'] = [`405${SERVICE_CODE[service]}00`];
  return out;
}

const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });
const amount = { type: 'object', required: ['value', 'currency'], properties: { value: { type: 'string', pattern: '^\\d+\\.\\d{2}$' }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } } };
const amountIn = {
  type: 'object', required: ['value', 'currency'],
  properties: { value: { oneOf: [{ type: 'string', pattern: '^\\d{1,16}(\\.\\d{1,2})?$' }, { type: 'number' }] }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } },
};
const reason = { type: 'object', required: ['english', 'indonesia'], properties: { english: { type: 'string' }, indonesia: { type: 'string' } } };
const vaFields = {
  partnerServiceId: { type: 'string', maxLength: 8, description: 'Echoed byte for byte' },
  customerNo: { type: 'string', maxLength: 20 },
  virtualAccountNo: { type: 'string', maxLength: 28 },
};

const snapHeaders = [
  { name: 'X-TIMESTAMP', in: 'header', required: true, schema: { type: 'string' }, example: '2026-11-22T10:00:00+07:00' },
  { name: 'X-SIGNATURE', in: 'header', required: true, schema: { type: 'string' }, description: 'base64 SHA256withRSA over POST:path:lowerhex(sha256(body)):X-TIMESTAMP' },
  { name: 'X-PARTNER-ID', in: 'header', required: true, schema: { type: 'string', maxLength: 36 } },
  { name: 'X-EXTERNAL-ID', in: 'header', required: true, schema: { type: 'string', maxLength: 36 } },
  { name: 'CHANNEL-ID', in: 'header', required: false, schema: { type: 'string' } },
  { name: 'Authorization', in: 'header', required: false, schema: { type: 'string' }, description: 'Token mode (auth: snap-symmetric) only: Bearer <accessToken>; X-SIGNATURE is then base64 HMAC-SHA512(clientSecret, POST:path:accessToken:lowerhex(sha256(body)):X-TIMESTAMP)' },
];

const tokenHeaders = [
  { name: 'X-TIMESTAMP', in: 'header', required: true, schema: { type: 'string' }, example: '2026-11-22T10:00:00+07:00' },
  { name: 'X-CLIENT-KEY', in: 'header', required: true, schema: { type: 'string', maxLength: 36 }, description: "the partner's partnerId" },
  { name: 'X-SIGNATURE', in: 'header', required: true, schema: { type: 'string' }, description: 'base64 SHA256withRSA over X-CLIENT-KEY|X-TIMESTAMP' },
];

function notifyOperation(service: 'debit-notify' | 'qr-notify', summary: string) {
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of Object.entries(codesByStatus(service))) {
    responses[status] = {
      description: codes.join(', '),
      headers: { 'X-TIMESTAMP': { schema: { type: 'string', pattern: '\\+07:00$' } } },
      content: { 'application/json': { schema: { allOf: [ref('SnapBare'), { properties: { responseCode: { enum: codes } } }] } } },
    };
  }
  return {
    post: {
      tags: ['SNAP (Faspay → merchant)'], summary, operationId: service === 'debit-notify' ? 'debitNotify' : 'qrisNotify',
      parameters: snapHeaders,
      requestBody: { required: true, content: { 'application/json': { schema: ref('NotifyRequest') } } },
      responses,
    },
  };
}

function legacyOperation(summary: string, operationId: string, xml = false) {
  const ack = { 'application/json': { schema: ref('LegacyAck') }, ...(xml ? { 'application/xml': { schema: { type: 'string' } } } : {}) };
  const responses: Record<string, unknown> = {};
  for (const [status, what] of Object.entries({ 200: '00 acknowledged', 400: '02 bad body or field', 401: '01 signature', 403: '04 list mode', 404: '03 unknown member', 429: '05 rate limit', 500: '99 retry later', 503: '90 not configured' })) {
    responses[status] = { description: what, content: ack };
  }
  const body = { type: 'object', additionalProperties: { type: 'string' } };
  return {
    post: {
      tags: ['Faspay legacy notifications'], summary, operationId,
      requestBody: { required: true, content: { 'application/json': { schema: body }, 'application/x-www-form-urlencoded': { schema: body }, ...(xml ? { 'application/xml': { schema: { type: 'string' } } } : {}) } },
      responses,
    },
  };
}

function tokenOperation() {
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of Object.entries(codesByStatus('access-token'))) {
    const schema = status === '200'
      ? { allOf: [ref('TokenResponse'), { properties: { responseCode: { enum: codes } } }] }
      : { allOf: [ref('SnapBare'), { properties: { responseCode: { enum: codes } } }] };
    responses[status] = {
      description: codes.join(', '),
      headers: { 'X-TIMESTAMP': { schema: { type: 'string', pattern: '\\+07:00$' } }, ...(status === '200' ? { 'X-CLIENT-KEY': { schema: { type: 'string' } } } : {}) },
      content: { 'application/json': { schema, ...(status === '200' ? { example: { responseCode: '2007300', responseMessage: 'Successful', accessToken: 'eyJhbGciOiJIUzI1NiJ9…', tokenType: 'Bearer', expiresIn: '900' } } : {}) } },
    };
  }
  return {
    post: {
      tags: ['SNAP token mode (partner → merchant)'], summary: 'B2B access token (service 73), for partners with auth snap-symmetric', operationId: 'accessTokenB2b',
      parameters: tokenHeaders,
      requestBody: { required: true, content: { 'application/json': { schema: ref('TokenRequest') } } },
      responses,
    },
  };
}

function snapOperation(service: SnapService, summary: string, request: string, success: string, example: object) {
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of Object.entries(codesByStatus(service))) {
    const withData = status === '200' || status === '404';
    const schema = withData
      ? { allOf: [ref(status === '200' ? success : success.replace('Response', 'Failure')), { properties: { responseCode: { enum: codes } } }] }
      : { allOf: [ref('SnapBare'), { properties: { responseCode: { enum: codes } } }] };
    responses[status] = {
      description: codes.map((c) => `${c}`).join(', '),
      headers: { 'X-TIMESTAMP': { schema: { type: 'string', pattern: '\\+07:00$' } } },
      content: { 'application/json': { schema, ...(status === '200' ? { example } : {}) } },
    };
  }
  return {
    post: {
      tags: ['SNAP (Faspay → merchant)'], summary, operationId: service,
      parameters: snapHeaders,
      requestBody: { required: true, content: { 'application/json': { schema: ref(request) } } },
      responses,
    },
  };
}

function recurringOperation(op: string, summary: string) {
  const answer = { 'application/json': { schema: ref('RecurringAnswer') } };
  return {
    parameters: [
      { name: 'memberId', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,50}$' } },
      { name: 'mode', in: 'query', required: false, schema: { enum: ['direct', 'window'] }, description: 'window: return the signed form for the Merchant Window instead of posting' },
      { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 128 }, description: 'a retry returns the stored definitive result' },
    ],
    post: {
      tags: ['Recurring API (ADMIN_PORT)'], summary, operationId: op === 'update-card' ? 'updateCard' : 'updateMember', security: [{ bearer: [] }],
      requestBody: { required: true, content: { 'application/json': { schema: ref('RecurringUpdate') } } },
      responses: {
        '200': { description: 'Faspay accepted it (err_code 0), or the signed form (mode=window)', content: answer },
        '400': { description: 'A field outside seed 001\'s table, named; nothing was sent', content: { 'application/json': { schema: ref('ApiError') } } },
        '401': { description: 'Missing or wrong token', content: { 'application/json': { schema: ref('ApiError') } } },
        '409': { description: 'The same Idempotency-Key is in progress', content: { 'application/json': { schema: ref('ApiError') } } },
        '422': { description: 'Faspay refused it (err_code ≠ 0), or the Idempotency-Key was used with another body', content: answer },
        '502': { description: 'Faspay answered 5xx or something unreadable', content: answer },
        '503': { description: 'Faspay credentials not configured', content: { 'application/json': { schema: ref('ApiError') } } },
        '504': { description: 'Faspay did not answer in FASPAY_RECURRING_TIMEOUT_MS', content: answer },
      },
    },
  };
}

/** OpenAPI 3.1 description of the public SNAP endpoints and the internal bill API. */
export const OPENAPI_DOCUMENT = Object.freeze({
  openapi: '3.1.0',
  info: {
    title: 'snap-receiver',
    version: '0.1.0',
    description: 'Faspay SNAP virtual-account callbacks (public port) and the internal bill API (ADMIN_PORT). HTTP status is always the first three digits of responseCode.',
  },
  paths: {
    '/v1.0/transfer-va/inquiry': snapOperation('inquiry', 'VA inquiry (service 24)', 'InquiryRequest', 'InquiryResponse', {
      responseCode: '2002400', responseMessage: 'Successful',
      virtualAccountData: {
        inquiryStatus: '00', inquiryReason: { english: 'Success', indonesia: 'Sukses' }, partnerServiceId: '  088899', customerNo: '12345678901234567890',
        virtualAccountNo: '  08889912345678901234567890', virtualAccountName: 'Jokul Doe', inquiryRequestId: 'abcdef-123456-abcdef',
        totalAmount: { value: '12345678.00', currency: 'IDR' }, virtualAccountTrxType: 'C',
      },
    }),
    '/v1.0/transfer-va/payment': snapOperation('payment', 'VA payment (service 25)', 'PaymentRequest', 'PaymentResponse', {
      responseCode: '2002500', responseMessage: 'Successful',
      virtualAccountData: {
        paymentFlagStatus: '00', paymentFlagReason: { english: 'Success', indonesia: 'Sukses' }, partnerServiceId: '  088899', customerNo: '12345678901234567890',
        virtualAccountNo: '  08889912345678901234567890', virtualAccountName: 'Jokul Doe', paymentRequestId: 'abcdef-123456-abcdef',
        paidAmount: { value: '12345678.00', currency: 'IDR' },
      },
    }),
    '/v1.0/access-token/b2b': tokenOperation(),
    '/v1.0/debit/notify': notifyOperation('debit-notify', 'Direct Debit / e-wallet payment status (service 56)'),
    '/v1.0/qr/qr-mpm-notify': notifyOperation('qr-notify', 'QRIS MPM payment status (service 52)'),
    '/faspay/debit/notification': legacyOperation('Debit Payment Notification (legacy, XML or JSON; answered in the same format)', 'legacyDebitNotification', true),
    '/faspay/recurring/payment-notification': legacyOperation('Credit-card recurring Payment Notification', 'recurringPaymentNotification'),
    '/faspay/recurring/cc-expired': legacyOperation('Notification CC Expired (no signature: IP allow list + known member)', 'ccExpiredNotification'),
    '/faspay/credit-card/notification': legacyOperation('Credit-card server callback (URL Notification Credit Card)', 'ccCallback'),
    '/internal/v1/bills': {
      put: {
        tags: ['Bill API (ADMIN_PORT)'], summary: 'Register or replace a bill', operationId: 'putBill', security: [{ bearer: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: ref('BillInput') } } },
        responses: {
          '200': { description: 'Replaced an open, expired or cancelled bill', content: { 'application/json': { schema: ref('BillRecord') } } },
          '201': { description: 'Created', content: { 'application/json': { schema: ref('BillRecord') } } },
          '400': { description: 'Invalid field', content: { 'application/json': { schema: ref('ApiError') } } },
          '401': { description: 'Missing or wrong token', content: { 'application/json': { schema: ref('ApiError') } } },
          '409': { description: 'The VA has a paid bill', content: { 'application/json': { schema: ref('ApiError') } } },
        },
      },
    },
    '/internal/v1/bills/{virtualAccountNo}': {
      parameters: [{ name: 'virtualAccountNo', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{1,28}$' }, description: 'Digits of the VA' }],
      get: {
        tags: ['Bill API (ADMIN_PORT)'], summary: 'Read a bill, its status and payments', operationId: 'getBill', security: [{ bearer: [] }],
        responses: {
          '200': { description: 'The bill', content: { 'application/json': { schema: ref('BillRecord') } } },
          '400': { description: 'Not a VA', content: { 'application/json': { schema: ref('ApiError') } } },
          '401': { description: 'Missing or wrong token', content: { 'application/json': { schema: ref('ApiError') } } },
          '404': { description: 'Unknown VA', content: { 'application/json': { schema: ref('ApiError') } } },
        },
      },
      delete: {
        tags: ['Bill API (ADMIN_PORT)'], summary: 'Cancel a bill', operationId: 'cancelBill', security: [{ bearer: [] }],
        responses: {
          '200': { description: 'Cancelled', content: { 'application/json': { schema: ref('BillRecord') } } },
          '401': { description: 'Missing or wrong token', content: { 'application/json': { schema: ref('ApiError') } } },
          '404': { description: 'Unknown VA', content: { 'application/json': { schema: ref('ApiError') } } },
          '409': { description: 'Paid bills cannot be cancelled', content: { 'application/json': { schema: ref('ApiError') } } },
        },
      },
    },
    '/internal/v1/recurring/members/{memberId}/update-card': recurringOperation('update-card', 'Update Card at Faspay (seed 001): the member\'s card schedule'),
    '/internal/v1/recurring/members/{memberId}/update-member': recurringOperation('update-member', 'Update Member at Faspay: name, email, schedule, status'),
    '/internal/v1/recurring/members/{memberId}': {
      parameters: [{ name: 'memberId', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,50}$' } }],
      get: {
        tags: ['Recurring API (ADMIN_PORT)'], summary: 'The schedule this service last set at Faspay', operationId: 'getRecurringMember', security: [{ bearer: [] }],
        responses: {
          '200': { description: 'The member', content: { 'application/json': { schema: { type: 'object', required: ['memberId', 'schedule', 'lastOperation', 'updatedAt'] } } } },
          '404': { description: 'Unknown member', content: { 'application/json': { schema: ref('ApiError') } } },
        },
      },
    },
    '/livez': { get: { tags: ['Health'], summary: 'Process alive', responses: { '200': { description: 'ok', content: { 'application/json': { schema: ref('Health') } } } } } },
    '/readyz': {
      get: {
        tags: ['Health'], summary: 'Not draining, Faspay keys loaded, and Redis takes writes on the ledger, queue and worker connections',
        responses: {
          '200': { description: 'ready', content: { 'application/json': { schema: ref('Health') } } },
          '503': { description: 'not ready', content: { 'application/json': { schema: ref('Health') } } },
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'INTERNAL_API_TOKEN' } },
    schemas: {
      SnapBare: {
        type: 'object', required: ['responseCode', 'responseMessage'], additionalProperties: false,
        properties: { responseCode: { type: 'string', pattern: '^\\d{7}$' }, responseMessage: { type: 'string', maxLength: 150 } },
      },
      NotifyRequest: {
        type: 'object', required: ['amount', 'latestTransactionStatus'],
        properties: {
          originalPartnerReferenceNo: { type: 'string', maxLength: 64 }, originalReferenceNo: { type: 'string', maxLength: 64 }, originalExternalId: { type: 'string' },
          merchantId: { type: 'string' }, subMerchantId: { type: 'string' }, amount: amountIn, latestTransactionStatus: { type: 'string', pattern: '^\\d{2}$' },
          transactionStatusDesc: { type: 'string' }, createdTime: { type: 'string' }, finishedTime: { type: 'string' }, additionalInfo: { type: 'object' },
        },
      },
      LegacyAck: {
        type: 'object', required: ['response', 'response_code', 'response_desc', 'response_date'],
        properties: { response: { type: 'string' }, response_code: { type: 'string', pattern: '^\\d{2}$' }, response_desc: { type: 'string' }, response_date: { type: 'string' } },
        additionalProperties: { type: 'string' },
      },
      TokenRequest: {
        type: 'object', required: ['grantType'],
        properties: { grantType: { const: 'client_credentials' }, additionalInfo: { type: 'object' } },
      },
      TokenResponse: {
        type: 'object', required: ['responseCode', 'responseMessage', 'accessToken', 'tokenType', 'expiresIn'], additionalProperties: false,
        properties: {
          responseCode: { type: 'string' }, responseMessage: { type: 'string' },
          accessToken: { type: 'string', maxLength: 2048, description: 'a JWT (HS256) issued by this service for this partner' },
          tokenType: { const: 'Bearer' }, expiresIn: { type: 'string', pattern: '^\\d+$', description: 'seconds' },
        },
      },
      InquiryRequest: {
        type: 'object', required: ['partnerServiceId', 'customerNo', 'virtualAccountNo', 'inquiryRequestId'],
        properties: {
          ...vaFields, customerNo: { oneOf: [{ type: 'string', maxLength: 20 }, { type: 'integer' }] },
          inquiryRequestId: { type: 'string', maxLength: 128 }, trxDateInit: { type: 'string' }, channelCode: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
          language: { type: 'string', maxLength: 2 }, amount: amountIn, additionalInfo: { type: 'object' },
        },
      },
      InquiryResponse: {
        type: 'object', required: ['responseCode', 'responseMessage', 'virtualAccountData'],
        properties: {
          responseCode: { type: 'string' }, responseMessage: { type: 'string' },
          virtualAccountData: {
            type: 'object', additionalProperties: false,
            required: ['inquiryStatus', 'inquiryReason', 'partnerServiceId', 'customerNo', 'virtualAccountNo', 'virtualAccountName', 'inquiryRequestId', 'totalAmount'],
            properties: {
              inquiryStatus: { const: '00' }, inquiryReason: reason, ...vaFields, virtualAccountName: { type: 'string', maxLength: 50 },
              virtualAccountEmail: { type: 'string' }, virtualAccountPhone: { type: 'string' }, inquiryRequestId: { type: 'string' },
              totalAmount: amount, virtualAccountTrxType: { enum: ['C', 'O'] }, trxId: { type: 'string' },
            },
          },
        },
      },
      InquiryFailure: {
        type: 'object', required: ['responseCode', 'responseMessage'],
        properties: {
          responseCode: { type: 'string' }, responseMessage: { type: 'string' },
          virtualAccountData: {
            type: 'object', additionalProperties: false, required: ['inquiryStatus', 'inquiryReason', 'inquiryRequestId'],
            properties: { inquiryStatus: { const: '01' }, inquiryReason: reason, ...vaFields, inquiryRequestId: { type: 'string' } },
          },
        },
      },
      PaymentRequest: {
        type: 'object', required: ['partnerServiceId', 'customerNo', 'virtualAccountNo', 'paymentRequestId', 'paidAmount'],
        properties: {
          ...vaFields, customerNo: { oneOf: [{ type: 'string', maxLength: 20 }, { type: 'integer' }] },
          paymentRequestId: { type: 'string', maxLength: 128 }, paidAmount: amountIn, trxDateTime: { type: 'string' },
          referenceNo: { type: 'string', maxLength: 64 }, trxId: { type: 'string', maxLength: 64 }, flagAdvise: { enum: ['Y', 'N'] },
          channelCode: { oneOf: [{ type: 'string' }, { type: 'integer' }] }, additionalInfo: { type: 'object' },
        },
      },
      PaymentResponse: {
        type: 'object', required: ['responseCode', 'responseMessage', 'virtualAccountData'],
        properties: {
          responseCode: { type: 'string' }, responseMessage: { type: 'string' },
          virtualAccountData: {
            type: 'object', additionalProperties: false,
            required: ['paymentFlagStatus', 'paymentFlagReason', 'partnerServiceId', 'customerNo', 'virtualAccountNo', 'virtualAccountName', 'paymentRequestId', 'paidAmount'],
            properties: {
              paymentFlagStatus: { const: '00' }, paymentFlagReason: reason, ...vaFields, virtualAccountName: { type: 'string', maxLength: 50 },
              paymentRequestId: { type: 'string' }, paidAmount: amount, trxId: { type: 'string' }, trxDateTime: { type: 'string' }, referenceNo: { type: 'string' },
            },
          },
        },
      },
      PaymentFailure: {
        type: 'object', required: ['responseCode', 'responseMessage'],
        properties: {
          responseCode: { type: 'string' }, responseMessage: { type: 'string' },
          virtualAccountData: {
            type: 'object', additionalProperties: false, required: ['paymentFlagStatus', 'paymentFlagReason', 'paymentRequestId', 'paidAmount'],
            properties: {
              paymentFlagStatus: { const: '01' }, paymentFlagReason: reason, ...vaFields, virtualAccountName: { type: 'string' },
              paymentRequestId: { type: 'string' }, paidAmount: amount, trxId: { type: 'string' }, trxDateTime: { type: 'string' }, referenceNo: { type: 'string' },
            },
          },
        },
      },
      BillInput: {
        type: 'object', required: ['partnerServiceId', 'customerNo', 'virtualAccountName', 'totalAmount', 'amountType'],
        properties: {
          partnerServiceId: { type: 'string', maxLength: 8 }, customerNo: { oneOf: [{ type: 'string', maxLength: 20 }, { type: 'integer' }] },
          virtualAccountName: { type: 'string', maxLength: 255 }, virtualAccountEmail: { type: 'string' }, virtualAccountPhone: { type: 'string' },
          totalAmount: amountIn, amountType: { enum: ['closed', 'open'] }, expiredDate: { type: 'string', format: 'date-time' },
          trxId: { type: 'string', maxLength: 64 }, billDescription: { type: 'string', maxLength: 255 }, additionalInfo: { type: 'object' },
        },
      },
      BillRecord: {
        type: 'object', required: ['status', 'bill', 'paymentCount', 'payments', 'updatedAt'], additionalProperties: false,
        properties: {
          status: { enum: ['open', 'paid', 'expired', 'cancelled'] },
          paymentCount: { type: 'integer', minimum: 0, description: 'All payments accepted on this bill' },
          bill: {
            type: 'object', required: ['virtualAccountNo', 'partnerServiceId', 'customerNo', 'virtualAccountName', 'totalAmount', 'amountType', 'registeredAt'],
            properties: { virtualAccountNo: { type: 'string', pattern: '^\\d+$' }, partnerServiceId: { type: 'string' }, customerNo: { type: 'string' }, totalAmount: amount, amountType: { enum: ['closed', 'open'] } },
          },
          payments: {
            type: 'array', maxItems: 100, description: 'The most recent payments, oldest first',
            items: {
              type: 'object', required: ['paymentRequestId', 'eventId', 'paidAmount', 'referenceNo', 'paidAt'],
              properties: { paymentRequestId: { type: 'string' }, eventId: { type: 'string' }, paidAmount: amount, referenceNo: { type: ['string', 'null'] }, paidAt: { type: 'string' } },
            },
          },
          updatedAt: { type: 'string' },
        },
      },
      RecurringUpdate: {
        type: 'object', required: ['memberName', 'memberEmail', 'memberEmailNotif', 'processDates', 'recurringAmount', 'startDate', 'endDate', 'period', 'periodAt', 'accumulateAt', 'status'],
        properties: {
          memberName: { type: 'string', maxLength: 50 }, memberEmail: { type: 'string', maxLength: 50 }, memberEmailNotif: { type: 'boolean' },
          processDates: { type: 'array', minItems: 1, maxItems: 9, items: { type: 'integer', minimum: 1, maximum: 31 } },
          recurringAmount: { type: 'string', pattern: '^\\d{1,10}(\\.\\d{1,2})?$' }, startDate: { type: 'string', format: 'date' }, endDate: { type: 'string', format: 'date' },
          period: { enum: ['D', 'M', 'Y'] }, periodAt: { type: 'integer', minimum: 1, maximum: 9 }, accumulate: { type: 'boolean' },
          accumulateAt: { type: 'integer', minimum: 0, maximum: 9 }, status: { enum: ['active', 'inactive'] }, cardExpireNotif: { type: 'boolean' },
        },
      },
      RecurringAnswer: {
        type: 'object',
        properties: {
          ok: { type: 'boolean' }, memberId: { type: 'string' }, txnStatus: { type: ['string', 'null'] }, txnStatusCode: { type: ['string', 'null'] },
          errCode: { type: ['string', 'null'] }, errDesc: { type: ['string', 'null'] }, userMessage: { type: ['string', 'null'] }, transactionId: { type: ['string', 'null'] },
          schedule: { type: 'object' }, replayed: { type: 'boolean' }, error: { type: 'string' }, message: { type: 'string' },
          mode: { const: 'window' }, action: { type: 'string' }, method: { const: 'POST' }, fields: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      ApiError: {
        type: 'object', required: ['error'],
        properties: { error: { type: 'string' }, field: { type: 'string' }, message: { type: 'string' } },
      },
      Health: {
        type: 'object', required: ['status'],
        properties: { status: { type: 'string' }, checks: { type: 'object', additionalProperties: { type: 'string' }, description: "each check: 'ok' or what is wrong" } },
      },
    },
  },
});
