import type { Lang } from './lang.js';

export type ChannelName = 'console' | 'telegram' | 'teams';

/**
 * Where to reach a person again later (proactive sends). Plain JSON: each
 * channel puts what it needs in `data` (Teams: serviceUrl, tenant; Telegram: nothing).
 */
export interface ConversationRef {
  channel: ChannelName;
  conversationId: string;
  userId: string;
  data?: Record<string, unknown>;
}

/** Things people send that the bot cannot read (yet); kept as a reference, never downloaded. */
export type MediaKind = 'voice' | 'photo' | 'video' | 'sticker' | 'location' | 'contact' | 'file' | 'other';

/** One incoming thing, channel-neutral. Channels build these; nothing past the channel sees grammy or botbuilder. */
export interface Activity {
  /** Unique per channel (Telegram update_id, Bot Framework activity id, console line number). Used to drop duplicates. */
  id: string;
  type: 'message' | 'button' | 'media' | 'event';
  ref: ConversationRef;
  text?: string;
  /** The opaque id of a tapped button (or, in the console, its kind or label). */
  button?: string;
  media?: { kind: MediaKind; fileRef?: string };
  event?: { name: string; data?: Record<string, unknown> };
  /** The channel's idea of the person's language (Telegram `language_code`, Teams `locale`). */
  localeHint?: string;
  /** The person's display name from the channel; used only after consent, never logged. */
  displayName?: string;
}

/** A text to be rendered in the receiver's language: an i18n key plus variables. */
export interface Text {
  key: string;
  vars?: Record<string, TextVar>;
  /** Render in several languages at once: all six (before the language is known) or the ones listed. */
  multilingual?: boolean | Lang[];
}
/** A variable is plain text, a number, another key to render, or a list of those (joined the local way). */
export type TextVar = string | number | Text | TextVar[];

export interface ButtonSpec {
  /** Opaque and short (fits Telegram's 64-byte callback data); only valid while its question is open. */
  id: string;
  /** Stable kind (CONTRACTS.md): `lang.nl`, `consent.yes`, `topic.need.money`, `yes`, `no`, `menu`, … */
  kind: string;
  label: Text;
}

/** One outgoing message, channel-neutral, not yet rendered. */
export interface Reply {
  text: Text[];
  buttons?: ButtonSpec[];
  /** Something relayed by reference (a photo or voice note a resident sent to their volunteer). */
  media?: { kind: MediaKind; fileRef?: string };
}

/** A reply rendered in the receiver's language, ready for a channel. */
export interface RenderedMessage {
  text: string;
  buttons: { id: string; label: string; kind: string }[];
  lang: Lang;
  /** Right-to-left script (Arabic): channels may mark it. */
  rtl: boolean;
  media?: { kind: MediaKind; fileRef?: string };
}

/** Sends to someone who did not just write (proactive). Each channel implements it. */
export interface Messenger {
  send(ref: ConversationRef, message: RenderedMessage): Promise<void>;
}

export function conversationKey(ref: Pick<ConversationRef, 'channel' | 'conversationId'>): string {
  return `${ref.channel}:${ref.conversationId}`;
}

export function personIdOf(ref: Pick<ConversationRef, 'channel' | 'userId'>): string {
  return `${ref.channel}:${ref.userId}`;
}
