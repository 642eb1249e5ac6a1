'use strict';
// The machine's ceiling: a bare Express 5 app answering the same JSON as an inquiry success.
const express = require('express');
const body = JSON.stringify({ responseCode: '2002400', responseMessage: 'Successful', virtualAccountData: { inquiryStatus: '00', inquiryReason: { english: 'Success', indonesia: 'Sukses' }, partnerServiceId: '  088899', customerNo: '12345678901234567890', virtualAccountNo: '  08889912345678901234567890', virtualAccountName: 'Jokul Doe', inquiryRequestId: 'abcdef', totalAmount: { value: '150000.00', currency: 'IDR' } } });
const app = express();
app.post(/.*/, express.raw({ type: () => true }), (_req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.end(body);
});
const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
