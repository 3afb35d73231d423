import * as Y from 'yjs';
import { moveNote, notesMap } from './notes.js';

/** A named group of notes, made by dropping notes onto each other. */
export interface ClusterView {
  id: string;
  name: string;
  area: string;
  stageId: string;
  createdAt: number;
}

export function clustersMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap('clusters');
}

/** Make a cluster of two or more notes (the first is the one dropped onto). */
export function createCluster(doc: Y.Doc, cluster: ClusterView, noteIds: string[]): void {
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(cluster)) m.set(k, v);
    clustersMap(doc).set(cluster.id, m);
    for (const id of noteIds) moveNote(doc, id, { clusterId: cluster.id, area: cluster.area });
  });
}

export function renameCluster(doc: Y.Doc, id: string, name: string): void {
  clustersMap(doc).get(id)?.set('name', name);
}

/** Take a note out of its cluster; a cluster left with fewer than two notes dissolves. */
export function removeFromCluster(doc: Y.Doc, noteId: string): void {
  const note = notesMap(doc).get(noteId);
  const clusterId = note?.get('clusterId') as string | null | undefined;
  if (!note || !clusterId) return;
  doc.transact(() => {
    note.set('clusterId', null);
    const rest = [...notesMap(doc).values()].filter((m) => m.get('clusterId') === clusterId);
    if (rest.length < 2) {
      for (const m of rest) m.set('clusterId', null);
      clustersMap(doc).delete(clusterId);
    }
  });
}

export function readClusters(doc: Y.Doc): ClusterView[] {
  const out: ClusterView[] = [];
  clustersMap(doc).forEach((m, id) => {
    out.push({
      id,
      name: String(m.get('name') ?? ''),
      area: String(m.get('area') ?? ''),
      stageId: String(m.get('stageId') ?? ''),
      createdAt: Number(m.get('createdAt') ?? 0),
    });
  });
  return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}
