import { createHmac, timingSafeEqual } from 'node:crypto';
import { MAX_CALLBACK_DATA } from './format.js';

const SEPARATOR = '|';
const SIGNATURE_CHARS = 12; // 72 bits, base64url

/**
 * Callback data is the button id plus a short HMAC over chat id and button id,
 * so nobody can make the bot see a button it never sent to that chat. The key
 * comes from the bot token: a new token makes old buttons answer politely.
 */
export class CallbackSigner {
  private readonly key: Buffer;

  constructor(botToken: string) {
    this.key = createHmac('sha256', botToken).update('samenredzaam/telegram/callback-data').digest();
  }

  private signature(chatId: number | string, buttonId: string): string {
    return createHmac('sha256', this.key).update(`${chatId}\n${buttonId}`).digest('base64url').slice(0, SIGNATURE_CHARS);
  }

  /** Throws when the id is too long for Telegram's 64 bytes (the engine's ids are a few characters). */
  sign(chatId: number | string, buttonId: string): string {
    const data = `${buttonId}${SEPARATOR}${this.signature(chatId, buttonId)}`;
    if (Buffer.byteLength(data) > MAX_CALLBACK_DATA) throw new Error(`button id of ${Buffer.byteLength(buttonId)} bytes does not fit in callback data`);
    return data;
  }

  /** The button id when the data was made by us for this chat; undefined when forged, altered or meant for another chat. */
  verify(chatId: number | string, data: string | undefined): string | undefined {
    if (!data) return undefined;
    const at = data.lastIndexOf(SEPARATOR);
    if (at <= 0) return undefined;
    const buttonId = data.slice(0, at);
    const given = Buffer.from(data.slice(at + 1));
    const wanted = Buffer.from(this.signature(chatId, buttonId));
    return given.length === wanted.length && timingSafeEqual(given, wanted) ? buttonId : undefined;
  }
}
