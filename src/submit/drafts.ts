// The answers of a submit cancelled at its question, kept per script with what the script's
// #SBATCH lines said then: when the lines say something else at the next Submit, their new
// values are offered for the fields they set, not the answers given for the old ones.

/** The first values of the form that #SBATCH lines may give. */
export interface SbatchValues {
  queueId?: string;
  queueName?: string;
  queueFromScript?: boolean;
  name?: string;
  cores?: number;
  memLimitMb?: number;
  timeLimitMinutes?: number;
}

/** The form's fields a script's #SBATCH lines may answer. */
export type SbatchField = 'queue' | 'name' | 'cores' | 'memory' | 'time';

/** Each field's values: the first one is what #SBATCH sets; the others follow it. */
const KEYS: Record<SbatchField, readonly (keyof SbatchValues)[]> = {
  queue: ['queueName', 'queueFromScript', 'queueId'],
  name: ['name'],
  cores: ['cores'],
  memory: ['memLimitMb'],
  time: ['timeLimitMinutes'],
};

/**
 * The first values of a Submit that offers a draft back: the draft's, except for each field
 * whose #SBATCH value changed since the draft was kept (`kept`: the #SBATCH values then;
 * undefined for a draft kept without them), which takes the value a Submit without a draft
 * would offer (`fresh`). `changed`: those fields, for the summary to say so.
 */
export function draftWithScriptNow<T extends SbatchValues>(draft: T, kept: SbatchValues | undefined, now: SbatchValues, fresh: SbatchValues): { initial: T; changed: SbatchField[] } {
  if (kept === undefined) {
    return { initial: draft, changed: [] };
  }
  const changed = (Object.keys(KEYS) as SbatchField[]).filter((field) => kept[KEYS[field][0]] !== now[KEYS[field][0]]);
  const initial: T = { ...draft };
  for (const field of changed) {
    for (const key of KEYS[field]) {
      Object.assign(initial, { [key]: fresh[key] });
    }
  }
  return { initial, changed };
}
