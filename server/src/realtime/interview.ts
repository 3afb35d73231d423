import {
  cleanName,
  countsOf,
  expertKey,
  expertProblem,
  INTERVIEW_EVENTS,
  INTERVIEW_LIMITS,
  interviewOf,
  normalizeTags,
  recordProblem,
  summarizeInterview,
  tagsProblem,
  type ErrorCode,
  type ExpertRef,
  type InterviewAnswer,
  type InterviewAnswerAck,
  type InterviewAnswerRequest,
  type InterviewChange,
  type InterviewCounts,
  type InterviewListAck,
  type InterviewTagRequest,
  type SessionState,
  withRosterNames,
} from '@kenes/shared';
import { interviewAnswerSchema, interviewListSchema, interviewTagSchema } from '@kenes/shared/schemas';
import type { Store } from '../store/store.js';
import type { Broadcaster } from './broadcaster.js';
import { errorBody, inTurn, unavailableOr, type Identity } from './hub.js';
import type { Room } from './room.js';

const refuse = (code: ErrorCode) => ({ ok: false as const, error: errorBody(code) });

/**
 * The expert interview's answers over Socket.IO. An answer goes to its expert's tabs
 * and to the facilitators, never to another teacher; the projector gets only the
 * counts of the summary, and only while the facilitator shows it. Every write is
 * stored with its request record in one transaction before it is acknowledged, and
 * runs in the room's turn, so a retried request id is answered from its record.
 * Answers are read from the store each time (an interview holds a few hundred), so
 * several nodes agree without a cache to keep in step.
 */
export class InterviewDesk {
  /** In the room's turn: reload the room when another node moved it on; true when it did (set by the hub). */
  behind: (room: Room) => Promise<boolean> = async () => false;

