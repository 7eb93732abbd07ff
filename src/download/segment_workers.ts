/**
 * Running the segments of one file: a pool of connections taking pieces in
 * file order and then the tails of the slowest requests, each request retried
 * from the bytes already written;
 * a fresh signed URL when the old one expires (and a stop when a fresh one is
 * refused the same way); and a fall back to one stream, keeping the bytes on
 * disk, when the server ignores Range.
 *
 * @module
 */
import { cancelledError, isAbortError } from "../errors.ts";
import { anySignal } from "../http/abort_signals.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import { needsUrlRefresh, type RetryOptions, withRetry } from "../http/retry.ts";
import type { RepoId } from "../hub/repo_id.ts";
import { huggingFaceSource } from "../source/hugging_face_source.ts";
import type { RepoSource } from "../source/repo_source.ts";
import type { FileHandle } from "../runtime/runtime.ts";
import { storageFailure } from "../store/storage_error.ts";
import { type DownloadEventHandler, retryEventOf } from "./download_events.ts";
import type { DownloadState } from "../store/partial_state.ts";
import {
  fetchSegment,
  fetchWholeBody,
  RangeIgnoredError,
  type SegmentFetch,
} from "./fetch_segment.ts";
import { type PieceRequest, PieceScheduler } from "./piece_scheduler.ts";
import { formatBytes } from "../units.ts";
import type { PieceBook, PieceView } from "./piece_book.ts";
import type { TransferTracker } from "./transfer_tracker.ts";

/** What the workers need besides the state and the partial file. */
export interface SegmentRun {
  /** Hub settings; its signal is the user's. */
  connection: HubConnection;
  /** The hub the file is resolved again on; Hugging Face when absent. */
  source?: RepoSource;
  /** The repository, to resolve the file again. */
  repo: RepoId;
  /** The pinned commit. */
  commit: string;
  /** Where the bytes are served now (a signed URL that may expire). */
  contentUrl: URL;
  /** Parallel connections. */
  connections: number;
  /** Restart a request after this long without a byte, or too slow over it. */
  idleTimeoutMs: number;
  /** Told about the bytes that landed in their segment, as they land (to hash them). */
  onWritten?: (position: number, bytes: Uint8Array) => Promise<void> | void;
  /** The retry policy of each segment. */
  retry?: RetryOptions;
  /** Receives retry and restart events. */
  emit: DownloadEventHandler;
  /** Counts bytes and persists progress. */
  transfer: TransferTracker;
  /**
   * Opens another handle on the partial file, one for each parallel worker after
   * the first, so that no runtime queues one connection's writes behind another's.
   */
  openWriter?: () => Promise<FileHandle>;
}

/** What {@linkcode fetchAllSegments} fills: the piece state and the partial file. */
export interface SegmentTarget {
  /** The download's state (which file, its identity). */
  state: DownloadState;
  /** The piece state, which the requests advance as bytes land. */
  book: PieceBook;
  /** The partial file. */
  handle: FileHandle;
}

/**
 * The bytes a failed attempt must have added to count as progress (and start
 * the retry count again): a link that drops every request after a few KiB
 * then fails after a bounded number of attempts instead of retrying forever.
 */
const PROGRESS_BYTES = 1024 * 1024;

/** How long a free connection waits before it looks again for bytes worth taking over. */
const LOOK_AGAIN_MS = 100;

/** Some segments and the one request that fetches what is missing of them. */
interface Task {
  segments: readonly PieceView[];
  fetch: (job: SegmentFetch) => Promise<void>;
  /** Told when an attempt starts. */
  onAttempt?: () => void;
  /** A second copy of bytes another request fetches too: its failure stops nothing else. */
  expendable?: boolean;
}

function missingBytes(segments: readonly PieceView[]): number {
  return segments.reduce((sum, segment) => sum + Math.max(0, segment.end + 1 - segment.next), 0);
}

/** Whether an attempt that left `before` bytes missing got far enough to reset the retry count. */
function madeProgress(task: Task, before: number): boolean {
  return before - missingBytes(task.segments) >= Math.min(PROGRESS_BYTES, before);
}

/**
 * The signed URL the bytes come from, resolved again when it stops working.
 * Several segments may find the same URL expired; only the first resolves again.
 */
class ContentUrl {
  current: URL;
  #run: SegmentRun;
  #file: string;
  #refreshing: Promise<void> | undefined;
  /** The file server status that made each fresh URL be resolved. */
  #refreshedAfter = new WeakMap<URL, number>();

  constructor(run: SegmentRun, file: string) {
    this.current = run.contentUrl;
    this.#run = run;
    this.#file = file;
  }

