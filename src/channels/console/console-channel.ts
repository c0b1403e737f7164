import type { Activity, ConversationRef, Messenger, RenderedMessage } from '../../core/types.js';

/** One message the bot sends to a console user, as the JSONL mode prints it. */
export interface ConsoleOutput {
  to: string;
  text: string;
  buttons: { id: string; label: string; kind: string }[];
}

export type ConsoleInput = { from: string; text: string } | { from: string; button: string } | { wait_ms: number };

/** Parses one JSONL input line; throws with a short reason when it is not one of the three shapes. */
export function parseConsoleLine(line: string): ConsoleInput {
  const value = JSON.parse(line) as Record<string, unknown>;
  if (value && typeof value === 'object') {
    if (typeof value.wait_ms === 'number' && value.wait_ms >= 0) return { wait_ms: value.wait_ms };
    if (typeof value.from === 'string' && value.from !== '') {
      if (typeof value.text === 'string') return { from: value.from, text: value.text };
      if (typeof value.button === 'string') return { from: value.from, button: value.button };
    }
  }
  throw new Error('expected {"from","text"}, {"from","button"} or {"wait_ms"}');
}

export function consoleRef(userId: string): ConversationRef {
  return { channel: 'console', conversationId: userId, userId };
}

/**
 * The console channel: turns typed lines into Activities and bot messages into
 * output records. Proactive sends land in the same output, addressed to their user.
 */
export class ConsoleChannel implements Messenger {
  private seq = 0;
  /** Each run gets its own activity ids, so a re-run script is not taken for duplicates. */
  private readonly run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  constructor(private readonly out: (message: ConsoleOutput) => void) {}

  activity(input: { from: string; text: string } | { from: string; button: string }, localeHint?: string): Activity {
    const id = `${this.run}-${++this.seq}`;
    const ref = consoleRef(input.from);
    if ('button' in input) return { id, type: 'button', ref, button: input.button, localeHint };
    return { id, type: 'message', ref, text: input.text, localeHint };
  }

  deliver(userId: string, messages: RenderedMessage[]): void {
    for (const message of messages) this.out({ to: userId, text: message.text, buttons: message.buttons });
  }

  async send(ref: ConversationRef, message: RenderedMessage): Promise<void> {
    this.deliver(ref.userId, [message]);
  }
}