  constructor(
    private readonly store: Store,
    private readonly out: Broadcaster,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes run in the room's turn (see `inTurn`); the list reads the store as it is. */
  handlers(room: Room, who: Identity): Record<string, (payload: unknown) => unknown> {
    return {
      [INTERVIEW_EVENTS.answer]: inTurn(room, interviewAnswerSchema, (req) => this.answer(room, who, req)),
      [INTERVIEW_EVENTS.tag]: inTurn(room, interviewTagSchema, (req) => this.tag(room, who, req)),
      [INTERVIEW_EVENTS.list]: (p) => {
        interviewListSchema.parse(p);
        return this.list(room, who).catch(unavailableOr);
      },
    };
  }

  private get db() {
    return this.store.interview;
  }

  /** An expert's own answer (no `expert`), or the interviewer's record for a named expert. */
  private async answer(room: Room, who: Identity, req: InterviewAnswerRequest): Promise<InterviewAnswerAck> {
    if (who.role === 'screen') return refuse('forbidden');
    const actor = actorOf(who);
    const seen = await this.store.findRequest(room.id, actor, req.rid);
    if (seen) return JSON.parse(seen) as InterviewAnswerAck;
    const ref: ExpertRef | undefined = who.role === 'participant' ? (req.expert ? undefined : { participantId: who.participantId }) : req.expert;
    // A teacher answers for themself only; the interviewer always says for whom.
    if (!ref) return refuse(who.role === 'participant' ? 'forbidden' : 'bad_expert');
    const refused = expertProblem(ref);
    if (refused) return refuse(refused);
    if ('participantId' in ref && !room.roster.has(ref.participantId)) return refuse('unknown_participant');
    const by = who.role === 'participant' ? 'expert' : 'interviewer';
    const problem = await this.inState(room, (s) => recordProblem(interviewOf(s), req.questionId, req.text, by));
    if (problem) return refuse(problem);

    const key = expertKey(ref);
    const before = await this.db.answer(room.id, req.questionId, key);
    if (req.text !== null && !before) {
      const experts = await this.db.experts(room.id, key);
      if (!experts.known && experts.count >= INTERVIEW_LIMITS.experts) return refuse('too_many_experts');
    }
    const t = this.now();
    const answer: InterviewAnswer | null =
      req.text === null
        ? null
        : {
            questionId: req.questionId,
            expert: key,
            participantId: 'participantId' in ref ? ref.participantId : null,
            name: await this.nameOf(room, key, ref),
            text: req.text.trim(),
            themes: before?.themes ?? [],
            by,
            createdAt: before?.createdAt ?? t,
            updatedAt: t,
          };
    return this.write(room, actor, req.rid, { questionId: req.questionId, expert: key, answer });
  }

  /** A teacher's name in the roster; a named expert keeps the name they were first recorded under, however it is typed again. */
  private async nameOf(room: Room, key: string, ref: ExpertRef): Promise<string> {
    if ('participantId' in ref) return room.roster.get(ref.participantId)?.name ?? '';
    return (await this.db.answersOf(room.id, key))[0]?.name ?? cleanName(ref.name);
  }

  /** The facilitator sets the themes an answer carries. */
  private async tag(room: Room, who: Identity, req: InterviewTagRequest): Promise<InterviewAnswerAck> {
    if (who.role !== 'facilitator') return refuse('forbidden');
    const actor = actorOf(who);
    const seen = await this.store.findRequest(room.id, actor, req.rid);
    if (seen) return JSON.parse(seen) as InterviewAnswerAck;
    const problem = await this.inState(room, (s) => {
      const interview = interviewOf(s);
      if (!interview.questions.some((q) => q.id === req.questionId)) return 'unknown_question';
      return tagsProblem(interview, req.themes);
    });
    if (problem) return refuse(problem);
    const before = await this.db.answer(room.id, req.questionId, req.expert);
    if (!before) return refuse('unknown_answer');
    const answer = { ...before, themes: normalizeTags(interviewOf(room.state), req.themes) };
    return this.write(room, actor, req.rid, { questionId: req.questionId, expert: req.expert, answer });
  }

  /** Store the change with its reply, then tell the expert's tabs, the facilitators and (when shown) the projector. */
  private async write(room: Room, actor: string, rid: string, change: InterviewChange): Promise<InterviewAnswerAck> {
    const ack: InterviewAnswerAck = { ok: true, ...change };
    await this.db.put({ sessionId: room.id, questionId: change.questionId, expert: change.expert, answer: change.answer, request: { actor, rid, response: JSON.stringify(ack) } });
    const pid = change.answer?.participantId ?? (change.expert.startsWith('p:') ? change.expert.slice(2) : null);
    if (pid) this.out.toParticipant(room.id, pid, INTERVIEW_EVENTS.mine, change);
    this.out.toFacilitators(room.id, INTERVIEW_EVENTS.recorded, change);
    await this.sendSummary(room);
    return ack;
  }

  /**
   * The rule's answer on this node's copy of the state; a refusal is checked once more
   * after a reload, since another node may have changed the guide a moment ago.
   */
  private async inState(room: Room, rule: (s: SessionState) => ErrorCode | null): Promise<ErrorCode | null> {
    const problem = rule(room.state);
    if (problem && (await this.behind(room))) return rule(room.state);
    return problem;
  }

  private async list(room: Room, who: Identity): Promise<InterviewListAck> {
    if (who.role === 'facilitator') return { ok: true, role: 'facilitator', answers: this.named(room, await this.db.answers(room.id)) };
    if (who.role === 'participant') {
      const mine = await this.db.answersOf(room.id, expertKey({ participantId: who.participantId }));
      return { ok: true, role: 'participant', answers: this.named(room, mine) };
    }
    return { ok: true, role: 'screen', counts: interviewOf(room.state).shown ? await this.counts(room) : null };
  }

  private named(room: Room, answers: InterviewAnswer[]): InterviewAnswer[] {
    return withRosterNames(answers, (id) => room.roster.get(id)?.name);
  }

  private async counts(room: Room): Promise<InterviewCounts> {
    return countsOf(summarizeInterview(interviewOf(room.state), await this.db.answers(room.id)));
  }

  /** While the summary is shown, the projector and the facilitators get its counts again. */
  private async sendSummary(room: Room): Promise<void> {
    if (!interviewOf(room.state).shown) return;
    this.out.toStaff(room.id, INTERVIEW_EVENTS.summary, await this.counts(room));
  }

  /** After a committed command: a guide, themes or settings change while shown re-sends the counts (a failure only logs). */
  afterCommand(room: Room, before: SessionState, after: SessionState): void {
    if (before.interview === after.interview || !after.interview?.shown) return;
    this.sendSummary(room).catch((err: unknown) => console.error(err));
  }
}

/** Request ids live in the shared `requests` table under their own actor name. */
function actorOf(who: Exclude<Identity, { role: 'screen' }>): string {
  return who.role === 'participant' ? `interview:${who.participantId}` : 'interview:facilitator';
}
