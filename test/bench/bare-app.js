'use strict';
// The machine's ceiling: a bare Express 5 app answering the same JSON as an inquiry success.
const express = require('express');
const body = require('./inquiry-answer');
const app = express();
app.post(/.*/, express.raw({ type: () => true }), (_req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.end(body);
});
const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
