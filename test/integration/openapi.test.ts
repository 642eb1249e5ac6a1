import request from 'supertest';
import { responseCode } from '../../src/snap/response-codes';
import { startHarness, type Harness } from '../helpers/harness';
import { openApiProblems } from '../helpers/openapi-validator';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('OpenAPI document', () => {
  it('is served on ADMIN_PORT at /openapi.json as OpenAPI 3.1', async () => {
    const res = await request(h.admin).get('/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v1.0/transfer-va/inquiry', '/v1.0/transfer-va/payment', '/internal/v1/bills', '/internal/v1/bills/{virtualAccountNo}']));
  });

  it('lists every responseCode of the payment endpoint', async () => {
    const doc = JSON.stringify((await request(h.admin).get('/openapi.json')).body.paths['/v1.0/transfer-va/payment']);
    for (const o of ['success', 'inProgress', 'badRequest', 'invalidFieldFormat', 'invalidMandatoryField', 'unauthorized', 'billNotFound', 'invalidAmount', 'paidBill', 'inconsistentRequest', 'billExpired', 'conflict', 'generalError', 'internalServerError', 'externalServerError', 'timeout'] as const) {
      expect(doc).toContain(responseCode('payment', o));
    }
  });

  it('covers the token endpoint and the access-policy codes', async () => {
    const paths = (await request(h.admin).get('/openapi.json')).body.paths;
    const token = JSON.stringify(paths['/v1.0/access-token/b2b']);
    for (const code of ['2007300', '4007300', '4007301', '4007302', '4017300', '4297300']) expect(token).toContain(code);
    expect(token).not.toContain('4047312');
    const payment = JSON.stringify(paths['/v1.0/transfer-va/payment']);
    for (const code of ['4012501', '4012503', '4032501', '4032506', '4292500', '4052500']) expect(payment).toContain(code);
    expect(openApiProblems({ method: 'POST', path: '/v1.0/access-token/b2b', status: 200, body: { responseCode: '2007300', responseMessage: 'Successful', accessToken: 'a.b.c', tokenType: 'Bearer', expiresIn: '900' } })).toBeUndefined();
    expect(openApiProblems({ method: 'POST', path: '/v1.0/access-token/b2b', status: 200, body: { responseCode: '2007300', responseMessage: 'Successful', accessToken: 'a.b.c', tokenType: 'Bearer', expiresIn: 900 } })).toMatch(/expiresIn/);
  });

  it('catches a response that breaks it', () => {
    expect(openApiProblems({ method: 'POST', path: '/v1.0/transfer-va/payment', status: 200, body: { responseCode: '2002500', responseMessage: 'Successful' } })).toMatch(/virtualAccountData/);
    expect(openApiProblems({ method: 'POST', path: '/v1.0/transfer-va/payment', status: 409, body: { responseCode: '4092400', responseMessage: 'Conflict' } })).toMatch(/must be equal to one of the allowed values/);
    expect(openApiProblems({ method: 'POST', path: '/v1.0/transfer-va/payment', status: 418, body: {} })).toMatch(/not documented/);
    expect(openApiProblems({ method: 'GET', path: '/elsewhere', status: 200, body: {} })).toBeUndefined();
  });
});
