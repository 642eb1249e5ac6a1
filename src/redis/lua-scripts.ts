import { INQUIRY_SCRIPT_OUTCOMES, inquiryAnswerPrefix, PAYMENT_SCRIPT_OUTCOMES, paymentAnswerPrefix } from '../snap/snap-responses';

/**
 * Lua run atomically in Redis. All keys of one call share the configured hash-tagged prefix.
 *
 * Dedup record (hash): h = body digest, s = p(ending)|d(one), l = lease deadline (ms),
 * t = owner token, r = stored response body (byte for byte, spec §2.3). A claim held by the
 * same token passes again, so a request can claim first and run its business step later.
 */
/**
 * GCRA (a token bucket kept as one timestamp, the theoretical arrival time): returns the ms
 * until a request would be allowed, or nil after charging one request.
 */
export const GCRA_FUNCTION = `
local function rateLimited(key, now, interval, burst)
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  local nextTat = tat + interval
  if nextTat - now > interval * burst then return math.ceil(nextTat - now - interval * burst) end
  redis.call('SET', key, string.format('%.4f', nextTat), 'PX', math.max(1, math.ceil(nextTat - now)))
  return nil
end
`;

/**
 * The rate limit rides in the claim's round trip: KEYS[#KEYS] is the partner's bucket,
 * ARGV[#ARGV-1] its ms per request ('' = no limit) and ARGV[#ARGV] its burst. A request that
 * already holds the claim (a second step of the same request) is not charged again.
 */
const CLAIM = `${GCRA_FUNCTION}
local d = redis.call('HMGET', KEYS[1], 'h', 's', 'l', 'r', 't')
if d[5] ~= ARGV[5] and ARGV[#ARGV - 1] ~= '' then
  local wait = rateLimited(KEYS[#KEYS], tonumber(ARGV[2]), tonumber(ARGV[#ARGV - 1]), tonumber(ARGV[#ARGV]))
  if wait then return {'limited', tostring(wait)} end
end
if d[1] then
  if d[1] ~= ARGV[1] then return {'conflict'} end
  if d[2] == 'd' then return {'replay', d[4]} end
  if tonumber(d[3]) > tonumber(ARGV[2]) and d[5] ~= ARGV[5] then return {'inflight'} end
end
redis.call('HSET', KEYS[1], 'h', ARGV[1], 's', 'p', 'l', ARGV[3], 't', ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[4])
if ARGV[6] == 'claim' then return {'claimed'} end
`;

/**
 * KEYS: dedup, bill (VA digits), bill (psid + customerNo), reconciliation index, rate bucket.
 * ARGV 7, 8: the request's echo and inquiryRequestId parts of the answer ('' = the caller
 * decides; see inquiryAnswers). With them the script writes the answer from the bill and stores
 * it for replay in the same step (one round trip); without them, or for a bill registered before
 * bills kept their answer fragments ('who', 'what'), it returns the bill for the TS decision.
 */
export const INQUIRY_LUA = `${CLAIM}
local PREFIX = { ${Object.entries(INQUIRY_SCRIPT_OUTCOMES).map(([k, v]) => `${k} = [==[${inquiryAnswerPrefix(v)}]==]`).join(', ')} }
local bk = KEYS[2]
local b = redis.call('HMGET', bk, 'status', 'exp', 'view', 'who', 'what')
if not b[1] then
  bk = KEYS[3]
  b = redis.call('HMGET', bk, 'status', 'exp', 'view', 'who', 'what')
end
-- a customer typed this VA: if no payment comes, reconciliation asks Faspay (first inquiry counts)
if b[1] == 'open' then redis.call('ZADD', KEYS[4], 'NX', ARGV[2], bk) end
if ARGV[7] == '' or (b[1] and not b[4]) then
  if not b[1] then return {'bill'} end
  return {'bill', b[1], b[2], b[3]}
end
local body
if not b[1] or b[1] == 'cancelled' then body = PREFIX.notfound .. ARGV[7] .. ARGV[8] .. '}}'
elseif b[1] == 'paid' then body = PREFIX.paid .. ARGV[7] .. ARGV[8] .. '}}'
elseif b[2] and b[2] ~= '' and tonumber(b[2]) < tonumber(ARGV[2]) then body = PREFIX.expired .. ARGV[7] .. ARGV[8] .. '}}'
else body = PREFIX.success .. ARGV[7] .. b[4] .. ARGV[8] .. b[5] .. '}}' end
redis.call('HSET', KEYS[1], 's', 'd', 'r', body)
redis.call('EXPIRE', KEYS[1], ARGV[4])
return {'answered', body}
`;

