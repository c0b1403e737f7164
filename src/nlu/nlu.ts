/**
 * The Nlu: language choice + crisis detection + intent classification for one free text.
 */
import type { Lang } from '../core/lang.js';
import type { Classification, ClassifyOptions, Nlu } from './types.js';
import type { Classifier } from './classifier.js';
import { chooseLanguage, textLanguage, type LanguageChoice } from './language.js';
import { detectCrisis, type CrisisKind, type CrisisLexicon, loadCrisisLexicon } from './crisis.js';
import { decideCrisis, DEFAULT_CRISIS_THRESHOLDS, type CrisisThresholds } from './crisis-decision.js';

/** What classify returns: the contract's Classification plus optional detail for the flow. */
export interface NluClassification extends Classification {
  /** The conversation language (stored, else hint, else the text's) — `lang` is the text's own. */
  conversationLang?: Lang;
  /** The language the text itself is in, when clear (may differ from the stored language). */
  detected?: Lang;
  /** True when the text is clearly in another language than the stored/hinted one: ask once. */
  langDiffers?: boolean;
  crisisKind?: CrisisKind;
  /** Which signal raised the alarm (for logs and eval; never the text). */
  crisisSignal?: 'lexicon' | 'model';
  /** The learned crisis model's probability, when there is one. */
  crisisProbability?: number;
}

export interface NluOptions {
  /** DEFAULT_LANGUAGE: used when there is no stored language, no hint and the text does not tell. */
  fallback?: Lang;
  /** When to alarm and when to ask (crisis-decision.ts); tests and benchmarks may change them. */
  crisis?: Partial<CrisisThresholds>;
}

export class NluService implements Nlu {
  private lexicon: CrisisLexicon;

  constructor(
    readonly classifier: Classifier,
    private options: NluOptions = {},
    lexicon?: CrisisLexicon,
  ) {
    this.lexicon = lexicon ?? loadCrisisLexicon();
  }

  language(text: string, options: ClassifyOptions = {}): LanguageChoice {
    return chooseLanguage(text, { stored: options.stored, hint: options.hint, fallback: this.options.fallback }, this.classifier.profile);
  }

  async classify(text: string, options: ClassifyOptions = {}): Promise<NluClassification> {
    const choice = this.language(text, options);
    const lang = textLanguage(choice);
    const crisis = detectCrisis(text, this.lexicon);
    // before the intents: both n-gram models then share one feature extraction of the whole text
    const probability = this.classifier.crisisModel?.probability(text);
    const r = await this.classifier.classify(text, lang);
    const decision = decideCrisis(
      { lexicon: crisis.crisis, probability: probability ?? r.crisisProbability, intent: r.intent, intentScore: r.score },
      { ...DEFAULT_CRISIS_THRESHOLDS, ...this.options.crisis },
    );
    const isCrisis = decision.verdict === 'alarm';
    let intent = r.intent;
    let score = r.score;
    if (isCrisis) {
      intent = 'crisis';
      score = decision.signal === 'lexicon' ? 1 : (probability ?? r.crisisProbability ?? score);
    } else if (intent === 'crisis') {
      // the classifier leans to crisis but neither signal is sure: no alarm, and no confident guess either
      intent = 'none';
      score = 1 - r.score;
    }
    const out: NluClassification = {
      text,
      lang,
      intent,
      score: Math.round(score * 1000) / 1000,
      crisis: isCrisis,
      needs: r.needs,
      conversationLang: choice.lang,
      detected: choice.detected,
      langDiffers: choice.differs,
    };
    // the model knows danger, not its kind
    if (crisis.kind) out.crisisKind = crisis.kind;
    if (decision.verdict === 'alarm') out.crisisSignal = decision.signal;
    // not sure either way: ask the person (the question carries the emergency numbers)
    if (decision.verdict === 'ask') out.crisisCheck = true;
    if (probability !== undefined) out.crisisProbability = Math.round(probability * 1000) / 1000;
    return out;
  }
}
