import type { Message, Update, User } from 'grammy/types';
import type { Activity, ConversationRef, MediaKind } from '../../core/types.js';
import type { CallbackSigner } from './callback-data.js';

/** What one Telegram update means for us. Only private chats with people are handled. */
export type Incoming =
  | { type: 'activity'; activity: Activity }
  /** A button press: always answered; `activity` is missing when the data is forged or not for this chat. */
  | { type: 'callback'; queryId: string; activity?: Activity; localeHint?: string }
  /** The person blocked the bot (kicked) or started it again (member). */
  | { type: 'membership'; ref: ConversationRef; blocked: boolean }
  | { type: 'ignore'; reason: string };

export function telegramRef(chatId: number | string, userId: number | string): ConversationRef {
  return { channel: 'telegram', conversationId: String(chatId), userId: String(userId) };
}

/** A reference to a message in its chat, for things without a file (a location, a contact): the relay can copy it later. */
export function messageRef(message: Pick<Message, 'chat' | 'message_id'>): string {
  return `tg-message:${message.chat.id}:${message.message_id}`;
}

/** What the bot cannot read yet, as a kind plus a reference (a file_id where Telegram has one). Undefined for text and service messages. */
export function mediaOf(message: Message): { kind: MediaKind; fileRef: string } | undefined {
  if (message.voice) return { kind: 'voice', fileRef: message.voice.file_id };
  if (message.video_note) return { kind: 'video', fileRef: message.video_note.file_id };
  if (message.video) return { kind: 'video', fileRef: message.video.file_id };
  if (message.animation) return { kind: 'video', fileRef: message.animation.file_id };
  if (message.photo?.length) return { kind: 'photo', fileRef: message.photo[message.photo.length - 1].file_id };
  if (message.sticker) return { kind: 'sticker', fileRef: message.sticker.file_id };
  if (message.audio) return { kind: 'file', fileRef: message.audio.file_id };
  if (message.document) return { kind: 'file', fileRef: message.document.file_id };
  if (message.location || message.venue) return { kind: 'location', fileRef: messageRef(message) };
  if (message.contact) return { kind: 'contact', fileRef: messageRef(message) };
  if (message.dice || message.poll || message.story || message.game || message.paid_media) return { kind: 'other', fileRef: messageRef(message) };
  return undefined;
}

function person(from: User | undefined): from is User {
  return !!from && !from.is_bot;
}

function base(update: Update, chatId: number, from: User): Pick<Activity, 'id' | 'ref' | 'localeHint' | 'displayName'> {
  return { id: String(update.update_id), ref: telegramRef(chatId, from.id), localeHint: from.language_code, displayName: from.first_name };
}

function fromMessage(update: Update, message: Message, edited: boolean): Incoming {
  if (message.chat.type !== 'private') return { type: 'ignore', reason: 'not a private chat' };
  if (!person(message.from)) return { type: 'ignore', reason: 'not from a person' };
  const common = base(update, message.chat.id, message.from);
  // An edit is a new message with its own update id: the person corrected themselves.
  if (typeof message.text === 'string') return { type: 'activity', activity: { ...common, type: 'message', text: message.text } };
  // Live locations arrive as a stream of edits; they are not new messages.
  if (edited) return { type: 'ignore', reason: 'edited media' };
  const media = mediaOf(message);
  if (!media) return { type: 'ignore', reason: 'service message' };
  return { type: 'activity', activity: { ...common, type: 'media', media } };
}

/** Translates one update. Commands (`/start CODE`, `/taal` …) stay text: the flows know them. */
export function translate(update: Update, signer: CallbackSigner): Incoming {
  if (update.message) return fromMessage(update, update.message, false);
  if (update.edited_message) return fromMessage(update, update.edited_message, true);
  const query = update.callback_query;
  if (query) {
    const message = query.message;
    const localeHint = query.from.language_code;
    if (!message || message.chat.type !== 'private' || !person(query.from)) return { type: 'callback', queryId: query.id, localeHint };
    const button = signer.verify(message.chat.id, query.data);
    if (button === undefined) return { type: 'callback', queryId: query.id, localeHint };
    return { type: 'callback', queryId: query.id, localeHint, activity: { ...base(update, message.chat.id, query.from), type: 'button', button } };
  }
  const member = update.my_chat_member;
  if (member && member.chat.type === 'private') {
    const status = member.new_chat_member.status;
    if (status === 'kicked' || status === 'member') return { type: 'membership', ref: telegramRef(member.chat.id, member.from.id), blocked: status === 'kicked' };
  }
  return { type: 'ignore', reason: 'update type not handled' };
}
