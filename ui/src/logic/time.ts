//! Timers: elapsed and remaining seconds, and how they read.
import type { Call } from '../types';

const pad = (n: number) => String(n).padStart(2, '0');

/** `hh:mm:ss`, the state timer ("示闲 00:12:31"). */
export function formatClock(secs: number): string {
  const s = Math.max(0, Math.floor(secs));
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** `mm:ss`, or `h:mm:ss` past an hour: call timers and countdowns. */
export function formatShort(secs: number): string {
  const s = Math.max(0, Math.floor(secs));
  const h = Math.floor(s / 3600);
  const rest = `${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return h > 0 ? `${h}:${rest}` : rest;
}

/**
 * Seconds in a state: the engine's count when the snapshot arrived plus our own since. Uses
 * only our clock for the difference, so an engine/UI clock offset does not skew the timer.
 */
export function elapsedSecs(baseSecs: number, receivedAtMs: number, nowMs: number): number {
  return Math.max(0, baseSecs + Math.floor((nowMs - receivedAtMs) / 1000));
}

/** Seconds left of a countdown that had `remainingSecs` when the snapshot arrived. */
export function remainingSecs(remaining: number, receivedAtMs: number, nowMs: number): number {
  return Math.max(0, remaining - Math.floor((nowMs - receivedAtMs) / 1000));
}

/** A call's seconds: talk time once answered, ring time before. */
export function callSecs(call: Pick<Call, 'started_at_ms' | 'answered_at_ms'>, nowMs: number): number {
  const from = call.answered_at_ms ?? call.started_at_ms;
  return Math.max(0, Math.floor((nowMs - from) / 1000));
}

/** `2024-05-01 09:03`-style local time for lists (`09:03:27` with `seconds`). */
export function formatDateTime(ms: number, seconds = false): string {
  const d = new Date(ms);
  const s = seconds ? `:${pad(d.getSeconds())}` : '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}${s}`;
}