  /** Waits for a refresh in progress. */
  async ready(): Promise<URL> {
    await this.#refreshing;
    return this.current;
  }

  /** The status that made `url` be resolved afresh, if it was. */
  refreshedAfter(url: URL): number | undefined {
    return this.#refreshedAfter.get(url);
  }

  /** Resolves the file again after `failed` answered `status`, unless another segment did. */
  refresh(failed: URL, status: number | undefined): void {
    if (failed !== this.current) return;
    const run = this.#run;
    this.#refreshing ??= (run.source ?? huggingFaceSource).resolveFile(run.connection, {
      repo: run.repo,
      revision: run.commit,
      path: this.#file,
    })
      .then((resolved) => {
        this.current = resolved.contentUrl;
        if (status !== undefined) this.#refreshedAfter.set(resolved.contentUrl, status);
      }, () => {})
      .finally(() => (this.#refreshing = undefined));
  }
}

/** Wakes connections that wait for bytes worth taking over when a request ends. */
class Wakeup {
  #waiting = new Set<() => void>();

  /** Resolves when {@linkcode Wakeup.notify} is called, or after `ms`. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiting.add(done);
    });
  }

  /** Wakes every waiter. */
  notify(): void {
    for (const done of [...this.#waiting]) done();
  }
}

/** One pass over the missing bytes, and what it shares between its connections. */
interface Pass {
  run: SegmentRun;
  state: DownloadState;
  book: PieceBook;
  url: ContentUrl;
  /** Aborts every request of the pass: the user's signal or the first failure. */
  signal: AbortSignal;
  stop: AbortController;
}

/**
 * Fetches every missing byte of `book`'s pieces into `handle`: queued pieces
 * in file order, then the tails of the slowest requests, splitting them (each
 * split saved before its request starts), and in the endgame a second copy of
 * a straggler's remainder. With `run.onWritten`, told about bytes as they land.
 */
export async function fetchAllSegments(run: SegmentRun, target: SegmentTarget): Promise<void> {
  const { emit, transfer } = run;
  const { state, book, handle } = target;
  const path = state.file;
  const userSignal = run.connection.signal;
  const url = new ContentUrl(run, path);
  let rangeIgnored = false;

  for (;;) {
    const stop = new AbortController();
    const signal = anySignal(userSignal, stop.signal)!;
    const pass: Pass = { run, state, book, url, signal, stop };
    const job = passJob(pass, handle);
    const workers = rangeIgnored ? [wholeBodyWorker(pass, job)] : pieceWorkers(pass, job);
    const results = await Promise.allSettled(workers);
    const failure = results.find((result): result is PromiseRejectedResult =>
      result.status === "rejected"
    );
    if (!failure) {
      transfer.progress();
      if (!book.isComplete()) {
        throw new Error("internal: segments incomplete after all workers finished");
      }
      return;
    }
    // Once saved, the bytes kept are reported, so an interrupted run can say how many.
    await transfer.save().then(() => transfer.progress(), () => {});
    if (userSignal?.aborted) throw cancelledError(userSignal.reason);
    const reason = stop.signal.reason ?? failure.reason;
    if (!(reason instanceof RangeIgnoredError) || rangeIgnored) {
      throw isAbortError(reason) ? cancelledError(reason) : reason;
    }
    // The segments keep their bytes: one stream without Range reads past them.
    rangeIgnored = true;
    emit({
      event: "restart",
      file: path,
      reason: "the server ignores Range; downloading in one stream, keeping the bytes on disk",
    });
  }
}

/** The request settings every connection of `pass` starts from. */
function passJob(pass: Pass, handle: FileHandle): SegmentFetch {
  const { run, state, book, url, signal } = pass;
  const path = state.file;
  return {
    connection: { ...run.connection, signal },
    contentUrl: url.current,
    handle,
    book,
    total: state.identity.size,
    idleTimeoutMs: run.idleTimeoutMs,
    file: path,
    repo: run.repo.id,
    onBytes: (count) => run.transfer.onBytes(count),
    onWritten: run.onWritten,
    onReadPast: (bytes) =>
      run.emit({
        event: "restart",
        file: path,
        reason: `the server ignored Range; reading past the ${
          formatBytes(bytes)
        } already downloaded`,
      }),
  };
}

/** One request without Range for every missing byte (for a server that ignores Range). */
function wholeBodyWorker(pass: Pass, job: SegmentFetch): Promise<void> {
  const missing = pass.book.missing();
  return fetchWithRetry(pass, job, {
    segments: missing,
    fetch: (attemptJob) => fetchWholeBody(attemptJob, missing),
  });
}

/** What the connections of one pass share: the pass, its pieces and a way to wait for them. */
interface PieceQueue {
  pass: Pass;
  scheduler: PieceScheduler;
  wakeup: Wakeup;
  /** One segment (a small file): one stream, read past the bytes on disk if Range is ignored. */
  wholeFile: boolean;
}

/**
 * The connections of a pass, each taking what the scheduler hands out. One
 * segment (a small file) is one stream: there is nothing to split it for.
 */
function pieceWorkers(pass: Pass, job: SegmentFetch): Promise<void>[] {
  const wholeFile = pass.book.pieces.length === 1;
  const queue: PieceQueue = {
    pass,
    scheduler: new PieceScheduler(pass.book),
    wakeup: new Wakeup(),
    wholeFile,
  };
  const count = wholeFile ? 1 : Math.max(1, pass.run.connections);
  return Array.from({ length: count }, (_, index) => pieceWorker(queue, job, index));
}

/**
 * One connection of a pass. The first writes through the shared handle; the
 * others through handles of their own, so that no runtime queues one
 * connection's writes behind another's.
 */
async function pieceWorker(queue: PieceQueue, job: SegmentFetch, index: number): Promise<void> {
  const { run, state } = queue.pass;
  const own = index === 0 || !run.openWriter ? undefined : await run.openWriter().catch(
    (error) => {
      throw storageFailure(`open the partial file of ${state.file}`, error, { resumable: true });
    },
  );
  try {
    await drainPieces(queue, own ? { ...job, handle: own } : job);
  } finally {
    await own?.close().catch(() => {});
  }
}

/** Takes pieces from the scheduler until none is left (or the pass stops). */
async function drainPieces(queue: PieceQueue, workerJob: SegmentFetch): Promise<void> {
  const { pass: { run, signal }, scheduler, wakeup } = queue;
  for (;;) {
    if (signal.aborted) return;
    const next = scheduler.take();
    if (next.kind === "done") return;
    if (next.kind === "wait") {
      await wakeup.wait(LOOK_AGAIN_MS);
      continue;
    }
    // A split is on disk before its request starts, so a resumed run sees both halves.
    if (next.split) await run.transfer.save();
    await fetchPiece(queue, workerJob, next.request);
  }
}

/** Fetches one piece the scheduler handed out, with retries; tells the scheduler when it ends. */
async function fetchPiece(
  queue: PieceQueue,
  workerJob: SegmentFetch,
  request: PieceRequest,
): Promise<void> {
  const { pass, scheduler, wakeup, wholeFile } = queue;
  const { run, signal } = pass;
  const requestJob: SegmentFetch = {
    ...workerJob,
    connection: { ...workerJob.connection, signal: anySignal(signal, request.cut.signal) },
    onBytes: (count) => {
      request.bytes += count;
      run.transfer.onBytes(count);
    },
  };
  const copy = request.segment !== request.original;
  try {
    await fetchWithRetry(pass, requestJob, {
      segments: [request.segment],
      fetch: (attemptJob) => fetchSegment(attemptJob, request.segment, { wholeFile }),
      onAttempt: () => scheduler.attempt(request),
      expendable: copy,
    });
  } catch (error) {
    // A request cut short because its twin fetched the same bytes first has done its part;
    // a failed copy leaves the bytes to the request it copied.
    if (signal.aborted || !(copy || request.cut.signal.aborted)) throw error;
  } finally {
    scheduler.finish(request);
    wakeup.notify();
  }
}

/**
 * Runs `task` with the segment retry policy, resolving the URL again when it
 * expired. The first failure stops every other request of the pass.
 */
async function fetchWithRetry(pass: Pass, job: SegmentFetch, task: Task): Promise<void> {
  const { run, url, signal, stop } = pass;
  const path = pass.state.file;
  let before = missingBytes(task.segments);
  let attemptUrl = url.current;
  await withRetry(async () => {
    attemptUrl = await url.ready();
    before = missingBytes(task.segments);
    task.onAttempt?.();
    await task.fetch({
      ...job,
      contentUrl: attemptUrl,
      urlRefreshedAfter: url.refreshedAfter(attemptUrl),
    });
  }, {
    ...run.retry,
    signal: job.connection.signal ?? signal,
    clock: job.connection.clock,
    madeProgress: () => madeProgress(task, before),
    onRetry: (event) => {
      run.emit(retryEventOf(path, event));
      if (needsUrlRefresh(event.error)) url.refresh(attemptUrl, event.error.status);
    },
  }).catch((error) => {
    const cut = job.connection.signal?.aborted && !signal.aborted;
    // The first failure stops every other request; it is the one reported.
    if (!cut && !task.expendable && !stop.signal.aborted) stop.abort(error);
    throw error;
  });
}
