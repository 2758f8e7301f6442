//! How the page reaches the engine: one interface, two implementations chosen at start.
//!
//! # Contract (every implementation keeps it)
//!
//! - `snapshot()` resolves to the engine's whole current state.
//! - `execute(cmd)` resolves to the command's outcome once the server has answered, or
//!   rejects with an `ErrorInfo` (`{code, message}`): never a bare string or `Error`.
//! - `history(q)` resolves to call records, newest first.
//! - `onSnapshot` / `onEvent` deliver every snapshot / engine event from now on and return an
//!   unsubscribe function; a lost link is retried by the transport itself.
//! - `settings` exists only where settings live (the desktop); the views check for it.
//! - `policy` (the local API's questions and audit log) answers only where the page is the
//!   bar's own: the desktop window, or the listener's `/ui/`; elsewhere its calls reject.
export type {
  Transport,
  DesktopSettings,
  PolicyApi,
  Unsubscribe,
} from './types';
import type { Transport } from './types';
import { createHttpTransport, apiRootFrom } from './http';
import { createTauriTransport } from './tauri';

/** Tauri IPC inside the desktop app, else the local HTTP API. */
export function createTransport(win: Window = window): Transport {
  if ('__TAURI_INTERNALS__' in win) return createTauriTransport();
  return createHttpTransport(apiRootFrom(win.location));
}
