'use strict';
// The JSON of an inquiry's success, answered by bare-app.js and floor-app.js alike.
module.exports = JSON.stringify({ responseCode: '2002400', responseMessage: 'Successful', virtualAccountData: { inquiryStatus: '00', inquiryReason: { english: 'Success', indonesia: 'Sukses' }, partnerServiceId: '  088899', customerNo: '12345678901234567890', virtualAccountNo: '  08889912345678901234567890', virtualAccountName: 'Jokul Doe', inquiryRequestId: 'abcdef', totalAmount: { value: '150000.00', currency: 'IDR' } } });
