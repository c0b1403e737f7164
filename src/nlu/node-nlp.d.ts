// Minimal types for the parts of node-nlp 4 we use (the package ships no types).
declare module 'node-nlp' {
  export interface NlpClassification {
    intent: string;
    score: number;
  }
  export interface NlpProcessResult {
    locale: string;
    utterance: string;
    intent: string;
    score: number;
    classifications: NlpClassification[];
    [key: string]: unknown;
  }
  export interface NlpManagerSettings {
    languages?: string[];
    autoSave?: boolean;
    autoLoad?: boolean;
    modelFileName?: string;
    nlu?: { log?: boolean; [key: string]: unknown };
    forceNER?: boolean;
    threshold?: number;
    [key: string]: unknown;
  }
  export class NlpManager {
    constructor(settings?: NlpManagerSettings);
    addDocument(locale: string, utterance: string, intent: string): void;
    addLanguage(locale: string | string[]): void;
    train(): Promise<unknown>;
    process(locale: string, utterance: string): Promise<NlpProcessResult>;
    export(minified?: boolean): string;
    import(data: string | object): void;
    nlp: {
      classify(locale: string, utterance: string, settings?: unknown): Promise<{ classifications: NlpClassification[]; intent: string; score: number }>;
      [key: string]: unknown;
    };
  }
}
