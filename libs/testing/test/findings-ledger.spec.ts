import {
  defineFinding,
  renderFindingsLedger,
  renderFindingsMarkdown,
  type FindingResult,
} from '../src/index.js';

const finding = defineFinding({
  id: 'lib:ledger-cell',
  title: 'A metric named with |pipes| stays in its cell',
  fix: ['../../docs/adr/0001-esm-and-nestjs-12.md', 'src/index.ts'],
  metric: { name: 'seats oversold (|registered − capacity|)', unit: 'seats', better: 'lower' },
  seam: 'a provider',
  flawsPutBack: { 'no lock': 'the check without a lock' },
  measure: () => Promise.resolve(0),
  flawed: (value) => value > 0,
  remediated: (value) => value === 0,
});

const result: FindingResult = {
  packagePath: 'apps/example',
  suite: 'example',
  finding,
  proven: true,
  variants: [
    {
      variant: 'flawed',
      value: 400,
      details: { note: 'a|b' },
      durationMs: 10,
      holds: true,
      discriminates: true,
    },
    { variant: 'remediated', value: 0, durationMs: 10, holds: true, discriminates: true },
  ],
  flawsPutBack: [
    { flaw: 'no lock', description: 'the check without a lock', value: 12, durationMs: 10, caught: true },
  ],
};
const meta = { generatedAt: '2026-11-24T00:00:00.000Z', servers: 'test' };

function tableRow(markdown: string, id: string): string {
  return markdown.split('\n').find((line) => line.startsWith(`| ${id} `)) ?? '';
}

/** Cells of a Markdown table row, splitting only on pipes that are not escaped. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

describe('findings ledger and report', () => {
  it('escapes pipes inside table cells, so every row keeps eight columns', () => {
    expect(
      cells(tableRow(renderFindingsLedger('apps/example', [result], meta), 'lib:ledger-cell')),
    ).toHaveLength(8);
    expect(cells(tableRow(renderFindingsMarkdown([result], meta), 'lib:ledger-cell'))).toHaveLength(8);
  });

  it('shows the seam and each flaw put back with what it measured', () => {
    const ledger = renderFindingsLedger('apps/example', [result], meta);
    expect(ledger).toContain('Seam: a provider');
    expect(ledger).toContain('Flaw put back, _no lock_ (the check without a lock): 12 seats');
    expect(ledger).toContain('caught by the proof');
    const missed = { ...result, flawsPutBack: [{ ...result.flawsPutBack[0]!, value: 0, caught: false }] };
    expect(renderFindingsMarkdown([missed], meta)).toContain('NOT CAUGHT');
  });

  it('links fix paths from docs/findings without detours through the package folder', () => {
    const ledger = renderFindingsLedger('apps/example', [result], meta);
    expect(ledger).toContain('(../../docs/adr/0001-esm-and-nestjs-12.md)');
    expect(ledger).toContain('(../../apps/example/src/index.ts)');
  });
});
