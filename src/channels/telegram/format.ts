import type { RenderedMessage } from '../../core/types.js';

/** Telegram's limit for one message, counted in UTF-16 units after entity parsing. */
export const MAX_MESSAGE_LENGTH = 4096;
/** Telegram's limit for a button's callback data, in bytes. */
export const MAX_CALLBACK_DATA = 64;
/** Labels up to this many characters share a keyboard row with a neighbour. */
const SHORT_LABEL = 18;

export interface InlineButton {
  text: string;
  callback_data: string;
}

/** One sendMessage worth of output: HTML text, and the keyboard on the last part only. */
export interface TelegramMessage {
  text: string;
  parse_mode: 'HTML';
  reply_markup?: { inline_keyboard: InlineButton[][] };
}

/** Escapes what Telegram's HTML parse mode would read as markup. Nothing else is touched (RTL marks, emoji, Arabic stay as they are). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The largest cut at or before `limit` that does not split a grapheme (surrogate pairs, flags, Arabic marks). */
function safeCut(text: string, limit: number): number {
  let cut = 0;
  for (const { index, segment } of graphemes.segment(text)) {
    if (index + segment.length > limit) break;
    cut = index + segment.length;
  }
  // A single grapheme longer than the limit cannot happen in practice; cut hard rather than loop.
  return cut > 0 ? cut : limit;
}

/**
 * Splits a plain text into parts of at most `limit` UTF-16 units: at a blank
 * line if there is one in the second half, else at a line break, else at a
 * space, else between two characters. The separator itself is dropped.
 */
export function splitText(text: string, limit = MAX_MESSAGE_LENGTH): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const half = Math.floor(limit / 2);
    let cut = -1;
    for (const separator of [/\n\s*\n/g, /\n/g, /\s/g]) {
      let last = -1;
      for (const m of window.matchAll(separator)) if (m.index! >= half && m.index! <= limit) last = m.index!;
      if (last > 0) {
        cut = last;
        break;
      }
    }
    if (cut > 0) {
      parts.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).replace(/^\s+/u, '');
    } else {
      const hard = safeCut(rest, limit);
      parts.push(rest.slice(0, hard));
      rest = rest.slice(hard);
    }
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts.filter((p, i) => p.length > 0 || i === parts.length - 1);
}

/** Two buttons a row while both labels are short, one a row otherwise; the order stays as the flow gave it. */
export function keyboardRows<T extends { text: string }>(buttons: T[]): T[][] {
  const rows: T[][] = [];
  const short = (b: T) => [...b.text].length <= SHORT_LABEL;
  for (let i = 0; i < buttons.length; i++) {
    const next = buttons[i + 1];
    if (next && short(buttons[i]) && short(next)) {
      rows.push([buttons[i], next]);
      i += 1;
    } else rows.push([buttons[i]]);
  }
  return rows;
}

/**
 * A rendered message as Telegram messages: escaped HTML, split at 4096
 * characters, the inline keyboard on the last part. `sign` turns a button id
 * into callback data (see callback-data.ts).
 */
export function toTelegramMessages(message: RenderedMessage, sign: (buttonId: string) => string): TelegramMessage[] {
  const parts = splitText(message.text);
  if (parts.length === 1 && parts[0].trim() === '' && message.buttons.length === 0) return [];
  const out: TelegramMessage[] = parts.map((part) => ({ text: escapeHtml(part), parse_mode: 'HTML' }));
  if (message.buttons.length > 0) {
    const buttons = message.buttons.map((b) => ({ text: b.label, callback_data: sign(b.id) }));
    out[out.length - 1].reply_markup = { inline_keyboard: keyboardRows(buttons) };
  }
  return out;
}
