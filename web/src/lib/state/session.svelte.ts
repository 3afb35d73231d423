import { SessionClient, type ConnectionStatus } from '@kenes/shared/client';
import type { Allocation, Command, ErrorBody, Participant, Role, SessionState, Stage } from '@kenes/shared';
import type { BallotProgress, GroupMate, LiveResults, MyAnswer } from '@kenes/shared';
import { origin } from '../api/server';
import { t } from './locale.svelte';
import { toasts } from './toasts.svelte';

export type LinkState = 'connecting' | 'online' | 'reconnecting' | 'offline' | 'refused';

/**
 * One live session for a page: the SessionClient's snapshots copied into runes,
 * so components read plain fields and re-render on each patch.
 */
export class LiveSession {
  readonly client: SessionClient;
  readonly code: string;

  status = $state<ConnectionStatus>('connecting');
  role = $state<Role | null>(null);
  state = $state.raw<SessionState | null>(null);
  me = $state.raw<Participant | null>(null);
  /** Teachers: who is in their group, themselves included. */
  mates = $state.raw<GroupMate[]>([]);
  ballot = $state.raw<Allocation | null>(null);
  roster = $state.raw<Participant[]>([]);
  ballotsCast = $state(0);
  pending = $state(0);
  refusal = $state.raw<ErrorBody | null>(null);
  /** Origin teachers should open, as reported by the server. */
  joinOrigin = $state<string | null>(null);
  /** The first welcome has arrived. */
  ready = $state(false);
  /** Ballots — teachers: their own answers by ballot id (check the round); facilitators: answers so far; everyone: live tallies. */
  myAnswers = $state.raw<Map<string, MyAnswer>>(new Map());
  answerCounts = $state.raw<Map<string, BallotProgress>>(new Map());
  liveResults = $state.raw<Map<string, LiveResults>>(new Map());
  /** The browser itself reports no network, as opposed to the server being out of reach. */
  private browserOnline = $state(typeof navigator === 'undefined' ? true : navigator.onLine);

  stage: Stage | null = $derived(this.state ? (this.state.stages[this.state.stageIndex] ?? null) : null);

  link: LinkState = $derived.by(() => {
    if (this.status === 'refused') return 'refused';
    // A socket can look open for a while after Wi-Fi drops; the browser knows sooner.
    if (!this.browserOnline) return 'offline';
    if (this.status === 'online') return 'online';
    return this.status === 'connecting' && !this.ready ? 'connecting' : 'reconnecting';
  });

  private unsubscribe: () => void;
  /** The client replaces its roster map on each change; re-sort only then. */
  private lastRoster: Map<string, Participant> | null = null;
  private readonly onVisible = () => {
    // A laptop that slept may have a drifted clock; the timer must still agree with the projector.
    if (document.visibilityState === 'visible' && this.client.socket.connected) void this.client.syncClock();
  };
  private readonly onNetwork = () => {
    this.browserOnline = navigator.onLine;
  };

  constructor(code: string, token?: string) {
    this.code = code;
    this.client = new SessionClient({ url: origin(), code, token });
    this.unsubscribe = this.client.subscribe((snap) => {
      this.status = snap.status;
      this.role = snap.role;
      this.state = snap.state;
      this.me = snap.me;
      this.mates = snap.mates;
      this.ballot = snap.ballot;
      this.ballotsCast = snap.ballotsCast;
      this.pending = snap.pending;
      this.refusal = snap.refusal;
      this.joinOrigin = this.client.joinOrigin;
      this.myAnswers = snap.myAnswers;
      this.answerCounts = snap.answerCounts;
      this.liveResults = snap.liveResults;
      if (snap.roster !== this.lastRoster) {
        this.lastRoster = snap.roster;
        this.roster = [...snap.roster.values()].sort((a, b) => a.joinedAt - b.joinedAt || a.id.localeCompare(b.id));
      }
    });
    void this.client.ready().then(() => {
      this.ready = true;
    });
    document.addEventListener('visibilitychange', this.onVisible);
    window.addEventListener('online', this.onNetwork);
    window.addEventListener('offline', this.onNetwork);
  }

  /**
   * Send a command; a refusal becomes a translated alert. Resolves true once the server
   * applied it and this page shows the result, so a quick second click (Next, Next) is
   * computed from the new state instead of being refused as stale.
   */
  async run(cmd: Command): Promise<boolean> {
    try {
      const ack = await this.client.command(cmd);
      if (ack.ok) {
        await this.reach(ack.version);
        return true;
      }
      toasts.error(t(`error.${ack.error.code}`));
    } catch {
      toasts.error(t('error.network'));
    }
    return false;
  }

  /** Wait (briefly) until the state has caught up with a version the server acknowledged. */
  private reach(version: number): Promise<void> {
    if ((this.client.state?.version ?? 0) >= version) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        off();
        resolve();
      };
      const timer = setTimeout(done, 3000);
      const off = this.client.subscribe((snap) => {
        if ((snap.state?.version ?? 0) >= version) queueMicrotask(done);
      });
    });
  }

  close(): void {
    this.unsubscribe();
    this.client.close();
    document.removeEventListener('visibilitychange', this.onVisible);
    window.removeEventListener('online', this.onNetwork);
    window.removeEventListener('offline', this.onNetwork);
  }
}
