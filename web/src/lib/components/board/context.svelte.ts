import { getContext, setContext } from 'svelte';
import {
  areaOf,
  CANVAS_SIZE,
  clampToCanvas,
  groupLabel,
  LAYOUTS,
  stageTitle,
  type Layout,
  type NoteView,
  type SessionState,
  type Stage,
} from '@kenes/shared';
import { tick } from 'svelte';
import type { BoardUser, LiveBoard } from '$lib/state/board.svelte';
import { locale, t } from '$lib/state/locale.svelte';
import type { Drop } from './dnd';

export interface BoardUiProps {
  board: LiveBoard;
  state: SessionState;
  /** Who writes new notes; none means a read-only board. */
  me: BoardUser | null;
  readOnly: boolean;
  /** Facilitators edit and delete anyone's notes. */
  moderator: boolean;
  onuse?: (text: string) => void;
  size: 'normal' | 'huge';
  /** The plenary board: notes stand in columns by the group that published them. */
  plenary: boolean;
}

/**
 * What every piece of one board on screen shares: the live document, who is looking,
 * the stage in progress, and the transient UI (a note being moved, the notes chosen
 * for the plenary, what to announce to screen readers).
 */
export class BoardUi {
  /** Text for the board's polite live region. */
  announcement = $state('');
  /** A note (or cluster name) to focus once it is on screen again, e.g. after a move re-renders it elsewhere. */
  focusNote = $state<string | null>(null);
  focusCluster = $state<string | null>(null);
  /** The note being moved with the arrow keys on a canvas. */
  nudging = $state<string | null>(null);
  /** Choosing notes for the plenary. */
  selecting = $state(false);
  selected = $state.raw<ReadonlySet<string>>(new Set());
  /** The prototype card feedback notes are about (testing stage). */
  subject = $state<string | null>(null);

  /** The board's element, to find a note again after it re-rendered elsewhere. */
  root: HTMLElement | null = null;

  constructor(private readonly props: () => BoardUiProps) {}

  /** Notes of the stage in progress that are on screen (in testing: those about the chosen prototype). */
  get visibleNotes(): NoteView[] {
    const stageId = this.stage.id;
    const bySubject = this.layout.id === 'feedback-grid' && this.board.cards.length > 0;
    return this.board.notes.filter((n) => n.stageId === stageId && (!bySubject || (n.subject ?? null) === this.subject));
  }

  get board(): LiveBoard {
    return this.props().board;
  }
  get state(): SessionState {
    return this.props().state;
  }
  get me(): BoardUser | null {
    return this.props().me;
  }
  get plenary(): boolean {
    return this.props().plenary;
  }
  get size(): 'normal' | 'huge' {
    return this.props().size;
  }
  get onuse(): ((text: string) => void) | undefined {
    return this.props().onuse;
  }
  get writable(): boolean {
    const p = this.props();
    return !p.readOnly && !!p.me && !p.board.denied;
  }
  get moderator(): boolean {
    return this.props().moderator;
  }
  get stage(): Stage {
    const s = this.state;
    return s.stages[s.stageIndex]!;
  }
  get layout(): Layout {
    return LAYOUTS[this.stage.layout] ?? LAYOUTS.free;
  }

  /** The note's own author, or a facilitator, may change its text, colour, or delete it. */
  mayChange(note: NoteView): boolean {
    return this.writable && (this.moderator || note.authorId === this.me?.id);
  }

  stageOf(stageId: string): Stage | undefined {
    return this.state.stages.find((s) => s.id === stageId);
  }

  stageName(stageId: string): string {
    const stage = this.stageOf(stageId);
    return stage ? stageTitle(stage, locale.current) : t('board.otherStage');
  }

  layoutOf(stageId: string): Layout {
    return LAYOUTS[this.stageOf(stageId)?.layout ?? 'free'] ?? LAYOUTS.free;
  }

  /** The area a note sits in under its stage's layout. */
  areaKey(note: Pick<NoteView, 'area' | 'stageId'>): string {
    return areaOf(this.layoutOf(note.stageId).id, note.area);
  }

  areaLabel(layout: Layout, key: string): string {
    return layout.shape === 'canvas' ? t('board.canvas') : t(`layout.${layout.id}.${key}`);
  }

  showAuthor(note: NoteView): boolean {
    return this.stageOf(note.stageId)?.showAuthors ?? true;
  }

  groupName(groupId: string): string {
    return groupLabel(this.state, groupId, locale.current);
  }

  /** Move a note to another area of the current layout. */
  moveTo(noteId: string, area: string): void {
    this.board.move(noteId, { area });
    this.announce(t('board.movedTo', { area: this.areaLabel(this.layout, area) }));
    void this.focusSoon(`[data-note-id="${noteId}"]`);
  }

