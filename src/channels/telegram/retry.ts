import { GrammyError, HttpError, type Transformer } from 'grammy';
import { log } from '../../core/log.js';

/** grammy hands transformers an AbortSignal from its own polyfill typing; only this much of it is used. */
type Signal = { readonly aborted: boolean; addEventListener(type: 'abort', listener: () => void): void; removeEventListener(type: 'abort', listener: () => void): void };

export interface RetryOptions {
  /** Tries per call, the first included. */
  maxAttempts?: number;
  /** A retry_after longer than this (seconds) is not waited for: the call fails and its caller decides. */
  maxRetryAfterSec?: number;
  /** First back-off after a network error or 5xx (doubles each time). */
  backoffMs?: number;
  sleep?: (ms: number, signal?: Signal) => Promise<void>;
}

function sleep(ms: number, signal?: Signal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}

/**
 * An API transformer that keeps messages from being dropped: a 429 waits the
 * retry_after Telegram names and tries again; a 5xx or a network error backs off
 * and tries again. Bounded, so a call never hangs for ever. getUpdates is left
 * to grammy's polling loop, which has its own handling.
 */
export function retryTransformer(options: RetryOptions = {}): Transformer {
  const maxAttempts = options.maxAttempts ?? 5;
  const maxRetryAfterSec = options.maxRetryAfterSec ?? 120;
  const backoffMs = options.backoffMs ?? 500;
  const wait = options.sleep ?? sleep;
  return async (prev, method, payload, signal) => {
    // "typing…" is only worth showing now; a late retry would show it after the answer.
    if (method === 'getUpdates' || method === 'sendChatAction') return prev(method, payload, signal);
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= maxAttempts || signal?.aborted;
      let response;
      try {
        response = await prev(method, payload, signal);
      } catch (error) {
        if (last || !(error instanceof HttpError)) throw error;
        log.warn('telegram.retry', { method, reason: 'network', attempt });
        await wait(backoffMs * 2 ** (attempt - 1), signal);
        continue;
      }
      if (response.ok || last) return response;
      if (response.error_code === 429) {
        const after = response.parameters?.retry_after ?? 1;
        if (after > maxRetryAfterSec) return response;
        log.warn('telegram.retry', { method, reason: 'rate_limited', retry_after: after, attempt });
        await wait(after * 1000, signal);
        continue;
      }
      if (response.error_code >= 500) {
        log.warn('telegram.retry', { method, reason: `http_${response.error_code}`, attempt });
        await wait(backoffMs * 2 ** (attempt - 1), signal);
        continue;
      }
      return response;
    }
  };
}

/** The person blocked the bot, deleted their account, or the chat is gone: nothing we send will arrive. */
export function isUnreachableError(error: unknown): boolean {
  if (!(error instanceof GrammyError)) return false;
  if (error.error_code === 403) return true;
  return error.error_code === 400 && /chat not found|user is deactivated/i.test(error.description);
}
