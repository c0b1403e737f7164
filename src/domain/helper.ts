import type { Lang } from '../core/lang.js';
import type { NeedIntent } from '../core/intents.js';
import type { Versioned } from '../store/documents.js';

export type HelperRole = 'volunteer' | 'wijkwerker' | 'coordinator';

/** An active resident (volunteer), a professional (wijkwerker) or a coordinator, as the registry knows them. */
export interface Helper extends Versioned {
  id: string;
  role: HelperRole;
  name: string;
  languages: Lang[];
  wijk: string;
  topics: NeedIntent[];
  /** How many open requests they can take at once. */
  capacity: number;
  status: 'invited' | 'active' | 'paused';
  /** Person ids (channel:user) bound to this record by an invite code. */
  channels: string[];
  createdAt: string;
}
