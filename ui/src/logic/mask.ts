//! Numbers the server asks us not to show (800hu `disablePhoneNum`).

/** `138****8000` for mobile-length numbers, `****8000` for shorter, all stars under 7. */
export function maskNumber(number: string): string {
  const n = number.length;
  if (n < 7) return '*'.repeat(n);
  if (n < 11) return '*'.repeat(n - 4) + number.slice(-4);
  return number.slice(0, 3) + '*'.repeat(n - 7) + number.slice(-4);
}

export function shownNumber(number: string, masked: boolean): string {
  return masked ? maskNumber(number) : number;
}

/** Digits, `*`, `#` and a leading `+`, as the servers take them (spaces and dashes dropped). */
export function normalizeNumber(raw: string): string {
  return raw.replace(/[\s\-()]/g, '');
}

export function isDialable(number: string): boolean {
  return /^\+?[0-9*#]{1,32}$/.test(number);
}
