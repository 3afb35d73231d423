export * from './model/types.js';
export * from './model/limits.js';
export * from './model/code.js';
export * from './methods/templates.js';
export * from './methods/questionnaire.js';
export * from './methods/starters.js';
export * from './methods/agenda.js';
export * from './diary/types.js';
export * from './flow/commands.js';
export * from './flow/session.js';
export * from './flow/from-template.js';
export * from './flow/reduce.js';
export * from './flow/groups.js';
export * from './voting/dots.js';
export * from './time/timer.js';
export * from './time/clock.js';
export * from './i18n/index.js';
export * from './i18n/labels.js';
export * from './board/notes.js';
export * from './protocol/events.js';
export * from './protocol/errors.js';
export * from './protocol/patch.js';
export * from './minutes/build.js';
export * from './minutes/markdown.js';
export {
  minutesOutline,
  type MinutesOutline,
  type OutlineBar,
  type OutlineBlock,
  type OutlineColumn,
  type OutlineField,
  type OutlineListItem,
} from './minutes/outline.js';
export type { Inline, Span } from './minutes/spans.js';
export { escapeHtml, renderMinutesHtml, renderOutlineHtml } from './minutes/html.js';
export { fitColumns, type ColumnNeed } from './minutes/columns.js';
export * from './board/validate.js';
export * from './flow/boards.js';
export * from './board/layouts.js';
export * from './board/clusters.js';
export * from './board/cards.js';
export * from './board/copy.js';
export * from './stats/index.js';
export * from './ballots/index.js';
export * from './flow/ballots.js';
export * from './export/csv.js';
export * from './export/json.js';
export * from './export/restore.js';
export * from './workspace/types.js';
export * from './workspace/ops.js';
export * from './workspace/dates.js';
export * from './workspace/limits.js';
export * from './workspace/quorum.js';
export * from './workspace/permissions.js';
export * from './workspace/meeting.js';
export * from './workspace/register.js';
export * from './workspace/protocol.js';
export * from './projects/types.js';
export * from './projects/ops.js';
export * from './projects/views.js';
export * from './projects/limits.js';
export * from './projects/permissions.js';
export * from './projects/project.js';
export * from './projects/assessment.js';
export * from './projects/dossier.js';
export * from './projects/portfolio-document.js';
export * from './files/sniff.js';
export * from './interview/index.js';
