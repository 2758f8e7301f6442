//! The transport interface (see `index.ts` for its contract).
import type {
  CallRecord,
  Command,
  CommandOutcome,
  EngineEvent,
  HistoryQuery,
  SecretStatus,
  Settings,
  Snapshot,
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
}
