import type { Activity, ConversationRef, Messenger } from '../core/types.js';
import { log } from '../core/log.js';
import type { Person } from '../domain/person.js';
import type { Documents } from '../store/documents.js';
import type { Keys } from '../store/keys.js';
import type { Pipeline } from '../pipeline/pipeline.js';

/** The conversation of a person id ("telegram:123"): their stored reference, or the private chat it names. */
export async function refOf(docs: Documents, keys: Keys, personId: string): Promise<ConversationRef | undefined> {
  const person = await docs.get<Person>(keys.person(personId));
  if (person?.ref) return person.ref;
  const at = personId.indexOf(':');
  const channel = personId.slice(0, at);
  const userId = personId.slice(at + 1);
  if (channel !== 'console' && channel !== 'telegram') return undefined;
  return { channel, conversationId: userId, userId };
}

/**
 * Delivers an event into someone's conversation: it runs through the same
 * pipeline as their own messages (so it is rendered in their language, at send
 * time, and respects their dialog), and the replies go out through their channel.
 */
export class Notifier {
  constructor(private readonly docs: Documents, private readonly keys: Keys, private readonly pipeline: Pipeline, private readonly messenger?: Messenger) {}

  async deliver(uid: string, personId: string, event: { name: string; data?: Record<string, unknown> }): Promise<void> {
    const ref = await refOf(this.docs, this.keys, personId);
    if (!ref) {
      log.warn('notify.no_conversation', { event: event.name });
      return;
    }
    const activity: Activity = { id: `evt:${uid}`, type: 'event', ref, event };
    const replies = await this.pipeline.handle(activity);
    if (!this.messenger) {
      if (replies.length) log.warn('notify.no_channel', { event: event.name, channel: ref.channel });
      return;
    }
    for (const message of replies) await this.messenger.send(ref, message);
  }
}
