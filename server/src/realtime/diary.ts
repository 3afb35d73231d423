import {
  DIARY_EVENTS,
  DIARY_LIMITS,
  diaryAddSchema,
  diaryDeleteSchema,
  diaryUpdateSchema,
  type DiaryAddRequest,
  type DiaryDeleteAck,
  type DiaryDeleteRequest,
  type DiaryUpdateRequest,
  type DiaryEntry,
  type DiaryEntryAck,
  type DiaryListAck,
  type SharedDiaryEntry,
} from '@kenes/shared';
import type { Store } from '../store/store.js';
import type { Broadcaster } from './broadcaster.js';
import { errorBody, inTurn, unavailableOr, type Identity } from './hub.js';
import type { Room } from './room.js';

const newEntryId = () => `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/**
 * The reflection diary over Socket.IO. An entry goes only to its author's tabs;
 * a shared one also to the facilitators (with the author's name); never to other
 * teachers or the projector. Writes carry a request id: a retry gets the first reply.
 */
export class DiaryDesk {
  constructor(
    private readonly store: Store,
    private readonly out: Broadcaster,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes run in the room's turn (see `inTurn`). */
  handlers(room: Room, who: Identity): Record<string, (payload: unknown) => unknown> {
    return {
      [DIARY_EVENTS.add]: inTurn(room, diaryAddSchema, (req) => this.add(room, who, req)),
      [DIARY_EVENTS.update]: inTurn(room, diaryUpdateSchema, (req) => this.update(room, who, req)),
      [DIARY_EVENTS.delete]: inTurn(room, diaryDeleteSchema, (req) => this.remove(room, who, req)),
      [DIARY_EVENTS.list]: () => this.list(room, who).catch(unavailableOr),
    };
  }

  private get db() {
    return this.store.diary;
  }

  private async add(room: Room, who: Identity, req: DiaryAddRequest): Promise<DiaryEntryAck> {
    if (who.role !== 'participant') return { ok: false, error: errorBody('forbidden') };
    const pid = who.participantId;
    const earlier = await this.db.reply(room.id, pid, req.rid);
    if (earlier !== undefined) return earlier as DiaryEntryAck;
    if (req.id && (await this.db.entry(room.id, pid, req.id))) return { ok: false, error: errorBody('bad_request') };
    if ((await this.db.count(room.id, pid)) >= DIARY_LIMITS.entries) return { ok: false, error: errorBody('bad_request') };
    const t = this.now();
    const entry: DiaryEntry = { id: req.id ?? newEntryId(), kind: req.kind, text: req.text.trim(), shared: req.shared ?? false, createdAt: t, updatedAt: t };
    const ack: DiaryEntryAck = { ok: true, entry };
    await this.db.put(room.id, pid, entry, req.rid, ack);
    this.announce(room, pid, entry, false);
    return ack;
  }

  private async update(room: Room, who: Identity, req: DiaryUpdateRequest): Promise<DiaryEntryAck> {
    if (who.role !== 'participant') return { ok: false, error: errorBody('forbidden') };
    const pid = who.participantId;
    const earlier = await this.db.reply(room.id, pid, req.rid);
    if (earlier !== undefined) return earlier as DiaryEntryAck;
    const old = await this.db.entry(room.id, pid, req.id);
    if (!old) return { ok: false, error: errorBody('not_found') };
    const entry: DiaryEntry = {
      ...old,
      kind: req.kind ?? old.kind,
      text: req.text !== undefined ? req.text.trim() : old.text,
      shared: req.shared ?? old.shared,
      updatedAt: this.now(),
    };
    const ack: DiaryEntryAck = { ok: true, entry };
    await this.db.put(room.id, pid, entry, req.rid, ack);
    this.announce(room, pid, entry, old.shared);
    return ack;
  }

  private async remove(room: Room, who: Identity, req: DiaryDeleteRequest): Promise<DiaryDeleteAck> {
    if (who.role !== 'participant') return { ok: false, error: errorBody('forbidden') };
    const pid = who.participantId;
    const earlier = await this.db.reply(room.id, pid, req.rid);
    if (earlier !== undefined) return earlier as DiaryDeleteAck;
    const old = await this.db.entry(room.id, pid, req.id);
    if (!old) return { ok: false, error: errorBody('not_found') };
    const ack: DiaryDeleteAck = { ok: true, id: req.id };
    await this.db.remove(room.id, pid, req.id, req.rid, ack);
    this.out.toParticipant(room.id, pid, DIARY_EVENTS.mineRemoved, { id: req.id });
    if (old.shared) this.out.toFacilitators(room.id, DIARY_EVENTS.unshared, { id: req.id, participantId: pid });
    return ack;
  }

  private async list(room: Room, who: Identity): Promise<DiaryListAck> {
    if (who.role === 'participant') return { ok: true, role: 'participant', entries: await this.db.entries(room.id, who.participantId) };
    if (who.role === 'facilitator') return { ok: true, role: 'facilitator', entries: await this.sharedEntries(room) };
    return { ok: false, error: errorBody('forbidden') };
  }

  private async sharedEntries(room: Room): Promise<SharedDiaryEntry[]> {
    return (await this.db.shared(room.id)).map((e) => ({ ...e, name: room.roster.get(e.participantId)?.name ?? '' }));
  }

  /** Tell the author's other tabs, and the facilitators when the entry is or was shared. */
  private announce(room: Room, pid: string, entry: DiaryEntry, wasShared: boolean): void {
    this.out.toParticipant(room.id, pid, DIARY_EVENTS.mine, entry);
    if (entry.shared) {
      const shared: SharedDiaryEntry = { ...entry, participantId: pid, name: room.roster.get(pid)?.name ?? '' };
      this.out.toFacilitators(room.id, DIARY_EVENTS.shared, shared);
    } else if (wasShared) {
      this.out.toFacilitators(room.id, DIARY_EVENTS.unshared, { id: entry.id, participantId: pid });
    }
  }
}
