import { isDeepStrictEqual } from 'node:util';
import { Job, type JobsOptions, type Queue } from 'bullmq';
import { unpack } from 'msgpackr';

/** BullMQ's script as its package ships it, includes resolved (what BullMQ itself loads into Redis). */
interface ShippedScript {
  readonly name: string;
  readonly content: string;
  readonly keys: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { addStandardJob } = require('bullmq/dist/cjs/scripts/addStandardJob-9') as { addStandardJob: ShippedScript };

/** The keys of addStandardJob, in the order its script reads them (KEYS[1..9]). */
const QUEUE_KEY_NAMES = ['wait', 'paused', 'meta', 'id', 'completed', 'delayed', 'active', 'events', 'marker'] as const;

/** Stand-ins for what differs per job; in Lua they are the variables of the same name. */
const PER_JOB = { jobId: '\u0000jobId', name: '\u0000name', timestamp: '\u0000timestamp' } as const;

/** What BullMQ's own add would send for a job: its command, keys and arguments. */
interface RecordedAdd {
  readonly command: string;
  readonly args: readonly unknown[];
}

/** A Lua string literal: printable ASCII as is, every other byte of the UTF-8 as a decimal escape. */
function luaString(s: string): string {
  let out = '"';
  for (const byte of Buffer.from(s, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x22 && byte !== 0x5c ? String.fromCharCode(byte) : `\\${byte}`;
  }
  return `${out}"`;
}

/**
 * A JSON-like value as a Lua table constructor, the per-job stand-ins as Lua variables. What
 * cmsgpack.pack makes of it is what msgpackr makes of the value in BullMQ (nil, booleans,
 * numbers, strings, arrays, maps); trailing nulls of an array are dropped (BullMQ's script reads
 * them as nil either way), an empty object or a null inside an array cannot be written.
 */
function toLua(value: unknown): string {
  if (value === null) return 'nil';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') {
    const variable = Object.entries(PER_JOB).find(([, mark]) => mark === value)?.[0];
    return variable ?? luaString(value);
  }
  if (Array.isArray(value)) {
    const items = [...value];
    while (items.length > 0 && items.at(-1) === null) items.pop();
    if (items.includes(null)) throw new Error('an array with a null inside');
    return `{${items.map(toLua).join(', ')}}`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) throw new Error('an empty object');
    return `{${entries.map(([k, v]) => `[${luaString(k)}] = ${toLua(v)}`).join(', ')}}`;
  }
  throw new Error(`a value of type ${typeof value}`);
}

/**
 * Queues an event inside the ledger's own Lua script, so that recording a payment (or a
 * notification) and adding its BullMQ job are one atomic step in one round trip (README
 * "Durability design note"). The job is BullMQ's: the function body is the addStandardJob script
 * of the installed bullmq package, and its packed arguments are built in the script with Redis's
 * cmsgpack from the values BullMQ packs with msgpackr. `create` first records what BullMQ's own
 * `Queue.add` sends for a job and refuses (the caller then queues with `Queue.add`, a round trip
 * later) if a BullMQ upgrade moved anything.
 */
export class ScriptEnqueue {
  /** The queue's keys the script touches, in addStandardJob's order. */
  readonly keys: readonly string[];
  /**
   * Lua that defines `enqueueJob(qk, jobId, name, timestamp, data)`: true once the job exists
   * (added now, or by an earlier add with its id), false if BullMQ's add failed (nothing of the
   * caller's is undone; pcall).
   */
  readonly lua: string;

  private constructor(keys: readonly string[], args: readonly unknown[], opts: JobsOptions) {
    this.keys = keys;
    this.lua = `local function bullmqAddStandardJob(KEYS, ARGV)
${addStandardJob.content}
end
local function enqueueJob(qk, jobId, name, timestamp, data)
  local ok, id = pcall(bullmqAddStandardJob, qk, {cmsgpack.pack(${toLua(args)}), data, cmsgpack.pack(${toLua(opts)})})
  return ok and type(id) == 'string'
end
`;
  }