/**
 * With `enqueueJob` defined (ScriptEnqueue's Lua, src/queue/script-enqueue.ts), `enqueue(first,
 * event)` adds the event's BullMQ job in the same atomic step: KEYS[first..first+8] are the
 * queue's keys, ARGV[#ARGV-3] and ARGV[#ARGV-2] the job's id and name (the rate bucket's two stay
 * last), ARGV[2] (now) its timestamp. It answers false when the script is not folded or the add
 * failed (pcall: nothing of ours is undone then, and the event goes to the outbox for the caller
 * or the relay to queue).
 */
const ENQUEUE_IN_SCRIPT = `
local function enqueue(first, event)
  local qk = {}
  for i = 0, 8 do qk[i + 1] = KEYS[first + i] end
  return enqueueJob(qk, ARGV[#ARGV - 3], ARGV[#ARGV - 2], tonumber(ARGV[2]), event)
end
`;
const NO_ENQUEUE = `
local function enqueue(first, event) return false end
`;

/**
 * KEYS: dedup, bill (VA digits), bill (psid + customerNo), payment request, outbox, the
 * payment lists of the two bills, reconciliation index, [the queue's nine keys,] rate bucket.
 * ARGV 7..: paymentRequestId, VA digits, paid minor units, currency, event head JSON,
 * now (ISO), payment-record TTL (s), payment entry JSON for the bill's list, the answer's
 * echo and tail, [the job's id and name].
 * Spec §4.8: one payment request id ever makes one event; the bill, the payment record
 * and the outbox entry (or, folded, the queued job) change together or not at all.
 */
