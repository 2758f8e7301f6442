//! The transport interface (see `index.ts` for its contract).
import type {
  AuditEntry,
  CallRecord,
  Command,
  CommandOutcome,
  EngineEvent,
  HistoryQuery,
  PolicyAnswer,
  PolicyView,
  SecretStatus,
  Settings,
  Snapshot,
  TokenView,
} from '../types';

export type Unsubscribe = () => void;

/** What only the desktop offers: settings, the secret, and its windows. */
export interface DesktopSettings {
  get(): Promise<Settings>;
  save(settings: Settings): Promise<void>;
  setSecret(secret: string): Promise<void>;
  secretStatus(): Promise<SecretStatus>;
  openCrm(callId: string): Promise<void>;
  showBar(): Promise<void>;
  closePopup(): Promise<void>;
  /** Saves a call recording in the download folder and opens it; answers the file's path. */
  saveRecording(name: string): Promise<string>;
  /** Fits the bar window's height to the page's (CSS pixels). */
  fitBar(height: number): Promise<void>;
  /** Reveals the local API's pairing token (for Show and Copy only). */
  apiToken(): Promise<TokenView>;
  /** Replaces the pairing token: programs using the old one are refused from now on. */
  rotateApiToken(): Promise<void>;
}

/**
 * The local API's security policy, as seen from the bar's own page: the desktop over IPC
 * and events, the browser over `/api/v1/policy` (polled) and `/api/v1/audit`.
 */
export interface PolicyApi {
  view(): Promise<PolicyView>;
  /**
   * Delivers the policy now and whenever it may have changed (a page asking, an answer, new
   * settings): desktop events, or a poll every ~2 s in the browser. Failures are not
   * delivered: the last view stands.
   */
  onView(cb: (v: PolicyView) => void): Unsubscribe;
  answer(origin: string, answer: PolicyAnswer): Promise<void>;
  /** The newest `limit` control requests, newest first. */
  audit(limit: number): Promise<AuditEntry[]>;
}

export interface Transport {
  readonly kind: 'tauri' | 'http';
  snapshot(): Promise<Snapshot>;
  execute(cmd: Command): Promise<CommandOutcome>;
  history(q: HistoryQuery): Promise<CallRecord[]>;
  onSnapshot(cb: (s: Snapshot) => void): Unsubscribe;
  onEvent(cb: (e: EngineEvent) => void): Unsubscribe;
  /** Whether the link to the engine itself is up (the browser's event stream). */
  onLink?(cb: (up: boolean) => void): Unsubscribe;
  /** The URL of a recording the browser can open, where there is one. */
  recordingUrl?(name: string): string;
  settings?: DesktopSettings;
  policy?: PolicyApi;
}
