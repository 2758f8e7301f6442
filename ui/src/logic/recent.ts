//! Recently dialled numbers and targets, kept in localStorage.
const MAX = 10;

/** `number` first, no duplicates, at most `max`. */
export function remember(list: string[], number: string, max = MAX): string[] {
  return [number, ...list.filter((n) => n !== number)].slice(0, max);
}

export function loadList(storage: Storage | undefined, key: string): string[] {
  try {
    const v: unknown = JSON.parse(storage?.getItem(key) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX) : [];
  } catch {
    return [];
  }
}

export function saveList(storage: Storage | undefined, key: string, list: string[]): void {
  try {
    storage?.setItem(key, JSON.stringify(list));
  } catch {
    // Storage may be full or off (private mode): the list lives for this session only.
  }
}

export const RECENT_NUMBERS = 'agentbar.recent_numbers';
export const RECENT_TARGETS = 'agentbar.recent_targets';