  /** Make a cluster of two notes (or add to the other's cluster); name it next. */
  groupWith(noteId: string, ontoId: string, focusName = true): void {
    const had = this.board.notes.find((n) => n.id === ontoId)?.clusterId ?? null;
    const clusterId = this.board.group(noteId, ontoId, this.stage.id);
    if (!clusterId) return;
    if (had) {
      this.announce(t('board.joined', { name: this.clusterName(clusterId) }));
      void this.focusSoon(`[data-note-id="${noteId}"]`);
    } else {
      this.announce(t('board.clustered'));
      if (focusName) void this.focusSoon(`[data-cluster-name="${clusterId}"]`);
    }
  }

  joinCluster(noteId: string, clusterId: string): void {
    this.board.join(noteId, clusterId);
    this.announce(t('board.joined', { name: this.clusterName(clusterId) }));
    void this.focusSoon(`[data-note-id="${noteId}"]`);
  }

  ungroup(noteId: string): void {
    this.board.ungroup(noteId);
    this.announce(t('board.ungrouped'));
    void this.focusSoon(`[data-note-id="${noteId}"]`);
  }

  startNudge(noteId: string): void {
    this.nudging = noteId;
    this.announce(t('board.nudgeHelp'));
    void this.focusSoon(`[data-note-id="${noteId}"]`);
  }

  /** Move a whole cluster to another area of the current layout (the keyboard's way to drag it). */
  moveClusterTo(clusterId: string, area: string): void {
    this.board.moveCluster(clusterId, { area });
    this.announce(t('board.clusterMovedTo', { area: this.areaLabel(this.layout, area) }));
    void this.focusSoon(`[data-cluster-name="${clusterId}"]`);
  }

  clusterName(id: string): string {
    return this.board.clusters.find((c) => c.id === id)?.name || t('board.clusterUnnamed');
  }

  /** What a pointer drag ends in: another area, a note or cluster to group with, a place on the canvas. */
  drop(d: Drop): void {
    const [kind, ...rest] = (d.target ?? '').split(':');
    const id = rest.join(':');
    if (d.source.kind === 'note') {
      const noteId = d.source.id;
      if (kind === 'note' && id !== noteId) this.groupWith(noteId, id, false);
      else if (kind === 'cluster') this.joinCluster(noteId, id);
      else if (kind === 'area') this.moveTo(noteId, id);
      else if (kind === 'canvas' && d.targetEl) this.board.move(noteId, canvasPoint(d, d.targetEl));
      return;
    }
    const clusterId = d.source.id;
    const canvas = d.targetEl?.closest<HTMLElement>('[data-drop="canvas"]');
    if (canvas) {
      this.board.moveCluster(clusterId, canvasPoint(d, canvas));
      return;
    }
    let area: string | null = null;
    if (kind === 'area') area = id;
    else if (kind === 'note') {
      const n = this.board.notes.find((x) => x.id === id);
      if (n) area = this.areaKey(n);
    } else if (kind === 'cluster') area = this.board.clusters.find((c) => c.id === id)?.area ?? null;
    if (area) {
      this.board.moveCluster(clusterId, { area });
      this.announce(t('board.clusterMovedTo', { area: this.areaLabel(this.layout, area) }));
    }
  }

  /** Focus an element once the board has re-read the document and re-rendered. */
  async focusSoon(selector: string): Promise<void> {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    await tick();
    this.root?.querySelector<HTMLElement>(selector)?.focus();
  }

  /** Choose a note (or card) for the plenary, or take it back. */
  pick(id: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  /** Say something to screen readers; the same words twice are announced twice. */
  announce(text: string): void {
    this.announcement = '';
    queueMicrotask(() => (this.announcement = text));
  }

  /** A note's text cut to a length fit for a button's name. */
  short(text: string, max = 48): string {
    const one = text.replace(/\s+/g, ' ').trim();
    return one.length > max ? `${one.slice(0, max - 1)}…` : one;
  }
}

const KEY = Symbol('board-ui');

export function setBoardUi(ui: BoardUi): BoardUi {
  return setContext(KEY, ui);
}

export function boardUi(): BoardUi {
  return getContext<BoardUi>(KEY);
}

/** Where on a canvas (0..1000 each way) a dropped element's corner landed; the inverse of how notes are placed. */
function canvasPoint(d: Drop, canvas: HTMLElement): { x: number; y: number } {
  const r = canvas.getBoundingClientRect();
  const spanX = Math.max(1, r.width - d.width);
  const spanY = Math.max(1, r.height - d.height);
  return {
    x: clampToCanvas(((d.left - r.left) / spanX) * CANVAS_SIZE),
    y: clampToCanvas(((d.top - r.top) / spanY) * CANVAS_SIZE),
  };
}