export const paymentLua = (enqueueJob?: string): string => `${CLAIM}
${enqueueJob === undefined ? NO_ENQUEUE : `${enqueueJob}${ENQUEUE_IN_SCRIPT}`}
local PREFIX = { ${Object.entries(PAYMENT_SCRIPT_OUTCOMES).map(([k, v]) => `${k} = [==[${paymentAnswerPrefix(v.outcome)}]==]`).join(', ')} }
-- ARGV 15, 16: the request's echo and tail of the answer ('' = the caller decides and stores it).
-- The answer is stored for replay in this step; a bill or record from before names were kept
-- with them ('nm') leaves it to the caller.
local function answer(kind, nm)
  if ARGV[15] == '' then return nil end
  local named = kind ~= 'inconsistent' and kind ~= 'notfound'
  if named and not nm then return nil end
  local body = PREFIX[kind] .. ARGV[15]
  if named then body = body .. ',"virtualAccountName":' .. nm end
  body = body .. ARGV[16]
  redis.call('HSET', KEYS[1], 's', 'd', 'r', body)
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  return body
end
local pr = redis.call('HMGET', KEYS[4], 'va', 'minor', 'cur', 'event', 'enq', 'name', 'nm')
if pr[1] then
  if pr[1] == ARGV[8] and pr[2] == ARGV[9] and pr[3] == ARGV[10] then return {'duplicate', pr[4], pr[5], pr[6], answer('duplicate', pr[7])} end
  return {'inconsistent', answer('inconsistent')}
end
local key = KEYS[2]
local paymentsKey = KEYS[6]
local fields = {'status', 'type', 'minor', 'cur', 'exp', 'view', 'name', 'nm'}
local b = redis.call('HMGET', key, unpack(fields))
if not b[1] then
  key = KEYS[3]
  paymentsKey = KEYS[7]
  b = redis.call('HMGET', key, unpack(fields))
end
if not b[1] or b[1] == 'cancelled' then return {'notfound', answer('notfound')} end
if b[1] == 'paid' then return {'paid', b[7], answer('paid', b[8])} end
if b[5] and b[5] ~= '' and tonumber(b[5]) < tonumber(ARGV[2]) then return {'expired', b[7], answer('expired', b[8])} end
if b[4] ~= ARGV[10] or ARGV[9] == '0' or (b[2] == 'closed' and b[3] ~= ARGV[9]) then return {'amount', b[7], answer('amount', b[8])} end
local seq = redis.call('HINCRBY', key, 'seq', 1)
local event = ARGV[11] .. b[6] .. ',"vaSequence":' .. seq .. '}'
-- the bill keeps its most recent payments in a capped list: an open VA may be paid for years
redis.call('RPUSH', paymentsKey, ARGV[14])
redis.call('LTRIM', paymentsKey, -100, -1)
if b[2] == 'closed' then
  redis.call('HSET', key, 'status', 'paid')
  redis.call('ZREM', KEYS[8], key)
  -- a paid closed bill changes no more: it and its payment list live as long as the payment record
  redis.call('EXPIRE', key, ARGV[13])
  redis.call('EXPIRE', paymentsKey, ARGV[13])
elseif b[5] and b[5] ~= '' then
  -- an open bill with an expiry: its payment list goes when the bill does (REGISTER_BILL_LUA)
  redis.call('PEXPIREAT', paymentsKey, string.format('%d', tonumber(b[5]) + tonumber(ARGV[13]) * 1000))
end
redis.call('HINCRBY', key, 'paymentCount', 1)
redis.call('HSET', key, 'updatedAt', ARGV[12])
-- queued here: the record keeps no event and the outbox no entry (MARK_ENQUEUED_LUA's end state)
local queued = enqueue(9, event)
if queued then
  redis.call('HSET', KEYS[4], 'va', ARGV[8], 'minor', ARGV[9], 'cur', ARGV[10], 'enq', '1', 'name', b[7], 'at', ARGV[2])
else
  redis.call('HSET', KEYS[4], 'va', ARGV[8], 'minor', ARGV[9], 'cur', ARGV[10], 'event', event, 'enq', '0', 'name', b[7], 'at', ARGV[2])
  redis.call('ZADD', KEYS[5], ARGV[2], ARGV[7])
end
if b[8] then redis.call('HSET', KEYS[4], 'nm', b[8]) end
redis.call('EXPIRE', KEYS[4], ARGV[13])
-- a queued event is not sent back (the caller has nothing left to do with it); false is RESP nil
local unqueued = false
if not queued then unqueued = event end
return {'accepted', unqueued, b[7], answer('accepted', b[8]) or false, queued and '1' or '0'}
`;

/**
 * KEYS: event record, outbox. ARGV: outbox member. After the event is queued: the record says
 * so and the outbox forgets it (the relay does the same for a request that died before this).
 * The event JSON goes too: only a record not yet queued needs it (the queue's job holds it), and
 * it is most of a record that lives PAYMENT_RECORD_TTL_DAYS (README "Soak").
 */
export const MARK_ENQUEUED_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'enq', '1') redis.call('HDEL', KEYS[1], 'event') end
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`;

/**
 * KEYS: dedup, event record, outbox, [the queue's nine keys,] rate bucket. ARGV 7..: event JSON,
 * record TTL (s), outbox member, the acknowledgement to store ('' = the caller stores it), [the
 * job's id and name].
 * One notification identity ever makes one event: the record and its outbox entry (or, folded,
 * its queued job) are written together, and a resend finds the record (and whether its event was
 * queued) instead. Once the event is queued, the acknowledgement is stored in the same step.
 */
export const notificationLua = (enqueueJob?: string): string => `${CLAIM}
${enqueueJob === undefined ? NO_ENQUEUE : `${enqueueJob}${ENQUEUE_IN_SCRIPT}`}
local function acknowledged()
  if ARGV[10] == '' then return false end
  redis.call('HSET', KEYS[1], 's', 'd', 'r', ARGV[10])
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  return ARGV[10]
end
-- 'at' marks the record: its event is dropped once queued (MARK_ENQUEUED_LUA)
local r = redis.call('HMGET', KEYS[2], 'at', 'event', 'enq')
if r[1] then
  if r[3] == '1' then return {'duplicate', r[2], r[3], acknowledged()} end
  return {'duplicate', r[2], r[3]}
