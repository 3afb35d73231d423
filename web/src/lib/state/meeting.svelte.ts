import type { ErrorBody, MeetingOp } from '@kenes/shared';
import { ApiError, MeetingConflict, type MeetingView } from '@kenes/shared/client';
import { account } from './account.svelte';

/** How often an open meeting page asks for the meeting: others see the queue move within this. */
export const MEETING_POLL_MS = 2500;

/**
 * One meeting as its page shows it, kept fresh by polling while the page is open, and
 * changed by ops. An op answers the whole meeting, so the page never guesses.
 */
export class MeetingState {
  view = $state<MeetingView | null>(null);
  /** Ops in flight: the page disables nothing, but a poll answer must not undo them. */
  busy = $state(0);
  /** The server's clock minus this browser's, from the Date header, for the speaking times. */
  offset = $state(0);
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(readonly id: string) {}

  /** Read the meeting (the typed client's GET, kept raw here for the Date header). */
  async load(): Promise<void> {
    const sent = Date.now();
    const res = await account.client.raw(`/api/meetings/${encodeURIComponent(this.id)}`);
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: ErrorBody } | null;
      throw new ApiError(res.status, body?.error ?? { code: 'internal', message: res.statusText });
    }
    const view = (await res.json()) as MeetingView;
    const date = res.headers.get('date');
    if (date) this.offset = Date.parse(date) + 500 - (sent + Date.now()) / 2;
    if (this.busy === 0 && (!this.view || view.meeting.version >= this.view.meeting.version)) this.view = view;
  }

  /** Apply one op; on a conflict the page shows the meeting as it now stands and the error is thrown. */
  async send(op: MeetingOp): Promise<void> {
    this.busy++;
    try {
      this.view = await account.client.meetingOp(this.id, op);
    } catch (e) {
      if (e instanceof MeetingConflict) this.view = e.view;
      throw e;
    } finally {
      this.busy--;
    }
  }

  /** Poll while the page is open; a hidden tab asks again as soon as it is shown. */
  start(): () => void {
    const tick = () => {
      if (document.visibilityState === 'visible') void this.load().catch(() => {});
    };
    this.timer = setInterval(tick, MEETING_POLL_MS);
    document.addEventListener('visibilitychange', tick);
    return () => {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      document.removeEventListener('visibilitychange', tick);
    };
  }
}
