import type { ChannelName, ConversationRef, Messenger, RenderedMessage } from '../core/types.js';

/** Sends a proactive message through the receiver's own channel. */
export class MessengerRouter implements Messenger {
  private readonly channels = new Map<ChannelName, Messenger>();

  register(channel: ChannelName, messenger: Messenger): this {
    this.channels.set(channel, messenger);
    return this;
  }

  async send(ref: ConversationRef, message: RenderedMessage): Promise<void> {
    const messenger = this.channels.get(ref.channel);
    if (!messenger) throw new Error(`no ${ref.channel} channel is running to reach this person`);
    await messenger.send(ref, message);
  }
}
