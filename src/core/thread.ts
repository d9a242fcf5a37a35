/**
 * A helper thread as the lower layers see it (a Web Worker or a Node worker_threads Worker, wrapped
 * by workers/thread.web.ts / thread.node.ts): the compute pool's helpers and the reading
 * sub-workers are both one of these, with their own request and reply types.
 */
export interface ThreadPort<Request, Reply> {
  post(request: Request): void;
  onReply(handler: (reply: Reply) => void): void;
  /** A failure of the thread itself (could not start, crashed, ran out of memory). */
  onFailure(handler: (message: string) => void): void;
  /** Node: keep the process alive while a call is in flight, not while idle. */
  hold?(busy: boolean): void;
  terminate(): void;
}
