import { agreementOf, spreadOf } from '../ballots/tally.js';
import type { Project, ProjectReport } from './types.js';
import type { AssessmentSummary, IndicatorProgress } from './views.js';

/**
 * The result of a report's assessment, by the rating-matrix rules of the expert methods:
 * weights normalised to sum 1, each expert's weighted score Σ wᶜ·scoreᶜ, the criteria's
 * spread over the experts, and Kendall's W of the experts over the criteria.
 * `name` resolves an expert's account to the name printed (never shown to teachers
 * without the right to see the assessment).
 */
export function assessmentSummary(report: ProjectReport, name: (accountId: string) => string): AssessmentSummary | null {
  const a = report.assessment;
  if (!a) return null;
  const sum = a.criteria.reduce((s, c) => s + c.weight, 0);
  const weights = a.criteria.map((c) => c.weight / sum);
  const complete = a.scores.filter((s) => a.criteria.every((c) => typeof s.scores[c.id] === 'number'));
  const rows = complete.map((s) => a.criteria.map((c) => s.scores[c.id]!));
  const perExpert = complete.map((s, i) => ({
    expertId: s.expertId,
    name: name(s.expertId),
    total: rows[i]!.reduce((t, v, k) => t + v * weights[k]!, 0),
    comment: s.comment,
  }));
  const total = perExpert.length ? perExpert.reduce((t, e) => t + e.total, 0) / perExpert.length : null;
  return {
    reportId: report.id,
    open: a.closedAt === null,
    experts: complete.length,
    criteria: a.criteria.map((c, k) => ({ id: c.id, label: c.label, weight: weights[k]!, spread: spreadOf(rows.map((r) => r[k]!)) })),
    perExpert,
    total,
    share: total === null ? null : (total - a.scale.min) / (a.scale.max - a.scale.min),
    agreement: agreementOf(rows),
  };
}

/** Every assessed report's summary, by report id. */
export function assessmentSummaries(project: Project, name: (accountId: string) => string): Record<string, AssessmentSummary> {
  const out: Record<string, AssessmentSummary> = {};
  for (const r of project.reports) {
    const s = assessmentSummary(r, name);
    if (s) out[r.id] = s;
  }
  return out;
}

/** Each indicator's values through the reports, oldest first, and how far it got towards its target. */
export function indicatorProgress(project: Project): IndicatorProgress[] {
  const reports = [...project.reports].sort((a, b) => a.submittedAt - b.submittedAt);
  return project.indicators.map((i) => {
    const points = reports
      .filter((r) => typeof r.values[i.id] === 'number')
      .map((r) => ({ reportId: r.id, milestoneId: r.milestoneId, at: r.submittedAt, value: r.values[i.id]! }));
    const latest = points.length ? points[points.length - 1]!.value : null;
    const span = i.target - i.baseline;
    const share = latest === null || span === 0 ? null : Math.min(1, Math.max(0, (latest - i.baseline) / span));
    return { indicatorId: i.id, name: i.name, unit: i.unit, baseline: i.baseline, target: i.target, points, latest, share };
  });
}
