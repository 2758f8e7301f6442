//! Turns anything thrown by IPC, fetch or JSON parsing into the core's `ErrorInfo`.
import type { ErrorInfo } from '../types';

function isErrorInfo(v: unknown): v is ErrorInfo {
  return (
    typeof v === 'object' && v !== null &&
    typeof (v as ErrorInfo).code === 'string' && typeof (v as ErrorInfo).message === 'string'
  );
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (isErrorInfo(err)) return { code: err.code, message: err.message };
  if (typeof err === 'object' && err !== null && 'error' in err) {
    // The HTTP API wraps it: {"ok":false,"error":{...}}.
    const inner = (err as { error: unknown }).error;
    if (isErrorInfo(inner)) return { code: inner.code, message: inner.message };
  }
  if (err instanceof Error) return { code: 'transport', message: err.message };
  return { code: 'transport', message: String(err) };
}
