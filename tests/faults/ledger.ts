import { addNote, groupBoardId, type Allocation, type BallotAnswer } from '@kenes/shared';
import { createSession, joinSession, SessionClient } from '@kenes/shared/client';
import { ConfirmedBoard } from './confirmed-board.js';

/** What one teacher sent, and what the server acknowledged of it. */
export interface TeacherRecord {
  name: string;
  token: string;
  participantId: string;
  group: string | null;
  /** Notes written, by write number: confirmed once the board's confirmed count reaches it. */
  notes: Array<{ seq: number; id: string; text: string }>;
  board: ConfirmedBoard | null;
  /** The last acknowledged ballot, and the one in flight (sent, not yet acknowledged). */
  vote: Sent<Allocation | null>;
  answer: Sent<BallotAnswer | null>;
}

/** A value the server acknowledged last, and one still in flight; `null` before anything was sent. */
export interface Sent<T> {
  acked: T | null;
  inFlight: { value: T } | null;
  sentAny: boolean;
}

/** Everything a scripted session had acknowledged when the server died. */
export interface Ledger {
  session: { code: string; id: string; token: string } | null;
  teachers: TeacherRecord[];
  solutions: Set<string>;
  voteOpen: boolean;
  ballotOpen: boolean;
  refusals: string[];
  /** Everything to close at the kill, so nothing re-sends what the dead server had not stored. */
  open: Array<{ close(): void }>;
  stopped: boolean;
  /** Resolves once the server has confirmed the first note: the writing has begun. */
  writing: Promise<void>;
  wrote: () => void;
}

export function newLedger(): Ledger {
  let wrote = () => {};
  const writing = new Promise<void>((resolve) => (wrote = resolve));
  return { session: null, teachers: [], solutions: new Set(), voteOpen: false, ballotOpen: false, refusals: [], open: [], stopped: false, writing, wrote };
}

export const BALLOT_ID = 'b1';
const unsent = <T>(): Sent<T> => ({ acked: null, inFlight: null, sentAny: false });
const NAMES = ['Әсел', 'Берік', 'Гүлнар', 'Дәурен'];
const VOTES: Allocation[] = [{ g1: 2 }, { g1: 1, g2: 1 }, { g2: 2 }, {}, { g2: 1 }];
const ANSWERS: Array<BallotAnswer | null> = [{ kind: 'single', option: 'o1' }, { kind: 'single', option: 'o2' }, null, { kind: 'single', option: 'o3' }];

/** Give up quickly on requests cut off by the kill: the ledger keeps them as pending. */
const client = (ledger: Ledger, url: string, code: string, token: string) => {
  const c = new SessionClient({ url, code, token, giveUpMs: 3000 });
  ledger.open.push(c);
  return c;
};

/**
 * A case session as the facilitator and four teachers run it, recording each step the
 * server acknowledged: creation, joins, groups, solutions, the vote and a ballot opened,
 * then every teacher writing notes on their group's board while changing their vote and
 * their answer, until `ledger.stopped`.
 */
export async function runSession(url: string, ledger: Ledger): Promise<void> {
  const created = await createSession(url, { title: 'Kill trial', template: 'case-method', locale: 'kk' });
  ledger.session = { code: created.code, id: created.id, token: created.facilitatorToken };
  const fac = client(ledger, url, created.code, created.facilitatorToken);
  await fac.ready();
  const command = async (cmd: Parameters<SessionClient['command']>[0]) => {
    const ack = await fac.command(cmd);
    if (!ack.ok) ledger.refusals.push(`${cmd.type}: ${ack.error.code}`);
    return ack.ok;
  };
  for (const name of NAMES) {
    const joined = await joinSession(url, created.code, name);
    ledger.teachers.push({ name, token: joined.token, participantId: joined.participantId, group: null, notes: [], board: null, vote: unsent(), answer: unsent() });
  }
  for (const [i, t] of ledger.teachers.entries()) {
    const group = i % 2 ? 'g2' : 'g1';
    if (await command({ type: 'participant.move', participantId: t.participantId, groupId: group })) t.group = group;
  }
  for (const g of ['g1', 'g2']) if (await command({ type: 'group.solution', groupId: g, text: `Шешім ${g}` })) ledger.solutions.add(g);
  ledger.voteOpen = await command({ type: 'vote.open' });
  const options = ['o1', 'o2', 'o3'].map((id) => ({ id, label: id.toUpperCase() }));
  if (await command({ type: 'ballot.create', ballot: { id: BALLOT_ID, kind: 'single', title: 'Формат', options } })) ledger.ballotOpen = await command({ type: 'ballot.open', ballotId: BALLOT_ID });
  await Promise.all(ledger.teachers.map((t) => teacherWork(url, ledger, t)));
}

async function teacherWork(url: string, ledger: Ledger, t: TeacherRecord): Promise<void> {
  const { code, id: sessionId } = ledger.session!;
  const c = client(ledger, url, code, t.token);
  const b = new ConfirmedBoard(url, sessionId, groupBoardId(t.group!), t.token);
  ledger.open.push(b);
  t.board = b;
  await Promise.all([c.ready(), b.synced]);
  for (let k = 0; !ledger.stopped; k++) {
    const id = `${t.participantId}-${k}`;
    const text = `${t.name}: ${k}-жазба`;
    const seq = b.write((doc) => addNote(doc, { id, text, color: 'yellow', authorId: t.participantId, authorName: t.name, stageId: 's1', createdAt: k }));
    t.notes.push({ seq, id, text });

    const vote = VOTES[k % VOTES.length]!;
    t.vote = { ...t.vote, inFlight: { value: vote }, sentAny: true };
    const voted = await c.vote(vote);
    if (!voted.ok) ledger.refusals.push(`vote: ${voted.error.code}`);
    else t.vote = { acked: vote, inFlight: null, sentAny: true };

    const answer = ANSWERS[k % ANSWERS.length]!;
    t.answer = { ...t.answer, inFlight: { value: answer }, sentAny: true };
    const answered = await c.answer(BALLOT_ID, answer);
    if (!answered.ok) ledger.refusals.push(`answer: ${answered.error.code}`);
    else t.answer = { acked: answer, inFlight: null, sentAny: true };

    await b.confirm();
    ledger.wrote();
  }
}

/** Notes the server confirmed before it died. */
export const confirmedNotes = (t: TeacherRecord) => t.notes.filter((n) => t.board && n.seq <= t.board.confirmed);
