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
  it('escapes pipes inside table cells, so every row keeps seven columns', () => {
    expect(
      cells(tableRow(renderFindingsLedger('apps/example', [result], meta), 'lib:ledger-cell')),
    ).toHaveLength(7);
    expect(cells(tableRow(renderFindingsMarkdown([result], meta), 'lib:ledger-cell'))).toHaveLength(7);
  });

  it('links fix paths from docs/findings without detours through the package folder', () => {
    const ledger = renderFindingsLedger('apps/example', [result], meta);
    expect(ledger).toContain('(../../docs/adr/0001-esm-and-nestjs-12.md)');
    expect(ledger).toContain('(../../apps/example/src/index.ts)');
  });
});
