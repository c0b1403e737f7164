import type { Lang } from '../core/lang.js';
import type { Intent, NeedIntent } from '../core/intents.js';

/** What the NLU understood of one free text. */
export interface Classification {
  text: string;
  /** The language the text is in (within our six), settled from stored preference, hint and text. */
  lang: Lang;
  intent: Intent;
  /** 0..1, the classifier's confidence in `intent`. */
  score: number;
  /** True whenever the text signals acute danger, whatever the top intent. */
  crisis: boolean;
  /** No alarm, but the text may mean danger: the bot asks the person rather than guess. */
  crisisCheck?: boolean;
  /** Every need the text mentions with enough confidence, best first (a text may carry two needs). */
  needs: NeedIntent[];
  /** The language the text itself is clearly in, when it can tell. */
  detected?: Lang;
  /** True when the text is clearly in another of our languages than the stored or hinted one. */
  langDiffers?: boolean;
}

export interface ClassifyOptions {
  /** The language the conversation is in (stored preference). */
  stored?: Lang;
  /** The channel's locale hint (Telegram `language_code`, Teams `locale`). */
  hint?: Lang;
}

export interface Nlu {
  classify(text: string, options?: ClassifyOptions): Promise<Classification>;
}
