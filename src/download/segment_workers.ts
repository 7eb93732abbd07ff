/**
 * Running the segments of one file: a pool of workers, each fetching one
 * segment at a time with retries that continue from the bytes already written;
 * a fresh signed URL when the old one expires; and a fall back to one stream
 * when the server ignores Range.
 *
 * @module
 */
import { cancelledError, isAbortError } from "../errors.ts";
import { anySignal } from "../http/abort_signals.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import { type RetryOptions, withRetry } from "../http/retry.ts";
import type { RepoId } from "../hub/repo_id.ts";
import { resolveFile } from "../hub/resolve_file.ts";
import type { FileHandle } from "../runtime/runtime.ts";
import { storageFailure } from "../store/storage_error.ts";
import type { DownloadEventHandler } from "./download_events.ts";
import type { DownloadState } from "./download_state.ts";
import { fetchSegment, RangeIgnoredError, type SegmentFetch } from "./fetch_segment.ts";
import { type ContentHasher, createContentHasher, expectedHashOf } from "./file_hash.ts";
import { isComplete, type Segment } from "./segment_plan.ts";
import type { TransferTracker } from "./transfer_tracker.ts";

/** What the workers need besides the state and the partial file. */
export interface SegmentRun {
  /** Hub settings; its signal is the user's. */
  connection: HubConnection;
  /** The repository, to resolve the file again. */
  repo: RepoId;
  /** The pinned commit. */
  commit: string;
  /** Where the bytes are served now (a signed URL that may expire). */
  contentUrl: URL;
  /** Parallel connections. */
  connections: number;
  /** Restart a request after this long without a byte. */
  idleTimeoutMs: number;
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

/**
 * The bytes a failed attempt must have added to count as progress (and start
 * the retry count again): a link that drops every request after a few KiB
 * then fails after a bounded number of attempts instead of retrying forever.
 */
const PROGRESS_BYTES = 1024 * 1024;

/** Whether an attempt that began at byte `before` got far enough to reset the retry count. */
function madeProgress(segment: Segment, before: number): boolean {
  const remaining = segment.end + 1 - before;
  return segment.next - before >= Math.min(PROGRESS_BYTES, remaining);
}

function hasherFor(state: DownloadState): ContentHasher | undefined {
  const expected = expectedHashOf(state.identity);
  return expected ? createContentHasher(expected.algorithm, state.identity.size) : undefined;
}

/**
 * Fetches every missing byte of `state.segments` into `handle`. Answers the
 * hash of the content when the bytes arrived in order from byte 0 (one
 * stream), so the caller need not read the file again.
 *
 * @example
 * ```ts ignore
 * const hasher = await fetchAllSegments(run, state, handle);
 * ```
 */
export async function fetchAllSegments(
  run: SegmentRun,
  state: DownloadState,
  handle: FileHandle,
): Promise<ContentHasher | undefined> {
  const { emit, transfer } = run;
  const path = state.file;
  const userSignal = run.connection.signal;
  let currentUrl = run.contentUrl;
  let refreshing: Promise<void> | undefined;
  // Several segments may find the same URL expired; only the first resolves again.
  const refreshUrl = (failed: URL) => {
    if (failed !== currentUrl) return;
    refreshing ??= resolveFile(run.connection, run.repo, run.commit, path)
      .then((resolved) => void (currentUrl = resolved.contentUrl), () => {})
      .finally(() => (refreshing = undefined));
  };

  for (;;) {
    const wholeFile = state.segments.length === 1;
    const stop = new AbortController();
    const signal = anySignal(userSignal, stop.signal)!;
    const job: SegmentFetch = {
      connection: { ...run.connection, signal },
      contentUrl: currentUrl,
      handle,
      total: state.identity.size,
      idleTimeoutMs: run.idleTimeoutMs,
      file: path,
      repo: run.repo.id,
      onBytes: (count) => transfer.onBytes(count),
      // Hashing while streaming works only when the bytes arrive in order from byte 0.
      hasher: wholeFile && state.segments[0].next === 0 ? hasherFor(state) : undefined,
      onRestartFromZero: () => {
        job.hasher = hasherFor(state);
        emit({
          event: "restart",
          file: path,
          reason: "the server ignored Range; downloading from the start",
        });
      },
    };
    const queue = state.segments.filter((segment) => segment.next <= segment.end);
    const worker = async (index: number) => {
      // The first worker uses the shared job (and its hasher, when one stream runs); the others
      // write through handles of their own.
      const own = index === 0 || !run.openWriter
        ? undefined
        : await run.openWriter().catch((error) => {
          throw storageFailure(`open the partial file of ${path}`, error, true);
        });
      try {
        await drain(own ? { ...job, handle: own } : job);
      } finally {
        await own?.close().catch(() => {});
      }
    };
    const drain = async (workerJob: SegmentFetch) => {
      for (let segment = queue.shift(); segment; segment = queue.shift()) {
        const current: Segment = segment;
        let before = current.next;
        let attemptUrl = currentUrl;
        await withRetry(async () => {
          await refreshing;
          attemptUrl = currentUrl;
          before = current.next;
          workerJob.contentUrl = attemptUrl;
          await fetchSegment(workerJob, current, wholeFile);
        }, {
          ...run.retry,
          signal,
          madeProgress: () => madeProgress(current, before),
          onRetry: (event) => {
            emit({
              event: "retry",
              file: path,
              attempt: event.attempt,
              delayMs: Math.round(event.delayMs),
              message: event.error.message,
              reason: event.reason,
              nextAttempt: event.nextAttempt,
              attempts: event.attempts,
            });
            if (event.error.details.refreshUrl) refreshUrl(attemptUrl);
          },
        }).catch((error) => {
          // The first failure stops every other segment; it is the one reported.
          if (!stop.signal.aborted) stop.abort(error);
          throw error;
        });
      }
    };
    const workers = Array.from(
      { length: Math.min(run.connections, queue.length) },
      (_, index) => worker(index),
    );
    const results = await Promise.allSettled(workers);
    const failure = results.find((result): result is PromiseRejectedResult =>
      result.status === "rejected"
    );
    if (!failure) {
      transfer.progress();
      if (!isComplete(state.segments)) {
        throw new Error("internal: segments incomplete after all workers finished");
      }
      return job.hasher;
    }
    await transfer.save().catch(() => {});
    if (userSignal?.aborted) throw cancelledError(userSignal.reason);
    const reason = stop.signal.reason ?? failure.reason;
    if (!(reason instanceof RangeIgnoredError)) {
      throw isAbortError(reason) ? cancelledError(reason) : reason;
    }
    emit({
      event: "restart",
      file: path,
      reason: "the server ignores Range; downloading in one stream",
    });
    // The state on disk must stop claiming the old segments before their bytes go.
    state.segments = [{ start: 0, end: state.identity.size - 1, next: 0 }];
    await transfer.save();
    await handle.truncate(0).catch((error) => {
      throw storageFailure(`truncate the partial file of ${path}`, error, true);
    });
  }
}