  /**
   * The fold for `queue`, or why not: the shipped script must take the nine keys named above, and
   * BullMQ's own add of a sample job must send exactly those keys, the job's data as given, and
   * arguments and options that differ from the ones written here only in the job's id, name and
   * timestamp.
   */
  static async create(queue: Queue, options: (jobId: string) => JobsOptions): Promise<ScriptEnqueue | { refused: string }> {
    if (addStandardJob.keys !== QUEUE_KEY_NAMES.length) return { refused: `bullmq's addStandardJob takes ${addStandardJob.keys} keys, not ${QUEUE_KEY_NAMES.length}` };
    const named = queue.keys as Record<string, string>;
    const keys = QUEUE_KEY_NAMES.map((k) => named[k]!);
    const args = [named['']!, PER_JOB.jobId, PER_JOB.name, PER_JOB.timestamp, null, null, null, null, null, null];
    const opts = options(PER_JOB.jobId);
    const sample = { jobId: 'pay_selfcheck', name: 'va.payment.received', data: '{"id":"pay_selfcheck"}' };
    let recorded: RecordedAdd;
    try {
      recorded = await recordAdd(queue, sample.name, sample.data, sample.jobId, options(sample.jobId));
    } catch (e) {
      return { refused: `bullmq's add could not be recorded: ${(e as Error).message}` };
    }
    const theirs = recorded.args;
    if (!recorded.command.startsWith('addStandardJob:')) return { refused: `bullmq's add runs ${recorded.command}, not addStandardJob` };
    if (theirs.length !== 12) return { refused: `bullmq passes ${theirs.length} arguments to addStandardJob, not 12` };
    if (!isDeepStrictEqual(theirs.slice(0, 9), keys)) return { refused: 'bullmq names its queue keys differently' };
    if (theirs[10] !== sample.data) return { refused: 'bullmq passes the job data differently' };
    const theirArgs = unpack(theirs[9] as Buffer) as unknown[];
    const ours = (v: unknown): unknown => JSON.parse(JSON.stringify(v)
      .replaceAll(JSON.stringify(PER_JOB.jobId), JSON.stringify(sample.jobId))
      .replaceAll(JSON.stringify(PER_JOB.name), JSON.stringify(sample.name))
      .replaceAll(JSON.stringify(PER_JOB.timestamp), String(theirArgs[3])));
    if (!isDeepStrictEqual(ours(args), theirArgs)) return { refused: `bullmq packs its job arguments differently: ${JSON.stringify(theirArgs)}` };
    if (!isDeepStrictEqual(ours(opts), unpack(theirs[11] as Buffer))) return { refused: 'bullmq packs the job options differently' };
    try {
      return new ScriptEnqueue(keys, args, opts);
    } catch (e) {
      return { refused: `the job's options cannot be written in Lua: ${(e as Error).message}` };
    }
  }
}

/**
 * Runs BullMQ's own add path (Queue.add: Job, asJSON, the backend's packing) against a client
 * that records the command instead of sending it.
 */
async function recordAdd(queue: Queue, name: string, data: string, jobId: string, opts: JobsOptions): Promise<RecordedAdd> {
  let recorded: RecordedAdd | undefined;
  const recorder = {
    runCommand: (command: string, args: unknown[]): Promise<string> => {
      recorded = { command, args };
      return Promise.resolve(jobId);
    },
  };
  const jobsOpts = (queue as unknown as { jobsOpts?: JobsOptions }).jobsOpts;
  const job = new Job(queue, name, JSON.parse(data), { ...jobsOpts, ...opts, jobId }, jobId);
  const backend = queue.backend as unknown as {
    addJobToTransaction(client: unknown, job: unknown, jobId: string, parentKeyOpts: object): Promise<string>;
  };
  await backend.addJobToTransaction(recorder, job.asJSON(), jobId, { parentKey: undefined, parentDependenciesKey: '' });
  if (recorded === undefined) throw new Error('no command was sent');
  return recorded;
}
