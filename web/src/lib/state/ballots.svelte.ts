import { checkAnswer, type BallotAnswer, type BallotDef, type BallotResults } from '@kenes/shared';
import { t } from './locale.svelte';
import type { LiveSession } from './session.svelte';

/**
 * Reactive readers of a session's ballots (the LiveSession copies the client's maps
 * into runes), and the send state of one teacher's answer.
 */

/** The results to show for a ballot: its published tally, or the running one while a live ballot is open. */
export function resultsFor(session: LiveSession, def: BallotDef): BallotResults | null {
  if (def.results) return def.results;
  const live = session.liveResults.get(def.id);
  return def.status === 'open' && live && live.round === def.round ? live.results : null;
}

/** This teacher's stored answer to the ballot's current round, if any. */
export function myAnswerFor(session: LiveSession, def: BallotDef): BallotAnswer | null {
  const mine = session.myAnswers.get(def.id);
  return mine && mine.round === def.round ? mine.answer : null;
}

/** Answers so far in the ballot's current round (facilitators). */
export function answersSoFar(session: LiveSession, def: BallotDef): number {
  const p = session.answerCounts.get(def.id);
  return p && p.round === def.round ? p.answers : 0;
}

/** `dirty`: the draft differs from what was last sent. */
export type SendStatus = 'idle' | 'dirty' | 'sending' | 'saved' | 'error';

/**
 * Sends one teacher's answers to one ballot: the client resends until acknowledged;
 * only the latest answer's acknowledgement sets the visible state.
 */
export class AnswerSender {
  status = $state<SendStatus>('idle');
  /** A translated refusal or network message; empty when none. */
  problem = $state('');
  private latest = 0;

  constructor(
    private readonly session: LiveSession,
    private readonly ballotId: string,
    saved: boolean,
  ) {
    if (saved) this.status = 'saved';
  }

  /** Check the answer locally (the server checks it again), then send it; `null` withdraws. */
  async send(def: BallotDef, answer: BallotAnswer | null): Promise<boolean> {
    if (answer) {
      const local = checkAnswer(def, answer);
      if (local) {
        this.status = 'error';
        this.problem = t(`error.${local}`);
        return false;
      }
    }
    const mine = ++this.latest;
    this.status = 'sending';
    this.problem = '';
    try {
      const ack = await this.session.client.answer(this.ballotId, answer);
      if (mine !== this.latest) return ack.ok;
      if (ack.ok) {
        this.status = answer ? 'saved' : 'idle';
        return true;
      }
      this.status = 'error';
      this.problem = t(`error.${ack.error.code}`);
    } catch {
      if (mine !== this.latest) return false;
      this.status = 'error';
      this.problem = t('error.network');
    }
    return false;
  }

  /** The draft changed and has not been sent yet. */
  touch(): void {
    if (this.status !== 'sending') this.status = 'dirty';
    this.problem = '';
  }
}