end
if enqueue(4, ARGV[7]) then
  redis.call('HSET', KEYS[2], 'enq', '1', 'at', ARGV[2])
  redis.call('EXPIRE', KEYS[2], ARGV[8])
  return {'accepted', false, '1', acknowledged()}
end
redis.call('HSET', KEYS[2], 'event', ARGV[7], 'enq', '0', 'at', ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[8])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[9])
return {'accepted', ARGV[7], '0'}
`;

/**
 * KEYS: dedup, event record (payment request or notification), outbox. ARGV: token, response
 * body, TTL (s), enqueued (1|0), outbox member. Stores the final answer only if this request
 * still owns the claim.
 */
export const COMPLETE_LUA = `
if redis.call('HGET', KEYS[1], 't') == ARGV[1] then
  redis.call('HSET', KEYS[1], 's', 'd', 'r', ARGV[2])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
end
if ARGV[4] == '1' then
  if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('HSET', KEYS[2], 'enq', '1') redis.call('HDEL', KEYS[2], 'event') end
  redis.call('ZREM', KEYS[3], ARGV[5])
end
return 1
`;

/** KEYS: dedup. ARGV: token. Frees a claim whose request failed, so Faspay's retry is processed anew. */
export const RELEASE_LUA = `
if redis.call('HGET', KEYS[1], 't') == ARGV[1] and redis.call('HGET', KEYS[1], 's') == 'p' then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/**
 * KEYS: bill, its payment list. ARGV: type, minor, currency, expiry ms (or ''), view JSON, name,
 * now, status, the inquiry answer fragments (who, what), the name as the payment answer writes it,
 * retention seconds. Answers {'paid'}, or {'created' | 'replaced', paymentCount, payments}.
 * Refuses to touch a bill this service has recorded as paid. A bill with an expiry (a dynamic VA)
 * lives until its expiry plus the retention, so the Redis of a shop that issues one VA per order
 * stays bounded; reconciliation and a late notification still find it within that time. A bill
 * without one (a static VA) lives until it is cancelled.
 */
export const REGISTER_BILL_LUA = `
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'paid' then return {'paid'} end
local seq = redis.call('HGET', KEYS[1], 'seq') or '0'
local count = redis.call('HGET', KEYS[1], 'paymentCount') or '0'
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'status', ARGV[8], 'type', ARGV[1], 'minor', ARGV[2], 'cur', ARGV[3], 'exp', ARGV[4],
  'view', ARGV[5], 'name', ARGV[6], 'seq', seq, 'paymentCount', count, 'updatedAt', ARGV[7], 'who', ARGV[9], 'what', ARGV[10], 'nm', ARGV[11])
if ARGV[4] ~= '' then
  local until_ms = string.format('%d', tonumber(ARGV[4]) + tonumber(ARGV[12]) * 1000)
  redis.call('PEXPIREAT', KEYS[1], until_ms)
  redis.call('PEXPIREAT', KEYS[2], until_ms) -- no-op while the bill has no payments
else
  redis.call('PERSIST', KEYS[2])
end
-- what a read would return next (READ_BILL_LUA), so the bill API answers without a second round trip
return {status and 'replaced' or 'created', count, redis.call('LRANGE', KEYS[2], 0, -1)}
`;

/**
 * KEYS: bill, its payment list. The fields a bill record shows and its payments, read together in
 * one round trip. (It was a MULTI: each ioredis MULTI builds a Pipeline object that copies every
 * script defined on the client, and at a few thousand bills a second those were promoted to the
 * old space by the megabyte; test/bench/HISTORY.md, 2026-12-07.)
 */
export const READ_BILL_LUA = `
return {redis.call('HMGET', KEYS[1], 'status', 'view', 'exp', 'paymentCount', 'updatedAt'), redis.call('LRANGE', KEYS[2], 0, -1)}
`;

/** KEYS: bill, its payment list. ARGV: now, retention seconds. A cancelled bill is kept for the retention, then dropped. */
export const CANCEL_BILL_LUA = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'missing' end
if status == 'paid' then return 'paid' end
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'updatedAt', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 'cancelled'
`
