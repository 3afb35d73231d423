import { describe, expect, it } from 'vitest';
import { buildBallot, createSessionState, resultsCsv, tallyBallot, type AnswerRecord } from '../src/index.js';

describe('results as CSV', () => {
  it('quotes commas, quotes and line breaks in user text, and starts with a BOM for spreadsheets', () => {
    const s = createSessionState({ id: 's1', code: 'K7M2QX', title: 'T', locale: 'kk', template: 'case-method', now: 0 });
    const def = { ...buildBallot({ kind: 'text', title: 'Пікір, ұсыныс', options: [] }, 'b1'), status: 'revealed' as const };
    const records: AnswerRecord[] = [
      { voter: 'v1', answer: { kind: 'text', text: 'Ұнады, "өте" пайдалы' } },
      { voter: 'v2', answer: { kind: 'text', text: 'Екі\nжол' } },
    ];
    const csv = resultsCsv({ ...s, ballots: [{ ...def, results: tallyBallot(def, records) }] });
    expect(csv.startsWith('\uFEFFballot,kind,round,privacy,place,option,value,share\r\n')).toBe(true);
    expect(csv).toContain('"Пікір, ұсыныс",text,1,anonymous,,,"Ұнады, ""өте"" пайдалы",\r\n');
    expect(csv).toContain('"Пікір, ұсыныс",text,1,anonymous,,,"Екі\nжол",\r\n');
  });
});
