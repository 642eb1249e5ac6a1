import type { Queue } from 'bullmq';
import type { RequestHandler } from 'express';

type BullBoardApi = typeof import('@bull-board/api');
type BullMqAdapterModule = typeof import('@bull-board/api/bullMQAdapter');
type ExpressAdapterModule = typeof import('@bull-board/express');

/**
 * bull-board's UI for `queues`, mounted at `basePath`, loaded on its first request: bull-board and its
 * Express adapter add 5–6 MB to the RSS of every process that merely could serve it, and most API
 * replicas never do (test/bench/HISTORY.md, "The RSS, the live heap, and the queue UI loaded on first use").
 */
export function queueBoard(queues: readonly Queue[], basePath: string): RequestHandler {
  let router: RequestHandler | undefined;
  return (req, res, next) => {
    if (router === undefined) {
      const { createBullBoard } = require('@bull-board/api') as BullBoardApi;
      const { BullMQAdapter } = require('@bull-board/api/bullMQAdapter') as BullMqAdapterModule;
      const { ExpressAdapter } = require('@bull-board/express') as ExpressAdapterModule;
      const board = new ExpressAdapter();
      board.setBasePath(basePath);
      createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: board });
      router = board.getRouter() as RequestHandler;
    }
    router(req, res, next);
  };
}
